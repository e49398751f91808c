"""Page numbers of a contents page: right on every contents page, the same pages as
WeasyPrint's own repagination gives, and the contents page laid out twice, not three times
(pipeline/render/pdf/repaginate.py)."""

import re

import pytest
import weasyprint
from weasyprint.layout import page as wp_page

from epdoc.pipeline.render.pdf import repaginate

from helpers import run_epdoc
from helpers.pdf import outline
from helpers.readers import pdf_pages

CSS = """
@page { size: A5; margin: 2cm;
        @bottom-center { content: "Page " counter(page) " of " counter(pages); } }
.toc a { display: block; }
.toc a::after { content: leader(" . ") target-counter(attr(href), page); }
.mixed a::after {
  content: " (section " counter(sec) ", page " target-counter(attr(href), page) ")"; }
h2 { counter-increment: sec; }
"""


def _html(sections: int) -> str:
    toc = "".join(f'<a href="#s{i}">Section {i}</a>' for i in range(sections))
    mixed = "".join(f'<a href="#s{i}">see {i}</a> ' for i in range(0, sections, 7))
    body = "".join(f'<h2 id="s{i}">Section {i}</h2>' + "<p>Text of the section.</p>" * (i % 5)
                   for i in range(sections))
    return (f'<html><head><style>{CSS}</style></head><body><h1>Title</h1>'
            f'<nav class="toc">{toc}</nav><p class="mixed">{mixed}</p>{body}</body></html>')


def _render(html: str, patched: bool, tmp_path, name: str):
    """(text of each page, how many times each page index was laid out)"""
    made = []
    stock = wp_page.remake_page

    def counted(index, *args, **kwargs):
        made.append(index)
        return stock(index, *args, **kwargs)

    repaginate.install(patched)
    wp_page.remake_page = counted
    try:
        target = tmp_path / f"{name}.pdf"
        weasyprint.HTML(string=html).write_pdf(target)
    finally:
        wp_page.remake_page = stock
        repaginate.install(True)
    return pdf_pages(target), made


@pytest.mark.parametrize("sections", [4, 60])
def test_same_pages_as_weasyprint_with_one_layout_less(tmp_path, sections):
    html = _html(sections)
    stock_pages, stock_made = _render(html, False, tmp_path, "stock")
    pages, made = _render(html, True, tmp_path, "patched")
    assert pages == stock_pages
    assert made.count(0) == 2 and stock_made.count(0) == 3
    # every number is the page its section starts on, on every contents page
    starts = {}
    for number, text in enumerate(pages, 1):
        for i in re.findall(r"^Section (\d+)$", text, re.M):
            starts.setdefault(int(i), number)
    text = "\n".join(pages)
    listed = {int(i): int(p) for i, p in re.findall(r"Section (\d+)[ .]+?(\d+)$", text, re.M)}
    assert listed == starts and len(listed) == sections
    # own counters beside a target counter keep WeasyPrint's handling (pages equal above)
    flat = " ".join(text.split())
    assert len(re.findall(r"\(section \d+, page \d+\)", flat)) == len(range(0, sections, 7))


def test_a_long_proposal_lists_the_right_page_on_each_contents_page(tmp_path):
    """Built as users run it: the contents of 45 sections take two pages, and each entry
    names the page its bookmark opens."""
    folder = tmp_path / "proposals"
    folder.mkdir()
    sections = "\n".join(f"## Part {i}\n\n" + "A paragraph of the part.\n\n" * (i % 4)
                         for i in range(45))
    (folder / "EP-040-long.md").write_text(
        "# EP-040: Long proposal\n\n**Status**: Draft\n**Authors**: @a\n"
        "**Created**: 2026-01-02\n\n" + sections)
    proc = run_epdoc("build", "proposals", "--to", "pdf", "-o", "build", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    path = tmp_path / "build" / "EP-040-long.pdf"
    marks = {t: p + 1 for _, t, p in outline(path)}
    text = " ".join(" ".join(pdf_pages(path)[:3]).split())
    listed = {f"Part {i}": int(n) for i, n in re.findall(r"Part (\d+) ?\.[. ]*(\d+)", text)}
    assert len(listed) == 45
    assert listed == {t: p for t, p in marks.items() if t.startswith("Part ")}
    assert max(listed.values()) > 3
