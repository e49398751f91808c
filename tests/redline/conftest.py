"""A real git repository with several revisions of proposals, and one redline run over it
(all formats, built once for the folder's tests)."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

from helpers import run_epdoc

V1 = """\
# EP-042: Widget Frobnication

**Status:** Draft
**Authors:** Ann Example

## Summary

The widget frobnicates the gadget quickly. It also logs every call to the
audit trail. The audit trail is kept for ninety days. The end.

## Motivation

This paragraph is long enough that it will be re-wrapped in a later version of the
file without any change to its words at all, which must not count as a change.

| Option | Default |
|--------|---------|
| speed  | fast    |
| color  | red     |

## Alternatives

We considered doing nothing at all, which is always an option worth weighing first;
keeping the old gadget was the second alternative we weighed and rejected.

## Design

The gateway accepts requests from clients and hands them to the frobnicator.

Requests wait in a queue of bounded length while the frobnicator is busy.

```mermaid
graph TD
  Client --> Server
```

```python
def frobnicate():
    return 1
```

Every request is logged before it is answered.
"""

# a word changed (Alice)
V2 = V1.replace("gadget quickly.", "gadget slowly.")

# a sentence deleted, a paragraph re-wrapped, a table cell edited, the status changed (Bob)
V3 = (V2.replace(" The audit trail is kept for ninety days.", "")
      .replace("re-wrapped in a later version of the\nfile without",
               "re-wrapped\nin a later version of the file without")
      .replace("| color  | red     |", "| color  | blue    |")
      .replace("**Status:** Draft", "**Status:** Implementable"))

# a section moved, a diagram edited, a code line changed (Carol)
_ALT = V3[V3.index("## Alternatives"):V3.index("## Design")]
V4 = (V3.replace(_ALT, "") + "\n" + _ALT.rstrip("\n") + "\n").replace(
    "Client --> Server", "Client --> Gateway").replace("return 1", "return 2")

OTHER = """\
# EP-0{n}: {title}

**Status:** Draft
**Authors:** Dan Example

## Summary

{text}
"""

GONE = ("Quarterly archival of cold storage buckets, with checksums verified twice and "
        "tapes rotated off site each month by the storage team.")
NEW = "Fresh words only: a brand new proposal about telemetry sampling rates."
RENAMED = ("A named thing here.\n\nIt has enough text that git still tells the file renamed\n"
           "after one word of it changes in the same commit as the rename: git compares\n"
           "the files line by line, and most lines stay as they were.\n\n"
           "## Details\n\nThe details section is long enough to keep the two versions alike,\n"
           "with several lines of plain text that nobody edits in this commit at all.\n")
PEOPLE = {"Alice": "2026-01-05T10:00:00+01:00", "Bob": "2026-01-06T11:30:00+00:00",
          "Carol": "2026-01-07T09:15:00-05:00"}
CLEAN = {"GIT_CONFIG_NOSYSTEM": "1", "GIT_CONFIG_GLOBAL": os.devnull}


def git(repo: Path, *args: str, who: str = "Ann", when: str = "2026-01-01T12:00:00+00:00"):
    env = {**{k: v for k, v in os.environ.items() if not k.startswith("GIT_")}, **CLEAN,
           "GIT_AUTHOR_NAME": who, "GIT_AUTHOR_EMAIL": f"{who.lower()}@example.org",
           "GIT_COMMITTER_NAME": who, "GIT_COMMITTER_EMAIL": f"{who.lower()}@example.org",
           "GIT_AUTHOR_DATE": when, "GIT_COMMITTER_DATE": when}
    return subprocess.run(["git", "-C", str(repo), *args], env=env, capture_output=True,
                          text=True, check=True).stdout.strip()


def commit(repo: Path, files: dict[str, str | None], who="Ann", when=None, msg="edit"):
    for name, text in files.items():
        path = repo / name
        if text is None:
            git(repo, "rm", "-q", name)
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
        git(repo, "add", name)
    when = when or PEOPLE.get(who, "2026-01-01T12:00:00+00:00")
    git(repo, "commit", "-q", "-m", msg, who=who, when=when)


def other(n: int, title: str, text: str) -> str:
    return OTHER.format(n=n, title=title, text=text)


@pytest.fixture(scope="session")
def history(tmp_path_factory) -> Path:
    """proposals/: EP-042 edited over three commits since the tag v1; EP-043 new since v1,
    EP-044 deleted, EP-045 renamed (one word changed), EP-046 unchanged."""
    repo = tmp_path_factory.mktemp("redline") / "repo"
    repo.mkdir()
    git(repo, "init", "-q", "-b", "main")
    commit(repo, {"proposals/EP-042-widget.md": V1,
                  "proposals/EP-044-gone.md": other(44, "Gone", GONE),
                  "proposals/EP-045-old-name.md": other(45, "Renamed", RENAMED),
                  "proposals/EP-046-same.md": other(46, "Same", "Nothing changes here.")},
           msg="first versions")
    git(repo, "tag", "v1")
    commit(repo, {"proposals/EP-042-widget.md": V2}, who="Alice")
    commit(repo, {"proposals/EP-042-widget.md": V3}, who="Bob")
    git(repo, "mv", "proposals/EP-045-old-name.md", "proposals/EP-045-new-name.md")
    commit(repo, {"proposals/EP-042-widget.md": V4,
                  "proposals/EP-043-new.md": other(43, "Brand New", NEW),
                  "proposals/EP-044-gone.md": None,
                  "proposals/EP-045-new-name.md": other(45, "Renamed", RENAMED.replace(
                      "A named", "A renamed"))},
           who="Carol")
    return repo


@pytest.fixture(scope="session")
def redlined(history) -> dict:
    """`epdoc redline proposals --since v1 -o build --report build/report.json`, run in the
    repository: its process, report and outputs."""
    proc = run_epdoc("redline", "proposals", "--since", "v1", "-o", "build", "--report",
                     "build/report.json", cwd=history)
    assert proc.returncode == 0, proc.stderr
    report = json.loads((history / "build" / "report.json").read_text())
    return {"proc": proc, "report": report, "build": history / "build", "repo": history,
            "by_name": {Path(p["source"]).name: p for p in report["proposals"]}}
