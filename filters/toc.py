#!/usr/bin/env python3
"""A table of contents, as links to the headings, right after the metadata table (a
proposal's own, a `Table of Contents` heading with only a list of links, is not printed
twice)."""

import re

import panflute as pf

DEPTH = 3
TITLE_RE = re.compile(r"^\s*(table of contents|contents|toc)\s*:?\s*$", re.IGNORECASE)


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


def _links_only(block) -> bool:
    """A list whose items are only links to headings (`- [Summary](#summary)`), nested."""
    if not isinstance(block, (pf.BulletList, pf.OrderedList)) or not block.content:
        return False
    for item in block.content:
        first, *rest = item.content
        if not isinstance(first, (pf.Plain, pf.Para)):
            return False
        inlines = [e for e in first.content if not isinstance(e, (pf.Space, pf.SoftBreak))]
        if len(inlines) != 1 or not isinstance(inlines[0], pf.Link) \
                or not inlines[0].url.startswith("#"):
            return False
        if not all(_links_only(b) for b in rest):
            return False
    return True


def drop_own(doc) -> str | None:
    """A proposal's own table of contents (a heading such as `## Table of Contents` followed
    only by a list of links to its headings) goes: epdoc prints its own, under that heading's
    words (returned)."""
    blocks = doc.content
    for i, block in enumerate(blocks):
        if isinstance(block, pf.Header) and TITLE_RE.match(pf.stringify(block)):
            end = i + 1
            while end < len(blocks) and _links_only(blocks[end]):
                end += 1
            after = blocks[end] if end < len(blocks) else None
            # a heading left with no list (its generated one went with its <!-- toc -->
            # markers) goes too
            empty = end == i + 1 and isinstance(after, pf.Header) and after.level <= block.level
            if (end > i + 1 or empty) and (after is None or isinstance(after, pf.Header)):
                del blocks[i:end]
                return pf.stringify(block).strip().rstrip(":")
            return None
    return None


def prepare(doc):
    label = drop_own(doc) or "Contents"
    entries = _entries(doc)
    if len(entries) < 2:
        return
    toc = pf.Div(pf.Para(pf.Strong(pf.Str(label))), _nest(entries),
                 identifier="toc", classes=["toc"])
    at = 0
    for i, block in enumerate(doc.content[:3]):
        if isinstance(block, pf.Div) and (block.identifier == "metadata"
                                          or "ep-approvals" in block.classes):
            at = i + 1  # after the metadata table and the approvals, when there are some
    doc.content.insert(at, toc)


def main(doc=None):
    return pf.run_filter(lambda e, d: None, prepare=prepare, doc=doc)


if __name__ == "__main__":
    main()
