"""Converting many proposals: each parsed once and written to every format asked for; one
failing proposal never stops the others.

`build()` is incremental and parallel: proposals whose outputs are up to date (cache.py) are
not converted again, the others are converted in worker processes (pool.py), each within
the per-proposal time limit. The checks across files (one id used twice) run at the end, so
every Result carries all its diagnostics.
"""

from __future__ import annotations

import contextlib
import glob
import os
from collections import Counter
from pathlib import Path

from epdoc.pipeline import lint
from epdoc.pipeline.batch import ahead
from epdoc.pipeline.batch.cache import MEMOS, Cache, html_refs
from epdoc.pipeline.config import folders, layout
from epdoc.pipeline.config import theme as themes
from epdoc.pipeline.convert.result import Result
from epdoc.pipeline.core import names, settings
from epdoc.pipeline.core.diagnostics import Diagnostic
from epdoc.pipeline.core.options import Options
from epdoc.pipeline.core.record import Proposal
from epdoc.pipeline.reading.sources import output_names, readable


def duplicate_stems(sources, named: dict[Path, str] | None = None) -> dict[Path, str]:
    """Sources whose outputs would collide (same name, ignoring case and Unicode normal
    form) or whose name cannot name an output (pipeline/core/names.py): path -> message.
    `named`: each source's output name (reading/sources.output_names)."""
    named = named if named is not None else output_names(sources)
    by_stem: dict[str, list[Path]] = {}
    for s in sources:
        by_stem.setdefault(names.clash_key(named[s]), []).append(s)
    clashes = {}
    for group in by_stem.values():
        if len(group) > 1:
            for s in group:
                others = ", ".join(names.printable(o) for o in group if o is not s)
                clashes[s] = (f"{names.printable(s)}: output name clashes with {others} "
                              "(rename one of them; outputs are named after the file, or a "
                              "folder proposal's folder)")
    for s in sources:
        why = names.problem(named[s])
        if why and s not in clashes:
            clashes[s] = (f"{names.printable(s)}: file name {names.printable(named[s])!r} "
                          f"cannot name an output: {why} (rename the file)")
    return clashes


def from_entry(source: Path, entry) -> Result:
    """The Result of a proposal whose outputs the cache found up to date."""
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
    stem = layout.output_name(source, options)
    for fmt in options.formats:
        with contextlib.suppress(OSError):
            (Path(options.outdir) / f"{stem}.{fmt}").unlink()
        # and the temporary file of a worker stopped while writing (pipeline/core/atomic.py)
        for tmp in Path(options.outdir).glob(f".{glob.escape(stem)}.{fmt}.*.tmp"):
            with contextlib.suppress(OSError):
                tmp.unlink()


def written(outdir: Path, cache_root: Path) -> set[Path]:
    """The files in the output folder, the build cache's aside (not even looked into)."""
    if not outdir.is_dir():
        return set()
    cache = os.path.realpath(cache_root)
    found = set()
    for folder, dirs, files in os.walk(outdir):  # symlinked folders are not followed
        dirs[:] = [d for d in dirs if os.path.realpath(os.path.join(folder, d)) != cache]
        for name in files:
            path = os.path.join(folder, name)
            if os.path.isfile(path) and not os.path.islink(path):
                found.add(Path(path))
    return found


def unused(outdir: Path, new: set[Path], results) -> set[Path]:
    """Of the files this run wrote, those no converted proposal uses: not an output, not
    loaded by any page in the output folder (pictures and fonts beside the pages), and not
    epdoc's own records while something else of the run stays."""
    keep = {Path(p).resolve() for r in results if r.ok for p in r.outputs}
    for page in outdir.glob("*.html"):
        keep.update(p.resolve() for p in html_refs(page))
    gone = {p for p in new if p.resolve() not in keep}
    if gone != new:  # pages stay: so does the record of their pictures
        gone = {p for p in gone if not p.name.startswith(".epdoc-")}
    return gone


def remove_new(outdir: Path, files: set[Path]) -> None:
    """Remove what a run that converted nothing wrote (shared assets, picture copies: a full
    disk leaves them half done), and the folders it made that are empty now."""
    for path in files:
        with contextlib.suppress(OSError):
            path.unlink()
    for folder in sorted({p.parent for p in files}, key=lambda p: -len(p.parts)):
        while folder != outdir and outdir in folder.parents:
            try:
                folder.rmdir()
            except OSError:
                break
            folder = folder.parent


def build(sources, options: Options, on_result=None, on_tick=None,
          on_across=None, every=None) -> list[Result]:
    """Convert `sources`; results in the order given, `on_result(result)` as each is known
    (and `on_tick()` now and then while conversions run), then `on_across(result,
    diagnostic)` for each finding of the checks across files.

    Up-to-date proposals come from the cache (unless options.cache is off); the others are
    converted by options.jobs worker processes, each proposal within options.timeout s.
    `every`: all the proposals found, when --changed-since or --shard picked `sources` among
    them: names are given over all of them, so that each part of a split build names and
    links its proposals as the whole build would."""
    sources = [Path(s) for s in sources]
    every = [Path(s) for s in every] if every is not None else sources
    named = output_names(every, getattr(options, "process", None))
    clashes = duplicate_stems(every, named)
    # what each proposal of the run is called: its outputs, and links to it from the others
    options = options.with_(extra={**options.extra, layout.OUTPUTS: {
        layout.key(s): n for s, n in named.items() if s not in clashes}})
    results: list[Result | None] = [None] * len(sources)
    cache = None
    if options.cache:
        root = Path(options.cache_dir or Cache.default_root(options))
        if not settings.env("EPDOC_DIAGRAM_CACHE") and "diagram_cache" not in options.extra:
            # rendered diagrams live in the build cache too: CI keeps them with it
            options = options.with_(extra={**options.extra,
                                           "diagram_cache": str(root / "diagrams")})
        theme = themes.load(options.theme).root  # its digest remembered with the cache too
        cache = Cache(root, options, folders.digest(theme, also=root / MEMOS))
    keys: dict[int, str | None] = {}
    cache_root = Path(options.cache_dir or Cache.default_root(options))
    before = written(Path(options.outdir), cache_root)

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
        drawn_first = [task for task in todo if ahead.has_diagrams(task[1])]
        if todo:  # multiprocessing is imported only when there is something to convert
            from epdoc.pipeline.batch import pool

            pool.run(todo, options, jobs, options.timeout, done, on_tick, drawn_first)
        if cache is not None and todo:
            cache.prune()
    if any(not r.ok for r in results):  # what only failed proposals wrote does not stay
        remove_new(Path(options.outdir),
                   unused(Path(options.outdir), written(Path(options.outdir), cache_root) - before,
                          results))
    for result, diagnostic in across_files(results):
        result.diagnostics.append(diagnostic)
        if on_across:
            on_across(result, diagnostic)
    return results


def _text(path) -> str:
    try:
        return Path(path).read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""


def across_files(results) -> list[tuple[Result, Diagnostic]]:
    """The checks across one run (one id used twice), as lint makes them."""
    ids = Counter(r.record.id for r in results if r.record and r.record.id)
    if not ids or max(ids.values()) < 2:
        return []  # nothing to check: lint (and the filters it loads) is not imported
    found = lint.duplicates((r.source, r.record.id, _text(r.source)) for r in results
                            if r.record and ids[r.record.id] > 1)
    return [(r, d) for r in results for d in found.get(r.source, [])]
