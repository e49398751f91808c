"""One long-lived pandoc process per worker (pandoc_worker.lua), serving many conversions.

Starting pandoc and loading its highlighting definitions costs about 0.4 s; paying it once
per worker instead of once per call is most of what makes a batch fast. `plan(args)`
translates the command lines epdoc uses into requests; anything it does not know runs as a
plain pandoc process instead, so results never depend on which path was taken. The process
is a pandoc command line (with the theme's --syntax-definition files) whose custom writer
serves requests, so it highlights exactly as the command does.
"""

from __future__ import annotations

import atexit
import functools
import json
import os
import select
import subprocess
import tempfile
import threading
import time
from pathlib import Path

from epdoc.pipeline.core import lifetime, settings

SCRIPT = Path(__file__).with_name("worker.lua")
BINARY = {"docx", "odt", "epub", "epub2", "epub3", "pptx"}
BUILTIN_STYLES = {"pygments", "kate", "monochrome", "breezedark", "espresso", "zenburn",
                  "haddock", "tango"}


class Crashed(Exception):
    """The pandoc process died while converting (returncode, stderr tail)."""

    def __init__(self, returncode: int, stderr: str):
        super().__init__(stderr)
        self.returncode = returncode
        self.stderr = stderr


class TimedOut(Exception):
    pass


class Failed(Exception):
    """pandoc reported an error for this input (the process lives on)."""


def enabled() -> bool:
    return settings.env("EPDOC_PANDOC_SERVER") != "0"


@functools.cache
def _style(executable: str, name: str):
    out = subprocess.run([executable, "--print-highlight-style", name], capture_output=True,
                         check=True, timeout=60).stdout
    return json.loads(out)


def _highlight(executable: str, value: str):
    if value in ("none", "default", "idiomatic"):
        return value
    if value.lower() in BUILTIN_STYLES:
        return _style(executable, value)
    path = Path(value)
    if path.suffix == ".theme" and path.is_file():
        return json.loads(path.read_text(encoding="utf-8"))
    return None


def plan(executable: str, args: list[str]) -> dict | None:
    """A request for `args`, or None when they need a real pandoc command line."""
    req: dict = {"sandbox": False}
    it = iter(args)
    for arg in it:
        name, eq, value = arg.partition("=")
        if name in ("-f", "--from", "-r", "--read", "-t", "--to", "-w", "--write", "-o",
                    "--output") and not eq:
            value = next(it, None)
            if value is None:
                return None
        if name in ("-f", "--from", "-r", "--read"):
            req["from"] = value
        elif name in ("-t", "--to", "-w", "--write"):
            req["to"] = value
        elif name in ("-o", "--output"):
            if value != "-":
                return None
        elif arg == "--sandbox":
            req["sandbox"] = True
        elif name == "--template" and eq:
            req["template"] = str(Path(value).resolve())
        elif name in ("--syntax-highlighting", "--highlight-style") and eq:
            style = _highlight(executable, value)
            if style is None:
                return None
            req["highlight"] = style
        elif arg == "--no-highlight":
            req["highlight"] = "none"
        elif arg == "--mathml":
            req["math"] = "mathml"
        elif name == "--wrap" and eq and value in ("auto", "none", "preserve"):
            req["wrap"] = value
        elif name == "--reference-doc" and eq:
            req["reference_doc"] = str(Path(value).resolve())
        elif name == "--resource-path" and eq:
            req["resource_path"] = value.split(os.pathsep)
        elif name == "--syntax-definition" and eq:
            if not Path(value).is_file():
                return None
            req.setdefault("syntaxes", []).append(str(Path(value).resolve()))
        else:
            return None
    if "from" not in req or "to" not in req or req["to"] in ("pdf", "-"):
        return None
    return req


def _base(fmt: str) -> str:
    return fmt.split("+")[0].split("-")[0].lower()


RUNTIME_BYTES = 64 << 20  # what pandoc's process holds besides its heap


