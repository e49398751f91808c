"""Atomic writes: a temporary file in the target folder, then a rename."""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path


@contextlib.contextmanager
def atomic_path(target: Path):
    """Yield a temporary path beside `target`; rename it over `target` on success."""
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    except OSError as e:
        raise _about(e, None, target) from None
    os.close(fd)
    tmp = Path(tmp)
    try:
        yield tmp
        os.chmod(tmp, 0o644)
        os.replace(tmp, target)
    except OSError as e:
        raise _about(e, tmp, target) from None
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()


def _about(e: OSError, tmp: Path | None, target: Path) -> OSError:
    """`e` naming `target` where it names the temporary file or nothing (a full disk while
    writing), so the one-line error says which file could not be written."""
    if e.filename is None or tmp is None or str(e.filename) == str(tmp):
        e.filename = str(target)
    return e


def write_bytes(target: Path, data: bytes) -> None:
    with atomic_path(target) as tmp:
        tmp.write_bytes(data)


def write_text(target: Path, text: str) -> None:
    write_bytes(target, text.encode("utf-8"))
