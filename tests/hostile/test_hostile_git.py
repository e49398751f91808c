"""git is run only in the repository of the working directory, never in a folder a proposal
brought: a planted repository whose fsmonitor is a command must never run it, whatever
command touches the proposals. And git runs from one module only. Also: an interrupted
archive run leaves nothing that the next one does not clean."""

from __future__ import annotations

import ast
import json
import os
import signal
import subprocess
import time
from pathlib import Path

import pytest

from helpers import EXAMPLES, ROOT, run_epdoc

PROPOSAL = (EXAMPLES / "EP-010-offline-archive-format.md").read_text()
ATTACKER = "https://attacker.example/evil.git"
CLEAN_GIT = {"GIT_CONFIG_NOSYSTEM": "1", "GIT_CONFIG_GLOBAL": os.devnull}


def git(repo: Path, *args: str) -> str:
    env = {**os.environ, **CLEAN_GIT}
    return subprocess.run(["git", "-C", str(repo), "-c", "user.name=t",
                           "-c", "user.email=t@example.org", *args], env=env,
                          capture_output=True, text=True, check=True).stdout.strip()


def plant(folder: Path, marker: Path) -> None:
    """A folder git takes for a repository whose fsmonitor is a command writing `marker`."""
    for sub in ("refs/heads", "refs/tags", "objects/info", "objects/pack"):
        (folder / sub).mkdir(parents=True, exist_ok=True)
        (folder / sub / ".keep").write_text("")
    (folder / "HEAD").write_text("ref: refs/heads/main\n")
    (folder / "config").write_text(
        "[core]\n\trepositoryformatversion = 0\n\tbare = false\n\tworktree = .\n"
        f"\tfsmonitor = \"touch {marker}; false\"\n"
        f"[remote \"origin\"]\n\turl = {ATTACKER}\n")


@pytest.fixture(scope="module")
def tree(tmp_path_factory):
    """A repository whose proposals/ holds a good proposal and evil/, a planted repository
    with a proposal in it, all committed as a pull request would add them."""
    root = tmp_path_factory.mktemp("git")
    marker = root / "MARKER"
    repo = root / "repo"
    props = repo / "proposals"
    evil = props / "evil"
    evil.mkdir(parents=True)
    (props / "EP-010-offline-archive-format.md").write_text(PROPOSAL)
    (evil / "EP-012-evil.md").write_text(
        PROPOSAL.replace("EP-010: Offline Archive Format", "EP-012: Evil").replace(
            "![Archive flow](images/archive-flow.png)", ""))
    plant(evil, marker)
    git(repo, "init", "-q")
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", "proposals")
    # the attack is real: git itself, asked about the folder, runs the planted command
    subprocess.run(["git", "-C", str(evil), "status"], env={**os.environ, **CLEAN_GIT},
                   capture_output=True, check=False)
    assert marker.exists(), "the planted repository must be one git would use"
    marker.unlink()
    return root, repo, props, evil, marker


@pytest.mark.parametrize("where", ["repo", "evil", "outside"])
def test_no_command_runs_git_in_a_planted_repository(tree, where, tmp_path):
    root, repo, props, evil, marker = tree
    cwd = {"repo": repo, "evil": evil, "outside": tmp_path}[where]
    out = tmp_path / "out"
    runs = [run_epdoc("archive", props, "--into", tmp_path / "archive", cwd=cwd),
            run_epdoc("build", props, "--to", "html", "-o", out, "--changed-since", "HEAD",
                      cwd=cwd),
            run_epdoc("index", props, "-o", out / "index.html", cwd=cwd)]
    assert not marker.exists(), f"a planted git command ran ({where})"
    archived, changed, index = runs
    assert archived.returncode == 0, archived.stderr
    assert "2 archived" in archived.stdout, archived.stdout
    assert index.returncode == 0, index.stderr
    manifests = [json.loads(p.read_text()) for p in (tmp_path / "archive").rglob("manifest.json")]
    assert len(manifests) == 2
    assert ATTACKER not in json.dumps(manifests)
    if where == "outside":
        # not in a repository: no provenance, and --changed-since says why
        assert all(m["source"]["git"] is None for m in manifests)
        assert changed.returncode == 2 and "not in one" in changed.stderr, changed.stderr
    else:
        # the repository of the working directory, which holds both proposals
        head = git(repo, "rev-parse", "HEAD")
        paths = sorted(m["source"]["git"]["path"] for m in manifests)
        assert paths == ["proposals/EP-010-offline-archive-format.md",
                         "proposals/evil/EP-012-evil.md"]
        assert all(m["source"]["git"]["commit"] == head for m in manifests)
        assert all(m["source"]["git"]["modified"] is False for m in manifests)
        assert changed.returncode == 0, changed.stderr
        assert "no proposal changed since HEAD" in changed.stdout + changed.stderr


def _git_calls(tree: ast.AST) -> list[int]:
    """Lines that start git: a command list or tuple whose first item is git, a call with
    the argument "git" (shutil.which), or a shell string starting with git."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, (ast.List, ast.Tuple)) and node.elts:
            first = node.elts[0]
            if isinstance(first, ast.Constant) and isinstance(first.value, str) \
                    and Path(first.value).name == "git":
                found.append(node.lineno)
        if isinstance(node, ast.Call):
            for arg in node.args:
                if isinstance(arg, ast.Constant) and isinstance(arg.value, str) and \
                        (arg.value == "git" or arg.value.startswith("git ")):
                    found.append(node.lineno)
    return found


def test_git_runs_from_one_module_only():
    assert _git_calls(ast.parse('subprocess.run(["git", "-C", d, "status"])'))
    assert _git_calls(ast.parse('shutil.which("git")'))
    assert _git_calls(ast.parse('os.system("git status")'))
    assert not _git_calls(ast.parse('{"git": git_origin(x)}'))
    offenders = []
    for folder in ("pipeline", "filters", "epdoc", "bench"):
        for path in sorted((ROOT / folder).rglob("*.py")):
            if path == ROOT / "pipeline" / "core" / "git.py":
                continue
            lines = _git_calls(ast.parse(path.read_text(), str(path)))
            offenders += [f"{path.relative_to(ROOT)}:{n}" for n in lines]
    assert not offenders, offenders
    assert _git_calls(ast.parse((ROOT / "pipeline" / "core" / "git.py").read_text()))


def test_an_interrupted_archive_is_named_then_cleaned(tree, tmp_path):
    _, repo, props, _, marker = tree
    archive = tmp_path / "archive"
    proc = subprocess.Popen([str(ROOT / ".venv" / "bin" / "epdoc"), "archive", str(props),
                             "--into", str(archive)], cwd=repo,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while not list(archive.glob(".staging-*")) and time.monotonic() < deadline \
            and proc.poll() is None:
        time.sleep(0.01)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    leftovers = list(archive.glob(".staging-*"))
    assert leftovers, "the run was killed while it wrote a version"
    verify = run_epdoc("archive", "verify", archive)
    assert verify.returncode == 1
    lines = [line for line in verify.stdout.splitlines() if ".staging-" in line]
    assert lines == [f"staging: {leftovers[0].name} (left by an interrupted `epdoc archive`; "
                     "the next run into this folder removes it)"], verify.stdout
    again = run_epdoc("archive", props, "--into", archive, cwd=repo)
    assert again.returncode == 0, again.stderr
    assert not list(archive.glob(".staging-*"))
    clean = run_epdoc("archive", "verify", archive)
    assert clean.returncode == 0, clean.stdout
    assert not marker.exists()
