"""md-to-pdf for `make bench`: the npm tool (marked, then headless Chromium) that the speed
issue compares epdoc's PDF-only build with. Installed at a pinned version into the bench's
temporary folder, without Puppeteer's own browser: it runs the system Chromium. One command
converts up to 20 files with one browser (all at once), writing each PDF next to its source,
so each run converts a fresh copy of the corpus."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import time
from pathlib import Path

VERSION = "5.2.5"
BATCH = 20
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]


def install(work: Path) -> tuple[list[str] | None, str]:
    """The md-to-pdf command (with the system Chromium), or None and why not."""
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    npm = shutil.which("npm")
    if not npm or not chromium:
        return None, "md-to-pdf skipped: " + " and ".join(
            name for name, found in (("npm", npm), ("chromium", chromium)) if not found) + \
            " not found"
    prefix = work / "md-to-pdf"
    env = dict(os.environ, PUPPETEER_SKIP_DOWNLOAD="1", PUPPETEER_SKIP_CHROMIUM_DOWNLOAD="1")
    try:
        proc = subprocess.run([npm, "install", "--no-audit", "--no-fund", "--prefix", str(prefix),
                               f"md-to-pdf@{VERSION}"], env=env, capture_output=True, text=True,
                              timeout=600)
        failed = proc.returncode != 0 and next(  # npm's first line: "npm error code ENOTFOUND"
            (line for line in proc.stderr.splitlines() if line.startswith("npm error")),
            f"exit code {proc.returncode}")
    except subprocess.TimeoutExpired:
        failed = "timed out"
    exe = prefix / "node_modules" / ".bin" / "md-to-pdf"
    if failed or not exe.exists():
        return None, f"md-to-pdf skipped: npm install md-to-pdf@{VERSION} failed ({failed})"
    launch = {"executablePath": chromium, "args": CHROMIUM_ARGS}
    return [str(exe), "--launch-options", json.dumps(launch)], \
        f"md-to-pdf {VERSION} with {chromium}"


def run(cmd: list[str], folders, files, dest: Path) -> tuple[float, int, list[Path]]:
    """Convert `files` (found in `folders`) from a fresh copy in `dest`, cold: (seconds, files
    converted a second time, the PDFs written)."""
    copies = []
    for folder in folders:
        shutil.copytree(folder, dest / folder.name)
        copies += [dest / folder.name / f.relative_to(folder) for f in files
                   if f.is_relative_to(folder)]
    t = time.perf_counter()
    _convert(cmd, copies, dest)
    missing = [c for c in copies if not c.with_suffix(".pdf").exists()]
    _convert(cmd, missing, dest)  # its page loads can time out on a busy machine: once more
    seconds = time.perf_counter() - t
    return seconds, len(missing), [c.with_suffix(".pdf") for c in copies
                                   if c.with_suffix(".pdf").exists()]


def _convert(cmd: list[str], files: list[Path], dest: Path) -> None:
    """md-to-pdf opens all the files of a command at once, each page loading within 30 s:
    more than about 20 at once time out, so commands of BATCH files, one after the other
    (two at once were slower on two cores). Relative paths: md-to-pdf serves its working
    directory (its --basedir) to Chromium."""
    for i in range(0, len(files), BATCH):
        args = [str(f.relative_to(dest)) for f in files[i:i + BATCH]]
        subprocess.run([*cmd, *args], cwd=dest, capture_output=True, stdin=subprocess.DEVNULL)
