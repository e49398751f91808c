"""Diagrams drawn ahead: a process of their own renders the mermaid diagrams of the proposals
about to be converted, while the workers convert the others.

Drawing a diagram takes up to a second or more (mermaid's JavaScript, see
pipeline/diagrams/worker.py), one after another in the worker converting its proposal: a
proposal with three diagrams was the longest part of a whole build. Here they are drawn from
the start into the diagram cache (pipeline/diagrams/draw.py), and a proposal with diagrams goes to
a worker once they are there, so its conversion finds them. Nothing depends on it: a diagram
not drawn ahead is drawn by the worker, as before. The diagrams are found without pandoc, by
the fences CommonMark would see, and the renderer stops as soon as the last one is drawn.
"""

from __future__ import annotations

import os
import re
import signal
import time
from pathlib import Path

from epdoc.pipeline.core import lifetime

FENCE = re.compile(rb"^[ \t>]*(?:`{3,}|~{3,})[ \t]*\{?[ \t]*\.?(?:mermaid|mmd)\b",
                   re.M | re.I)


def count_diagrams(source: Path) -> int:
    from epdoc.pipeline.reading.sources import readable

    if not readable(source):  # never read what the conversion would refuse
        return 0
    try:
        return len(FENCE.findall(Path(source).read_bytes()))
    except OSError:
        return 0


def has_diagrams(source: Path) -> bool:
    return count_diagrams(source) > 0


OPEN = re.compile(r"^( {0,3})(`{3,}|~{3,})(.*)$")


def fenced_code(text: str) -> list[tuple[str, str]]:
    """(info word, code) of each fenced code block that starts at the left margin (up to
    three spaces in), found as CommonMark finds them: a fence inside another fence is code.
    Blocks inside lists or quotes are not looked for (their worker draws them)."""
    lines = re.split(r"\r\n?|\n", text)  # CommonMark's line endings only
    if lines and lines[-1] == "":
        lines.pop()
    found = []
    i = 0
    while i < len(lines):
        m = OPEN.match(lines[i])
        i += 1
        if not m or (m.group(2)[0] == "`" and "`" in m.group(3)):
            continue
        indent, fence, info = len(m.group(1)), m.group(2), m.group(3).strip()
        close = re.compile(rf"^ {{0,3}}{re.escape(fence[0])}{{{len(fence)},}}[ \t]*$")
        body = []
        while i < len(lines) and not close.match(lines[i]):
            line = lines[i]
            body.append(line[min(indent, len(line) - len(line.lstrip(" "))):])
            i += 1
        i += 1  # the closing fence (or the end of the text, which closes it too)
        found.append((info.split()[0] if info else "", "\n".join(body)))
    return found


def diagram_sources(source: Path, options) -> list[str]:
    """The text of each mermaid code block, as the diagrams filter will render it (read
    with the same checks as the conversion, without starting pandoc)."""
    from epdoc.pipeline.diagrams.pictures import LANGS
    from epdoc.pipeline.reading.sources import read_source

    text = read_source(Path(source), options.max_input_bytes)
    return [code for info, code in fenced_code(text) if info.lower() in LANGS]


def serve(conn, options, tasks, part: int = 0, parts: int = 1, parent=None) -> None:
    """A drawing process: draw its share (every `parts`-th diagram, from the `part`-th) of
    each task's diagrams, within the proposal's --timeout; send ("start", index) when it
    begins a task and ("drawn", index, seconds) when its share is drawn; "done" at the end."""
    lifetime.die_with_parent(parent)
    if hasattr(os, "setpgid"):
        os.setpgid(0, 0)  # its own process group: stopping it stops its renderer too
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    from epdoc.pipeline.diagrams import draw as diagrams
    from epdoc.pipeline.diagrams import worker as diagram_worker

    n = 0
    budget = getattr(options, "timeout", None)  # --timeout covers a proposal's diagrams too
    for index, source in tasks:
        conn.send(("start", index))
        began = time.monotonic()
        try:
            for code in diagram_sources(source, options):
                if n % parts == part:
                    left = budget - (time.monotonic() - began) if budget else None
                    if left is None or left > 0:  # past the budget: the pool says so
                        diagrams.render(code, options, limit=left)
                n += 1
        except Exception:  # noqa: BLE001 - the worker converting it will say what is wrong
            pass
        if index == tasks[-1][0]:
            diagram_worker.stop_all()  # before its engine gets ready for a next diagram
        conn.send(("drawn", index, time.monotonic() - began))
    conn.send("done")
    conn.close()
