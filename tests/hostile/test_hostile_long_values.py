"""Values longer than a format allows: shortened where the format has a limit (DOCX core
properties hold 255 characters), whole in the document itself."""

from __future__ import annotations

import docx
from pypdf import PdfReader

from epdoc.pipeline.render.docx.writer import PROPERTY_MAX, fits

from helpers import run_epdoc

TITLE = "A title that goes on " + " ".join(f"word{i}" for i in range(60))  # over 300 chars
AUTHORS = ", ".join(f"Author Number {i}" for i in range(30))


def test_fits_cuts_on_a_word_with_an_ellipsis():
    assert fits("short") == "short"
    cut = fits(TITLE)
    assert len(cut) <= PROPERTY_MAX and cut.endswith("…")
    assert TITLE.startswith(cut[:-1].rstrip())
    assert len(fits("x" * 400)) == PROPERTY_MAX


def test_a_long_title_and_author_list_convert_to_every_format(tmp_path):
    assert len(TITLE) > 300 and len(AUTHORS) > 255
    (tmp_path / "EP-970-long.md").write_text(
        f"# EP-970: {TITLE}\n\n**Status**: Draft\n**Authors**: {AUTHORS}\n"
        "**Created**: 2026-01-02\n\n## Summary\n\nText.\n")
    proc = run_epdoc("build", "EP-970-long.md", "-o", "out", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert "internal error" not in proc.stderr and "Traceback" not in proc.stderr
    d = docx.Document(str(tmp_path / "out" / "EP-970-long.docx"))
    props = d.core_properties
    assert len(props.title) <= PROPERTY_MAX and props.title.endswith("…")
    assert len(props.author) <= PROPERTY_MAX
    body = "\n".join(p.text for p in d.paragraphs)
    assert "word59" in body  # the whole title is in the document
    html = (tmp_path / "out" / "EP-970-long.html").read_text()
    assert f"EP-970: {TITLE}" in html
    pdf = PdfReader(str(tmp_path / "out" / "EP-970-long.pdf"))
    assert "word59" in pdf.metadata.title
    assert "word59" in pdf.pages[0].extract_text().replace("\n", " ")
