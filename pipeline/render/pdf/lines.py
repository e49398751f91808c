"""Source line numbers for review on paper (`--line-numbers`): each block's first source
line in the PDF's margin (pandoc's source positions, reading/positions.py), and where a later
source line of a paragraph starts, its number in small print in the text, so a comment on
"line 212" finds the text of line 212 of the pull request. print.css places `span.lineno`
(margin) and `span.lineno-inline`."""

from __future__ import annotations

import panflute as pf

from epdoc.pipeline.diagrams.pictures import MARK as DIAGRAM

CLASS = "lineno"
TEXT = (pf.Para, pf.Plain, pf.Header)
ANCHORED = (pf.CodeBlock, pf.Table, pf.RawBlock, pf.HorizontalRule, pf.Div)


def _blocks(doc) -> list:
    found: list = []
    doc.walk(lambda e, _d: found.append(e) if isinstance(e, pf.Block) else None)
    return found


def number(line: int, inline: bool = False) -> pf.Span:
    return pf.Span(pf.Str(str(line)), classes=[f"{CLASS}-inline" if inline else CLASS])


def mark(copy: pf.Doc, document) -> None:
    """Number the blocks of `copy` (a fresh copy of the document's AST, before any fix-up)
    with the source lines of the same blocks in the document."""
    positions = document.context.positions
    anchors = []
    for original, block in zip(_blocks(document.doc), _blocks(copy), strict=False):
        if type(original) is not type(block):
            continue
        line = positions.get(id(original), (None, None))[0]
        if not line:
            continue
        if isinstance(block, TEXT):
            _number_lines(block, line)
        elif isinstance(block, ANCHORED) and not isinstance(block, pf.Div):
            anchors.append((block, line))
    for block, line in anchors:  # a numbered line just above: the block's first line
        if isinstance(block.parent, pf.Div) and DIAGRAM in block.parent.classes:
            block = block.parent  # the diagram is numbered, its fence kept whole
        parent = block.parent
        if not isinstance(parent, (pf.Doc, pf.ListItem, pf.BlockQuote)):
            continue
        index = block.index
        wrapper = pf.Div(pf.Div(pf.Plain(number(line)), classes=["lineno-anchor"]),
                         classes=["lineno-block"])
        parent.content[index] = wrapper
        wrapper.content.append(block)


def _number_lines(block, first: int) -> None:
    """The first line's number before the text, each later source line's after its break."""
    out = [number(first)]
    line = first
    for x in block.content:
        out.append(x)
        if isinstance(x, pf.SoftBreak):
            line += 1
            out.append(number(line, inline=True))
    block.content = out
