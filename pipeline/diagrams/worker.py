"""Mermaid runs in a child process (`python -m epdoc.pipeline.diagrams.worker`), so a diagram
that takes too long (dagre's layout grows fast with the number of nodes) is stopped at a time
limit, and a crash of the JavaScript engine costs one diagram, never the build. The child
starts on the first diagram that is not cached and serves the rest of the run. Protocol: one
JSON object per line each way: {"source"} in, {"svg"} or {"error"} out.

mermaid.js runs in V8 (mermaidx's V8 engine, the mini-racer package): its JIT draws a diagram
2-4x faster than QuickJS, with the same SVG. V8 runs in a child of this child; the parent's
time limit stops both (SIGTERM, then SIGKILL). QuickJS draws what V8 cannot: the diagram types
whose JavaScript never stops scheduling work in V8 (mindmap, architecture), and any diagram V8
failed on, so an error message always comes from the same engine.
EPDOC_DIAGRAM_ENGINE=quickjs draws everything with QuickJS."""

from __future__ import annotations

import atexit
import json
import multiprocessing
import os
import re
import select
import signal
import subprocess
import sys
import threading
import time

from epdoc.pipeline.core import lifetime, settings

# diagram types V8 cannot finish (mermaidx.engines.v8_engine): drawn by QuickJS directly
QUICKJS_ONLY = re.compile(r"^[ \t]*(mindmap|architecture(-beta)?)\b", re.M | re.I)
UNBOUNDED_MS = 86_400_000  # V8 has no limit of its own: the parent's time limit stops it

_v8 = {"engine": None, "broken": False}


def _v8_engine():
    """This process's V8 engine (started on first use), or None where V8 cannot start."""
    if _v8["engine"] is None and not _v8["broken"]:
        try:
            from mermaidx.engines.v8_engine import Engine

            engine = Engine(render_timeout_ms=UNBOUNDED_MS)
            engine.start()
            _v8["engine"] = engine
        except Exception:  # noqa: BLE001 - no mini-racer, or V8 would not start: QuickJS
            _v8["broken"] = True
    return _v8["engine"]


def draw(source: str, config: dict, v8: bool = True) -> str:
    """The SVG mermaid draws for `source` (raises with mermaid's message)."""
    import mermaidx

    engine = _v8_engine() if v8 and not QUICKJS_ONLY.search(source) else None
    if engine is not None:
        try:
            return engine.render_svg(source, "default", config, None)
        except Exception:  # noqa: BLE001 - QuickJS draws it or says what is wrong
            pass
    return mermaidx.render(source, config=config, backend="quickjs").svg()


def _stop(signum, frame) -> None:  # pragma: no cover - runs in the child process
    for child in multiprocessing.active_children():  # V8 runs in a child of its own
        child.kill()
    os._exit(1)


def serve(config: dict) -> None:  # pragma: no cover - runs in the child process
    signal.signal(signal.SIGTERM, _stop)
    v8 = (settings.env("EPDOC_DIAGRAM_ENGINE") or "v8") != "quickjs"
    out = sys.stdout
    sys.stdout = sys.stderr  # only replies go to the parent
    for line in sys.stdin:
        try:
            source = json.loads(line)["source"]
            reply = {"svg": draw(source, config, v8)}
        except Exception as exc:  # noqa: BLE001 - every failure goes back as text
            reply = {"error": str(exc) or type(exc).__name__}
        out.write(json.dumps(reply) + "\n")
        out.flush()


class Worker:
    def __init__(self, config: dict):
        self.config = config
        self.proc: subprocess.Popen | None = None
        self.lock = threading.Lock()
        self._buffer = b""

    def _start(self) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "epdoc.pipeline.diagrams.worker", json.dumps(self.config)],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
            preexec_fn=lifetime.child_setup())
        self._buffer = b""

    def stop(self) -> None:
        proc, self.proc = self.proc, None
        if proc is None:
            return
        for stream in (proc.stdin, proc.stdout):
            try:
                stream.close()
            except OSError:
                pass
        if proc.poll() is None:
            proc.terminate()  # it stops its V8 process first
            try:
                proc.wait(1)
            except subprocess.TimeoutExpired:
                proc.kill()
        try:
            proc.wait(5)
        except subprocess.TimeoutExpired:
            pass

    def _read_line(self, deadline: float) -> bytes | None:
        """One reply line, or None when the deadline passes first."""
        fd = self.proc.stdout.fileno()
        while b"\n" not in self._buffer:
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([fd], [], [], left)[0]:
                return None
            chunk = os.read(fd, 1 << 16)
            if not chunk:
                raise EOFError
            self._buffer += chunk
        line, _, self._buffer = self._buffer.partition(b"\n")
        return line

    def render(self, source: str, timeout: float) -> tuple[str | None, str | None]:
        """(svg, None) or (None, why not)."""
        with self.lock:
            if self.proc is None or self.proc.poll() is not None:
                self.stop()
                self._start()
            try:
                self.proc.stdin.write((json.dumps({"source": source}) + "\n").encode("utf-8"))
                self.proc.stdin.flush()
                line = self._read_line(time.monotonic() + timeout)
            except (EOFError, OSError):
                self.stop()
                return None, "the diagram renderer stopped while drawing it"
            if line is None:
                self.stop()
                return None, f"drawing it took longer than {timeout:g} s"
            reply = json.loads(line)
            return (reply["svg"], None) if "svg" in reply else (None, reply["error"])


_workers: dict[str, Worker] = {}


def worker(config: dict) -> Worker:
    key = json.dumps(config, sort_keys=True)
    if key not in _workers:
        _workers[key] = Worker(config)
    return _workers[key]


@atexit.register
def stop_all() -> None:
    for w in _workers.values():
        w.stop()


if __name__ == "__main__":  # pragma: no cover
    serve(json.loads(sys.argv[1]))
