"""The archive of approved proposals: append-only, verifiable, reproducible.

    DIR/
      SHA256SUMS              every archived file (sha256sum -c SHA256SUMS checks them too)
      index.html, index.json  every proposal and version, rebuilt on each run
      EP-001/2025-09-03/      one version: never modified, never deleted
        EP-001-x.pdf          PDF/A-3b, the markdown and its images attached (relationship Source)
        EP-001-x.html         self-contained: styles, fonts, images and diagrams inlined
        EP-001-x.docx
        source/EP-001-x.md    the source files as they were (images keep their folders)
        manifest.json         record, SHA-256 and size of every file, tool versions, provenance

A version is named after the proposal's `updated` (else `created`) date, with `.2`, `.3` ...
when the same date carries different content. The outputs are built with SOURCE_DATE_EPOCH
(the variable when set, else midnight UTC of that date), so anyone can rebuild them from the
source and get the same bytes.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import hashlib
import json
import os
import platform
import re
import shutil
import tempfile
from dataclasses import dataclass, field
from importlib import metadata as pkg_metadata
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from epdoc import __version__
from epdoc.pipeline.collections import index as indexes
from epdoc.pipeline.config import project
from epdoc.pipeline.config import theme as themes
from epdoc.pipeline.convert.proposal import Builder
from epdoc.pipeline.core import atomic, git, reproducible, settings
from epdoc.pipeline.core.errors import EpdocError, UsageError, one_line
from epdoc.pipeline.core.options import Options
from epdoc.pipeline.pandoc import runner as pandoc
from epdoc.pipeline.reading.document import load
from epdoc.pipeline.reading.files import source_files

FORMAT = "epdoc-archive/1"
DEFAULT_STATUSES = settings.ARCHIVE_STATUSES
PDF_VARIANT = "pdf/a-3b"
SUMS = "SHA256SUMS"
MANIFEST = "manifest.json"
TOP_FILES = {SUMS, "index.html", "index.json"}
SOURCE_DIR = "source"
STAGING = ".staging-"  # a version being written; a leftover of an interrupted run
DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
VERSION_RE = re.compile(r"^(\d{4}-\d{2}-\d{2})(?:\.(\d+))?$")


class ArchiveError(EpdocError):
    """The archive folder cannot be used."""


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
    items = tuple(dict.fromkeys(v.strip() for v in value.split(",") if v.strip()))
    if not items:
        raise UsageError("no status given", hint="e.g. --status Accepted,Implemented")
    return items


def selected(status: str | None, statuses) -> bool:
    wanted = {s.lower() for s in statuses}
    return "all" in wanted or (status or "").lower() in wanted


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def file_sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def safe_name(text: str) -> str:
    """A folder name from an id or a file stem."""
    name = re.sub(r"[^A-Za-z0-9._-]+", "-", text).strip(".-")
    return name or "proposal"


# --- SHA256SUMS (the coreutils format, so the archive checks without epdoc) ---------------

def _escape(path: str) -> tuple[str, str]:
    if "\\" in path or "\n" in path or "\r" in path:
        return "\\", path.replace("\\", "\\\\").replace("\n", "\\n").replace("\r", "\\r")
    return "", path


def _unescape(path: str) -> str:
    return re.sub(r"\\(.)", lambda m: {"n": "\n", "r": "\r"}.get(m.group(1), m.group(1)), path)


def sums_lines(entries) -> str:
    out = []
    for path, digest in entries:
        prefix, name = _escape(path)
        out.append(f"{prefix}{digest}  {name}\n")
    return "".join(out)


def read_sums(path: Path) -> dict[str, str]:
    sums: dict[str, str] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        escaped = line.startswith("\\")
        if escaped:
            line = line[1:]
        digest, _, name = line.partition("  ")
        sums[_unescape(name) if escaped else name] = digest
    return sums


# --- where the source came from -----------------------------------------------------------

def _public_url(url: str) -> str:
    """A remote URL without user name or password."""
    parts = urlsplit(url)
    if parts.scheme and "@" in parts.netloc:
        return urlunsplit(parts._replace(netloc=parts.netloc.rsplit("@", 1)[1]))
    return url


def git_origin(source: Path, files: list[Path]) -> dict | None:
    """Commit, path in the repository, remote and whether the files differ from the commit;
    None unless the source lies in the repository of the working directory."""
    repo = git.repository()
    path = repo.relative(source) if repo else None
    if path is None:
        return None
    info: dict = {"commit": repo.optional("rev-parse", "--verify", "-q", "HEAD"),
                  "path": path}
    info["tracked"] = repo.optional("ls-files", "--error-unmatch", "--", path) is not None
    inside = [p for p in (repo.relative(f) for f in files) if p is not None]
    status = repo.optional("status", "--porcelain", "--", *inside)
    info["modified"] = bool(status) or not info["tracked"]
    remote = repo.optional("config", "--get", "remote.origin.url")
    if remote:
        info["remote"] = _public_url(remote)
    return info


def tool_versions() -> dict:
    import weasyprint

    versions = {"epdoc": __version__, "pandoc": pandoc.version(),
                "weasyprint": weasyprint.__version__}
    for dist in ("pydyf", "python-docx", "fonttools", "panflute"):
        with contextlib.suppress(pkg_metadata.PackageNotFoundError):
            versions[dist] = pkg_metadata.version(dist)
    versions["python"] = platform.python_version()
    return versions


# --- the archive ---------------------------------------------------------------------------

@dataclass
class Outcome:
    source: Path
    action: str  # archived | unchanged | skipped | failed
    key: str | None = None
    version: str | None = None
    message: str = ""
    diagnostics: list = field(default_factory=list)


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
        key = safe_name(rec.id or source.stem)
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
            self.write_index()
        return outcomes

    # the index of the archive ------------------------------------------------------------

    def index_data(self) -> dict:
        proposals: dict[str, dict] = {}
        for v in versions(self.root):
            m = v.manifest
            rec = m.get("record", {})
            base = v.path.relative_to(self.root).as_posix()
            files = {fmt: f"{base}/{name}" for fmt, name in m.get("outputs", {}).items()}
            files["source"] = f"{base}/{SOURCE_DIR}/{rec.get('source', '')}"
            files["manifest"] = f"{base}/{MANIFEST}"
            entry = proposals.setdefault(v.key, {"key": v.key, "id": None, "title": None,
                                                 "status": None, "authors": [],
                                                 "versions": []})
            entry.update({k: rec.get(k) for k in ("id", "title", "status", "authors")})
            entry["versions"].append({
                "version": v.name, "path": base + "/", "status": rec.get("status"),
                "status_note": rec.get("status_note"), "created": rec.get("created"),
                "updated": rec.get("updated"), "archived_at": m.get("archived_at"),
                "files": files})
        return {"format": FORMAT, "count": len(proposals),
                "proposals": list(proposals.values())}

    def write_index(self) -> None:
        data = self.index_data()
        write_if_changed(self.root / "index.json",
                         json.dumps(data, ensure_ascii=False, indent=2) + "\n")
        sections = []
        for p in data["proposals"]:
            rows = []
            for v in reversed(p["versions"]):
                f = v["files"]
                status = v["status"] or ""
                if v["status_note"]:
                    status += f" ({v['status_note']})"
                rows.append([
                    [(v["version"], v["path"])],
                    [(status, None)],
                    [(v["created"] or "", None)],
                    [(v["updated"] or "", None)],
                    [(v["archived_at"] or "", None)],
                    [(label, f[k]) for k, label in (("pdf", "PDF/A"), ("html", "HTML"),
                                                    ("docx", "DOCX"), ("source", "source"),
                                                    ("manifest", "manifest")) if k in f],
                ])
            title = " — ".join(x for x in (p.get("id"), p.get("title")) if x) or p["key"]
            sections.append({"title": title, "id": f"p-{p['key']}", "rows": rows,
                             "columns": ["Version", "Status", "Created", "Updated",
                                         "Archived", "Files"], "nowrap": [0, 2, 3, 4]})
        n = data["count"]
        intro = (f"{n} archived proposal{'s' if n != 1 else ''}. Every version is kept "
                 f"unchanged; check them with `epdoc archive verify` or `sha256sum -c {SUMS}`.")
        write_if_changed(self.root / "index.html",
                         indexes.html_page("Archived proposals", intro, sections, self.theme))


def write_if_changed(path: Path, text: str) -> None:
    data = text.encode("utf-8")
    if path.is_file() and path.read_bytes() == data:
        return
    atomic.write_bytes(path, data)


# --- verify --------------------------------------------------------------------------------

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
