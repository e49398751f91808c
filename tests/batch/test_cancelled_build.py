"""A cancelled build (CI cancels with SIGKILL) takes every process it started with it, so
the next build into the same folder is not left waiting for a lock a survivor holds."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

from helpers import CORPUS, EXAMPLES, ROOT, corpus_files, run_epdoc


def marked(mark: str) -> list[int]:
    """Live processes whose environment carries `mark` (every descendant inherits it)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            if mark.encode() in (entry / "environ").read_bytes():
                state = (entry / "stat").read_text().rsplit(")", 1)[1].split()[0]
                if state != "Z":
                    found.append(int(entry.name))
        except OSError:
            continue
    return found


def test_killing_the_build_kills_its_workers_and_the_next_build_runs(tmp_path):
    src = tmp_path / "proposals"
    shutil.copytree(EXAMPLES, src)
    for f in corpus_files():
        shutil.copy(f, src / f.name)
    if (CORPUS / "images").is_dir():
        shutil.copytree(CORPUS / "images", src / "images", dirs_exist_ok=True)
    mark = f"epdoc-cancel-{uuid.uuid4().hex}"
    env = {**os.environ, "EPDOC_TEST_MARK": mark, "EPDOC_CACHE": str(tmp_path / "user")}
    env.pop("GITHUB_ACTIONS", None)
    cmd = [sys.executable, "-m", "epdoc.pipeline.cli", "build", str(src), "-o",
           str(tmp_path / "out"), "-j", "2", "-q"]
    build = subprocess.Popen(cmd, env=env, cwd=ROOT.parent, stdout=subprocess.DEVNULL,
                             stderr=subprocess.DEVNULL, start_new_session=True)
    deadline = time.monotonic() + 120
    seen: list[int] = []
    while len(seen) < 3 and time.monotonic() < deadline and build.poll() is None:
        time.sleep(0.05)  # the build and at least two processes it started (some short-lived:
        seen = marked(mark)  # what was seen at once counts, not a second look)
    assert build.poll() is None, "the build ended before it could be cancelled"
    assert len(seen) >= 3
    time.sleep(1.0)  # well into converting
    os.kill(build.pid, signal.SIGKILL)
    build.wait()
    deadline = time.monotonic() + 2
    while marked(mark) and time.monotonic() < deadline:
        time.sleep(0.05)
    survivors = marked(mark)
    for pid in survivors:  # leave nothing behind for other tests, then fail
        try:
            os.kill(pid, signal.SIGKILL)
        except OSError:
            pass
    assert not survivors, f"{len(survivors)} processes outlived the killed build"
    again = run_epdoc("build", src, "-o", tmp_path / "out", "-j", "2", timeout=300,
                      env={"EPDOC_CACHE": str(tmp_path / "user")})
    assert "waiting for another" not in again.stderr
    assert again.returncode == 0, again.stderr
    assert "0 failed" in again.stdout or "failed" not in again.stdout
    for f in src.glob("*.md"):
        if f.name != "README.md":
            for ext in ("html", "pdf", "docx"):
                assert (tmp_path / "out" / f"{f.stem}.{ext}").is_file(), f"{f.stem}.{ext}"
