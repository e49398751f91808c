"""Known findings of old proposals, kept in a baseline file so that they do not fail CI
while new ones do. A finding is known when the baseline has one with the same file (as
given, relative to the baseline's folder), code and message: lines may move."""

from __future__ import annotations

import json
import os
from collections import Counter
from pathlib import Path

from epdoc.pipeline.core import atomic
from epdoc.pipeline.core.errors import UsageError

VERSION = 1


def _key(base: Path, d) -> tuple[str, str, str]:
    path = Path(d.file)
    try:
        rel = Path(os.path.relpath(path.resolve(), base.resolve())).as_posix()
    except ValueError:  # another drive
        rel = path.as_posix()
    return rel, d.code, d.message


def write(path: Path, report) -> int:
    """Write every finding of `report` to the baseline `path`; how many."""
    base = path.parent
    rows = sorted(_key(base, d) for d in report.all())
    data = {"epdoc-lint-baseline": VERSION,
            "findings": [{"file": f, "code": c, "message": m} for f, c, m in rows]}
    atomic.write_text(path, json.dumps(data, ensure_ascii=False, indent=1) + "\n")
    return len(rows)


def load(path: Path) -> Counter:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        rows = data["findings"] if data.get("epdoc-lint-baseline") == VERSION else None
        if rows is None:
            raise KeyError
        return Counter((r["file"], r["code"], r["message"]) for r in rows)
    except OSError as exc:
        raise UsageError(f"--baseline {path}: cannot read it ({exc.strerror})",
                         hint="write one with --write-baseline") from None
    except (ValueError, KeyError, TypeError, AttributeError):
        raise UsageError(f"--baseline {path}: not an epdoc lint baseline",
                         hint="write one with --write-baseline") from None


def apply(report, path: Path) -> tuple[int, int]:
    """Drop from `report` the findings the baseline knows; (hidden, how many of the checked
    files' known findings are fixed since)."""
    known = load(path)
    left = Counter(known)
    base = path.parent
    hidden = 0
    for source, diags in report.diagnostics.items():
        kept = []
        for d in diags:
            key = _key(base, d)
            if left[key] > 0:
                left[key] -= 1
                hidden += 1
            else:
                kept.append(d)
        report.diagnostics[source] = kept
    checked = {_key(base, _File(str(f)))[0] for f in report.files}
    return hidden, sum(n for key, n in left.items() if key[0] in checked)


class _File:
    """A file's key alone (for which files a run checked)."""
    code = message = ""

    def __init__(self, file: str):
        self.file = file
