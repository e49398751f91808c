"""Rebuild on save: the proposals' folders watched with watchfiles (inotify on Linux, the
native watcher elsewhere); each batch of changes rebuilds the proposals it touches (the file
itself, a picture or sidecar in its folder) and any proposal newly saved in a folder."""

from __future__ import annotations

import threading
from pathlib import Path

from epdoc.pipeline.core import settings
from epdoc.pipeline.preview.site import Site


def roots(paths) -> list[Path]:
    """The folders to watch: each folder given, each file's folder, none inside another."""
    folders = sorted({(p if p.is_dir() else p.parent).resolve() for p in map(Path, paths)},
                     key=lambda p: len(p.parts))
    out: list[Path] = []
    for f in folders:
        if not any(o == f or o in f.parents for o in out):
            out.append(f)
    return out


CATCH_UP_MS = 500  # the watcher wakes at least this often (a first wake-up catches up)


def follow(site: Site, on_built, stop: threading.Event | None = None) -> None:
    """Until `stop` is set (or Ctrl-C, which propagates): rebuild what each save changes,
    then `on_built(entries)`."""
    import watchfiles

    outdir = site.outdir.resolve()

    class Filter(watchfiles.DefaultFilter):
        def __call__(self, change, path: str) -> bool:
            p = Path(path)
            return super().__call__(change, path) and outdir not in p.parents \
                and not p.name.startswith(".")

    caught_up = False
    for changes in watchfiles.watch(*roots(site.paths), watch_filter=Filter(),
                                    debounce=settings.PREVIEW_DEBOUNCE_MS,
                                    step=settings.PREVIEW_STEP_MS, stop_event=stop,
                                    raise_interrupt=True, yield_on_timeout=True,
                                    rust_timeout=CATCH_UP_MS):
        paths = {Path(p) for _change, p in changes}
        stale: list[Path] = []
        if not caught_up:  # the watcher runs now: what was saved before it started
            caught_up = True
            stale = site.stale()
        if not paths and not stale:
            continue
        new = site.find() if paths else []
        todo = list(dict.fromkeys([*site.affected(paths), *new, *stale]))
        if todo:
            on_built(site.build(todo))
