#!/usr/bin/env python3
"""Lift the metadata (front matter, bold-key paragraph or bullet list, a header list, a
sidecar such as kep.yaml) into one record, remove it from the body, and put one metadata
table right after the title. The proposal's process (pipeline/config/process.py) says where
metadata lives, how ids read, its statuses and its extra fields."""

import re
from pathlib import Path

import panflute as pf

from epdoc.pipeline.config import process as processes
from epdoc.pipeline.core import context
from epdoc.pipeline.core.diagnostics import Diagnostic
from epdoc.pipeline.core.errors import EpdocError
from epdoc.pipeline.core.record import (
    DRAFT_PREFIX_RE,
    PEOPLE,
    Proposal,
    clean_value,
    is_placeholder,
    read_date,
    split_people,
    split_status,
)

LINE_BREAKS = (pf.SoftBreak, pf.LineBreak)
BR_RE = re.compile(r"^<br\s*/?>$", re.IGNORECASE)
MAX_SIDECAR_VALUES = 1000  # strings taken from one sidecar (YAML aliases can repeat a lot)
ROWS = (
    ("id", "ID"), ("status", "Status"), ("maturity", "Maturity"), ("authors", "Authors"),
    ("reviewers", "Reviewers"), ("approvers", "Approvers"), ("editor", "Editor"),
    ("created", "Created"), ("updated", "Updated"), ("superseded_by", "Superseded by"),
)


class MetaEntry:
    """One metadata key as written: its text value(s), inlines to show, and its line; `name`
    is the record (or process) field it gives, `file` the sidecar it comes from."""

    def __init__(self, key, values, inlines, line=None, column=None, is_list=False, name=None,
                 file=None):
        self.key, self.values, self.inlines = key, values, inlines
        self.is_list = is_list
        self.line, self.column = line, column
        self.name, self.file = name, file

    @property
    def text(self) -> str:
        return ", ".join(v for v in self.values if v)


def _is_break(el) -> bool:
    return isinstance(el, LINE_BREAKS) or (
        isinstance(el, pf.RawInline) and el.format == "html" and bool(BR_RE.match(el.text)))


def _split_lines(inlines):
    line = []
    for el in inlines:
        if _is_break(el):
            if not line and isinstance(el, pf.SoftBreak):
                continue  # the break after a <br>

            yield line
            line = []
        else:
            line.append(el)
    yield line


def _plain_key(line, known):
    """`Feature Name: value` or `Discussion at URL`: (key, value inlines) when the words
    before the colon (or before `at`) are a key `known` accepts, else None."""
    words = []
    for i, el in enumerate(line[:16]):
        if isinstance(el, pf.Space):
            words.append(" ")
            continue
        if not isinstance(el, pf.Str):
            return None
        text = el.text
        if ":" in text:
            before, _, after = text.partition(":")
            key = ("".join(words) + before).strip()
            if not key or not known(key):
                return None
            rest = ([pf.Str(after)] if after else []) + list(line[i + 1:])
            return key, rest
        words.append(text)
        key = "".join(words).strip()
        if key.lower().endswith(" at") and known(key) and i + 1 < len(line) \
                and isinstance(line[i + 1], pf.Space):
            return key, list(line[i + 1:])
    return None


def _key_value(line, proc=None):
    """`**Key**: value`, `**Key:** value` or `Key: value` -> (key, value inlines) or None."""
    line = list(line)
    while line and isinstance(line[0], pf.Space):
        line.pop(0)
    if not line:
        return None
    first = line[0]
    if isinstance(first, pf.Strong):
        key = pf.stringify(first).strip()
        rest = line[1:]
        if key.endswith(":"):
            key = key[:-1].strip()
        elif rest and isinstance(rest[0], pf.Str) and rest[0].text.startswith(":"):
            tail = rest[0].text[1:]
            rest = ([pf.Str(tail)] if tail else []) + rest[1:]
        else:
            return None
        strong = True
    elif isinstance(first, pf.Str) and first.text.endswith(":") and len(first.text) > 1:
        key, rest, strong = first.text[:-1], line[1:], False
    elif proc is not None and _plain_words(proc):
        kv = _plain_key(line, lambda k: len(k.split()) <= 4)  # any short key: kept in extra
        if kv is None:
            return None
        (key, rest), strong = kv, False
    else:
        return None
    while rest and isinstance(rest[0], pf.Space):
        rest = rest[1:]
    if not key:
        return None
    if not strong and _name(key, proc) is None and not (proc is not None and _plain_words(proc)):
        return None
    return key, rest


