"""The one place epdoc runs git.

Only in the repository that holds the working directory epdoc was started in, found once by
looking for `.git` upwards from there: a folder that a proposal brought (a planted `HEAD`,
`objects/`, `config`) is never taken for a repository. git gets `--git-dir` and `--work-tree`
explicitly, no system or global configuration, no hooks, no fsmonitor, no pager, no external
diff or text conversion, so nothing in the tree makes it run a program.
"""

from __future__ import annotations

import datetime as dt
import functools
import os
import subprocess
from dataclasses import dataclass
from pathlib import Path

from epdoc.pipeline.core.errors import EpdocError

# command-line settings beat every configuration file git still reads (the repository's own)
SAFE_CONFIG = (
    "core.fsmonitor=false",
    "core.hooksPath=/dev/null",
    "safe.bareRepository=explicit",
    "core.pager=cat",
    "core.untrackedCache=false",
    "protocol.allow=never",
    "credential.helper=",
)


class GitError(EpdocError):
    """git is missing, or a git command failed."""


def environment() -> dict[str, str]:
    """The caller's environment without git's own variables, and no outside configuration."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    env.update(GIT_CONFIG_NOSYSTEM="1", GIT_CONFIG_GLOBAL=os.devnull, GIT_ATTR_NOSYSTEM="1",
               GIT_TERMINAL_PROMPT="0", GIT_OPTIONAL_LOCKS="0", GIT_PAGER="cat",
               GIT_NO_REPLACE_OBJECTS="1", PAGER="cat", LC_ALL="C")
    return env


def _git_dir(folder: Path) -> Path | None:
    """`folder/.git` as a repository's git folder (a folder, or a file `gitdir: PATH`)."""
    dot = folder / ".git"
    if dot.is_dir():
        return dot if (dot / "HEAD").is_file() else None
    if dot.is_file():
        try:
            line = dot.read_text(encoding="utf-8", errors="replace").strip()
        except OSError:
            return None
        if line.startswith("gitdir:"):
            target = Path(os.path.normpath(folder / line[len("gitdir:"):].strip()))
            return target if (target / "HEAD").is_file() else None
    return None


@dataclass(frozen=True)
class Repository:
    git_dir: Path
    work_tree: Path

    def run(self, *args: str, timeout: float = 120,
            binary: bool = False) -> subprocess.CompletedProcess:
        cmd = ["git", "--no-pager", f"--git-dir={self.git_dir}",
               f"--work-tree={self.work_tree}"]
        for setting in SAFE_CONFIG:
            cmd += ["-c", setting]
        try:
            return subprocess.run([*cmd, *args], cwd=self.work_tree, env=environment(),
                                  stdin=subprocess.DEVNULL, capture_output=True,
                                  text=not binary,
                                  timeout=timeout, check=False)
        except FileNotFoundError:
            raise GitError("git is not installed", hint="install git, or leave out the "
                           "option that needs it") from None
        except subprocess.TimeoutExpired:
            raise GitError(f"git {args[0]} took longer than {timeout:g} s",
                           self.work_tree) from None

    def output(self, *args: str) -> str:
        """stdout of a git command that must succeed."""
        proc = self.run(*args)
        if proc.returncode != 0:
            first = (proc.stderr.strip().splitlines() or [f"exit code {proc.returncode}"])[0]
            raise GitError(f"git {args[0]} failed: {first}", self.work_tree)
        return proc.stdout

    def optional(self, *args: str) -> str | None:
        """stdout (stripped) of a git command, or None when it fails or git is missing."""
        try:
            proc = self.run(*args, timeout=20)
        except GitError:
            return None
        return proc.stdout.strip() if proc.returncode == 0 else None

    def relative(self, path: Path) -> str | None:
        """`path` relative to the work tree (POSIX), or None when it lies outside."""
        real = Path(os.path.realpath(path))
        try:
            return real.relative_to(self.work_tree).as_posix()
        except ValueError:
            return None


    def commit(self, rev: str) -> Commit | None:
        """The commit `rev` names (a branch, tag, commit, `origin/main`), or None when there
        is none; `rev` is never read as an option or a path."""
        if not rev or rev.startswith("-"):
            return None
        proc = self.run("rev-parse", "--verify", "--quiet", "--end-of-options",
                        f"{rev}^{{commit}}")
        if proc.returncode != 0:
            return None
        sha = proc.stdout.strip()
        return _commit(self.output("show", "-s", "--no-show-signature", f"--format={FORMAT}",
                                   sha, "--").rstrip("\n"))

    def size(self, sha: str, path: str) -> int | None:
        """Bytes of the file `path` at commit `sha`, None when it is not there."""
        proc = self.run("cat-file", "-s", f"{sha}:{path}")
        return int(proc.stdout.strip()) if proc.returncode == 0 else None

    def blob(self, sha: str, path: str) -> bytes:
        """The bytes of the file `path` at commit `sha` as stored (no filters, no textconv)."""
        proc = self.run("cat-file", "blob", f"{sha}:{path}", binary=True)
        if proc.returncode != 0:
            raise GitError(f"git cat-file failed for {path} at {sha[:12]}", self.work_tree)
        return proc.stdout

    def files(self, sha: str, folder: str) -> list[str]:
        """The files under `folder` (relative, POSIX; "" for all) at commit `sha`."""
        out = self.output("ls-tree", "-r", "-z", "--name-only", "--full-tree", sha, "--",
                          folder or ".")
        return [n for n in out.split("\0") if n]

    def changes(self, since: str, path: str, limit: int) -> list[Change]:
        """The commits after `since` up to HEAD that changed `path`, renames followed, newest
        first, at most `limit` + 1 of them (the caller tells "too many")."""
        out = self.output("log", "--follow", "--name-status", "-M", "--no-ext-diff",
                          "--no-textconv", "--no-show-signature", f"--max-count={limit + 1}",
                          f"--format=%x01{FORMAT}", f"{since}..HEAD", "--", path)
        found = []
        for entry in out.split("\x01")[1:]:
            head, _, names = entry.partition("\n")
            status, old, new = "", path, path
            for line in names.splitlines():
                parts = line.split("\t")
                if len(parts) >= 2 and parts[0]:
                    status, old, new = parts[0][0], parts[1], parts[-1]
            found.append(Change(_commit(head), status, old, new))
        return found

    def blame(self, since: str, path: str) -> dict[int, Commit]:
        """Source line (1-based) -> the commit after `since` that wrote it, for the working
        tree's `path`; lines written before `since` are left out, uncommitted ones are under
        the commit with no sha."""
        out = self.output("blame", "--porcelain", "-w", "--no-progress", "--no-textconv",
                          f"{since}..", "--", path)
        commits: dict[str, dict[str, str]] = {}
        lines: dict[int, Commit] = {}
        sha, line = "", 0
        for row in out.splitlines():
            if row.startswith("\t"):
                info = commits[sha]
                if "boundary" not in info:
                    uncommitted = set(sha) == {"0"}
                    lines[line] = Commit("" if uncommitted else sha, info.get("author", ""),
                                         _iso(info.get("author-time"), info.get("author-tz")),
                                         info.get("summary", ""))
                continue
            parts = row.split(" ")
            if len(parts) >= 3 and len(parts[0]) in (40, 64) and parts[1].isdigit():
                sha, line = parts[0], int(parts[2])
                commits.setdefault(sha, {})
            elif parts[0] in ("author", "author-time", "author-tz", "summary"):
                commits[sha][parts[0]] = row.partition(" ")[2]
            elif parts[0] == "boundary":
                commits[sha]["boundary"] = "1"
        return lines


