"""The HTML page, shared by the HTML writer and the PDF writer (PDF = this HTML + print CSS)."""

from __future__ import annotations

import datetime as dt
import functools
import html
import json
import re
from pathlib import Path

import jinja2
import panflute as pf
from markupsafe import Markup

from epdoc import __version__
from epdoc.pipeline.pandoc import runner as pandoc
from epdoc.pipeline.reading import depth
from epdoc.pipeline.reading.document import Document, load_doc
from epdoc.pipeline.render import diagrams, language, status
from epdoc.pipeline.render.html import access, mathml
from epdoc.pipeline.safety import html as sanitize
from epdoc.pipeline.safety import pictures as imagesafe

SPLIT = "<!--epdoc:body-->"
CSP = ("default-src 'none'; img-src 'self' data:; style-src 'unsafe-inline'; "
       "font-src 'self' data:; base-uri 'none'; form-action 'none'")


@functools.cache
def _env(templates: Path) -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(templates)),
        autoescape=True,  # every template, whatever its name
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
    )


def copy_doc(document: Document) -> pf.Doc:
    """A fresh copy of the normalized AST, for format-specific fix-ups."""
    doc = load_doc(document.doc.to_json())
    doc.epdoc = document.context
    return doc


def pandoc_html(doc: pf.Doc, theme, options, path=None, place=None) -> tuple[str, str]:
    """(highlighting CSS, sanitized body HTML) for a document AST. `place(path, bytes)`
    copies each local picture shown and gives the path the page uses (render/html/copies.py);
    without it, pictures keep their paths."""
    made = own_pictures(doc)
    formulas = mathml.hold(doc, path, options.pandoc_limits)  # MathML, checked apart
    data = json.dumps(doc.to_json(), ensure_ascii=False).encode("utf-8")
    args = ["--sandbox", "-f", "json", "-t", "html5", "--wrap=none",
            f"--template={theme.root / 'templates' / 'body.pandoc'}",
            f"--syntax-highlighting={highlight_style(theme)}", *syntax_definitions(theme)]
    out = pandoc.run(args, data, path, **options.pandoc_limits).decode("utf-8")
    css, _, body = out.partition(SPLIT)
    css = re.sub(r"[-a-z]*user-select:\s*none;", "", css)  # not CSS WeasyPrint knows
    src_dir = Path(path).parent.resolve() if path else Path.cwd()
    images = imagesafe.HtmlImages(src_dir, options, place)
    body = access.accessible(images.remote_as_links(sanitize.clean(body, img_src=images)))
    body = mathml.restore(body, formulas)
    images.check(path)  # a picture over a limit fails the proposal
    for url, marks, alt in made:  # and one epdoc made that the page lost
        if html.escape(url) not in body and url not in body:
            raise imagesafe.cannot_place(marks, alt, "page", "the sanitizer refused it", path)
    depth.check_html(body, getattr(options, "max_depth", depth.DEFAULT_MAX_DEPTH), path)
    return css, body


def own_pictures(doc) -> list[tuple[str, dict, str]]:
    """(URL, marks, alt text) of each picture epdoc made (render/diagrams.py), its marks
    taken off."""
    made = []

    def action(elem, _doc):
        if isinstance(elem, pf.Image):
            marks = diagrams.unmark(elem)
            if marks:
                made.append((elem.url, marks, pf.stringify(elem).strip()))

    doc.walk(action)
    return made


def syntax_definitions(theme) -> list[str]:
    """Highlighting for languages pandoc lacks (e.g. prometheus): KDE syntax files in the
    theme's syntax/ folder, for the HTML and DOCX writers alike."""
    return [f"--syntax-definition={p}" for p in sorted((theme.root / "syntax").glob("*.xml"))]


def highlight_style(theme) -> str:
    custom = theme.root / "highlight.theme"
    return str(custom) if custom.exists() else "pygments"


def _real_date(value) -> bool:
    """A YYYY-MM-DD day that exists (lint reports the others, once)."""
    try:
        return bool(value) and dt.date.fromisoformat(value).isoformat() == value
    except (TypeError, ValueError):
        return False


def page(document: Document, theme, body: str, highlight_css: str, *, fonts_url,
         print_css: bool) -> str:
    rec = document.record
    css = [theme.css_variables(), theme.font_face_css(fonts_url), theme.css("base.css"),
           theme.status_css(), theme.css("github.css"), highlight_css]
    if print_css:
        css += [theme.page_css(), theme.css("print.css")]
    meta = [("author", ", ".join(rec.authors)) if rec.authors else None,
            ("description", " · ".join(x for x in (rec.id, rec.status) if x)) or None,
            ("keywords", ", ".join(x for x in (rec.id, rec.status, rec.maturity) if x)),
            ("dcterms.created", rec.created) if _real_date(rec.created) else None,
            ("dcterms.modified", rec.updated) if _real_date(rec.updated) else None]
    shown = status.context(document, theme, "pdf" if print_css else "html")
    body_class = f"epdoc status-{shown['status_class']}"
    if shown["watermark"]:
        body_class += f" watermark-{shown['status_class']}"
    return _env(theme.root / "templates").get_template("page.html").render(
        lang=language.of(document, theme),
        skip_link=not print_css,
        csp=CSP,
        title=document.title,
        heading=rec.title or document.title,
        record=rec,
        meta=[m for m in meta if m and m[1]],
        css=Markup("\n".join(css)),
        body=Markup(body),
        body_class=body_class,
        version=__version__,
        anchor=None,
        **shown,
    )
