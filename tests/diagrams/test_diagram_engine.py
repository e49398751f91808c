"""Diagrams drawn in V8, with QuickJS for what V8 cannot draw, and found ahead without pandoc."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest

from epdoc.pipeline.batch import ahead as prefetch
from epdoc.pipeline.diagrams.draw import CONFIG
from epdoc.pipeline.diagrams.worker import QUICKJS_ONLY, Worker
from epdoc.pipeline.pandoc import runner as pandoc

from helpers import EXAMPLES, corpus_files

FLOW = "flowchart LR\n  A[Write the proposal] --> B{Reviewed?}\n  B -->|yes| C[Approve]"
CLASS = ("classDiagram\n  class Proposal {\n    +String id\n    +approve() void\n  }\n"
         "  Proposal <|-- Enhancement")

FENCES = {
    "plain": "```mermaid\ngraph TD\n  A-->B\n```\n",
    "indented": "  ```mermaid\n  graph TD\n    A-->B\n  ```\n",
    "inside a longer fence": "````md\n```mermaid\nx\n```\n````\n",
    "tildes with more info": "~~~ mermaid extra\nflow\n~~~~\n",
    "never closed": "```mermaid\nunclosed\n",
    "backtick in the info": "```mer`maid\nx\n```\n",
    "closing fence too short": "````mermaid\na\n```\nb\n````\n",
    "four spaces is not a fence": "    ```mermaid\n    x\n    ```\n",
    "windows line endings": "```mermaid\r\ngraph TD\r\n  A-->B\r\n```\r\n",
    "a line separator is not a line end": "```mermaid\ngraph TD\n  A[x\u2028y]-->B\n```\n",
}


def pandoc_diagrams(text: str) -> list[str]:
    found = []
    for block in pandoc.read_markdown(text, "x.md")["blocks"]:
        if block["t"] == "CodeBlock":
            (_, classes, _), code = block["c"]
            if classes and classes[0] == "mermaid":
                found.append(code)
    return found


def scanned_diagrams(text: str) -> list[str]:
    return [code for info, code in prefetch.fenced_code(text) if info == "mermaid"]


@pytest.mark.parametrize("name", sorted(FENCES))
def test_fences_are_found_as_pandoc_finds_them(name):
    text = FENCES[name]
    assert scanned_diagrams(text) == pandoc_diagrams(text)


def test_fences_of_real_proposals_are_found_as_pandoc_finds_them():
    files = sorted(EXAMPLES.glob("*.md")) + corpus_files()
    assert any("```mermaid" in f.read_text() for f in files)
    for f in files:
        text = f.read_text(encoding="utf-8")
        assert scanned_diagrams(text) == pandoc_diagrams(text), f.name


def drawn(engine: str, source: str, monkeypatch, timeout: float = 60) -> tuple:
    monkeypatch.setenv("EPDOC_DIAGRAM_ENGINE", engine)
    worker = Worker(CONFIG)
    try:
        return worker.render(source, timeout)
    finally:
        worker.stop()


def test_v8_draws_the_same_svg_as_quickjs(monkeypatch):
    for source in (FLOW, CLASS):
        v8, error = drawn("v8", source, monkeypatch)
        assert error is None and v8.startswith("<svg")
        quickjs, error = drawn("quickjs", source, monkeypatch)
        assert error is None
        assert v8 == quickjs


def test_class_diagrams_come_out_the_same_on_every_run(monkeypatch):
    first, _ = drawn("v8", CLASS, monkeypatch)
    again, _ = drawn("v8", CLASS, monkeypatch)
    assert first == again and "Enhancement" in first


def test_diagrams_v8_cannot_finish_go_to_quickjs(monkeypatch):
    assert QUICKJS_ONLY.search("mindmap\n  root((x))")
    assert QUICKJS_ONLY.search("---\ntitle: t\n---\narchitecture-beta\n  group api(cloud)[API]")
    assert not QUICKJS_ONLY.search(FLOW)
    svg, error = drawn("v8", "mindmap\n  root((Central idea))\n    Origins", monkeypatch)
    assert error is None and "Central" in svg and "Origins" in svg


def test_an_error_reads_the_same_with_either_engine(monkeypatch):
    broken = "flowchart LR\n  A --> \n  (("
    _, v8 = drawn("v8", broken, monkeypatch)
    _, quickjs = drawn("quickjs", broken, monkeypatch)
    assert v8 and v8 == quickjs and "Parse error" in v8


def _children(pid: int) -> set[int]:
    try:
        text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
    except OSError:
        return set()
    return {int(p) for p in text.split()}


def _alive(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat[stat.rindex(")") + 2] not in "ZX"


def test_a_diagram_stopped_at_its_time_limit_leaves_no_process(monkeypatch):
    monkeypatch.setenv("EPDOC_DIAGRAM_ENGINE", "v8")
    huge = "flowchart TD\n" + "\n".join(f"  N{i} --> N{i + 1}" for i in range(400))
    worker = Worker(CONFIG)
    seen: set[int] = set()
    done = threading.Event()

    def watch():
        while not done.is_set():
            proc = worker.proc
            if proc is not None:
                seen.add(proc.pid)
                seen.update(_children(proc.pid))
            time.sleep(0.05)

    watcher = threading.Thread(target=watch)
    watcher.start()
    try:
        svg, error = worker.render(huge, 2)
    finally:
        done.set()
        watcher.join()
        worker.stop()
    assert svg is None and "took longer than 2 s" in error
    assert len(seen) >= 2, "the V8 process was never seen"
    deadline = time.monotonic() + 5
    while any(_alive(p) for p in seen) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert [p for p in seen if _alive(p)] == []
