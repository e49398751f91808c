#!/usr/bin/env python3
"""Mermaid diagrams (```mermaid fences) become pictures: SVG in HTML and PDF, a print-resolution
PNG in DOCX. The filter marks each fence (keeping its line); each format renders it
(pipeline/diagrams/pictures.py, cached), so `epdoc meta` never pays for rendering. A diagram that
cannot be drawn stays a code block, with a warning naming the file and line.

Standalone (`pandoc -F filters/diagrams.py -t html|docx`) it renders for the target at once.
"""

import panflute as pf

from epdoc.pipeline.core import context
from epdoc.pipeline.diagrams import LANGS, MARK


def is_mermaid(elem) -> bool:
    return isinstance(elem, pf.CodeBlock) and bool(elem.classes) \
        and elem.classes[0].lower() in LANGS


def action(elem, doc):
    if not is_mermaid(elem):
        return None
    line, _ = context.of(doc).where(elem)
    mark = pf.Div(elem, classes=[MARK], attributes={"line": str(line)} if line else {})
    fmt = (doc.format or "json").lower()
    if fmt == "json":
        return mark  # in-process: the writers render it for their format (render/)
    # standalone: drawn here (imported only then: in-process, the writers draw)
    from epdoc.pipeline.diagrams.pictures import convert, png_block, svg_block

    if fmt.startswith("html") or fmt in ("epub", "epub3", "revealjs"):
        return convert(mark, context.of(doc), None, svg_block)
    if fmt in ("docx", "odt", "pptx", "rtf"):
        return convert(mark, context.of(doc), None, png_block)
    return elem


def main(doc=None):
    return pf.run_filter(action, doc=doc)


if __name__ == "__main__":
    main()
