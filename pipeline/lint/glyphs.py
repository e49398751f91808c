"""Glyph coverage: a character that no theme font has is drawn as a box in the PDF (epdoc
never takes glyphs from fonts installed on the machine), so it is reported where it is
written."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator

import panflute as pf

from epdoc.pipeline.config import theme as themes
from epdoc.pipeline.config.fonts import coverage
from epdoc.pipeline.lint.codes import Finding

INVISIBLE = {"Cc", "Cf", "Zl", "Zp"}  # controls, joiners, marks of direction: no glyph drawn
MAX_REPORTED = 20


def _candidates(chars, covered) -> list[str]:
    return [c for c in chars if ord(c) > 0x7E and ord(c) not in covered
            and unicodedata.category(c) not in INVISIBLE and not 0xFE00 <= ord(c) <= 0xFE0F]


def missing(view) -> list[str]:
    """The characters the reader sees that no theme font has, in order of first use."""
    text = "\n".join(view.lines)
    if text.isascii() and "&" not in text:
        return []
    ctx = view.doc.epdoc
    theme = themes.load(getattr(ctx.options, "theme", None))
    covered = coverage(theme.all_font_files())
    written = _candidates(dict.fromkeys(text), covered)
    if not written and "&" not in text:
        return []
    shown = set(pf.stringify(view.doc)) | set(ctx.display_title or "")
    for el in _texts(view.doc):
        shown.update(el)
    return [c for c in _candidates(dict.fromkeys(text + "".join(sorted(shown))), covered)
            if c in shown]


def _texts(doc) -> list[str]:
    found: list[str] = []

    def act(el, _doc):
        if isinstance(el, (pf.Code, pf.CodeBlock, pf.Math)):
            found.append(el.text)

    doc.walk(act)
    return found


def check(view, config) -> Iterator[Finding]:
    chars = missing(view)
    for char in chars[:MAX_REPORTED]:
        line, col = view.find(char)
        name = unicodedata.name(char, "unnamed")
        yield Finding("glyph-missing", line, col,
                      f"character U+{ord(char):04X} {char} ({name}) is in no theme font, so "
                      "readers see a box; write it another way, or add a font that has it to "
                      "the theme's [fonts] fallback")
    if len(chars) > MAX_REPORTED:
        yield Finding("glyph-missing", None, None,
                      f"{len(chars) - MAX_REPORTED} more characters are in no theme font")
