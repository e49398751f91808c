"""Which proposals are archived: --status, or the project file's [archive] statuses."""

from __future__ import annotations

from pathlib import Path

from epdoc.pipeline.collections.archive.formats import DEFAULT_STATUSES
from epdoc.pipeline.config import project
from epdoc.pipeline.core.errors import UsageError
from epdoc.pipeline.core.options import comma_list


def _configured(found: project.ProjectFile) -> tuple[str, ...]:
    path = found.path
    archive = found.table.get("archive", {})
    if not isinstance(archive, dict):
        raise UsageError("archive must be a table: [archive] statuses = [...]", path)
    unknown = sorted(set(archive) - {"statuses"})
    if unknown:
        raise UsageError(f"unknown archive setting {unknown[0]!r} (did you mean statuses?)", path)
    statuses = archive.get("statuses", list(DEFAULT_STATUSES))
    if not isinstance(statuses, list) or not statuses \
            or not all(isinstance(v, str) and v.strip() for v in statuses):
        raise UsageError("archive statuses must be a list of status names", path)
    return tuple(v.strip() for v in statuses)


def configured_statuses(source: Path) -> tuple[tuple[str, ...], Path | None]:
    """(statuses to archive, the file that says so): the nearest epdoc.toml or pyproject.toml
    with [tool.epdoc] above the proposal, `[archive] statuses` (`[tool.epdoc.archive]`), else
    Accepted, Implementable, Implemented."""
    found = project.nearest(source, skip_unreadable=False)
    if found is None:
        return DEFAULT_STATUSES, None
    return _configured(found), found.path


def parse_statuses(value: str) -> tuple[str, ...]:
    items = comma_list(value)
    if not items:
        raise UsageError("no status given", hint="e.g. --status Accepted,Implemented")
    return items


def selected(status: str | None, statuses) -> bool:
    wanted = {s.lower() for s in statuses}
    return "all" in wanted or (status or "").lower() in wanted
