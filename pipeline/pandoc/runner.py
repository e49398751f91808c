"""Running pandoc (the binary shipped by pypandoc-binary) with limits and typed errors."""

from __future__ import annotations

import functools
import importlib.util
import json
import os
import re
import subprocess
from pathlib import Path

from epdoc.pipeline.core import settings
from epdoc.pipeline.core.errors import LimitError, PandocError
from epdoc.pipeline.pandoc import server as pandoc_server

READER = "gfm+sourcepos"
READ_ARGS = ("--sandbox", "-f", READER, "-t", "json")  # markdown as pandoc's JSON AST
DEFAULT_MEMORY = settings.PANDOC_MEMORY
DEFAULT_TIMEOUT = settings.TIMEOUT


@functools.cache
def executable() -> str:
    """The pandoc pypandoc-binary ships (the pinned one), unless PYPANDOC_PANDOC names
    another; pypandoc's own search would take a newer pandoc found on PATH."""
    spec = importlib.util.find_spec("pypandoc")  # found, not imported: start-up stays light
    bundled = Path(spec.origin).parent / "files" / "pandoc"
    if not settings.env("PYPANDOC_PANDOC") and os.access(bundled, os.X_OK):
        return str(bundled)
    import pypandoc

    return pypandoc.get_pandoc_path()


@functools.cache
def version() -> str:
    out = subprocess.run([executable(), "--version"], capture_output=True, text=True,
                         check=True, timeout=60).stdout
    return re.match(r"\S+\s+([\d.]+)", out).group(1)


def start(memory: str = DEFAULT_MEMORY) -> None:
    """Start the long-lived pandoc now (when it is used): it gets ready while the caller
    imports what it needs, instead of after."""
    if pandoc_server.enabled():
        pandoc_server.start(executable(), memory)


def read_ahead(text: str, memory: str = DEFAULT_MEMORY) -> None:
    """Send `text` to the long-lived pandoc now, as read_markdown() will: pandoc parses it
    while the caller imports what reads the answer, and read_markdown(text) takes it."""
    if not pandoc_server.enabled():
        return
    req = pandoc_server.plan(executable(), list(READ_ARGS))
    if req is not None:
        srv = pandoc_server.server(executable(), memory, req.pop("syntaxes", None))
        srv.send(req, text.encode("utf-8"))


def run(args: list[str], data: bytes, path=None, *, memory: str = DEFAULT_MEMORY,
        timeout: float = DEFAULT_TIMEOUT) -> bytes:
    """Run pandoc on `data` (stdin) and return stdout; raise PandocError or LimitError.

    Conversions epdoc makes go to this process's long-lived pandoc (pandoc_server.py);
    other command lines start a pandoc process of their own."""
    req = pandoc_server.plan(executable(), args) if pandoc_server.enabled() else None
    if req is not None:
        return _serve(req, args, data, path, memory, timeout)
    cmd = [executable(), "+RTS", f"-M{memory}", "-RTS", *args]
    try:
        proc = subprocess.run(cmd, input=data, capture_output=True, timeout=timeout, check=False)
    except subprocess.TimeoutExpired:
        raise LimitError(
            f"pandoc took longer than the time limit of {timeout:g} s", path,
            hint="raise it with --timeout"
        ) from None
    stderr = proc.stderr.decode("utf-8", "replace").strip()
    if proc.returncode != 0:
        if "heap overflow" in stderr or proc.returncode == 251:
            raise LimitError(
                f"pandoc needed more than its memory limit of {memory}", path,
                hint="raise it with --pandoc-memory",
            )
        raise _error(stderr, cmd, proc.returncode, path)
    return proc.stdout


YAML_RE = re.compile(r"YAML parse exception at line (\d+), column \d+,?\s*(.*)", re.S)


class FrontMatterError(PandocError):
    """pandoc could not parse the YAML front matter (the rest may still be read)."""


def _error(stderr: str, cmd, code: int, path) -> PandocError:
    """A one-line, located message from pandoc's stderr."""
    m = YAML_RE.search(stderr)
    if m:
        detail = " ".join(m.group(2).split())
        err = FrontMatterError(f"the YAML front matter does not parse: {detail}", cmd, code,
                               stderr, path=path)
        err.detail = detail
        err.line = int(m.group(1)) + 1  # YAML lines start after the opening ---
        err.hint = "fix the YAML between the --- lines"
        return err
    detail = " ".join(stderr.split()) or f"exit code {code}"
    return PandocError(f"pandoc could not convert it: {detail[:300]}", cmd, code, stderr,
                       path=path)


def _serve(req: dict, args, data: bytes, path, memory: str, timeout: float) -> bytes:
    cmd = [executable(), *args]
    try:
        srv = pandoc_server.server(executable(), memory, req.pop("syntaxes", None))
        return srv.request(req, data, timeout)
    except pandoc_server.TimedOut:
        raise LimitError(
            f"pandoc took longer than the time limit of {timeout:g} s", path,
            hint="raise it with --timeout"
        ) from None
    except pandoc_server.Crashed as e:
        if "heap overflow" in e.stderr or "Heap exhausted" in e.stderr or e.returncode == 251:
            raise LimitError(
                f"pandoc needed more than its memory limit of {memory}", path,
                hint="raise it with --pandoc-memory",
            ) from None
        raise _error(e.stderr, cmd, e.returncode, path) from None
    except pandoc_server.Failed as e:
        raise _error(str(e).strip(), cmd, 1, path) from None


def read_markdown(text: str, path=None, **limits) -> dict:
    """Parse GitHub markdown once into pandoc's JSON AST, with source positions."""
    out = run(list(READ_ARGS), text.encode("utf-8"), path, **limits)
    return json.loads(out)
