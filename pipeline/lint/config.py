"""Lint configuration: `[tool.epdoc.lint]` (or `[tool.epdoc]`) in pyproject.toml, or `[lint]`
(or the top level) in an epdoc.toml.

The nearest file wins, looking from the proposal's folder upwards; an epdoc.toml beats a
pyproject.toml in the same folder, and a pyproject.toml without `[tool.epdoc]` is skipped.
"""

from __future__ import annotations

import difflib
import functools
import re
from dataclasses import dataclass, field, replace
from pathlib import Path

from epdoc.pipeline.config import project
from epdoc.pipeline.config.project import ConfigError
from epdoc.pipeline.core.diagnostics import SEVERITIES
from epdoc.pipeline.core.record import STATUSES
from epdoc.pipeline.lint.codes import CODES

DEFAULT_SECTIONS = (
    "Summary", "Problem Statement", "Goals", "Non-Goals", "Proposed Solution", "Testing Strategy",
)
# other names real proposals give the default sections (KEP style, the Kepler EPs, ...)
DEFAULT_ALIASES = {
    "Summary": ("Abstract", "Overview", "Executive Summary", "TL;DR"),
    "Problem Statement": ("Problem", "Problems", "Motivation", "Background", "Rationale",
                          "Problem Description", "The Problem", "Context"),
    "Goals": ("Objectives", "Goals and Non-Goals", "Goals / Non-Goals"),
    "Non-Goals": ("Non Goals", "NonGoals", "Out of Scope", "Goals and Non-Goals",
                  "Goals / Non-Goals"),
    "Proposed Solution": ("Solution", "Proposal", "Design", "Proposed Design", "Detailed Design",
                          "Design Details", "Approach", "Specification"),
    "Testing Strategy": ("Testing", "Test Plan", "Testing Plan", "Test Strategy", "Tests",
                         "Validation", "Verification"),
}
LINT_KEYS = {"statuses", "required-sections", "aliases", "disable", "severity", "known-keys"}
SEVERITY_WORDS = (*SEVERITIES, "off")


@dataclass(frozen=True)
class Config:
    statuses: tuple[str, ...] = STATUSES
    sections: tuple[tuple[str, tuple[str, ...]], ...] = tuple(
        (name, DEFAULT_ALIASES.get(name, ())) for name in DEFAULT_SECTIONS)
    disabled: frozenset[str] = frozenset()
    severity: dict[str, str] = field(default_factory=dict)
    known_keys: frozenset[str] = frozenset()
    origin: Path | None = None
    explicit: frozenset[str] = frozenset()  # settings the file gives (statuses, sections)
    # from the proposal's process (config/process.py): what metadata it requires, whether
    # it has a status at all, the other date forms it reads
    required: tuple[str, ...] = ("status", "authors", "created")
    status_required: bool = True
    # section -> the statuses (lower case) from which it is required (process data)
    sections_from: tuple[tuple[str, tuple[str, ...]], ...] = ()
    date_formats: tuple[str, ...] = ()
    process: str = "ep"

    def with_process(self, proc) -> Config:
        """This configuration for a proposal of process `proc`: its statuses, sections and
        keys, unless this file names its own."""
        if proc is None or proc.name == self.process and self.process != "ep":
            return self
        changes = {"required": proc.required, "status_required": proc.status_required,
                   "date_formats": proc.date_formats, "process": proc.name,
                   "known_keys": self.known_keys | frozenset(proc.known_keys)}
        for code in proc.lint_severity:
            _code(code, proc.origin, "", "lint.severity")
        changes["severity"] = {**proc.lint_severity, **self.severity}  # the project's win
        if "statuses" not in self.explicit:
            changes["statuses"] = proc.statuses
        if "required-sections" not in self.explicit and proc.sections_set:
            changes["sections"] = proc.sections
            changes["sections_from"] = proc.sections_from
        return replace(self, **changes)

    def severity_of(self, code: str, default: str) -> str | None:
        """The severity to report `code` with, or None when it is turned off."""
        if code in self.disabled:
            return None
        sev = self.severity.get(code)
        if sev is None:
            known = CODES.get(code)
            sev = known.severity if known else default
        return None if sev == "off" else sev


DEFAULT = Config()


