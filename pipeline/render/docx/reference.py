"""The DOCX reference document, generated from the theme (fonts, colors, sizes)."""

from __future__ import annotations

import functools
import hashlib
import io
from pathlib import Path

import docx
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor
from docx.styles import BabelFish
from docx.styles.style import StyleFactory

from epdoc.pipeline.config.fonts import family_name
from epdoc.pipeline.core import atomic, settings
from epdoc.pipeline.pandoc import runner as pandoc

HEADINGS = {1: "h1", 2: "h2", 3: "h3", 4: "h4", 5: "h4", 6: "h4"}


def docx_fonts(theme) -> tuple[str, str]:
    body = family_name(theme.font_files(theme.body_font)["regular"])
    mono = family_name(theme.font_files(theme.mono_font)["regular"])
    return body, mono


def _rgb(value: str) -> RGBColor:
    return RGBColor.from_string(value.lstrip("#").upper())


def _font(style, name=None, size=None, color=None, bold=None):
    f = style.font
    if name:
        f.name = name
        rpr = style.element.get_or_add_rPr()
        fonts = rpr.find(qn("w:rFonts"))
        if fonts is None:
            fonts = rpr.makeelement(qn("w:rFonts"), {})
            rpr.insert(0, fonts)
        for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
            fonts.set(qn(attr), name)
        for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
            fonts.attrib.pop(qn(attr), None)
    if size:
        f.size = Pt(size)
    if color:
        f.color.rgb = _rgb(color)
    if bold is not None:
        f.bold = bold


def named(d, name: str):
    """The first style of `d` called `name`, or None, as a loop over `d.styles` finds it, by
    one query (not a python-docx object per style). Word's names that python-docx translates
    (Heading 1, Caption, ...) are looked for by that loop."""
    if name in BabelFish.internal_style_names or name in BabelFish.ui_style_names \
            or '"' in name:
        return next((s for s in d.styles if s.name == name), None)
    found = d.styles.element.get_by_name(name)
    return StyleFactory(found) if found is not None else None


def _style(d, name, kind=WD_STYLE_TYPE.PARAGRAPH):
    style = named(d, name)
    return style if style is not None else d.styles.add_style(name, kind)


def _spacing(style, before=None, after=None, line=None, keep_next=None):
    pf = style.paragraph_format
    if before is not None:
        pf.space_before = Pt(before)
    if after is not None:
        pf.space_after = Pt(after)
    if line is not None:
        pf.line_spacing = line
    if keep_next is not None:
        pf.keep_with_next = keep_next


def _child(parent, tag):
    """The child `tag` of `parent`, created empty (an existing one is replaced)."""
    old = parent.find(qn(tag))
    if old is not None:
        parent.remove(old)
    el = OxmlElement(tag)
    parent.append(el)
    return el


