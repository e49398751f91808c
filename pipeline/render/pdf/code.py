"""Highlighted code made cheap for WeasyPrint to lay out (PDF only).

pandoc writes each code line as `<span id="cb1-3"><a href="#cb1-3" aria-hidden="true"></a>…`
and styles it as an inline-block: every line is then a shrink-to-fit box, a link and a named
destination, which made code blocks the most expensive part of a PDF. Here the line anchors
and ids go, and the lines become plain blocks (`code.lines` in print.css): the page looks the
same, wrapped lines keep their hanging indent, and layout takes a fraction of the time.
"""

from __future__ import annotations

import re

LINE_ANCHOR = re.compile(r'<a href="#cb\d+-\d+"[^>]*></a>')
LINE_ID = re.compile(r'<span id="cb\d+-\d+">')
CODE = re.compile(r'<code class="sourceCode([^"]*)">(.*?)</code>', re.S)


def _lines(m: re.Match) -> str:
    inner = m.group(2).replace("</span>\n<span>", "</span><span>")
    return f'<code class="sourceCode{m.group(1)} lines">{inner}</code>'


def lean(body: str) -> str:
    """`body` (pandoc's HTML) with code lines as plain spans, one block each."""
    if "sourceCode" not in body:
        return body
    body = LINE_ANCHOR.sub("", body)
    body = LINE_ID.sub("<span>", body)
    return CODE.sub(_lines, body)
