"""The house: pipeline/ is a folder per stage, imports flow one way (import-linter's contract
in pyproject.toml), no module imports itself back through others (imports inside functions
count), and a command imports only what it uses."""

from __future__ import annotations

import json
import subprocess
import sys

from helpers import EXAMPLES, ROOT

STAGES = {"cli", "preview", "collections", "redline", "batch", "convert", "lint", "render",
          "reading", "diagrams", "math", "safety", "pandoc", "config", "core"}


def graph(what: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(ROOT / "tests" / "architecture" / "imports.py"),
                           what], capture_output=True, text=True, cwd=ROOT.parent, timeout=300)


def test_a_folder_per_stage_and_nothing_loose():
    pipeline = ROOT / "pipeline"
    assert sorted(p.name for p in pipeline.glob("*.py")) == ["__init__.py"]
    folders = {p.name for p in pipeline.iterdir() if p.is_dir() and p.name != "__pycache__"}
    assert folders == STAGES
    for folder in folders:
        doc = (pipeline / folder / "__init__.py").read_text().strip()
        assert doc.startswith('"""') and len(doc) > 40, f"{folder}/__init__.py says what it is"
    architecture = (ROOT / "ARCHITECTURE.md").read_text()
    assert all(f"pipeline/{folder}/" in architecture for folder in folders)


def test_no_import_cycle_counting_imports_inside_functions():
    found = json.loads(graph("cycles").stdout)
    assert found["modules"] > 80  # the whole package was seen
    assert found["cycles"] == []
    # the check finds a cycle where there is one
    planted = json.loads(graph("cycles-check").stdout)
    assert planted["cycles"] == [["epdoc.pipeline.cli.main", "epdoc.pipeline.core.errors"]]


def test_imports_flow_one_way():
    proc = graph("contract")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "1 kept, 0 broken" in proc.stdout


def _modules_after(*argv) -> set[str]:
    code = ("import sys\nfrom epdoc.pipeline.cli.main import main\n"
            "try:\n    main(sys.argv[1:])\nexcept SystemExit:\n    pass\n"
            "print('\\n'.join(sys.modules))")
    proc = subprocess.run([sys.executable, "-c", code, *argv], capture_output=True,
                          text=True, timeout=120, cwd=ROOT.parent)
    return set(proc.stdout.splitlines())


def test_help_and_lint_import_only_what_they_use():
    heavy = ("weasyprint", "epdoc.pipeline.collections", "epdoc.pipeline.render",
             "epdoc.pipeline.batch", "docx", "pypdf", "panflute")
    loaded = _modules_after("--help")
    assert "epdoc.pipeline.cli.main" in loaded
    assert not [m for m in loaded if m.startswith(heavy)]
    loaded = _modules_after("lint", str(EXAMPLES / "EP-010-offline-archive-format.md"))
    assert "epdoc.pipeline.lint" in loaded  # it did lint
    assert not [m for m in loaded if m.startswith(("weasyprint", "epdoc.pipeline.collections",
                                                   "epdoc.pipeline.render", "docx"))]
