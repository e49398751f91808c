"""Remembering what is slow to derive again (a digest, a font's metrics, a parsed TOML file),
as JSON files in the user cache: the one way epdoc does it, so that every memo is keyed by
everything its value depends on, written atomically and never trusted when malformed.

A memo is found by its `name` and taken only when the `key` stored with it is the key asked
for (so two keys that hash to one name never mix); a value `valid()` refuses is derived again.
"""

from __future__ import annotations

import json
import os
from pathlib import Path


def stamp(path) -> list:
    """What changes when a file changes: its path, size and modification time."""
    try:
        st = os.stat(path)
    except OSError:
        return [str(path), None, None]
    return [str(path), st.st_size, st.st_mtime_ns]


def name_for(key) -> str:
    import hashlib

    return hashlib.sha256(json.dumps(key, sort_keys=True).encode("utf-8", "surrogatepass")
                          ).hexdigest()[:32]


def remembered(name: str, key, compute, *, folders=(), valid=lambda _v: True,
               keep=lambda _v: True):
    """`compute()`, remembered under `name` while `key` (JSON) is the same. `folders`: where
    memos are kept besides the user cache (the build cache, which CI keeps); `keep`: whether
    a value may be written (JSON must give it back as it is)."""
    from epdoc.pipeline.core import atomic, settings

    key = json.loads(json.dumps(key))  # tuples as lists: as read back
    places = [settings.user_cache() / name, *(Path(f) / name for f in folders)]
    value, found = None, False
    for place in places:
        try:
            memo = json.loads(place.read_text(encoding="utf-8"))
            if memo["key"] == key and valid(memo["value"]):
                value, found = memo["value"], True
                break
        except (OSError, ValueError, KeyError, TypeError):
            continue
    if not found:
        value = compute()
        if not keep(value):
            return value
    elif len(places) == 1:
        return value  # kept already: no need to write it out again to compare
    text = json.dumps({"key": key, "value": value})
    for place in places:
        try:
            if not place.is_file() or place.read_text(encoding="utf-8") != text:
                atomic.write_text(place, text)
        except OSError:
            pass  # no room for the memo: derived again next time
    return value
