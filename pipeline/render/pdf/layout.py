"""Print layout marks on the AST copy the PDF is made from: bookmark levels relative to the
document's top heading level, and short code blocks kept on one page."""

from __future__ import annotations

import panflute as pf

from epdoc.pipeline.core import tree

KEEP_LINES = 14  # code blocks up to this many lines never split across pages


def headers(doc) -> list[pf.Header]:
    return tree.elements(doc, pf.Header)


def prepare(doc, offset: int = 0) -> None:
    """`offset` moves every bookmark down (1 in a packet, under the proposal's title)."""
    heads = headers(doc)
    top = min((h.level for h in heads), default=1)
    for h in heads:
        h.classes.append(f"bookmark-{min(h.level - top + 1 + offset, 6)}")

    def keep(elem, _doc):
        if isinstance(elem, pf.CodeBlock) and elem.text.count("\n") < KEEP_LINES:
            elem.classes.append("keep")

    doc.walk(keep)