def _plain_words(proc) -> bool:
    """Whether the process writes keys of several plain words (a Rust or Go header)."""
    return "header-list" in proc.metadata or "lines" in proc.metadata


def _name(key, proc):
    return proc.canonical(key) if proc is not None else processes.canonical_key(key)


def _text_of(inlines) -> str:
    """Plain text of a value; an e-mail autolink keeps its brackets (`A <a@b.org>`)."""
    parts = []
    for el in inlines:
        if isinstance(el, pf.Link) and el.url.startswith("mailto:") \
                and pf.stringify(el) == el.url[len("mailto:"):]:
            parts.append(f"<{pf.stringify(el)}>")
        else:
            parts.append(pf.stringify(el))
    return "".join(parts)


def _entry(key, rest, line, column, proc):
    value = _text_of(rest).strip() if rest else ""
    return MetaEntry(key, [value], rest, line, column, name=_name(key, proc))


def _block_entries(block, ctx, proc=None):
    """Entries of a metadata paragraph or bullet list, or None if it is not one."""
    line0, col0 = ctx.where(block)
    entries = []
    if isinstance(block, pf.Para):
        for i, line in enumerate(_split_lines(block.content)):
            kv = _key_value(line, proc)
            if kv is None:
                return None
            key, rest = kv
            entries.append(_entry(key, rest, line0 + i if line0 else None, col0, proc))
    elif isinstance(block, pf.BulletList):
        for item in block.content:
            if len(item.content) != 1 or not isinstance(item.content[0], (pf.Plain, pf.Para)):
                return None
            plain = item.content[0]
            kv = _key_value(plain.content, proc)
            if kv is None:
                return None
            key, rest = kv
            line, col = ctx.where(plain)
            entries.append(_entry(key, rest, line, col, proc))
    else:
        return None
    if not any(e.name for e in entries):
        return None
    return entries


def _meta_entries(doc, proc=None):
    entries = []
    for key, value in doc.metadata.content.items():
        if isinstance(value, pf.MetaList):
            values = [pf.stringify(v).strip() for v in value.content]
            inlines = [pf.Str(", ".join(values))] if values else []
        elif isinstance(value, pf.MetaInlines):
            values = [pf.stringify(value).strip()]
            inlines = list(value.content)
        elif isinstance(value, pf.MetaBool):
            values = ["true" if value.boolean else "false"]
            inlines = [pf.Str(values[0])]
        else:
            values = [pf.stringify(value).strip()]
            inlines = [pf.Str(values[0])]
        entries.append(MetaEntry(key, values, inlines, is_list=isinstance(value, pf.MetaList),
                                 name=_name(key, proc)))
    return entries


def _texts(value, out, depth=0):
    """The strings of one YAML value, flattened (a mapping's items as `key: value`)."""
    if len(out) >= MAX_SIDECAR_VALUES or depth > 8:
        return out
    if isinstance(value, dict):
        if "name" in value and not isinstance(value["name"], (dict, list)):
            out.append(str(value["name"]))  # feature-gates: - name: X, components: [...]
        else:
            for k, v in value.items():
                if isinstance(v, (dict, list)):
                    _texts(v, out, depth + 1)
                elif v is not None:
                    out.append(f"{k}: {v}")
    elif isinstance(value, list):
        for v in value:
            _texts(v, out, depth + 1)
    elif value is not None:
        out.append("true" if value is True else "false" if value is False else str(value))
    return out


def _sidecar_entries(ctx, proc):
    """Entries of the proposal's sidecar (kep.yaml); a broken one is a located error."""
    try:
        path, data, lines = processes.read_sidecar(ctx.source, proc)
    except (EpdocError, OSError) as exc:
        where = getattr(exc, "path", None) or ctx.source
        message = getattr(exc, "message", None) or str(exc)
        ctx.diagnostics.append(Diagnostic(
            str(where), getattr(exc, "line", None), 1 if getattr(exc, "line", None) else None,
            "error", "sidecar-invalid",
            f"{message}; its metadata is not used (fix it: epdoc reads it as YAML)"))
        return []
    entries = []
    for key, value in data.items():
        key = str(key)
        values = _texts(value, [])
        is_list = isinstance(value, (list, dict))
        inlines = [pf.Str(", ".join(v for v in values if v))] if values else []
        entries.append(MetaEntry(key, values, inlines, lines.get(key), 1 if key in lines else
                                 None, is_list, _name(key, proc), path))
    return entries


def _find_title(doc, proc=None):
    """The first level-1 heading before any other heading, or None; for a process naming its
    sections, a level-1 heading that is one of them is not a title."""
    for block in doc.content:
        if isinstance(block, pf.Header):
            if block.level != 1:
                return None
            if proc is not None and proc.sections_set and _is_section(block, proc):
                return None
            return block
    return None


