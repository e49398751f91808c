"""The hostile corpus (tests/fixtures/hostile/) through all three formats in one build, with a
loopback HTTP server listening: nothing leaks, nothing is fetched, nothing runs, every limit
gives its one-line error, and the batch goes on.

Each fixture says at its top what must happen to it (see tests/helpers/hostile.py)."""

from __future__ import annotations

import json
import re
import time
from pathlib import Path

import pytest

from helpers import run_epdoc
from helpers.hostile import (
    CANARY,
    HOSTILE,
    Server,
    docx_problems,
    expectations,
    html_problems,
    make_tree,
    pdf_dangers,
    pdf_leaks,
    proposals,
)
from helpers.readers import docx_text, html_text, pdf_text, squash

FORMATS = ("html", "pdf", "docx")
TEXT = {"html": html_text, "pdf": pdf_text, "docx": docx_text}
BATCH_SECONDS = 900  # the whole batch (it takes about a minute)
TIME_LIMIT = 60  # --timeout for each proposal: none of them may need it
# generated in make_tree(), beside the fixtures: name -> what must happen to it
GENERATED = {"EP-940-too-large.md": "failed", "EP-941-symlinked-proposal.md": "failed",
             "EP-942-trap.md": "converted", "--lua-filter=EP-942-trap.md": "failed",
             "-oEP-943-output.md": "failed", "EP-944-clash.md": "failed",
             "ep-944-CLASH.md": "failed", "EP-945-new\nline.md": "failed",
             'EP-945-quote".md': "failed"}
OVERRIDES = {"EP-941-symlinked-proposal.md": {"outcome": "failed", "message": "outside",
                                              "shows": []}}
NAMES = sorted(p.name for p in HOSTILE.glob("*.md")) + list(GENERATED)
# the proposals that may convert: their outputs are searched for leaks
CONVERTING = [n for n in NAMES
              if (GENERATED[n] if n in GENERATED else expectations(HOSTILE / n)["outcome"])
              != "failed"]
# the fixtures that name words a reader must still see
SHOWING = [n for n in CONVERTING if n not in GENERATED and expectations(HOSTILE / n)["shows"]]


def printable(name: str) -> str:
    return "".join(c if c.isprintable() else c.encode("unicode_escape").decode() for c in name)


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    root = tmp_path_factory.mktemp("hostile")
    with Server() as server:
        tree = make_tree(root, server.port)
        before = sorted(str(p) for p in tree["proposals"].rglob("*"))
        out = root / "out"
        t0 = time.monotonic()
        proc = run_epdoc("build", "proposals", "--to", ",".join(FORMATS), "-o", out,
                         "--timeout", str(TIME_LIMIT), "--report", root / "report.json",
                         cwd=tree["repo"], env={"EPDOC_CANARY_ENV": CANARY},
                         timeout=BATCH_SECONDS)
        seconds = time.monotonic() - t0
        requests = list(server.requests)
    after = sorted(str(p) for p in tree["proposals"].rglob("*"))
    report = json.loads((root / "report.json").read_text())
    by_source = {Path(d["source"]).relative_to("proposals").as_posix(): d
                 for d in report["documents"]}
    results = {}
    for path in proposals(tree["proposals"]):
        rel = path.relative_to(tree["proposals"]).as_posix()
        shown = printable(f"proposals/{rel}")
        converted = f"converted {shown} -> " in proc.stdout
        assert converted == (by_source[rel]["status"] == "converted"), rel
        errors = [line for line in proc.stderr.splitlines()
                  if line.startswith(f"error: {shown}:")]
        results[rel] = {"path": path, "converted": converted, "errors": errors,
                        "seconds": by_source[rel]["seconds"].get("total", 0.0)}
    return {**tree, "out": out, "proc": proc, "seconds": seconds, "requests": requests,
            "results": results, "tree_changed": before != after}


def expected(hostile, name) -> dict:
    if name in OVERRIDES:
        return OVERRIDES[name]
    return expectations(hostile["proposals"] / name)


def outputs(hostile, name) -> dict:
    stem = name.rsplit("/", 1)[-1][: -len(".md")]
    return {fmt: hostile["out"] / f"{stem}.{fmt}" for fmt in FORMATS}


