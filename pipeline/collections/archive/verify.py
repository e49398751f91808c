"""`epdoc archive verify`: every hash recomputed; what changed, went missing or appeared."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from epdoc.pipeline.collections.archive.formats import (
    MANIFEST,
    STAGING,
    SUMS,
    TOP_FILES,
    ArchiveError,
)
from epdoc.pipeline.collections.archive.sums import file_sha256, read_sums
from epdoc.pipeline.collections.archive.versions import versions
from epdoc.pipeline.core.errors import UsageError


@dataclass
class Problem:
    kind: str  # changed | missing | appeared | unreadable | staging
    path: str
    detail: str = ""

    def text(self) -> str:
        return f"{self.kind}: {self.path}" + (f" ({self.detail})" if self.detail else "")


def verify(root: Path) -> tuple[list[Problem], dict]:
    """Recompute every hash. Problems: files that changed, went missing or appeared."""
    root = Path(root)
    if not root.is_dir():
        raise UsageError(f"{root}: no such folder", hint="pass the folder given to --into")
    problems: list[Problem] = []
    sums_path = root / SUMS
    vers = versions(root)
    if not sums_path.is_file() and not vers:
        raise ArchiveError("not an epdoc archive (no SHA256SUMS and no manifest.json)", root)
    ledger = read_sums(sums_path) if sums_path.is_file() else None
    if ledger is None:
        problems.append(Problem("missing", SUMS))
    expected: dict[str, tuple[str, int | None]] = \
        {path: (digest, None) for path, digest in (ledger or {}).items()}
    # the ledger is the truth; each manifest must agree with it (and stands in when it is lost)
    for v in vers:
        base = v.path.relative_to(root).as_posix()
        for f in v.manifest.get("files", []):
            rel = f"{base}/{f.get('path')}"
            digest, size = f.get("sha256"), f.get("size")
            if ledger is None:
                expected[rel] = (digest, size)
            elif rel in ledger:
                if ledger[rel] != digest:
                    problems.append(Problem("changed", rel, f"{MANIFEST} and {SUMS} disagree"))
                expected[rel] = (ledger[rel], size)
            # listed by a manifest but not in the ledger: reported below as appeared
    seen = set()
    for p in sorted(root.rglob("*")):
        rel = p.relative_to(root).as_posix()
        if p.is_dir():
            if p.parent == root and p.name.startswith(STAGING):
                problems.append(Problem("staging", rel, "left by an interrupted `epdoc "
                                        "archive`; the next run into this folder removes it"))
            continue
        if "/" in rel and rel.startswith(STAGING):
            continue  # named once, as its folder
        seen.add(rel)
        if rel in TOP_FILES:
            continue
        if rel not in expected:
            problems.append(Problem("appeared", rel, "not in the archive's records"))
            continue
        digest, size = expected[rel]
        try:
            actual = file_sha256(p)
        except OSError as exc:
            problems.append(Problem("unreadable", rel, exc.strerror or str(exc)))
            continue
        if actual != digest:
            problems.append(Problem("changed", rel, f"sha256 {actual}, archived {digest}"))
        elif size is not None and p.stat().st_size != size:
            problems.append(Problem("changed", rel, f"size {p.stat().st_size}, archived {size}"))
    for rel in sorted(set(expected) - seen):
        problems.append(Problem("missing", rel))
    problems.sort(key=lambda p: (p.kind, p.path))
    stats = {"files": len(expected), "versions": len(vers),
             "proposals": len({v.key for v in vers})}
    return problems, stats
