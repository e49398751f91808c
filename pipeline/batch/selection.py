"""Which proposals a CI run converts: those changed since a git ref (and those that link to
or include a changed file), and a deterministic share of them for one machine of a matrix."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from epdoc.pipeline.batch.cache import dependencies
from epdoc.pipeline.config import layout
from epdoc.pipeline.core import git
from epdoc.pipeline.core.errors import UsageError
from epdoc.pipeline.reading.sources import readable


def changed_files(ref: str) -> set[Path]:
    """Files changed between `ref` and the working tree (committed, staged, unstaged,
    deleted, and new untracked files), as absolute paths, in the repository that holds the
    working directory (never one found in the proposals' folders)."""
    repo = git.repository()
    if repo is None:
        raise UsageError(f"--changed-since needs a git repository, and the working directory "
                         f"{os.getcwd()} is not in one",
                         hint="run epdoc from inside the repository that holds the proposals")
    try:
        if repo.run("rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}").returncode:
            raise UsageError(f"--changed-since {ref}: no such commit, branch or tag in the "
                             f"repository {repo.work_tree}",
                             hint="fetch it first, e.g. git fetch origin main")
        names = repo.output("diff", "--no-ext-diff", "--no-textconv", "--name-only",
                            "--no-renames", "-z", ref, "--").split("\0")
        names += repo.output("ls-files", "--others", "--exclude-standard", "-z").split("\0")
    except git.GitError as exc:
        raise UsageError(exc.message, hint="--changed-since takes a commit, branch or tag "
                         "of this repository") from None
    return {Path(os.path.normpath(repo.work_tree / n)) for n in names if n}


def select_changed(sources, changed: set[Path], process: str | None = None) -> list[Path]:
    """Sources that changed, or whose sidecar (a KEP's kep.yaml) changed, or that refer to a
    changed file (a linked proposal, an image)."""
    picked = []
    for source in sources:
        path = Path(os.path.normpath(Path(source).resolve()))
        own = [path, *(Path(os.path.normpath(f.resolve()))
                       for f in [*layout.sidecars(source, process),
                                 *layout.inputs(source, process)])]
        if any(f in changed for f in own):
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
