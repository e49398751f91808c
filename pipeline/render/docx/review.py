"""Reading back a DOCX epdoc wrote after a reviewer had it: every comment and tracked change,
with its author, date, the heading it sits under and its source line (from the hidden
bookmarks of docx/sourcemap.py)."""

from __future__ import annotations

import zipfile
from dataclasses import asdict, dataclass
from pathlib import Path

from lxml import etree

from epdoc.pipeline.core import settings
from epdoc.pipeline.core.errors import InputError
from epdoc.pipeline.render.docx.sourcemap import line_of

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
DC = "http://purl.org/dc/elements/1.1/"


def w(tag: str) -> str:
    return f"{{{W}}}{tag}"


@dataclass
class Remark:
    kind: str  # comment, insertion, deletion
    author: str
    date: str
    text: str  # the comment, or the words inserted or deleted
    heading: str  # the heading it sits under ("" before the first)
    line: int | None  # the source line of its paragraph (refined with the source, if given)
    quoted: str = ""  # for a comment: the text it is anchored to

    def as_dict(self) -> dict:
        return asdict(self)


def _parser():
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                           huge_tree=False, remove_pis=True)


def _part(z: zipfile.ZipFile, name: str, path: Path):
    try:
        info = z.getinfo(name)
    except KeyError:
        return None
    if info.file_size > settings.MAX_REVIEWED_DOCX_PART:
        raise InputError(f"its part {name} is larger than "
                         f"{settings.MAX_REVIEWED_DOCX_PART // (1024 * 1024)} MiB", path)
    try:
        return etree.fromstring(z.read(name), _parser())
    except etree.XMLSyntaxError as exc:
        raise InputError(f"its part {name} is not well-formed XML ({exc})", path) from None


def _text(el, tags=("t",)) -> str:
    return "".join(t.text or "" for t in el.iter(*(w(x) for x in tags)))


def _heading_styles(styles) -> set[str]:
    """Style ids of headings (and the title), whatever the document's language names them."""
    ids = set()
    if styles is None:
        return ids
    for style in styles.iter(w("style")):
        name = style.find(w("name"))
        label = (name.get(w("val")) if name is not None else "") or ""
        if label.lower().startswith(("heading", "title")) or style.find(
                f"{w('pPr')}/{w('outlineLvl')}") is not None:
            ids.add(style.get(w("styleId")))
    return ids


def open_docx(path: Path):
    """(document, comments, styles, core) XML roots of a DOCX, read with limits."""
    try:
        z = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as exc:
        raise InputError(f"is not a DOCX file ({exc}); give the .docx a reviewer returned",
                         path) from None
    with z:
        document = _part(z, "word/document.xml", path)
        if document is None:
            raise InputError("has no word/document.xml: not a Word document", path)
        return (document, _part(z, "word/comments.xml", path),
                _part(z, "word/styles.xml", path), _part(z, "docProps/core.xml", path))


def source_name(core) -> str | None:
    """The proposal's file name, as epdoc wrote it into the DOCX."""
    if core is None:
        return None
    found = core.find(f"{{{DC}}}identifier")
    return (found.text or "").strip() or None if found is not None else None


def read(path: Path) -> tuple[list[Remark], str | None]:
    """The remarks in reading order, and the proposal's file name the DOCX names."""
    document, comments, styles, core = open_docx(path)
    notes = {}
    if comments is not None:
        for c in comments.iter(w("comment")):
            text = "\n".join(_text(p) for p in c.iter(w("p"))).strip()
            notes[c.get(w("id"))] = (c.get(w("author")) or "", c.get(w("date")) or "", text)
    headings = _heading_styles(styles)
    out: list[Remark] = []
    open_comments: dict[str, Remark] = {}
    seen: set[str] = set()
    line, heading = None, ""
    for el in document.iter(w("p"), w("bookmarkStart"), w("commentRangeStart"),
                            w("commentRangeEnd"), w("ins"), w("del"), w("t"),
                            w("commentReference")):
        tag = etree.QName(el).localname
        if tag == "p":
            style = el.find(f"{w('pPr')}/{w('pStyle')}")
            if style is not None and style.get(w("val")) in headings:
                heading = _text(el).strip()
        elif tag == "bookmarkStart":
            found = line_of(el.get(w("name")))
            if found:
                line = found
        elif tag in ("commentRangeStart", "commentReference"):
            cid = el.get(w("id"))
            if cid in notes and cid not in seen:
                seen.add(cid)
                author, date, text = notes[cid]
                remark = Remark("comment", author, date, text, heading, line)
                open_comments[cid] = remark
                out.append(remark)
        elif tag == "commentRangeEnd":
            open_comments.pop(el.get(w("id")), None)
        elif tag == "t":
            for remark in open_comments.values():
                remark.quoted += el.text or ""
        elif tag in ("ins", "del"):
            if el.getparent() is not None and etree.QName(el.getparent()).localname == "rPr":
                continue  # a paragraph mark's change, not words
            text = _text(el, ("t",) if tag == "ins" else ("delText",))
            if not text.strip():
                continue
            kind = "insertion" if tag == "ins" else "deletion"
            author, date = el.get(w("author")) or "", el.get(w("date")) or ""
            last = out[-1] if out else None
            if last and last.kind == kind and last.author == author and last.line == line \
                    and last.heading == heading:
                last.text += text  # one change split over runs
            else:
                out.append(Remark(kind, author, date, text, heading, line))
    for remark in out:
        remark.quoted = remark.quoted.strip()
        if remark.kind != "comment":
            remark.text = " ".join(remark.text.split())
    return out, source_name(core)


def refine(remarks: list[Remark], source_text: str) -> None:
    """The exact source line of each remark's words, searched from its paragraph's line on
    (a paragraph spans several lines of markdown)."""
    lines = source_text.split("\n")
    for r in remarks:
        words = (r.quoted if r.kind == "comment" else r.text).split()
        if not r.line or not words:
            continue
        needle = " ".join(words[:4])
        for n in range(r.line, min(len(lines), r.line + 200) + 1):
            if needle and needle in " ".join(lines[n - 1].split()):
                r.line = n
                break
            if n > r.line and not lines[n - 1].strip():
                break  # the paragraph ended
