"""How a proposal's status shows in every format: a watermark (Draft) or a banner
(Rejected, Withdrawn, Superseded...) naming and linking the superseding proposal."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

import panflute as pf

from epdoc.pipeline.config.theme import status_class
from epdoc.pipeline.core.record import canonical_key, id_from_filename

EP_RE = re.compile(r"\bEP[-_ ]?(\d+)\b", re.IGNORECASE)
SENTENCES = {"rejected": "This proposal was rejected", "withdrawn": "This proposal was withdrawn",
             "superseded": "This proposal is superseded", "deferred": "This proposal is deferred"}


@dataclass
class Banner:
    status: str
    css: str
    sentence: str  # "This proposal is superseded"
    note: str | None = None
    link_label: str | None = None  # "EP-021"
    href: str | None = None  # in the output format: "EP-021-x.pdf", or a web address

    @property
    def text(self) -> str:
        """The banner as plain text (DOCX, tests)."""
        s = self.sentence
        if self.link_label:
            s += f" by {self.link_label}"
        s += "."
        if self.note:
            s += f" ({self.note})"
        return s


def _entry(document, name):
    for entry in document.context.meta_entries:
        if (getattr(entry, "name", None) or canonical_key(entry.key)) == name:
            return entry
    return None


def shown(document) -> str | None:
    """The theme status the proposal's status shows as: its process maps its own words
    (a KEP's provisional shows as Draft, with the watermark; replaced as Superseded)."""
    status = document.record.status
    process = getattr(document.context, "process", None)
    return process.shown(status) if process is not None else status


def sibling(source: Path, number: int) -> Path | None:
    """The proposal numbered `number` in the same folder as `source`."""
    for path in sorted(source.parent.glob("*.md")):
        if path != source and id_from_filename(path.stem)[1] == number:
            return path
    return None


def superseded_by(document) -> tuple[str, str | None] | None:
    """(label, link) of the proposal that supersedes this one; the link is relative to the
    proposal's folder (a .md path) or a web address, or None when it cannot be found."""
    entry = _entry(document, "superseded_by")
    if entry is None or not entry.text:
        return None
    label = entry.text
    links = []
    pf.Plain(*entry.inlines).walk(lambda e, _d: links.append(e) if isinstance(e, pf.Link) else None)
    if links:
        return pf.stringify(links[0]).strip() or label, links[0].url
    m = EP_RE.search(label)
    if m:
        found = sibling(document.source, int(m.group(1)))
        if found is not None:
            return label, found.name
    return label, None


def retarget(url: str, ext: str | None) -> str:
    """A relative link to a proposal (`EP-2.md#x`) pointed at its output in format `ext`."""
    parts = urlsplit(url)
    if parts.scheme or parts.netloc or not parts.path.endswith(".md") or not ext:
        return url
    path = unquote(parts.path)[: -len(".md")] + f".{ext}"
    return path + (f"#{parts.fragment}" if parts.fragment else "")


def banner(document, theme, ext: str | None) -> Banner | None:
    rec = document.record
    status = shown(document)
    if not theme.has_banner(status):
        return None
    css = status_class(status)
    if status == rec.status:
        sentence = SENTENCES.get(css, f"This proposal is {rec.status.lower()}")
    else:  # a process's own word for it: "This proposal was replaced"
        sentence = f"This proposal was {rec.status.lower()}"
    b = Banner(rec.status, css, sentence, rec.status_note)
    if css == "superseded":
        found = superseded_by(document)
        if found:
            b.link_label, link = found
            b.href = retarget(link, ext) if link else None
    return b


def context(document, theme, ext: str | None) -> dict:
    """What the page template needs to show the status."""
    status = shown(document)
    return {
        "status_class": status_class(status),
        "watermark": theme.watermark_for(status),
        "banner": banner(document, theme, ext),
    }
