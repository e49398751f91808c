"""Heading anchors exactly as GitHub makes them.

pandoc's gfm reader makes a heading's identifier from its text with each run of spaces
collapsed into one `-`; GitHub keeps one `-` per space (`## Phase 2:  Beta` is
`#phase-2--beta`). The reader's source positions (`+sourcepos`) say how wide each space run
was, so the identifiers are made again from them, before anything else reads the AST. A
document without such a heading is left as pandoc read it.
"""

from __future__ import annotations

import re
import unicodedata

SUFFIX_RE = re.compile(r"-\d+$")


def slug(text: str) -> str:
    """A heading's anchor before de-duplication, as GitHub (and pandoc's
    gfm_auto_identifiers) make it: lower case, one `-` per space, punctuation dropped."""
    out = []
    for c in text.strip().lower():
        if c.isspace():
            out.append("-")
        elif c.isalnum() or c in "-_" or unicodedata.category(c) in ("Mn", "Mc", "Me", "Pc"):
            out.append(c)
    return "".join(out)


def _width(attrs) -> int:
    """Columns a wrapper span covers on one line (`data-pos` "3:12-3:14" is 2), else 1."""
    pos = dict(attrs).get("data-pos", "")
    m = re.fullmatch(r"(\d+):(\d+)-(\d+):(\d+)", pos)
    if not m or m.group(1) != m.group(3):
        return 1
    return max(1, int(m.group(4)) - int(m.group(2)))


def text(inlines, spaces: bool = True) -> str:
    """Heading text as identifiers are made from it (JSON AST inlines): emoji by name, code
    by its text; with `spaces`, a run of spaces as wide as the source wrote it."""
    out = []
    for node in inlines:
        kind, c = node.get("t"), node.get("c")
        if kind == "Str":
            out.append(c)
        elif kind in ("Space", "SoftBreak", "LineBreak"):
            out.append(" ")
        elif kind in ("Code", "Math", "RawInline"):
            out.append(c[1])
        elif kind == "Span":
            attrs = c[0][2]
            classes = c[0][1]
            if "emoji" in classes:
                out.append(dict(attrs).get("data-emoji", ""))
            elif dict(attrs).get("wrapper") == "1" and len(c[1]) == 1 \
                    and c[1][0].get("t") == "Space":
                out.append(" " * (_width(attrs) if spaces else 1))
            else:
                out.append(text(c[1], spaces))
        elif kind in ("Emph", "Strong", "Strikeout", "Superscript", "Subscript", "SmallCaps",
                      "Underline"):
            out.append(text(c, spaces))
        elif kind in ("Link", "Image"):
            out.append(text(c[1], spaces))
        elif kind in ("Quoted", "Cite"):
            out.append(text(c[1], spaces))
    return "".join(out)


def _headers(node, found: list) -> None:
    if isinstance(node, dict):
        if node.get("t") == "Header":
            found.append(node)
        for v in node.values():
            if isinstance(v, (list, dict)):
                _headers(v, found)
    elif isinstance(node, list):
        for v in node:
            _headers(v, found)


def github_ids(ast: dict) -> None:
    """Make the Header identifiers of `ast` (pandoc JSON, read with sourcepos) GitHub's, in
    place: one `-` per space, duplicates numbered -1, -2 in document order."""
    headers: list = []
    _headers(ast.get("blocks", []), headers)
    wide = [h for h in headers if slug(text(h["c"][2])) != slug(text(h["c"][2], False))]
    if not wide:
        return
    used: dict[str, int] = {}
    for h in headers:
        ident = h["c"][1][0]
        mine = slug(text(h["c"][2], False))
        base = slug(text(h["c"][2]))
        if not base or (ident != mine and SUFFIX_RE.sub("", ident) != mine):
            continue  # not an identifier pandoc made from the text: leave it
        n = used.get(base, 0)
        used[base] = n + 1
        h["c"][1][0] = base if n == 0 else f"{base}-{n}"
