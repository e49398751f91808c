"""Pictures copied beside an HTML page, at the path the proposal gives them.

Proposals from different folders can share an output folder and name different pictures
alike (`images/overview.png`). The output folder keeps a record of which source picture each
copied path holds (`.epdoc-pictures.json`, by a digest of the source's path: no path of the
building machine is written); a proposal whose picture differs from the one a
path already holds for another proposal gets a copy named after its content
(`images/overview.3f2a9c1b7e.png`) and its page points there. Batches in parallel workers
take turns on the record (a lock on the output folder).

A copy's name stays within what a file name (and the temporary name it is written under,
pipeline/core/atomic.py) may have: a longer one keeps its start and extension around a hash of the
whole name (`fitted`), so a picture whose name is 244 characters long is still copied, and
its page points at the copy.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
from pathlib import Path, PurePosixPath

from epdoc.pipeline.core import atomic, names

RECORD = ".epdoc-pictures.json"
MAX_NAME = names.MAX_BYTES  # leaves room for the temporary name beside the copy
MAX_SUFFIX = 16

try:
    import fcntl
except ImportError:  # pragma: no cover - not on Linux: no lock, as before
    fcntl = None


@contextlib.contextmanager
def _locked(folder: Path):
    if fcntl is None:
        yield
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # closing releases the lock


def _read(path: Path) -> dict:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _same(target: Path, data: bytes) -> bool:
    try:
        return target.stat().st_size == len(data) and target.read_bytes() == data
    except OSError:
        return False


def fitted(rel: str) -> str:
    """`rel` (a relative POSIX path) with its last part shortened, when it is over MAX_NAME
    bytes, to its start, a hash of the whole part and its extension."""
    path = PurePosixPath(rel)
    name = path.name
    data = name.encode("utf-8", "surrogatepass")
    if len(data) <= MAX_NAME:
        return rel
    suffix = path.suffix if len(path.suffix.encode("utf-8", "surrogatepass")) <= MAX_SUFFIX \
        else ""
    digest = hashlib.sha256(data).hexdigest()[:16]
    room = MAX_NAME - len(suffix.encode("utf-8", "surrogatepass")) - len(digest) - 1
    stem = name[:len(name) - len(suffix)] if suffix else name
    stem = stem.encode("utf-8", "surrogatepass")[:room].decode("utf-8", "ignore")
    return str(path.with_name(f"{stem}.{digest}{suffix}"))


class Publisher:
    """Copies the pictures of the proposals in `src_dir` into `outdir`."""

    def __init__(self, src_dir: Path, outdir: Path):
        self.src_dir = Path(src_dir).resolve()
        self.outdir = Path(outdir)

    def place(self, clean: str, data: bytes) -> str:
        """The path, relative to the page, where picture `clean` (its checked bytes `data`)
        is now found beside the page."""
        self.outdir.mkdir(parents=True, exist_ok=True)
        # which source picture, as an opaque digest: no path of this machine in the output
        source = hashlib.sha256(str(self.src_dir / clean).encode("utf-8", "surrogatepass"))\
            .hexdigest()[:32]
        name = fitted(clean)
        record_file = self.outdir / RECORD
        with _locked(self.outdir):
            record = _read(record_file)
            target = self.outdir / name
            owner = record.get(name)
            if owner in (None, source) or not target.exists():
                if not _same(target, data):
                    atomic.write_bytes(target, data)
                if owner != source:
                    record[name] = source
                    atomic.write_text(record_file, json.dumps(record, indent=1, sort_keys=True))
                return name
            if _same(target, data):
                return name  # the same picture, from another folder
            return self._by_content(name, data)

    def _by_content(self, clean: str, data: bytes) -> str:
        rel = PurePosixPath(clean)
        digest = hashlib.sha256(data).hexdigest()[:10]
        named = fitted(str(rel.with_name(f"{rel.stem}.{digest}{rel.suffix}")))
        target = self.outdir / named
        if not _same(target, data):
            atomic.write_bytes(target, data)
        return named
