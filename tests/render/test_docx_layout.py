"""The DOCX as a reviewer opens it: theme styles, running header, page numbers, the status
under the title, a DRAFT watermark on drafts only, banners, a styled metadata table."""

import docx
from docx.oxml.ns import qn

from epdoc.pipeline.config import theme as themes
from epdoc.pipeline.render.docx.reference import docx_fonts

EP001 = "EP-001-redfish-support"
EP003 = "EP-003-GPU-Power-Monitoring"


def header_xml(d) -> str:
    return "".join(s.header._element.xml for s in d.sections)


def fill(el) -> str | None:
    shd = el.find(".//" + qn("w:shd"))
    return shd.get(qn("w:fill")) if shd is not None else None


def test_header_and_footer(corpus_build):
    out, _ = corpus_build
    d = docx.Document(str(out / f"{EP003}.docx"))
    section = d.sections[0]
    assert section.header.paragraphs[0].text == "EP-003 · GPU Power Monitoring\tDraft"
    footer = section.footer.paragraphs[0]
    codes = [t.text.strip() for t in footer._p.iter(qn("w:instrText"))]
    assert codes == ["PAGE", "NUMPAGES"]
    assert footer.text.startswith("Page ") and " of " in footer.text


def test_watermark_only_on_drafts(corpus_build, status_build):
    out, _ = corpus_build
    assert 'string="DRAFT"' in header_xml(docx.Document(str(out / f"{EP003}.docx")))
    for path in (out / f"{EP001}.docx", out / "platform-validation.docx"):
        assert "textpath" not in header_xml(docx.Document(str(path))), path.name
    sout, _ = status_build
    for stem, draft in (("draft-20260110-cache-tiers", True), ("EP-020-event-bus", False),
                        ("EP-021-event-streams", False), ("EP-022-global-locks", False)):
        assert ('string="DRAFT"' in header_xml(docx.Document(str(sout / f"{stem}.docx")))) \
            == draft, stem


def test_status_line_and_banner(status_build):
    out, _ = status_build
    d = docx.Document(str(out / "EP-020-event-bus.docx"))
    names = [(p.style.name, p.text) for p in d.paragraphs[:5]]
    assert names[:2] == [("Proposal Id", "EP-020"), ("Title", "In-process Event Bus")]
    assert names[2][0] == "Status Line" and names[2][1].strip() == "Superseded"
    assert names[3] == ("Status Banner", "Superseded. This proposal is superseded by EP-021.")
    link = d.paragraphs[3]._p.find(qn("w:hyperlink"))
    assert d.part.rels[link.get(qn("r:id"))].target_ref == "EP-021-event-streams.docx"
    accepted = docx.Document(str(out / "EP-021-event-streams.docx"))
    assert "Status Banner" not in {p.style.name for p in accepted.paragraphs}
    rejected = docx.Document(str(out / "EP-022-global-locks.docx"))
    assert [p.text for p in rejected.paragraphs if p.style.name == "Status Banner"] == [
        "Rejected. This proposal was rejected. (replaced by leases in EP-021)"]


def test_styles_follow_the_theme(corpus_build):
    out, _ = corpus_build
    t = themes.load()
    body, mono = docx_fonts(t)
    d = docx.Document(str(out / f"{EP003}.docx"))
    s = d.styles
    assert s["Normal"].font.name == body and s["Normal"].font.size.pt == t.size("body")
    for level, token in ((1, "h1"), (2, "h2"), (3, "h3")):
        h = s[f"Heading {level}"]
        assert str(h.font.color.rgb) == t.color("heading").lstrip("#").upper()
        assert h.font.size.pt == t.size(token) and h.font.bold
        assert h.paragraph_format.keep_with_next
        assert h.paragraph_format.space_before.pt == t.space("heading-above")
    code = s["Source Code"]
    assert code.font.name == mono and code.font.size.pt == t.size("code")
    assert fill(code.element) == t.color("code-background").lstrip("#").upper()
    assert str(s["Image Caption"].font.color.rgb) == t.color("muted").lstrip("#").upper()
    table = s["Table"].element
    assert table.find(".//" + qn("w:tblBorders")).find(qn("w:insideH")).get(qn("w:color")) \
        == t.color("border").lstrip("#").upper()
    first = [e for e in table.findall(qn("w:tblStylePr")) if e.get(qn("w:type")) == "firstRow"]
    assert fill(first[0]) == t.color("table-header").lstrip("#").upper()
    assert s["Header"].font.size.pt == t.size("running")
    w, h = t.page_size()
    assert round(d.sections[0].page_width.mm) == round(w)
    assert round(d.sections[0].left_margin.mm) == round(t.margins()["left"])


def test_metadata_table_is_styled_and_rows_stay_whole(corpus_build):
    out, _ = corpus_build
    t = themes.load()
    d = docx.Document(str(out / f"{EP003}.docx"))
    table = d.tables[0]
    assert [r.cells[0].text for r in table.rows][:2] == ["ID", "Status"]
    for row in table.rows:
        assert fill(row.cells[0]._tc) == t.color("table-header").lstrip("#").upper()
        assert fill(row.cells[1]._tc) is None
    for tr in d.element.body.iter(qn("w:tr")):
        assert tr.find(qn("w:trPr")).find(qn("w:cantSplit")) is not None
