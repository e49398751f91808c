"""Incremental builds: a content hash per proposal decides whether its outputs are up to date.

The key of a proposal hashes everything its outputs depend on: the source, the local files it
refers to (images, linked proposals, whose anchors lint checks), its lint configuration, the
theme, the epdoc code and version, pandoc's version, the versions of the libraries that write
the outputs, and the options. A proposal whose key matches its entry, and whose recorded
outputs are still on disk unchanged, is not converted again.

The cache is a folder (`--cache-dir`, default OUTDIR/.epdoc-cache) that CI can keep between
runs: `entries/` holds one JSON file per proposal, output folder and set of formats;
`blobs/` holds a copy of every output by content hash, so outputs missing from the output
folder (a fresh checkout with only the cache restored) come back without converting.
Only the main process writes it, under a file lock, with atomic writes.
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import importlib.util
import json
import os
import re
import shutil
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote

from epdoc import __version__
from epdoc.pipeline.config import layout
from epdoc.pipeline.core import atomic, settings
from epdoc.pipeline.core import paths as proposalpath
from epdoc.pipeline.core.digest import of_bytes, of_file
from epdoc.pipeline.core.errors import OutputError
from epdoc.pipeline.reading.sources import readable

FORMAT = 2  # 2: paths relative to the cache folder
MEMOS = "memos"  # what an up-to-date build would derive again (config/folders.py)
DEFAULT_NAME = settings.CACHE_NAME
# Options that change how a build runs, not what it writes.
NOT_IN_KEY = {"outdir", "jobs", "timeout", "cache", "cache_dir", "theme", "lock_timeout"}
# where rendered diagrams are kept, not what they are; and the names of the run's proposals
# (each key holds its own name and those of the proposals it links to)
NOT_IN_KEY_EXTRA = {"diagram_cache", layout.OUTPUTS}
CODE_SUFFIXES = (".py", ".lua", ".json", ".toml")  # epdoc's code, hashed into every key
LIBRARIES = ("weasyprint", "pydyf", "panflute", "python-docx", "nh3", "jinja2",
             "pypandoc-binary", "fonttools", "mermaidx", "pillow", "typst")

# Local files a proposal refers to: markdown links and images, reference definitions,
# and src/href attributes of raw HTML.
REF_RES = (
    re.compile(r"\]\(\s*<([^>\n]+)>"),
    re.compile(r"\]\(\s*([^<)\s][^)\s]*)"),
    re.compile(r"^ {0,3}\[[^\]\n]+\]:\s*<?([^\s>]+)", re.M),
    re.compile(r"""\b(?:src|href)\s*=\s*["']([^"'\n]+)["']""", re.I),
)
SCHEME_RE = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")
# Relative URLs an HTML output loads (images, fonts); they are outputs of the build too.
HTML_REF_RES = (
    re.compile(r"""<(?:img|source|image|video|audio)\b[^>]*?\s(?:src|href)\s*=\s*["']([^"']+)["']""",
               re.I),
    re.compile(r"""url\(\s*["']?([^"')]+)["']?\s*\)""", re.I),
)


sha256_bytes, sha256_file = of_bytes, of_file


def local_refs(text: str) -> list[str]:
    """Relative paths a proposal's text refers to (fragments and queries removed)."""
    found = []
    for rx in REF_RES:
        for m in rx.finditer(text):
            url = m.group(1).strip()
            if not url or url.startswith(("#", "/", "\\")) or SCHEME_RE.match(url):
                continue
            path = unquote(url.split("#", 1)[0].split("?", 1)[0])
            if path:
                found.append(path)
    return sorted(set(found))


def dependencies(source: Path, text: str) -> list[Path]:
    """The local files (existing or not) `source` refers to, as absolute paths. A path no
    file can have (a NUL, a name over 255 bytes: pipeline/core/paths.py) is left out: the
    conversion reports it, and no file system call may see it."""
    folder = source.resolve().parent
    return [Path(os.path.normpath(folder / ref)) for ref in local_refs(text)
            if proposalpath.problem(ref) is None]


def html_refs(html: Path) -> list[Path]:
    """Local files an HTML output loads (images and fonts copied beside it)."""
    try:
        text = html.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return []
    found = set()
    for rx in HTML_REF_RES:
        for m in rx.finditer(text):
            url = m.group(1).strip()
            if not url or url.startswith(("#", "/")) or SCHEME_RE.match(url):
                continue
            rel = unquote(url.split("#", 1)[0])
            if proposalpath.problem(rel):
                continue
            path = Path(os.path.normpath(html.parent / rel))
            if path.is_file():
                found.add(path)
    return sorted(found)


