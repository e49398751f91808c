"""`epdoc index`: every proposal with its record, grouped by status, as JSON, markdown (kept in
a repository and checked by CI with --check) and HTML."""

import json
import re
import shutil

import pytest
from lxml import html as lxml_html

from helpers import corpus_files, expected_record, run_epdoc

FIELDS = ("id", "number", "title", "status", "status_note", "maturity", "authors",
          "reviewers", "approvers", "editor", "created", "updated")


@pytest.fixture(scope="module")
def proposals(tmp_path_factory, corpus):
    """A writable copy of the corpus (the markdown index lives beside the proposals)."""
    src = tmp_path_factory.mktemp("proposals")
    for path in corpus_files():
        shutil.copy(path, src / path.name)
    shutil.copytree(corpus / "images", src / "images")
    return src


@pytest.fixture(scope="module")
def indexes(proposals, tmp_path_factory):
    out = tmp_path_factory.mktemp("site")
    runs = {
        "json": run_epdoc("index", proposals, "-o", out / "index.json"),
        "md": run_epdoc("index", proposals, "-o", proposals / "index.md"),
        "html": run_epdoc("index", proposals, "-o", out / "index.html"),
    }
    for fmt, proc in runs.items():
        assert proc.returncode == 0, (fmt, proc.stderr)
    return {"json": out / "index.json", "md": proposals / "index.md",
            "html": out / "index.html"}


def test_json_lists_every_corpus_proposal_with_its_record(indexes, proposals):
    data = json.loads(indexes["json"].read_text())
    items = [p for g in data["groups"] for p in g["proposals"]]
    assert data["count"] == len(items) == len(corpus_files())
    by_source = {p["source"]: p for p in items}
    for path in corpus_files():
        item = by_source[f"../{proposals.name}/{path.name}"]
        expected = expected_record(path)
        assert {k: item[k] for k in FIELDS} == {k: expected[k] for k in FIELDS}, path.name
        assert item["outputs"]["html"] == f"{path.stem}.html"
    for group in data["groups"]:
        assert all((p["status"] or "No status") == group["status"] for p in group["proposals"])
    assert [g["status"] for g in data["groups"]] == ["Draft", "Implemented", "No status"]


def _md_rows(text):
    return [[c.strip() for c in line.strip("|").split(" | ")]
            for line in text.splitlines()
            if line.startswith("| ") and not line.startswith("| ID ")]


def test_markdown_is_a_table_grouped_by_status_linked_to_sources(indexes):
    text = indexes["md"].read_text()
    assert re.findall(r"^## (.+)$", text, re.M) == ["Draft (3)", "Implemented (1)",
                                                     "No status (1)"]
    rows = _md_rows(text)
    assert len(rows) == len(corpus_files())
    for path in corpus_files():
        rec = expected_record(path)
        row = next(r for r in rows if f"]({path.name})" in r[1])
        status = rec["status"] or ""
        if rec["status_note"]:
            status += f" ({rec['status_note']})"
        assert row[0] == (rec["id"] or "")
        assert row[1] == f"[{rec['title'] or path.stem}]({path.name})"
        assert row[2:] == [status, ", ".join(rec["authors"]), rec["created"] or "",
                           rec["updated"] or ""], path.name


def test_check_passes_then_fails_with_a_diff(indexes, proposals, tmp_path):
    md = indexes["md"]
    proc = run_epdoc("index", "--check", md)  # the proposals are the file's folder
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "up to date" in proc.stdout
    # a proposal changes status: the committed index is now stale
    src = tmp_path / "p"
    shutil.copytree(proposals, src)
    ep1 = src / "EP-001-redfish-support.md"
    ep1.write_text(ep1.read_text().replace("Implemented", "Deferred", 1))
    proc = run_epdoc("index", "--check", src / "index.md")
    assert proc.returncode == 1
    assert "out of date" in proc.stderr and "epdoc index" in proc.stderr
    assert re.search(r"^-\| EP-001 \|.*\| Implemented \|", proc.stdout, re.M)
    assert re.search(r"^\+\| EP-001 \|.*\| Deferred \|", proc.stdout, re.M)
    # a missing index fails too
    (src / "index.md").unlink()
    assert run_epdoc("index", "--check", src / "index.md").returncode == 1


def test_html_links_each_title_to_its_output(indexes):
    tree = lxml_html.fromstring(indexes["html"].read_bytes())
    assert [h.text_content() for h in tree.xpath("//h2")] == \
        ["Draft (3)", "Implemented (1)", "No status (1)"]
    links = {a.text_content(): a.get("href") for a in tree.xpath("//td/a")}
    assert links["Redfish Power Monitoring Support"] == "EP-001-redfish-support.html"
    assert links["GPU Power Monitoring"] == "EP-003-GPU-Power-Monitoring.html"
    text = tree.text_content()
    for path in corpus_files():
        rec = expected_record(path)
        for value in (rec["id"], rec["created"], rec["updated"], *rec["authors"]):
            if value:
                assert value in text, (path.name, value)
    styles = "".join(tree.xpath("//style/text()"))
    assert all(u.startswith("data:") for u in re.findall(r"url\(\"?([^\")]*)", styles))


def test_usage(tmp_path, proposals):
    assert run_epdoc("index", proposals).returncode == 2  # neither -o nor --check
    assert run_epdoc("index", proposals, "-o", tmp_path / "index.txt").returncode == 2
    proc = run_epdoc("index", proposals / "EP-001-redfish-support.md", "-o", "-",
                     "--format", "json")
    assert proc.returncode == 0 and json.loads(proc.stdout)["count"] == 1
