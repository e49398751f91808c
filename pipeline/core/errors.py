"""Typed errors. Each carries what the CLI needs for a one-line message."""

from __future__ import annotations

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
        return f"{path}: {exc.strerror or exc} ({getattr(exc, 'filename', '') or 'I/O error'})"
    if isinstance(exc, RecursionError):  # only past a raised --max-depth (reading/depth.py)
        return (f"{printable(path)}: nesting is too deep for epdoc to process, within "
                f"the nesting depth limit given (keep --max-depth at {settings.MAX_DEPTH} or "
                "below)")
    return f"{path}: internal error: {type(exc).__name__}: {exc} (please report this)"
