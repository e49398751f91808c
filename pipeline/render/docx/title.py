"""The DOCX's title block is the PDF's: the proposal's id on a line of its own, the title
without it, then the status line and the metadata table (pipeline/render/docx/layout.py).
pandoc's own title block paragraphs (Author, Date) go: the metadata table says them, once."""

from __future__ import annotations

from docx.enum.style import WD_STYLE_TYPE
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt, RGBColor
from docx.text.paragraph import Paragraph

from epdoc.pipeline.config import theme as themes
from epdoc.pipeline.render.docx.reference import docx_fonts, named
from epdoc.pipeline.render.docx.writer import postprocess

ID_STYLE = "Proposal Id"
DROPPED = {"Author", "Date"}  # style ids
LETTER_SPACING = 0.05  # em, as the page's .ep-id


def _style_id(p) -> str | None:
    ppr = p.find(qn("w:pPr"))
    style = ppr.find(qn("w:pStyle")) if ppr is not None else None
    return style.get(qn("w:val")) if style is not None else None


def _id_style(d, theme):
    if (style := named(d, ID_STYLE)) is not None:
        return style
    style = d.styles.add_style(ID_STYLE, WD_STYLE_TYPE.PARAGRAPH)
    style.base_style = d.styles["Normal"]
    size = theme.size("body")
    font = style.font
    font.name = docx_fonts(theme)[0]
    font.size = Pt(size)
    font.bold = True
    font.color.rgb = RGBColor.from_string(theme.color("muted").lstrip("#").upper())
    spacing = OxmlElement("w:spacing")
    spacing.set(qn("w:val"), str(round(LETTER_SPACING * size * 20)))  # twentieths of a pt
    style.element.get_or_add_rPr().append(spacing)
    fmt = style.paragraph_format
    fmt.space_before, fmt.space_after, fmt.keep_with_next = Pt(0), Pt(0), True
    return style


@postprocess
def title_block(d, document, options) -> None:
    body = d.element.body
    title = None
    for p in list(body)[:12]:  # the title block: up to the metadata table
        if p.tag != qn("w:p"):
            break
        sid = _style_id(p)
        if sid in DROPPED:
            body.remove(p)
        elif sid == "Title" and title is None:
            title = p
    if title is None:
        return
    rec = document.record
    for child in list(title):
        if child.tag in (qn("w:r"), qn("w:hyperlink")):
            title.remove(child)
    Paragraph(title, d._body).add_run(rec.title or document.title)
    if rec.id:
        el = OxmlElement("w:p")
        title.addprevious(el)
        line = Paragraph(el, d._body)
        line.style = _id_style(d, themes.load(options.theme))
        line.add_run(rec.id)
