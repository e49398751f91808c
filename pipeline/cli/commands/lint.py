"""epdoc lint: check proposals for what reviewers catch, with located messages."""

from __future__ import annotations

from pathlib import Path

from epdoc.pipeline.cli.arguments import add_paths, sources
from epdoc.pipeline.core import settings
from epdoc.pipeline.core.errors import UsageError

FORMATS = ("github", "json", "text")  # lint/output.py FORMATS

NAME = "lint"
HELP = "check proposals: metadata, ids, template leftovers, sections, links"
POSITION = 15


def add_arguments(p):
    add_paths(p, required=False)
    p.add_argument("--format", choices=FORMATS, default=None,
                   help="text (default), json, or github (the default when GITHUB_ACTIONS=true)")
    p.add_argument("--strict", action="store_true",
                   help="fail (exit 1) on warnings too, not only on errors")
    p.add_argument("--config", type=Path, metavar="FILE",
                   help="an epdoc.toml or pyproject.toml to use for every file (default: the "
                        "nearest one above each proposal)")
    p.add_argument("--list-rules", action="store_true",
                   help="list the rule codes, their severities and meanings, and exit")


def run(args) -> int:
    from epdoc.pipeline import lint as linter
    from epdoc.pipeline.lint import output

    fmt = args.format or ("github" if settings.env("GITHUB_ACTIONS") == "true" else "text")
    if args.list_rules:
        print(output.rules_table("json" if fmt == "json" else "text"))
        return 0
    if not args.paths:
        raise UsageError("no PATH given", hint="pass proposal files and/or folders")
    missing = [str(p) for p in args.paths if not p.exists()]
    if missing:
        raise UsageError(f"no such file or folder: {', '.join(missing)}")
    config = linter.load_file(args.config) if args.config else None
    report = linter.lint(sources(args.paths), config=config)
    print(output.FORMATS[fmt](report), flush=True)
    if report.count("error") or (args.strict and report.count("warning")):
        return 1
    return 0
