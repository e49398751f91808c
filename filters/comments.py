#!/usr/bin/env python3
"""Strip HTML comments (SPDX headers, notes to reviewers) from the document."""

import re

import panflute as pf

COMMENT_RE = re.compile(r"<!--.*?(-->|$)", re.DOTALL)


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
    return pf.run_filter(action, doc=doc)


if __name__ == "__main__":
    main()
