"""What redline says when it cannot compare: a revision that does not exist, no repository,
an older version that is binary or too big (one line each, the others still compared), and
two files compared without git. Reading git never runs a planted command."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import CLEAN, V1, V2, commit, git, other
from helpers import run_epdoc


def usage_error(proc) -> str:
    """The one error line of a usage error (under the usage line, as every command's)."""
    lines = [x for x in proc.stderr.splitlines() if x.strip()]
    assert "Traceback" not in proc.stderr
    assert len(lines) == 2 and lines[0].startswith("usage: "), proc.stderr
    assert lines[1].startswith("epdoc: error: ")
    return lines[1]


@pytest.mark.parametrize("ref", ["v9", "--output=x", "v1..HEAD"])
def test_a_revision_that_does_not_exist_is_named(history, tmp_path, ref):
    proc = run_epdoc("redline", "proposals", f"--since={ref}", "-o", tmp_path, cwd=history)
    assert proc.returncode == 2
    line = usage_error(proc)
    assert f"--since {ref}: no such commit, branch or tag" in line and "git fetch" in line
    assert not list(tmp_path.iterdir())
    assert not (history / "x").exists()


def test_outside_a_repository_says_what_to_do(tmp_path):
    (tmp_path / "EP-042-widget.md").write_text(V2)
    proc = run_epdoc("redline", ".", "--since", "HEAD", "-o", "out", cwd=tmp_path)
    assert proc.returncode == 2
    line = usage_error(proc)
    assert "--since needs a git repository" in line and "--against OLD.md" in line


@pytest.fixture(scope="module")
def awkward(tmp_path_factory) -> Path:
    """EP-050 binary at v1, EP-051 too big at v1, EP-052 an ordinary edit."""
    repo = tmp_path_factory.mktemp("awkward") / "repo"
    repo.mkdir()
    git(repo, "init", "-q", "-b", "main")
    commit(repo, {"p/EP-050-bin.md": "\x00\x01\x02 not text\n",
                  "p/EP-051-big.md": other(51, "Big", "word " * 800),
                  "p/EP-052-fine.md": other(52, "Fine", "A plain sentence here.")})
    git(repo, "tag", "v1")
    commit(repo, {"p/EP-050-bin.md": other(50, "Bin", "Now it is text."),
                  "p/EP-051-big.md": other(51, "Big", "Now it is short."),
                  "p/EP-052-fine.md": other(52, "Fine", "A plain sentence there.")},
           who="Alice")
    return repo


def test_binary_or_huge_older_versions_fail_alone(awkward):
    proc = run_epdoc("redline", "p", "--since", "v1", "-o", "out", "--to", "html",
                     "--max-input-bytes", "3000", cwd=awkward)
    assert proc.returncode == 1
    errors = sorted(x for x in proc.stderr.splitlines() if x.strip())
    assert errors == [
        "error: p/EP-050-bin.md: at v1 it is not text (a binary file) (compare text versions "
        "only: give a later --since revision, or an older markdown file with --against "
        "OLD.md)",
        "error: p/EP-051-big.md: at v1 it is 4072 bytes, over the input size limit of 3000 "
        "(raise it with --max-input-bytes)"]
    assert sorted(p.name for p in (awkward / "out").glob("*.redline.*")) == \
        ["EP-052-fine.redline.html"]


def test_two_files_without_git(tmp_path):
    old, new = tmp_path / "old" / "EP-042-widget.md", tmp_path / "EP-042-widget.md"
    old.parent.mkdir()
    old.write_text(V1)
    new.write_text(V1.replace("re-wrapped in a later version of the\nfile",
                              "re-wrapped in a later\nversion of the file"))
    proc = run_epdoc("redline", new.name, "--against", "old/EP-042-widget.md", "-o", "out",
                     "--to", "html", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert "EP-042-widget.md: unchanged" in proc.stdout
    assert not (tmp_path / "out").exists() or not list((tmp_path / "out").glob("*.redline.*"))
    new.write_text(V2)
    proc = run_epdoc("redline", new.name, "--against", "old/EP-042-widget.md", "-o", "out",
                     "--to", "html", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    page = (tmp_path / "out" / "EP-042-widget.redline.html").read_text()
    assert "Changes since old/EP-042-widget.md" in page
    assert '<del class="redline">quickly.</del><ins class="redline">slowly.</ins>' in page


def test_reading_git_runs_no_planted_command(history, tmp_path):
    """The repository's own configuration and attributes ask git to run a command (an
    fsmonitor, hooks, a pager, an external diff, a text conversion): redline runs none."""
    repo = tmp_path / "repo"
    shutil.copytree(history, repo, ignore=shutil.ignore_patterns("build"))
    marker = tmp_path / "MARKER"
    hooks = tmp_path / "hooks"
    hooks.mkdir()
    for name in ("post-checkout", "post-index-change", "reference-transaction", "pre-commit"):
        (hooks / name).write_text(f"#!/bin/sh\ntouch {marker}\n")
        (hooks / name).chmod(0o755)
    evil = f"sh -c 'touch {marker}'; false"
    with open(repo / ".git" / "config", "a") as f:
        f.write(f'[core]\n\tfsmonitor = "{evil}"\n\thooksPath = {hooks}\n'
                f'\tpager = "{evil}"\n[diff]\n\texternal = "{evil}"\n'
                f'[diff "evil"]\n\ttextconv = "{evil}"\n')
    (repo / ".git" / "info").mkdir(exist_ok=True)
    (repo / ".git" / "info" / "attributes").write_text("*.md diff=evil\n")
    subprocess.run(["git", "-C", str(repo), "status"], env={**os.environ, **CLEAN},
                   capture_output=True, check=False)
    assert marker.exists(), "the planted configuration must be one git would use"
    marker.unlink()
    proc = run_epdoc("redline", "proposals", "--since", "v1", "-o", tmp_path / "out",
                     "--to", "html", cwd=repo)
    assert proc.returncode == 0, proc.stderr
    assert not marker.exists(), "redline ran a command the repository planted"
    assert (tmp_path / "out" / "EP-042-widget.redline.html").exists()


def test_table_columns_and_list_items_added_and_removed(tmp_path):
    old = tmp_path / "old.md"
    new = tmp_path / "EP-090-tables.md"
    old.write_text("# EP-090: Tables\n\n**Status:** Draft\n\n## Options\n\n"
                   "| Name | Default | Note |\n|---|---|---|\n| speed | fast | legacy |\n\n"
                   "- alpha item\n- beta item\n- gamma item\n")
    new.write_text("# EP-090: Tables\n\n**Status:** Draft\n\n## Options\n\n"
                   "| Name | Default |\n|---|---|\n| speed | fast |\n| size | large |\n\n"
                   "- alpha item\n- gamma item\n- delta item\n")
    proc = run_epdoc("redline", new.name, "--against", old.name, "-o", "out", "--to", "html",
                     cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    page = (tmp_path / "out" / "EP-090-tables.redline.html").read_text()
    assert '<del class="redline">Note</del>' in page
    assert '<del class="redline">legacy</del>' in page
    assert '<ins class="redline">size</ins>' in page and '<ins class="redline">large</ins>' in page
    assert '<del class="redline">beta item</del>' in page
    assert '<ins class="redline">delta item</ins>' in page
    assert "alpha item</li>" in page and "gamma item</li>" in page
