"""epdoc new: a new proposal from its process's template."""

from __future__ import annotations

import sys
from pathlib import Path

NAME = "new"
HELP = "start a proposal from its process's template: next free id, today's date, the author"
POSITION = 5


def add_arguments(p):
    p.add_argument("title", metavar="TITLE", help='the proposal\'s title, such as "Faster '
                   'Exports"')
    p.add_argument("--dir", type=Path, default=Path("."), metavar="DIR",
                   help="the folder of proposals it goes in (default: the current folder; "
                        "for a KEP, its SIG's folder such as keps/sig-node)")
    p.add_argument("--process", metavar="NAME", default=None,
                   help="ep, kep, openshift, rust-rfc, go-design, generic, or one the "
                        "project's config file defines (default: the config file's "
                        "`process`, else what the folder's proposals follow; empty: ep)")
    p.add_argument("--number", type=int, default=None, metavar="N",
                   help="its number (default: the next free one; a KEP's is its issue's)")
    p.add_argument("--author", default=None, metavar="NAME",
                   help="the author (default: git config user.name)")


def run(args) -> int:
    from epdoc.pipeline.collections.lifecycle import new

    made = new.create(args.title, args.dir, args.process, args.number, args.author)
    if not made.author:
        print("epdoc: warning: no author: git config user.name is not set; the template's "
              "Authors are left for you to fill (or give --author)", file=sys.stderr)
    for extra in made.files[1:]:
        print(f"epdoc: also wrote {extra}", file=sys.stderr)
    print(made.path)
    return 0
