"""The `epdoc` command. Subcommands are found by discovery in pipeline/cli/commands/."""

from __future__ import annotations

import argparse
import importlib
import importlib.machinery
import os
import sys

from epdoc import __version__
from epdoc.pipeline.cli import commands
from epdoc.pipeline.core import settings
from epdoc.pipeline.core.errors import EpdocError, UsageError, os_error


def _module_name(filename: str) -> str | None:
    # inspect.getmodulename, without importing inspect
    for suffix in sorted(importlib.machinery.all_suffixes(), key=len, reverse=True):
        if filename.endswith(suffix):
            return filename[:-len(suffix)]
    return None


def _names(folders) -> list[str]:
    """The modules and packages in `folders`, as pkgutil.iter_modules lists them (pkgutil
    imports inspect and typing: listing here keeps start-up light)."""
    names: list[str] = []
    for folder in folders:
        try:
            filenames = sorted(os.listdir(folder))
        except OSError:
            continue
        for fn in filenames:
            name = _module_name(fn)
            if name == "__init__" or name in names:
                continue
            path = os.path.join(folder, fn)
            if not name and os.path.isdir(path) and "." not in fn:
                try:
                    inside = os.listdir(path)
                except OSError:
                    inside = []
                if not any(_module_name(f) == "__init__" for f in inside):
                    continue  # not a package
                name = fn
            if name and "." not in name:
                names.append(name)
    return names


def _commands(only: str | None = None):
    names = [n for n in _names(commands.__path__) if not n.startswith("_")]
    if only in names:  # `epdoc build ...` imports only build's code: a warm build is quick
        mod = importlib.import_module(f"{commands.__name__}.{only}")
        if mod.NAME == only:
            return [mod]
    mods = [importlib.import_module(f"{commands.__name__}.{name}") for name in names]
    return sorted(mods, key=lambda m: (getattr(m, "POSITION", 50), m.NAME))


def _command_word(argv) -> str | None:
    return next((a for a in argv if not a.startswith("-")), None) if argv else None


def parser(argv=None) -> argparse.ArgumentParser:
    """The parser; given the arguments, only the command they name is imported."""
    p = argparse.ArgumentParser(
        prog="epdoc",
        description="Turn Enhancement Proposals (GitHub markdown) into HTML, PDF and DOCX.",
    )
    p.add_argument("--version", action="version", version=f"epdoc {__version__}")
    sub = p.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for mod in _commands(_command_word(argv)):
        cp = sub.add_parser(mod.NAME, help=mod.HELP, description=mod.HELP)
        mod.add_arguments(cp)
        cp.set_defaults(run=mod.run)
    return p


def main(argv=None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    p = parser(argv)
    args = p.parse_args(argv)
    try:
        return int(args.run(args) or 0)
    except UsageError as e:
        p.print_usage(sys.stderr)
        print(f"epdoc: error: {e.oneline()}", file=sys.stderr)
        return 2
    except EpdocError as e:
        print(f"epdoc: error: {e.oneline()}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("epdoc: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 1
    except OSError as e:  # an output, the cache, a lock or a report: the path, what to do
        if settings.debug():
            raise
        print(f"epdoc: error: {os_error(e).oneline()}", file=sys.stderr)
        return 1
    except Exception as e:  # noqa: BLE001 - never a traceback for users
        if settings.debug():
            raise
        print(f"epdoc: internal error: {type(e).__name__}: {e} (set EPDOC_DEBUG=1 for details)",
              file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
