"""epdoc build: convert proposals to HTML, PDF and DOCX."""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

from ..build import build
from ..errors import UsageError
from ..lint import config as lint_config
from ..lint import duplicates
from ..options import FORMATS, Options
from . import add_paths, formats, sources

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
    p.add_argument("--timeout", type=float, default=Options.timeout,
                   help="seconds allowed for each pandoc run (default: %(default)s)")
    p.add_argument("--pandoc-memory", default=Options.pandoc_memory,
                   help="memory limit for pandoc (default: %(default)s)")
    p.add_argument("--self-contained", action="store_true",
                   help="HTML as one file: images, diagrams and fonts inlined")
    p.add_argument("--theme", type=Path, default=None, metavar="DIR",
                   help="a theme folder (a copy of epdoc's styles/) instead of the built-in one")
    p.add_argument("-q", "--quiet", action="store_true", help="print only problems")


def options_from(args) -> Options:
    return Options(formats=args.to, outdir=args.output, allow_network=args.allow_network,
                   max_input_bytes=args.max_input_bytes, timeout=args.timeout,
                   pandoc_memory=args.pandoc_memory,
                   self_contained=getattr(args, "self_contained", False),
                   theme=getattr(args, "theme", None))


def report(result, quiet=False) -> None:
    for d in result.diagnostics:
        print(d.text(), file=sys.stderr)
    if not result.ok:
        print(f"error: {result.error}", file=sys.stderr)
    elif not quiet:
        outs = ", ".join(str(p) for p in result.outputs)
        print(f"converted {result.source} -> {outs}")


def _text(path) -> str:
    try:
        return Path(path).read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""


def run(args) -> int:
    options = options_from(args)
    if options.theme is not None and not (options.theme / "theme.toml").is_file():
        raise UsageError(f"{options.theme}: not a theme folder (no theme.toml)",
                         hint="copy epdoc's styles/ folder and edit its theme.toml")
    files = sources(args.paths)
    for f in files:
        lint_config.for_source(f)  # a broken epdoc.toml is a usage error, before any work
    results = build(files, options, on_result=lambda r: report(r, args.quiet))
    # the check across files (one id used twice), as lint makes it
    ids = Counter(r.record.id for r in results if r.record and r.record.id)
    across = duplicates((r.source, r.record.id, _text(r.source)) for r in results
                        if r.record and ids[r.record.id] > 1)
    for r in results:
        for d in across.get(r.source, []):
            r.diagnostics.append(d)
            print(d.text(), file=sys.stderr)
    failed = [r for r in results if not r.ok]
    if not args.quiet or failed:
        print(f"{len(results) - len(failed)} converted, {len(failed)} failed",
              file=sys.stderr if failed else sys.stdout)
    return 1 if failed else 0
