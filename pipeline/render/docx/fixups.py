"""What the DOCX needs on its copy of the normalized AST, in order: raw HTML as pandoc
elements (first: it finds where each piece was written by walking beside the normalized
document), call-outs as shaded tables, diagrams as SVG with their PNG (pictures.py), links to
sibling proposals' DOCX."""

from __future__ import annotations

from epdoc.filters import alerts, links
from epdoc.pipeline.render.docx import pictures, rawhtml


def apply(doc, document, options) -> None:
    rawhtml.convert(doc, document, options)
    alerts.as_tables(doc)
    pictures.diagrams(doc, document, options)
    links.rewrite_all(doc, "docx")
