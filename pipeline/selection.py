"""Which proposals a CI run converts: those changed since a git ref (and those that link to
or include a changed file), and a deterministic share of them for one machine of a matrix."""

from __future__ import annotations

import hashlib
import os
import subprocess
from pathlib import Path

from .cache import dependencies
from .errors import UsageError
from .sources import readable


def _git(args, cwd: Path) -> str:
    try:
        proc = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True,
                              timeout=120, check=False)
    except FileNotFoundError:
        raise UsageError("--changed-since needs git, which is not installed") from None
    if proc.returncode != 0:
        first = (proc.stderr.strip().splitlines() or [f"exit code {proc.returncode}"])[0]
        raise UsageError(f"git {' '.join(args)} failed: {first}",
                         hint="--changed-since takes a commit, branch or tag of this repository")
    return proc.stdout


def changed_files(ref: str, where: Path) -> set[Path]:
    """Files changed between `ref` and the working tree (committed, staged, unstaged,
    deleted, and new untracked files), as absolute paths."""
    where = Path(where).resolve()
    if where.is_file():
        where = where.parent
    top = Path(_git(["rev-parse", "--show-toplevel"], where).strip())
    _git(["rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}"], top)
    names = _git(["diff", "--name-only", "--no-renames", "-z", ref, "--"], top).split("\0")
    names += _git(["ls-files", "--others", "--exclude-standard", "-z"], top).split("\0")
    return {Path(os.path.normpath(top / n)) for n in names if n}


def select_changed(sources, changed: set[Path]) -> list[Path]:
    """Sources that changed, or that refer to a changed file (a linked proposal, an image)."""
    picked = []
    for source in sources:
        path = Path(os.path.normpath(Path(source).resolve()))
        if path in changed:
            picked.append(source)
            continue
        if not readable(Path(source)):
            picked.append(source)  # read nothing a conversion refuses: the build reports it
            continue
        try:
            text = Path(source).read_text(encoding="utf-8", errors="replace")
        except OSError:
            picked.append(source)  # let the build report it
            continue
        if any(dep in changed for dep in dependencies(Path(source), text)):
            picked.append(source)
    return picked


def parse_shard(value: str) -> tuple[int, int]:
    """'K/N' -> (K, N) with 1 <= K <= N."""
    try:
        k, n = (int(x) for x in value.split("/"))
    except ValueError:
        raise UsageError(f"--shard takes K/N, like 1/4; got {value!r}") from None
    if n < 1 or not 1 <= k <= n:
        raise UsageError(f"--shard {value}: K must be between 1 and N")
    return k, n


def shard_of(source: Path, n: int) -> int:
    """The shard (1..n) a source belongs to: a hash of its path as given, so every machine
    of a matrix agrees, and adding a proposal moves no other one."""
    path = Path(source)
    if path.is_absolute():
        try:
            path = path.relative_to(Path.cwd())
        except ValueError:
            pass
    name = path.as_posix()
    return int(hashlib.sha256(name.encode()).hexdigest(), 16) % n + 1


def select_shard(sources, k: int, n: int) -> list[Path]:
    return [s for s in sources if shard_of(s, n) == k]
