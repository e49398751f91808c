"""Shared fixtures: real files, outputs built once per session and shared across tests."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CORPUS = Path(os.environ.get("EPDOC_CORPUS") or ROOT.parent / "shared" / "corpus").resolve()
FIXTURES = ROOT / "tests" / "fixtures"
EXAMPLES = ROOT / "examples" / "proposals"
EPDOC = [sys.executable, "-m", "epdoc.pipeline.cli"]


def corpus_files() -> list[Path]:
    if not CORPUS.is_dir():
        return []
    return sorted(p for p in CORPUS.glob("*.md") if p.name != "README.md")


def expected_record(path: Path) -> dict:
    return json.loads((path.parent / "expected" / f"{path.stem}.json").read_text())


def run_epdoc(*args, cwd=None, env=None, timeout=600) -> subprocess.CompletedProcess:
    e = dict(os.environ)
    e.pop("GITHUB_ACTIONS", None)
    e.update(env or {})
    return subprocess.run([*EPDOC, *map(str, args)], capture_output=True, text=True,
                          cwd=cwd, env=e, timeout=timeout)


@pytest.fixture(scope="session")
def corpus() -> Path:
    if not corpus_files():
        pytest.skip("../shared/corpus is not present")
    return CORPUS


def _build(tmp_path_factory, name, *sources) -> tuple[Path, subprocess.CompletedProcess]:
    out = tmp_path_factory.mktemp(name)
    proc = run_epdoc("build", *sources, "--to", "html,pdf,docx", "-o", out)
    return out, proc


@pytest.fixture(scope="session")
def corpus_build(tmp_path_factory, corpus):
    """The whole corpus built once, to all three formats."""
    return _build(tmp_path_factory, "corpus-out", corpus)


@pytest.fixture(scope="session")
def unseen_build(tmp_path_factory):
    """Proposals the project has never seen (tests/fixtures/unseen), built once."""
    src = tmp_path_factory.mktemp("unseen-src")
    for f in (FIXTURES / "unseen").iterdir():
        if f.is_file():
            shutil.copy(f, src / f.name)
        else:
            shutil.copytree(f, src / f.name)
    out, proc = _build(tmp_path_factory, "unseen-out", src)
    return src, out, proc


@pytest.fixture(scope="session")
def examples_build(tmp_path_factory):
    return _build(tmp_path_factory, "examples-out", EXAMPLES)


@pytest.fixture(scope="session")
def status_build(tmp_path_factory):
    """tests/fixtures/status (one proposal per status, cross-links), built once."""
    return _build(tmp_path_factory, "status-out", FIXTURES / "status")
