"""The DOCX reference document, generated from the theme (fonts, colors, sizes)."""

from __future__ import annotations

import functools
import io
import os
import tempfile
from pathlib import Path

import docx
from docx.enum.style import WD_STYLE_TYPE
from docx.oxml.ns import qn
from docx.shared import Pt, RGBColor
from fontTools.ttLib import TTFont

from . import atomic, pandoc

HEADINGS = {1: "h1", 2: "h2", 3: "h3", 4: "h4", 5: "h4", 6: "h4"}


@functools.cache
def family_name(path: Path) -> str:
    """The family name inside a font file (what Word shows)."""
    name = TTFont(str(path), lazy=True)["name"]
    return name.getDebugName(16) or name.getDebugName(1)


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


def _style(d, name, kind=WD_STYLE_TYPE.PARAGRAPH):
    for style in d.styles:
        if style.name == name:
            return style
    return d.styles.add_style(name, kind)


def build(theme) -> bytes:
    """A reference.docx for this theme, from pandoc's default one."""
    base = pandoc.run(["--print-default-data-file", "reference.docx"], b"")
    d = docx.Document(io.BytesIO(base))
    body, mono = docx_fonts(theme)
    text, heading = theme.color("text"), theme.color("heading")
    for name in ("Normal", "Body Text", "First Paragraph", "Compact", "Block Text",
                 "Footnote Text", "Table Caption", "Image Caption", "Caption"):
        _font(_style(d, name), body, theme.size("body") if name != "Footnote Text"
              else theme.size("small"), text)
    for name in ("Image Caption", "Table Caption", "Caption"):
        _font(_style(d, name), color=theme.color("muted"), size=theme.size("small"))
    _font(_style(d, "Title"), body, theme.size("title"), heading, True)
    _font(_style(d, "Subtitle"), body, theme.size("h3"), theme.color("muted"))
    for name in ("Author", "Date", "Abstract"):
        _font(_style(d, name), body, theme.size("body"), theme.color("muted"))
    for level, token in HEADINGS.items():
        _font(_style(d, f"Heading {level}"), body, theme.size(token), heading, True)
    _font(_style(d, "Source Code"), mono, theme.size("code"), text)
    _font(_style(d, "Verbatim Char", WD_STYLE_TYPE.CHARACTER), mono, theme.size("code"))
    _font(_style(d, "Hyperlink", WD_STYLE_TYPE.CHARACTER), color=theme.color("link"))
    _font(_style(d, "Table", WD_STYLE_TYPE.TABLE), body, theme.size("body") * 0.95, text)
    out = io.BytesIO()
    d.save(out)
    return out.getvalue()


def cache_dir() -> Path:
    root = os.environ.get("EPDOC_CACHE") or os.environ.get("XDG_CACHE_HOME") \
        or os.path.join(os.path.expanduser("~"), ".cache")
    base = Path(root) if os.environ.get("EPDOC_CACHE") else Path(root) / "epdoc"
    try:
        base.mkdir(parents=True, exist_ok=True)
        return base
    except OSError:
        return Path(tempfile.gettempdir()) / "epdoc-cache"


def path_for(theme) -> Path:
    """The reference.docx for `theme`, built once per theme content."""
    target = cache_dir() / f"reference-{theme.digest}.docx"
    if not target.exists():
        atomic.write_bytes(target, build(theme))
    return target
