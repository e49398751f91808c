"""panflute filters, found by discovery: every module here with an ORDER runs, in order.

Each module follows panflute's contract (prepare/action/finalize and main(doc=None)), so it
runs in-process on a Doc and also standalone as `pandoc -F filters/<name>.py`.
"""

from __future__ import annotations

import functools
import importlib
import pkgutil


@functools.cache
def discover() -> tuple:
    mods = []
    for info in pkgutil.iter_modules(__path__):
        if info.name.startswith("_"):
            continue
        mod = importlib.import_module(f"{__name__}.{info.name}")
        if hasattr(mod, "ORDER") and hasattr(mod, "main"):
            mods.append(mod)
    return tuple(sorted(mods, key=lambda m: (m.ORDER, m.__name__)))


def run_all(doc):
    """Run every filter on `doc`, in order, in this process."""
    for mod in discover():
        doc = mod.main(doc) or doc
    return doc
