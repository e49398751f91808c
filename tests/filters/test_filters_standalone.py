"""Each filter also works as a standalone pandoc filter (pandoc -F filters/x.py)."""

import os
import subprocess
import sys
from pathlib import Path

import pypandoc
import pytest

from epdoc import filters

from helpers import EXAMPLES, ROOT

FILTERS = sorted(Path(m.__file__) for m in filters.discover())


def _pandoc(*args, src):
    env = dict(os.environ)
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env['PATH']}"
    cmd = [pypandoc.get_pandoc_path(), "-f", "gfm", "-t", "html", "--wrap=none", *args, str(src)]
    return subprocess.run(cmd, capture_output=True, text=True, env=env, cwd=ROOT, timeout=120)


def test_every_filter_runs_once_in_the_stated_order():
    on_disk = sorted(p.stem for p in (ROOT / "filters").glob("*.py") if p.stem != "__init__")
    listed = [m.__name__.rsplit(".", 1)[1] for m in filters.PIPELINE]
    assert sorted(listed) == on_disk  # a new filter module must be put in the list
    assert listed == ["untrusted", "comments", "metadata", "approvals", "alerts", "tasks",
                      "formulas", "images", "diagrams", "links", "tables", "toc"]


@pytest.mark.parametrize("path", FILTERS, ids=lambda p: p.stem)
def test_filter_runs_standalone(path):
    proc = _pandoc("-F", str(path), "-s", src=EXAMPLES / "EP-010-offline-archive-format.md")
    assert proc.returncode == 0, proc.stderr
    assert "Offline Archive Format" in proc.stdout


def test_metadata_filter_standalone_inserts_the_table():
    proc = _pandoc("-F", str(ROOT / "filters" / "metadata.py"), "-s",
                   src=EXAMPLES / "EP-011-proposal-catalog.md")
    assert proc.returncode == 0, proc.stderr
    html = proc.stdout
    assert '<div id="metadata" class="ep-metadata">' in html
    assert "Draft (Prototype Available)" in html
    assert "<title>EP-011: Proposal Catalog</title>" in html
    assert "<li><strong>Status</strong>" not in html
