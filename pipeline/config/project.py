"""The project's configuration file, read by one loader for every setting (lint, archive).

Each proposal uses the nearest file above it: an `epdoc.toml` (all of it is epdoc's) beats a
`pyproject.toml` (its `[tool.epdoc]` table) in the same folder, and a `pyproject.toml`
without `[tool.epdoc]` is skipped.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path

from epdoc.pipeline.core.errors import UsageError

NAMES = ("epdoc.toml", "pyproject.toml")


class ConfigError(UsageError):
    """A configuration file that cannot be used (exit code 2)."""


@dataclass(frozen=True, eq=False)  # one object per file version (cached): hashed by identity
class ProjectFile:
    path: Path
    text: str
    table: dict  # epdoc's settings in it


def _plain(value) -> bool:
    """True when JSON gives `value` back as it is (no dates, which TOML also has)."""
    if isinstance(value, dict):
        return all(isinstance(k, str) and _plain(v) for k, v in value.items())
    if isinstance(value, list):
        return all(_plain(v) for v in value)
    return isinstance(value, (str, int, float, bool))


def remembered(path: Path, parse) -> dict:
    """`parse(path)` for a TOML file epdoc reads on every run (a built-in process, the
    theme's tokens), remembered while the file keeps its size and modification time: a
    quick command then does not import and run a TOML parser."""
    from epdoc.pipeline.core import memo

    key = memo.stamp(path)
    return memo.remembered(f"toml-{memo.name_for(key)}.json", key, lambda: parse(path),
                           valid=lambda v: isinstance(v, dict), keep=_plain)


@functools.lru_cache(maxsize=64)
def _read(path: Path, _mtime_ns: int) -> ProjectFile | None:
    import tomllib  # only where a project has a configuration file

    text = path.read_text(encoding="utf-8")
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        m = re.search(r"\(at line (\d+)", str(e))
        raise ConfigError(f"not valid TOML: {e}", path, int(m.group(1)) if m else None) from None
    if path.name == "pyproject.toml":
        table = data.get("tool", {}).get("epdoc")
        if table is None:
            return None
    else:
        table = data
    if not isinstance(table, dict):
        raise ConfigError("[tool.epdoc] must be a table", path)
    return ProjectFile(path, text, table)


def read(path: Path) -> ProjectFile | None:
    """epdoc's settings in one file; None for a pyproject.toml without [tool.epdoc]."""
    path = Path(path)
    return _read(path, path.stat().st_mtime_ns)


def nearest(source, skip_unreadable: bool = True) -> ProjectFile | None:
    """The configuration file that applies to a proposal, or None."""
    folder = Path(source).resolve().parent
    for d in (folder, *folder.parents):
        for name in NAMES:
            f = d / name
            if not f.is_file():
                continue
            try:
                found = read(f)
            except OSError:
                if skip_unreadable:
                    continue
                raise
            if found is not None:
                return found
    return None
