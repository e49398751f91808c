"""DOCX: pandoc with the reference document generated from the theme."""

from __future__ import annotations

import datetime as dt
import io
import json
from pathlib import Path
from urllib.parse import unquote, urlsplit

import docx
import panflute as pf

from epdoc.pipeline.core import atomic, reproducible
from epdoc.pipeline.pandoc import runner as pandoc
from epdoc.pipeline.render import Writer
from epdoc.pipeline.render.docx import fixups, package, pictures, reference, sourcemap
from epdoc.pipeline.render.html import page
from epdoc.pipeline.safety import docx as docxsafe


def absolute_images(doc, src_dir: Path) -> None:
    """Point relative images at their checked absolute paths (pandoc runs outside the folder)."""

    def action(elem, _doc):
        if isinstance(elem, pf.Image):
            parts = urlsplit(elem.url)
            if not parts.scheme and not parts.netloc:
                elem.url = str(src_dir / unquote(parts.path))

    doc.walk(action)


def _date(value):
    try:
        return dt.datetime.strptime(value, "%Y-%m-%d").replace(tzinfo=dt.UTC)
    except (TypeError, ValueError):
        return None


POSTPROCESSORS: list = []


def postprocess(func):
    """Register `func(d, document, options)`, run on the python-docx Document after pandoc."""
    POSTPROCESSORS.append(func)
    return func


# first of all: no field codes or external parts but those epdoc adds after this
postprocess(docxsafe.remove_fields)
postprocess(sourcemap.hide_source_lines)
postprocess(pictures.png_fallbacks)  # then every later step finds a picture in each blip


PROPERTY_MAX = 255  # characters a DOCX core property may hold (python-docx refuses more)


def fits(value: str, limit: int = PROPERTY_MAX) -> str:
    """`value` cut to `limit` characters, with an ellipsis, on a word boundary where one is
    near; the document keeps the whole value (the title line, the metadata table)."""
    if len(value) <= limit:
        return value
    cut = value[:limit - 1]
    space = cut.rfind(" ")
    if space > limit * 3 // 4:
        cut = cut[:space]
    return cut.rstrip() + "…"


@postprocess
def set_properties(d, document, options) -> None:
    rec = document.record
    p = d.core_properties
    p.title = fits(document.title)
    p.author = fits(", ".join(rec.authors))
    p.subject = fits(" · ".join(x for x in (rec.id, rec.status) if x))
    p.keywords = fits(", ".join(x for x in (rec.id, rec.status, rec.maturity) if x))
    p.category = "Enhancement Proposal"
    p.last_modified_by = "epdoc"
    p.comments = ""
    p.identifier = fits(document.source.name)  # which proposal (epdoc comments reads it)
    created, updated = _date(rec.created), _date(rec.updated)
    if created:
        p.created = created
    if updated or created:
        p.modified = updated or created


@postprocess
def relative_image_names(d, document, options) -> None:
    """pandoc describes each picture by its (absolute) path: keep it relative to the
    proposal's folder, so no local path leaks into the file and a copy of the source in
    another folder gives the same bytes."""
    root = str(document.source.parent.resolve()) + "/"
    for el in d.element.body.xpath(".//*[@descr]"):
        descr = el.get("descr")
        if descr.startswith(root):
            el.set("descr", descr[len(root):])


def finish(data: bytes, document, options) -> bytes:
    d = docx.Document(io.BytesIO(data))
    for func in POSTPROCESSORS:
        func(d, document, options)
    moment = reproducible.when(options)
    if moment:  # SOURCE_DATE_EPOCH: no build time anywhere, fixed zip entry times
        props = d.core_properties
        props.created = _date(document.record.created) or moment
        props.modified = _date(document.record.updated) or props.created
    return package.save(d, moment)  # with moment: every entry dated by it


class DocxWriter(Writer):
    name = "docx"
    ext = "docx"

    def render(self, document) -> bytes:
        doc = page.copy_doc(document)
        sourcemap.mark(doc, document)  # hidden bookmarks to source lines (epdoc comments)
        fixups.apply(doc, document, self.options)
        # pictures as data: URLs of checked bytes; pandoc itself reads nothing (--sandbox)
        docxsafe.embed_images(doc, document, self.options, self.theme)
        pictures.frame_and_fallback(doc, document, self.options, self.theme)  # SVG + PNG
        data = json.dumps(doc.to_json(), ensure_ascii=False).encode("utf-8")
        ref = reference.path_for(self.theme)
        args = ["--sandbox", "-f", "json", "-t", "docx", f"--reference-doc={ref}",
                f"--syntax-highlighting={page.highlight_style(self.theme)}",
                *page.syntax_definitions(self.theme), "-o", "-"]
        out = pandoc.run(args, data, document.source, **self.options.pandoc_limits)
        return finish(out, document, self.options)

    def write(self, document, target: Path) -> None:
        atomic.write_bytes(target, self.render(document))
