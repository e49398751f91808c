"""Accessible HTML: what pandoc's HTML lacks for a screen reader or a keyboard, added to the
sanitized body (for the HTML page and the PDF made from it). Header cells say what they head
(`scope`); the contents are a `nav` landmark; a diagram too wide for the page, which
scrolls, can be reached and scrolled with the keyboard; the empty anchors pandoc gives each
code line are out of the tab order."""

from __future__ import annotations

import re

TOKEN = re.compile(r"<(/?)(thead|th)\b([^>]*)>", re.IGNORECASE)
DIV = re.compile(r"<(/?)div\b[^>]*>", re.IGNORECASE)
TOC = '<div id="toc" class="toc">'
CODE_ANCHOR = re.compile(r'<a href="#(cb\d+-\d+)" aria-hidden="true">')
WIDE = re.compile(r'<div class="diagram wide">')


def table_scopes(body: str) -> str:
    """Every <th> without a scope gets one: "col" inside <thead>, else "row"."""
    depth = 0

    def mark(m: re.Match) -> str:
        nonlocal depth
        closing, tag, attrs = m.group(1), m.group(2).lower(), m.group(3)
        if tag == "thead":
            depth += -1 if closing else 1
            return m.group(0)
        if closing or re.search(r"\bscope\s*=", attrs, re.IGNORECASE):
            return m.group(0)
        scope = "col" if depth > 0 else "row"
        return f'<th scope="{scope}"{attrs}>'

    return TOKEN.sub(mark, body)


def toc_nav(body: str) -> str:
    """The generated contents (filters/toc.py) as <nav aria-label="Contents">."""
    start = body.find(TOC)
    if start < 0:
        return body
    depth = 0
    for m in DIV.finditer(body, start):
        depth += -1 if m.group(1) else 1
        if depth == 0:
            return (body[:start] + '<nav id="toc" class="toc" aria-label="Contents">'
                    + body[start + len(TOC):m.start()] + "</nav>" + body[m.end():])
    return body


def keyboard(body: str) -> str:
    body = CODE_ANCHOR.sub(r'<a href="#\1" aria-hidden="true" tabindex="-1">', body)
    count = iter(range(1, len(WIDE.findall(body)) + 1))
    return WIDE.sub(lambda _m: f'<div class="diagram wide" tabindex="0" role="region" '
                    f'aria-label="Wide diagram {next(count)}, scrolls sideways">', body)


def accessible(body: str) -> str:
    """All of the above, on a sanitized body."""
    return keyboard(toc_nav(table_scopes(body)))
