"""Template rules: placeholders and instructions left in, required sections, empty sections,
heading levels that skip."""

from __future__ import annotations

import re
from collections.abc import Iterator

import panflute as pf

from epdoc.pipeline.lint.codes import Finding
from epdoc.pipeline.lint.config import Config
from epdoc.pipeline.lint.view import generated

# bracketed words (not "[beta]"), EP-XXX
TITLE_PLACEHOLDER_RE = re.compile(r"\[[^\]\n]*\s[^\]\n]*\]|\bEP-X{2,}\b|\bX{3,}\b")
# in prose only what cannot be meant: YYYY-MM-DD may well describe a date format
BODY_PLACEHOLDER_RE = re.compile(
    r"\bEP-X{2,}\b|\[(?:Your Name|Enhancement Title|GitHub IDs?\b[^\]\n]*|Name of [^\]\n]+)\]",
    re.IGNORECASE)
HEADING_PLACEHOLDER_RE = re.compile(r"\[[^\]\n]*\s[^\]\n]*\]|\bEP-X{2,}\b")
INSTRUCTION_RE = re.compile(r"^\[(?!!)[^\[\]]+\]\.?$", re.DOTALL)
ELLIPSIS = r"(?:\.\.\.|…)"
ELLIPSIS_ITEM_RE = re.compile(
    rf"^{ELLIPSIS}$|^[^.:]{{1,40}}:\s*{ELLIPSIS}$|^[A-Z][\w-]*(?: [\w-]+)? \d+\s*{ELLIPSIS}$")
NUMBERING_RE = re.compile(r"^\s*(?:\d+(?:\.\d+)*\.?|[ivx]+\.|[a-z][.)])\s+", re.IGNORECASE)
BREAKS = (pf.SoftBreak, pf.LineBreak)
FILTER_SPANS = {"missing-image", "placeholder"}  # text the filters put in, not the author


def _text(inlines) -> str:
    """Plain text of inlines, without code, math and raw HTML (a placeholder there is an
    example, not a leftover)."""
    out = []
    for el in inlines:
        if isinstance(el, pf.Str):
            out.append(el.text)
        elif isinstance(el, (pf.Space, *BREAKS)):
            out.append(" ")
        elif isinstance(el, (pf.Code, pf.Math, pf.RawInline, pf.Note)) or (
                isinstance(el, pf.Span) and FILTER_SPANS.intersection(el.classes)):
            out.append("\x00")
        elif isinstance(el, pf.Quoted):
            q = '"' if el.quote_type == "DoubleQuote" else "'"
            out.append(q + _text(el.content) + q)
        elif hasattr(el, "content"):
            out.append(_text(el.content))
    return "".join(out)


def _lines(inlines):
    """Inlines split at line breaks: (offset from the block's first line, text)."""
    line, n = [], 0
    for el in inlines:
        if isinstance(el, BREAKS):
            yield n, _text(line)
            line, n = [], n + 1
        else:
            line.append(el)
    yield n, _text(line)


def _short(text: str, n: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1].rstrip() + "…"


def _title(view) -> Iterator[Finding]:
    t = view.title
    if t is None:
        return
    for m in TITLE_PLACEHOLDER_RE.finditer(t.text):
        yield Finding("placeholder", t.line, view.column_of(t.line, m.group(), t.column),
                      f"the title still holds the template placeholder {m.group()}")


