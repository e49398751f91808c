#!/usr/bin/env python3
"""Read the proposal's approvals into the record and show them in one block after the
metadata table. Approvals come from `approvals:` in the front matter or the sidecar
(kep.yaml), from an Approvals table in the body (columns such as Name, Role, Date, PR), and
for a KEP from its production readiness file (keps/prod-readiness/<sig>/<number>.yaml)."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import panflute as pf

from epdoc.pipeline.config import process as processes
from epdoc.pipeline.config.layout import prr_file
from epdoc.pipeline.core import context, settings, tree
from epdoc.pipeline.core.diagnostics import Diagnostic
from epdoc.pipeline.core.errors import EpdocError
from epdoc.pipeline.core.record import Approval, clean_value, fold_key

HEADING_RE = re.compile(r"\b(approvals?|approved|sign[- ]?offs?)\b", re.IGNORECASE)
SHA_RE = re.compile(r"^[0-9a-f]{7,64}$", re.IGNORECASE)
PR_RE = re.compile(r"^(#\d+|[\w.-]+/[\w.-]+#\d+|https?://\S+)$")
# a table's column (folded) -> the approval field it gives
COLUMNS = {
    "who": ("name", "who", "approver", "approved by", "person", "reviewer", "signed by"),
    "role": ("role", "as", "team", "group", "capacity", "area"),
    "date": ("date", "when", "approved on", "on", "day"),
    "commit": ("commit", "sha", "revision"),
    "pr": ("pr", "pull request", "pull", "link", "ref", "reference", "url", "review"),
    "note": ("note", "notes", "comment", "comments", "stage", "remarks"),
}
FIELD_OF = {alias: name for name, aliases in COLUMNS.items() for alias in aliases}
PRR_STAGES = ("alpha", "beta", "stable", "deprecated", "disabled", "removed")
PRR_ROLE = "production readiness"


def _text(value) -> str | None:
    if value is None or isinstance(value, (dict, list, bool)):
        return None
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()[:10]
    return clean_value(str(value))


def _from_mapping(item: dict, where: str) -> Approval | None:
    """One approval from `{name: X, role: Y, date: Z, pr: ...}` (keys matched loosely)."""
    values: dict[str, str] = {}
    for key, value in item.items():
        name = FIELD_OF.get(fold_key(str(key)))
        text = _text(value)
        if name and text and name not in values:
            values[name] = text
    if not values.get("who"):
        return None
    return Approval(**values, source=where)


def _from_string(text: str, where: str) -> Approval | None:
    """`Jane Doe (maintainer, 2024-05-01)` -> who, role, date."""
    text = clean_value(text)
    if not text:
        return None
    m = re.match(r"^(.*?)\s*\((.*)\)\s*$", text)
    who, role, date = (m.group(1), None, None) if m else (text, None, None)
    for part in (p.strip() for p in (m.group(2).split(",") if m else [])):
        if re.match(r"^\d{4}-\d{2}(-\d{2})?$", part):
            date = part
        elif part and role is None:
            role = part
    return Approval(who, role, date, source=where) if who else None


def from_data(value, where: str) -> list[Approval]:
    """Approvals from an `approvals:` value: a list of mappings or strings, or a mapping of
    role to person(s)."""
    found: list[Approval] = []
    if isinstance(value, list):
        for item in value:
            a = _from_mapping(item, where) if isinstance(item, dict) else \
                _from_string(str(item), where) if _text(item) else None
            if a is not None:
                found.append(a)
    elif isinstance(value, dict):
        if any(FIELD_OF.get(fold_key(str(k))) == "who" for k in value):
            a = _from_mapping(value, where)
            return [a] if a else []
        for role, people in value.items():
            for person in people if isinstance(people, list) else [people]:
                if isinstance(person, dict):
                    a = _from_mapping({"role": role, **person}, where)
                else:
                    a = _from_string(str(person), where) if _text(person) else None
                    if a is not None and a.role is None:
                        a.role = str(role)
                if a is not None:
                    found.append(a)
    elif _text(value):
        for part in re.split(r"[;,](?![^()]*\))", str(value)):
            a = _from_string(part, where)
            if a is not None:
                found.append(a)
    return found


def _cell_text(cell) -> tuple[str, str | None]:
    """A table cell's text, and the address of its one link when it has one."""
    links = []
    cell.walk(lambda e, _d: links.append(e.url) if isinstance(e, pf.Link) else None)
    return pf.stringify(cell).strip(), links[0] if len(links) == 1 else None


