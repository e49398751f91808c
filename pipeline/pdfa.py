"""Archival PDF options: a PDF/A variant and the proposal's source files attached
(relationship Source), dated by SOURCE_DATE_EPOCH when set so the bytes are reproducible."""

from __future__ import annotations

import datetime as dt

import weasyprint

from . import reproducible
from .sourcefiles import source_files

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


def pdf_options(document, options) -> dict:
    """Extra WeasyPrint options asked for in `options` (none by default)."""
    extra: dict = {}
    if options.pdf_variant:
        extra["pdf_variant"] = options.pdf_variant
    if options.attach_sources:
        extra["attachments"] = attachments(document, options)
    return extra
