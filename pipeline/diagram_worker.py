"""Mermaid runs in a child process (`python -m epdoc.pipeline.diagram_worker`), so a diagram
that takes too long (dagre's layout grows fast with the number of nodes, and QuickJS has no
JIT) is stopped at a time limit, and a crash of the JavaScript engine costs one diagram, never
the build. The child starts on the first diagram that is not cached and serves the rest of the
run. Protocol: one JSON object per line each way: {"source"} in, {"svg"} or {"error"} out."""

from __future__ import annotations

import atexit
import json
import os
import select
import subprocess
import sys
import threading
import time


def serve(config: dict) -> None:  # pragma: no cover - runs in the child process
    import mermaidx

    out = sys.stdout
    sys.stdout = sys.stderr  # only replies go to the parent
    for line in sys.stdin:
        try:
            source = json.loads(line)["source"]
            reply = {"svg": mermaidx.render(source, config=config).svg()}
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
            [sys.executable, "-m", "epdoc.pipeline.diagram_worker", json.dumps(self.config)],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
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
def _stop_all() -> None:
    for w in _workers.values():
        w.stop()


if __name__ == "__main__":  # pragma: no cover
    serve(json.loads(sys.argv[1]))
