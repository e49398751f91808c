"""panflute filters: pure steps on the AST, run in the order of PIPELINE.

Each module follows panflute's contract (prepare/action/finalize and main(doc=None)), so it
runs in-process on a Doc and also standalone as `pandoc -F filters/<name>.py`. What a format
needs afterwards lives with that format (pipeline/render/<format>/fixups.py).
"""

from __future__ import annotations

from epdoc.filters import (
    alerts,
    approvals,
    comments,
    diagrams,
    formulas,
    images,
    links,
    metadata,
    tables,
    tasks,
    toc,
    untrusted,
)

# the order matters: untrusted content goes first; metadata before anything that reads the
# record; pictures are checked before diagrams become pictures; the contents come last
PIPELINE = (untrusted, comments, metadata, approvals, alerts, tasks, formulas, images, diagrams,
            links, tables, toc)


def discover() -> tuple:
    """Every filter, in the order they run."""
    return PIPELINE


def run_all(doc):
    """Run every filter on `doc`, in order, in this process."""
    for mod in PIPELINE:
        doc = mod.main(doc) or doc
    return doc
