"""Converting many proposals: each one parsed once and written to every format asked for.
One failing proposal never stops the others.

`build()` is incremental and parallel: proposals whose outputs are up to date (cache.py) are
not converted again, the others are converted in worker processes (pool.py), each within
the per-proposal time limit.
"""

from __future__ import annotations

import contextlib
import glob
import os
import time
import traceback
from dataclasses import dataclass, field
from pathlib import Path

from epdoc.pipeline import lint
from epdoc.pipeline import render as writers
from epdoc.pipeline.config import theme as themes
from epdoc.pipeline.core import names
from epdoc.pipeline.core.diagnostics import Diagnostic
from epdoc.pipeline.core.errors import EpdocError
from epdoc.pipeline.core.options import Options
from epdoc.pipeline.reading import document as documents
from epdoc.pipeline.reading.sources import readable
from epdoc.pipeline.safety.pictures import DEFAULT_MAX_DEPTH


@dataclass
class Result:
    source: Path
    ok: bool = True
    outputs: list[Path] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    error: str | None = None
    record: object = None
    seconds: dict[str, float] = field(default_factory=dict)
    cached: bool = False  # outputs were up to date: nothing was converted

    @property
    def status(self) -> str:
        if not self.ok:
            return "failed"
        return "up-to-date" if self.cached else "converted"

    def as_dict(self) -> dict:
        return {
            "source": str(self.source),
            "status": self.status,
            "ok": self.ok,
            "outputs": [str(p) for p in self.outputs],
            "error": self.error,
            "diagnostics": [d.as_dict() for d in self.diagnostics],
            "seconds": {k: round(v, 4) for k, v in self.seconds.items()},
        }


def describe(exc: BaseException, path) -> str:
    """A one-line message for any failure; never a traceback."""
    if isinstance(exc, EpdocError):
        if exc.path is None:
            exc.path = path
        return exc.oneline()
    if isinstance(exc, OSError):
        return f"{path}: {exc.strerror or exc} ({getattr(exc, 'filename', '') or 'I/O error'})"
    if isinstance(exc, RecursionError):  # only past a raised --max-depth (pipeline/reading/depth.py)
        return (f"{names.printable(path)}: nesting is too deep for epdoc to process, within "
                f"the nesting depth limit given (keep --max-depth at {DEFAULT_MAX_DEPTH} or "
                "below)")
    return f"{path}: internal error: {type(exc).__name__}: {exc} (please report this)"


def duplicate_stems(sources) -> dict[Path, str]:
    """Sources whose outputs would collide (same stem, ignoring case and Unicode normal
    form) or whose stem cannot name an output (pipeline/core/names.py): path -> message."""
    by_stem: dict[str, list[Path]] = {}
    for s in sources:
        by_stem.setdefault(names.clash_key(s.stem), []).append(s)
    clashes = {}
    for group in by_stem.values():
        if len(group) > 1:
            for s in group:
                others = ", ".join(names.printable(o) for o in group if o is not s)
                clashes[s] = (f"{names.printable(s)}: output name clashes with {others} "
                              "(rename one of them; outputs are named after the file)")
    for s in sources:
        why = names.problem(s.stem)
        if why and s not in clashes:
            clashes[s] = (f"{names.printable(s)}: file name {names.printable(s.stem)!r} "
                          f"cannot name an output: {why} (rename the file)")
    return clashes


class Builder:
    """Holds the theme and writers; converts documents one after another."""

    def __init__(self, options: Options):
        self.options = options
        self.theme = themes.load(options.theme)
        registry = writers.discover()
        unknown = [f for f in options.formats if f not in registry]
        if unknown:
            raise ValueError(f"unknown format(s): {', '.join(unknown)}")
        self.writers = [registry[f](options, self.theme) for f in options.formats]
        from epdoc.pipeline.pandoc import runner as pandoc
        from epdoc.pipeline.pandoc import server as pandoc_server
        from epdoc.pipeline.render.html import page as html

        # the syntax definitions the writers will give pandoc (pandoc_server.py)
        pandoc_server.prefer(pandoc.executable(), html.syntax_definitions(self.theme))

    def convert(self, source: Path, outdir: Path | None = None) -> Result:
        outdir = Path(outdir or self.options.outdir)
        result = Result(source)
        t0, cpu = time.perf_counter(), time.process_time()
        try:
            doc = documents.load(source, self.options)
            result.record = doc.record
            result.seconds["parse"] = time.perf_counter() - t0
            for writer in self.writers:
                t = time.perf_counter()
                target = writer.target(doc, outdir)
                writer.write(doc, target)
                result.outputs.append(target)
                result.seconds[writer.name] = time.perf_counter() - t
            result.diagnostics = lint.check(doc)  # the filters' and lint's, configured
        except Exception as exc:  # noqa: BLE001 - every failure becomes a one-line message
            result.ok = False
            result.error = describe(exc, source)
            if __import__("os").environ.get("EPDOC_DEBUG"):
                traceback.print_exc()
        result.seconds["total"] = time.perf_counter() - t0
        result.seconds["cpu"] = time.process_time() - cpu  # this process's, pandoc's not
        return result