FORMAT = "%H%x00%an%x00%aI%x00%s"


@dataclass(frozen=True)
class Commit:
    sha: str  # "" for changes not committed yet
    author: str
    date: str  # ISO 8601 with its offset
    subject: str = ""

    @property
    def short(self) -> str:
        return self.sha[:12]


@dataclass(frozen=True)
class Change:
    """One commit's change to a file: status A(dded), M(odified), R(enamed), D(eleted)..."""

    commit: Commit
    status: str
    old_path: str
    new_path: str


def _commit(line: str) -> Commit:
    sha, author, date, subject = (line.split("\0") + ["", "", "", ""])[:4]
    return Commit(sha.strip(), author, date.strip(), subject)


def _iso(seconds: str | None, tz: str | None) -> str:
    """`git blame`'s author-time and author-tz as ISO 8601."""
    try:
        sign = -1 if (tz or "+0000").startswith("-") else 1
        digits = (tz or "+0000")[1:]
        offset = dt.timedelta(hours=int(digits[:2]), minutes=int(digits[2:])) * sign
        return dt.datetime.fromtimestamp(int(seconds or 0), dt.timezone(offset)).isoformat()
    except (ValueError, OverflowError):
        return ""


@functools.lru_cache(maxsize=8)
def _find(cwd: str) -> Repository | None:
    folder = Path(os.path.realpath(cwd))
    for candidate in (folder, *folder.parents):
        git_dir = _git_dir(candidate)
        if git_dir is not None:
            return Repository(Path(os.path.realpath(git_dir)), candidate)
    return None


def repository() -> Repository | None:
    """The repository holding the working directory, or None."""
    try:
        return _find(os.getcwd())
    except OSError:
        return None


def user_name() -> str | None:
    """`git config user.name` as the user set it (the repository's, else their own global
    one), or None. Only this read sees the user's global configuration: nothing it reads
    can make git run a program."""
    repo = repository()
    cmd = ["git", "--no-pager"]
    if repo is not None:
        cmd += [f"--git-dir={repo.git_dir}"]
    env = environment()
    env.pop("GIT_CONFIG_GLOBAL", None)
    try:
        proc = subprocess.run([*cmd, "config", "--get", "user.name"], env=env,
                              cwd=repo.work_tree if repo else None, stdin=subprocess.DEVNULL,
                              capture_output=True, text=True, timeout=30, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return None
    name = proc.stdout.strip() if proc.returncode == 0 else ""
    return name or None
