"""epdoc archive: keep approved proposals as PDF/A, self-contained HTML, DOCX and source,
append-only and verifiable. `epdoc archive verify DIR` checks every file."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from epdoc.pipeline.cli.arguments import (
    add_network,
    add_process,
    add_quiet,
    check_process,
    options_from,
    sources,
    writable_folder,
)
from epdoc.pipeline.core import settings
from epdoc.pipeline.core.errors import UsageError

NAME = "archive"
HELP = "archive approved proposals (PDF/A, HTML, DOCX, source) into DIR; 'verify DIR' checks it"
POSITION = 50
USAGE = ("epdoc archive PATH... --into DIR [--status S1,S2]\n"
         "       epdoc archive verify DIR")


def add_arguments(p: argparse.ArgumentParser):
    p.usage = USAGE
    p.description = (
        "Archive each proposal whose status is selected into DIR/<id or stem>/<date>/: a "
        "PDF/A-3b with the source attached, a self-contained HTML, the DOCX, the source files "
        "and manifest.json. Archived versions are never changed; unchanged content is not "
        "archived again. 'epdoc archive verify DIR' recomputes every hash and exits 1 if "
        "any file changed, went missing or appeared.")
    p.add_argument("paths", nargs="+", metavar="PATH",
                   help="proposal files and/or folders (or: verify DIR)")
    p.add_argument("--into", type=Path, metavar="DIR", help="the archive folder")
    p.add_argument("--status", metavar="STATUSES", default=None,
                   help="comma-separated statuses to archive, or 'all' (default: [archive] "
                        "statuses in the nearest epdoc.toml, or [tool.epdoc.archive] in "
                        f"pyproject.toml, else {','.join(settings.ARCHIVE_STATUSES)})")
    add_network(p)
    add_quiet(p)
    add_process(p)


def run(args) -> int:
    from epdoc.pipeline.collections.archive.statuses import parse_statuses
    from epdoc.pipeline.collections.archive.store import Archive
    from epdoc.pipeline.core.paths import inside

    if args.paths[0] == "verify" and args.into is None:
        if len(args.paths) != 2:
            raise UsageError("verify takes exactly one archive folder: epdoc archive verify DIR")
        if args.status:
            raise UsageError("--status has no meaning with verify")
        return run_verify(Path(args.paths[1]), args.quiet)
    if args.into is None:
        raise UsageError("the archive folder is missing", hint="add --into DIR")
    statuses = parse_statuses(args.status) if args.status is not None else None
    paths = [Path(p) for p in args.paths]
    writable_folder(args.into, "--into")  # before any work, as for build's -o
    check_process(args, paths)
    options = options_from(args)
    store = Archive(args.into, statuses, options)

    def report(o):
        for d in o.diagnostics:
            print(d.text(), file=sys.stderr)
        label = f"{o.key} ({o.source})" if o.key else str(o.source)
        if o.action == "failed":
            print(f"error: {o.message}", file=sys.stderr)
        elif not args.quiet:
            print(f"{o.action} {label}: {o.message}")

    found = [s for s in sources(paths, getattr(args, "process", None))
             if not inside(s, [args.into])]  # not the archive's own
    outcomes = store.run(found, on_outcome=report)
    counts = {a: sum(o.action == a for o in outcomes)
              for a in ("archived", "unchanged", "skipped", "failed")}
    summary = ", ".join(f"{n} {a}" for a, n in counts.items())
    if not args.quiet or counts["failed"]:
        print(f"{summary}; index: {args.into / 'index.html'}",
              file=sys.stderr if counts["failed"] else sys.stdout)
    return 1 if counts["failed"] else 0


def plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def run_verify(root: Path, quiet: bool) -> int:
    from epdoc.pipeline.collections.archive.verify import verify

    problems, stats = verify(root)
    for problem in problems:
        print(problem.text())
    if problems:
        print(f"{root}: {plural(len(problems), 'problem')} in "
              f"{plural(stats['files'], 'archived file')}", file=sys.stderr)
        return 1
    if not quiet:
        print(f"{root}: all {plural(stats['files'], 'file')} of "
              f"{plural(stats['versions'], 'version')} "
              f"({plural(stats['proposals'], 'proposal')}) verified")
    return 0
