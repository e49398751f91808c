"""DOCX post-processing for GitHub features: alerts as shaded, bordered blocks, task boxes,
centered diagrams. Registered with @postprocess; found with the other writer modules."""

from __future__ import annotations

from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Emu, Pt, RGBColor

from epdoc.filters.alerts import KINDS, TITLE_STYLE
from epdoc.filters.tasks import CHECKED, DONE
from epdoc.pipeline.render.docx.reference import named
from epdoc.pipeline.render.docx.writer import postprocess

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def _set(parent, tag: str, **attrs):
    """The child `tag` of `parent` (created, or emptied if there), with `attrs` set."""
    el = parent.find(qn(tag))
    if el is None:
        el = OxmlElement(tag)
        parent.append(el)
    for child in list(el):
        el.remove(child)
    for key, value in attrs.items():
        el.set(qn(f"w:{key}"), value)
    return el


def _border_box(tbl, color: str, fill: str) -> None:
    """A left bar in `color` on a `fill` background, no other lines."""
    tbl_pr = tbl.tblPr
    borders = _set(tbl_pr, "w:tblBorders")
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        el = OxmlElement(f"w:{side}")
        if side == "left":
            el.set(qn("w:val"), "single")
            el.set(qn("w:sz"), "24")  # eighths of a point: 3pt
            el.set(qn("w:space"), "0")
            el.set(qn("w:color"), color.lstrip("#"))
        else:
            el.set(qn("w:val"), "nil")
        borders.append(el)
    for tc in tbl.iter(qn("w:tc")):
        tc_pr = tc.get_or_add_tcPr()
        _set(tc_pr, "w:shd", val="clear", color="auto", fill=fill.lstrip("#"))
        tc_borders = tc_pr.find(qn("w:tcBorders"))
        if tc_borders is not None:
            tc_pr.remove(tc_borders)
        margins = _set(tc_pr, "w:tcMar")
        for side, width in (("top", "80"), ("bottom", "80"), ("left", "200"), ("right", "160")):
            m = OxmlElement(f"w:{side}")
            m.set(qn("w:w"), width)
            m.set(qn("w:type"), "dxa")
            margins.append(m)


def _kind(table) -> str | None:
    """The alert kind of a one-cell table whose first paragraph is an alert title."""
    try:
        first = table.rows[0].cells[0].paragraphs[0]
    except IndexError:
        return None
    name = first.style.name if first.style is not None else ""
    if not name.startswith(TITLE_STYLE + " "):
        return None
    kind = name[len(TITLE_STYLE) + 1:].lower()
    return kind if kind in KINDS else None


@postprocess
def alert_blocks(d, document, options) -> None:
    for table in d.tables:
        kind = _kind(table)
        if kind is None:
            continue
        _, color, fill = KINDS[kind]
        _border_box(table._tbl, color, fill)
    for kind, (_, color, _) in KINDS.items():
        name = f"{TITLE_STYLE} {kind.capitalize()}"
        style = named(d, name)
        if style is None:
            continue
        style.font.bold = True
        style.font.color.rgb = RGBColor.from_string(color.lstrip("#").upper())
        style.paragraph_format.space_after = Pt(3)
        style.paragraph_format.keep_with_next = True


@postprocess
def task_boxes(d, document, options) -> None:
    """pandoc draws a done task as ☒; GitHub shows a check mark, so ☑."""
    numbering = d.part.numbering_part.element if _has_numbering(d) else None
    if numbering is None:
        return
    for lvl_text in numbering.iter(qn("w:lvlText")):
        if lvl_text.get(qn("w:val")) == DONE:
            lvl_text.set(qn("w:val"), CHECKED)


def _has_numbering(d) -> bool:
    try:
        d.part.numbering_part  # noqa: B018 - raises when the document has no lists
    except (KeyError, NotImplementedError):
        return False
    return True


@postprocess
def centered_diagrams(d, document, options) -> None:
    style = named(d, "Diagram")
    if style is not None:
        style.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
        style.paragraph_format.keep_together = True
        style.paragraph_format.space_after = Pt(8)


@postprocess
def pictures_fit_the_page(d, document, options) -> None:
    """pandoc fits a picture to the width of the page, not its height: a tall one is scaled
    down, keeping its proportions, to 85% of the height between the margins."""
    section = d.sections[0]
    if section.page_height and section.top_margin is not None \
            and section.bottom_margin is not None:
        text_height = section.page_height - section.top_margin - section.bottom_margin
    else:
        from epdoc.pipeline.config import pagebox
        from epdoc.pipeline.config import theme as themes

        text_height = Emu(int(pagebox.text_box_in(themes.load(options.theme))[1] * 914400))
    limit = int(text_height * 0.85)
    for shape in d.inline_shapes:
        if shape.height and shape.height > limit:
            shape.width = Emu(int(shape.width * limit / shape.height))
            shape.height = Emu(limit)
