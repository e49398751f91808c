"""epdoc redline: what changed in proposals since a git revision (or an older file), marked
in HTML, PDF and DOCX (tracked changes)."""

from __future__ import annotations

import sys
from pathlib import Path

from epdoc.pipeline.cli.arguments import (
    add_limits,
    add_network,
    add_paths,
    add_quiet,
    add_theme,
    check_theme,
    formats,
    options_from,
    sources,
    writable_file,
    writable_folder,
)
from epdoc.pipeline.core.errors import UsageError
from epdoc.pipeline.core.options import FORMATS

NAME = "redline"
HELP = "mark what changed since a git revision: HTML, PDF with change bars, DOCX tracked changes"
POSITION = 25


def add_arguments(p):
    add_paths(p)
    base = p.add_mutually_exclusive_group(required=True)
    base.add_argument("--since", metavar="REF",
                      help="the git revision to compare with (origin/main, a tag, a commit) "
                      "in the repository of the working directory")
    base.add_argument("--against", type=Path, metavar="OLD.md",
                      help="compare one proposal with an older file instead")
    p.add_argument("--to", type=formats, default=FORMATS, metavar="FORMATS",
                   help="comma-separated formats: html,pdf,docx (default: all)")
    p.add_argument("-o", "--output", type=Path, default=Path("build"), metavar="OUTDIR",
                   help="output folder: OUTDIR/<name>.redline.<format> (default: build)")
    p.add_argument("--report", type=Path, metavar="FILE",
                   help="write a JSON summary: each proposal's state, sections changed, "
                   "words added and removed, metadata changes")
    add_network(p)
    add_limits(p)
    add_theme(p)
    add_quiet(p)


def run(args) -> int:
    from epdoc.pipeline.redline import run as redlines

    check_theme(args.theme)
    files = sources(args.paths, getattr(args, "process", None))
    if args.against is not None and len(files) != 1:
        raise UsageError(f"--against compares one proposal, and {len(files)} were given",
                         hint="pass one PATH with --against, or use --since REF")
    writable_folder(args.output, "-o")
    if args.report:
        writable_file(args.report, "--report")
    options = options_from(args, formats=args.to, outdir=args.output)
    folders = [p for p in args.paths if p.is_dir()]

    def show(outcome) -> None:
        if outcome.state == "failed":
            print(f"error: {outcome.error}", file=sys.stderr)
        elif not args.quiet:
            print(line(outcome))

    outcomes, label = redlines.redline(files, options, since=args.since,
                                       against=args.against, folders=folders,
                                       on_result=show)
    if args.report:
        redlines.report(args.report, label, outcomes)
    failed = sum(o.state == "failed" for o in outcomes)
    if not args.quiet:
        counts = {s: sum(o.state == s for o in outcomes)
                  for s in ("changed", "new", "unchanged", "deleted", "failed")}
        print(f"since {label}: " + ", ".join(f"{n} {s}" for s, n in counts.items() if n))
    return 1 if failed else 0


def line(outcome) -> str:
    s = outcome.summary
    if outcome.state == "unchanged":
        return f"{outcome.source}: unchanged"
    if outcome.state == "deleted":
        return f"{outcome.source}: deleted (no output)"
    tail = f"+{s.words_added} -{s.words_removed} words in {len(s.sections)} sections"
    if s.renamed_from:
        tail += f", renamed from {s.renamed_from}"
    outputs = ", ".join(str(p) for p in outcome.outputs)
    return f"{outcome.source}: {outcome.state}, {tail} -> {outputs}"
