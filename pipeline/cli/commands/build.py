"""epdoc build: convert proposals to HTML, PDF and DOCX."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from epdoc.pipeline.batch.progress import Reporter, annotation
from epdoc.pipeline.batch.run import build, default_jobs
from epdoc.pipeline.batch.selection import changed_files, parse_shard, select_changed, select_shard
from epdoc.pipeline.cli.commands import add_paths, formats, sources
from epdoc.pipeline.core.errors import UsageError
from epdoc.pipeline.core.options import FORMATS, Options
from epdoc.pipeline.lint import config as lint_config

NAME = "build"
HELP = "convert proposals to HTML, PDF and DOCX"
POSITION = 10


def add_arguments(p):
    add_paths(p)
    p.add_argument("--to", type=formats, default=FORMATS, metavar="FORMATS",
                   help="comma-separated formats: html,pdf,docx (default: all)")
    p.add_argument("-o", "--output", type=Path, default=Path("build"), metavar="OUTDIR",
                   help="output folder (default: build)")
    p.add_argument("--allow-network", action="store_true",
                   help="let proposals load remote images (off by default)")
    p.add_argument("--max-input-bytes", type=int, default=Options.max_input_bytes,
                   help="largest proposal accepted, in bytes (default: 2 MB)")
    p.add_argument("--timeout", type=float, default=Options.timeout, metavar="SECONDS",
                   help="time allowed for each proposal, all its formats; one over it is "
                   "stopped and reported, the others go on (default: %(default)g)")
    p.add_argument("--pandoc-memory", default=Options.pandoc_memory,
                   help="memory limit for pandoc (default: %(default)s)")
    p.add_argument("--max-depth", type=positive, default=Options.max_depth, metavar="N",
                   help="deepest nesting of quotes, lists and inlines (default: %(default)s)")
    p.add_argument("--max-image-pixels", type=positive, default=Options.max_image_pixels,
                   metavar="N", help="most pixels in one picture (default: %(default)s)")
    p.add_argument("--max-svg-elements", type=positive, default=Options.max_svg_elements,
                   metavar="N", help="most elements one SVG picture may draw, <use> "
                   "expanded (default: %(default)s)")
    p.add_argument("--self-contained", action="store_true",
                   help="HTML as one file: images, diagrams and fonts inlined")
    p.add_argument("--theme", type=Path, default=None, metavar="DIR",
                   help="a theme folder (a copy of epdoc's styles/) instead of the built-in one")
    batch = p.add_argument_group("batches (CI)")
    batch.add_argument("-j", "--jobs", type=job_count, default=None, metavar="N",
                       help="worker processes (default: the machine's cores)")
    batch.add_argument("--cache-dir", type=Path, default=None, metavar="DIR",
                       help="where to remember what is up to date; keep it between CI runs "
                       "(default: OUTDIR/.epdoc-cache)")
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
    p.add_argument("-q", "--quiet", action="store_true", help="print only problems")


def positive(value: str) -> int:
    try:
        n = int(value)
    except ValueError:
        n = 0
    if n < 1:
        raise argparse.ArgumentTypeError(f"{value!r} is not a whole number above 0")
    return n


def options_from(args) -> Options:
    return Options(formats=args.to, outdir=args.output, allow_network=args.allow_network,
                   max_input_bytes=args.max_input_bytes, timeout=args.timeout,
                   pandoc_memory=args.pandoc_memory, max_depth=args.max_depth,
                   max_image_pixels=args.max_image_pixels,
                   max_svg_elements=args.max_svg_elements,
                   self_contained=getattr(args, "self_contained", False),
                   theme=getattr(args, "theme", None),
                   jobs=getattr(args, "jobs", None) or default_jobs(),
                   cache=not getattr(args, "no_cache", False),
                   cache_dir=getattr(args, "cache_dir", None))


def run(args) -> int:
    options = options_from(args)
    if options.theme is not None and not (options.theme / "theme.toml").is_file():
        raise UsageError(f"{options.theme}: not a theme folder (no theme.toml)",
                         hint="copy epdoc's styles/ folder and edit its theme.toml")
    files = sources(args.paths)
    for f in files:
        lint_config.for_source(f)  # a broken epdoc.toml is a usage error, before any work
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
                        on_across=lambda _result, d: across.append(d))
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


def job_count(value: str) -> int:
    if not value.isdigit() or int(value) < 1:
        raise argparse.ArgumentTypeError(f"{value!r} is not a number of jobs (1 or more)")
    return int(value)


def select(files, args) -> tuple[list[Path], dict]:
    """The proposals this run converts (--changed-since, --shard), and why."""
    selection = {"found": len(files), "changed_since": args.changed_since, "shard": args.shard}
    why = []
    if args.changed_since:
        changed = changed_files(args.changed_since)
        files = select_changed(files, changed)
        why.append(f"no proposal changed since {args.changed_since}")
    if args.shard:
        k, n = parse_shard(args.shard)
        files = select_shard(files, k, n)
        why.append(f"shard {k}/{n} is empty")
    selection["selected"] = len(files)
    selection["why"] = " or ".join(why) or "no proposals"
    return files, selection
