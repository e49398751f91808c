"""`epdoc build` on real proposals: three formats, nothing lost, the metadata table in each."""

import docx
import pytest
from lxml import html as lxml_html

from epdoc.pipeline.reading.document import load

from helpers import corpus_files
from helpers.readers import docx_text, html_text, missing_words, pdf_pages, pdf_text, squash

FORMATS = ("html", "pdf", "docx")
TEXT = {"html": html_text, "pdf": pdf_text, "docx": docx_text}


def record_values(rec) -> list[str]:
    values = [rec.title, rec.id, rec.status, rec.status_note, rec.maturity, rec.editor,
              rec.created, rec.updated, *rec.authors, *rec.reviewers, *rec.approvers]
    return [v for v in values if v]


def test_corpus_builds_fifteen_files(corpus_build):
    out, proc = corpus_build
    assert proc.returncode == 0, proc.stderr
    built = sorted(p.name for p in out.iterdir() if p.suffix in (".html", ".pdf", ".docx"))
    assert built == sorted(f"{p.stem}.{ext}" for p in corpus_files() for ext in FORMATS)


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("path", corpus_files(), ids=lambda p: p.stem)
def test_corpus_output_has_record_and_every_word(corpus_build, path, fmt):
    out, _ = corpus_build
    text = TEXT[fmt](out / f"{path.stem}.{fmt}")
    rec = load(path).record
    squashed = squash(text)
    for value in record_values(rec):
        assert squash(value) in squashed, f"{value!r} missing from {fmt}"
    assert missing_words(path, text) == []


@pytest.mark.parametrize("fmt", FORMATS)
def test_unseen_proposals_lose_nothing(unseen_build, fmt):
    src, out, proc = unseen_build
    assert proc.returncode == 0, proc.stderr
    for path in sorted(src.glob("*.md")):
        text = TEXT[fmt](out / f"{path.stem}.{fmt}")
        squashed = squash(text)
        for value in record_values(load(path).record):
            assert squash(value) in squashed, (path.name, value)
        assert missing_words(path, text) == [], path.name


def _metadata_rows_html(path):
    tree = lxml_html.fromstring(path.read_bytes())
    main = tree.xpath("//main")[0]
    first = main[0]
    assert first.get("class") == "ep-metadata", "the metadata table comes first after the title"
    assert tree.xpath("//header[@class='title-block']/following-sibling::main")
    return [[c.text_content().strip() for c in tr.xpath("./td|./th")]
            for tr in first.xpath(".//table//tr")]


def _metadata_rows_docx(path):
    d = docx.Document(str(path))
    return [[c.text.strip() for c in row.cells] for row in d.tables[0].rows]


EP003_ROWS = [
    ["ID", "EP-003"],
    ["Status", "Draft (Reference Implementation Available)"],
    ["Maturity", "Experimental"],
    ["Authors", "Vimal Kumar"],
    ["Created", "2025-12-10"],
]


def test_metadata_table_is_a_real_table_in_html_and_docx(corpus_build):
    out, _ = corpus_build
    assert _metadata_rows_html(out / "EP-003-GPU-Power-Monitoring.html") == EP003_ROWS
    assert _metadata_rows_docx(out / "EP-003-GPU-Power-Monitoring.docx") == EP003_ROWS


def test_metadata_table_in_pdf_reads_in_row_order(corpus_build):
    out, _ = corpus_build
    text = pdf_text(out / "EP-003-GPU-Power-Monitoring.pdf")
    flat = " ".join(text.split())
    row_text = " ".join(" ".join(r) for r in EP003_ROWS)
    assert row_text in flat


def test_metadata_block_is_removed_from_the_body(corpus_build):
    out, _ = corpus_build
    text = html_text(out / "EP-001-redfish-support.html")
    assert "Status: Implemented" not in " ".join(text.split())
    tree = lxml_html.fromstring((out / "EP-001-redfish-support.html").read_bytes())
    assert not tree.xpath("//main//li[starts-with(normalize-space(.), 'Status')]")


def test_rows_without_value_are_left_out(corpus_build):
    out, _ = corpus_build
    labels = [r[0] for r in _metadata_rows_docx(out / "EP-001-redfish-support.docx")]
    assert labels == ["ID", "Status", "Maturity", "Authors", "Created", "Updated"]


def test_html_page_has_title_toc_theme_and_images(corpus_build):
    out, _ = corpus_build
    page = out / "EP-003-GPU-Power-Monitoring.html"
    tree = lxml_html.fromstring(page.read_bytes())
    assert tree.findtext(".//title") == "EP-003: GPU Power Monitoring"
    assert tree.xpath("//h1[@class='title']")[0].text_content() == "GPU Power Monitoring"
    toc = tree.xpath("//nav[@id='toc']//a/@href")
    assert "#summary" in toc and all(tree.xpath(f"//*[@id='{h[1:]}']") for h in toc)
    css = tree.xpath("//style")[0].text
    assert "--color-heading" in css and "font-family" in css
    images = tree.xpath("//img/@src")
    assert images and all((out / src).is_file() for src in images)


def test_pdf_has_page_numbers_and_metadata(corpus_build):
    import pypdf

    out, _ = corpus_build
    reader = pypdf.PdfReader(str(out / "EP-001-redfish-support.pdf"))
    n = len(reader.pages)
    assert n > 1
    pages = pdf_pages(out / "EP-001-redfish-support.pdf")
    assert f"Page 1 of {n}" in pages[0]
    assert f"Page {n} of {n}" in pages[-1]
    info = reader.metadata
    assert info.title == "EP-001: Redfish Power Monitoring Support"
    assert info.author == "Sunil Thaha"


def test_docx_styles_and_core_properties(corpus_build):
    out, _ = corpus_build
    d = docx.Document(str(out / "EP-001-redfish-support.docx"))
    p = d.core_properties
    assert p.title == "EP-001: Redfish Power Monitoring Support"
    assert p.author == "Sunil Thaha"
    assert p.created.date().isoformat() == "2025-08-14"
    assert p.modified.date().isoformat() == "2025-09-03"
    assert "EP-001" in p.subject and "Implemented" in p.subject
    styles = {para.style.name for para in d.paragraphs}
    assert {"Title", "Heading 2"} <= styles
    heads = [para.text for para in d.paragraphs if para.style.name == "Heading 2"]
    assert heads[:3] == ["Summary", "Problem", "Goals"]


def test_docx_reference_follows_the_theme(corpus_build):
    from epdoc.pipeline.config import theme
    from epdoc.pipeline.render.docx.reference import docx_fonts

    out, _ = corpus_build
    t = theme.load()
    body, mono = docx_fonts(t)
    d = docx.Document(str(out / "EP-001-redfish-support.docx"))
    assert d.styles["Normal"].font.name == body
    h1 = d.styles["Heading 1"].font
    assert str(h1.color.rgb) == t.color("heading").lstrip("#").upper()
    assert h1.size.pt == t.size("h1")
    assert d.styles["Source Code"].font.name == mono


def test_examples_build(examples_build):
    out, proc = examples_build
    assert proc.returncode == 0, proc.stderr
    assert len([p for p in out.iterdir() if p.suffix == ".pdf"]) == 3
