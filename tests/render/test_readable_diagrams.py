"""Diagrams stay readable (issue 20, item 4): no label printed under the theme's diagram-min
(6 pt); a diagram that would be smaller goes on a landscape page of its own, or in parts, in
PDF and DOCX; the HTML shows it whole at full size, scrolling."""

from __future__ import annotations

import re
import shutil
import subprocess

import docx
import pytest
from docx.enum.section import WD_ORIENT

from epdoc.pipeline.diagrams import readable

from helpers import FIXTURES, build_fixture
from helpers.pdf import text_sizes
from helpers.readers import pdf_pages

WIDE_LABELS = ["Client request arrives", "Authenticate the caller", "Load the tenant quota",
               "Check the rate limit", "Route to the shard", "Run the export job",
               "Compress the output", "Upload to storage", "Notify the subscriber",
               "Record the audit entry", "Done"]
ACTORS = ["Kubelet", "API Server", "Scheduler", "Controller Manager", "Etcd",
          "Container Runtime", "Network Plugin", "Storage Plugin", "gRPC Probe Endpoint"]
STAGES = [f"Stage {i} check" for i in range(7)]


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    return build_fixture(tmp_path_factory, "diagrams")


def _smallest(pages) -> float:
    return min(size for page in pages for size in page)


def test_no_text_in_the_pdfs_is_printed_under_six_points(built):
    for name in ("EP-080-wide", "EP-081-landscape"):
        assert _smallest(text_sizes(built / f"{name}.pdf")) >= 5.95, name


def test_a_diagram_too_wide_even_turned_is_printed_in_parts_with_every_label(built):
    pages = pdf_pages(built / "EP-080-wide.pdf")
    text = " ".join(" ".join(pages).split())
    for label in WIDE_LABELS + ACTORS:
        assert label in text, label
    assert "Part 1 of 3" in text and "Part 3 of 3" in text  # the flowchart
    assert "Part 1 of 2" in text and "Part 2 of 2" in text  # the sequence diagram
    # the small diagram that fits upright is one picture at its size, as before
    assert "Alpha step" in text and "Part 1 of 1" not in text


def test_a_diagram_readable_only_turned_gets_a_landscape_page_of_its_own(built):
    path = built / "EP-081-landscape.pdf"
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(str(path))
    sizes = [pdf[i].get_size() for i in range(len(pdf))]
    pdf.close()
    assert [w > h for w, h in sizes] == [False, True, False]
    pages = pdf_pages(path)
    turned = " ".join(pages[1].split())
    assert all(s in turned for s in STAGES)
    assert "Before the diagram." in pages[0] and "After the diagram." in pages[2]
    # the page furniture and the watermark carry on
    assert "EP-081 · Landscape diagram" in turned and "Page 2 of 3" in turned
    assert "DRAFT" in turned
    assert min(text_sizes(path)[1]) >= 5.95


def test_the_html_keeps_wide_diagrams_whole_and_scrollable(built):
    html = (built / "EP-080-wide.html").read_text()
    divs = re.findall(r'<div class="([^"]*diagram[^"]*)"', html)
    assert divs == ["diagram wide", "diagram wide", "diagram"], divs
    assert "Part 1 of" not in html
    css = (built / "EP-080-wide.html").read_text()
    assert ".diagram.wide { overflow: auto;" in css or "assets/" in css


def test_the_docx_turns_the_page_for_the_landscape_diagram(built):
    d = docx.Document(str(built / "EP-081-landscape.docx"))
    kinds = [s.orientation for s in d.sections]
    assert kinds == [WD_ORIENT.PORTRAIT, WD_ORIENT.LANDSCAPE, WD_ORIENT.PORTRAIT]
    turned = d.sections[1]
    assert turned.page_width > turned.page_height
    text_width = turned.page_width - turned.left_margin - turned.right_margin
    (shape,) = d.inline_shapes
    assert shape.width <= text_width
    # the turned page has the running header and the page footer, like every page
    assert "EP-081" in turned.header.paragraphs[0].text
    assert "Page" in turned.footer.paragraphs[0].text
    # the picture is printed as large as the readable plan says: labels at 6 pt or more
    plan_pt = shape.width / 12700  # EMU -> pt
    assert plan_pt > 482  # wider than the upright text area (170 mm)


def test_the_docx_prints_too_wide_diagrams_in_parts(built):
    d = docx.Document(str(built / "EP-080-wide.docx"))
    labels = [p.text for p in d.paragraphs if p.text.startswith("Part ")]
    assert labels == ["Part 1 of 3", "Part 2 of 3", "Part 3 of 3", "Part 1 of 2", "Part 2 of 2"]
    section = d.sections[0]
    text_width = section.page_width - section.left_margin - section.right_margin
    assert len(d.inline_shapes) == 6 and all(s.width <= text_width for s in d.inline_shapes)


def test_libreoffice_lays_the_docx_out_with_the_turned_page(built, tmp_path):
    shutil.copy(built / "EP-081-landscape.docx", tmp_path)
    subprocess.run(["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path),
                    str(tmp_path / "EP-081-landscape.docx")], capture_output=True, timeout=180,
                   check=True, env={"HOME": str(tmp_path), "PATH": "/usr/bin:/bin"})
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(str(tmp_path / "EP-081-landscape.pdf"))
    sizes = [pdf[i].get_size() for i in range(len(pdf))]
    pdf.close()
    assert [w > h for w, h in sizes] == [False, True, False]


def test_the_plan_in_numbers():
    areas = readable.Areas((482.0, 614.0), (482.0, 694.0), (728.0, 462.0))
    box = (0, 0, 10, 10)
    # labels 10 pt as drawn: fits upright down to 60% of its size
    assert readable.plan((800, 100), 10, areas, 6).kind == "fit"
    tall = readable.plan((400, 1100), 10, areas, 6, viewbox=box)  # 0.63 on a page of its own
    assert tall.kind == "page" and tall.scale == pytest.approx(694 / 1100)
    assert readable.plan((900, 100), 10, areas, 6, viewbox=box).kind == "landscape"
    p = readable.plan((1300, 100), 10, areas, 6, viewbox=box)
    assert p.kind == "split" and p.scale == pytest.approx(0.6) and p.label_pt == 6
    # labels already under 6 pt as drawn are enlarged
    small = readable.plan((100, 50), 4, areas, 6)
    assert small.kind == "fit" and small.scale == pytest.approx(1.5)


def test_the_smallest_label_of_real_diagrams():
    src = (FIXTURES / "corpus" / "EP-001-redfish-support.md").read_text()
    from epdoc.pipeline.core.options import Options
    from epdoc.pipeline.diagrams import draw

    sizes = []
    for block in re.findall(r"```mermaid\n(.*?)```", src, re.S):
        rendered = draw.render(block, Options())
        assert rendered.ok
        sizes.append(readable.label_px(rendered.svg))
    assert 12.0 in sizes and 16.0 in sizes  # C4's descriptions are smaller than labels
