"""Archival PDF options: a PDF/A variant and the proposal's source files attached
(relationship Source), dated by SOURCE_DATE_EPOCH when set so the bytes are reproducible."""

from __future__ import annotations

import datetime as dt

import weasyprint

from epdoc.pipeline.core import reproducible
from epdoc.pipeline.reading.files import source_files
from epdoc.pipeline.render.html import inline
from epdoc.pipeline.render.pdf import tagged

VARIANTS = ("pdf/a-1b", "pdf/a-2b", "pdf/a-3b", "pdf/a-2u", "pdf/a-3u", "pdf/a-4u")


def _naive_utc(moment: dt.datetime) -> dt.datetime:
    return moment.astimezone(dt.UTC).replace(tzinfo=None)


def attachments(document, options) -> list[weasyprint.Attachment]:
    fixed = reproducible.when(options)
    found = []
    for name, path in source_files(document):
        if fixed:
            moment = fixed
        else:
            moment = dt.datetime.fromtimestamp(path.stat().st_mtime, dt.UTC)
        moment = _naive_utc(moment.replace(microsecond=0))
        kind = "proposal source (markdown)" if path == document.source else "proposal image"
        found.append(weasyprint.Attachment(
            string=path.read_bytes(), name=name, description=f"{kind}: {name}",
            created=moment, modified=moment, relationship="Source"))
    return found


def self_contained(html: str, document, options, roots) -> str:
    """With `self_contained`, images go into the HTML as data: URIs before WeasyPrint sees
    it: WeasyPrint names an image after its URL, so a PDF built from a copy of the source
    in another folder then has the same bytes."""
    if not options.self_contained:
        return html
    src_dir = document.source.parent.resolve()
    inliner = inline.Inliner([src_dir], roots, vet=inline.picture_check(options))
    return inliner.resources(html)


def unique_associated_files(_document, pdf) -> None:
    """WeasyPrint lists each attachment twice in the catalog's /AF array: keep one."""
    files = pdf.catalog.get("AF")
    if files:
        kept = list(dict.fromkeys(files))
        files.clear()
        files.extend(kept)


def pdf_options(document, options) -> dict:
    """WeasyPrint options: a tagged PDF/UA-1 file (pipeline/render/pdf/tagged.py), or the
    PDF/A variant asked for in `options`, tagged and also PDF/UA-1 where it can be."""
    variant = options.pdf_variant
    if not options.pdf_tags:
        extra: dict = {}
    elif variant:
        extra = {"pdf_tags": True}
    else:
        extra = {"pdf_variant": tagged.UA_VARIANT}

    def finisher(doc, pdf):
        if variant:
            unique_associated_files(doc, pdf)
        tagged.finish(doc, pdf, variant)

    if variant:
        extra["pdf_variant"] = variant
    extra["finisher"] = finisher
    if options.attach_sources:
        extra["attachments"] = attachments(document, options)
    return extra
