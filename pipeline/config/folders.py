"""The digest of a folder's files (the theme's: tokens, CSS, templates, fonts; epdoc's code),
remembered.

Hashing every byte of the theme (its fonts are megabytes) took a good part of an up-to-date
build and of each DOCX. The digest is kept, in this process and in the user cache, under the
folder's listing (each file's name, size and modification time): it is computed again as
soon as any file is added, removed or changed.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

_memo: dict[tuple, str] = {}


def _listing(root: Path, suffixes) -> list[tuple[str, int, int]]:
    found = []
    for folder, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if d != "__pycache__")
        for name in files:
            if suffixes and not name.endswith(suffixes):
                continue
            path = os.path.join(folder, name)
            try:
                st = os.stat(path)
            except OSError:
                continue
            found.append((os.path.relpath(path, root), st.st_size, st.st_mtime_ns))
    return sorted(found, key=lambda item: Path(item[0]).parts)  # as sorted(rglob) gives


def _hash(root: Path, listing) -> str:
    h = hashlib.sha256()
    for rel, _size, _mtime in listing:
        h.update(rel.encode())
        h.update((root / rel).read_bytes())
    return h.hexdigest()[:16]


def memo_folders(also: Path | None = None) -> list[Path]:
    """Besides the user cache, where memos are kept: `also` (the build cache folder, which CI
    keeps between runs when it keeps no user cache)."""
    return [Path(also)] if also else []


def digest(root: Path, suffixes: tuple[str, ...] = (), also: Path | None = None) -> str:
    """A hash of the names and contents of every file under `root` (__pycache__ aside; only
    names ending in one of `suffixes`, when given). `also`: a second folder for the memo."""
    from epdoc.pipeline.core import memo

    listing = _listing(root, suffixes)
    key = [str(root), listing]
    name = memo.name_for(key)
    if (name, also) not in _memo:
        _memo[name, also] = memo.remembered(
            f"folder-{name}.json", key, lambda: _hash(root, listing), folders=memo_folders(also),
            valid=lambda v: isinstance(v, str) and len(v) == 16)
    return _memo[name, also]
