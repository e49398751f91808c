"""What keeps the quick paths quick: an up-to-date build does nothing but hash (no writer,
filter, pandoc or mermaid is even imported), the memos it reads are keyed so that a change is
never missed, and the DOCX's fonts are subset by HarfBuzz with the same glyphs as fontTools."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import sys

from helpers import EPDOC, EXAMPLES, ROOT

HEAVY = ("weasyprint", "panflute", "epdoc.filters", "epdoc.pipeline.render", "yaml", "lxml",
         "PIL", "fontTools", "mermaidx", "pypandoc", "multiprocessing", "importlib.metadata",
         "epdoc.pipeline.batch.pool")


def _imported(args, env, cwd) -> set[str]:
    """The modules a command imports (python -X importtime)."""
    proc = subprocess.run([sys.executable, "-X", "importtime", *EPDOC[1:], *args], env=env,
                          cwd=cwd, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr[-2000:]
    names = {line.rsplit("|", 1)[-1].strip() for line in proc.stderr.splitlines()
             if line.startswith("import time:")}
    return names


def test_an_up_to_date_build_imports_no_writer_and_starts_no_pandoc(tmp_path):
    src = tmp_path / "proposals"
    shutil.copytree(EXAMPLES, src)
    env = {**os.environ, "EPDOC_CACHE": str(tmp_path / "user")}
    env.pop("GITHUB_ACTIONS", None)
    args = ["build", "proposals", "-o", "build", "-q", "--report", "report.json"]  # as users
    first = subprocess.run([*EPDOC, *args], env=env, cwd=tmp_path, capture_output=True,
                           text=True, timeout=600)
    assert first.returncode == 0, first.stderr[-2000:]
    # CI may keep the output folder (and its build cache) but no user cache: the memos the
    # up-to-date check needs are kept in the build cache too
    names = _imported(args, {**env, "EPDOC_CACHE": str(tmp_path / "a-fresh-user-cache")},
                      tmp_path)
    import json

    report = json.loads((tmp_path / "report.json").read_text())
    assert report["counts"]["up-to-date"] == len(report["documents"]) > 0
    heavy = sorted(n for n in names if n.startswith(HEAVY))
    assert heavy == [], heavy
    # one changed proposal is converted again: the memos missed nothing
    changed = next(src.glob("EP-010*.md"))
    changed.write_text(changed.read_text() + "\nOne more sentence.\n")
    again = subprocess.run([*EPDOC, *args], env=env, cwd=tmp_path, capture_output=True,
                           text=True, timeout=600)
    assert again.returncode == 0, again.stderr[-2000:]
    report = json.loads((tmp_path / "report.json").read_text())
    converted = [d["source"] for d in report["documents"] if d["status"] == "converted"]
    assert [os.path.basename(c) for c in converted] == [changed.name]


def test_lint_output_alone_loads_no_rule():
    code = ("import sys; from epdoc.pipeline.lint import output; "
            "print(sorted(m for m in sys.modules if m.startswith(('epdoc.filters', "
            "'epdoc.pipeline.lint.run', 'panflute'))))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         cwd=ROOT, timeout=120)
    assert out.stdout.strip() == "[]", out.stdout + out.stderr
    from epdoc.pipeline import lint

    assert callable(lint.lint) and callable(lint.check)  # still there, loaded on first use


def test_a_folder_digest_changes_with_any_file_and_only_then(tmp_path, monkeypatch):
    from epdoc.pipeline.config import folders

    monkeypatch.setenv("EPDOC_CACHE", str(tmp_path / "user"))
    root = tmp_path / "theme"
    (root / "fonts").mkdir(parents=True)
    (root / "a.css").write_text("p { color: red }")
    (root / "fonts" / "x.ttf").write_bytes(b"font")
    first = folders.digest(root)
    assert folders.digest(root) == first
    folders._memo.clear()
    assert folders.digest(root) == first  # from the user cache
    (root / "a.css").write_text("p { color: blue }")  # same size, another time
    assert folders.digest(root) != first
    (root / "b.css").write_text("")
    assert len({first, folders.digest(root)}) == 2
    assert folders.digest(root, (".ttf",)) != folders.digest(root)


def test_the_environment_memo_is_taken_only_for_the_same_installation(tmp_path, monkeypatch):
    from epdoc.pipeline.batch import cache

    monkeypatch.setenv("EPDOC_CACHE", str(tmp_path / "user"))
    versions = cache.environment()
    assert versions["pandoc"] and versions["libraries"]["weasyprint"] != "-"
    memo = tmp_path / "user" / "environment.json"
    data = memo.read_text()
    memo.write_text(data.replace(versions["pandoc"], "0.0-from-elsewhere"))
    assert cache.environment()["pandoc"] == "0.0-from-elsewhere"  # the same installation
    monkeypatch.setattr(cache, "_installed", lambda: "another installation")
    assert cache.environment()["pandoc"] == versions["pandoc"]  # found again


def test_docx_fonts_subset_by_harfbuzz_keep_the_glyphs_fonttools_kept(tmp_path, monkeypatch):
    from fontTools.ttLib import TTFont

    from epdoc.pipeline.render.docx import fonts, hbsubset

    monkeypatch.setenv("EPDOC_CACHE", str(tmp_path / "user"))
    data = (ROOT / "styles" / "fonts" / "DejaVuSans.ttf").read_bytes()
    chars = fonts.BASE_CHARS | {ord("→"), ord("€"), ord("∑")}
    made = hbsubset.subset(data, chars)
    assert made is not None, "HarfBuzz's subsetter is installed by make setup"
    monkeypatch.setattr(hbsubset, "subset", lambda *_: None)
    reference = fonts.subset(data, chars)  # fontTools
    a, b = TTFont(io.BytesIO(made)), TTFont(io.BytesIO(reference))
    assert set(a.getBestCmap()) == set(b.getBestCmap()) >= chars & set(
        TTFont(io.BytesIO(data)).getBestCmap())
    assert a["maxp"].numGlyphs == b["maxp"].numGlyphs
    assert {n.nameID for n in a["name"].names} == {n.nameID for n in b["name"].names}
    assert "GPOS" in a and "fpgm" in a  # kerning and hinting kept
    assert len(made) < len(data) / 2


LEAK = """
import novasvg
from epdoc.pipeline.cli.main import main
svg = {svg!r}
held = [novasvg.Document.load_from_file(svg)]
held.append(held)  # a cycle, as a DOCX build in the same process may leave
main(["lint", {proposal!r}])
"""


def test_lint_freezes_at_exit_without_a_leak_report(tmp_path):
    """lint freezes what is left at exit (a quicker exit), but not once a nanobind module
    (novasvg) is loaded: its objects kept by frozen cycles were reported as leaks."""
    svg = next((ROOT / "tests" / "fixtures").rglob("*.svg"))
    proposal = EXAMPLES / "EP-010-offline-archive-format.md"
    proc = subprocess.run([sys.executable, "-c", LEAK.format(svg=str(svg), proposal=str(proposal))],
                          capture_output=True, text=True, timeout=300, cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert "leaked" not in proc.stderr, proc.stderr[-2000:]
