"""Glyph coverage (issue 20, item 8): mathematical letters and symbols real proposals use
come from the theme's fallback fonts in every format; a character no theme font has is a
located glyph-missing warning, in lint and in build."""

from __future__ import annotations

import pdfplumber
import pytest
from docx import Document

from helpers import run_epdoc
from helpers.readers import pdf_text

SOURCE = """# EP-070: Glyphs

- **Status:** Draft
- **Authors:** Ada
- **Created:** 2026-01-01

## Summary

The set 𝒪 of objects, a visible space ␠ and the real line ℝ.

A 中 character no theme font has.

```text
code 𝒪 ␠
```
"""


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    root = tmp_path_factory.mktemp("glyphs")
    (root / "proposals").mkdir()
    (root / "proposals" / "EP-070-glyphs.md").write_text(SOURCE, encoding="utf-8")
    proc = run_epdoc("build", "proposals", "--to", "html,pdf,docx", "-o", "build", cwd=root)
    return root, proc


def _fonts(pdf_path, chars):
    seen: dict[str, set[str]] = {}
    with pdfplumber.open(pdf_path) as pdf:
        for page in pdf.pages:
            for c in page.chars:
                if c["text"] in chars:
                    seen.setdefault(c["text"], set()).add(c["fontname"].split("+")[-1])
    return seen


def test_math_letters_and_symbols_come_from_the_fallback_fonts(built):
    root, proc = built
    assert proc.returncode == 0, proc.stderr
    pdf = root / "build" / "EP-070-glyphs.pdf"
    seen = _fonts(pdf, "𝒪␠")
    assert seen["𝒪"] == {"epdoc-Math"}, seen
    assert seen["␠"] == {"epdoc-Symbols"}, seen
    text = " ".join(pdf_text(pdf).split())
    assert "The set 𝒪 of objects, a visible space ␠ and the real line ℝ." in text
    assert "code 𝒪 ␠" in text


def test_the_html_offers_the_fallback_fonts(built):
    root, _ = built
    html = (root / "build" / "EP-070-glyphs.html").read_text()
    assert '"epdoc Math", "epdoc Symbols"' in html
    for name in ("NotoSansMath-Regular.ttf", "NotoSansSymbols2-Regular.ttf"):
        assert f"assets/fonts/{name}" in html
        assert (root / "build" / "assets" / "fonts" / name).is_file()


def test_the_docx_keeps_the_characters(built):
    root, _ = built
    text = "\n".join(p.text for p in Document(root / "build" / "EP-070-glyphs.docx").paragraphs)
    assert "𝒪" in text and "␠" in text


def test_a_character_no_font_has_is_one_located_warning_in_build(built):
    _, proc = built
    lines = [ln for ln in proc.stderr.splitlines() if "glyph-missing" in ln]
    assert len(lines) == 1, proc.stderr
    assert lines[0].startswith("proposals/EP-070-glyphs.md:11:3: warning glyph-missing "
                               "character U+4E2D")
    assert ".notdef" not in proc.stderr  # WeasyPrint's unlocated message is not repeated


def test_lint_reports_it_too_and_not_what_the_fonts_have(built):
    root, _ = built
    proc = run_epdoc("lint", "proposals/EP-070-glyphs.md", cwd=root)
    found = [ln for ln in proc.stdout.splitlines() + proc.stderr.splitlines()
             if "glyph-missing" in ln]
    assert found == [ln for ln in found if "U+4E2D" in ln] and len(found) == 1, found
    assert "proposals/EP-070-glyphs.md:11:3:" in found[0]


def test_characters_inside_comments_or_written_as_entities(tmp_path):
    src = tmp_path / "EP-071-x.md"
    src.write_text("# EP-071: X\n\n<!-- 中 is not shown -->\n\nAn entity &#x4E01; is shown.\n",
                   encoding="utf-8")
    proc = run_epdoc("lint", src.name, cwd=tmp_path)
    out = proc.stdout + proc.stderr
    assert "U+4E01" in out  # decoded by pandoc, shown to the reader
    assert "U+4E2D" not in out  # only in a comment: nobody sees it
