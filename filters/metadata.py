#!/usr/bin/env python3
"""Lift the metadata (front matter, bold-key paragraph or bullet list) into one record,
remove it from the body, and put one metadata table right after the title."""

from pathlib import Path

import panflute as pf

from epdoc.pipeline.core import context
from epdoc.pipeline.core.record import (
    DRAFT_PREFIX_RE,
    PEOPLE,
    TITLE_ID_RE,
    Proposal,
    canonical_key,
    clean_value,
    format_id,
    id_from_filename,
    is_placeholder,
    split_people,
    split_status,
)

LINE_BREAKS = (pf.SoftBreak, pf.LineBreak)
ROWS = (
    ("id", "ID"), ("status", "Status"), ("maturity", "Maturity"), ("authors", "Authors"),
    ("reviewers", "Reviewers"), ("approvers", "Approvers"), ("editor", "Editor"),
    ("created", "Created"), ("updated", "Updated"), ("superseded_by", "Superseded by"),
)


class MetaEntry:
    """One metadata key as written: its text value(s), inlines to show, and its line."""

    def __init__(self, key, values, inlines, line=None, column=None, is_list=False):
        self.key, self.values, self.inlines = key, values, inlines
        self.is_list = is_list
        self.line, self.column = line, column

    @property
    def text(self) -> str:
        return ", ".join(v for v in self.values if v)


def _split_lines(inlines):
    line = []
    for el in inlines:
        if isinstance(el, LINE_BREAKS):
            yield line
            line = []
        else:
            line.append(el)
    yield line


def _key_value(line):
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
    else:
        return None
    while rest and isinstance(rest[0], pf.Space):
        rest = rest[1:]
    if not key or (not strong and canonical_key(key) is None):
        return None
    return key, rest


def _block_entries(block, ctx):
    """Entries of a metadata paragraph or bullet list, or None if it is not one."""
    line0, col0 = ctx.where(block)
    entries = []
    if isinstance(block, pf.Para):
        for i, line in enumerate(_split_lines(block.content)):
            kv = _key_value(line)
            if kv is None:
                return None
            key, rest = kv
            entries.append(MetaEntry(key, [pf.stringify(pf.Plain(*rest)).strip()], rest,
                                 line0 + i if line0 else None, col0))
    elif isinstance(block, pf.BulletList):
        for item in block.content:
            if len(item.content) != 1 or not isinstance(item.content[0], (pf.Plain, pf.Para)):
                return None
            plain = item.content[0]
            kv = _key_value(plain.content)
            if kv is None:
                return None
            key, rest = kv
            line, col = ctx.where(plain)
            entries.append(MetaEntry(key, [pf.stringify(pf.Plain(*rest)).strip()], rest, line, col))
    else:
        return None
    if not any(canonical_key(e.key) for e in entries):
        return None
    return entries


def _meta_entries(doc):
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
        entries.append(MetaEntry(key, values, inlines, is_list=isinstance(value, pf.MetaList)))
    return entries


def _find_title(doc):
    """The first level-1 heading before any other heading, or None."""
    for block in doc.content:
        if isinstance(block, pf.Header):
            return block if block.level == 1 else None
    return None


def _lift_blocks(doc, ctx, start):
    """Metadata blocks between the title and the first heading: their entries, removed."""
    entries = []
    i = start
    while i < len(doc.content):
        block = doc.content[i]
        if isinstance(block, pf.Header):
            break
        found = _block_entries(block, ctx)
        if found is not None:
            entries.extend(found)
            del doc.content[i]
            if entries and i < len(doc.content) and isinstance(doc.content[i], pf.Header):
                break
            continue
        if entries:
            break
        i += 1
    return entries


def build_record(source, title_text, entries):
    """The Proposal record from the title text and the metadata entries as written."""
    stem = Path(source).stem if source else ""
    rec = Proposal(source=str(Path(source).name) if source else "<stdin>")
    fields = {}
    for e in entries:
        name = canonical_key(e.key)
        if name is None:
            rec.extra[e.key] = e.values if e.is_list else e.text
        elif name not in fields:
            fields[name] = e
    draft_prefix = False
    title = None
    if title_text:
        title = title_text.strip()
        m = DRAFT_PREFIX_RE.match(title)
        if m:
            draft_prefix, title = True, m.group(1).strip()
        m = TITLE_ID_RE.match(title)
        if m:
            digits = m.group(2)
            if digits.isdigit():
                rec.number = int(digits)
                rec.id = format_id(rec.number)
            title = m.group(3).strip()
    if rec.id is None:
        rec.id, rec.number = id_from_filename(stem)
    if rec.id is None and "id" in fields:
        m = TITLE_ID_RE.match(fields["id"].text + ":")
        if m and m.group(2).isdigit():
            rec.number = int(m.group(2))
            rec.id = format_id(rec.number)
    if not title and "title" in fields:
        title = fields["title"].text
    rec.title = clean_value(title) if title else None
    status = fields.get("status")
    rec.status, rec.status_note = split_status(status.text if status else None)
    if rec.status is None and draft_prefix:
        rec.status = "Draft"
    for name in PEOPLE:
        if name in fields:
            setattr(rec, name, split_people(fields[name].values))
    for name in ("maturity", "created", "updated"):
        if name in fields:
            setattr(rec, name, clean_value(fields[name].text))
    if "editor" in fields:
        editors = split_people(fields["editor"].values)
        rec.editor = ", ".join(editors) if editors else None
    if "superseded_by" in fields:
        value = clean_value(fields["superseded_by"].text)
        if value:
            rec.extra["superseded_by"] = value
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
    return inlines


def metadata_table(rec, fields, extra_entries):
    rows = []
    for name, label in ROWS:
        shown = _display(rec, name, fields)
        if shown:
            rows.append((label, shown))
    for e in extra_entries:
        if e.text:
            rows.append((e.key, list(e.inlines)))
    if not rows:
        return None
    body = pf.TableBody(*[
        pf.TableRow(pf.TableCell(pf.Plain(pf.Strong(pf.Str(label)))), pf.TableCell(pf.Plain(*v)))
        for label, v in rows
    ])
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


def prepare(doc):
    ctx = context.of(doc)
    front = _meta_entries(doc)
    title_block = _find_title(doc)
    title_text = pf.stringify(title_block).strip() if title_block else None
    start = 0
    if title_block is not None:
        start = doc.content.index(title_block)
        ctx.title_pos = ctx.where(title_block)
        ctx.title_id = title_block.identifier  # its anchor, for lint
        del doc.content[start]
    lifted = _lift_blocks(doc, ctx, start)
    entries = front + lifted
    rec, fields = build_record(ctx.source, title_text, entries)
    display_title = title_text or rec.title or (ctx.source.stem if ctx.source else "Untitled")
    ctx.record, ctx.display_title = rec, display_title
    ctx.meta_entries = entries
    extras = [e for e in entries if canonical_key(e.key) is None]
    table = metadata_table(rec, fields, extras)
    if table is not None:
        doc.content.insert(start, table)
    _set_doc_meta(doc, rec, display_title, [e.key for e in front])


def main(doc=None):
    return pf.run_filter(lambda e, d: None, prepare=prepare, doc=doc)


if __name__ == "__main__":
    main()
