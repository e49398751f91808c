"""What converting one proposal gives: its outputs, diagnostics, record, timings or error."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from epdoc.pipeline.core.diagnostics import Diagnostic


@dataclass
class Result:
    source: Path
    ok: bool = True
    outputs: list[Path] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    error: str | None = None
    record: object = None
    seconds: dict[str, float] = field(default_factory=dict)
    cached: bool = False  # outputs were up to date: nothing was converted

    @property
    def status(self) -> str:
        if not self.ok:
            return "failed"
        return "up-to-date" if self.cached else "converted"

    def as_dict(self) -> dict:
        return {
            "source": str(self.source),
            "status": self.status,
            "ok": self.ok,
            "outputs": [str(p) for p in self.outputs],
            "error": self.error,
            "diagnostics": [d.as_dict() for d in self.diagnostics],
            "seconds": {k: round(v, 4) for k, v in self.seconds.items()},
        }