def _code_digest(also: Path | None = None) -> str:
    """A hash of epdoc's own code (filters, pipeline), so a changed epdoc never reuses
    outputs of the old one, even at the same version number. Remembered (config/folders.py)
    while no file changes."""
    from epdoc.pipeline.config import folders

    parts = [__version__]
    for pkg in ("epdoc.pipeline", "epdoc.filters"):  # found, not imported: start-up stays light
        root = Path(importlib.util.find_spec(pkg).origin).parent
        parts.append(folders.digest(root, CODE_SUFFIXES, also))
    return sha256_bytes("\n".join(parts).encode())


def _library_versions() -> dict[str, str]:
    from importlib import metadata

    out = {}
    for name in LIBRARIES:
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            out[name] = "-"
    return out


def _installed() -> list:
    """What changes when a package is installed, removed or upgraded: the folders on
    sys.path (a package's .dist-info folder comes and goes in one of them), and pandoc."""
    from epdoc.pipeline.core.memo import stamp
    from epdoc.pipeline.pandoc import runner as pandoc

    folders = [p for p in sys.path if p.rstrip("/").endswith(("site-packages", "dist-packages"))]
    return [sys.version, *(stamp(entry) for entry in [*folders, pandoc.executable()])]


def environment(also: Path | None = None) -> dict:
    """The versions of pandoc and of the libraries that write the outputs, remembered (in
    the user cache, and in `also`: the build cache) for as long as nothing is installed: an
    up-to-date build then starts neither pandoc nor importlib.metadata."""
    from epdoc.pipeline.config import folders
    from epdoc.pipeline.core import memo

    return memo.remembered(
        "environment.json", _installed(),
        lambda: {"pandoc": pandoc_version(), "libraries": _library_versions()},
        folders=folders.memo_folders(also),
        valid=lambda v: isinstance(v, dict) and isinstance(v.get("pandoc"), str))


def _try_lock(f, fcntl) -> bool:
    try:
        fcntl.flock(f, fcntl.LOCK_EX | fcntl.LOCK_NB)
        return True
    except BlockingIOError:
        return False


def _holder(f) -> int | None:
    """The process the lock file names (the build holding it, or one that stopped)."""
    try:
        f.seek(0)
        text = f.read(32).decode("ascii", "replace").strip()
        return int(text) if text.isdigit() else None
    except (OSError, ValueError):
        return None


def _write_holder(f, pid: int | None) -> None:
    try:
        f.seek(0)
        f.truncate()
        if pid is not None:
            f.write(f"{pid}\n".encode("ascii"))
        f.flush()
    except OSError:
        pass  # the lock still holds; only the name of its holder is missing


def pandoc_version() -> str:
    """pandoc's version, remembered per binary (path, size, mtime) to avoid running it."""
    from epdoc.pipeline.pandoc import runner as pandoc

    exe = Path(pandoc.executable())
    st = exe.stat()
    return _pandoc_version(str(exe), st.st_size, st.st_mtime_ns)


@functools.cache
def _pandoc_version(exe: str, size: int, mtime: int) -> str:
    from epdoc.pipeline.pandoc import runner as pandoc

    return pandoc.version()


def options_digest(options) -> dict:
    out = {}
    for f in dataclasses.fields(options):
        if f.name in NOT_IN_KEY:
            continue
        value = getattr(options, f.name)
        if f.name == "formats":
            value = sorted(value)
        if f.name == "extra":
            value = {k: v for k, v in value.items() if k not in NOT_IN_KEY_EXTRA}
        out[f.name] = value
    return json.loads(json.dumps(out, sort_keys=True, default=str))


def lint_config(source: Path) -> str:
    """The lint configuration file that applies to `source` (its hash), or 'default'."""
    try:
        from epdoc.pipeline.lint.config import for_source
    except ImportError:
        return "default"
    try:
        origin = for_source(source).origin
    except Exception:  # noqa: BLE001 - a broken config fails the conversion, not the key
        return "unreadable"
    if origin is None:
        return "default"
    try:
        return f"{origin}:{sha256_file(Path(origin))}"
    except OSError:
        return f"{origin}:missing"


@dataclass
class Stored:
    """What the last conversion of one proposal wrote and said."""
    key: str
    source: str
    files: list[dict] = field(default_factory=list)  # path, sha256, size, mtime_ns, output
    diagnostics: list[dict] = field(default_factory=list)
    record: dict | None = None
    seconds: dict = field(default_factory=dict)

    @property
    def outputs(self) -> list[Path]:
        return [Path(f["path"]) for f in self.files if f.get("output")]


