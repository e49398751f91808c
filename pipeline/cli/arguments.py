"""Arguments the commands share, declared once: paths, formats, comma lists, the limits and
the theme, and the Options they make. Importing this module imports no conversion code."""

from __future__ import annotations

import argparse
import errno
import os
import tempfile
from pathlib import Path

from epdoc.pipeline.core import settings
from epdoc.pipeline.core.errors import UsageError, os_error, printable, what_to_do
from epdoc.pipeline.core.options import FORMATS, Options, comma_list


def add_paths(p: argparse.ArgumentParser, required: bool = True, help: str = "") -> None:
    p.add_argument("paths", nargs="+" if required else "*", type=Path, metavar="PATH",
                   help=help or "proposal files and/or folders of proposals")


def sources(paths, process: str | None = None) -> list[Path]:
    """The proposals in `paths` (files and folders), found as `process` lays them out
    (--process; else as each folder's process says); none is a usage error."""
    from epdoc.pipeline.reading.sources import discover

    found = discover(paths, process=process)
    if not found:
        raise UsageError("no proposals found in " + ", ".join(str(p) for p in paths),
                         hint="pass .md files or folders that contain them")
    return found


def formats(value: str) -> tuple[str, ...]:
    items = comma_list(value, lower=True)
    bad = [v for v in items if v not in FORMATS]
    if bad or not items:
        raise argparse.ArgumentTypeError(
            f"unknown format {', '.join(bad) or value!r}; choose from {','.join(FORMATS)}")
    return items


def statuses(value: str) -> tuple[str, ...]:
    items = comma_list(value)
    if not items:
        raise argparse.ArgumentTypeError("needs at least one status, such as Draft,Accepted")
    return items


def positive(value: str) -> int:
    try:
        n = int(value)
    except ValueError:
        n = 0
    if n < 1:
        raise argparse.ArgumentTypeError(f"{value!r} is not a whole number above 0")
    return n


def job_count(value: str) -> int:
    if not value.isdigit() or int(value) < 1:
        raise argparse.ArgumentTypeError(f"{value!r} is not a number of jobs (1 or more)")
    return int(value)


def add_network(p) -> None:
    p.add_argument("--allow-network", action="store_true",
                   help="let proposals load remote images (off by default)")


def add_theme(p) -> None:
    p.add_argument("--theme", type=Path, default=None, metavar="DIR",
                   help="a theme folder (a copy of epdoc's styles/) instead of the built-in one")


def add_quiet(p) -> None:
    p.add_argument("-q", "--quiet", action="store_true", help="print only problems")


def add_limits(p) -> None:
    """The safety limits (README: Untrusted proposals), each a one-line error when passed."""
    p.add_argument("--max-diagram-edges", type=positive, default=settings.MAX_DIAGRAM_EDGES,
                   metavar="N", help="most edges one mermaid diagram may draw, counted "
                   "before drawing it (default: %(default)s)")
    p.add_argument("--max-input-bytes", type=int, default=settings.MAX_INPUT_BYTES,
                   help="largest proposal accepted, in bytes (default: 2 MB)")
    p.add_argument("--timeout", type=float, default=settings.TIMEOUT, metavar="SECONDS",
                   help="time allowed for each proposal, all its formats; one over it is "
                   "stopped and reported, the others go on (default: %(default)g)")
    p.add_argument("--pandoc-memory", default=settings.PANDOC_MEMORY,
                   help="memory limit for pandoc (default: %(default)s)")
    p.add_argument("--max-depth", type=positive, default=settings.MAX_DEPTH, metavar="N",
                   help="deepest nesting of quotes, lists and inlines (default: %(default)s)")
    p.add_argument("--max-image-pixels", type=positive, default=settings.MAX_IMAGE_PIXELS,
                   metavar="N", help="most pixels in one picture (default: %(default)s)")
    p.add_argument("--max-svg-elements", type=positive, default=settings.MAX_SVG_ELEMENTS,
                   metavar="N", help="most elements one SVG picture may draw, <use> "
                   "expanded (default: %(default)s)")


def check_theme(theme: Path | None) -> None:
    if theme is not None and not (theme / "theme.toml").is_file():
        raise UsageError(f"{theme}: not a theme folder (no theme.toml)",
                         hint="copy epdoc's styles/ folder and edit its theme.toml")


def writable_folder(folder: Path, option: str = "") -> None:
    """Before any work: fail as a usage error, naming `folder` and what to do, when epdoc
    cannot create it or write in it. Nothing is left behind (a folder that is not there yet
    is not created here)."""
    try:
        _probe(Path(folder))
    except OSError as e:
        raise _cannot_write(e, folder, option) from None


def writable_file(path: Path, option: str = "") -> None:
    """Before any work: fail as a usage error when the file `path` cannot be written (its
    folder cannot be created or written, or a folder is in its place)."""
    path = Path(path)
    try:
        if path.is_dir():
            raise IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR), str(path))
        _probe(path.parent)
    except OSError as e:
        raise _cannot_write(e, path, option) from None


def _probe(folder: Path) -> None:
    """Raise the OSError writing in `folder` would: create and remove a folder in it, or in
    the nearest existing folder on its way when it is not there yet."""
    there = folder
    while not os.path.lexists(there) and there != there.parent:
        there = there.parent
    if not there.is_dir():  # a file (or a dangling link) where a folder is expected
        raise NotADirectoryError(errno.ENOTDIR, os.strerror(errno.ENOTDIR), str(there))
    os.rmdir(tempfile.mkdtemp(prefix=".epdoc-probe-", dir=there))


def _cannot_write(e: OSError, path: Path, option: str) -> UsageError:
    hint = what_to_do(e)
    if e.errno == errno.ENOTDIR:
        hint = f"{printable(e.filename)} is a file, not a folder: choose another path"
    if option:
        hint = f"{hint}; or give another {option}"
    return os_error(e, path, "cannot write to", hint, kind=UsageError)


def add_process(p) -> None:
    p.add_argument("--process", metavar="NAME", default=None,
                   help="the proposal process of every file: ep, kep, openshift, rust-rfc, "
                        "go-design, generic, or one the project's config file defines "
                        "(default: the config file's `process`, else told per proposal)")


def check_process(args, paths=()) -> None:
    """--process names a process (a built-in one, or one defined near the first path), and
    each project's own `process = "..."` is one: a usage error before any work."""
    from epdoc.pipeline.config import process

    paths = list(paths)
    name = getattr(args, "process", None)
    if name:
        process.get(name, near=next(iter(paths), None))
        return
    for folder in dict.fromkeys(Path(p).parent for p in paths):
        configured = process.configured(folder / "x.md")
        if configured:
            process.get(configured, near=folder / "x.md")


def options_from(args, **given) -> Options:
    """Options from whichever shared arguments the command declares (and `given`)."""
    names = ("allow_network", "max_input_bytes", "timeout", "pandoc_memory", "max_depth",
             "max_image_pixels", "max_svg_elements", "theme", "self_contained",
             "max_diagram_edges", "lock_timeout", "process")
    values = {n: getattr(args, n) for n in names if hasattr(args, n)}
    values.update(given)
    return Options(**values)
