"""A redline as each format shows it, on a copy of the marked AST (diff.py): a summary at the
top in every format; HTML and PDF get <ins>/<del>, the changed blocks a bar in the margin
(styles/base.css, print.css), the changed headings a bookmark saying so; the DOCX keeps the
marks (bookmarks pandoc writes), which render/docx/tracked.py makes tracked changes."""

from __future__ import annotations

from dataclasses import dataclass, field

import panflute as pf

from epdoc.pipeline.redline.diff import DEL, INS, MOVED, MOVED_FROM, TEXT_BLOCKS, Changes

BAR = "redline-changed-block"


@dataclass
class Summary:
    """What a reader is told first, and `--report` writes."""

    base: str  # "origin/main (abc123def456, 2026-01-02)" or the older file
    state: str  # changed, unchanged, new
    words_added: int = 0
    words_removed: int = 0
    sections: list[str] = field(default_factory=list)
    section_ids: list[str] = field(default_factory=list)
    moved: list[str] = field(default_factory=list)
    metadata: list[tuple[str, str, str]] = field(default_factory=list)  # field, before, now
    renamed_from: str | None = None

    @classmethod
    def of(cls, base: str, state: str, changes: Changes, metadata, renamed_from=None):
        return cls(base, state, changes.words(INS), changes.words(DEL), list(changes.sections),
                   list(changes.section_ids), list(changes.moved), list(metadata),
                   renamed_from)

    def as_json(self) -> dict:
        return {"since": self.base, "state": self.state, "words_added": self.words_added,
                "words_removed": self.words_removed, "sections_changed": self.sections,
                "moved": self.moved, "renamed_from": self.renamed_from,
                "metadata": [{"field": f, "before": a, "now": b} for f, a, b in self.metadata]}


def _line(*inlines) -> list:
    out = []
    for x in inlines:
        if isinstance(x, str):
            words = x.split(" ")
            for k, w in enumerate(words):
                if k:
                    out.append(pf.Space())
                if w:
                    out.append(pf.Str(w))
        else:
            out.append(x)
    return out


def summary_block(s: Summary) -> pf.Div:
    head = "New since" if s.state == "new" else "Changes since"
    blocks = [pf.Para(*_line(pf.Strong(*_line(f"{head} {s.base}"))))]
    if s.renamed_from:
        blocks.append(pf.Para(*_line(f"Renamed from {s.renamed_from}.")))
    blocks.append(pf.Para(*_line(
        f"{s.words_added} words added, {s.words_removed} removed, in "
        f"{len(s.sections)} section{'' if len(s.sections) == 1 else 's'}:")))
    items = []
    for name, ident in zip(s.sections, s.section_ids, strict=False):
        text = _line(name)
        items.append(pf.ListItem(pf.Plain(pf.Link(*text, url=f"#{ident}") if ident else
                                          pf.Span(*text))))
    if items:
        blocks.append(pf.BulletList(*items))
    if s.metadata:
        rows = [pf.ListItem(pf.Plain(*_line(f"{name}: {before or '(none)'} → "
                                            f"{now or '(none)'}")))
                for name, before, now in s.metadata]
        blocks += [pf.Para(*_line("Metadata:")), pf.BulletList(*rows)]
    if s.moved:
        blocks += [pf.Para(*_line("Moved:")),
                   pf.BulletList(*[pf.ListItem(pf.Plain(*_line(m))) for m in s.moved])]
    return pf.Div(*blocks, identifier="redline-summary", classes=["redline-summary"])


def _marked_block(elem) -> bool:
    return isinstance(elem, pf.Div) and elem.identifier.startswith("rlb-")


def _inside_mark(elem) -> bool:
    node = elem.parent
    while node is not None:
        if _marked_block(node):
            return True
        node = getattr(node, "parent", None)
    return False


def _has_span(elem) -> bool:
    found = []
    elem.walk(lambda e, _d: found.append(e) if isinstance(e, pf.Span)
              and e.identifier.startswith("rl-") else None)
    return bool(found)


def _has_mark(elem) -> bool:
    found = []
    elem.walk(lambda e, _d: found.append(e) if isinstance(e, (pf.Span, pf.Div))
              and e.identifier.startswith(("rl-", "rlb-")) else None)
    return bool(found)


def _in_table(elem):
    node = elem.parent
    while node is not None:
        if isinstance(node, pf.Table):
            return node
        node = getattr(node, "parent", None)
    return None


def new_text(inlines) -> str:
    """The words of `inlines` as they read now (deletions left out)."""
    out = []
    for x in inlines:
        if isinstance(x, pf.Span) and DEL in x.classes and x.identifier.startswith("rl-"):
            continue
        if hasattr(x, "content") and not isinstance(x, pf.Image):
            out.append(new_text(x.content))
        else:
            out.append(pf.stringify(x))
    return " ".join("".join(out).split())


def page(doc: pf.Doc, summary: Summary) -> None:
    """HTML and PDF: <ins>/<del>, bars beside changed blocks, moved text told."""
    bars = []

    notes = {}

    def find(elem, _doc):
        if isinstance(elem, TEXT_BLOCKS) and _has_span(elem) and not _inside_mark(elem):
            bars.append(_in_table(elem) or elem)
        if isinstance(elem, pf.TableRow) and _has_mark(elem):
            elem.classes.append("redline-changed-row")
            table = _in_table(elem)
            if table is not None and not _inside_mark(table):
                bars.append(table)
        if _marked_block(elem) and MOVED_FROM in elem.classes:
            words = " · ".join(" ".join(pf.stringify(b).split()) for b in elem.content)
            notes[elem.identifier] = words[:80] + ("…" if len(words) > 80 else "")
        if isinstance(elem, pf.Header) and "redline-changed" in elem.classes:
            elem.attributes["title"] = f"{new_text(elem.content)} (changed)"

    doc.walk(find)
    for block in {id(b): b for b in bars}.values():
        parent, index = block.parent, block.index
        wrapper = pf.Div(classes=[BAR])
        parent.content[index] = wrapper
        wrapper.content.append(block)

    def inline(elem, _doc):
        if isinstance(elem, pf.Span) and elem.identifier.startswith("rl-"):
            kind = INS if INS in elem.classes else DEL
            cls = "redline moved" if MOVED in elem.classes else "redline"
            return [pf.RawInline(f'<{kind} class="{cls}">', "html"), *elem.content,
                    pf.RawInline(f"</{kind}>", "html")]
        if _marked_block(elem) and MOVED_FROM in elem.classes:
            elem.content = [pf.Para(pf.Emph(*_line("Moved from here:")), pf.Space(),
                                    *_line(notes.get(elem.identifier, "")))]
        elif _marked_block(elem) and MOVED in elem.classes:
            elem.content.insert(0, pf.Para(pf.Emph(*_line("Moved here:"))))
        return None

    doc.walk(inline)
    doc.content.insert(0, summary_block(summary))


def docx(doc: pf.Doc, summary: Summary) -> None:
    """DOCX: the marks stay (render/docx/tracked.py); the summary goes first."""
    doc.content.insert(0, summary_block(summary))
