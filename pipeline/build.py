"""Converting many proposals: each one parsed once and written to every format asked for.
One failing proposal never stops the others."""

from __future__ import annotations

import time
import traceback
from dataclasses import dataclass, field
from pathlib import Path

from . import document as documents
from . import lint, writers
from . import theme as themes
from .diagnostics import Diagnostic
from .errors import EpdocError
from .options import Options


@dataclass
class Result:
    source: Path
    ok: bool = True
    outputs: list[Path] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    error: str | None = None
    record: object = None
    seconds: dict[str, float] = field(default_factory=dict)

    def as_dict(self) -> dict:
        return {
            "source": str(self.source),
            "status": "ok" if self.ok else "failed",
            "outputs": [str(p) for p in self.outputs],
            "error": self.error,
            "diagnostics": [d.as_dict() for d in self.diagnostics],
            "seconds": {k: round(v, 4) for k, v in self.seconds.items()},
        }


def describe(exc: BaseException, path) -> str:
    """A one-line message for any failure; never a traceback."""
    if isinstance(exc, EpdocError):
        if exc.path is None:
            exc.path = path
        return exc.oneline()
    if isinstance(exc, OSError):
        return f"{path}: {exc.strerror or exc} ({getattr(exc, 'filename', '') or 'I/O error'})"
    return f"{path}: internal error: {type(exc).__name__}: {exc} (please report this)"


def duplicate_stems(sources) -> dict[Path, str]:
    """Sources whose outputs would collide (same stem, ignoring case): path -> message."""
    by_stem: dict[str, list[Path]] = {}
    for s in sources:
        by_stem.setdefault(s.stem.lower(), []).append(s)
    clashes = {}
    for group in by_stem.values():
        if len(group) > 1:
            for s in group:
                others = ", ".join(str(o) for o in group if o is not s)
                clashes[s] = (f"{s}: output name clashes with {others} "
                              "(rename one of them; outputs are named after the file)")
    return clashes


class Builder:
    """Holds the theme and writers; converts documents one after another."""

    def __init__(self, options: Options):
        self.options = options
        self.theme = themes.load(options.theme)
        registry = writers.discover()
        unknown = [f for f in options.formats if f not in registry]
        if unknown:
            raise ValueError(f"unknown format(s): {', '.join(unknown)}")
        self.writers = [registry[f](options, self.theme) for f in options.formats]

    def convert(self, source: Path, outdir: Path | None = None) -> Result:
        outdir = Path(outdir or self.options.outdir)
        result = Result(source)
        t0 = time.perf_counter()
        try:
            doc = documents.load(source, self.options)
            result.record = doc.record
            result.seconds["parse"] = time.perf_counter() - t0
            for writer in self.writers:
                t = time.perf_counter()
                target = writer.target(doc, outdir)
                writer.write(doc, target)
                result.outputs.append(target)
                result.seconds[writer.name] = time.perf_counter() - t
            result.diagnostics = lint.check(doc)  # the filters' and lint's, configured
        except Exception as exc:  # noqa: BLE001 - every failure becomes a one-line message
            result.ok = False
            result.error = describe(exc, source)
            if __import__("os").environ.get("EPDOC_DEBUG"):
                traceback.print_exc()
        result.seconds["total"] = time.perf_counter() - t0
        return result


def build(sources, options: Options, on_result=None) -> list[Result]:
    sources = [Path(s) for s in sources]
    clashes = duplicate_stems(sources)
    builder = Builder(options)
    results = []
    for source in sources:
        if source in clashes:
            result = Result(source, ok=False, error=clashes[source])
        else:
            result = builder.convert(source)
        results.append(result)
        if on_result:
            on_result(result)
    return results
