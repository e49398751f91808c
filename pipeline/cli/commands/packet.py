"""epdoc packet: one review PDF of many proposals (cover, index, each proposal)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from epdoc.pipeline.cli.commands import add_paths, sources
from epdoc.pipeline.collections import packet
from epdoc.pipeline.core.errors import UsageError
from epdoc.pipeline.core.options import Options

NAME = "packet"
HELP = "one review PDF: a cover, an index with page numbers, then each proposal"
POSITION = 30


def statuses(value: str) -> tuple[str, ...]:
    items = tuple(dict.fromkeys(v.strip() for v in value.split(",") if v.strip()))
    if not items:
        raise argparse.ArgumentTypeError("needs at least one status, such as Draft,Accepted")
    return items


def add_arguments(p):
    add_paths(p)
    p.add_argument("-o", "--output", type=Path, default=Path("build/packet.pdf"),
                   metavar="PDF", help="the packet to write (default: build/packet.pdf)")
    p.add_argument("--status", type=statuses, default=None, metavar="STATUSES",
                   help="only proposals with these statuses, comma-separated "
                        "(e.g. Draft,Accepted; 'none' for proposals without one)")
    p.add_argument("--title", default=None,
                   help=f"the packet's title (default: {packet.DEFAULT_TITLE!r})")
    p.add_argument("--theme", type=Path, default=None, metavar="DIR",
                   help="a theme folder (a copy of epdoc's styles/) instead of the built-in one")
    p.add_argument("--allow-network", action="store_true",
                   help="let proposals load remote images (off by default)")
    p.add_argument("-q", "--quiet", action="store_true", help="print only problems")


def run(args) -> int:
    if args.output.suffix.lower() != ".pdf":
        raise UsageError(f"{args.output}: the packet is a PDF; name it *.pdf")
    if args.theme is not None and not (args.theme / "theme.toml").is_file():
        raise UsageError(f"{args.theme}: not a theme folder (no theme.toml)")
    files = sources(args.paths)
    options = Options(formats=("pdf",), outdir=args.output.parent,
                      allow_network=args.allow_network, theme=args.theme)
    result = packet.build(
        files, args.output, options, statuses=args.status, title=args.title,
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