def _header_title(doc, ctx, proc):
    """A heading of any level that opens the proposal, right before its header list or lines
    (a Rust RFC's `## Refined trait implementations`, a Go design's `## Proposal: ...`), when
    the process writes them; else None."""
    if not _plain_words(proc) or len(doc.content) < 2:
        return None
    first, second = doc.content[0], doc.content[1]
    if not isinstance(first, pf.Header) or _is_section(first, proc):
        return None
    return first if _block_entries(second, ctx, proc) is not None else None


def _is_section(block, proc) -> bool:
    text = pf.stringify(block).strip().lower()
    return any(text == n.lower() for name, aliases in proc.sections for n in (name, *aliases))


def _lift_blocks(doc, ctx, start, proc=None):
    """Metadata blocks between the title and the first heading: their entries, removed. A
    process with metadata `lines` (a Go design) reads every paragraph up to the first
    heading, keeping the ones that are not metadata."""
    lines = proc is not None and "lines" in proc.metadata
    entries = []
    i = start
    while i < len(doc.content):
        block = doc.content[i]
        if isinstance(block, pf.Header):
            break
        found = _block_entries(block, ctx, proc)
        if found is not None:
            entries.extend(found)
            del doc.content[i]
            if entries and i < len(doc.content) and isinstance(doc.content[i], pf.Header):
                break
            continue
        if lines and isinstance(block, pf.Para):
            found = _some_lines(block, ctx, proc) or (
                _byline(block, ctx, proc) if i == start and not entries else None)
            if found:
                entries.extend(found)
                if not block.content:
                    del doc.content[i]
                    continue
        if entries and not lines:
            break
        i += 1
    return entries


# a person's name: two to four capitalised words (particles such as van or de allowed)
NAME_RE = re.compile(r"^[A-Z][\w.'’-]*(?:\s+(?:(?:van|von|de|der|da|di|le|la)\s+)?[A-Z][\w.'’-]*)"
                     r"{1,3}$")


def _some_lines(block, ctx, proc):
    """The `Key: value` lines of a paragraph that also holds other text (`Author(s): A, B`
    then `(with input from C)`): their entries, those lines taken out of it."""
    line0, col0 = ctx.where(block)
    entries, kept = [], []
    for n, line in enumerate(_split_lines(block.content)):
        kv = _key_value(line, proc)
        if kv is not None and (_name(kv[0], proc) or processes.fold(kv[0]) in proc.known_keys):
            entries.append(_entry(kv[0], kv[1], line0 + n if line0 else None, col0, proc))
        else:
            kept.append(line)
    if not any(e.name for e in entries):
        return None
    block.content = [el for k, line in enumerate(kept)
                     for el in ([pf.SoftBreak()] if k else []) + line]
    return entries


def _byline(block, ctx, proc):
    """A paragraph right under the title naming only people, one a line, maybe ending with
    a date (`Russ Cox` / `Robert Griesemer` / `August 20, 2021`): the authors and the date
    of a Go design document."""
    line0, col0 = ctx.where(block)
    texts = [pf.stringify(pf.Plain(*line)).strip().rstrip("\\").strip()
             for line in _split_lines(block.content)]
    if not texts or len(texts) > 6:
        return None
    date = read_date(texts[-1], proc.date_formats)
    names = texts[:-1] if date else texts
    if not names or not all(NAME_RE.match(t) and not read_date(t, proc.date_formats)
                            for t in names):
        return None
    entries = [MetaEntry("Authors", names, [pf.Str(", ".join(names))], line0, col0,
                         is_list=True, name="authors")]
    if date:
        where = line0 + len(names) if line0 else None
        entries.append(MetaEntry("Date", [texts[-1]], [pf.Str(texts[-1])], where, col0,
                                 name="updated"))
    block.content = []
    return entries


def _number(text, pattern) -> int | None:
    m = re.search(pattern, text, re.IGNORECASE) if pattern else None
    if m and m.groups() and m.group(1) and m.group(1).isdigit():
        return int(m.group(1))
    return None


def _key_number(entry, proc) -> int | None:
    """The number a key gives: `EP-004` (the title's form), `2727`, or a link's last number
    (`[rust-lang/rfcs#1683](https://github.com/rust-lang/rfcs/pull/1683)`)."""
    m = re.match(proc.title_prefix, entry.text + ":", re.IGNORECASE) if proc.title_prefix \
        else None
    if m and (m.groupdict().get("number") or "").isdigit():
        return int(m.group("number"))
    if entry.name != "id":
        m = re.search(r"(\d+)\D*$", entry.text)
        if m:
            return int(m.group(1))
    return None