def _bytes(size: str) -> int:
    """An RTS size (`1024m`, `2g`, `512k`, bytes) in bytes."""
    size = size.strip().lower()
    unit = {"k": 1 << 10, "m": 1 << 20, "g": 1 << 30}.get(size[-1:], 1)
    try:
        return int(float(size.rstrip("kmg")) * unit)
    except ValueError:
        return 1 << 62


class Server:
    """`pandoc lua pandoc_worker.lua`, started on first use, restarted after a crash."""

    def __init__(self, executable: str, memory: str, syntaxes: tuple[str, ...] = ()):
        self.syntaxes = syntaxes
        self.cmd = [executable, "+RTS", f"-M{memory}", "-RTS",
                    *(f"--syntax-definition={p}" for p in syntaxes),
                    "-f", "markdown", "-t", str(SCRIPT), "-o", os.devnull, "--", os.devnull]
        self.limit = _bytes(memory) + RUNTIME_BYTES
        self.proc: subprocess.Popen | None = None
        self.stderr = None
        self.lock = threading.Lock()
        self.ahead: bytes | None = None  # a request written by send(), its reply not read

    def _start(self) -> None:
        self.stderr = tempfile.TemporaryFile()
        self.proc = subprocess.Popen(self.cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=self.stderr, preexec_fn=lifetime.child_setup())

    def _discard(self) -> Crashed:
        """Kill the process (if still alive) and forget it; what it said, as an error."""
        proc, self.proc = self.proc, None
        self.ahead = None
        try:
            proc.kill()
        except OSError:
            pass
        _reap(proc, 5)
        for pipe in (proc.stdin, proc.stdout):
            try:
                pipe.close()
            except OSError:
                pass
        tail = ""
        if self.stderr:
            self.stderr.seek(0)
            tail = self.stderr.read()[-4000:].decode("utf-8", "replace").strip()
            self.stderr.close()
            self.stderr = None
        return Crashed(proc.returncode, tail)

    def _resident(self) -> int:
        """Resident memory of the pandoc process in bytes (0 where /proc is missing)."""
        try:
            with open(f"/proc/{self.proc.pid}/status", encoding="ascii") as f:
                for line in f:
                    if line.startswith("VmRSS:"):
                        return int(line.split()[1]) * 1024
        except (OSError, ValueError, AttributeError):
            pass
        return 0

    def close(self) -> None:
        if self.proc is None:
            return
        try:
            self.proc.stdin.close()
            self.proc.wait(timeout=2)
        except (OSError, subprocess.TimeoutExpired):
            pass
        self._discard()

    def _fill(self, fd: int, buf: bytearray, deadline: float) -> None:
        """Append what pandoc has written to `buf`, waiting until the deadline."""
        over_since = None
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimedOut
            if select.select([fd], [], [], min(left, 0.5))[0]:
                break
            # `pandoc lua` does not stop at +RTS -M: the heap overflow goes to the thread
            # running Lua, which never gets it, and the conversion collects garbage at the
            # limit forever. Resident memory above the limit for 2 s is that state.
            if self._resident() > self.limit:
                over_since = over_since or time.monotonic()
                if time.monotonic() - over_since >= 2:
                    crash = self._discard()
                    raise Crashed(251, f"{crash.stderr}\npandoc: heap overflow".strip())
            else:
                over_since = None
        chunk = os.read(fd, 1 << 20)
        if not chunk:
            raise self._discard()
        buf += chunk

    def _reply(self, deadline: float) -> tuple[dict, bytes]:
        fd = self.proc.stdout.fileno()
        buf = bytearray()
        while b"\n" not in buf:
            self._fill(fd, buf, deadline)
        line, _, rest = bytes(buf).partition(b"\n")
        reply = json.loads(line)
        body = bytearray(rest)
        while len(body) < reply["len"]:
            self._fill(fd, body, deadline)
        return reply, bytes(body)

    def _write(self, message: bytes) -> None:
        if self.proc is not None and self.proc.poll() is not None:
            self._discard()
        if self.proc is None:
            self._start()
        self.stderr.seek(0)
        self.stderr.truncate()
        try:
            self.proc.stdin.write(message)
            self.proc.stdin.flush()
        except BrokenPipeError:
            raise self._discard() from None

    def send(self, req: dict, data: bytes) -> None:
        """Write a request now, without waiting: pandoc converts while the caller goes on
        (importing what reads the answer), and the request() asking the same takes its
        reply. One at a time; nothing happens when one is already waiting."""
        with self.lock:
            if self.ahead is not None:
                return
            message = _message(req, data)
            try:
                self._write(message)
            except Crashed:
                return  # the request() to come starts a new pandoc and says what failed
            self.ahead = message

    def request(self, req: dict, data: bytes, timeout: float) -> bytes:
        with self.lock:
            message = _message(req, data)
            ahead, self.ahead = self.ahead, None
            if ahead is not None and ahead != message:
                try:  # a request sent ahead that nobody asked for: its reply is dropped
                    self._reply(time.monotonic() + timeout)
                except TimedOut:
                    self._discard()
                except Crashed:
                    pass  # discarded already: _write() starts another
                ahead = None
            if ahead is None:
                self._write(message)
            try:
                reply, body = self._reply(time.monotonic() + timeout)
            except TimedOut:
                self._discard()
                raise
            if not reply["ok"]:
                raise Failed(reply.get("error") or "conversion failed")
            if not body.endswith(b"\n") and _base(req["to"]) not in BINARY:
                body += b"\n"  # as the pandoc command writes text
            return body


