"""epdoc lint: check proposals for what reviewers catch, with located messages."""

from __future__ import annotations

import atexit
import gc
import sys
from pathlib import Path

from epdoc.pipeline.cli.arguments import add_paths, add_process, check_process, sources
from epdoc.pipeline.core import settings
from epdoc.pipeline.core.errors import UsageError
from epdoc.pipeline.core.options import Options

FORMATS = ("github", "json", "text")  # lint/output.py FORMATS

NAME = "lint"
HELP = "check proposals: metadata, ids, template leftovers, sections, links"
POSITION = 15


def add_arguments(p):
    add_paths(p, required=False)
    add_process(p)
    p.add_argument("--format", choices=FORMATS, default=None,
                   help="text (default), json, or github (the default when GITHUB_ACTIONS=true)")
    p.add_argument("--strict", action="store_true",
                   help="fail (exit 1) on warnings too, not only on errors")
    p.add_argument("--config", type=Path, metavar="FILE",
                   help="an epdoc.toml or pyproject.toml to use for every file (default: the "
                        "nearest one above each proposal)")
    p.add_argument("--list-rules", action="store_true",
                   help="list the rule codes, their severities and meanings, and exit")
    p.add_argument("--changed-since", metavar="GIT_REF",
                   help="check only proposals changed since GIT_REF (and those that link to a "
                        "changed file); the checks across files (one id used twice) still "
                        "cover every proposal given")
    p.add_argument("--baseline", type=Path, metavar="FILE",
                   help="known findings (from --write-baseline) that do not count; new ones do")
    p.add_argument("--write-baseline", type=Path, metavar="FILE",
                   help="write every finding of this run to FILE as the baseline, and exit 0")


LEAK_CHECKED = ("novasvg", "pikepdf")  # nanobind modules: objects left at exit are "leaked"


def _freeze() -> None:
    """At exit, what is left is frozen: Python's last collection need not go over it (20 ms of
    a quick lint). Not once a nanobind module is loaded: it would report its objects (kept
    alive by frozen cycles) as leaks on stderr."""
    if not any(name in sys.modules for name in LEAK_CHECKED):
        gc.freeze()


def run(args) -> int:
    # registered once, and only exit is affected (tests call run() often)
    atexit.unregister(_freeze)
    atexit.register(_freeze)
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
    options = Options(process=args.process)
    from epdoc.pipeline.pandoc import runner as pandoc

    pandoc.start(options.pandoc_memory)  # pandoc starts up while the rules are imported
    config = linter.load_file(args.config) if args.config else None
    files = sources(args.paths, getattr(args, "process", None))
    check_process(args, files)
    from epdoc.pipeline.reading.sources import read_ahead

    read_ahead(files[0], options)  # and parses the first proposal meanwhile
    report = linter.lint(files, options, config=config)
    if args.changed_since:
        from epdoc.pipeline.batch.selection import changed_files, select_changed

        only_changed(report, select_changed(files, changed_files(args.changed_since),
                                            getattr(args, "process", None)))
    if args.write_baseline:
        from epdoc.pipeline.lint import baseline

        n = baseline.write(args.write_baseline, report)
        print(f"wrote {n} findings to {args.write_baseline}")
        return 0
    note = ""
    if args.baseline:
        from epdoc.pipeline.lint import baseline

        hidden, fixed = baseline.apply(report, args.baseline)
        note = f"{hidden} known findings in the baseline {args.baseline}" + \
            (f"; {fixed} of its findings are fixed (write it again)" if fixed else "")
    print(output.FORMATS[fmt](report), flush=True)
    if note and fmt == "text":
        print(note)
    if report.count("error") or (args.strict and report.count("warning")):
        return 1
    return 0


ACROSS_FILES = {"id-duplicate"}  # the checks across the run (lint.duplicates)


def only_changed(report, picked) -> None:
    """Keep the findings of the `picked` files, and the checks across files for all."""
    chosen = {Path(p) for p in picked}
    for source in list(report.diagnostics):
        if source not in chosen:
            report.diagnostics[source] = [d for d in report.diagnostics[source]
                                          if d.code in ACROSS_FILES]
    report.files = [f for f in report.files if f in chosen or report.diagnostics.get(f)]
