"""Running pandoc (the binary shipped by pypandoc-binary) with limits and typed errors."""

from __future__ import annotations

import functools
import json
import subprocess

import pypandoc

from .errors import LimitError, PandocError

READER = "gfm+sourcepos"
DEFAULT_MEMORY = "1024m"
DEFAULT_TIMEOUT = 120.0


@functools.cache
def executable() -> str:
    return pypandoc.get_pandoc_path()


@functools.cache
def version() -> str:
    return pypandoc.get_pandoc_version()


def run(args: list[str], data: bytes, path=None, *, memory: str = DEFAULT_MEMORY,
        timeout: float = DEFAULT_TIMEOUT) -> bytes:
    """Run pandoc on `data` (stdin) and return stdout; raise PandocError or LimitError."""
    cmd = [executable(), "+RTS", f"-M{memory}", "-RTS", *args]
    try:
        proc = subprocess.run(cmd, input=data, capture_output=True, timeout=timeout, check=False)
    except subprocess.TimeoutExpired:
        raise LimitError(
            f"pandoc took longer than {timeout:g} s", path, hint="raise it with --timeout"
        ) from None
    stderr = proc.stderr.decode("utf-8", "replace").strip()
    if proc.returncode != 0:
        if "heap overflow" in stderr or proc.returncode == 251:
            raise LimitError(
                f"pandoc needed more than {memory} of memory", path,
                hint="raise it with --pandoc-memory",
            )
        first = stderr.splitlines()[0] if stderr else f"exit code {proc.returncode}"
        raise PandocError(f"pandoc could not convert it: {first}", cmd, proc.returncode,
                          stderr, path=path)
    return proc.stdout


def read_markdown(text: str, path=None, **limits) -> dict:
    """Parse GitHub markdown once into pandoc's JSON AST, with source positions."""
    out = run(["--sandbox", "-f", READER, "-t", "json"], text.encode("utf-8"), path, **limits)
    return json.loads(out)
