"""The proposals of a folder as `new` and `status` see them: their numbers (the next free
one), a proposal named by its id, a new one's file name."""

from __future__ import annotations

import os
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from epdoc.pipeline.config import process as processes
from epdoc.pipeline.core import settings
from epdoc.pipeline.core.errors import UsageError

SKIP = {"node_modules", "build", "_build", "site", "dist", "vendor"}
ID_RE = re.compile(r"^\s*([A-Za-z]*)[-_ ]?0*(\d+)\s*$")
MAX_SLUG = 60


@dataclass(frozen=True)
class Known:
    """A proposal found on disk: its file (a folder proposal's entry), number and process."""
    source: Path
    number: int | None
    process: processes.Process


def slug(title: str) -> str:
    """A file name's words from a title: ASCII, lower case, one `-` between words."""
    text = unicodedata.normalize("NFKD", title)
    text = "".join(c for c in text if not unicodedata.combining(c))
    words = re.findall(r"[A-Za-z0-9]+", text.lower())
    out = ""
    for w in words:
        if len(out) + len(w) + 1 > MAX_SLUG:
            break
        out = f"{out}-{w}" if out else w
    return out or "proposal"


def _number(name: str, process: processes.Process) -> int | None:
    m = re.match(process.id_pattern, name, re.IGNORECASE) if process.id_pattern else None
    if m and m.groups() and (m.group(1) or "").isdigit():
        return int(m.group(1))
    return None


def _walk(root: Path):
    """Files and folders under `root`, hidden ones and build folders left out, at most
    settings.LIFECYCLE_MAX_SCAN of them."""
    seen = 0
    for folder, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and d not in SKIP)
        for name in sorted(files):
            seen += 1
            if seen > settings.LIFECYCLE_MAX_SCAN:
                return
            yield Path(folder) / name


def scan(root: Path, process: processes.Process) -> list[Known]:
    """The proposals of `process` under `root`: files named like them, and folders with an
    entry file (a KEP's README.md beside its kep.yaml) named like them."""
    found: list[Known] = []
    entries = set(process.entry_names)
    for path in _walk(root):
        if process.layout == "folder":
            if path.name in entries and processes.entry(path.parent, process) == path:
                found.append(Known(path, _number(path.parent.name, process), process))
        elif path.suffix.lower() in (".md", ".markdown"):
            found.append(Known(path, _number(path.stem, process), process))
    return found


def scan_root(folder: Path, process: processes.Process) -> Path:
    """Where numbers are unique: for a folder process, the folder above the proposals'
    own folder (keps/ above keps/sig-node/), else the proposals' folder itself."""
    folder = Path(folder)
    if process.layout == "folder" and folder.parent != folder:
        return folder.parent
    return folder


def next_number(folder: Path, process: processes.Process) -> int:
    """One more than the highest number used under the scan root (1 when none)."""
    numbers = [k.number for k in scan(scan_root(folder, process), process)
               if k.number is not None]
    return max(numbers, default=0) + 1


def taken(folder: Path, process: processes.Process, number: int) -> Path | None:
    for k in scan(scan_root(folder, process), process):
        if k.number == number:
            return k.source
    return None


def resolve(name: str, folder: Path, override: str | None = None) -> Path:
    """The proposal `name` names: a path (a file, or a folder proposal's folder), else an
    id (EP-012, KEP-2727, 12) looked up under `folder`."""
    path = Path(name)
    if path.is_dir():
        entry = processes.entry(path, processes.get(override, near=path) if override else None)
        if entry is None:
            raise UsageError(f"{name} is a folder, not a proposal",
                             hint="give the proposal's file, or its id")
        return entry
    if path.is_file():
        return path
    m = ID_RE.match(name)
    if m is None or not Path(folder).is_dir():
        raise UsageError(f"no such proposal: {name}",
                         hint="give a proposal's file, or its id (EP-012) with --dir FOLDER")
    prefix, number = m.group(1).lower(), int(m.group(2))
    process = processes.detect(folder, override) if override or processes.configured(folder) \
        else None
    candidates = [process] if process else [processes.builtin(n) for n in processes.BUILTIN]
    hits: dict[Path, None] = {}
    for p in candidates:
        if prefix and not p.format_id(number).lower().startswith(prefix):
            continue
        for k in scan(Path(folder), p):
            if k.number == number and (process or processes.detect(k.source).name == p.name):
                hits[k.source] = None
    if not hits:
        raise UsageError(f"no proposal {name} under {folder}",
                         hint="give its file, or the folder it is in with --dir")
    if len(hits) > 1:
        listed = ", ".join(str(h) for h in list(hits)[:5])
        raise UsageError(f"{name} names more than one proposal: {listed}",
                         hint="give the file instead of the id")
    return next(iter(hits))
