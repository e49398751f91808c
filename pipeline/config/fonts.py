"""What a font file says about itself."""

from __future__ import annotations

import functools
from pathlib import Path


@functools.cache
def family_name(path: Path) -> str:
    """The family name inside a font file (what Word shows)."""
    from fontTools.ttLib import TTFont  # only when asked: lint never needs it

    name = TTFont(str(path), lazy=True)["name"]
    return name.getDebugName(16) or name.getDebugName(1)


def _ranges(codes: set[int]) -> list[list[int]]:
    out: list[list[int]] = []
    for c in sorted(codes):
        if out and c == out[-1][1] + 1:
            out[-1][1] = c
        else:
            out.append([c, c])
    return out


@functools.cache
def _coverage(key: tuple) -> frozenset[int]:
    import hashlib
    import json

    from epdoc.pipeline.core import atomic, settings

    name = hashlib.sha256(repr(key).encode()).hexdigest()[:16]
    cached = settings.user_cache() / f"glyphs-{name}.json"
    try:
        ranges = json.loads(cached.read_text())
        return frozenset(c for a, b in ranges for c in range(a, b + 1))
    except (OSError, ValueError, TypeError):
        pass
    from fontTools.ttLib import TTFont

    codes: set[int] = set()
    for path, _size, _mtime in key:
        codes |= set(TTFont(path, lazy=True).getBestCmap())
    try:
        atomic.write_text(cached, json.dumps(_ranges(codes)))
    except OSError:
        pass  # no room for the cache: computed again next time
    return frozenset(codes)


def coverage(paths) -> frozenset[int]:
    """Every character some font in `paths` has a glyph for (cached on disk per font set)."""
    key = []
    for p in sorted({Path(p) for p in paths}):
        st = p.stat()
        key.append((str(p), st.st_size, st.st_mtime_ns))
    return _coverage(tuple(key))
