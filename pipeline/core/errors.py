"""Typed errors. Each carries what the CLI needs for a one-line message."""

from __future__ import annotations


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
            path = _printable(self.path)  # a newline in a file name must not end the line
            where = f"{path}:{self.line}: " if self.line else f"{path}: "
        tail = f" ({self.hint})" if self.hint else ""
        return f"{where}{self.message}{tail}"


def _printable(text) -> str:
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
