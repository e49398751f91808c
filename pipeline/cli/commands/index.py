"""epdoc index: one page listing every proposal with its record, grouped by status."""

from __future__ import annotations

import sys
from pathlib import Path

from epdoc.pipeline.cli.arguments import add_process, check_process, sources, writable_file
from epdoc.pipeline.core import atomic
from epdoc.pipeline.core.errors import UsageError
from epdoc.pipeline.core.options import Options

FORMATS = {".html": "html", ".htm": "html", ".md": "md", ".markdown": "md", ".json": "json",
           ".xml": "atom", ".atom": "atom"}

NAME = "index"
HELP = ("list every proposal with its record, grouped by status (HTML with search, markdown, "
        "JSON with status history, or an Atom feed)")
POSITION = 60


def add_arguments(p):
    p.add_argument("paths", nargs="*", type=Path, metavar="PATH",
                   help="proposal files and/or folders (with --check: default the folder "
                        "of the checked file)")
    p.add_argument("-o", "--output", type=Path, metavar="FILE",
                   help="index.html, index.md, index.json or feed.xml (Atom; the format "
                        "follows the extension); - prints to standard output")
    p.add_argument("--check", type=Path, metavar="FILE",
                   help="fail (exit 1, with a diff) when FILE is not what epdoc would write")
    p.add_argument("--format", choices=("html", "md", "json", "atom"),
                   help="the format, when the file name does not say it")
    p.add_argument("--outputs", type=Path, metavar="DIR",
                   help="where `epdoc build` wrote the outputs the HTML index links to "
                        "(default: the index's folder)")
    add_process(p)


def _format(args, target: Path | None) -> str:
    if args.format:
        return args.format
    if target is None or str(target) == "-":
        return "md"
    fmt = FORMATS.get(target.suffix.lower())
    if not fmt:
        raise UsageError(f"cannot tell the format of {target} from its extension",
                         hint="name it .html, .md, .json or .xml (Atom), or pass --format")
    return fmt


def run(args) -> int:
    from epdoc.pipeline.collections import index as indexes

    if args.output and args.check:
        raise UsageError("give either -o FILE or --check FILE, not both")
    if not args.output and not args.check:
        raise UsageError("give -o FILE (or - for standard output) or --check FILE")
    target = args.check or args.output
    fmt = _format(args, target)
    paths = args.paths or ([target.parent] if args.check else [])
    if not paths:
        raise UsageError("no proposals given", hint="pass .md files or folders")
    if str(target) == "-":
        target = Path("index.md")  # links relative to the current folder
        to_stdout = True
    else:
        to_stdout = False
    found = sources(paths, getattr(args, "process", None))
    if not args.check and not to_stdout:
        writable_file(target, "-o")
    check_process(args, found)
    entries, errors = indexes.collect(found, Options(process=args.process))
    for error in errors:
        print(f"error: {error}", file=sys.stderr)
    text = indexes.render(fmt, entries, target, args.outputs)
    count = f"{len(entries)} proposal{'' if len(entries) == 1 else 's'}"
    if args.check:
        if not target.is_file():
            print(f"{target}: missing; create it with: epdoc index "
                  f"{' '.join(map(str, paths))} -o {target}", file=sys.stderr)
            return 1
        current = target.read_text(encoding="utf-8")
        if current != text:
            sys.stdout.write(indexes.diff(current, text, str(target)))
            print(f"{target}: out of date; regenerate it with: epdoc index "
                  f"{' '.join(map(str, paths))} -o {target}", file=sys.stderr)
            return 1
        print(f"{target}: up to date ({count})")
        return 1 if errors else 0
    if to_stdout:
        sys.stdout.write(text)
    else:
        atomic.write_text(target, text)
        print(f"wrote {target} ({count})")
    return 1 if errors else 0
