"""Paths a proposal gives (pictures, links), checked before any file-system call sees them.

A proposal is untrusted text: `![x](images/x%00.png)` decodes to a path with a NUL byte, which
every `os` call refuses with a ValueError; a 300-character name makes them fail with "File name
too long"; a lone surrogate cannot be encoded at all. `problem()` says what is wrong with such a
path (after URL-decoding) before anything is asked of the file system, so the caller can report
it against the proposal, at its line, like any other bad picture or link.

`within()` follows a relative path from a folder the way the file system would (symlinks inside
the folder resolved), and stops as soon as it would leave the folder: nothing outside is looked
at, so whether a file exists out there is never found out.
"""

from __future__ import annotations

import os
import re
import sys
from collections import deque
from pathlib import Path

from epdoc.pipeline.core.errors import InputError
from epdoc.pipeline.core.names import printable

NAME_MAX = 255  # bytes in one path component (ext4, xfs, btrfs, tmpfs, APFS, NTFS in UTF-16)
PATH_MAX = 4096  # bytes in a whole path (Linux)
MAX_SYMLINKS = 40  # as the kernel follows at most


class PathError(InputError):
    """A path a proposal gives cannot be used (NUL, control character, too long, not
    encodable). `code` is the lint code it is reported under."""

    def __init__(self, message: str, path=None, line: int | None = None,
                 hint: str = "fix the path in the proposal", code: str = "image-missing"):
        super().__init__(message, path=path, line=line, hint=hint)
        self.code = code


def problem(path: str) -> str | None:
    """Why `path` (a URL-decoded path from a proposal, relative or not) cannot be given to the
    file system, or None when it can."""
    if "\x00" in path:
        return "it contains a NUL character"
    controls = sorted({c for c in path if ord(c) < 0x20 or 0x7F <= ord(c) < 0xA0})
    if controls:
        return "it contains the control character(s) " + \
            ", ".join(printable(c) for c in controls)
    try:
        data = path.encode(sys.getfilesystemencoding(), "strict")
    except UnicodeError:
        return "it cannot be written as a file name (not valid Unicode, or not encodable in " \
            f"the file system's encoding {sys.getfilesystemencoding()})"
    if len(data) > PATH_MAX:
        return f"it is {len(data)} bytes long, over the {PATH_MAX} a path may have"
    longest = max(re.split(rb"[/\\]" if os.name == "nt" else rb"/", data), key=len)
    if len(longest) > NAME_MAX:
        return f"a part of it is {len(longest)} bytes long, over the {NAME_MAX} a file " \
            "name may have"
    return None


def root_of(path, roots) -> Path | None:
    """The innermost of `roots` that holds `path` once symlinks are resolved (a root holds
    itself), resolved; None when none does or the path cannot be resolved. The one test of
    "inside the folder" (pictures, fonts, links, cache dependencies)."""
    try:
        real = Path(os.path.realpath(path))
    except (OSError, ValueError):
        return None
    found = None
    for root in roots:
        try:
            root = Path(os.path.realpath(root))
        except (OSError, ValueError):
            continue
        if (real == root or root in real.parents) and \
                (found is None or len(root.parts) > len(found.parts)):
            found = root
    return found


def inside(path, roots) -> bool:
    """True when `path` (symlinks resolved) lies under one of `roots`."""
    return root_of(path, roots) is not None


def hidden(parts) -> bool:
    """A hidden part (`.git`, `.env`) in a path's parts; `.` and `..` are not hidden."""
    return any(p.startswith(".") and p not in (".", "..") for p in parts)


def shown(path: str, limit: int = 80) -> str:
    """`path` for a one-line message: unprintable characters escaped, a long one cut."""
    text = printable(path)
    return text if len(text) <= limit else text[:limit - 1] + "…"


def check(path: str, what: str = "picture path", source=None, line: int | None = None,
          code: str = "image-missing") -> None:
    """Raise PathError (located at `source`:`line`) when `path` cannot be used."""
    why = problem(path)
    if why:
        raise PathError(f"{what} '{shown(path)}' cannot be used: {why}", source, line,
                        code=code)


def within(root: Path, rel: str) -> Path | None:
    """The path `rel` (relative, already checked with `problem`) names from the folder
    `root`, symlinks inside `root` followed; None as soon as it leaves `root` (by `..`, or by
    a symlink whose target is outside) or follows too many symlinks. Only paths inside
    `root` are looked at (and only to see whether they are symlinks)."""
    root = Path(os.path.realpath(root))
    current = root
    pending = deque(rel.split("/"))
    hops = 0
    while pending:
        part = pending.popleft()
        if part in ("", "."):
            continue
        if part == "..":
            if current == root:
                return None
            current = current.parent
            continue
        step = current / part
        if not os.path.islink(step):
            current = step
            continue
        hops += 1
        if hops > MAX_SYMLINKS:
            return None
        try:
            target = os.readlink(step)
        except OSError:
            return None
        if os.path.isabs(target):
            target_path = Path(os.path.normpath(target))
            if target_path != root and root not in target_path.parents:
                return None
            current = root
            pending.extendleft(reversed(target_path.relative_to(root).parts))
        else:
            pending.extendleft(reversed(target.split("/")))
    return current
