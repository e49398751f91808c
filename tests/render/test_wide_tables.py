"""Tables that cannot fit (issue 20, item 5): a table whose columns cannot all be as wide as
their longest words gets smaller type, else a landscape page of its own (PDF and DOCX), so
that no word breaks in the middle."""

from __future__ import annotations

import re
import shutil
import subprocess

import docx
import pypdfium2 as pdfium
import pytest
from docx.enum.section import WD_ORIENT

from helpers import build_fixture, run_epdoc
from helpers.readers import pdf_pages

NAME = "EP-090-wide-table"
WORDS = ["KEPLER_SAMPLING_INTERVAL", "spec.power.samplingInterval", "exporter-controller",
         "reconciliation", "observability"]


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    return build_fixture(tmp_path_factory, "tables")


def _sizes(path):
    pdf = pdfium.PdfDocument(str(path))
    try:
        return [pdf[i].get_size() for i in range(len(pdf))]
    finally:
        pdf.close()


def _whole(text: str, word: str) -> int:
    return len(re.findall(rf"(?<![\w.-]){re.escape(word)}(?![\w.-])", text))


def test_the_pdf_turns_a_page_for_the_table_and_breaks_no_word(built):
    path = built / f"{NAME}.pdf"
    assert [w > h for w, h in _sizes(path)] == [False, True, False]
    pages = pdf_pages(path)
    assert "Before." in pages[0] and "After." in pages[2]
    for word in WORDS:
        assert _whole(pages[1], word) == 6, (word, pages[1])
    assert "EP-090 · Wide table" in pages[1] and "Page 2 of 3" in pages[1]


def test_the_html_table_keeps_its_classes(built):
    html = (built / f"{NAME}.html").read_text()
    assert '<table class="fixed-columns landscape-page smallest">' in html


def test_the_docx_turns_a_section_for_the_table_in_smaller_type(built):
    d = docx.Document(str(built / f"{NAME}.docx"))
    assert [s.orientation for s in d.sections] == \
        [WD_ORIENT.PORTRAIT, WD_ORIENT.LANDSCAPE, WD_ORIENT.PORTRAIT]
    table = d.tables[-1]  # after the metadata table
    styles = {p.style.name for row in table.rows for cell in row.cells for p in cell.paragraphs}
    assert styles == {"Table Text Smallest"}
    assert d.styles["Table Text Smallest"].font.size.pt == 7.0
    turned = d.sections[1]
    assert turned.page_width > turned.page_height


def test_libreoffice_lays_the_docx_table_out_whole_words(built, tmp_path):
    shutil.copy(built / f"{NAME}.docx", tmp_path)
    subprocess.run(["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path),
                    str(tmp_path / f"{NAME}.docx")], capture_output=True, timeout=180,
                   check=True, env={"HOME": str(tmp_path), "PATH": "/usr/bin:/bin"})
    path = tmp_path / f"{NAME}.pdf"
    assert [w > h for w, h in _sizes(path)] == [False, True, False]
    text = pdf_pages(path)[1]
    for word in WORDS:
        assert _whole(text, word) == 6, (word, text)


def test_a_table_that_fits_in_smaller_type_stays_upright(tmp_path):
    cols = ["Gate", "Stage", "Since", "Default", "Owner", "Component", "Notes"]
    row = ["GRPCContainerProbe", "beta", "v1.24", "true", "sig-node", "kubelet",
           "probes over gRPC health checking"]
    md = ("# EP-091: Dense\n\n**Status**: Draft\n\n| " + " | ".join(cols) + " |\n|"
          + "---|" * len(cols) + "\n" + ("| " + " | ".join(row) + " |\n") * 3)
    (tmp_path / "EP-091-dense.md").write_text(md)
    proc = run_epdoc("build", "EP-091-dense.md", "--to", "html,pdf", "-o", "out", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    html = (tmp_path / "out" / "EP-091-dense.html").read_text()
    (classes,) = re.findall(r'<table class="([^"]*)"', html)
    assert classes.split() == ["fixed-columns", "dense"]
    assert all(w < h for w, h in _sizes(tmp_path / "out" / "EP-091-dense.pdf"))
