"""What the rules look at: one loaded proposal, with every position taken from the source."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import panflute as pf

from epdoc.pipeline.core.record import canonical_key
from epdoc.pipeline.reading.anchors import SUFFIX_RE, slug

FRONT_KEY_RE = re.compile(r"^([^\s#:'\"-][^:]*?|'[^']+'|\"[^\"]+\")\s*:(\s|$)")
GENERATED_IDS = ("metadata", "approvals", "toc")  # Divs the filters insert
GENERATED_CLASSES = ("ep-approvals",)  # ... also known by class (its id yields to the author's)


def generated(block) -> bool:
    """Whether a top-level block is one the filters inserted (metadata, approvals, contents)."""
    return isinstance(block, pf.Div) and (block.identifier in GENERATED_IDS or any(
        c in block.classes for c in GENERATED_CLASSES))


def id_text(inlines) -> str:
    """Heading text as pandoc makes identifiers from it: emoji by name, code by its text."""
    out = []
    for el in inlines:
        if isinstance(el, pf.Span) and "emoji" in el.classes:
            out.append(el.attributes.get("data-emoji", ""))
        elif isinstance(el, (pf.Str, pf.Code, pf.Math, pf.RawInline)):
            out.append(el.text)
        elif isinstance(el, (pf.Space, pf.SoftBreak, pf.LineBreak)):
            out.append(" ")
        elif hasattr(el, "content"):
            out.append(id_text(el.content))
    return "".join(out)


@dataclass
class Field:
    """One metadata key as written, with where it is."""
    key: str
    values: list[str]
    line: int | None
    column: int | None
    name: str | None  # the record field it means, None when unknown
    end: int | None = None  # its last line (a front-matter list spans several)
    file: Path | None = None  # the sidecar it is written in (kep.yaml), None: the proposal
    lines: list[str] | None = None  # that sidecar's lines

    @property
    def text(self) -> str:
        return ", ".join(v for v in self.values if v)


@dataclass
class Heading:
    level: int
    text: str
    identifier: str
    line: int | None
    column: int | None
    elem: pf.Header | None = None  # None for the title, which the metadata filter lifts

    @property
    def slug(self) -> str:
        """The anchor before pandoc (and GitHub) add -1, -2 to tell duplicates apart: the
        identifier's own base when only its runs of spaces differ (reading/anchors.py)."""
        base = slug(id_text(self.elem.content) if self.elem is not None else self.text)
        ident = self.identifier or ""
        for candidate in (ident, SUFFIX_RE.sub("", ident)):
            if candidate != base and re.sub("-+", "-", candidate) == re.sub("-+", "-", base):
                return candidate
        return base