def _read_id(rec, proc, source, title_number, fields, by_key):
    stem = Path(source).stem if source else ""
    folder = Path(source).parent.name if source else ""
    for where in proc.id_from:
        number = None
        if where == "title":
            number = title_number
        elif where == "file":
            number = _number(stem, proc.id_pattern)
        elif where == "folder":
            number = _number(folder, proc.id_pattern)
        elif where == "key":
            for entry in (fields.get("id"), *(by_key.get(k) for k in proc.id_keys)):
                number = _key_number(entry, proc) if entry and entry.text else None
                if number is not None:
                    break
        if number is not None:
            rec.number, rec.id = number, proc.format_id(number)
            return


def _field_value(f, entry, proc):
    if f.kind == "people":
        return split_people(entry.values) or None
    if f.kind == "date":
        return read_date(entry.text, proc.date_formats) or clean_value(entry.text)
    links = []
    pf.Plain(*entry.inlines).walk(
        lambda e, _d: links.append(e.url) if isinstance(e, pf.Link) else None)
    if f.kind in ("list", "link") and (entry.is_list or len(entry.values) > 1):
        values = [v for v in (clean_value(x) for x in entry.values) if v]
        return values or None
    links = list(dict.fromkeys(links))
    if f.kind == "link" and links:
        return links[0] if len(links) == 1 else links
    value = clean_value(entry.text)
    return [value] if value and f.kind == "list" else value


def build_record(source, title_text, entries, proc=None):
    """The Proposal record from the title text and the metadata entries as written."""
    proc = proc or processes.builtin("ep")
    rec = Proposal(source=str(Path(source).name) if source else "<stdin>")
    fields = {}
    for e in entries:
        name = e.name if e.name is not None else proc.canonical(e.key)
        if name is None:
            rec.extra[e.key] = e.values if e.is_list else e.text
        elif name not in fields:
            fields[name] = e
    draft_prefix = False
    title = None
    title_number = None
    if title_text:
        title = title_text.strip()
        m = DRAFT_PREFIX_RE.match(title)
        if m:
            draft_prefix, title = True, m.group(1).strip()
        m = re.match(proc.title_prefix, title, re.IGNORECASE) if proc.title_prefix else None
        if m:
            digits = m.groupdict().get("number") or ""
            if digits.isdigit():
                title_number = int(digits)
            if proc.strip_title:
                title = m.group("rest").strip()
    by_key = {}
    for e in entries:
        by_key.setdefault(processes.fold(e.key), e)
    _read_id(rec, proc, source, title_number, fields, by_key)
    if not title:
        for key in proc.title_from:
            entry = fields.get(key)
            if key == "file" and source:
                title = _stem_title(source, proc)
            elif entry is not None and clean_value(entry.text):
                title = entry.text.strip().strip("`")
            if title:
                break
    rec.title = clean_value(title) if title else None
    status = fields.get("status")
    rec.status, rec.status_note = split_status(status.text if status else None,
                                               proc.statuses or ())
    if rec.status is None and draft_prefix:
        rec.status = "Draft"
    for name in PEOPLE:
        if name in fields:
            setattr(rec, name, split_people(fields[name].values))
    for name in ("maturity", "created", "updated"):
        if name in fields:
            value = clean_value(fields[name].text)
            if name != "maturity":
                value = read_date(value, proc.date_formats) or value
            setattr(rec, name, value)
    if "editor" in fields:
        editors = split_people(fields["editor"].values)
        rec.editor = ", ".join(editors) if editors else None
    if "superseded_by" in fields:
        value = clean_value(fields["superseded_by"].text)
        if value:
            rec.extra["superseded_by"] = value
    for f in proc.fields:
        entry = fields.get(f.name)
        if entry is not None:
            value = _field_value(f, entry, proc)
            if value:
                rec.extra[f.name] = value
    return rec, fields


def _display(rec, name, fields):
    """Inlines for one table row, or None when the row has no value."""
    entry = fields.get(name)
    if name == "id":
        return [pf.Str(rec.id)] if rec.id else None
    if name == "status":
        if not rec.status:
            return list(entry.inlines) if entry and entry.text else None
        text = rec.status + (f" ({rec.status_note})" if rec.status_note else "")
        return [pf.Span(pf.Str(text), classes=["status", f"status-{rec.status.lower()}"])]
    if entry is None or not entry.text:
        return None
    value = getattr(rec, name, None) if name != "superseded_by" else rec.extra.get(name)
    if not value and not any(is_placeholder(v) for v in entry.values):
        return None
    inlines = list(entry.inlines)
    if not value:
        return [pf.Span(*inlines, classes=["placeholder"])]
    if name in ("created", "updated") and value != clean_value(entry.text):
        return inlines + [pf.Space(), pf.Str(f"({value})")]  # as written, then as read
    return inlines


