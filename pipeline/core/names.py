"""Output names: each output is named after its source file's stem (a folder proposal's
after its folder), which must make a plain, portable file name (CI artifact uploads refuse
`"`, `:`, `<`, `>`, `|`, `*`, `?`, control characters and trailing dots or spaces)."""

from __future__ import annotations

import os
import unicodedata
from pathlib import PurePath

from epdoc.pipeline.core.errors import OutputError, printable

FORBIDDEN = set('<>:"|?*\\/')
BIDI = {chr(c) for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A))}
MAX_BYTES = 200  # leaves room for the extension and the temporary name beside it


def problem(stem: str) -> str | None:
    """Why `stem` cannot name an output, or None."""
    if not stem:
        return "it is empty"
    if stem.startswith("."):
        return "it starts with a dot (the output would be hidden)"
    if stem.startswith("-"):
        return "it starts with '-' (a later command, such as `tool build/*`, would take the " \
            "output for an option)"
    bad = sorted({c for c in stem if c in FORBIDDEN or c in BIDI or not c.isprintable()})
    if bad:
        return "it contains " + ", ".join(repr(printable(c)) for c in bad)
    if stem[-1] in ". ":
        return "it ends with a dot or a space"
    if len(stem.encode("utf-8")) > MAX_BYTES:
        return f"it is longer than {MAX_BYTES} bytes"
    return None


def check(stem: str, path=None) -> None:
    why = problem(stem)
    if why:
        raise OutputError(f"file name {printable(stem)!r} cannot name an output: {why}", path,
                          hint="rename the file")


def clash_key(stem: str) -> str:
    """Stems that give the same key name the same output on some file system."""
    return unicodedata.normalize("NFC", stem).casefold()


SEPARATOR = "--"  # joins the folders that tell two proposals' outputs apart


def apart(folders: dict) -> dict:
    """Names for proposals called alike in different folders (`sig-node/1234-x` and
    `sig-apps/1234-x`): each one's path from their common folder, its parts joined with
    `--` (`sig-node--1234-x`). `folders`: key -> the proposal's folder, or a file
    proposal's path without its suffix (absolute paths)."""
    paths = {k: PurePath(v) for k, v in folders.items()}
    common = PurePath(os.path.commonpath([str(p) for p in paths.values()])) \
        if len(paths) > 1 else None
    out = {}
    for k, p in paths.items():
        parts = p.relative_to(common).parts if common is not None and p != common else (p.name,)
        out[k] = SEPARATOR.join(parts) or p.name
    return out
