"""epdoc packet: one review PDF of many proposals (cover, index, each proposal)."""

from __future__ import annotations

import sys
from pathlib import Path

from epdoc.pipeline.cli.arguments import (
    add_network,
    add_paths,
    add_process,
    add_quiet,
    add_theme,
    check_process,
    check_theme,
    options_from,
    sources,
    statuses,
    writable_file,
)
from epdoc.pipeline.core import settings
from epdoc.pipeline.core.errors import UsageError

NAME = "packet"
HELP = "one review PDF: a cover, an index with page numbers, then each proposal"
POSITION = 30


def add_arguments(p):
    add_paths(p)
    p.add_argument("-o", "--output", type=Path, default=Path("build/packet.pdf"),
                   metavar="PDF", help="the packet to write (default: build/packet.pdf)")
    p.add_argument("--status", type=statuses, default=None, metavar="STATUSES",
                   help="only proposals with these statuses, comma-separated "
                        "(e.g. Draft,Accepted; 'none' for proposals without one)")
    p.add_argument("--since", metavar="REF",
                   help="a review of changes: each proposal changed since the git revision "
                   "REF as its redline, unchanged ones listed on the index only")
    p.add_argument("--line-numbers", action="store_true",
                   help="print each proposal's source line numbers in the margin")
    p.add_argument("--title", default=None,
                   help=f"the packet's title (default: {settings.PACKET_TITLE!r})")
    add_theme(p)
    add_network(p)
    add_quiet(p)
    add_process(p)


def run(args) -> int:
    from epdoc.pipeline.collections import packet

    if args.output.suffix.lower() != ".pdf":
        raise UsageError(f"{args.output}: the packet is a PDF; name it *.pdf")
    check_theme(args.theme)
    files = sources(args.paths, getattr(args, "process", None))
    check_process(args, files)
    writable_file(args.output, "-o")
    options = options_from(args, formats=("pdf",), outdir=args.output.parent,
                           line_numbers=args.line_numbers)
    result = packet.build(
        files, args.output, options, statuses=args.status, title=args.title,
        since=args.since,
        on_error=lambda msg: print(f"error: {msg}", file=sys.stderr),
        on_warning=lambda msg: print(f"{args.output}: warning pdf-render {msg}",
                                     file=sys.stderr))
    for m in result.members:
        for d in m.document.diagnostics:
            if d.severity in ("error", "warning"):
                print(d.text(), file=sys.stderr)
    if not result.members:
        wanted = f" with status {','.join(args.status)}" if args.status else ""
        print(f"error: no proposals{wanted} to put in the packet "
              f"({len(files)} found, {result.skipped} of other statuses, "
              f"{len(result.failures)} failed)", file=sys.stderr)
        return 1
    if not args.quiet:
        print(f"wrote {args.output}: {len(result.members)} proposals, {result.pages} pages "
              f"({result.seconds:.1f}s)")
    return 1 if result.failures else 0