def test_every_fixture_is_in_the_batch(hostile):
    assert sorted(hostile["results"]) == sorted(NAMES)
    assert len(NAMES) >= 40 and len(CONVERTING) >= 30


def test_batch_finishes_with_one_line_errors(hostile):
    proc = hostile["proc"]
    assert proc.returncode == 1, proc.stderr[-2000:]
    assert "Traceback" not in proc.stderr
    assert "internal error" not in proc.stderr, proc.stderr
    for line in proc.stderr.splitlines():
        assert line.startswith(("error: ", "proposals/")) or re.match(r"\d+ converted", line), \
            line


def test_each_proposal_finishes_within_its_time_limit(hostile):
    """No hostile input slows a proposal to its time limit: each one is refused (or
    converted) by its own cheap check, long before --timeout would stop it."""
    slow = {name: r["seconds"] for name, r in hostile["results"].items()
            if r["seconds"] >= TIME_LIMIT / 2 or any("--timeout" in e for e in r["errors"])}
    assert slow == {}
    assert hostile["seconds"] < BATCH_SECONDS


def test_loopback_server_got_no_request(hostile):
    assert hostile["requests"] == []


def test_nothing_ran_and_the_tree_is_untouched(hostile):
    assert list(hostile["secret"].glob("pwned*")) == []
    assert not hostile["tree_changed"]
    leftovers = [p.name for p in hostile["out"].rglob("*") if p.name.endswith(".tmp")]
    assert leftovers == []


@pytest.mark.parametrize("name", NAMES, ids=printable)
def test_outcome(hostile, name):
    exp = expected(hostile, name)
    res = hostile["results"][name]
    outs = outputs(hostile, name)
    if exp["outcome"] == "any":
        assert res["converted"] or res["errors"]
        return
    if exp["outcome"] == "converted":
        assert res["converted"], res["errors"]
        assert all(p.is_file() for p in outs.values())
        return
    assert not res["converted"]
    assert len(res["errors"]) == 1, res["errors"]
    assert exp["message"] in res["errors"][0]
    if exp["message"].startswith("--"):  # a limit: its one-line error names the option
        assert "limit" in res["errors"][0]
    if "clash" not in exp["message"]:
        assert not any(p.exists() for p in outs.values())


def _built(hostile, name, fmt):
    path = outputs(hostile, name)[fmt]
    assert hostile["results"][name]["converted"], hostile["results"][name]["errors"]
    return path


@pytest.mark.parametrize("name", CONVERTING, ids=printable)
def test_html_is_safe(hostile, name):
    assert html_problems(_built(hostile, name, "html")) == []


@pytest.mark.parametrize("name", CONVERTING, ids=printable)
def test_pdf_is_safe(hostile, name):
    path = _built(hostile, name, "pdf")
    assert pdf_leaks(path) == []
    assert pdf_dangers(path) == []


@pytest.mark.parametrize("name", CONVERTING, ids=printable)
def test_docx_is_safe(hostile, name):
    assert docx_problems(_built(hostile, name, "docx")) == []


@pytest.mark.parametrize("name", SHOWING, ids=printable)
def test_what_is_safe_still_shows(hostile, name):
    words = expected(hostile, name)["shows"]
    assert words
    for fmt in FORMATS:
        text = squash(TEXT[fmt](_built(hostile, name, fmt)))
        for word in words:
            assert squash(word) in text, (fmt, word)


def test_values_stay_text(hostile):
    """Template syntax and markup in the title and metadata are shown, never run."""
    path = outputs(hostile, "EP-923-template-values.md")["html"]
    html = path.read_text()
    # what a reader sees (the page's own CSS, such as the watermark's outline, has numbers)
    assert "{{ 7 * 7 }}" in html and "49" not in TEXT["html"](path)
    assert not re.search(r">\s*49\s*<", html)
    assert "&lt;script&gt;" in html or "&lt;/title&gt;" in html
    for fmt in FORMATS:
        text = TEXT[fmt](outputs(hostile, "EP-923-template-values.md")[fmt])
        assert "{{ 6 * 7 }}" in text and "42" not in text, fmt
