"""The review packet: one PDF with a cover, an index (page numbers linked), then every
proposal from a new page with its own running header, bookmarks nested per proposal, and
links between proposals of the packet turned into jumps inside it.

One WeasyPrint render of one HTML document, so the index's page numbers are the real ones
(target-counter). Each proposal's ids are prefixed with its anchor so they never collide."""

from __future__ import annotations

import io
import re
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pypdf
from lxml import etree
from lxml import html as lxml_html
from markupsafe import Markup

from epdoc import __version__
from epdoc.pipeline.config import layout
from epdoc.pipeline.config import theme as themes
from epdoc.pipeline.core import atomic, reproducible, settings
from epdoc.pipeline.core.errors import one_line
from epdoc.pipeline.reading import document as documents
from epdoc.pipeline.reading.sources import output_names
from epdoc.pipeline.render import language, status
from epdoc.pipeline.render.html import page
from epdoc.pipeline.render.pdf.writer import PdfWriter, render

DRAFT_DATE_RE = re.compile(r"(?:^|[-_])(\d{4})-?(\d{2})-?(\d{2})(?:[-_]|$)")
OUTPUT_SUFFIXES = ("", ".md", ".markdown", ".pdf", ".html", ".docx")
DEFAULT_TITLE = settings.PACKET_TITLE


@dataclass
class Member:
    document: documents.Document
    anchor: str
    html: str = ""
    highlight_css: str = ""
    change: str = ""  # with --since: changed, new or unchanged (listed only)
    summary: object = None  # with --since: the redline's summary (redline/present.py)

    @property
    def record(self):
        return self.document.record

    @property
    def key(self) -> Path:
        return self.document.source.resolve().with_suffix("")


@dataclass
class Packet:
    members: list[Member] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    skipped: int = 0  # proposals whose status was not asked for
    pages: int = 0
    seconds: float = 0.0
    since: str = ""  # with --since: what the redlines compare with


def draft_date(document) -> str:
    """The date an unnumbered proposal sorts by: created, else the file name's date."""
    rec = document.record
    if rec.created:
        return rec.created
    m = DRAFT_DATE_RE.search(document.source.stem)
    if m:
        return "-".join(m.groups())
    return rec.updated or "9999"


def order_key(document) -> tuple:
    """Numbered proposals by number, then the others (drafts) by date, then title."""
    rec = document.record
    title = (rec.title or document.title or document.stem).lower()
    if rec.number is not None:
        return (0, rec.number, "", title)
    return (1, 0, draft_date(document), title)


def anchor_for(document, taken: set[str]) -> str:
    base = re.sub(r"[^a-z0-9]+", "-", (document.record.id or document.stem).lower()).strip("-")
    base = f"p-{base or 'proposal'}"
    anchor, n = base, 2
    while anchor in taken:
        anchor, n = f"{base}-{n}", n + 1
    taken.add(anchor)
    return anchor


def wanted(status_value: str | None, statuses) -> bool:
    if not statuses:
        return True
    value = (status_value or "none").lower()
    return value in {s.lower() for s in statuses}


def load(sources, options, statuses=None, on_error=None, since=None) -> Packet:
    """The packet's members, loaded, selected by status and ordered; with `since` (a git
    revision), each changed one as its redline (pipeline/redline/)."""
    packet = Packet()
    found = []
    sources = [Path(s) for s in sources]
    # links between the members point at each other by these names
    named = output_names(sources, getattr(options, "process", None))
    options = options.with_(extra={**options.extra, layout.OUTPUTS: {
        layout.key(s): n for s, n in named.items()}})
    for source in sources:
        try:
            doc = documents.load(source, options)
        except Exception as exc:  # noqa: BLE001 - one bad proposal never stops the packet
            packet.failures.append(one_line(exc, source))
            if on_error:
                on_error(packet.failures[-1])
            continue
        if wanted(doc.record.status, statuses):
            found.append(doc)
        else:
            packet.skipped += 1
    taken: set[str] = set()
    for doc in sorted(found, key=order_key):
        packet.members.append(Member(doc, anchor_for(doc, taken)))
    if since:
        redlined(packet, options, since, on_error)
    return packet


def redlined(packet: Packet, options, since: str, on_error=None) -> None:
    """Each member as its redline since `since`, or marked unchanged."""
    from epdoc.pipeline.redline.run import Redliner

    redliner = Redliner(options.with_(formats=("pdf",)), since)
    packet.since = redliner.label
    kept = []
    for m in packet.members:
        try:
            compared = redliner.compare(m.document.source, m.document)
        except Exception as exc:  # noqa: BLE001 - one bad proposal never stops the packet
            packet.failures.append(one_line(exc, m.document.source))
            if on_error:
                on_error(packet.failures[-1])
            continue
        if compared is None:
            m.change = "unchanged"
        else:
            m.change, m.summary = compared.summary.state, compared.summary
            m.document = redliner.presented(compared, "pdf")
        kept.append(m)
    packet.members = kept


def _in_svg(el) -> bool:
    return any(isinstance(a.tag, str) and a.tag.endswith("svg") for a in el.iterancestors())


def _target(href: str, source_dir: Path, members: dict[Path, Member]) -> str | None:
    """The in-packet address of a link to another proposal of the packet, or None."""
    parts = urlsplit(href)
    if parts.scheme or parts.netloc or not parts.path:
        return None
    frag = unquote(parts.fragment)
    name = unquote(parts.path)
    for suffix in OUTPUT_SUFFIXES[1:]:  # an output's name, as links to the run's proposals
        if "/" not in name and name.endswith(suffix) and name[:-len(suffix)] in members:
            member = members[name[:-len(suffix)]]
            return f"#{member.anchor}--{frag}" if frag else f"#{member.anchor}"
    path = (source_dir / unquote(parts.path)).resolve()
    for suffix in OUTPUT_SUFFIXES:
        if path.suffix.lower() == suffix:
            key = path.with_suffix("") if suffix else path
            member = members.get(key)
            if member is not None:
                frag = unquote(parts.fragment)
                return f"#{member.anchor}--{frag}" if frag else f"#{member.anchor}"
    return None


