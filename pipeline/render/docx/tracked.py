"""Tracked changes in a DOCX: the runs pandoc wrote inside a redline's marks (bookmarks named
after the mark, pipeline/redline/diff.py) become real insertions and deletions (`w:ins`,
`w:del` with `w:delText`) with their author and date; a paragraph or table row wholly inside
one is marked too, so Word and LibreOffice accept or reject it whole."""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass

import docx
from docx.oxml import OxmlElement
from docx.oxml.ns import qn

from epdoc.pipeline.core import reproducible
from epdoc.pipeline.render.docx import package

FIRST_ID = 90000  # revision ids, apart from pandoc's bookmark ids
BLOCK_PREFIX = "rlb-"


@dataclass(frozen=True)
class Who:
    author: str
    date: str  # ISO 8601


def utc(date: str) -> str:
    """`date` (ISO 8601, any offset) as the UTC time Word writes (...Z)."""
    try:
        when = dt.datetime.fromisoformat(date)
    except (TypeError, ValueError):
        return date
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)
    return when.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


class Revisions:
    def __init__(self, marks: dict[str, tuple[str, Who]]):
        self.marks = marks  # bookmark name -> (ins|del, who)
        self.next_id = FIRST_ID

    def element(self, kind: str, who: Who):
        el = OxmlElement(f"w:{kind}")
        el.set(qn("w:id"), str(self.next_id))
        el.set(qn("w:author"), who.author or "unknown")
        el.set(qn("w:date"), utc(who.date))
        self.next_id += 1
        return el

    def apply(self, body) -> int:
        """Turn the marks in `body` into revisions; how many runs were marked."""
        open_marks: list[str] = []
        ids: dict[str, str] = {}
        runs, paragraphs, drop = [], [], []
        for el in body.iter(qn("w:bookmarkStart"), qn("w:bookmarkEnd"), qn("w:r"), qn("w:p")):
            if el.tag == qn("w:bookmarkStart") and el.get(qn("w:name")) in self.marks:
                ids[el.get(qn("w:id"))] = el.get(qn("w:name"))
                open_marks.append(el.get(qn("w:name")))
                drop.append(el)
            elif el.tag == qn("w:bookmarkEnd") and el.get(qn("w:id")) in ids:
                name = ids.pop(el.get(qn("w:id")))
                if name in open_marks:
                    open_marks.remove(name)
                drop.append(el)
            elif el.tag == qn("w:r") and open_marks:
                runs.append((el, open_marks[-1]))
            elif el.tag == qn("w:p"):
                blocks = [m for m in open_marks if m.startswith(BLOCK_PREFIX)]
                if blocks:
                    paragraphs.append((el, blocks[-1]))
        for run, name in runs:
            kind, who = self.marks[name]
            if run.getparent().tag in (qn("w:ins"), qn("w:del")):
                continue
            if kind == "del":
                for t in run.iter(qn("w:t"), qn("w:instrText")):
                    t.tag = qn("w:delText") if t.tag == qn("w:t") else qn("w:delInstrText")
            wrapper = self.element(kind, who)
            run.addprevious(wrapper)
            wrapper.append(run)
        marked = {}
        for p, name in paragraphs:
            kind, who = self.marks[name]
            self.paragraph_mark(p, kind, who)
            marked[p] = (kind, who)
        self.rows(body, marked)
        for el in drop:
            el.getparent().remove(el)
        return len(runs)

    def paragraph_mark(self, p, kind: str, who: Who) -> None:
        ppr = p.find(qn("w:pPr"))
        if ppr is None:
            ppr = OxmlElement("w:pPr")
            p.insert(0, ppr)
        rpr = ppr.find(qn("w:rPr"))
        if rpr is None:
            rpr = OxmlElement("w:rPr")
            after = [c for c in ppr if c.tag in (qn("w:sectPr"), qn("w:pPrChange"))]
            if after:
                after[0].addprevious(rpr)
            else:
                ppr.append(rpr)
        rpr.insert(0, self.element(kind, who))

    def rows(self, body, marked: dict) -> None:
        """A table row whose every paragraph is inserted (deleted) is an inserted (deleted)
        row."""
        for tr in body.iter(qn("w:tr")):
            kinds = [marked.get(p) for p in tr.iter(qn("w:p"))]
            if not kinds or any(k is None for k in kinds) or len({k[0] for k in kinds}) != 1:
                continue
            kind, who = kinds[0]
            trpr = tr.find(qn("w:trPr"))
            if trpr is None:
                trpr = OxmlElement("w:trPr")
                before = tr.find(qn("w:tblPrEx"))
                if before is not None:
                    before.addnext(trpr)
                else:
                    tr.insert(0, trpr)
            trpr.append(self.element(kind, who))


def apply(data: bytes, marks: dict[str, tuple[str, Who]], options=None) -> bytes:
    """The DOCX `data` with its redline marks as tracked changes."""
    d = docx.Document(io.BytesIO(data))
    Revisions(marks).apply(d.element.body)
    moment = reproducible.when(options) if options is not None else None
    return package.save(d, moment)
