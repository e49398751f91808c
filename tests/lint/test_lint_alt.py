"""Lint's image-alt-missing (issue 16, item 2): a picture without alternative text, in
markdown or raw HTML, is one located warning; pictures with alt text and diagrams (whose
text alternative epdoc writes) are not reported."""

from __future__ import annotations

import json
import shutil

from helpers import FIXTURES, run_epdoc

SOURCE = """# EP-070: Pictures

- **Status:** Draft
- **Authors:** Ada Reader
- **Created:** 2026-01-15

## Summary

![](images/power-bars.png) and ![Bars rising](images/power-bars.png)

<img src="images/power-bars.png">

Text <img src="images/power-bars.png" alt=""> and <img alt="Bars" src="images/power-bars.png">.

```mermaid
graph LR
  A --> B
```
"""


def test_pictures_without_alt_text_are_warned_at_their_line(tmp_path):
    (tmp_path / "p").mkdir()
    (tmp_path / "p" / "EP-070-pictures.md").write_text(SOURCE)
    shutil.copytree(FIXTURES / "access" / "images", tmp_path / "p" / "images")
    proc = run_epdoc("lint", "p", "--format", "json", cwd=tmp_path)
    found = [f for f in json.loads(proc.stdout) if f["code"] == "image-alt-missing"]
    assert [(f["line"], f["column"], f["severity"]) for f in found] == [
        (9, 1, "warning"), (11, 1, "warning"), (13, 6, "warning")]
    assert found[0]["message"] == (
        "picture images/power-bars.png has no alternative text; write what it shows between "
        "the brackets: ![what it shows](images/power-bars.png)")
    assert 'alt="what it shows"' in found[1]["message"]


def test_the_accessible_fixture_has_no_finding(tmp_path):
    shutil.copytree(FIXTURES / "access", tmp_path / "p")
    proc = run_epdoc("lint", "p", "--format", "json", cwd=tmp_path)
    assert [f for f in json.loads(proc.stdout) if f["code"] == "image-alt-missing"] == []
