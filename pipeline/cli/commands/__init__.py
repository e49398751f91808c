"""Subcommands of `epdoc`: each module sets NAME, HELP, add_arguments(parser), run(args)."""

from __future__ import annotations

import argparse
from pathlib import Path

from epdoc.pipeline.core.errors import UsageError
from epdoc.pipeline.core.options import FORMATS
from epdoc.pipeline.reading.sources import discover


def add_paths(p: argparse.ArgumentParser) -> None:
    p.add_argument("paths", nargs="+", type=Path, metavar="PATH",
                   help="proposal files and/or folders of proposals")


def sources(paths) -> list[Path]:
    found = discover(paths)
    if not found:
        raise UsageError("no proposals found in " + ", ".join(str(p) for p in paths),
                         hint="pass .md files or folders that contain them")
    return found


def formats(value: str) -> tuple[str, ...]:
    items = tuple(dict.fromkeys(v.strip().lower() for v in value.split(",") if v.strip()))
    bad = [v for v in items if v not in FORMATS]
    if bad or not items:
        raise argparse.ArgumentTypeError(
            f"unknown format {', '.join(bad) or value!r}; choose from {','.join(FORMATS)}")
    return items
