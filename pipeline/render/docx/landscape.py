"""A diagram that needs a page of its own to stay readable (pipeline/diagrams/pictures.py):
"Diagram Page" paragraphs start and end a page; "Diagram Landscape" ones get a landscape
page: a section before it ends the upright pages, and its own section is turned. Runs before
layout.py's page_layout (modules register in name order), which gives every section its
size, header, footer and watermark."""

from __future__ import annotations

import copy

from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt

from epdoc.pipeline.diagrams.pictures import DPI, LANDSCAPE_STYLE, PAGE_STYLE
from epdoc.pipeline.diagrams.readable import OWN_PAGE
from epdoc.pipeline.render.docx.fixups import TABLE_END_STYLE, TABLE_TEXT_SIZES
from epdoc.pipeline.render.docx.reference import named
from epdoc.pipeline.render.docx.writer import postprocess

EMU_PER_INCH = 914400


def _section_end(paragraph, sect_pr) -> None:
    """Make `paragraph` the last of a section laid out as `sect_pr`."""
    ppr = paragraph._p.get_or_add_pPr()
    old = ppr.find(qn("w:sectPr"))
    if old is not None:
        ppr.remove(old)
    ppr.append(sect_pr)


def _turned(sect_pr):
    turned = copy.deepcopy(sect_pr)
    size = turned.find(qn("w:pgSz"))
    if size is None:
        size = OxmlElement("w:pgSz")
        turned.insert(0, size)
    w, h = size.get(qn("w:w")), size.get(qn("w:h"))
    if w and h and int(w) < int(h):
        size.set(qn("w:w"), h)
        size.set(qn("w:h"), w)
    size.set(qn("w:orient"), "landscape")
    kind = turned.find(qn("w:type"))
    if kind is not None:
        turned.remove(kind)
    return turned


def _upright(sect_pr):
    upright = copy.deepcopy(sect_pr)
    kind = upright.find(qn("w:type"))
    if kind is not None:
        upright.remove(kind)
    return upright


def _style(d, name: str):
    style = named(d, name)
    if style is not None:
        style.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
        style.paragraph_format.space_after = Pt(0)
    return style


@postprocess
def diagrams_on_their_own_pages(d, document, options) -> None:
    turned, upright = _style(d, LANDSCAPE_STYLE), _style(d, PAGE_STYLE)
    tables = _style(d, TABLE_END_STYLE)
    body_sect = d.element.body.find(qn("w:sectPr"))
    if (turned is None and upright is None and tables is None) or body_sect is None:
        return
    section = d.sections[-1]
    across = section.page_width - section.left_margin - section.right_margin
    down = section.page_height - section.top_margin - section.bottom_margin
    paragraphs = d.paragraphs
    for i, p in enumerate(paragraphs):
        name = p.style.name if p.style is not None else None
        before = paragraphs[i - 1] if i > 0 else None
        after = paragraphs[i + 1] if i + 1 < len(paragraphs) else None
        if name == PAGE_STYLE:
            p.paragraph_format.page_break_before = True
            if after is not None:
                after.paragraph_format.page_break_before = True
            _full_size(d, p, across, down)
        elif name == TABLE_END_STYLE:  # closes the landscape page of the table before it
            table = p._p.getprevious()
            if table is None or table.tag != qn("w:tbl"):
                continue
            ahead = table.getprevious()
            if ahead is not None and ahead.tag == qn("w:p"):
                ppr = ahead.find(qn("w:pPr"))
                if ppr is None or ppr.find(qn("w:sectPr")) is None:
                    ahead.get_or_add_pPr().append(_upright(body_sect))
            _section_end(p, _turned(body_sect))
            _tiny(p)
        elif name == LANDSCAPE_STYLE:
            if before is not None and (before.style is None
                                       or before.style.name != LANDSCAPE_STYLE):
                _section_end(before, _upright(body_sect))
            _section_end(p, _turned(body_sect))
            _full_size(d, p, down, across)


def _tiny(paragraph) -> None:
    """The paragraph that only ends a section takes next to no room."""
    fmt = paragraph.paragraph_format
    fmt.space_before = fmt.space_after = Pt(0)
    fmt.line_spacing = Pt(1)
    for run in paragraph.runs:
        run.font.size = Pt(1)


def _full_size(d, paragraph, width: int, height: int) -> None:
    """pandoc fits every picture to the upright text width, and github.py to 85% of its
    height; a diagram on a page of its own gets back the size it was drawn for (its PNG is
    DPI dots per inch), within `width` and nearly all of `height` (EMU)."""
    for blip in paragraph._p.iter(qn("a:blip")):
        image = d.part.related_parts[blip.get(qn("r:embed"))].image
        inline = next(a for a in blip.iterancestors() if a.tag == qn("wp:inline"))
        extent = inline.find(qn("wp:extent"))
        cx, cy = int(extent.get("cx")), int(extent.get("cy"))
        if not cx or not cy:
            continue
        want = min(image.px_width / DPI * EMU_PER_INCH, width, height * OWN_PAGE * cx / cy)
        if want > cx:
            new = (str(int(want)), str(round(cy * want / cx)))
            extent.set("cx", new[0])
            extent.set("cy", new[1])
            for ext in inline.iter(qn("a:ext")):
                if ext.get("cx") is not None:
                    ext.set("cx", new[0])
                    ext.set("cy", new[1])



@postprocess
def smaller_table_type(d, document, options) -> None:
    """The cells of a table in smaller type (fixups.TABLE_TEXT_STYLES): the body size times
    the filter's factor, like the PDF's table.dense and table.smallest."""
    from epdoc.pipeline.config import theme as themes

    body = themes.load(options.theme).size("body")
    for name, factor in TABLE_TEXT_SIZES.items():
        style = named(d, name)
        if style is not None:
            compact = named(d, "Compact")
            if compact is not None:
                style.base_style = compact
            style.font.size = Pt(round(body * factor * 2) / 2)