@dataclass
class View:
    source: Path
    lines: list[str]
    record: object
    fields: list[Field]
    title: Heading | None
    headings: list[Heading]  # the title first (when there is one), then the body's
    doc: pf.Doc
    positions: dict[int, tuple[int, int]] = field(default_factory=dict)
    process: object = None  # the proposal's process (config/process.py)

    @classmethod
    def of(cls, document) -> View:
        ctx = document.context
        lines = document.text.split("\n")
        title = None
        if ctx.title_pos is not None and ctx.display_title:
            line, col = ctx.title_pos
            anchor = ctx.title_id or slug(ctx.display_title)
            title = Heading(1, ctx.display_title, anchor, line, col)
        heads = [title] if title else []
        for block in document.doc.content:
            if isinstance(block, pf.Header):
                line, col = ctx.where(block)
                heads.append(Heading(block.level, pf.stringify(block).strip(),
                                     block.identifier, line, col, block))
        fields = _fields(ctx.meta_entries, lines)
        return cls(document.source, lines, document.record, fields, title, heads,
                   document.doc, ctx.positions, getattr(ctx, "process", None))

    def where(self, elem) -> tuple[int | None, int | None]:
        return self.positions.get(id(elem), (None, None))

    def column_of(self, line: int | None, needle: str, default: int | None = 1) -> int | None:
        """The column of `needle` on source line `line` (1-based), else `default`."""
        if line and 0 < line <= len(self.lines):
            at = self.lines[line - 1].find(needle)
            if at >= 0:
                return at + 1
        return default

    def find(self, needle: str, start: int = 1) -> tuple[int | None, int | None]:
        """The first place `needle` is written from line `start` on (for text pandoc gives no
        position, such as a footnote's)."""
        for n in range(max(start, 1), len(self.lines) + 1):
            at = self.lines[n - 1].find(needle)
            if at >= 0:
                return n, at + 1
        return None, None

    def locate(self, f: Field, needle: str) -> tuple[int | None, int | None]:
        """Where `needle` is written in the value of field `f` (else where the field is)."""
        if not f.line:
            return None, None
        lines = f.lines if f.lines is not None else self.lines
        for n in range(f.line, min(f.end or f.line, len(lines)) + 1):
            text, start = lines[n - 1], 0
            if n == f.line:  # skip the key and its colon
                colon = text.find(":", max(text.find(f.key), 0) + len(f.key))
                start = colon + 1 if colon >= 0 else 0
            at = text.find(needle, start)
            if at >= 0:
                return n, at + 1
        return f.line, f.column

    @property
    def top(self) -> tuple[int, int]:
        """Where to report what is missing from the whole proposal: the metadata, else the
        title, else line 1."""
        for f in self.fields:
            if f.line and f.file is None:
                return f.line, f.column or 1
        if self.title and self.title.line:
            return self.title.line, self.title.column or 1
        return 1, 1

    def field(self, name: str) -> Field | None:
        """The first field meaning record field `name` (the one the record uses)."""
        for f in self.fields:
            if f.name == name:
                return f
        return None

    def body_blocks(self):
        """Top-level blocks written by the author (not the generated table and contents)."""
        for block in self.doc.content:
            if generated(block):
                continue
            yield block


def front_matter_keys(lines: list[str]) -> dict[str, tuple[int, int]]:
    """Top-level keys of a YAML front matter block -> their first and last lines."""
    starts: dict[str, int] = {}
    if not lines or lines[0].rstrip() != "---":
        return {}
    close = len(lines) + 1
    for i, line in enumerate(lines[1:], 2):
        if line.rstrip() in ("---", "..."):
            close = i
            break
        m = FRONT_KEY_RE.match(line)
        if m:
            starts.setdefault(m.group(1).strip("'\""), i)
    order = sorted(starts.values()) + [close]
    return {k: (n, order[order.index(n) + 1] - 1) for k, n in starts.items()}


def _fields(entries, lines) -> list[Field]:
    front = front_matter_keys(lines)
    fields = []
    sidecars: dict = {}
    for e in entries:
        line, col, end = e.line, e.column, e.line
        name = e.name if hasattr(e, "name") else canonical_key(e.key)
        file = getattr(e, "file", None)
        if file is not None:
            if file not in sidecars:
                sidecars[file] = file.read_text(encoding="utf-8", errors="replace").split("\n")
            end = _yaml_end(sidecars[file], line)
            fields.append(Field(e.key, list(e.values), line, col, name, end, file,
                                sidecars[file]))
            continue
        if line is None and e.key in front:
            (line, end), col = front[e.key], 1
        fields.append(Field(e.key, list(e.values), line, col, name, end))
    fields.sort(key=lambda f: (f.file is not None, f.line is None, f.line or 0))
    return fields


def _yaml_end(lines: list[str], line: int | None) -> int | None:
    """The last line of the top-level YAML key on `line` (its list or mapping below it)."""
    if not line:
        return line
    end = line
    for n in range(line + 1, len(lines) + 1):
        text = lines[n - 1]
        if text.strip() and not text[0].isspace() and not text.startswith("-"):
            break
        if text.strip():
            end = n
    return end
