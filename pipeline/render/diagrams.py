"""Mermaid diagrams as pictures for one format (pipeline/diagrams/pictures.py draws them), each
picture marked as epdoc's own with the line of its fence (safety/pictures.py `OWN`, `LINE`):
a format that cannot place one fails the proposal there, located (html/page.py,
docx/pictures.py, safety/docx.py), never losing it silently."""

from __future__ import annotations

import panflute as pf

from epdoc.pipeline.diagrams import pictures as diagram_pictures
from epdoc.pipeline.safety import pictures as imagesafe


def place(doc, document, options, build) -> None:
    """Each diagram of `doc` as `build(rendered, source, options)` makes it, marked."""
    ctx = document.context

    def act(elem, _doc):
        if not (isinstance(elem, pf.Div) and diagram_pictures.MARK in elem.classes):
            return None
        line = elem.attributes.get("line", "")

        def mark(el, _d):
            if isinstance(el, pf.Image):
                el.attributes[imagesafe.OWN] = "diagram"
                el.attributes[imagesafe.LINE] = line

        out = diagram_pictures.convert(elem, ctx, options, build)
        out.walk(mark)
        return out

    doc.walk(act)


def unmark(elem) -> dict:
    """The marks of a picture, taken off it (no format shows them)."""
    return {k: elem.attributes.pop(k) for k in (imagesafe.OWN, imagesafe.LINE)
            if k in elem.attributes}
