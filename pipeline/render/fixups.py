"""Format-specific fix-ups, applied to a copy of the normalized AST just before writing.

Register with `@fixup("html", "pdf")`; each gets (doc, document, options) and edits doc.
"""

from __future__ import annotations

FIXUPS: dict[str, list] = {}


def fixup(*formats):
    def register(func):
        for fmt in formats:
            FIXUPS.setdefault(fmt, []).append(func)
        return func
    return register


def apply(doc, document, fmt: str, options) -> None:
    for func in FIXUPS.get(fmt, []):
        func(doc, document, options)
