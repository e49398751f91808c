"""Linting proposals: the rules over one loaded proposal, and a run over many."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path

from epdoc.pipeline.config import process as processes
from epdoc.pipeline.core.diagnostics import Diagnostic
from epdoc.pipeline.core.errors import one_line
from epdoc.pipeline.core.options import Options
from epdoc.pipeline.lint import approvals, content, glyphs, identity, metadata, template
from epdoc.pipeline.lint.codes import CODES, Code, Finding
from epdoc.pipeline.lint.config import Config, ConfigError, for_source, load_file
from epdoc.pipeline.lint.view import View
from epdoc.pipeline.reading.document import load

__all__ = ["CODES", "Code", "Config", "ConfigError", "Finding", "Report", "check",
           "duplicates", "findings", "lint", "load_file"]

RULES = (metadata, approvals, identity, template, content, glyphs)


def findings(document, config: Config, anchors: content.Anchors | None = None,
             view: View | None = None) -> Iterator[Finding]:
    """Every rule's findings for one loaded proposal, in rule order."""
    view = view or View.of(document)
    config = config.with_process(document.context.process)
    for rules in RULES:
        if rules is content:
            yield from content.check(view, config, anchors)
        else:
            yield from rules.check(view, config)


def _diagnostic(source, f: Finding, severity: str, top) -> Diagnostic:
    line, col = (f.line, f.column) if f.line or f.file else top
    return Diagnostic(str(f.file or source), line, col or 1 if line else None, severity,
                      f.code, f.message)


def check(document, config: Config | None = None, anchors: content.Anchors | None = None,
          view: View | None = None) -> list[Diagnostic]:
    """All diagnostics for one loaded proposal (the filters' and the rules'), configured and
    in source order."""
    config = (config or for_source(document.source)).with_process(document.context.process)
    view = view or View.of(document)
    out: list[Diagnostic] = []
    for d in document.diagnostics:
        severity = config.severity_of(d.code, d.severity)
        if severity:
            out.append(replace(d, severity=severity))
    for f in findings(document, config, anchors, view):
        severity = config.severity_of(f.code, CODES[f.code].severity)
        if severity:
            out.append(_diagnostic(document.source, f, severity, view.top))
    return sorted(dict.fromkeys(out), key=lambda d: (d.line or 0, d.column or 0))


def _detected(source) -> Config:
    """The configuration for a proposal, for its process as detected."""
    return for_source(source).with_process(processes.detect(source))


def duplicates(items, config_of=_detected) -> dict[Path, list[Diagnostic]]:
    """The checks across one run, from (source, id, text) triples: source -> diagnostics."""
    out: dict[Path, list[Diagnostic]] = {}
    for source, f in identity.duplicate_ids(items):
        severity = config_of(source).severity_of(f.code, CODES[f.code].severity)
        if severity:
            out.setdefault(source, []).append(
                Diagnostic(str(source), f.line, f.column, severity, f.code, f.message))
    return out


@dataclass
class Report:
    """One lint run: diagnostics per file, in the order the files were given."""
    files: list[Path]
    diagnostics: dict[Path, list[Diagnostic]] = field(default_factory=dict)

    def all(self) -> list[Diagnostic]:
        return [d for f in self.files for d in self.diagnostics.get(f, [])]

    def count(self, severity: str) -> int:
        return sum(1 for d in self.all() if d.severity == severity)


def _failure(source, code: str, message: str, line=None) -> Diagnostic:
    return Diagnostic(str(source), line, 1 if line else None, "error", code, message)


def lint(sources, options: Options | None = None, config: Config | None = None) -> Report:
    """Lint proposals: load each one (a file that fails becomes one diagnostic), then check
    each, then the run as a whole. `config`, when given, applies to every file."""
    options = options or Options()
    sources = [Path(s) for s in sources]
    report = Report(sources)
    loaded = []
    anchors = content.Anchors()
    for source in sources:
        try:
            doc = load(source, options)
        except ConfigError:
            raise  # the project's configuration (its process) is wrong: a usage error
        except Exception as exc:  # noqa: BLE001 - one bad file never stops the run
            message = one_line(exc, source)
            prefix = f"{source}:{getattr(exc, 'line', None)}: " \
                if getattr(exc, "line", None) else f"{source}: "
            message = message[len(prefix):] if message.startswith(prefix) else message
            code = getattr(exc, "code", None)  # a bad picture path: image-missing
            report.diagnostics[source] = [_failure(
                source, code if code in CODES else "unreadable", message,
                getattr(exc, "line", None))]
            continue
        view = View.of(doc)
        anchors.add(source, content.view_anchors(view))
        loaded.append((source, doc, view))
    for source, doc, view in loaded:
        cfg = config or for_source(source)
        try:
            report.diagnostics[source] = check(doc, cfg, anchors, view)
        except ConfigError:
            raise
        except Exception as exc:  # noqa: BLE001
            report.diagnostics[source] = [_failure(
                source, "internal-error",
                f"lint failed: {type(exc).__name__}: {exc} (please report this)")]
    of = {s: d.context.process for s, d, _ in loaded}
    across = duplicates(((s, d.record.id, d.text) for s, d, _ in loaded),
                        lambda s: (config or for_source(s)).with_process(of.get(s)))
    for source, diags in across.items():
        merged = report.diagnostics.get(source, []) + diags
        report.diagnostics[source] = sorted(merged, key=lambda d: (d.line or 0, d.column or 0))
    return report