def _line_of(text: str, key: str) -> int | None:
    for i, line in enumerate(text.splitlines(), 1):
        if re.match(rf'\s*"?{re.escape(key)}"?\s*=', line):
            return i
    return None


def _suggest(word: str, choices) -> str:
    close = difflib.get_close_matches(word, list(choices), n=1)
    return f" (did you mean {close[0]}?)" if close else ""


def _strings(value, name, path, text) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise ConfigError(f"{name} must be a list of non-empty strings", path,
                          _line_of(text, name))
    return [v.strip() for v in value]


def _code(code, path, text, key) -> str:
    if code not in CODES:
        raise ConfigError(f"unknown rule code {code!r} in {key}{_suggest(code, CODES)}", path,
                          _line_of(text, key), hint="`epdoc lint --list-rules` lists the codes")
    return code


def from_table(table: dict, path: Path | None = None, text: str = "") -> Config:
    """A Config from the lint table (the contents of `[tool.epdoc.lint]`)."""
    if not isinstance(table, dict):
        raise ConfigError("the lint settings must be a table", path)
    for key in table:
        if key not in LINT_KEYS:
            raise ConfigError(f"unknown lint setting {key!r}{_suggest(key, LINT_KEYS)}", path,
                              _line_of(text, key))
    statuses = tuple(_strings(table["statuses"], "statuses", path, text)) \
        if "statuses" in table else STATUSES
    names = _strings(table["required-sections"], "required-sections", path, text) \
        if "required-sections" in table else list(DEFAULT_SECTIONS)
    aliases = {n: list(DEFAULT_ALIASES.get(n, ())) for n in names}
    extra = table.get("aliases", {})
    if not isinstance(extra, dict):
        raise ConfigError("aliases must be a table: section name = [other names]", path,
                          _line_of(text, "aliases"))
    for name, more in extra.items():
        if name not in aliases:
            raise ConfigError(f"aliases names {name!r}, which is not a required section"
                              f"{_suggest(name, aliases)}", path, _line_of(text, name))
        aliases[name] += _strings(more, f"aliases.{name}", path, text)
    disabled = frozenset(_code(c, path, text, "disable")
                         for c in _strings(table.get("disable", []), "disable", path, text))
    severity = table.get("severity", {})
    if not isinstance(severity, dict):
        raise ConfigError("severity must be a table: code = \"error\"|\"warning\"|\"info\"|\"off\"",
                          path, _line_of(text, "severity"))
    for code, sev in severity.items():
        _code(code, path, text, code)
        if sev not in SEVERITY_WORDS:
            raise ConfigError(f"severity of {code} must be one of {', '.join(SEVERITY_WORDS)}, "
                              f"not {sev!r}", path, _line_of(text, code))
    known = _strings(table.get("known-keys", []), "known-keys", path, text)
    return Config(
        statuses=statuses,
        sections=tuple((n, tuple(dict.fromkeys(aliases[n]))) for n in names),
        disabled=disabled,
        severity=dict(severity),
        known_keys=frozenset(fold_key(k) for k in known),
        origin=path,
        explicit=frozenset(k for k in ("statuses", "required-sections") if k in table),
    )


def fold_key(key: str) -> str:
    return re.sub(r"[\s_\-]+", " ", key.strip().strip(":").strip().lower())


@functools.lru_cache(maxsize=64)
def _from_file(found: project.ProjectFile) -> Config:
    table, path, text = found.table, found.path, found.text
    # lint settings go in a `lint` table, or straight in [tool.epdoc] / at the top of epdoc.toml
    lint = {k: v for k, v in table.items() if k in LINT_KEYS}
    inner = table.get("lint", {})
    if not isinstance(inner, dict):
        raise ConfigError("lint must be a table", path, _line_of(text, "lint"))
    lint.update(inner)
    return from_table(lint, path, text)


def load_file(path) -> Config:
    """The lint configuration in one file (epdoc.toml or pyproject.toml)."""
    path = Path(path).resolve()
    if not path.is_file():
        raise ConfigError("configuration file not found", path)
    try:
        found = project.read(path)
    except OSError as e:
        raise ConfigError(f"cannot read it: {e.strerror or e}", path) from None
    return _from_file(found) if found else Config(origin=path)


def for_source(source) -> Config:
    """The configuration that applies to a proposal: the nearest file above it, or defaults."""
    found = project.nearest(source)
    return _from_file(found) if found else DEFAULT
