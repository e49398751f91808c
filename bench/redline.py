"""The redline measure of `make bench`: the real corpus committed to a fresh git repository,
every proposal edited (a word changed, a sentence added), committed again, and
`epdoc redline --since HEAD~1` timed over all of it, all formats (time per proposal)."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import time
from pathlib import Path

from epdoc.pipeline.reading.sources import discover

GIT_ENV = {"GIT_CONFIG_NOSYSTEM": "1", "GIT_CONFIG_GLOBAL": os.devnull,
           "GIT_AUTHOR_NAME": "bench", "GIT_AUTHOR_EMAIL": "bench@example.org",
           "GIT_COMMITTER_NAME": "bench", "GIT_COMMITTER_EMAIL": "bench@example.org"}


def _git(repo: Path, *args: str) -> None:
    env = {**{k: v for k, v in os.environ.items() if not k.startswith("GIT_")}, **GIT_ENV}
    subprocess.run(["git", "-C", str(repo), *args], env=env, check=True, capture_output=True)


def edit(text: str) -> str:
    """One word changed in the first paragraph that has a ' the ', one sentence added."""
    return re.sub(r"(?m)^([A-Z][^\n|#>`-]*?) the ", r"\1 a ", text, count=1) + \
        "\nOne sentence added for the review.\n"


def measure(folders, work: Path, epdoc_cmd: list[str]) -> dict:
    repo = work / "redline-repo"
    for folder in folders:
        shutil.copytree(folder, repo / folder.name)
    _git(repo, "init", "-q")
    _git(repo, "add", ".")
    _git(repo, "commit", "-q", "-m", "corpus")
    files = discover([repo / f.name for f in folders])
    for f in files:
        f.write_text(edit(f.read_text(encoding="utf-8")), encoding="utf-8")
    _git(repo, "commit", "-q", "-am", "edited")
    env = dict(os.environ, EPDOC_CACHE=str(work / "redline-usercache"))
    t = time.perf_counter()
    proc = subprocess.run([*epdoc_cmd, "redline", *(f.name for f in folders), "--since",
                           "HEAD~1", "-o", str(work / "redline-out"), "-q", "--report",
                           str(work / "redline.json")], cwd=repo, env=env,
                          capture_output=True, text=True)
    seconds = time.perf_counter() - t
    data = json.loads((work / "redline.json").read_text())
    done = [p for p in data["proposals"] if p["state"] in ("changed", "new")]
    failed = [p for p in data["proposals"] if p["state"] == "failed"]
    if proc.returncode or failed:
        print(f"  warning: redline failed for {len(failed)}: "
              f"{[p.get('error') for p in failed[:3]]}")
    per = seconds / max(1, len(done))
    print(f"  redline (all formats) of {len(done)} edited proposals: {seconds:.1f} s, "
          f"{per:.2f} s per proposal", flush=True)
    return {"redline": seconds, "redline_proposals": len(done), "redline_per_proposal": per}
