"""What the preview's browser gets: a proposal's page with its findings panel and reload
script (allowed by a fresh nonce in the page's Content-Security-Policy, in preview pages
only), the PDF view, the index of a folder, and the events that tell a page to reload."""

from __future__ import annotations

import functools
import json
import re
import secrets
import time
from pathlib import Path

import jinja2
from markupsafe import Markup, escape

from epdoc.pipeline.core.errors import printable
from epdoc.pipeline.preview.site import Entry, Site
from epdoc.pipeline.render.html.page import CSP

HERE = Path(__file__).parent / "templates"
INDEX = ""  # the page name of the index in events
POLICY = re.compile(r'<meta http-equiv="Content-Security-Policy" content="[^"]*">')


@functools.cache
def _env() -> jinja2.Environment:
    return jinja2.Environment(loader=jinja2.FileSystemLoader(str(HERE)), autoescape=True,
                              undefined=jinja2.StrictUndefined)


@functools.cache
def _asset(name: str) -> Markup:
    return Markup((HERE / name).read_text(encoding="utf-8"))


def nonce() -> str:
    return secrets.token_urlsafe(18)


def csp(nonce_: str, frames: bool = False) -> str:
    """The page's policy, plus the one script the preview adds and its event stream."""
    extra = f"; script-src 'nonce-{nonce_}'; connect-src 'self'"
    return CSP + extra + ("; frame-src 'self'" if frames else "")


def _when(t: float | None) -> str:
    return time.strftime("%H:%M:%S", time.localtime(t)) if t else ""


class _Finding:
    def __init__(self, d):
        self.file_name = Path(d.file).name if d.file else ""
        self.line, self.severity, self.code = d.line, d.severity, d.code
        self.message = printable(d.message)


def panel(site: Site, entry: Entry | None) -> Markup:
    """The panel: the error of a failed build (the last good view stays), lint's findings."""
    if entry is None:
        return Markup(_env().get_template("panel.html").render(
            page=INDEX, version=site.changes, good=site.changes, error=None, findings=None,
            source="", built=""))
    findings = [_Finding(d) for d in [*entry.findings, *entry.across]]
    return Markup(_env().get_template("panel.html").render(
        page=entry.name, version=entry.version, good=entry.good, error=entry.error,
        findings=findings, source=printable(entry.source.name), built=_when(entry.built_at)))


def state(site: Site, page: str) -> dict:
    """What an open page is told (server-sent events): reload when `good` changes, else
    show the new panel when `version` does."""
    with site.changed:
        entry = site.entries.get(page)
        if entry is None:
            return {"version": site.changes, "good": site.changes, "panel": str(panel(site, None))}
        return {"version": entry.version, "good": entry.good, "panel": str(panel(site, entry))}


def event(site: Site, page: str) -> bytes:
    return f"data: {json.dumps(state(site, page))}\n\n".encode()


def _shell(site: Site, title: str, nonce_: str, **values) -> bytes:
    values = {"pdf": False, "pdf_url": None, "entries": None, **values}
    return _env().get_template("shell.html").render(
        title=title, csp=csp(nonce_, frames=values["pdf"]), nonce=nonce_,
        script=_asset("live.js"), panel_css=_asset("panel.css"), **values).encode("utf-8")


def proposal(site: Site, entry: Entry) -> bytes:
    """The proposal's page as the preview shows it: its last good output with the panel,
    or (none yet) the panel alone; the PDF view embeds the PDF."""
    n = nonce()
    with site.changed:
        good, built = entry.good, entry.good and site.output(entry).is_file()
        box = panel(site, entry)
    if site.ext == "pdf" or not built:
        url = f"/{entry.name}.pdf?v={good}" if site.ext == "pdf" and built else None
        return _shell(site, entry.label, n, pdf=site.ext == "pdf", pdf_url=url, panel=box)
    page = POLICY.sub(lambda _m: f'<meta http-equiv="Content-Security-Policy" '
                                 f'content="{escape(csp(n))}">',
                      site.output(entry).read_text(encoding="utf-8"), count=1)
    added = (f"<style>{_asset('panel.css')}</style>\n{box}\n"
             f'<script nonce="{n}">{_asset("live.js")}</script>\n')
    at = page.rfind("</body>")
    return (page[:at] + added + page[at:]).encode("utf-8") if at >= 0 else \
        (page + added).encode("utf-8")


def index(site: Site) -> bytes:
    """Every proposal of the folder, linked, with its status and how its build went."""
    with site.changed:
        rows = [{"href": f"/{e.name}.html", "label": e.label, "file": printable(e.source),
                 "status": e.status, "error": e.error, "built": bool(e.good),
                 "findings": len(e.findings) + len(e.across)}
                for e in sorted(site.entries.values(), key=lambda e: e.name.lower())]
        box = panel(site, None)
    folders = ", ".join(printable(p) for p in site.paths)
    return _shell(site, f"epdoc preview: {folders}", nonce(), entries=rows, panel=box)
