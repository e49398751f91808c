"""Helpers the tests share: where things are, running the real `epdoc`, the corpus."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
TESTS = ROOT / "tests"
# the real proposals (Apache-2.0, kept unmodified in tests/fixtures/corpus, so CI has them)
CORPUS = Path(os.environ.get("EPDOC_CORPUS") or ROOT / "tests" / "fixtures" / "corpus").resolve()
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


def build_fixture(tmp_path_factory, folder: str, formats: str = "html,pdf,docx") -> Path:
    """tests/fixtures/<folder> copied to proposals/ and built as users run it (relative
    paths, `-o build`); the build folder, after checking the run succeeded."""
    import shutil

    root = tmp_path_factory.mktemp(folder)
    shutil.copytree(FIXTURES / folder, root / "proposals")
    proc = run_epdoc("build", "proposals", "--to", formats, "-o", "build", cwd=root)
    assert proc.returncode == 0, proc.stderr
    return root / "build"
