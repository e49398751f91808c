"""What the DOCX needs on its copy of the normalized AST, in order: raw HTML as pandoc
elements (first: it finds where each piece was written by walking beside the normalized
document), call-outs as shaded tables, diagrams as SVG with their PNG (pictures.py), links to
sibling proposals' DOCX."""

from __future__ import annotations

import panflute as pf

from epdoc.filters import alerts, links
from epdoc.pipeline.core import tree
from epdoc.pipeline.render.docx import pictures, rawhtml

TABLE_END_STYLE = "Landscape Table End"  # ends the page of a table (docx/landscape.py)
# a table in smaller type (filters/tables.py): its cells' paragraph style, and its size
TABLE_TEXT_STYLES = {"dense": "Table Text Dense", "smallest": "Table Text Smallest"}
TABLE_TEXT_SIZES = {"Table Text Dense": 0.85, "Table Text Smallest": 0.72}


def _styled(elem, style: str):
    if isinstance(elem, pf.TableCell) and elem.content:
        # pandoc styles a cell's Plain as Compact whatever the Div says: a Para takes it
        blocks = [pf.Para(*b.content) if isinstance(b, pf.Plain) else b for b in elem.content]
        elem.content = [pf.Div(*blocks, attributes={"custom-style": style})]
    return None


def apply(doc, document, options) -> None:
    rawhtml.convert(doc, document, options)
    alerts.as_tables(doc)
    pictures.diagrams(doc, document, options)
    links.rewrite_all(doc, "docx")
    landscape_tables(doc)


def landscape_tables(doc) -> None:
    """After each table the filter gave a landscape page (filters/tables.py), a paragraph
    that ends that page's section, found again by its style after pandoc."""
    ended = set()
    for table in tree.elements(doc, pf.Table):  # inner tables first, as a walk goes
        size = next((c for c in table.classes if c in TABLE_TEXT_STYLES), None)
        if size:  # smaller type: each cell's paragraphs in the style of that size
            table.walk(lambda e, _d, style=TABLE_TEXT_STYLES[size]: _styled(e, style))
        if "landscape-page" in table.classes and isinstance(table.parent, pf.Doc):
            ended.add(id(table))
    if ended:
        doc.content = [x for block in doc.content
                       for x in ((block, _table_end()) if id(block) in ended else (block,))]


def _table_end():
    return pf.Div(pf.Para(pf.Str("\u200b")), attributes={"custom-style": TABLE_END_STYLE})
