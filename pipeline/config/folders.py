"""The digest of a folder's files (the theme's: tokens, CSS, templates, fonts; epdoc's code),
remembered.

Hashing every byte of the theme (its fonts are megabytes) took a good part of an up-to-date
build and of each DOCX. The digest is kept, in this process and in the user cache, under the
folder's listing (each file's name, size and modification time): it is computed again as
soon as any file is added, removed or changed.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

_memo: dict[str, str] = {}


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


def digest(root: Path, suffixes: tuple[str, ...] = ()) -> str:
    """A hash of the names and contents of every file under `root` (__pycache__ aside; only
    names ending in one of `suffixes`, when given)."""
    from epdoc.pipeline.core import atomic, settings

    listing = _listing(root, suffixes)
    key = hashlib.sha256(json.dumps([str(root), listing]).encode()).hexdigest()[:32]
    if key in _memo:
        return _memo[key]
    memo = settings.user_cache() / f"folder-{key}.digest"
    try:
        found = memo.read_text().strip()
        if len(found) == 16:
            _memo[key] = found
            return found
    except OSError:
        pass
    value = _memo[key] = _hash(root, listing)
    try:
        atomic.write_text(memo, value)
    except OSError:
        pass  # no room for the memo: hashed again next time
    return value
