"""SHA-256 of archived files, and SHA256SUMS in the coreutils format (so `sha256sum -c`
checks an archive without epdoc)."""

from __future__ import annotations

import re
from pathlib import Path

from epdoc.pipeline.core.digest import of_bytes, of_file

sha256, file_sha256 = of_bytes, of_file


def _escape(path: str) -> tuple[str, str]:
    if "\\" in path or "\n" in path or "\r" in path:
        return "\\", path.replace("\\", "\\\\").replace("\n", "\\n").replace("\r", "\\r")
    return "", path


def _unescape(path: str) -> str:
    return re.sub(r"\\(.)", lambda m: {"n": "\n", "r": "\r"}.get(m.group(1), m.group(1)), path)


def sums_lines(entries) -> str:
    out = []
    for path, digest in entries:
        prefix, name = _escape(path)
        out.append(f"{prefix}{digest}  {name}\n")
    return "".join(out)


def read_sums(path: Path) -> dict[str, str]:
    sums: dict[str, str] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        escaped = line.startswith("\\")
        if escaped:
            line = line[1:]
        digest, _, name = line.partition("  ")
        sums[_unescape(name) if escaped else name] = digest
    return sums
