"""Atomic writes: a temporary file in the target folder, then a rename."""

from __future__ import annotations

import contextlib
import errno
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


def write_new(target: Path, data: bytes) -> None:
    """Create `target` with `data`, all or nothing, never over a file that is there: a
    temporary file beside it, then a hard link (which fails when the name is taken)."""
    target = Path(target)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.chmod(tmp, 0o644)
        try:
            os.link(tmp, target)
        except OSError as e:
            if e.errno in (errno.EPERM, errno.ENOTSUP, errno.EXDEV):  # no hard links here
                with open(target, "xb") as f:  # O_EXCL: still never over a file
                    f.write(data)
            else:
                raise _about(e, tmp, target) from None
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)


def replace_keeping_mode(target: Path, data: bytes) -> None:
    """Write `data` over `target` atomically, keeping its permissions."""
    target = Path(target)
    mode = target.stat().st_mode & 0o7777
    with atomic_path(target) as tmp:
        tmp.write_bytes(data)
    os.chmod(target, mode)
