#!/usr/bin/env python3
"""Wide tables fit the page: a table whose text is wider than a line gets column widths from
its content (pandoc's gfm reader gives none) and the class `fixed-columns`, so HTML and PDF lay
it out at the page width (github.css) and DOCX gets a fixed-width table; cells wrap between
words, each column is as wide as its longest word (up to LONGEST_WORD characters), and a word
that still does not fit is hyphenated where the language allows. Narrow tables keep their
natural width.
"""

import panflute as pf

LINE_CHARS = 90  # characters of body text on one line of the printed page
CELL_PAD = 3  # characters of cell padding and border per column
MAX_WEIGHT = 40  # a long cell wraps; it does not take the whole table
SHORT = 10  # content this short is never wrapped
LONGEST_WORD = 24  # a column is at least as wide as its longest word, up to this (a URL breaks)
DENSE_COLUMNS = 7


def _rows(table):
    if table.head:
        yield from table.head.content
    for body in table.content:
        yield from body.content
    if table.foot:
        yield from table.foot.content


def _texts(cell) -> str:
    return pf.stringify(cell).strip()


def widths(table) -> list[float] | None:
    """Relative column widths for a wide table, or None when it fits as it is."""
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
                longest[col] = max(longest[col], len(text))
                word[col] = max([word[col], *(len(w) for w in text.split())])
            col += span
    if sum(longest) + CELL_PAD * n <= LINE_CHARS:
        return None
    header_words = [0] * n
    if table.head:
        for row in table.head.content:
            for i, cell in enumerate(row.content[:n]):
                header_words[i] = max([header_words[i], *(len(w) for w in _texts(cell).split())])
    # every column first gets its header's longest word and up to SHORT characters of content;
    # what is left of the line goes to the long columns, in proportion to their length
    least = [max(header_words[i] * 1.2 + 1, min(longest[i], SHORT),
                 min(word[i], LONGEST_WORD) * 1.1, 3) + CELL_PAD for i in range(n)]
    want = [max(0, min(longest[i], MAX_WEIGHT) + CELL_PAD - least[i]) for i in range(n)]
    room = LINE_CHARS - sum(least)
    if room <= 0 or not sum(want):
        shares = least
    else:
        shares = [least[i] + room * want[i] / sum(want) for i in range(n)]
    total = sum(shares)
    return [w / total for w in shares]


def action(elem, doc):
    if not isinstance(elem, pf.Table):
        return None
    shares = widths(elem)
    if shares is None:
        return None
    elem.colspec = [(align, share) for (align, _), share in zip(elem.colspec, shares, strict=True)]
    elem.classes.append("fixed-columns")
    if len(shares) >= DENSE_COLUMNS:
        elem.classes.append("dense")
    return None


def main(doc=None):
    return pf.run_filter(action, doc=doc)


if __name__ == "__main__":
    main()
