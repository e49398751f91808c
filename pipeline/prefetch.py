"""Diagrams drawn ahead: a process of their own renders the mermaid diagrams of the proposals
about to be converted, while the workers convert the others.

Drawing a diagram (mermaid in QuickJS) takes one to three seconds, one after another in the
worker converting its proposal: a proposal with three diagrams was the longest part of a whole
build. Here they are drawn from the start into the diagram cache (pipeline/diagrams.py), and a
proposal with diagrams goes to a worker once they are there, so its conversion finds them.
Nothing depends on it: a diagram not drawn ahead is drawn by the worker, as before.
"""

from __future__ import annotations

import os
import re
import signal
from pathlib import Path

FENCE = re.compile(rb"^[ \t>]*(?:`{3,}|~{3,})[ \t]*\{?[ \t]*\.?(?:mermaid|mmd)\b",
                   re.M | re.I)


def count_diagrams(source: Path) -> int:
    from .sources import readable

    if not readable(source):  # never read what the conversion would refuse
        return 0
    try:
        return len(FENCE.findall(Path(source).read_bytes()))
    except OSError:
        return 0


def has_diagrams(source: Path) -> bool:
    return count_diagrams(source) > 0


def diagram_sources(source: Path, options) -> list[str]:
    """The text of each mermaid code block, as the diagrams filter will render it."""
    from epdoc.filters.diagrams import LANGS

    from . import pandoc
    from .sources import read_source

    text = read_source(Path(source), options.max_input_bytes)
    ast = pandoc.read_markdown(text, source, **options.pandoc_limits)
    found = []

    def visit(node):
        if isinstance(node, dict):
            if node.get("t") == "CodeBlock":
                (_, classes, _), code = node["c"]
                if classes and classes[0].lower() in LANGS:
                    found.append(code)
            else:
                visit(node.get("c"))
        elif isinstance(node, list):
            for item in node:
                visit(item)

    visit(ast.get("blocks", []))
    return found


def serve(conn, options, tasks, part: int = 0, parts: int = 1) -> None:
    """A drawing process: draw its share (every `parts`-th diagram, from the `part`-th) of
    each task's diagrams, then send the task's index; "done" at the end."""
    if hasattr(os, "setpgid"):
        os.setpgid(0, 0)  # its own process group: stopping it stops its renderer too
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    os.environ["EPDOC_PANDOC_SERVER"] = "0"  # one quick pandoc read per proposal is enough
    from . import diagrams

    n = 0
    for index, source in tasks:
        try:
            for code in diagram_sources(source, options):
                if n % parts == part:
                    diagrams.render(code, options)
                n += 1
        except Exception:  # noqa: BLE001 - the worker converting it will say what is wrong
            pass
        conn.send(index)
    conn.send("done")
    conn.close()
