"""Diagnostics: located messages about a proposal."""

from __future__ import annotations

from dataclasses import asdict, dataclass

SEVERITIES = ("error", "warning", "info")


@dataclass(frozen=True)
class Diagnostic:
    file: str
    line: int | None
    column: int | None
    severity: str
    code: str
    message: str

    def as_dict(self) -> dict:
        return asdict(self)

    def text(self) -> str:
        loc = self.file
        if self.line:
            loc += f":{self.line}:{self.column or 1}"
        line = f"{loc}: {self.severity} {self.code} {self.message}"
        # one line, whatever the file (or a file it names) is called
        return "".join(c if c.isprintable() else c.encode("unicode_escape").decode("ascii")
                       for c in line)
