"""epdoc lint: what reviewers catch by hand, as located diagnostics.

Each rule module is a pure generator of Findings (code, line, column, message) over a View
of one loaded proposal; `check` turns them into Diagnostics with the configured severities,
together with what the filters reported while loading (image-missing, ...). `lint` runs a
batch: every file checked, then the checks across files (the same id used twice).

Imported lazily (`__getattr__`): `from epdoc.pipeline.lint import output` stays light, which
keeps the build's start-up and up-to-date runs quick.
"""

from __future__ import annotations

import importlib

__all__ = ["CODES", "Code", "Config", "ConfigError", "Finding", "Report", "check",
           "duplicates", "findings", "lint", "load_file"]


def __getattr__(name: str):
    if name in __all__ or name == "RULES":
        return getattr(importlib.import_module("epdoc.pipeline.lint.run"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
