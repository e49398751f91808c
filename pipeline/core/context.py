"""What the filters share while they run on one document."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from epdoc.pipeline.core.diagnostics import Diagnostic
from epdoc.pipeline.core.options import Options


@dataclass
class Context:
    source: Path | None = None
    options: Options = field(default_factory=Options)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    positions: dict[int, tuple[int, int]] = field(default_factory=dict)
    record: object = None
    display_title: str | None = None
    title_pos: tuple[int | None, int | None] | None = None  # the title's line and column
    title_id: str | None = None  # the title heading's anchor
    meta_entries: list = field(default_factory=list)  # metadata entries as written, in order
    process: object = None  # the proposal's process (config/process.py Process)
    front_matter: dict | None = None  # the front matter as read (for filters after metadata)
    diagram_failures: set = field(default_factory=set)  # (line, error) already reported
    svg_fallbacks: dict = field(default_factory=dict)  # DOCX: SVG digest -> its PNG

    @property
    def source_dir(self) -> Path:
        return (self.source.parent if self.source else Path.cwd()).resolve()

    def where(self, elem) -> tuple[int | None, int | None]:
        """Where `elem` is written; for an element pandoc gives no position (raw HTML
        inside a paragraph), where the nearest enclosing element with one is."""
        node = elem
        while node is not None:
            pos = self.positions.get(id(node))
            if pos is not None:
                return pos
            node = getattr(node, "parent", None)
        return None, None

    def report(self, severity: str, code: str, message: str, elem=None,
               line: int | None = None, column: int | None = None) -> Diagnostic:
        if elem is not None and line is None:
            line, column = self.where(elem)
        d = Diagnostic(str(self.source or "<stdin>"), line, column, severity, code, message)
        self.diagnostics.append(d)
        return d


def of(doc) -> Context:
    """The context attached to `doc`, creating one for standalone (pandoc -F) runs."""
    ctx = getattr(doc, "epdoc", None)
    if ctx is None:
        ctx = Context()
        doc.epdoc = ctx
    return ctx