def _walk(blocks, view) -> Iterator[Finding]:
    for block in blocks:
        if generated(block):
            continue
        line, col = view.where(block)
        if isinstance(block, (pf.Para, pf.Plain, pf.Header)):
            pattern = HEADING_PLACEHOLDER_RE if isinstance(block, pf.Header) else \
                BODY_PLACEHOLDER_RE
            for offset, text in _lines(block.content):
                for m in pattern.finditer(text):
                    at, where = (line + offset, view.column_of(line + offset, m.group(), col)) \
                        if line else view.find(m.group())
                    yield Finding("placeholder", at, where,
                                  f"template placeholder {m.group()} left in")
            if not isinstance(block, pf.Header):
                whole = _text(block.content).strip()
                if INSTRUCTION_RE.match(whole) and len(whole.split()) >= 3:
                    at, where = (line, col) if line else view.find(whole.split("\n")[0][:30])
                    yield Finding("template-instructions", at, where,
                                  f"instructions left from the template: {_short(whole)}")
            for note in _notes(block.content):
                yield from _walk(note.content, view)
        elif isinstance(block, pf.CodeBlock):
            whole = block.text.strip()
            if "\n" not in whole and INSTRUCTION_RE.match(whole) and len(whole.split()) >= 3:
                yield Finding("template-instructions", line, col,
                              f"a code block still holds the template's {_short(whole)}")
        elif isinstance(block, (pf.BulletList, pf.OrderedList)):
            for item in block.content:
                first = item.content[0] if len(item.content) else None
                if isinstance(first, (pf.Plain, pf.Para)):
                    text = " ".join(_text(first.content).split())
                    if ELLIPSIS_ITEM_RE.match(text):
                        iline, icol = view.where(first)
                        yield Finding("placeholder", iline, icol,
                                      f"list item {text!r} left from the template")
                yield from _walk(item.content, view)
        elif isinstance(block, pf.DefinitionList):
            for item in block.content:
                for d in item.definitions:
                    yield from _walk(d.content, view)
        elif isinstance(block, (pf.BlockQuote, pf.Div)):
            yield from _walk(block.content, view)
        elif isinstance(block, pf.Table):
            for cell in _cells(block):
                yield from _walk(cell.content, view)


def _notes(inlines):
    """Footnotes among `inlines` (their text is the author's too)."""
    for el in inlines:
        if isinstance(el, pf.Note):
            yield el
        elif not isinstance(el, (pf.Str, pf.Code, pf.Math, pf.RawInline)) \
                and hasattr(el, "content"):
            yield from _notes(el.content)


def _cells(table: pf.Table):
    parts = [table.head, *table.content, table.foot]
    for part in parts:
        if part is None:
            continue
        for row in part.content:
            yield from row.content


def normalize(heading: str) -> str:
    """A heading's words for matching section names: no numbering, case or punctuation."""
    text = NUMBERING_RE.sub("", heading.lower()).replace("&", " and ")
    text = re.sub(r"[^\w\s]|_", " ", text)
    return " ".join(text.split())


def _sections(view, config: Config) -> Iterator[Finding]:
    have = {normalize(h.text) for h in view.headings if h is not view.title}
    line, col = (view.title.line, view.title.column) if view.title else (1, 1)
    status = (getattr(view.record, "status", None) or "").lower()
    only_from = dict(config.sections_from)
    for name, aliases in config.sections:
        if name in only_from and status not in only_from[name]:
            continue  # not required yet at this status
        names = (name, *aliases)
        if not any(normalize(n) in have for n in names):
            shown = ", ".join(aliases[:4]) + (", …" if len(aliases) > 4 else "")
            also = f" (or {shown})" if aliases else ""
            yield Finding("section-missing", line, col,
                          f"required section '{name}'{also} is missing")


def _empty(view) -> Iterator[Finding]:
    blocks = list(view.body_blocks())
    for i, block in enumerate(blocks):
        if not isinstance(block, pf.Header):
            continue
        nxt = blocks[i + 1] if i + 1 < len(blocks) else None
        if nxt is None or (isinstance(nxt, pf.Header) and nxt.level <= block.level):
            line, col = view.where(block)
            yield Finding("section-empty", line, col,
                          f"section '{_short(pf.stringify(block))}' is empty")


def _levels(view) -> Iterator[Finding]:
    prev = 1  # the title, written or not, is level 1
    for h in view.headings:
        if h is view.title:
            continue
        if h.level > prev + 1:
            yield Finding("heading-skip", h.line, h.column,
                          f"heading '{_short(h.text, 40)}' is level {h.level} ({'#' * h.level}) "
                          f"right after level {prev} ({'#' * prev}); use {'#' * (prev + 1)}")
        prev = h.level


def check(view, config: Config) -> Iterator[Finding]:
    yield from _title(view)
    yield from _walk(view.body_blocks(), view)
    yield from _sections(view, config)
    yield from _empty(view)
    yield from _levels(view)
