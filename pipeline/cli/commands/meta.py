"""epdoc meta: print each proposal's metadata record."""

from __future__ import annotations

import json
import sys

from epdoc.pipeline.cli.arguments import add_paths, add_process, check_process, sources
from epdoc.pipeline.core.errors import one_line
from epdoc.pipeline.core.options import Options

NAME = "meta"
HELP = "print the metadata record of each proposal"
POSITION = 20


def add_arguments(p):
    add_paths(p)
    add_process(p)
    p.add_argument("--json", action="store_true",
                   help="print one JSON object per file, one per line (the default)")
    p.add_argument("--pretty", action="store_true", help="indent the JSON")


def run(args) -> int:
    from epdoc.pipeline.reading.document import load

    failed = 0
    files = sources(args.paths, getattr(args, "process", None))
    check_process(args, files)
    options = Options(process=args.process)
    for path in files:
        try:
            rec = load(path, options).record.as_dict()
            rec["source"] = str(path)
        except Exception as exc:  # noqa: BLE001
            print(f"error: {one_line(exc, path)}", file=sys.stderr)
            failed += 1
            continue
        print(json.dumps(rec, ensure_ascii=False, indent=2 if args.pretty else None))
    return 1 if failed else 0
