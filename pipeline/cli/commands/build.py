"""epdoc build: convert proposals to HTML, PDF and DOCX."""

from __future__ import annotations

import sys
from pathlib import Path

from epdoc.pipeline.cli.arguments import (
    add_limits,
    add_network,
    add_paths,
    add_process,
    add_quiet,
    add_theme,
    check_process,
    check_theme,
    formats,
    job_count,
    options_from,
    sources,
    writable_file,
    writable_folder,
)
from epdoc.pipeline.core import settings
from epdoc.pipeline.core.options import FORMATS

NAME = "build"
HELP = "convert proposals to HTML, PDF and DOCX"
POSITION = 10


def add_arguments(p):
    add_paths(p)
    p.add_argument("--to", type=formats, default=FORMATS, metavar="FORMATS",
                   help="comma-separated formats: html,pdf,docx (default: all)")
    p.add_argument("-o", "--output", type=Path, default=Path("build"), metavar="OUTDIR",
                   help="output folder (default: build)")
    add_network(p)
    add_limits(p)
    p.add_argument("--self-contained", action="store_true",
                   help="HTML as one file: images, diagrams and fonts inlined")
    p.add_argument("--line-numbers", action="store_true",
                   help="print the source's line numbers in the PDF's margin (for review)")
    add_theme(p)
    add_process(p)
    batch = p.add_argument_group("batches (CI)")
    batch.add_argument("-j", "--jobs", type=job_count, default=None, metavar="N",
                       help="worker processes (default: the machine's cores)")
    batch.add_argument("--cache-dir", type=Path, default=None, metavar="DIR",
                       help="where to remember what is up to date; keep it between CI runs "
                       "(default: OUTDIR/.epdoc-cache)")
    batch.add_argument("--lock-timeout", type=float, default=settings.LOCK_TIMEOUT,
                       metavar="SECONDS", help="how long to wait for another build using the "
                       "same cache before giving up (default: %(default)g)")
    batch.add_argument("--no-cache", action="store_true",
                       help="convert every proposal, and leave the cache alone")
    batch.add_argument("--changed-since", metavar="GIT_REF",
                       help="only proposals changed since GIT_REF (and those that link to "
                       "or include a changed file)")
    batch.add_argument("--shard", metavar="K/N",
                       help="only the K-th of N parts (a stable split by path, for a CI "
                       "matrix)")
    batch.add_argument("--report", type=Path, metavar="FILE",
                       help="write a JSON report: each proposal's status, outputs, "
                       "diagnostics and timings")
    add_quiet(p)


def run(args) -> int:
    from epdoc.pipeline.batch.progress import Reporter, annotation
    from epdoc.pipeline.batch.run import build, default_jobs
    from epdoc.pipeline.lint import config as lint_config

    options = options_from(args, formats=args.to, outdir=args.output,
                           jobs=args.jobs or default_jobs(), cache=not args.no_cache,
                           cache_dir=args.cache_dir, line_numbers=args.line_numbers)
    check_theme(options.theme)
    files = sources(args.paths, getattr(args, "process", None))
    check_process(args, files)
    writable_folder(options.outdir, "-o")
    if args.report:
        writable_file(args.report, "--report")
    if options.cache and args.cache_dir:
        writable_folder(args.cache_dir, "--cache-dir")
    for f in files:
        lint_config.for_source(f)  # a broken epdoc.toml is a usage error, before any work
    found = files
    files, selection = select(files, args)
    if not files:
        if not args.quiet:
            print(f"nothing to convert ({selection['why']})")
        if args.report:
            Reporter(0, quiet=True).report(args.report, options=options, results=[],
                                           selection=selection)
        return 0
    reporter = Reporter(len(files), quiet=args.quiet)
    across = []  # one id used twice: known once all are converted
    try:
        results = build(files, options, on_result=reporter, on_tick=reporter.tick,
                        on_across=lambda _result, d: across.append(d), every=found)
    finally:
        reporter.close()
    for d in across:
        print(d.text(), file=sys.stderr)
        if reporter.github:
            print(annotation(d.severity, d.file, d.message, d.line, d.column, d.code))
    if args.report:
        reporter.report(args.report, options=options, results=results, selection=selection)
    failed = [r for r in results if not r.ok]
    if not args.quiet or failed:
        print(reporter.summary(), file=sys.stderr if failed else sys.stdout)
    return 1 if failed else 0


def select(files, args) -> tuple[list[Path], dict]:
    """The proposals this run converts (--changed-since, --shard), and why."""
    selection = {"found": len(files), "changed_since": args.changed_since, "shard": args.shard}
    why = []
    if args.changed_since or args.shard:  # git and the selection are imported only then
        from epdoc.pipeline.batch.selection import (
            changed_files,
            parse_shard,
            select_changed,
            select_shard,
        )
    if args.changed_since:
        changed = changed_files(args.changed_since)
        files = select_changed(files, changed, getattr(args, "process", None))
        why.append(f"no proposal changed since {args.changed_since}")
    if args.shard:
        k, n = parse_shard(args.shard)
        files = select_shard(files, k, n)
        why.append(f"shard {k}/{n} is empty")
    selection["selected"] = len(files)
    selection["why"] = " or ".join(why) or "no proposals"
    return files, selection
