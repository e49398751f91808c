"""The older version of a proposal, read from git (pipeline/core/git.py, the one place git
runs): the revision asked for, the file's path then (renames followed), its text, and who
changed it since."""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass, field
from pathlib import Path

from epdoc.pipeline.core import git, settings
from epdoc.pipeline.core.errors import InputError, LimitError, UsageError
from epdoc.pipeline.reading.sources import BIDI_RE, CONTROL_RE, SKIP_NAMES, refused

NOT_COMMITTED = "Not committed yet"  # the author of changes in the working tree (as git blame)


@dataclass
class Base:
    """What the proposals are compared with: a commit of the repository."""

    ref: str
    repo: git.Repository
    commit: git.Commit

    @property
    def label(self) -> str:
        return f"{self.ref} ({self.commit.short}, {self.commit.date[:10]})"


@dataclass
class Version:
    """One proposal at the base: its path then and its text (None: new since)."""

    path: str  # relative to the work tree, at the base
    text: str | None
    renamed_from: str | None = None
    commits: list[git.Commit] = field(default_factory=list)  # since the base, newest first
    changes: list[git.Change] = field(default_factory=list)  # the same, with the paths
    uncommitted: bool = False  # the working tree differs from HEAD


def resolve(ref: str) -> Base:
    repo = git.repository()
    if repo is None:
        raise UsageError(f"--since needs a git repository, and the working directory "
                         f"{os.getcwd()} is not in one",
                         hint="run epdoc from inside the repository that holds the proposals, "
                         "or compare two files with --against OLD.md")
    try:
        commit = repo.commit(ref)
    except git.GitError as exc:
        raise UsageError(exc.message, hint=exc.hint or "is git installed?") from None
    if commit is None:
        raise UsageError(f"--since {ref}: no such commit, branch or tag in the repository "
                         f"{repo.work_tree}", hint="fetch it first (e.g. git fetch origin "
                         "main), or give a commit, branch or tag of this repository")
    return Base(ref, repo, commit)


def relative(base: Base, source: Path) -> str:
    rel = base.repo.relative(source)
    if rel is None:
        raise InputError(f"not inside the git repository {base.repo.work_tree}", source,
                         hint="run epdoc from the repository that holds it, or compare two "
                         "files with --against OLD.md")
    return rel


def version(base: Base, source: Path, max_bytes: int) -> Version:
    """`source` as it was at the base, renames followed; text None when it is new since."""
    repo, rel = base.repo, relative(base, source)
    limit = settings.REDLINE_MAX_COMMITS
    changes = repo.changes(base.commit.sha, rel, limit)
    if len(changes) > limit:
        raise LimitError(f"more than {limit} commits changed it since {base.ref}", source,
                         hint="choose a later --since revision")
    path, renamed = rel, None
    for change in changes:  # newest first: walk the name back to the base
        if change.status == "R" and change.new_path == path:
            path = change.old_path
            renamed = path
    size = repo.size(base.commit.sha, path)
    result = Version(path, None, renamed, [c.commit for c in changes], changes,
                     uncommitted=_uncommitted(repo, rel, source))
    if size is None:
        return result
    if size > max_bytes:
        raise LimitError(f"at {base.ref} it is {size} bytes, over the input size limit of "
                         f"{max_bytes}", source, hint="raise it with --max-input-bytes")
    result.text = text_of(repo.blob(base.commit.sha, path), source, base.ref)
    return result


def _uncommitted(repo: git.Repository, rel: str, source: Path) -> bool:
    size = repo.size("HEAD", rel)
    if size is None:
        return True
    try:
        return Path(source).read_bytes() != repo.blob("HEAD", rel)
    except (OSError, git.GitError):
        return True


def text_of(data: bytes, source: Path, ref: str) -> str:
    """The older version's text, checked as a proposal's source is (reading/sources.py)."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        text = None
    if text is None or "\x00" in text:
        raise InputError(f"at {ref} it is not text (a binary file)", source,
                         hint="compare text versions only: give a later --since revision, or "
                         "an older markdown file with --against OLD.md")
    m = CONTROL_RE.search(text) or BIDI_RE.search(text)
    if m:
        err = refused(m.group(), source, text[: m.start()].count("\n") + 1)
        err.message = f"at {ref}: {err.message}"
        raise err
    return text.replace("\r\n", "\n").replace("\r", "\n")


def deleted(base: Base, folders: list[Path], kept: set[str]) -> list[str]:
    """Proposals in `folders` at the base that are gone now (not renamed to one of `kept`)."""
    gone = []
    for folder in folders:
        rel = base.repo.relative(folder)
        if rel is None:
            continue
        for name in base.repo.files(base.commit.sha, "" if rel == "." else rel):
            parts = Path(name).relative_to(rel).parts if rel not in ("", ".") else \
                Path(name).parts
            if not name.endswith(".md") or Path(name).name.lower() in SKIP_NAMES \
                    or any(p.startswith((".", "_")) for p in parts):
                continue
            if name not in kept and not (base.repo.work_tree / name).exists():
                gone.append(name)
    return sorted(set(gone))


def authors(base: Base, source: Path, found: Version, now: dt.datetime):
    """`line -> commit` (who wrote each line since the base) and the commit deletions are
    given (the newest change: the working tree's, else the newest commit)."""
    working = git.Commit("", NOT_COMMITTED, now.isoformat(timespec="seconds"))
    latest = working if found.uncommitted or not found.commits else found.commits[0]
    try:
        lines = base.repo.blame(base.commit.sha, relative(base, source))
    except git.GitError:
        lines = {}
    lines = {n: (c if c.sha else working) for n, c in lines.items()}
    return lines, latest


def versions(base: Base, source: Path, found: Version, now: dt.datetime):
    """`(commit, text)` of the proposal after each commit since the base, oldest first, the
    working tree's last when it differs from HEAD; the newest REDLINE_MAX_VERSIONS only."""
    out = []
    repo = base.repo
    paths = {change.commit.sha: change for change in found.changes}
    for commit in reversed(found.commits[:settings.REDLINE_MAX_VERSIONS]):
        change = paths.get(commit.sha)
        if change is None or change.status == "D":
            continue
        try:
            out.append((commit, repo.blob(commit.sha, change.new_path).decode("utf-8",
                                                                              "replace")))
        except git.GitError:
            continue
    if found.uncommitted:
        text = Path(source).read_text(encoding="utf-8", errors="replace")
        out.append((git.Commit("", NOT_COMMITTED, now.isoformat(timespec="seconds")), text))
    return out
