"""Storing versions: each written to a staging folder, renamed into place, made read-only,
and added to SHA256SUMS; one run at a time (a lock on the folder)."""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import json
import os
import re
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from epdoc.pipeline.collections.archive import page
from epdoc.pipeline.collections.archive.formats import (
    DATE_RE,
    FORMAT,
    MANIFEST,
    PDF_VARIANT,
    SOURCE_DIR,
    STAGING,
    SUMS,
    ArchiveError,
)
from epdoc.pipeline.collections.archive.provenance import git_origin, tool_versions
from epdoc.pipeline.collections.archive.statuses import configured_statuses, selected
from epdoc.pipeline.collections.archive.sums import file_sha256, sha256, sums_lines
from epdoc.pipeline.collections.archive.versions import versions_of
from epdoc.pipeline.config import theme as themes
from epdoc.pipeline.convert.proposal import Builder
from epdoc.pipeline.core import atomic, reproducible
from epdoc.pipeline.core.errors import UsageError, one_line
from epdoc.pipeline.core.options import Options
from epdoc.pipeline.reading.document import load
from epdoc.pipeline.reading.files import source_files


def safe_name(text: str) -> str:
    """A folder name from an id or a file stem."""
    name = re.sub(r"[^A-Za-z0-9._-]+", "-", text).strip(".-")
    return name or "proposal"


@dataclass
class Outcome:
    source: Path
    action: str  # archived | unchanged | skipped | failed
    key: str | None = None
    version: str | None = None
    message: str = ""
    diagnostics: list = field(default_factory=list)


@contextlib.contextmanager
def locked(root: Path):
    """Only one `epdoc archive` writes to an archive at a time."""
    fd = os.open(root, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)


def remove_staging(root: Path) -> None:
    """Remove what interrupted runs left (the caller holds the archive's lock)."""
    for leftover in root.glob(f"{STAGING}*"):
        if leftover.is_dir() and not leftover.is_symlink():
            for p in leftover.rglob("*"):  # a folder made read-only cannot be emptied
                if p.is_dir() and not p.is_symlink():
                    p.chmod(0o755)
            leftover.chmod(0o755)
            shutil.rmtree(leftover)
        elif leftover.is_file() or leftover.is_symlink():
            leftover.unlink()


def make_read_only(path: Path) -> None:
    for p in sorted(path.rglob("*"), key=lambda p: len(p.parts), reverse=True):
        p.chmod(0o555 if p.is_dir() else 0o444)
    path.chmod(0o555)


def version_date(record, fallback: dt.datetime) -> tuple[str, str]:
    """(YYYY-MM-DD, which field it came from)."""
    for name in ("updated", "created"):
        value = getattr(record, name)
        if value and DATE_RE.match(value):
            with contextlib.suppress(ValueError):
                dt.date.fromisoformat(value)
                return value, name
    return fallback.strftime("%Y-%m-%d"), "archived"


