"""epdoc new: a proposal from its process's template, with the next free id, today's date
and its author, created without ever replacing a file."""

from __future__ import annotations

import datetime as dt
import errno
import os
import re
import shutil
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from epdoc.pipeline.collections.lifecycle import fields, proposals
from epdoc.pipeline.collections.lifecycle.sheet import Sheet, Text
from epdoc.pipeline.config import process as processes
from epdoc.pipeline.core import atomic, git, names, reproducible, settings
from epdoc.pipeline.core.errors import InputError, OutputError, UsageError

PLACEHOLDER_RE = re.compile(r"^\s*(\[[^\]]*\]|N+|X+|\d+)?\s*$")


@dataclass
class Created:
    path: Path  # the file to edit (a folder proposal's README.md)
    files: list[Path]
    process: processes.Process
    id: str | None
    template: Path
    author: str | None


def today() -> str:
    """SOURCE_DATE_EPOCH's day when it is set, else today's (local) date."""
    fixed = reproducible.when()
    return fixed.date().isoformat() if fixed else dt.date.today().isoformat()


def process_for(folder: Path, override: str | None) -> processes.Process:
    """The process of the proposals in `folder`: --process, the project's, else what the
    proposals already there follow (an empty folder: EP)."""
    name = override or processes.configured(folder)
    if name:
        return processes.get(name, near=folder)
    votes: Counter[str] = Counter()
    try:
        children = sorted(folder.iterdir())[:500]
    except OSError:
        children = []
    for child in children:
        if child.is_dir() and processes.entry(child) is not None:
            votes[processes.sniff(child).name] += 1
        elif child.suffix.lower() == ".md" and child.name.lower() != "readme.md":
            votes[processes.sniff(child).name] += 1
    if not votes and folder.parent != folder:  # keps/sig-new/ beside keps/sig-node/
        for sibling in sorted(folder.parent.iterdir())[:50]:
            for child in sorted(sibling.iterdir())[:50] if sibling.is_dir() else []:
                if child.is_dir() and processes.entry(child) is not None:
                    votes[processes.sniff(child).name] += 1
    votes.pop("generic", None)
    return processes.get(votes.most_common(1)[0][0] if votes else "ep", near=folder)


def find_template(folder: Path, process: processes.Process) -> Path:
    """The project's own template (a file, or a folder for a folder process), looked for
    from the proposals' folder upwards and beside the project's config file; else the
    built-in one."""
    places = [folder.resolve(), *list(folder.resolve().parents)[:settings.TEMPLATE_SEARCH_DEPTH]]
    if process.origin is not None and process.origin.parent != processes.FOLDER:
        places.append(process.origin.parent)
    for place in places:
        for name in process.templates:
            candidate = place / name
            if process.layout == "folder":
                if candidate.is_dir() and any((candidate / e).is_file()
                                              for e in process.entry_names):
                    return candidate
            elif candidate.is_file():
                return candidate
        if (place / ".git").exists():
            break  # not above the repository
    return processes.FOLDER / "templates" / process.builtin_template


def _title_line(text: Text, at: int, title: str, number: int | None,
                process: processes.Process) -> None:
    line = text.lines[at]
    body = fields.body_of(line)
    m = re.match(r"^(\s{0,3}#\s+)(.*?)(\s*#*\s*)$", body)
    lead, heading = m.group(1), m.group(2)
    p = re.match(process.title_prefix, heading, re.IGNORECASE) if process.title_prefix else None
    if p is not None and number is not None and "number" in p.groupdict():
        new = f"{process.format_id(number)}: {title}"
    elif p is not None and "rest" in p.groupdict():
        new = heading[:p.start("rest")] + title
    else:
        new = title
    text.lines[at] = lead + new + fields.ending(line)


