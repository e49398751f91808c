"""What the HTML page (and the PDF, made from it) needs on its copy of the normalized AST,
in order: task boxes as spans, diagrams as SVG, links to sibling proposals' outputs."""

from __future__ import annotations

from epdoc.filters import links, tasks
from epdoc.pipeline.diagrams import pictures
from epdoc.pipeline.render import diagrams


def apply(doc, document, options, ext: str = "html") -> None:
    """`ext`: the format sibling links point at (html, or pdf for the PDF)."""
    tasks.as_spans(doc)
    build = pictures.svg_with_source if ext == "html" else pictures.svg_block
    diagrams.place(doc, document, options, build)  # marked: html/page.py checks
    links.rewrite_all(doc, ext)