def from_entry(source: Path, entry) -> Result:
    """The Result of a proposal whose outputs the cache found up to date."""
    from epdoc.pipeline.core.record import Proposal

    record = None
    if entry.record:
        try:
            record = Proposal(**entry.record)
        except TypeError:
            record = None
    return Result(source, outputs=entry.outputs, record=record, cached=True,
                  diagnostics=[Diagnostic(**d) for d in entry.diagnostics],
                  seconds={"converted": entry.seconds.get("total", 0.0)})


DIAGRAM_COST = 20_000  # a diagram takes about as long as 20 kB of text (PDF and all)


def expected_cost(source: Path) -> int:
    """How long a proposal may take to convert, roughly: its size, plus its diagrams."""
    if not readable(source):  # what a conversion refuses is not read here either
        return 0
    try:
        data = source.read_bytes()
    except OSError:
        return 0
    return len(data) + DIAGRAM_COST * data.count(b"```mermaid")


def default_jobs() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return max(1, os.cpu_count() or 1)


def remove_outputs(source: Path, options: Options) -> None:
    """A proposal that failed leaves no output of an older version behind."""
    for fmt in options.formats:
        with contextlib.suppress(OSError):
            (Path(options.outdir) / f"{source.stem}.{fmt}").unlink()
        # and the temporary file of a worker stopped while writing (pipeline/core/atomic.py)
        for tmp in Path(options.outdir).glob(f".{glob.escape(source.stem)}.{fmt}.*.tmp"):
            with contextlib.suppress(OSError):
                tmp.unlink()


def build(sources, options: Options, on_result=None, on_tick=None) -> list[Result]:
    """Convert `sources`; results in the order given, `on_result(result)` as each is known
    (and `on_tick()` now and then while conversions run).

    Up-to-date proposals come from the cache (unless options.cache is off); the others are
    converted by options.jobs worker processes, each proposal within options.timeout s."""
    from epdoc.pipeline.batch import pool
    from epdoc.pipeline.batch.cache import Cache
    from epdoc.pipeline.diagrams import ahead as prefetch

    sources = [Path(s) for s in sources]
    clashes = duplicate_stems(sources)
    results: list[Result | None] = [None] * len(sources)
    cache = None
    if options.cache:
        root = Path(options.cache_dir or Cache.default_root(options))
        if not os.environ.get("EPDOC_DIAGRAM_CACHE") and "diagram_cache" not in options.extra:
            # rendered diagrams live in the build cache too: CI keeps them with it
            options = options.with_(extra={**options.extra,
                                           "diagram_cache": str(root / "diagrams")})
        cache = Cache(root, options, themes.load(options.theme).digest)
    keys: dict[int, str | None] = {}

    def done(index: int, result: Result) -> None:
        results[index] = result
        if not result.ok and sources[index] not in clashes:
            remove_outputs(sources[index], options)
        if cache is not None:
            key = keys.get(index)
            if result.ok and key and not result.cached:
                try:
                    cache.store(sources[index], key, result)
                except OSError:
                    cache.forget(sources[index])
            elif not result.ok:
                cache.forget(sources[index])
        if on_result:
            on_result(result)

    todo = []
    with cache.lock() if cache is not None else contextlib.nullcontext():
        for i, source in enumerate(sources):
            if source in clashes:
                done(i, Result(source, ok=False, error=clashes[source]))
                continue
            if cache is not None:
                try:
                    keys[i] = cache.key(source)
                except (OSError, ValueError):
                    keys[i] = None  # unreadable: the conversion reports it
                entry = cache.lookup(source, keys[i]) if keys[i] else None
                if entry is not None:
                    done(i, from_entry(source, entry))
                    continue
            todo.append((i, source))
        jobs = options.jobs or default_jobs()
        todo.sort(key=lambda task: -expected_cost(task[1]))  # longest first: no straggler
        drawn_first = [task for task in todo if prefetch.has_diagrams(task[1])]
        pool.run(todo, options, jobs, options.timeout, done, on_tick, drawn_first)
        if cache is not None and todo:
            cache.prune()
    return results