class Cache:
    """The cache folder of one build (one output folder, one set of formats)."""

    def __init__(self, root: Path, options, theme_digest: str):
        self.root = Path(root)
        self.options = options
        self.outdir = Path(options.outdir).resolve()
        self.formats = ",".join(sorted(options.formats))
        env = {
            "format": FORMAT,
            "epdoc": __version__,
            "code": _code_digest(self.root / MEMOS),
            **environment(self.root / MEMOS),  # pandoc and libraries
            "python": sys.version.split()[0],
            "theme": theme_digest,
            "options": options_digest(options),
            "source_date_epoch": settings.env("SOURCE_DATE_EPOCH"),
        }
        self.env_digest = sha256_bytes(json.dumps(env, sort_keys=True).encode())
        self._hashes: dict[tuple, str] = {}

    @classmethod
    def default_root(cls, options) -> Path:
        return Path(options.outdir) / DEFAULT_NAME

    # -- keys -------------------------------------------------------------------------
    def _file_hash(self, path: Path) -> str:
        try:
            st = path.stat()
        except OSError:
            return "missing"
        if not path.is_file():
            return "not-a-file"
        k = (str(path), st.st_size, st.st_mtime_ns)
        if k not in self._hashes:
            try:
                self._hashes[k] = sha256_file(path)
            except OSError:
                return "unreadable"
        return self._hashes[k]

    def key(self, source: Path) -> str:
        """The content key of `source`; it changes whenever its outputs could."""
        source = Path(source)
        # read nothing a conversion would refuse (a symlink out of the folder, a file over
        # the size limit, not a regular file): the conversion reports it
        if not readable(source, self.options.max_input_bytes):
            raise OSError(f"{source}: not read for the cache")
        data = source.read_bytes()
        text = data.decode("utf-8", "replace")
        parts = [self.env_digest, str(source), sha256_bytes(data), lint_config(source),
                 f"name={layout.output_name(source, self.options)}"]
        folder = source.resolve().parent
        process = getattr(self.options, "process", None)
        for sidecar in layout.sidecars(source, process):  # kep.yaml: the proposal's metadata
            parts.append(f"{sidecar.name}={self._file_hash(sidecar)}")
        for extra in layout.inputs(source, process):  # a KEP's prod-readiness file
            parts.append(f"{extra}={self._file_hash(extra)}")
        for dep in dependencies(source, text):
            if proposalpath.inside(dep, [folder]):
                parts.append(f"{dep}={self._file_hash(dep)}")
            else:  # outside the folder epdoc reads nothing: only whether it is there counts
                parts.append(f"{dep}={'present' if os.path.lexists(dep) else 'missing'}")
            linked = layout.linked_name(dep, self.options)
            if linked:  # a link to another proposal of the run points at its outputs
                parts.append(f"{dep}->{linked}")
        return sha256_bytes("\n".join(parts).encode())

    # -- entries ----------------------------------------------------------------------
    def _entry_path(self, source: Path) -> Path:
        ident = f"{self.outdir}\n{Path(source).resolve()}\n{self.formats}"
        return self.root / "entries" / f"{sha256_bytes(ident.encode())[:32]}.json"

    def _load(self, source: Path) -> Stored | None:
        try:
            data = json.loads(self._entry_path(source).read_text(encoding="utf-8"))
            if data.pop("format", None) != FORMAT:
                return None
            entry = Stored(**data)
        except (OSError, ValueError, TypeError):
            return None
        try:  # paths are kept relative to the cache: no path of this machine in the folder
            entry.source = str(self._absolute(entry.source))
            for f in entry.files:
                f["path"] = str(self._absolute(f["path"]))
            return entry
        except (OSError, ValueError, TypeError):
            return None

    def _blob(self, digest: str) -> Path:
        return self.root / "blobs" / digest[:2] / digest

    def lookup(self, source: Path, key: str) -> Stored | None:
        """The entry of `source` when its outputs are up to date (missing or changed ones are
        restored from the cache first), else None."""
        entry = self._load(source)
        if entry is None or entry.key != key:
            return None
        touched = False
        for f in entry.files:
            path = Path(f["path"])
            try:
                st = path.stat()
                if st.st_size == f["size"] and st.st_mtime_ns == f["mtime_ns"]:
                    continue
                same = st.st_size == f["size"] and sha256_file(path) == f["sha256"]
            except OSError:
                same = False
            if not same and not self._restore(f["sha256"], path):
                return None
            f["mtime_ns"] = path.stat().st_mtime_ns
            touched = True
        if touched:
            self._save(source, entry)
        return entry

    def _restore(self, digest: str, target: Path) -> bool:
        blob = self._blob(digest)
        try:
            if sha256_file(blob) != digest:  # damaged: convert instead
                blob.unlink()
                return False
            with atomic.atomic_path(target) as tmp:
                shutil.copyfile(blob, tmp)
            return True
        except OSError:
            return False

    def store(self, source: Path, key: str, result) -> None:
        """Record a successful conversion: its outputs (kept as blobs), what they load,
        its diagnostics and record."""
        files = []
        seen = set()
        for out in result.outputs:
            out = Path(out).resolve()
            extra = html_refs(out) if out.suffix == ".html" else []
            for path, is_output in [(out, True)] + [(p, False) for p in extra]:
                if path in seen:
                    continue
                seen.add(path)
                st = path.stat()
                digest = sha256_file(path)
                self._keep(path, digest)
                files.append({"path": str(path), "sha256": digest, "size": st.st_size,
                              "mtime_ns": st.st_mtime_ns, "output": is_output})
        record = result.record
        if record is not None and dataclasses.is_dataclass(record):
            record = dataclasses.asdict(record)
        entry = Stored(key=key, source=str(Path(source).resolve()), files=files,
                      diagnostics=[d.as_dict() for d in result.diagnostics],
                      record=record if isinstance(record, dict) else None,
                      seconds={k: round(v, 4) for k, v in result.seconds.items()})
        self._save(source, entry)

    def forget(self, source: Path) -> None:
        with contextlib.suppress(OSError):
            self._entry_path(source).unlink()

    def _keep(self, path: Path, digest: str) -> None:
        blob = self._blob(digest)
        if blob.exists():
            return
        blob.parent.mkdir(parents=True, exist_ok=True)
        with atomic.atomic_path(blob) as tmp:
            shutil.copyfile(path, tmp)  # a copy: an output edited in place leaves it intact

    def _absolute(self, path: str) -> Path:
        return Path(os.path.normpath(self.root.resolve() / path))

    def _relative(self, path) -> str:
        return os.path.relpath(Path(path).resolve(), self.root.resolve())

    def _save(self, source: Path, entry: Stored) -> None:
        data = {"format": FORMAT, **dataclasses.asdict(entry)}
        data["source"] = self._relative(data["source"])
        data["files"] = [{**f, "path": self._relative(f["path"])} for f in data["files"]]
        atomic.write_text(self._entry_path(source), json.dumps(data, indent=1))

    # -- housekeeping -----------------------------------------------------------------
    @contextlib.contextmanager
    def lock(self):
        """Exclusive use of the cache folder by this build. Another build waits, says for
        which process, and gives up after options.lock_timeout seconds; a lock left by a
        build that was killed is free (the kernel drops it with its holder) and is taken over
        with one line saying so."""
        lock = self.root / "lock"
        try:
            self.root.mkdir(parents=True, exist_ok=True)
            f = open(lock, "a+b", buffering=0)  # noqa: SIM115 - closed below; unbuffered: a full disk fails in _write_holder, not at close
        except OSError as e:
            raise OutputError(f"cannot use the build cache: {e.strerror or e}",
                              e.filename or lock,
                              hint="remove it, or pass --cache-dir DIR or --no-cache") from None
        with f:
            try:
                import fcntl
            except ImportError:  # pragma: no cover - not POSIX
                yield
                return
            if not _try_lock(f, fcntl):
                holder = _holder(f)
                wait = float(getattr(self.options, "lock_timeout", settings.LOCK_TIMEOUT))
                who = f" (process {holder})" if holder else ""
                print(f"epdoc: waiting for another epdoc build{who} that uses {self.root}, "
                      f"at most {wait:g} s (--lock-timeout) ...", file=sys.stderr, flush=True)
                deadline = time.monotonic() + wait
                while not _try_lock(f, fcntl):
                    if time.monotonic() >= deadline:
                        raise OutputError(
                            f"another epdoc build{who} still uses the build cache after "
                            f"{wait:g} s", lock, hint="let it finish, or pass --cache-dir DIR, "
                            "--no-cache or a longer --lock-timeout")
                    time.sleep(0.1)
            left = _holder(f)
            if left and left != os.getpid():  # its build stopped without releasing it
                print(f"epdoc: took over the build cache lock of a build that stopped "
                      f"(process {left})", file=sys.stderr, flush=True)
            _write_holder(f, os.getpid())
            try:
                yield
            finally:
                _write_holder(f, None)
                fcntl.flock(f, fcntl.LOCK_UN)

    def prune(self) -> None:
        """Drop entries of proposals that no longer exist and blobs no entry refers to."""
        keep = set()
        for f in (self.root / "entries").glob("*.json"):
            try:
                data = json.loads(f.read_text(encoding="utf-8"))
                if not self._absolute(data["source"]).exists():
                    f.unlink()
                    continue
                keep.update(x["sha256"] for x in data["files"])
            except (OSError, ValueError, KeyError, TypeError):
                with contextlib.suppress(OSError):
                    f.unlink()
        for blob in (self.root / "blobs").glob("*/*"):
            if blob.name not in keep:
                with contextlib.suppress(OSError):
                    blob.unlink()
