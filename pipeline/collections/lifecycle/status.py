"""epdoc status: a proposal's status changed in place, in its own metadata style, every other
byte kept; a superseded one names its successor and the successor names it back."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from pathlib import Path

from epdoc.pipeline.collections.lifecycle import fields, proposals
from epdoc.pipeline.collections.lifecycle.new import today
from epdoc.pipeline.collections.lifecycle.sheet import Sheet
from epdoc.pipeline.config import process as processes
from epdoc.pipeline.core import atomic
from epdoc.pipeline.core.errors import InputError, UsageError
from epdoc.pipeline.lint.config import for_source

DRAFT_TITLE_RE = re.compile(r"^(\s{0,3}#\s+)Draft\s*:\s*", re.IGNORECASE)
STATUS_NOTE_RE = re.compile(r"^(.*?)\s*\((.*)\)\s*$")


@dataclass
class Change:
    source: Path
    id: str
    old: str | None
    new: str
    sheets: list[Sheet] = field(default_factory=list)

    def diff(self) -> str:
        out = []
        for sheet in self.sheets:
            for text in sheet.texts:
                if not text.changed:
                    continue
                old = text.original.decode("utf-8").removeprefix("\ufeff")
                out.extend(difflib.unified_diff(
                    fields.lines_of(old), text.lines, f"a/{text.path}", f"b/{text.path}"))
        return "".join(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n"
                       for line in out)

    def write(self) -> list[Path]:
        for sheet in self.sheets:
            for text in sheet.texts:
                if text.changed and text.path.is_symlink():
                    raise UsageError(f"{text.path} is a symbolic link; epdoc status writes "
                                     "only real files", hint="give the file it points to")
        written = []
        for sheet in self.sheets:
            for text in sheet.texts:
                if text.changed:
                    atomic.replace_keeping_mode(text.path, text.data())
                    written.append(text.path)
        return written


def vocabulary(process: processes.Process, source: Path) -> tuple[str, ...]:
    """The statuses a proposal can have: its process's, else lint's configured ones."""
    if process.statuses:
        return process.statuses
    return for_source(source).statuses


def known_status(word: str, statuses, source: Path) -> str:
    """`word` spelled as the vocabulary spells it; a usage error with near misses if none."""
    by_lower = {s.lower(): s for s in statuses}
    if word.strip().lower() in by_lower:
        return by_lower[word.strip().lower()]
    close = difflib.get_close_matches(word.strip().lower(), list(by_lower), n=1, cutoff=0.6)
    hint = f"did you mean {by_lower[close[0]]}?" if close else \
        f"use one of {', '.join(statuses)}"
    raise UsageError(f"status {word!r} is not one of {', '.join(statuses)} ({source})",
                     hint=hint)


def superseded_statuses(process: processes.Process, statuses) -> set[str]:
    """The statuses (lower case) that name a successor: Superseded, a KEP's replaced."""
    return {s.lower() for s in statuses if (process.shown(s) or "").lower() == "superseded"}


def proposal_id(source: Path, process: processes.Process) -> str:
    """How others refer to it: its id from its name or title, else its file's stem."""
    name = source.parent.name if process.layout == "folder" else source.stem
    number = proposals._number(name, process)
    if number is None:
        sheet_title = Sheet.read(source, process)
        at = sheet_title.title()
        if at is not None and process.title_prefix:
            heading = re.sub(r"^\s{0,3}#\s+", "", fields.body_of(sheet_title.main.lines[at]))
            m = re.match(process.title_prefix, heading, re.IGNORECASE)
            n = (m.groupdict().get("number") or "") if m else ""
            if n.isdigit():
                number = int(n)
    return process.format_id(number) if number is not None else name


def reference(source: Path, process: processes.Process) -> str:
    """What a Supersedes / Superseded-By key holds: a KEP's path from keps/ (as kep.yaml
    writes them), else the id."""
    if process.layout == "folder":
        parts = source.resolve().parent.parts
        if "keps" in parts:
            return "/" + "/".join(parts[parts.index("keps"):])
    return proposal_id(source, process)


def lists(process: processes.Process) -> bool:
    """Whether the process writes Supersedes / Superseded-By as lists (a KEP's replaces)."""
    f = process.field_of(process.supersedes_key)
    return f is not None and f.kind == "list"


def _status_value(sheet: Sheet) -> str | None:
    found = sheet.find("status")
    return found.spot.value(found.text.lines).strip().strip("'\"") if found else None


def change(name: str, new_status: str, folder: Path, by: str | None = None,
           note: str | None = None, override: str | None = None,
           date: str | None = None) -> Change:
    """The change (not written yet) that gives proposal `name` the status `new_status`."""
    source = proposals.resolve(name, folder, override)
    process = processes.detect(source, override)
    statuses = vocabulary(process, source)
    status = known_status(new_status, statuses, source)
    superseded = status.lower() in superseded_statuses(process, statuses)
    if by is None and superseded:
        raise UsageError(f"status {status} needs the proposal that replaces this one",
                         hint=f"add --by, such as: epdoc status {name} {status} --by EP-012")
    if by is not None and not superseded:
        raise UsageError(f"--by names a successor, which only a superseded status has "
                         f"({', '.join(sorted(superseded_statuses(process, statuses)))})",
                         hint="leave out --by")
    date = date or today()
    sheet = Sheet.read(source, process)
    old = _status_value(sheet)
    value = f"{status} ({note})" if note else status
    at = sheet.title()
    heading = fields.body_of(sheet.main.lines[at]) if at is not None else ""
    if DRAFT_TITLE_RE.match(heading) and status.lower() != "draft":
        old = old or "Draft"  # the title's "Draft:" says Draft: it goes with it
        sheet.main.lines[at] = DRAFT_TITLE_RE.sub(r"\1", heading) \
            + fields.ending(sheet.main.lines[at])
    if sheet.home() is None:
        raise InputError("the proposal has no metadata to write a status in", source, 1,
                         hint="add a metadata block (front matter, or a **Status**: line)")
    sheet.set("status", process.status_key, value)
    result = Change(source, proposal_id(source, process), old, value, [sheet])
    if by is not None:
        other_source = _successor(by, folder, source, process, override)
        if other_source.resolve() == source.resolve():
            raise UsageError(f"{by} is this proposal: a proposal cannot supersede itself")
        other_process = processes.detect(other_source, override)
        other = Sheet.read(other_source, other_process)
        successor = reference(other_source, other_process)
        if lists(process):
            sheet.add_to_list("superseded_by", process.superseded_by_key, successor,
                              after="status", as_list=True)
        else:
            sheet.set("superseded_by", process.superseded_by_key, successor, after="status")
        other.add_to_list(processes.fold(other_process.supersedes_key),
                          other_process.supersedes_key, reference(source, process),
                          after="status", as_list=lists(other_process))
        other.set("updated", other_process.updated_key, date, after="created")
        result.sheets.append(other)
    sheet.set("updated", process.updated_key, date, after="created")
    return result


def _successor(by: str, folder: Path, source: Path, process: processes.Process,
               override: str | None) -> Path:
    """The proposal --by names: under the folder given, else among this one's neighbours
    (the folder it is in; for a KEP, all of keps/)."""
    try:
        return proposals.resolve(by, folder, override)
    except UsageError:
        home = source.parent.parent if process.layout == "folder" else source.parent
        home = proposals.scan_root(home, process)
        if home.resolve() == Path(folder).resolve():
            raise
        return proposals.resolve(by, home, override)
