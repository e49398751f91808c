#!/usr/bin/env python3
"""A table of contents, as links to the headings, right after the metadata table."""

import panflute as pf

DEPTH = 3


def _entries(doc):
    heads = [b for b in doc.content if isinstance(b, pf.Header) and b.identifier]
    if not heads:
        return []
    top = min(h.level for h in heads)
    return [(h.level - top, h) for h in heads if h.level - top < DEPTH - 1 or h.level == top]


def _nest(entries):
    """Nested bullet list from (depth, header) pairs."""
    items, i = [], 0
    while i < len(entries):
        depth, head = entries[i]
        j = i + 1
        while j < len(entries) and entries[j][0] > depth:
            j += 1
        link = pf.Link(pf.Str(pf.stringify(head)), url=f"#{head.identifier}")
        blocks = [pf.Plain(link)]
        if j > i + 1:
            blocks.append(_nest(entries[i + 1:j]))
        items.append(pf.ListItem(*blocks))
        i = j
    return pf.BulletList(*items)


def prepare(doc):
    entries = _entries(doc)
    if len(entries) < 2:
        return
    toc = pf.Div(pf.Para(pf.Strong(pf.Str("Contents"))), _nest(entries),
                 identifier="toc", classes=["toc"])
    at = 0
    for i, block in enumerate(doc.content):
        if isinstance(block, pf.Div) and block.identifier == "metadata":
            at = i + 1
            break
    doc.content.insert(at, toc)


def main(doc=None):
    return pf.run_filter(lambda e, d: None, prepare=prepare, doc=doc)


if __name__ == "__main__":
    main()
