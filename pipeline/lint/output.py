"""How lint reports: text for people, JSON for scripts, workflow commands for GitHub Actions."""

from __future__ import annotations

import json
import os
from pathlib import Path

from epdoc.pipeline.core import settings
from epdoc.pipeline.core.diagnostics import SEVERITIES
from epdoc.pipeline.lint.codes import CODES

GITHUB_LEVEL = {"error": "error", "warning": "warning", "info": "notice"}


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def summary(report) -> str:
    files = _plural(len(report.files), "file")
    counts = [_plural(report.count(s), s) for s in SEVERITIES if report.count(s)]
    return f"{files} checked: {', '.join(counts) if counts else 'no problems'}"


def text(report) -> str:
    """`path:line:col: severity code message`, one per line, file by file, then a summary."""
    lines = []
    for d in report.all():
        lines.append(f"{d.file}:{d.line or 1}:{d.column or 1}: {d.severity} {d.code} {d.message}")
    lines.append(summary(report))
    return "\n".join(lines)


def as_json(report) -> str:
    return json.dumps([d.as_dict() for d in report.all()], ensure_ascii=False, indent=2)


def _escape_data(s: str) -> str:
    return s.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(s: str) -> str:
    return _escape_data(s).replace(":", "%3A").replace(",", "%2C")


def _repo_path(file: str) -> str:
    """The path GitHub annotates: relative to the workspace (or the current folder) if inside."""
    p = Path(file)
    if not p.is_absolute():
        return p.as_posix()
    for root in (settings.env("GITHUB_WORKSPACE"), os.getcwd()):
        if root:
            try:
                return p.resolve().relative_to(Path(root).resolve()).as_posix()
            except ValueError:
                continue
    return p.as_posix()


def github(report) -> str:
    """GitHub Actions workflow commands: each diagnostic becomes an annotation at its line."""
    lines = []
    for d in report.all():
        props = [f"file={_escape_property(_repo_path(d.file))}"]
        if d.line:
            props += [f"line={d.line}", f"col={d.column or 1}"]
        props.append(f"title={_escape_property(d.code)}")
        lines.append(f"::{GITHUB_LEVEL[d.severity]} {','.join(props)}::{_escape_data(d.message)}")
    lines.append(summary(report))
    return "\n".join(lines)


FORMATS = {"text": text, "json": as_json, "github": github}


def rules_table(fmt: str = "text") -> str:
    if fmt == "json":
        return json.dumps([{"code": c.code, "group": c.group, "severity": c.severity,
                            "meaning": c.meaning} for c in CODES.values()], indent=2)
    width = max(len(c) for c in CODES)
    return "\n".join(f"{c.code:<{width}}  {c.severity:<7}  {c.group:<8}  {c.meaning}"
                     for c in CODES.values())
