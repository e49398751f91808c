"""Shared fixtures: real files, outputs built once per session and shared across tests."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from helpers import CORPUS, EXAMPLES, FIXTURES, ROOT, corpus_files, run_epdoc  # noqa: F401


@pytest.fixture(scope="session")
def corpus() -> Path:
    assert corpus_files(), f"no proposals in {CORPUS} (tests/fixtures/corpus, or $EPDOC_CORPUS)"
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
