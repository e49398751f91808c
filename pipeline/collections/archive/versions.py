"""The versions an archive holds: one folder each, with its manifest."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from epdoc.pipeline.collections.archive.formats import MANIFEST, VERSION_RE


@dataclass
class Version:
    key: str
    name: str
    path: Path
    manifest: dict


def version_sort_key(name: str):
    m = VERSION_RE.match(name)
    return (m.group(1), int(m.group(2) or 1)) if m else (name, 0)


def versions_of(key_dir: Path) -> list[Version]:
    """The archived versions of one proposal that have a readable manifest, oldest first."""
    found = []
    if not key_dir.is_dir():
        return found
    for vdir in sorted((p for p in key_dir.iterdir() if p.is_dir()),
                       key=lambda p: version_sort_key(p.name)):
        try:
            data = json.loads((vdir / MANIFEST).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        if isinstance(data, dict):
            found.append(Version(key_dir.name, vdir.name, vdir, data))
    return found


def versions(root: Path) -> list[Version]:
    """Every archived version with a readable manifest, by proposal then version."""
    if not root.is_dir():
        return []
    return [v for key_dir in sorted(p for p in root.iterdir()
                                    if p.is_dir() and not p.name.startswith("."))
            for v in versions_of(key_dir)]
