"""A proposal's life from git: when it last changed, and its status over time (date, status,
commit), read from the versions whose metadata changed. git runs only through
pipeline/core/git.py (no hooks, no pager, nothing written)."""

from __future__ import annotations

import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from epdoc.pipeline.core import git

MAX_VERSIONS = 20  # versions read per proposal (the newest ones whose status line changed)
STATUS_LINES = "[Ss][Tt][Aa][Tt]"  # git log -G: commits touching a status (or state) line


@dataclass
class Life:
    changed: str | None = None  # ISO date and time of the last commit touching the file
    commit: str | None = None
    statuses: list[dict] = field(default_factory=list)  # oldest first


def _status_of(text: str, name: str, options) -> str | None:
    from epdoc.pipeline.reading.document import load

    with tempfile.TemporaryDirectory(prefix="epdoc-history-") as tmp:
        path = Path(tmp) / name
        path.write_text(text, encoding="utf-8")
        try:
            return load(path, options).record.status
        except Exception:  # noqa: BLE001 - an old version that no longer reads has no status
            return None


def life(source: Path, options=None, statuses: bool = True) -> Life:
    """What git knows of `source` (an empty Life outside a repository)."""
    repo = git.repository()
    rel = repo.relative(source) if repo else None
    if rel is None:
        return Life()
    last = repo.optional("log", "-1", "--format=%H%x00%cI", "--", rel)
    if not last:
        return Life()
    commit, changed = last.split("\0")
    out = Life(changed, commit)
    if not statuses:
        return out
    found = repo.optional("log", f"-{MAX_VERSIONS}", "--format=%H%x00%cI", "-G",
                          STATUS_LINES, "--", rel)
    previous = None
    for line in reversed((found or "").splitlines()):
        sha, date = line.split("\0")
        text = repo.optional("show", f"{sha}:{rel}")
        status = _status_of(text, source.name, options) if text is not None else None
        if status and status != previous:
            out.statuses.append({"date": date, "status": status, "commit": sha})
            previous = status
    return out
