"""epdoc status: change a proposal's status in place."""

from __future__ import annotations

import sys
from pathlib import Path

NAME = "status"
HELP = "change a proposal's status in place (its own metadata style, every other byte kept)"
POSITION = 6


def add_arguments(p):
    p.add_argument("proposal", metavar="ID|PATH",
                   help="the proposal: its file, its folder (a KEP), or its id (EP-012)")
    p.add_argument("status", metavar="NEW_STATUS", help="a status its process knows")
    p.add_argument("--by", metavar="OTHER_ID", default=None,
                   help="the proposal that supersedes this one (with Superseded, a KEP's "
                        "replaced): writes Superseded-By here and Supersedes there")
    p.add_argument("--note", default=None, metavar="TEXT",
                   help="a note after the status: Accepted (pending the API review)")
    p.add_argument("--dir", type=Path, default=Path("."), metavar="DIR",
                   help="where to look up ids (default: the current folder)")
    p.add_argument("--process", metavar="NAME", default=None,
                   help="the proposal's process (default: the config file's, else its own)")
    p.add_argument("--dry-run", action="store_true",
                   help="print the change as a unified diff; write nothing")


def run(args) -> int:
    from epdoc.pipeline.collections.lifecycle import status

    change = status.change(args.proposal, args.status, args.dir, args.by, args.note,
                           args.process)
    if args.dry_run:
        sys.stdout.write(change.diff())
        return 0
    if not any(text.changed for sheet in change.sheets for text in sheet.texts) or (
            args.by is None and (change.old or "").lower() == change.new.lower()):
        print(f"{change.id} is {change.new} already ({change.source}); nothing changed")
        return 0
    written = change.write()
    print(f"{change.id}: {change.old or 'no status'} -> {change.new} ({change.source})")
    for path in written:
        if path != change.source:
            print(f"  also wrote {path}")
    return 0
