"""Accessible DOCX: the document's language in its properties and styles (what Word's
reader and spelling use), and each table's header row repeated on every page and marked as
the header a screen reader announces. Pictures keep their alt text (`wp:docPr descr`) and
headings their Heading styles as pandoc writes them."""

from __future__ import annotations

from docx.oxml import OxmlElement
from docx.oxml.ns import qn

from epdoc.pipeline.config import theme as themes
from epdoc.pipeline.render import language
from epdoc.pipeline.render.docx.writer import postprocess


def _child(parent, tag: str):
    found = parent.find(qn(tag))
    if found is None:
        found = OxmlElement(tag)
        parent.append(found)
    return found


@postprocess
def document_language(d, document, options) -> None:
    """The proposal's language (pipeline/render/language.py): core properties, the default
    run properties and every style that names one, and the theme fonts' language."""
    lang = language.of(document, themes.load(options.theme))
    d.core_properties.language = lang
    styles = d.styles.element
    defaults = _child(_child(_child(styles, "w:docDefaults"), "w:rPrDefault"), "w:rPr")
    _child(defaults, "w:lang")
    for el in styles.iter(qn("w:lang")):
        el.set(qn("w:val"), lang)
    for el in d.settings.element.iter(qn("w:themeFontLang")):
        el.set(qn("w:val"), lang)


@postprocess
def header_rows(d, document, options) -> None:
    """A table whose first row is a header row (pandoc's `firstRow` look) repeats it on each
    page and marks it as the header (`w:tblHeader`)."""
    for table in d.element.body.iter(qn("w:tbl")):
        look = table.find(f"{qn('w:tblPr')}/{qn('w:tblLook')}")
        rows = table.findall(qn("w:tr"))
        if look is None or look.get(qn("w:firstRow")) not in ("1", "true", "on") or not rows:
            continue
        props = rows[0].find(qn("w:trPr"))
        if props is None:
            props = OxmlElement("w:trPr")
            rows[0].insert(0, props)
        _child(props, "w:tblHeader").set(qn("w:val"), "on")
