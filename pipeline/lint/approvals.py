"""Approvals: a proposal whose status needs approvals (its process's `[approvals] required`,
such as Accepted or a KEP's implementable) must record them."""

from __future__ import annotations

from collections.abc import Iterator

from epdoc.pipeline.core import context
from epdoc.pipeline.core.record import fold_key
from epdoc.pipeline.lint.codes import Finding
from epdoc.pipeline.lint.config import Config

ANY = "any"
WHERE = {
    "folder": "its production readiness file (keps/prod-readiness/<sig>/<number>.yaml) or "
              "approvals: in kep.yaml",
    "file": "an Approvals table (Name, Role, Date, PR) or approvals: in the front matter",
}


def _has(approvals, role: str) -> bool:
    if role == ANY:
        return bool(approvals)
    want = fold_key(role)
    return any(a.role and (fold_key(a.role) == want or want in fold_key(a.role))
               for a in approvals)


def check(view, config: Config) -> Iterator[Finding]:
    rec = view.record
    process = context.of(view.doc).process
    if process is None or not rec.status:
        return
    roles = process.required_approvals.get(rec.status.lower(), ())
    missing = [r for r in roles if not _has(rec.approvals, r)]
    if not missing:
        return
    f = view.field("status")
    line, col = view.locate(f, rec.status) if f is not None else view.top
    names = ", ".join("an approval" if r == ANY else f"a {r} approval" for r in missing)
    has = sorted({a.role or "no role" for a in rec.approvals})
    found = f"it has only {', '.join(has)} ones" if has else "it records none"
    yield Finding("approvals-missing", line, col,
                  f"status {rec.status} needs {names}, and {found}; add "
                  f"{WHERE.get(process.layout, WHERE['file'])}",
                  str(f.file) if f is not None and f.file is not None else None)
