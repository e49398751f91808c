"""epdoc meta: print each proposal's metadata record."""

from __future__ import annotations

import json
import sys

from epdoc.pipeline.cli.arguments import add_paths, sources
from epdoc.pipeline.core.errors import one_line

NAME = "meta"
HELP = "print the metadata record of each proposal"
POSITION = 20


def add_arguments(p):
    add_paths(p)
    p.add_argument("--json", action="store_true",
                   help="print one JSON object per file, one per line (the default)")
    p.add_argument("--pretty", action="store_true", help="indent the JSON")


def run(args) -> int:
    from epdoc.pipeline.reading.document import load

    failed = 0
    for path in sources(args.paths):
        try:
            rec = load(path).record.as_dict()
            rec["source"] = str(path)
        except Exception as exc:  # noqa: BLE001
            print(f"error: {one_line(exc, path)}", file=sys.stderr)
            failed += 1
            continue
        print(json.dumps(rec, ensure_ascii=False, indent=2 if args.pretty else None))
    return 1 if failed else 0
