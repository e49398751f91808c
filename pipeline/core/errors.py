"""Typed errors. Each carries what the CLI needs for a one-line message."""

from __future__ import annotations

import errno
import re

from epdoc.pipeline.core import settings


class EpdocError(Exception):
    """Base error: `path` and `line` locate it, `hint` says what to do."""

    def __init__(self, message: str, path=None, line: int | None = None, hint: str = ""):
        super().__init__(message)
        self.message = message
        self.path = path
        self.line = line
        self.hint = hint

    def oneline(self) -> str:
        where = ""
        if self.path is not None:
            path = printable(self.path)  # a newline in a file name must not end the line
            where = f"{path}:{self.line}: " if self.line else f"{path}: "
        tail = f" ({self.hint})" if self.hint else ""
        return f"{where}{self.message}{tail}"


def printable(text) -> str:
    """`text` with control and other unprintable characters shown as escapes."""
    return "".join(c if c.isprintable() else c.encode("unicode_escape").decode("ascii")
                   for c in str(text))


class InputError(EpdocError):
    """The source file cannot be read as a proposal."""


class LimitError(InputError):
    """A safety limit was exceeded."""


class PandocError(EpdocError):
    """pandoc failed; keeps the command, exit code and stderr."""

    def __init__(self, message, cmd, returncode, stderr, path=None):
        super().__init__(message, path=path)
        self.cmd = cmd
        self.returncode = returncode
        self.stderr = stderr


class OutputError(EpdocError):
    """An output could not be written."""


class UsageError(EpdocError):
    """Bad command-line usage (exit code 2)."""


def one_line(exc: BaseException, path) -> str:
    """A one-line message for any failure while handling `path`; never a traceback."""
    if isinstance(exc, EpdocError):
        if exc.path is None:
            exc.path = path
        return exc.oneline()
    if isinstance(exc, OSError):
        name = os_path(exc)
        named = f"{printable(name)}: " if name and str(name) != str(path) else ""
        return f"{printable(path)}: {named}{reason(exc)} ({what_to_do(exc)})"
    if isinstance(exc, RecursionError):  # only past a raised --max-depth (reading/depth.py)
        return (f"{printable(path)}: nesting is too deep for epdoc to process, within "
                f"the nesting depth limit given (keep --max-depth at {settings.MAX_DEPTH} or "
                "below)")
    return f"{path}: internal error: {type(exc).__name__}: {exc} (please report this)"


# what to do about an OSError on an output, the cache, a lock or a report, by errno
WHAT_TO_DO = {
    errno.EACCES: "check its permissions, or choose a path you can write to",
    errno.EPERM: "check its permissions, or choose a path you can write to",
    errno.EROFS: "the file system is read-only: choose a path on a writable one",
    errno.ENOTDIR: "a file is where a folder is expected: remove it or choose another path",
    errno.EISDIR: "a folder is where a file is expected: remove it or choose another path",
    errno.EEXIST: "something is in the way: remove it or choose another path",
    errno.ENOSPC: "the disk is full: free some space or choose another disk",
    errno.EDQUOT: "the disk quota is used up: free some space or choose another disk",
    errno.ENAMETOOLONG: "choose a shorter path",
    errno.ELOOP: "a symbolic link loops: fix the link or choose another path",
    errno.EMFILE: "too many open files: raise the limit (ulimit -n) or use fewer --jobs",
    errno.ENOENT: "a folder on the way is missing: create it or choose another path",
}
TEMPORARY_RE = re.compile(r"^\.(.+)\.[A-Za-z0-9_]{8}\.tmp$")  # core/atomic.py's temporaries


def os_path(exc: OSError) -> str | None:
    """The path an OSError is about: the destination of a copy or rename, else its file
    (a temporary file of core/atomic.py named as the file it was to become)."""
    name = getattr(exc, "filename2", None) or getattr(exc, "filename", None)
    if name is None or isinstance(name, int):
        return None
    name = str(name)
    head, _, tail = name.rpartition("/")
    m = TEMPORARY_RE.match(tail)
    return f"{head}/{m.group(1)}" if m and head else (m.group(1) if m else name)


def reason(exc: OSError) -> str:
    return exc.strerror or type(exc).__name__


def what_to_do(exc: OSError) -> str:
    return WHAT_TO_DO.get(exc.errno, "check the path, its folder and the disk")


def os_error(exc: OSError, path=None, doing: str = "", hint: str = "",
             kind: type[EpdocError] | None = None) -> EpdocError:
    """A one-line error for an OSError on an output, the cache, a lock or a report: the path
    (`path`, else the one the error names), what failed (`doing`: "cannot write to"), why,
    and what to do (`hint`, else by errno)."""
    where = path if path is not None else os_path(exc)
    lead = f"{doing} {printable(where)}: " if doing and where is not None else (
        f"{printable(where)}: " if where is not None else "")
    return (kind or OutputError)(f"{lead}{reason(exc)}", hint=hint or what_to_do(exc))
