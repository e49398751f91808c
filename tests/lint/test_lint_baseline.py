"""Lint for a changing template (issue 17, item 4): a baseline keeps the known findings of
old proposals from failing CI while new ones do; --changed-since checks only what a pull
request changed, and the checks across files still cover every proposal."""

from __future__ import annotations

import json
import os
import subprocess

import pytest

from helpers import run_epdoc

CLEAN_GIT = {"GIT_CONFIG_NOSYSTEM": "1", "GIT_CONFIG_GLOBAL": os.devnull}
OLD = """# EP-001: Old proposal

- **Status:** Draft
- **Authors:** Ada
- **Created:** 2023-01-05

## Summary

Written before the template required the other sections.
"""
NEW = """# EP-002: New proposal

- **Status:** Draft
- **Authors:** Bo
- **Created:** 2026-01-05

## Summary

A new one, also missing sections.
"""


def git(repo, *args):
    subprocess.run(["git", "-C", str(repo), "-c", "user.name=t", "-c", "user.email=t@e.org",
                    *args], env={**os.environ, **CLEAN_GIT}, capture_output=True, check=True)


@pytest.fixture
def repo(tmp_path):
    (tmp_path / "proposals").mkdir()
    (tmp_path / "proposals" / "EP-001-old.md").write_text(OLD)
    git(tmp_path, "init", "-q", "-b", "main")
    git(tmp_path, "add", ".")
    git(tmp_path, "commit", "-q", "-m", "old")
    return tmp_path


def _codes(proc) -> list[tuple[str, str]]:
    return [(d["file"], d["code"]) for d in json.loads(proc.stdout)]


def test_a_baseline_hides_known_findings_and_not_new_ones(repo):
    proc = run_epdoc("lint", "proposals", cwd=repo)
    assert proc.returncode == 1 and "section-missing" in proc.stdout
    proc = run_epdoc("lint", "proposals", "--write-baseline", "lint-baseline.json", cwd=repo)
    assert proc.returncode == 0, proc.stderr
    known = json.loads((repo / "lint-baseline.json").read_text())["findings"]
    assert known and all(f["file"] == "proposals/EP-001-old.md" for f in known)
    assert run_epdoc("lint", "proposals", "--baseline", "lint-baseline.json",
                     cwd=repo).returncode == 0
    # lines move: still known
    (repo / "proposals" / "EP-001-old.md").write_text("\n\n" + OLD)
    assert run_epdoc("lint", "proposals", "--baseline", "lint-baseline.json",
                     cwd=repo).returncode == 0
    # a new proposal's findings count
    (repo / "proposals" / "EP-002-new.md").write_text(NEW)
    proc = run_epdoc("lint", "proposals", "--baseline", "lint-baseline.json", "--format",
                     "json", cwd=repo)
    assert proc.returncode == 1
    files = {f for f, _ in _codes(proc)}
    assert files == {"proposals/EP-002-new.md"}
    text = run_epdoc("lint", "proposals", "--baseline", "lint-baseline.json", cwd=repo).stdout
    assert f"{len(known)} known findings in the baseline lint-baseline.json" in text


def test_a_fixed_finding_is_counted_and_a_bad_baseline_is_one_clear_error(repo):
    run_epdoc("lint", "proposals", "--write-baseline", "b.json", cwd=repo)
    (repo / "proposals" / "EP-001-old.md").write_text(OLD.replace("- **Authors:** Ada\n", ""))
    fixed = OLD + "\n## Problem Statement\n\nThe old way.\n"
    (repo / "proposals" / "EP-001-old.md").write_text(fixed)
    proc = run_epdoc("lint", "proposals", "--baseline", "b.json", cwd=repo)
    assert "of its findings are fixed (write it again)" in proc.stdout
    (repo / "bad.json").write_text("{}")
    proc = run_epdoc("lint", "proposals", "--baseline", "bad.json", cwd=repo)
    assert proc.returncode == 2  # a usage error, like an unknown option
    assert "not an epdoc lint baseline" in proc.stderr and "Traceback" not in proc.stderr


def test_changed_since_checks_only_changed_proposals_and_ids_across_all(repo):
    (repo / "proposals" / "EP-002-new.md").write_text(NEW)
    proc = run_epdoc("lint", "proposals", "--changed-since", "main", "--format", "json",
                     cwd=repo)
    assert {f for f, _ in _codes(proc)} == {"proposals/EP-002-new.md"}
    # a new file reusing an old id: the duplicate is reported on both files
    (repo / "proposals" / "EP-001-again.md").write_text(NEW.replace("EP-002", "EP-001"))
    proc = run_epdoc("lint", "proposals", "--changed-since", "main", "--format", "json",
                     cwd=repo)
    found = _codes(proc)
    assert ("proposals/EP-001-old.md", "id-duplicate") in found
    assert not [c for f, c in found if f == "proposals/EP-001-old.md" and c != "id-duplicate"]
    proc = run_epdoc("lint", "proposals", "--changed-since", "no-such-ref", cwd=repo)
    assert proc.returncode != 0 and "no such commit" in proc.stderr
