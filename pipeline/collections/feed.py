"""The proposals as an Atom feed (RFC 4287), newest change first: one entry per proposal,
updated when it last changed (its last commit, else its Updated or Created date), linked to
its HTML output."""

from __future__ import annotations

import datetime as dt

from feedgen.feed import FeedGenerator

from epdoc import __version__

FEED_ID = "urn:epdoc:proposals"


def _when(value: str | None) -> dt.datetime | None:
    if not value:
        return None
    try:
        when = dt.datetime.fromisoformat(value)
    except ValueError:
        try:
            when = dt.datetime.fromisoformat(value[:10])
        except ValueError:
            return None
    return when if when.tzinfo else when.replace(tzinfo=dt.UTC)


def to_atom(entries, links, lives, title: str = "Proposals", now: dt.datetime | None = None) -> str:
    """`links[i]`: the entry's HTML link (relative to the feed); `lives[i]`: its git Life."""
    dated = []
    for entry, link, life in zip(entries, links, lives, strict=True):
        r = entry.record
        when = _when(life.changed) or _when(r.get("updated")) or _when(r.get("created"))
        dated.append((when or dt.datetime(1970, 1, 1, tzinfo=dt.UTC), entry, link, life))
    dated.sort(key=lambda t: (t[0], t[1].stem), reverse=True)
    fg = FeedGenerator()
    fg.id(FEED_ID)
    fg.title(title)
    fg.generator("epdoc", version=__version__)
    fg.updated(dated[0][0] if dated else (now or dt.datetime(1970, 1, 1, tzinfo=dt.UTC)))
    fg.link(href="index.html", rel="alternate")
    for when, entry, link, life in reversed(dated):  # feedgen lists the last added first
        r = entry.record
        fe = fg.add_entry()
        fe.id(f"urn:epdoc:proposal:{r.get('id') or entry.stem}")
        fe.title(" ".join(x for x in (r.get("id"), "·" if r.get("id") else "", entry.title)
                          if x))
        fe.updated(when)
        created = _when(r.get("created"))
        if created:
            fe.published(created)
        fe.link(href=link, rel="alternate", type="text/html")
        for author in r.get("authors") or []:
            fe.author(name=author)
        summary = f"Status: {entry.status_text or 'none'}"
        if life.commit:
            summary += f" · last change {life.commit[:12]}"
        fe.summary(summary)
        for status in {entry.status}:
            fe.category(term=status)
    if not all(e.record.get("authors") for e in entries):
        fg.author(name="epdoc")  # Atom wants an author for every entry; the feed's stands in
    return fg.atom_str(pretty=True).decode("utf-8")
