"""Identity rules: the id in the title, the metadata and the file name agree; drafts are
unnumbered; no two files in one run share an id."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from pathlib import Path

from epdoc.pipeline.core.record import (
    DRAFT_PREFIX_RE,
    TITLE_ID_RE,
    fold_key,
    format_id,
    id_from_filename,
)
from epdoc.pipeline.lint.codes import Finding

DRAFT_FILE_RE = re.compile(r"^draft[-_]", re.IGNORECASE)


def title_id(title: str | None) -> str | None:
    if not title:
        return None
    m = DRAFT_PREFIX_RE.match(title)
    m = TITLE_ID_RE.match(m.group(1) if m else title)
    if m and m.group(2).isdigit():
        return format_id(int(m.group(2)))
    return None


def field_id(text: str) -> str | None:
    m = TITLE_ID_RE.match(text.strip() + ":") or re.match(r"^\s*0*(\d+)\s*$", text)
    if m is None:
        return None
    digits = m.group(2) if m.re is TITLE_ID_RE else m.group(1)
    return format_id(int(digits)) if digits.isdigit() else None


def _number(text: str | None, pattern: str) -> int | None:
    m = re.search(pattern, text, re.IGNORECASE) if text and pattern else None
    if m is None:
        return None
    digits = m.groupdict().get("number") if m.re.groupindex else m.group(1)
    return int(digits) if digits and digits.isdigit() else None


def process_ids(view, proc) -> Iterator[Finding]:
    """Another process's ids agree: the title's (`KEP-2727:`), the folder's or file name's
    (`2727-grpc-probe`) and a key holding a plain number (`kep-number: 2727`)."""
    name = view.source.parent.name if proc.layout == "folder" else view.source.stem
    from_name = _number(name, proc.id_pattern) \
        if {"file", "folder"} & set(proc.id_from) else None
    title = view.title
    from_title = _number(title.text, proc.title_prefix) if title else None
    if from_title is not None and from_name is not None and from_title != from_name:
        yield Finding("id-mismatch", title.line, title.column,
                      f"the title says {proc.format_id(from_title)} but the "
                      f"{'folder' if proc.layout == 'folder' else 'file name'} {name} says "
                      f"{proc.format_id(from_name)}")
    expected = from_name if from_name is not None else from_title
    where = f"{'folder' if proc.layout == 'folder' else 'file name'} {name}"
    for f in view.fields:
        if fold_key(f.key) not in proc.id_keys or not re.fullmatch(r"\s*\d+\s*", f.text):
            continue
        if expected is not None and int(f.text) != expected:
            line, col = view.locate(f, f.text.strip())
            yield Finding("id-mismatch", line, col,
                          f"{f.key} says {proc.format_id(int(f.text))} but the "
                          f"{'title' if from_name is None else where} says "
                          f"{proc.format_id(expected)}", str(f.file) if f.file else None)


def check(view, config) -> Iterator[Finding]:
    if view.process is not None and view.process.name != "ep":
        yield from process_ids(view, view.process)
        return
    stem = view.source.stem
    from_file, _ = id_from_filename(stem)
    from_title = title_id(view.title.text if view.title else None)
    tline = view.title.line if view.title else None
    tcol = view.column_of(tline, "EP", 1) if tline else None
    if from_title and from_file and from_title != from_file:
        yield Finding("id-mismatch", tline, tcol,
                      f"the title says {from_title} but the file name says {from_file}; "
                      "rename the file or fix the title")
    f = view.field("id")
    from_field = field_id(f.text) if f else None
    expected = from_title or from_file
    if from_field and expected and from_field != expected:
        said = "title" if from_title else "file name"
        yield Finding("id-mismatch", *view.locate(f, f.text.strip()),
                      f"{f.key} says {from_field} but the {said} says {expected}")
    number_id = from_title or from_field
    if DRAFT_FILE_RE.match(stem) and number_id:
        line, col = (tline, tcol) if from_title else (f.line, f.column)
        yield Finding("id-in-draft", line, col,
                      f"{view.source.name} is named as an unnumbered draft but the proposal is "
                      f"{number_id}; rename it {number_id}-….md, or drop the number until one "
                      "is assigned")


def locate_id(text: str, ep_id: str) -> tuple[int, int]:
    """Where a proposal names its id: the first line mentioning it, else line 1."""
    m = re.search(r"(\d+)\D*$", ep_id)
    if m is None:
        return 1, 1
    number = int(m.group(1))
    prefix = re.escape(ep_id[:m.start()].rstrip("- "))  # EP, KEP, RFC; none for a Go design
    pattern = re.compile(rf"\b{prefix}[-_ ]?0*{number}\b" if prefix else rf"\b0*{number}\b",
                         re.IGNORECASE)
    for i, line in enumerate(text.split("\n"), 1):
        m = pattern.search(line)
        if m:
            return i, m.start() + 1
    return 1, 1


def duplicate_ids(items: Iterable[tuple[Path, str | None, str]]) -> Iterator[tuple[Path, Finding]]:
    """Across one run: (source, id, text) -> (source, finding) for every file whose id another
    file also uses."""
    by_id: dict[str, list[tuple[Path, str]]] = {}
    for source, ep_id, text in items:
        if ep_id:
            by_id.setdefault(ep_id, []).append((Path(source), text))
    for ep_id, group in by_id.items():
        if len(group) < 2:
            continue
        for source, text in group:
            others = ", ".join(str(o) for o, _ in group if o != source)
            line, col = locate_id(text, ep_id)
            yield source, Finding("id-duplicate", line, col,
                                  f"{ep_id} is also used by {others}; each proposal needs "
                                  "its own number")
