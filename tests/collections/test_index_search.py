"""A richer index (issue 17, item 6): index.html searches and filters offline (its script
allowed by a hash in its Content-Security-Policy), -o feed.xml writes a valid Atom feed
newest change first, and index.json carries each proposal's status history from git."""

from __future__ import annotations

import base64
import hashlib
import json
import os
import re
import shutil
import subprocess

import pytest
from lxml import etree
from lxml import html as lxml_html

from helpers import CORPUS, FIXTURES, run_epdoc
from helpers.browser import browser  # noqa: F401 (the session's Chromium)

CLEAN_GIT = {"GIT_CONFIG_NOSYSTEM": "1", "GIT_CONFIG_GLOBAL": os.devnull}
EP003 = "EP-003-GPU-Power-Monitoring.md"


def git(repo, *args, date=None):
    env = {**os.environ, **CLEAN_GIT}
    if date:
        env.update(GIT_AUTHOR_DATE=date, GIT_COMMITTER_DATE=date)
    subprocess.run(["git", "-C", str(repo), "-c", "user.name=t", "-c", "user.email=t@e.org",
                    *args], env=env, capture_output=True, check=True)


@pytest.fixture(scope="module")
def repo(tmp_path_factory):
    """The corpus in a git repository: committed in 2025, then EP-003 accepted in 2026."""
    root = tmp_path_factory.mktemp("indexrepo")
    shutil.copytree(CORPUS, root / "proposals")
    git(root, "init", "-q", "-b", "main")
    git(root, "add", ".")
    git(root, "commit", "-q", "-m", "proposals", date="2025-03-01T10:00:00+00:00")
    path = root / "proposals" / EP003
    path.write_text(path.read_text().replace(
        "**Status**: Draft (Reference Implementation Available)", "**Status**: Accepted"))
    git(root, "commit", "-q", "-am", "accept EP-003", date="2026-02-01T09:30:00+00:00")
    for out in ("index.html", "feed.xml", "index.json"):
        proc = run_epdoc("index", "proposals", "-o", f"out/{out}", cwd=root)
        assert proc.returncode == 0, proc.stderr
    return root


def test_the_json_carries_status_history_and_last_change(repo):
    data = json.loads((repo / "out" / "index.json").read_text())
    items = {p["source"]: p for g in data["groups"] for p in g["proposals"]}
    ep3 = items[f"../proposals/{EP003}"]
    assert [(h["status"], h["date"][:10]) for h in ep3["status_history"]] == \
        [("Draft", "2025-03-01"), ("Accepted", "2026-02-01")]
    assert all(len(h["commit"]) == 40 for h in ep3["status_history"])
    assert ep3["last_change"]["date"].startswith("2026-02-01")
    ep1 = items["../proposals/EP-001-redfish-support.md"]
    assert [h["status"] for h in ep1["status_history"]] == ["Implemented"]
    assert ep1["last_change"]["date"].startswith("2025-03-01")


def _atom_schema():
    return etree.RelaxNG(etree.parse(str(FIXTURES / "atom" / "atom.rng")))


def test_the_feed_is_valid_atom_newest_change_first(repo):
    doc = etree.parse(str(repo / "out" / "feed.xml"))
    schema = _atom_schema()
    assert schema.validate(doc), schema.error_log
    ns = {"a": "http://www.w3.org/2005/Atom"}
    entries = doc.findall("a:entry", ns)
    assert len(entries) == 5
    first = entries[0]
    assert first.findtext("a:title", namespaces=ns) == "EP-003 · GPU Power Monitoring"
    assert first.findtext("a:updated", namespaces=ns).startswith("2026-02-01")
    assert first.find("a:link", ns).get("href") == "EP-003-GPU-Power-Monitoring.html"
    assert first.findtext("a:author/a:name", namespaces=ns) == "Vimal Kumar"
    assert doc.findtext("a:updated", namespaces=ns).startswith("2026-02-01")
    # a document that breaks the schema is refused: the check can fail
    assert not schema.validate(etree.fromstring(
        b'<feed xmlns="http://www.w3.org/2005/Atom"><title>x</title></feed>'))


def test_the_html_allows_only_its_own_script_by_hash(repo):
    page = (repo / "out" / "index.html").read_text()
    csp = re.search(r'Content-Security-Policy" content="([^"]+)"', page).group(1)
    scripts = re.findall(r"<script>(.*?)</script>", page, re.S)
    assert len(scripts) == 1
    digest = base64.b64encode(hashlib.sha256(scripts[0].encode()).digest()).decode()
    assert f"script-src 'sha256-{digest}'" in csp
    assert "default-src 'none'" in csp and "unsafe-inline" not in csp.split("style-src")[0]
    assert "connect-src" not in csp  # nothing is fetched


def test_the_html_carries_each_proposal_searchable(repo):
    page = (repo / "out" / "index.html").read_text()
    tree = lxml_html.fromstring(page)
    records = json.loads(tree.get_element_by_id("epdoc-records").text_content())
    rows = tree.xpath("//tr[@data-row]")
    assert len(rows) == len(records) == 5
    by_title = {r.xpath("string(td[2])"): records[int(r.get("data-row"))] for r in rows}
    ep3 = by_title["GPU Power Monitoring"]
    assert ep3["fields"]["status"] == "Accepted" and ep3["fields"]["authors"] == ["Vimal Kumar"]
    assert "kubelet" in ep3["words"]  # words of the body, for the text search
    assert "<" not in tree.get_element_by_id("epdoc-records").text_content().replace(
        "\\u003c", "")


def _shown(browser) -> list[str]:  # noqa: F811
    return browser.js("return Array.from(document.querySelectorAll('tr[data-row]'))"
                      ".filter(r => !r.hidden).map(r => r.cells[1].textContent.trim())")


def _set(browser, name: str, value: str) -> None:  # noqa: F811
    browser.js("const e = document.querySelector(`#epdoc-search [name=${arguments[0]}]`);"
               "e.value = arguments[1]; e.dispatchEvent(new Event('input', {bubbles: true}));",
               name, value)


def test_search_and_filters_in_chromium(repo, browser):  # noqa: F811
    """Driven as a reader does, offline: the script runs under the page's own CSP."""
    browser.open(repo / "out" / "index.html")
    assert browser.problems() == []
    assert browser.js("return document.getElementById('epdoc-search').hidden") is False
    assert len(_shown(browser)) == 5
    assert browser.js("return document.getElementById('epdoc-shown').textContent") == \
        "5 proposals"
    _set(browser, "q", "kubelet")  # a word of EP-003's body only
    assert _shown(browser) == ["GPU Power Monitoring"]
    assert browser.js("return document.getElementById('epdoc-shown').textContent") == \
        "1 of 5 proposals shown"
    _set(browser, "q", "")
    _set(browser, "status", "Implemented")
    assert _shown(browser) == ["Redfish Power Monitoring Support"]
    # a section with nothing to show is hidden
    assert browser.js("return document.getElementById('status-draft').hidden") is True
    _set(browser, "status", "")
    _set(browser, "author", "Vimal Kumar")
    assert _shown(browser) == ["GPU Power Monitoring"]
    _set(browser, "author", "")
    _set(browser, "field", "maturity")
    _set(browser, "value", "experimental")
    assert sorted(_shown(browser)) == ["GPU Power Monitoring", "Redfish Power Monitoring Support"]
    _set(browser, "field", "updated")
    _set(browser, "value", "2025")
    assert _shown(browser) == ["Redfish Power Monitoring Support"]
    _set(browser, "value", "no such value")
    assert _shown(browser) == []