def _table_rows(table: pf.Table):
    head = [_cell_text(c)[0] for row in table.head.content for c in row.content][:20]
    rows = [row for body in table.content for row in body.content]
    return head, rows


def from_table(table: pf.Table, where: str) -> list[Approval] | None:
    """Approvals from a markdown table whose header names a person column (Name, Approver)
    and a Role or Date column; None when the table is not one."""
    head, rows = _table_rows(table)
    columns = [FIELD_OF.get(fold_key(h)) for h in head]
    if "who" not in columns or not ({"role", "date"} & set(columns)):
        return None
    found = []
    for row in rows:
        values: dict[str, str] = {}
        for name, cell in zip(columns, row.content, strict=False):
            text, link = _cell_text(cell)
            text = clean_value(text)
            if name is None or not text or name in values:
                continue
            if name == "pr" and link:
                text = link if not PR_RE.match(text) else text
            values[name] = text
        if values.get("who"):
            found.append(Approval(**values, source=where))
    return found


def _in_approvals_section(doc) -> list[pf.Table]:
    """Tables under a heading such as Approvals or Sign-off."""
    tables, under = [], None
    for block in doc.content:
        if isinstance(block, pf.Header):
            if under is not None and block.level <= under:
                under = None
            if under is None and HEADING_RE.search(pf.stringify(block)):
                under = block.level
        elif under is not None and isinstance(block, pf.Table):
            tables.append(block)
    return tables


def from_prr(path: Path, ctx) -> list[Approval]:
    """A KEP's production readiness approvals: `alpha: {approver: "@x"}` per stage."""
    import yaml  # only KEPs with a production readiness file need it

    where = f"prod-readiness/{path.parent.name}/{path.name}"
    try:
        if path.stat().st_size > settings.MAX_SIDECAR_BYTES:
            raise EpdocError(f"over the limit of {settings.MAX_SIDECAR_BYTES} bytes")
        data = yaml.safe_load(path.read_bytes().decode("utf-8", "replace"))
    except (OSError, yaml.YAMLError, EpdocError) as e:
        message = getattr(e, "problem", None) or getattr(e, "message", None) or str(e)
        ctx.diagnostics.append(_diagnostic(ctx, "warning", f"{where} is not read: "
                                           f"{str(message).splitlines()[0]}"))
        return []
    found = []
    for stage in PRR_STAGES:
        entry = data.get(stage) if isinstance(data, dict) else None
        who = _text(entry.get("approver")) if isinstance(entry, dict) else None
        if who:
            found.append(Approval(who, PRR_ROLE, note=stage, source=where))
    return found


def _diagnostic(ctx, severity, message, line=None):
    return Diagnostic(str(ctx.source or "<stdin>"), line, 1 if line else None, severity,
                      "approvals-invalid", message)


def _sidecar(ctx, proc) -> tuple[str | None, object]:
    try:
        path, data = processes.read_sidecar(ctx.source, proc)[:2]
    except (EpdocError, OSError):
        return None, None  # the metadata filter reports it
    for key, value in data.items():
        if fold_key(str(key)) in ("approvals", "approval"):
            return path.name, value
    return None, None


