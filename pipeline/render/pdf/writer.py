"""PDF: the HTML page plus the print stylesheet, laid out by WeasyPrint with the theme's
fonts only (never a font installed on the machine)."""

from __future__ import annotations

import logging
import os
import threading
from pathlib import Path
from urllib.parse import quote, unquote, urlsplit
from urllib.request import url2pathname

import pydyf
import weasyprint
from weasyprint.text.fonts import FontConfiguration

from epdoc.pipeline.core import atomic, settings
from epdoc.pipeline.render import Writer
from epdoc.pipeline.render.html import fixups, page
from epdoc.pipeline.render.pdf import code as printcode
from epdoc.pipeline.render.pdf import css as printcss
from epdoc.pipeline.render.pdf import diagrams as pdf_diagrams
from epdoc.pipeline.render.pdf import htmlparse, pdfa, repaginate  # noqa: F401  (on import)
from epdoc.pipeline.render.pdf import layout as pdf_layout
from epdoc.pipeline.render.pdf import lines as pdf_lines
from epdoc.pipeline.render.pdf import math as pdf_math
from epdoc.pipeline.safety.fetcher import SafeFetcher

NO_FONTS = ('<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">\n'
            "<fontconfig></fontconfig>\n")
_env_lock = threading.Lock()
NOTDEF = ".notdef glyph rendered"


def _no_fonts_file() -> Path:

    path = settings.user_cache() / "fonts-none.conf"
    if not path.exists() or path.read_text() != NO_FONTS:
        atomic.write_text(path, NO_FONTS)
    return path


def theme_fonts() -> FontConfiguration:
    """A font configuration without the machine's fonts: only @font-face fonts (the theme's)
    are known, so every glyph in the PDF comes from the theme."""
    conf = str(_no_fonts_file())
    with _env_lock:
        old = os.environ.get("FONTCONFIG_FILE")
        os.environ["FONTCONFIG_FILE"] = conf
        try:
            return FontConfiguration()
        finally:
            if old is None:
                os.environ.pop("FONTCONFIG_FILE", None)
            else:
                os.environ["FONTCONFIG_FILE"] = old


def page_labels(pdf: pydyf.PDF) -> None:
    """Page labels (what a viewer shows as the page number) equal to the printed ones."""
    pdf.catalog["PageLabels"] = pydyf.Dictionary(
        {"Nums": pydyf.Array([0, pydyf.Dictionary({"S": "/D", "St": 1})])})


def relative_links(pdf: pydyf.PDF, base_dir: Path) -> None:
    """Links to files beside the proposal stay relative (`EP-002-x.pdf#goals`), so the
    outputs can move together; WeasyPrint made them absolute file:// addresses."""
    for obj in pdf.objects:
        action = obj.get("A") if isinstance(obj, pydyf.Dictionary) else None
        if not isinstance(action, pydyf.Dictionary) or action.get("S") != "/URI":
            continue
        uri = action["URI"].string if isinstance(action["URI"], pydyf.String) else ""
        parts = urlsplit(uri)
        if parts.scheme != "file":
            continue
        rel = Path(os.path.relpath(url2pathname(unquote(parts.path)), base_dir)).as_posix()
        action["URI"] = pydyf.String(quote(rel) + (f"#{parts.fragment}" if parts.fragment else ""))


def render(html: str, *, base_url: str, roots, allow_network: bool, report,
           options: dict | None = None, limits=None) -> bytes:
    """The PDF of `html`; WeasyPrint's warnings go to `report(message)`, once each.
    `limits`: the epdoc Options whose picture limits apply (pipeline/safety/pictures.py)."""
    options = dict(options or {})
    fetcher = SafeFetcher(roots, allow_network, options=limits)
    handler = printcss.Collect()
    logger = logging.getLogger("weasyprint")
    logger.addHandler(handler)
    finish = options.pop("finisher", None)

    def finisher(doc, pdf):
        page_labels(pdf)
        if base_url.startswith("file:"):
            relative_links(pdf, Path(url2pathname(unquote(urlsplit(base_url).path))))
        if finish:
            finish(doc, pdf)

    try:
        # the theme's stylesheet, compiled once per process (pipeline/render/pdf/css.py)
        html, sheets, fonts, warned = printcss.prepare(html, base_url, fetcher, theme_fonts)
        if sheets:
            options["stylesheets"] = [*sheets, *options.get("stylesheets", [])]
        source = weasyprint.HTML(string=html, base_url=base_url, url_fetcher=fetcher)
        rendered = source.render(font_config=fonts, **options)
        data = rendered.write_pdf(finisher=finisher, **options)
    finally:
        logger.removeHandler(handler)
    fetcher.check()  # a picture over a limit fails the document
    for msg in dict.fromkeys(warned + handler.messages):
        report(msg)
    return data


def _report(document, message: str) -> None:
    """WeasyPrint's warnings, less its unlocated missing-glyph ones: lint's glyph-missing
    reports those where they are written (pipeline/lint/glyphs.py)."""
    if not message.startswith(NOTDEF):
        document.context.report("warning", "pdf-render", message)


class PdfWriter(Writer):
    name = "pdf"
    ext = "pdf"

    def body(self, document, bookmark_offset: int = 0) -> tuple[str, str]:
        """(highlighting CSS, body HTML) of one proposal, as the PDF shows it."""
        doc = page.copy_doc(document)
        if getattr(self.options, "line_numbers", False):
            pdf_lines.mark(doc, document)  # before the fix-ups: blocks as the document's
        fixups.apply(doc, document, self.options, "pdf")
        pdf_diagrams.place_all(doc, self.theme)
        pdf_math.place_all(doc, document, self.theme, self.options)
        pdf_layout.prepare(doc, bookmark_offset)
        css, body = page.pandoc_html(doc, self.theme, self.options, document.source)
        return css, printcode.lean(body)

    def html(self, document) -> str:
        css, body = self.body(document)
        html = page.page(document, self.theme, body, css, fonts_url=lambda p: p.as_uri(),
                         print_css=True)
        return pdfa.self_contained(html, document, self.options, self.roots(document))

    def roots(self, document) -> list[Path]:
        """The folders WeasyPrint may read for this proposal."""
        return [document.source.parent.resolve(), self.theme.root]

    def write(self, document, target: Path) -> None:
        src_dir = document.source.parent.resolve()
        pdf = render(self.html(document), base_url=src_dir.as_uri() + "/",
                     roots=self.roots(document), allow_network=self.options.allow_network,
                     report=lambda msg: _report(document, msg),
                     options=self.pdf_options(document), limits=self.options)
        atomic.write_bytes(target, pdf)

    def pdf_options(self, document) -> dict:
        """Options for WeasyPrint's render and write_pdf (a `finisher` is chained)."""
        return pdfa.pdf_options(document, self.options)  # PDF/A, attached sources (archive)