def shade(ppr_or_tcpr, fill: str) -> None:
    """A solid background (`fill` as #RRGGBB) on a paragraph or a table cell."""
    shd = _child(ppr_or_tcpr, "w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), fill.lstrip("#").upper())


def borders(parent, tag: str, color: str, sides, size: int = 4, space: int = 0) -> None:
    """Single lines of `size` eighths of a point on `sides` (w:pBdr, w:tblBorders...)."""
    box = _child(parent, tag)
    for side in sides:
        el = OxmlElement(f"w:{side}")
        el.set(qn("w:val"), "single")
        el.set(qn("w:sz"), str(size))
        el.set(qn("w:space"), str(space))
        el.set(qn("w:color"), color.lstrip("#").upper())
        box.append(el)


def _table_style(style, theme) -> None:
    """Thin borders in the theme's border color, padded cells, a shaded bold header row."""
    el = style.element
    tbl_pr = el.find(qn("w:tblPr"))
    if tbl_pr is None:
        tbl_pr = OxmlElement("w:tblPr")
        el.append(tbl_pr)
    borders(tbl_pr, "w:tblBorders", theme.color("border"),
            ("top", "left", "bottom", "right", "insideH", "insideV"))
    pad = round(theme.space("cell-padding") * 20)
    mar = _child(tbl_pr, "w:tblCellMar")
    for side, width in (("top", pad), ("left", 2 * pad), ("bottom", pad), ("right", 2 * pad)):
        m = OxmlElement(f"w:{side}")
        m.set(qn("w:w"), str(width))
        m.set(qn("w:type"), "dxa")
        mar.append(m)
    for old in el.findall(qn("w:tblStylePr")):
        el.remove(old)
    first = OxmlElement("w:tblStylePr")
    first.set(qn("w:type"), "firstRow")
    rpr = OxmlElement("w:rPr")
    rpr.append(OxmlElement("w:b"))
    first.append(rpr)
    tc_pr = OxmlElement("w:tcPr")
    shade(tc_pr, theme.color("table-header"))
    first.append(tc_pr)
    el.append(first)


def _page(d, theme) -> None:
    w, h = theme.page_size()
    m = theme.margins()
    for section in d.sections:
        section.page_width, section.page_height = Mm(w), Mm(h)
        section.top_margin, section.bottom_margin = Mm(m["top"]), Mm(m["bottom"])
        section.left_margin, section.right_margin = Mm(m["left"]), Mm(m["right"])
        section.header_distance = section.footer_distance = Mm(min(m["top"], m["bottom"]) / 2)


def build(theme) -> bytes:
    """A reference.docx for this theme, from pandoc's default one: fonts, colors, sizes and
    spacing of body, headings, code, tables, captions, header and footer; page size."""
    base = pandoc.run(["--print-default-data-file", "reference.docx"], b"")
    d = docx.Document(io.BytesIO(base))
    body, mono = docx_fonts(theme)
    text, heading = theme.color("text"), theme.color("heading")
    para, line = theme.space("paragraph"), theme.size("line-height")
    for name in ("Normal", "Body Text", "First Paragraph", "Compact", "Block Text",
                 "Footnote Text", "Table Caption", "Image Caption", "Caption"):
        _font(_style(d, name), body, theme.size("body") if name != "Footnote Text"
              else theme.size("small"), text)
    _spacing(_style(d, "Normal"), 0, 0, line)
    for name in ("Body Text", "First Paragraph", "Block Text"):
        _spacing(_style(d, name), 0, para, line)
    _spacing(_style(d, "Compact"), 0, para / 4, 1.2)
    for name in ("Image Caption", "Table Caption", "Caption"):
        _font(_style(d, name), color=theme.color("muted"), size=theme.size("small"))
        _spacing(_style(d, name), para / 4, para)
    _spacing(_style(d, "Captioned Figure"), keep_next=True)
    _spacing(_style(d, "Figure"), keep_next=True)
    _spacing(_style(d, "Table Caption"), keep_next=True)
    _font(_style(d, "Title"), body, theme.size("title"), heading, True)
    _spacing(_style(d, "Title"), 0, para / 2, 1.1)
    _font(_style(d, "Subtitle"), body, theme.size("h3"), theme.color("muted"))
    for name in ("Author", "Date", "Abstract"):
        _font(_style(d, name), body, theme.size("body"), theme.color("muted"))
        _spacing(_style(d, name), 0, 2)
    for name in ("Title", "Subtitle", "Author", "Date"):  # a title block, as in HTML and PDF
        _style(d, name).paragraph_format.alignment = WD_ALIGN_PARAGRAPH.LEFT
    for level, token in HEADINGS.items():
        style = _style(d, f"Heading {level}")
        _font(style, body, theme.size(token), heading, True)
        _spacing(style, theme.space("heading-above"), theme.space("heading-below"), 1.15, True)
        style.paragraph_format.keep_together = True
    code = _style(d, "Source Code")
    _font(code, mono, theme.size("code"), text)
    _spacing(code, para / 2, para, 1.2)
    shade(code.element.get_or_add_pPr(), theme.color("code-background"))
    _font(_style(d, "Verbatim Char", WD_STYLE_TYPE.CHARACTER), mono, theme.size("code"))
    _font(_style(d, "Hyperlink", WD_STYLE_TYPE.CHARACTER), color=theme.color("link"))
    _font(_style(d, "Table", WD_STYLE_TYPE.TABLE), body, theme.size("body") * 0.95, text)
    _table_style(_style(d, "Table", WD_STYLE_TYPE.TABLE), theme)
    for name in ("Header", "Footer"):
        style = _style(d, name)
        _font(style, body, theme.size("running"), theme.color("muted"))
        _spacing(style, 0, 0, 1.0)
    banner = _style(d, "Status Banner")
    banner.base_style = _style(d, "Body Text")
    _font(banner, body, theme.size("body"), text)
    _spacing(banner, para / 2, para, line)
    shade(banner.element.get_or_add_pPr(), theme.color("banner-background"))
    badge = _style(d, "Status Line")
    badge.base_style = _style(d, "Normal")
    _font(badge, body, theme.size("small"), theme.color("muted"), True)
    _spacing(badge, 0, para, 1.0)
    _page(d, theme)
    out = io.BytesIO()
    d.save(out)
    return out.getvalue()


@functools.cache
def _code_digest() -> str:
    """This module's own source: a new way of building gives a new reference."""
    return hashlib.sha256(Path(__file__).read_bytes()).hexdigest()[:8]


def path_for(theme) -> Path:
    """The reference.docx for `theme`, built once per theme content (and builder)."""
    target = settings.user_cache() / f"reference-{theme.digest}-{_code_digest()}.docx"
    if not target.exists():
        atomic.write_bytes(target, build(theme))
    return target