def collect(doc, ctx) -> list[Approval]:
    proc, rec = ctx.process, ctx.record
    found: list[Approval] = []
    front = ctx.front_matter or {}
    for key, value in front.items():
        if fold_key(str(key)) in ("approvals", "approval"):
            found += from_data(value, "front matter")
    for entry in ctx.meta_entries:  # a body key: **Approvals**: Jane Doe (maintainer, date)
        if getattr(entry, "name", None) == "approvals" and entry.file is None \
                and entry.line is not None:
            found += from_data(entry.text, "metadata")
    if proc is not None and proc.sidecars and ctx.source is not None:
        name, value = _sidecar(ctx, proc)
        if name:
            found += from_data(value, name)
    for table in _in_approvals_section(doc):
        rows = from_table(table, "table")
        if rows is None:
            line, _ = ctx.where(table)
            ctx.diagnostics.append(_diagnostic(
                ctx, "warning", "a table under the approvals heading has no Name (or "
                "Approver) column with a Role or Date column; its rows are not approvals",
                line))
            continue
        found += rows
    if proc is not None and proc.layout == "folder" and rec is not None:
        path = prr_file(ctx.source, rec.number)
        if path is not None:
            found += from_prr(path, ctx)
    unique = list({(a.who, a.role, a.date, a.note): a for a in found}.values())
    if len(unique) > settings.MAX_APPROVALS:
        ctx.diagnostics.append(_diagnostic(ctx, "warning", f"{len(unique)} approvals; the "
                                           f"first {settings.MAX_APPROVALS} are kept"))
        unique = unique[:settings.MAX_APPROVALS]
    return unique


def _ref(a: Approval) -> list:
    out = []
    if a.pr:
        label = a.pr
        m = re.search(r"/pull/(\d+)$|/pulls?/(\d+)$", a.pr)
        if m:
            label = "#" + (m.group(1) or m.group(2))
        out.append(pf.Link(pf.Str(label), url=a.pr) if a.pr.startswith(("http://", "https://"))
                   else pf.Str(a.pr))
    if a.commit:
        if out:
            out.append(pf.Str(", "))
        out.append(pf.Code(a.commit[:12] if SHA_RE.match(a.commit) else a.commit))
    return out


ANCHOR = "approvals"  # the block's identifier, unless the proposal uses it (then ep-approvals)
CLASS = "ep-approvals"


def block(approvals: list[Approval]) -> pf.Div:
    """The approvals as a table: Name, Role, Date, and Commit / PR and Stage when any has
    one."""
    columns = [("Name", lambda a: [pf.Str(a.who)]),
               ("Role", lambda a: [pf.Str(a.role)] if a.role else []),
               ("Date", lambda a: [pf.Str(a.date)] if a.date else [])]
    if any(a.pr or a.commit for a in approvals):
        columns.append(("Commit / PR", _ref))
    if any(a.note for a in approvals):
        columns.append(("Stage" if all(a.source and a.source.startswith("prod-readiness")
                                       for a in approvals if a.note) else "Note",
                        lambda a: [pf.Str(a.note)] if a.note else []))
    head = pf.TableHead(pf.TableRow(*[pf.TableCell(pf.Plain(pf.Str(name)))
                                      for name, _ in columns]))
    body = pf.TableBody(*[pf.TableRow(*[pf.TableCell(pf.Plain(*show(a))) for _, show in columns])
                          for a in approvals])
    width = 1.0 / len(columns)
    table = pf.Table(body, head=head, colspec=[("AlignLeft", width)] * len(columns))
    return pf.Div(pf.Para(pf.Strong(pf.Str("Approvals"))), table, identifier=ANCHOR,
                  classes=[CLASS])


def _taken(doc, name: str) -> bool:
    """Whether an element of the proposal already has the identifier `name`."""
    return any(getattr(e, "identifier", None) == name for e in tree.elements(doc, pf.Element))


def prepare(doc):
    ctx = context.of(doc)
    if ctx.front_matter is None and ctx.record is None:  # run alone (pandoc -F)
        ctx.front_matter = doc.get_metadata(builtin=True) or {}
    approvals = collect(doc, ctx)
    if ctx.record is not None:
        ctx.record.approvals = approvals
    if not approvals:
        return
    at = 0
    for i, b in enumerate(doc.content):
        if isinstance(b, pf.Div) and b.identifier == "metadata":
            at = i + 1
            break
    table = block(approvals)
    if _taken(doc, ANCHOR):  # the proposal's own "## Approvals" keeps its anchor
        table.identifier = f"ep-{ANCHOR}"
    doc.content.insert(at, table)


def main(doc=None):
    return pf.run_filter(lambda e, d: None, prepare=prepare, doc=doc)


if __name__ == "__main__":
    main()
