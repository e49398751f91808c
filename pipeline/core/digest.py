"""SHA-256 digests, as hex: of bytes, and of a file read in blocks (any size)."""

from __future__ import annotations

import hashlib
from pathlib import Path


def of_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def of_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()
