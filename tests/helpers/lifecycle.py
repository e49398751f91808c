"""A real git repository of proposals (tests/fixtures/lifecycle) for new, status, approvals."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from helpers import FIXTURES

LIFE = FIXTURES / "lifecycle"
EPOCH = "1767225600"  # 2026-01-01, the date status and new write
DAY = "2026-01-01"


def git(repo, *args) -> subprocess.CompletedProcess:
    return subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True, text=True)


def make_repo(folder: Path) -> Path:
    """`folder` as a repository holding the fixture proposals, committed, user.name set."""
    shutil.copytree(LIFE, folder, dirs_exist_ok=True)
    git(folder, "init", "-q")
    git(folder, "config", "user.name", "Ada Lovelace")
    git(folder, "config", "user.email", "ada@example.org")
    git(folder, "add", ".")
    git(folder, "commit", "-q", "-m", "proposals")
    return folder