def metadata_table(rec, fields, extra_entries, proc=None):
    rows = []
    labels = proc.labels if proc is not None else {}
    for name, label in ROWS:
        shown = _display(rec, name, fields)
        if shown:
            rows.append((labels.get(name, label), shown))
    for f in proc.fields if proc is not None else ():
        entry = fields.get(f.name)
        if entry is not None and f.name in rec.extra:
            rows.append((f.label, list(entry.inlines)))
    for e in extra_entries:
        if e.text:
            rows.append((e.key, list(e.inlines)))
    if not rows:
        return None
    body = pf.TableBody(*[
        pf.TableRow(pf.TableCell(pf.Plain(pf.Strong(pf.Str(label)))), pf.TableCell(pf.Plain(*v)))
        for label, v in rows
    ], row_head_columns=1)  # the labels are row headers (<th scope="row">, PDF /TH)
    table = pf.Table(body, colspec=[("AlignLeft", 0.22), ("AlignLeft", 0.78)])
    return pf.Div(table, identifier="metadata", classes=["ep-metadata"])


def _set_doc_meta(doc, rec, display_title, entries_from_front):
    for key in entries_from_front:
        doc.metadata.content.pop(key, None)
    doc.metadata["title"] = pf.MetaString(display_title)
    if rec.authors:
        doc.metadata["author"] = pf.MetaList(*[pf.MetaString(a) for a in rec.authors])
    if rec.updated or rec.created:
        doc.metadata["date"] = pf.MetaString(rec.updated or rec.created)
    subject = " · ".join(x for x in (rec.id, rec.status) if x)
    if subject:
        doc.metadata["subject"] = pf.MetaString(subject)
    keywords = [x for x in (rec.id, rec.status, rec.maturity) if x]
    if keywords:
        doc.metadata["keywords"] = pf.MetaList(*[pf.MetaString(k) for k in keywords])


def process_of(ctx):
    """The proposal's process: --process, else the project's, else what it looks like."""
    override = getattr(ctx.options, "process", None)
    if ctx.source is None:
        return processes.get(override) if override else processes.builtin("ep")
    return processes.detect(ctx.source, override)


def prepare(doc):
    ctx = context.of(doc)
    proc = process_of(ctx)
    ctx.process = proc
    front = _meta_entries(doc, proc)
    side = _sidecar_entries(ctx, proc) if proc.sidecars and ctx.source else []
    title_block = _find_title(doc, proc) or _header_title(doc, ctx, proc)
    title_text = pf.stringify(title_block).strip() if title_block else None
    start = 0
    if title_block is not None:
        start = doc.content.index(title_block)
        ctx.title_pos = ctx.where(title_block)
        ctx.title_id = title_block.identifier  # its anchor, for lint
        del doc.content[start]
    lifted = _lift_blocks(doc, ctx, start, proc)
    entries = front + side + lifted
    rec, fields = build_record(ctx.source, title_text, entries, proc)
    display_title = title_text or rec.title or _stem_title(ctx.source, proc) or "Untitled"
    ctx.record, ctx.display_title = rec, display_title
    ctx.meta_entries = entries
    extras = [e for e in entries  # the id's own key (kep-number) shows as the ID row
              if e.name is None and processes.fold(e.key) not in proc.id_keys]
    table = metadata_table(rec, fields, extras, proc)
    if table is not None:
        doc.content.insert(start, table)
    ctx.front_matter = doc.get_metadata(builtin=True) or {}  # before it is taken away
    _set_doc_meta(doc, rec, display_title, [e.key for e in front])


def _stem_title(source, proc):
    """A title from the file name: the stem as written (EP), or its words without the
    number (`1683-docs-team` -> `docs team`) for a process that numbers its file names."""
    if source is None:
        return None
    stem = Path(source).stem if proc.layout == "file" else Path(source).parent.name
    if proc.name == "ep":
        return Path(source).stem
    m = re.match(proc.id_pattern, stem, re.IGNORECASE) if proc.id_pattern else None
    words = stem[m.end():] if m else stem
    words = " ".join(re.split(r"[-_\s]+", words)).strip()
    return words[:1].upper() + words[1:] if words else stem


def main(doc=None):
    return pf.run_filter(lambda e, d: None, prepare=prepare, doc=doc)


if __name__ == "__main__":
    main()
