"""The proposals a preview shows: found again when files come and go, built one at a time
by the pipeline's Builder (one long-lived pandoc for the whole session), each with its last
good output kept, its error and its findings. Threads (the server's) read; the main thread
builds."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from epdoc.pipeline.batch.cache import dependencies
from epdoc.pipeline.batch.run import across_files
from epdoc.pipeline.config import layout
from epdoc.pipeline.convert.proposal import Builder
from epdoc.pipeline.convert.result import Result
from epdoc.pipeline.core import names
from epdoc.pipeline.core.options import Options
from epdoc.pipeline.reading.sources import discover, output_names

CONFIG_FILES = ("epdoc.toml", "pyproject.toml")


@dataclass
class Entry:
    """One proposal of the preview, by its output name."""

    source: Path
    name: str
    version: int = 0  # each build of it bumps it
    good: int = 0  # the version of its last good output; 0: none yet
    error: str | None = None  # why the last build failed (its last good output stays)
    findings: list = field(default_factory=list)  # lint's, of the last build
    title: str = ""
    status: str | None = None
    built_at: float | None = None  # when the last good output was written
    record: object = None  # the metadata record of the last good build
    across: list = field(default_factory=list)  # findings across proposals (an id twice)
    seconds: float = 0.0  # how long its last build took
    folder: bool = False  # a folder proposal (a KEP): every file of its folder is its own
    started: float = 0.0  # when its last build began reading (time.time())

    @property
    def label(self) -> str:
        return self.title or self.source.name


class Site:
    def __init__(self, paths, options: Options):
        self.paths = [Path(p) for p in paths]
        self.options = options
        self.outdir = Path(options.outdir)
        self.ext = options.formats[0]
        self.changed = threading.Condition()
        self.changes = 0  # bumped by every build and every proposal found or gone
        self.closing = False
        self.entries: dict[str, Entry] = {}
        self.builder: Builder | None = None
        self.find()

    # --- what there is ---------------------------------------------------------------------

    def find(self) -> list[Path]:
        """Look for the proposals again (a file saved under a new name, one deleted); the
        sources that are new. A file given by name stays, even while it is missing."""
        given = [p for p in self.paths if not p.is_dir()]
        found = discover([p for p in self.paths if p.is_dir()], self.options.process)
        sources = list(dict.fromkeys([*given, *found]))
        named = output_names(sources, self.options.process)
        old = {e.source: e for e in self.entries.values()}
        entries = {}
        for s in sources:
            entry = old.get(s)
            if entry is None or entry.name != named[s]:
                entry = Entry(s, named[s], folder=layout.is_entry(s, self.options.process))
            entries[named[s]] = entry
        new = [s for s in sources if s not in old or old[s].name != named[s]]
        if new or len(entries) != len(self.entries):
            self.options = self.options.with_(extra={**self.options.extra, layout.OUTPUTS: {
                layout.key(s): n for s, n in named.items()}})
            self.builder = None  # links between proposals follow the new names
            with self.changed:
                self.entries = entries
                self._bump()
        return new

    def affected(self, paths) -> list[Path]:
        """The proposals a change to `paths` may change: each one whose source, sidecar
        (kep.yaml), picture, linked file or lint configuration (epdoc.toml, pyproject.toml
        in its folder or above) is among them; for a folder proposal, any file of its
        folder. A change to anything else (another build's outputs) rebuilds nothing."""
        changed = {Path(p).resolve() for p in paths}
        out = []
        for entry in list(self.entries.values()):
            source = entry.source.resolve()
            if changed & self._inputs(entry) or any(
                    (p.name in CONFIG_FILES and p.parent in source.parents)
                    or (entry.folder and source.parent in p.parents) for p in changed):
                out.append(entry.source)
        return out

    def stale(self) -> list[Path]:
        """The proposals an input of which was saved after their last build began (while
        no watcher was running yet)."""
        out = []
        for entry in list(self.entries.values()):
            for path in self._inputs(entry):
                try:
                    if path.stat().st_mtime > entry.started:
                        out.append(entry.source)
                        break
                except OSError:
                    continue
        return out

    def _inputs(self, entry: Entry) -> set[Path]:
        try:
            text = entry.source.read_text(encoding="utf-8", errors="replace")
        except OSError:
            text = ""
        process = self.options.process
        return {entry.source.resolve(), *dependencies(entry.source, text),
                *(s.resolve() for s in layout.sidecars(entry.source, process))}

    # --- building --------------------------------------------------------------------------

    def build(self, sources=None) -> list[Entry]:
        """Build `sources` (default: every proposal), one after another."""
        if self.builder is None:
            self.builder = Builder(self.options)
        wanted = {Path(s) for s in sources} if sources is not None else None
        done = []
        for entry in list(self.entries.values()):
            if wanted is None or entry.source in wanted:
                entry.started = time.time()
                self._record(entry, self._convert(entry))
                done.append(entry)
        self._across()
        return done

    def _convert(self, entry: Entry) -> Result:
        if not entry.source.is_file():
            r = Result(entry.source, ok=False)
            r.error = (f"{names.printable(entry.source)}: no such file (it was deleted or "
                       "renamed; save it again, or restart the preview with its new name)")
            return r
        return self.builder.convert(entry.source, self.outdir)

    def _record(self, entry: Entry, result: Result) -> None:
        with self.changed:
            entry.version = self.changes + 1
            entry.findings = list(result.diagnostics)
            entry.seconds = result.seconds.get("total", 0.0)
            if result.ok:
                entry.good, entry.error, entry.built_at = entry.version, None, time.time()
                entry.record = result.record
                if result.record is not None:
                    entry.title = result.record.title or ""
                    entry.status = result.record.status
            else:
                entry.error = result.error
            self._bump()

    def _across(self) -> None:
        """The checks across the proposals shown (one id used twice), as build makes them."""
        entries = list(self.entries.values())
        results = [Result(e.source, record=e.record) for e in entries]
        found = across_files(results)
        with self.changed:
            for e, r in zip(entries, results, strict=True):
                e.across = [d for result, d in found if result is r]

    def _bump(self) -> None:
        self.changes += 1
        self.changed.notify_all()

    # --- what the server reads --------------------------------------------------------------

    def output(self, entry: Entry) -> Path:
        return self.outdir / f"{entry.name}.{self.ext}"

    def wait(self, seen: int, timeout: float) -> int:
        """Block until something changes after `seen` (or the preview stops, or `timeout`
        seconds pass); the current change count."""
        with self.changed:
            self.changed.wait_for(lambda: self.changes != seen or self.closing, timeout)
            return self.changes

    def close(self) -> None:
        with self.changed:
            self.closing = True
            self.changed.notify_all()
