"""What the DOCX needs on its copy of the normalized AST, in order: call-outs as shaded
tables, diagrams as print-resolution PNG, links to sibling proposals' DOCX."""

from __future__ import annotations

from epdoc.filters import alerts, links
from epdoc.pipeline.diagrams import pictures


def apply(doc, document, options) -> None:
    alerts.as_tables(doc)
    pictures.as_png(doc, document, options)
    links.rewrite_all(doc, "docx")