def localize(fragment: str, member: Member, members: dict[Path, Member]) -> str:
    """One proposal's article for the packet: ids prefixed, its own links and links to other
    members pointed inside the packet, relative images made absolute."""
    root = lxml_html.fragment_fromstring(fragment, create_parent="div")
    prefix = f"{member.anchor}--"
    src_dir = member.document.source.parent.resolve()
    for el in root.iter():
        if not isinstance(el.tag, str) or _in_svg(el):
            continue
        if el.get("id") and el.tag != "article":
            el.set("id", prefix + el.get("id"))
        if el.tag == "a" and el.get("href"):
            href = el.get("href")
            if href.startswith("#") and len(href) > 1:
                el.set("href", "#" + prefix + href[1:])
            else:
                inside = _target(href, src_dir, members)
                if inside:  # other links stay as written: relative to the packet's folder
                    el.set("href", inside)
        if el.tag == "img" and el.get("src"):
            parts = urlsplit(el.get("src"))
            if not parts.scheme and not parts.netloc and parts.path:
                el.set("src", (src_dir / unquote(parts.path)).as_uri())
    title = root.find(".//h1[@class='title']")
    if title is not None:
        rec = member.record
        title.set("class", "title bookmark-1")
        title.set("data-bookmark", f"{rec.id}: {rec.title or member.document.title}"
                  if rec.id else (rec.title or member.document.title))
    return "".join(etree.tostring(child, encoding="unicode", method="html") for child in root)


class PacketBuilder:
    def __init__(self, options, title: str | None = None, on_error=None):
        self.options = options
        self.on_error = on_error
        self.theme = themes.load(options.theme)
        self.writer = PdfWriter(options, self.theme)
        self.title = title or DEFAULT_TITLE
        self.env = page._env(self.theme.root / "templates")

    def article(self, member: Member, members) -> None:
        doc = member.document
        css, body = self.writer.body(doc, bookmark_offset=1)
        shown = status.context(doc, self.theme, "pdf")
        html = self.env.get_template("proposal.html").render(
            record=doc.record, heading=doc.record.title or doc.title, body=Markup(body),
            anchor=member.anchor, article_lang=language.of(doc, self.theme), **shown)
        member.html = localize(html, member, members)
        member.highlight_css = css

    def html(self, packet: Packet) -> str:
        members: dict = {m.key: m for m in packet.members}
        for m in packet.members:  # and by their outputs' name (a folder proposal's folder)
            members.setdefault(m.document.stem, m)
        ready = []
        for m in packet.members:
            try:
                self.article(m, members)
                ready.append(m)
            except Exception as exc:  # noqa: BLE001 - one bad proposal never stops the packet
                packet.failures.append(one_line(exc, m.document.source))
                if self.on_error:
                    self.on_error(packet.failures[-1])
        packet.members = ready
        theme = self.theme
        highlight = list(dict.fromkeys(m.highlight_css for m in ready if m.highlight_css.strip()))
        shown = [m for m in ready if m.change != "unchanged"]
        css = [theme.css_variables(), theme.font_face_css(lambda p: p.as_uri()),
               theme.css("base.css"), theme.status_css(), theme.css("github.css"), *highlight,
               theme.page_css(), theme.css("print.css"), theme.css("packet.css")]
        authors = list(dict.fromkeys(a for m in ready for a in m.record.authors))
        counts: dict[str, int] = {}
        for m in ready:
            key = m.record.status or "No status"
            counts[key] = counts.get(key, 0) + 1
        date = reproducible.now(self.options).date().isoformat()
        return self.env.get_template("packet.html").render(
            title=self.title, date=date, members=ready, shown=shown, counts=counts,
            lang=language.theme_lang(theme),
            since=packet.since,
            css=Markup("\n".join(css)), version=__version__,
            meta=[("author", ", ".join(authors)),
                  ("description", f"Review packet: {len(ready)} proposals"),
                  ("keywords", ", ".join(m.record.id for m in ready if m.record.id)),
                  ("dcterms.created", date), ("dcterms.modified", date)],
            status_class=themes.status_class)

    def write(self, packet: Packet, target: Path, report=None) -> bytes:
        html = self.html(packet)
        roots = list(dict.fromkeys(r for m in packet.members
                                   for r in self.writer.roots(m.document)))
        warnings: list[str] = []
        base = Path(target).parent.resolve().as_uri() + "/"
        pdf = render(html, base_url=base, roots=roots,
                     allow_network=self.options.allow_network, report=warnings.append,
                     options=self.writer.pdf_options(None))
        for msg in warnings:
            if report:
                report(msg)
        atomic.write_bytes(target, pdf)
        return pdf


def build(sources, target: Path, options, *, statuses=None, title=None,
          on_error=None, on_warning=None, since=None) -> Packet:
    t0 = time.perf_counter()
    packet = load(sources, options, statuses, on_error, since)
    if packet.members:
        builder = PacketBuilder(options, title, on_error)
        data = builder.write(packet, Path(target), on_warning)
        packet.pages = len(pypdf.PdfReader(io.BytesIO(data)).pages)
    packet.seconds = time.perf_counter() - t0
    return packet
