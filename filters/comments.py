#!/usr/bin/env python3
"""Strip HTML comments (SPDX headers, notes to reviewers) from the document, and a table of
contents a tool generated between `<!-- toc -->` and `<!-- /toc -->` (KEPs keep one): epdoc
prints its own."""

import re

import panflute as pf

COMMENT_RE = re.compile(r"<!--.*?(-->|$)", re.DOTALL)
TOC_OPEN_RE = re.compile(r"^\s*<!--\s*toc\s*-->\s*$", re.IGNORECASE)
TOC_CLOSE_RE = re.compile(r"^\s*<!--\s*/toc\s*-->\s*$", re.IGNORECASE)
TOC_BLOCKS = (pf.BulletList, pf.OrderedList, pf.Para, pf.Plain)  # what a generated one holds


def _marker(block, pattern) -> bool:
    return isinstance(block, pf.RawBlock) and block.format == "html" \
        and bool(pattern.match(block.text))


def own_toc(blocks) -> tuple[int, int] | None:
    """(start, end) of the first generated table of contents among `blocks`: its markers
    and the lists between them; None when there is none (or it holds anything else)."""
    for i, block in enumerate(blocks):
        if not _marker(block, TOC_OPEN_RE):
            continue
        for j in range(i + 1, len(blocks)):
            if _marker(blocks[j], TOC_CLOSE_RE):
                return i, j + 1
            if not isinstance(blocks[j], TOC_BLOCKS):
                return None
        return None
    return None


def prepare(doc):
    found = own_toc(doc.content)
    if found is not None:
        del doc.content[found[0]:found[1]]


def action(elem, doc):
    if isinstance(elem, (pf.RawBlock, pf.RawInline)) and elem.format == "html":
        text = COMMENT_RE.sub("", elem.text)
        if text == elem.text:
            return None
        if not text.strip():
            return []
        elem.text = text
    return None


def main(doc=None):
    return pf.run_filter(action, prepare=prepare, doc=doc)


if __name__ == "__main__":
    main()