def _reap(proc: subprocess.Popen, timeout: float) -> None:
    """Wait (up to `timeout`) for a killed process to end and collect it. Linux tells the
    moment it ends (a pidfd); Popen.wait's timeout polls, sleeping up to 50 ms at a time."""
    try:
        fd = os.pidfd_open(proc.pid)
    except (AttributeError, OSError):
        fd = None
    if fd is not None:
        try:
            select.select([fd], [], [], timeout)
        finally:
            os.close(fd)
    try:
        proc.wait(timeout=timeout if fd is None else 0.5)
    except subprocess.TimeoutExpired:
        pass


def _message(req: dict, data: bytes) -> bytes:
    return json.dumps({**req, "len": len(data)}).encode() + b"\n" + data


_servers: dict[tuple[int, str, str], Server] = {}
_preferred: tuple[str, ...] = ()


def prefer(executable: str, args) -> None:
    """Start this process's server with the syntax definitions among `args` (the ones the
    conversions to come will ask for), so that reading first does not start one without."""
    global _preferred
    req = plan(executable, ["-f", "json", "-t", "html", *args])
    _preferred = tuple(req.get("syntaxes", ())) if req else ()


def start(executable: str, memory: str) -> None:
    """Start this process's server now, without waiting for it: pandoc starts up while
    Python goes on importing, and a quick command's first conversion finds it ready."""
    srv = server(executable, memory)
    with srv.lock:
        if srv.proc is None:
            srv._start()


def server(executable: str, memory: str, syntaxes=None) -> Server:
    """This process's server (a forked child never shares its parent's). `syntaxes`: the
    syntax definitions it must have (None: any will do); another set replaces it."""
    key = (os.getpid(), executable, memory)
    for other in [k for k in _servers if k[0] != os.getpid()]:
        del _servers[other]  # inherited through fork: the parent's, not ours
    srv = _servers.get(key)
    if srv is None or (syntaxes is not None and srv.syntaxes != tuple(syntaxes)):
        if srv is not None:
            srv.close()
        srv = _servers[key] = Server(executable, memory,
                                     tuple(syntaxes) if syntaxes is not None else _preferred)
    return srv


@atexit.register
def close_all() -> None:
    """End this process's pandoc servers. Nothing waits on them any more, so each is killed
    and reaped, not closed: pandoc takes 30 to 60 ms to exit once its input ends, all of it
    on the clock of a quick command (`epdoc lint` in a pre-commit hook)."""
    for key, srv in list(_servers.items()):
        if key[0] == os.getpid() and srv.proc is not None:
            srv._discard()
