"""PDF: the HTML page plus the print stylesheet, laid out by WeasyPrint."""

from __future__ import annotations

import logging
from pathlib import Path

import weasyprint

from .. import atomic, fixups
from .. import html as page
from ..fetcher import SafeFetcher
from . import Writer


class _Collect(logging.Handler):
    def __init__(self):
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record):
        self.messages.append(record.getMessage().splitlines()[0])


class PdfWriter(Writer):
    name = "pdf"
    ext = "pdf"

    def html(self, document) -> str:
        doc = page.copy_doc(document)
        fixups.apply(doc, document, self.name, self.options)
        css, body = page.pandoc_html(doc, self.theme, self.options, document.source)
        return page.page(document, self.theme, body, css, fonts_url=lambda p: p.as_uri(),
                         print_css=True)

    def write(self, document, target: Path) -> None:
        src_dir = document.source.parent.resolve()
        fetcher = SafeFetcher([src_dir, self.theme.root], self.options.allow_network)
        handler = _Collect()
        logger = logging.getLogger("weasyprint")
        logger.addHandler(handler)
        try:
            html = weasyprint.HTML(string=self.html(document), base_url=src_dir.as_uri() + "/",
                                   url_fetcher=fetcher)
            pdf = html.write_pdf(**self.pdf_options(document))
        finally:
            logger.removeHandler(handler)
        for msg in dict.fromkeys(handler.messages):
            document.context.report("warning", "pdf-render", msg)
        atomic.write_bytes(target, pdf)

    def pdf_options(self, document) -> dict:
        return {}