class Archive:
    def __init__(self, root: Path, statuses=None, options: Options | None = None):
        """`statuses`: the statuses to archive; None means each proposal's configured ones."""
        self.root = Path(root)
        self.statuses = tuple(statuses) if statuses else None
        self.options = options or Options()
        self.theme = themes.load(self.options.theme)

    # one proposal ------------------------------------------------------------------------

    def add(self, source: Path) -> Outcome:
        source = Path(source)
        try:
            document = load(source, self.options)
        except Exception as exc:  # noqa: BLE001 - one bad proposal never stops the others
            return Outcome(source, "failed", message=one_line(exc, source))
        rec = document.record
        key = safe_name(rec.id or document.stem)  # a folder proposal: its folder's name
        statuses, origin = (self.statuses, None) if self.statuses \
            else configured_statuses(source)
        if not selected(rec.status, statuses):
            said = f" (set in {origin})" if origin else ""
            return Outcome(source, "skipped", key, message=(
                f"status {rec.status or 'none'} is not one of {', '.join(statuses)}{said}"))
        try:
            files = [(name, path, path.read_bytes()) for name, path in source_files(document)]
        except OSError as exc:
            return Outcome(source, "failed", key, message=one_line(exc, source))
        digest = sha256("".join(f"{name}\0{sha256(data)}\n"
                                for name, _, data in sorted(files)).encode())
        for v in versions_of(self.root / key):
            if v.manifest.get("source", {}).get("digest") == digest:
                return Outcome(source, "unchanged", key, v.name,
                               f"already archived as {v.path}; nothing to do")
        try:
            return self._archive(document, key, files, digest)
        except Exception as exc:  # noqa: BLE001
            return Outcome(source, "failed", key, message=one_line(exc, source))

    def _archive(self, document, key: str, files, digest: str) -> Outcome:
        rec = document.record
        now = reproducible.now()
        date, date_from = version_date(rec, now)
        env_epoch = reproducible.epoch()
        if env_epoch is not None:
            epoch = env_epoch
        elif date_from != "archived":
            epoch = int(dt.datetime.fromisoformat(date).replace(tzinfo=dt.UTC).timestamp())
        else:
            epoch = int(now.timestamp())
        options = self.options.with_(
            formats=("pdf", "html", "docx"), self_contained=True, pdf_variant=PDF_VARIANT,
            attach_sources=True, source_date_epoch=epoch)
        builder = Builder(options)
        key_dir = self.root / key
        staging = Path(tempfile.mkdtemp(prefix=STAGING, dir=self.root))
        try:
            scratch = staging / ".build"
            scratch.mkdir()
            outputs = {}
            for writer in builder.writers:
                target = writer.target(document, scratch)
                writer.write(document, target)
                outputs[writer.name] = target
            vdir = staging / "version"
            (vdir / SOURCE_DIR).mkdir(parents=True)
            for name, _, data in files:
                dest = vdir / SOURCE_DIR / name
                dest.parent.mkdir(parents=True, exist_ok=True)
                dest.write_bytes(data)
            for target in outputs.values():
                shutil.copyfile(target, vdir / target.name)
            record = rec.as_dict()
            record["source"] = document.source.name
            listed = []
            for p in sorted(vdir.rglob("*")):
                if p.is_file():
                    rel = p.relative_to(vdir).as_posix()
                    role = next((f for f, t in outputs.items() if t.name == rel), "source")
                    listed.append({"path": rel, "sha256": file_sha256(p),
                                   "size": p.stat().st_size, "role": role})
            name = self._next_name(key_dir, date)
            manifest = {
                "format": FORMAT,
                "proposal": key,
                "version": name,
                "version_date": date,
                "version_date_from": date_from,
                "archived_at": now.strftime("%Y-%m-%dT%H:%M:%SZ"),
                "source_date_epoch": epoch,
                "record": record,
                "outputs": {fmt: t.name for fmt, t in outputs.items()},
                "pdf_variant": PDF_VARIANT,
                "source": {
                    "path": str(document.source.resolve()),
                    "files": [n for n, _, _ in files],
                    "digest": digest,
                    "git": git_origin(document.source, [p for _, p, _ in files]),
                },
                "tools": tool_versions(),
                "theme": {"path": str(self.theme.root), "digest": self.theme.digest},
                "files": listed,
            }
            (vdir / MANIFEST).write_text(
                json.dumps(manifest, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
            key_dir.mkdir(exist_ok=True)
            final = key_dir / name
            os.rename(vdir, final)  # fails if it exists: a version is never replaced
            make_read_only(final)
        finally:
            shutil.rmtree(staging, ignore_errors=True)
        self._append_sums(final)
        diagnostics = list(document.diagnostics)
        return Outcome(document.source, "archived", key, name, f"-> {final}", diagnostics)

    def _next_name(self, key_dir: Path, date: str) -> str:
        taken = {p.name for p in key_dir.iterdir()} if key_dir.is_dir() else set()
        if date not in taken:
            return date
        n = 2
        while f"{date}.{n}" in taken:
            n += 1
        return f"{date}.{n}"

    def _append_sums(self, vdir: Path) -> None:
        sums = self.root / SUMS
        old = sums.read_text(encoding="utf-8") if sums.exists() else ""
        entries = [(p.relative_to(self.root).as_posix(), file_sha256(p))
                   for p in sorted(vdir.rglob("*")) if p.is_file()]
        atomic.write_text(sums, old + sums_lines(entries))

    # the whole run -----------------------------------------------------------------------

    def run(self, sources, on_outcome=None) -> list[Outcome]:
        sources = list(sources)
        if self.statuses is None:
            for source in sources:  # a broken configuration file stops the run before any work
                configured_statuses(source)
        if self.root.exists() and not self.root.is_dir():
            raise UsageError(f"{self.root} is not a folder", hint="--into takes a folder")
        outcomes = []
        try:
            self.root.mkdir(parents=True, exist_ok=True)
            if not (self.root / SUMS).exists():
                atomic.write_text(self.root / SUMS, "")
        except OSError as e:
            raise ArchiveError(f"cannot write to the archive: {e.strerror or e}", self.root,
                               hint="check the folder and its permissions") from None
        with locked(self.root):
            remove_staging(self.root)
            for source in sources:
                outcome = self.add(source)
                outcomes.append(outcome)
                if on_outcome:
                    on_outcome(outcome)
            page.write(self.root, self.theme)
        return outcomes
