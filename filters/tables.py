#!/usr/bin/env python3
"""Wide tables fit the page: a table whose text is wider than a line gets column widths from
its content (pandoc's gfm reader gives none) and the class `fixed-columns`, so HTML and PDF lay
it out at the page width (github.css) and DOCX gets a fixed-width table; cells wrap between
words, each column is as wide as its longest word (measured with the theme's body font, up
to LONGEST_WORD ems), and a word
that still does not fit is hyphenated where the language allows. A table whose columns
cannot all be as wide as their longest words gets smaller type (`dense`), else a landscape
page of its own (`landscape-page`: PDF and DOCX). Narrow tables keep their natural width.
"""

import functools

import panflute as pf

from epdoc.pipeline.config import pagebox
from epdoc.pipeline.config import theme as themes
from epdoc.pipeline.config.fonts import advances

# lengths in ems of the body text, measured with the theme's body font
CELL_PAD = 1.4  # cell padding (6 pt each side at 10 pt) and border, per column
MAX_WEIGHT = 22.0  # a long cell wraps; it does not take the whole table
SHORT = 5.5  # content this short is never wrapped
LONGEST_WORD = 16.0  # a column is at least as wide as its longest word, up to this (a URL breaks)
DENSE_COLUMNS = 7
DENSE_SIZE = 0.85  # table.dense type, of the body size (github.css)
SMALLEST_SIZE = 0.72  # table.smallest type (7.2 pt): a table too wide even for that breaks words
SAFETY = 1.04  # what the measure may miss (kerning, hinting)
UNKNOWN = 0.6  # a character the body font lacks


@functools.cache
def _measure(theme_root) -> tuple[dict, dict, float, float]:
    """(regular advances, bold advances, ems on an upright line, ems on a landscape line)."""
    theme = themes.load(theme_root)
    files = theme.font_files(theme.body_font)
    regular = advances(files["regular"])
    bold = advances(files.get("bold", files["regular"]))
    tokens = dict(theme.tokens.get("page", {}))
    w, _h, m = pagebox.text_box_mm(tokens)
    page_w, page_h = pagebox.page_mm(tokens)
    em_mm = theme.size("body") * 25.4 / 72
    return regular, bold, w / em_mm, (page_h - m["left"] - m["right"]) / em_mm


def width(word: str, advances: dict) -> float:
    """`word` in ems of the body font."""
    return sum(advances.get(ord(c), UNKNOWN) for c in word) * SAFETY


def _theme_root(doc):
    ctx = getattr(doc, "epdoc", None) if doc is not None else None
    return getattr(getattr(ctx, "options", None), "theme", None)


def _rows(table):
    if table.head:
        yield from table.head.content
    for body in table.content:
        yield from body.content
    if table.foot:
        yield from table.foot.content


def _texts(cell) -> str:
    return pf.stringify(cell).strip()


def widths(table, doc=None) -> list[float] | None:
    """Relative column widths for a wide table, or None when it fits as it is."""
    planned = plan(table, doc)
    return planned[0] if planned else None


def _room(text: float, n: int, upright: float, turned: float):
    """(ems on a line, ems of padding per column, classes) for a table whose columns' text
    needs `text` ems: the upright line, else smaller type, else a landscape page (with
    smaller type if need be); past that its longest words break. Padding is in points, so
    it takes more ems of smaller type."""
    levels = ((upright, 1.0, []), (upright, DENSE_SIZE, ["dense"]),
              (turned, 1.0, ["landscape-page"]), (turned, DENSE_SIZE, ["landscape-page", "dense"]),
              (turned, SMALLEST_SIZE, ["landscape-page", "smallest"]))
    for line, size, classes in levels:
        if text + n * CELL_PAD / size <= line / size or size == SMALLEST_SIZE:
            return line / size, CELL_PAD / size, classes
    raise AssertionError("unreachable")


def plan(table, doc=None) -> tuple[list[float], list[str]] | None:
    """(relative column widths, classes) for a wide table, or None when it fits as it is."""
    regular, bold, upright, turned = _measure(_theme_root(doc))
    n = len(table.colspec)
    if n == 0 or any(w != "ColWidthDefault" for _, w in table.colspec):
        return None
    longest = [0] * n
    word = [0] * n
    for row in _rows(table):
        col = 0
        for cell in row.content:
            text = _texts(cell)
            span = max(1, cell.colspan)
            if col < n and span == 1:
                longest[col] = max(longest[col], width(text, regular))
                word[col] = max([word[col], *(width(w, regular) for w in text.split())])
            col += span
    if sum(longest) + CELL_PAD * n <= upright:
        return None
    header_words = [0] * n
    if table.head:
        for row in table.head.content:
            for i, cell in enumerate(row.content[:n]):
                header_words[i] = max([header_words[i],
                                       *(width(w, bold) for w in _texts(cell).split())])
    # every column first gets its header's longest word and up to SHORT ems of content;
    # what is left of the line goes to the long columns, in proportion to their length
    least = [max(header_words[i], min(longest[i], SHORT), min(word[i], LONGEST_WORD), 1.5)
             for i in range(n)]
    want = [max(0.0, min(longest[i], MAX_WEIGHT) - least[i]) for i in range(n)]
    line, pad, classes = _room(sum(least), n, upright, turned)
    if sum(least) + n * pad > line:  # too wide even so: short content wraps, words stay whole
        least = [max(header_words[i], min(word[i], LONGEST_WORD), 1.5) for i in range(n)]
    least = [x + pad for x in least]
    room = line - sum(least)
    if room <= 0 or not sum(want):
        shares = least
    else:
        shares = [least[i] + room * want[i] / sum(want) for i in range(n)]
    total = sum(shares)
    return [w / total for w in shares], classes


def action(elem, doc):
    if not isinstance(elem, pf.Table):
        return None
    planned = plan(elem, doc)
    if planned is None:
        return None
    shares, classes = planned
    elem.colspec = [(align, share) for (align, _), share in zip(elem.colspec, shares, strict=True)]
    elem.classes.append("fixed-columns")
    if len(shares) >= DENSE_COLUMNS and not {"dense", "smallest"} & set(classes):
        classes = [*classes, "dense"]
    elem.classes.extend(classes)
    return None


def main(doc=None):
    return pf.run_filter(action, doc=doc)


if __name__ == "__main__":
    main()
