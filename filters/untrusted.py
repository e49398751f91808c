#!/usr/bin/env python3
"""A proposal is untrusted input: before any other filter runs, drop raw content meant for
a writer other than HTML (OpenXML, LaTeX, ...: the HTML that stays is sanitized later) and
turn links with a dangerous scheme (javascript:, vbscript:, data:, file:, UNC paths) into
their plain text, in every format."""

import re

import panflute as pf

from epdoc.pipeline.core import context

RAW_KEPT = {"html"}
SCHEMES = {"http", "https", "mailto", "ftp"}
SCHEME_RE = re.compile(r"^([a-z][a-z0-9+.-]*):")
INVISIBLE_RE = re.compile(r"[\x00-\x20\x7f-\x9f\u200b-\u200f\u2028\u2029\ufeff]")


def link_problem(url: str) -> str | None:
    """Why a link target is not allowed, or None. Browsers ignore whitespace and control
    characters inside a scheme (`java\\tscript:`), so they are ignored here too."""
    squeezed = INVISIBLE_RE.sub("", url).lower()
    if squeezed.startswith(("\\\\", "//", "/\\", "\\/")):
        return "a network path"
    m = SCHEME_RE.match(squeezed)
    if m and m.group(1) not in SCHEMES:
        return f"the {m.group(1)}: scheme"
    return None


def action(elem, doc):
    if isinstance(elem, (pf.RawBlock, pf.RawInline)) and elem.format not in RAW_KEPT:
        context.of(doc).report("warning", "raw-dropped",
                               f"raw {elem.format} content dropped (only HTML is kept)", elem)
        return []
    if isinstance(elem, pf.Link):
        why = link_problem(elem.url)
        if why:
            context.of(doc).report("warning", "link-refused",
                                   f"link to {elem.url[:60]!r} shown as text: {why}", elem)
            return pf.Span(*elem.content)
    return None


def main(doc=None):
    return pf.run_filter(action, doc=doc)


if __name__ == "__main__":
    main()