def _fill(sheet: Sheet, title: str, number: int | None, author: str | None, date: str,
          folder: Path) -> None:
    process = sheet.process
    at = sheet.title()
    if at is not None:
        _title_line(sheet.main, at, title, number, process)
    if sheet.find("title") is not None:
        sheet.set("title", "title", title)
    if process.statuses and sheet.find("status") is not None:
        sheet.set("status", process.status_key, process.statuses[0])
    if author and sheet.find("authors") is not None:
        sheet.set_list("authors", "authors", [author])
    for name in ("created", "updated"):
        if sheet.find(name) is not None:
            sheet.set(name, name, date)
    if number is not None:
        for key in ("id", *process.id_keys):
            found = sheet.find(key)
            if found is not None:
                old = found.spot.value(found.text.lines)
                value = str(number) if PLACEHOLDER_RE.match(old) else process.format_id(number)
                sheet.set(key, key, value)
                break
    if sheet.find("owning-sig") is not None and folder.name.startswith("sig-"):
        sheet.set("owning-sig", "owning-sig", folder.name)


def _read_template(template: Path, process: processes.Process) -> tuple[Text, Text | None]:
    if template.is_dir():
        entry = next((template / e for e in process.entry_names if (template / e).is_file()),
                     None)
        if entry is None:
            raise InputError("the template folder has no " + " or ".join(process.entry_names),
                             template)
        side = next((template / s for s in process.sidecars if (template / s).is_file()), None)
        return Text.read(entry), Text.read(side, settings.MAX_SIDECAR_BYTES) if side else None
    return Text.read(template), None


def create(title: str, folder: Path, override: str | None = None, number: int | None = None,
           author: str | None = None) -> Created:
    title = " ".join(title.split())
    if not title:
        raise UsageError("the title is empty", hint='give one: epdoc new "Faster Exports"')
    folder = Path(folder)
    if not folder.is_dir():
        raise UsageError(f"no such folder: {folder}", hint="create it, or give --dir FOLDER")
    process = process_for(folder, override)
    numbered = "{number" in process.file_name
    if numbered:
        if number is None:
            number = proposals.next_number(folder, process)
        else:
            other = proposals.taken(folder, process, number)
            if other is not None:
                raise UsageError(f"{process.format_id(number)} is taken: {other}",
                                 hint="leave out --number for the next free one")
    elif number is not None:
        raise UsageError(f"process {process.name} does not number its proposals' files",
                         hint="leave out --number")
    name = process.file_name.format(number=number or 0, slug=proposals.slug(title))
    names.check(Path(name).stem if process.layout == "file" else name, folder / name)
    target = folder / name
    template = find_template(folder, process)
    main, side = _read_template(template, process)
    author = author or git.user_name()
    entry = target / process.entry_names[0] if process.layout == "folder" else target
    main.path = entry
    if side is not None:
        side.path = target / process.sidecars[0]
    sheet = Sheet.build(entry, process, main, side)
    _fill(sheet, title, number if numbered else None, author, today(), folder)
    files = [entry] + ([side.path] if side is not None else [])
    _write(target, process, sheet)
    return Created(entry, files, process, process.format_id(number) if numbered else None,
                   template, author)


def _exists(target: Path, numbered: bool) -> OutputError:
    return OutputError("a proposal is there already; epdoc new never replaces one", target,
                       hint="choose another title" + (" or --number" if numbered else ""))


def _write(target: Path, process: processes.Process, sheet: Sheet) -> None:
    numbered = "{number" in process.file_name
    if process.layout == "folder":
        try:
            os.mkdir(target)
        except FileExistsError:
            raise _exists(target, numbered) from None
        try:
            for text in sheet.texts:
                atomic.write_new(text.path, text.data())
        except BaseException:
            shutil.rmtree(target, ignore_errors=True)
            raise
        return
    try:
        atomic.write_new(target, sheet.main.data())
    except OSError as e:
        if e.errno == errno.EEXIST:
            raise _exists(target, numbered) from None
        raise
