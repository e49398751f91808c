"""Finding proposals and reading them safely."""

from __future__ import annotations

import os
import re
import stat
from pathlib import Path

from epdoc.pipeline.core import paths, settings
from epdoc.pipeline.core.errors import InputError, LimitError

SKIP_NAMES = {"readme.md", "index.md", "changelog.md", "contributing.md", "license.md"}
BIDI_RE = re.compile("[\u202a-\u202e\u2066-\u2069]")
# what XML (DOCX) cannot hold, and terminal escapes (ESC, CSI) in CI logs; tab and line
# ends are text
CONTROL_RE = re.compile("[\x01-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]")
DEFAULT_MAX_BYTES = settings.MAX_INPUT_BYTES


def discover(paths) -> list[Path]:
    """Proposal files from files and folders, in a stable order, each once."""
    found: list[Path] = []
    seen: set[Path] = set()
    for raw in paths:
        p = Path(raw)
        if p.is_dir():
            files = sorted(
                f for f in p.rglob("*.md")
                if f.name.lower() not in SKIP_NAMES
                and not any(part.startswith((".", "_")) for part in f.relative_to(p).parts)
                and f.is_file()
            )
        else:
            files = [p]
        for f in files:
            key = f.resolve() if f.exists() else f.absolute()
            if key not in seen:
                seen.add(key)
                found.append(f)
    return found


def readable(path: Path, max_bytes: int = DEFAULT_MAX_BYTES) -> bool:
    """True when `path` is a regular file inside its folder (symlinks resolved) within the
    size limit: what may be read before `read_source` checks the rest."""
    try:
        st = os.stat(os.path.realpath(path))
    except (OSError, ValueError):
        return False
    return paths.inside(path, [Path(path).parent]) and stat.S_ISREG(st.st_mode) \
        and st.st_size <= max_bytes


def read_source(path: Path, max_bytes: int = DEFAULT_MAX_BYTES) -> str:
    """The text of a proposal: UTF-8 (BOM allowed), LF line ends; clear errors otherwise."""
    path = Path(path)
    if not path.exists():
        raise InputError("file not found", path, hint="check the path")
    if not path.is_file():
        raise InputError("not a regular file", path, hint="pass a markdown file or a folder")
    if not paths.inside(path, [path.parent]):
        raise InputError("the file is a symlink to a file outside its folder", path,
                         hint="proposals and their pictures are read only inside their folder")
    size = path.stat().st_size
    if size > max_bytes:
        raise LimitError(
            f"file is {size} bytes, over the input size limit of {max_bytes}",
            path, hint="raise it with --max-input-bytes",
        )
    data = path.read_bytes()
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        line = data[: e.start].count(b"\n") + 1
        raise InputError(
            f"not valid UTF-8 (byte 0x{data[e.start]:02x})", path, line,
            hint="save the file as UTF-8",
        ) from None
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        raise InputError("contains a NUL character", path, line, hint="remove it") from None
    m = CONTROL_RE.search(text)
    if m:
        line = text[: m.start()].count("\n") + 1
        raise InputError(f"contains a control character U+{ord(m.group()):04X}", path, line,
                         hint="remove it; no output format can hold it")
    m = BIDI_RE.search(text)
    if m:
        line = text[: m.start()].count("\n") + 1
        raise InputError(
            f"contains a bidirectional override character U+{ord(m.group()):04X}",
            path, line, hint="remove it; it can hide text from reviewers",
        )
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise InputError("file is empty", path, hint="write the proposal, or remove the file")
    return text
