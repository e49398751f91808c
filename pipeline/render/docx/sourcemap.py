"""The DOCX keeps a hidden map to the source: each paragraph and heading that has a source
line starts with a hidden bookmark `_epdocL<line>` (Word and LibreOffice keep bookmarks
through edits and hide the ones whose name starts with `_`), so reviewers' comments and
tracked changes can be traced back to the proposal's lines (`epdoc comments`)."""

from __future__ import annotations

import re

import panflute as pf
from docx.oxml.ns import qn

from epdoc.pipeline.core import tree

PREFIX = "epdocL"  # pandoc keeps this name as written (letters and digits)
HIDDEN = "_epdocL"  # what the DOCX carries
NAME_RE = re.compile(r"^_?epdocL(\d+)$")
MARKED = (pf.Para, pf.Plain, pf.Header)
TASK_BOXES = ("☐", "☒")  # filters/tasks.py OPEN, DONE


def _blocks(doc) -> list:
    return tree.elements(doc, pf.Block)


def mark(copy, document) -> None:
    """Mark the blocks of `copy` (a fresh copy of the document's AST, before any fix-up) with
    the source line of the same block in the document."""
    positions = document.context.positions
    for original, block in zip(_blocks(document.doc), _blocks(copy), strict=False):
        if type(original) is not type(block) or not isinstance(block, MARKED):
            continue
        line = positions.get(id(original), (None, None))[0]
        if line:
            content = block.content
            # a task's box stays first: pandoc makes it the list's marker
            at = 0
            if content and isinstance(content[0], pf.Str) and content[0].text in TASK_BOXES:
                at = 2 if len(content) > 1 and isinstance(content[1], pf.Space) else 1
            content.insert(at, pf.Span(identifier=f"{PREFIX}{line}"))


def hide_source_lines(d, document, options) -> None:
    for start in d.element.body.iter(qn("w:bookmarkStart")):
        name = start.get(qn("w:name")) or ""
        if name.startswith(PREFIX):
            start.set(qn("w:name"), "_" + name)


def line_of(bookmark_name: str) -> int | None:
    m = NAME_RE.match(bookmark_name or "")
    return int(m.group(1)) if m else None
