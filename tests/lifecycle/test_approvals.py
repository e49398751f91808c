"""Approvals: read from front matter, an Approvals table, kep.yaml and a KEP's production
readiness file; shown after the metadata table in HTML, PDF and DOCX; required by lint;
kept in the archive's manifest."""

from __future__ import annotations

import json
import re
import shutil

import docx
import pdfplumber
import pytest
from lxml import html as lxml_html

from helpers import run_epdoc
from helpers.lifecycle import LIFE, git, make_repo

SOURCES = ("proposals/EP-002-bullets.md", "proposals/EP-003-front-matter.md",
           "keps/sig-node/2000-node-swap")
TABLE = [["Name", "Role", "Date", "Commit / PR"],
         ["Grace Hopper", "maintainer", "2024-03-20", "#42"],
         ["Linus Pauling", "security", "2024-03-21", "https://example.org/pr/43"]]


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    repo = make_repo(tmp_path_factory.mktemp("approvals"))
    proc = run_epdoc("build", *SOURCES, "--to", "html,pdf,docx", "-o", "build", cwd=repo)
    assert proc.returncode == 0, proc.stderr
    assert "defined twice" not in proc.stderr  # EP-002's "## Approvals" and the block
    return repo / "build"


def _record(path):
    proc = run_epdoc("meta", "--json", path, cwd=LIFE)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


def test_the_record_carries_approvals_from_each_place():
    assert _record(SOURCES[0])["approvals"] == [
        {"who": "Grace Hopper", "role": "maintainer", "date": "2024-03-20", "commit": None,
         "pr": "#42", "note": None, "source": "table"},
        {"who": "Linus Pauling", "role": "security", "date": "2024-03-21", "commit": None,
         "pr": "https://example.org/pr/43", "note": None, "source": "table"}]
    front = _record(SOURCES[1])
    assert [(a["who"], a["role"], a["date"], a["commit"], a["pr"], a["source"])
            for a in front["approvals"]] == [
        ("Barbara Liskov", "approver", "2024-05-01", "0123456789abcdef0123456789abcdef01234567",
         None, "front matter"),
        ("Ken Thompson", "security", "2024-05-02", None, "https://example.org/pulls/7",
         "front matter")]
    assert "approvals" not in front["extra"]
    kep = _record(SOURCES[2])
    assert [(a["who"], a["role"], a["note"], a["source"]) for a in kep["approvals"]] == [
        ("@johnbelamaric", "production readiness", "alpha", "prod-readiness/sig-node/2000.yaml"),
        ("@deads2k", "production readiness", "beta", "prod-readiness/sig-node/2000.yaml")]


def _html_block(path):
    tree = lxml_html.parse(str(path))
    blocks = tree.xpath("//main//div[@id='metadata' or contains(@class, 'ep-approvals') "
                        "or @id='toc']")
    rows = [[" ".join(c.text_content().split()) for c in tr.xpath("./th|./td")]
            for tr in tree.xpath("//div[contains(@class, 'ep-approvals')]//tr")]
    return [b.get("id") for b in blocks], rows, tree


def test_html_shows_the_block_after_the_metadata_table(built):
    order, rows, tree = _html_block(built / "EP-002-bullets.html")
    # the proposal's own "## Approvals" keeps its anchor; the block takes ep-approvals
    assert order[:2] == ["metadata", "ep-approvals"]
    assert tree.xpath("//h2[@id='approvals']/text()") == ["Approvals"]
    ids = tree.xpath("//@id")
    assert len(ids) == len(set(ids))
    assert rows == TABLE
    order, rows, tree = _html_block(built / "EP-003-front-matter.html")
    assert order[:2] == ["metadata", "approvals"]
    assert rows[1:] == [["Barbara Liskov", "approver", "2024-05-01", "0123456789ab"],
                        ["Ken Thompson", "security", "2024-05-02", "#7"]]
    assert tree.xpath("//div[@id='approvals']//a/@href") == ["https://example.org/pulls/7"]


def _pdf_lines(path):
    with pdfplumber.open(path) as pdf:
        return [ln.strip() for ln in pdf.pages[0].extract_text().splitlines()]


def test_pdf_shows_the_block_after_the_metadata_table(built):
    lines = _pdf_lines(built / "EP-002-bullets.pdf")
    at = lines.index("Approvals")
    assert lines.index("Created 2024-03-05") < at < lines.index("Contents")
    assert lines[at + 1] == "Name Role Date Commit / PR"
    assert lines[at + 2] == "Grace Hopper maintainer 2024-03-20 #42"
    assert lines[at + 3].startswith("Linus Pauling security 2024-03-21 https://example.org/")
    kep = _pdf_lines(built / "2000-node-swap.pdf")
    at = kep.index("Approvals")
    assert kep[at + 1:at + 4] == ["Name Role Date Stage",
                                  "@johnbelamaric production readiness alpha",
                                  "@deads2k production readiness beta"]


def test_docx_shows_the_block_after_the_metadata_table(built):
    d = docx.Document(str(built / "EP-002-bullets.docx"))
    cells = [[c.text for c in r.cells] for r in d.tables[1].rows]
    assert [c.text for c in d.tables[0].rows[0].cells] == ["ID", "EP-002"]
    assert cells == TABLE
    paragraphs = [p.text for p in d.paragraphs]
    assert "Approvals" in paragraphs
    # the block sits between the metadata table and the body
    body = list(d.element.body.iterchildren())
    first, second = (body.index(t._tbl) for t in d.tables[:2])
    summary = body.index(next(p._p for p in d.paragraphs if p.text == "Summary"))
    assert first < second < summary
    kep = docx.Document(str(built / "2000-node-swap.docx"))
    assert [[c.text for c in r.cells] for r in kep.tables[1].rows] == [
        ["Name", "Role", "Date", "Stage"],
        ["@johnbelamaric", "production readiness", "", "alpha"],
        ["@deads2k", "production readiness", "", "beta"]]


def _lint(repo, *paths):
    proc = run_epdoc("lint", *paths, "--format", "json", cwd=repo)
    return proc, [(d["file"], d["line"], d["message"]) for d in json.loads(proc.stdout)
                  if d["code"] == "approvals-missing"]


def test_lint_fails_an_accepted_or_implementable_proposal_without_approvals(tmp_path):
    repo = make_repo(tmp_path)
    proc, found = _lint(repo, "proposals", "keps")
    assert proc.returncode == 1
    assert [(f, line) for f, line, _ in found] == [
        ("proposals/EP-004-no-newline.md", 3), ("keps/sig-node/2100-swap-limits/kep.yaml", 6)]
    assert "status Accepted needs an approval, and it records none" in found[0][2]
    assert "production readiness approval" in found[1][2]
    # a KEP with its production readiness file passes once implementable
    run_epdoc("status", "KEP-2000", "implementable", "--dir", "keps", cwd=repo)
    _, found = _lint(repo, "keps/sig-node/2000-node-swap")
    assert found == []


def test_the_project_says_which_approvals_a_status_needs(tmp_path):
    repo = make_repo(tmp_path)
    (repo / "proposals" / "epdoc.toml").write_text(
        'process = "strict"\n\n[processes.strict]\nextends = "ep"\n\n'
        '[processes.strict.approvals]\nrequired = { draft = ["security"] }\n')
    _, found = _lint(repo, "proposals")
    # EP-003 (Draft) has a security approval; EP-001 (Draft) has none; Accepted needs none
    assert [(f, line) for f, line, _ in found] == [("proposals/EP-001-bold-keys.md", 3)]
    assert "needs a security approval" in found[0][2]


def test_the_archive_manifest_records_the_approvals(tmp_path):
    repo = make_repo(tmp_path)
    proc = run_epdoc("archive", "proposals", "--into", "archive", cwd=repo,
                     env={"SOURCE_DATE_EPOCH": "1767225600"})
    assert proc.returncode == 0, proc.stderr
    (manifest,) = [p for p in (repo / "archive").rglob("manifest.json") if "EP-002" in str(p)]
    record = json.loads(manifest.read_text())["record"]
    assert [(a["who"], a["role"], a["pr"]) for a in record["approvals"]] == [
        ("Grace Hopper", "maintainer", "#42"),
        ("Linus Pauling", "security", "https://example.org/pr/43")]


def test_an_unreadable_production_readiness_file_is_a_warning(tmp_path):
    repo = make_repo(tmp_path)
    prr = repo / "keps" / "prod-readiness" / "sig-node" / "2000.yaml"
    prr.write_text("alpha: [unclosed\n")
    proc = run_epdoc("lint", "keps/sig-node/2000-node-swap", "--format", "json", cwd=repo)
    items = [d for d in json.loads(proc.stdout) if d["code"] == "approvals-invalid"]
    assert len(items) == 1 and "prod-readiness/sig-node/2000.yaml is not read" in \
        items[0]["message"]
    assert "Traceback" not in proc.stderr
    shutil.rmtree(repo / "keps" / "prod-readiness")
    git(repo, "status")
    assert re.search(r'"approvals": \[\]', run_epdoc(
        "meta", "--json", "keps/sig-node/2000-node-swap", cwd=repo).stdout)


def test_a_changed_production_readiness_file_rebuilds_its_kep(tmp_path):
    repo = make_repo(tmp_path)
    kep = "keps/sig-node/2000-node-swap"
    first = run_epdoc("build", kep, "--to", "html", "-o", "build", cwd=repo)
    assert "1 converted" in first.stderr + first.stdout, first.stderr
    again = run_epdoc("build", kep, "--to", "html", "-o", "build", cwd=repo)
    assert "1 up to date" in again.stderr + again.stdout
    prr = repo / "keps" / "prod-readiness" / "sig-node" / "2000.yaml"
    prr.write_text(prr.read_text() + 'stable:\n  approver: "@wojtek-t"\n')
    third = run_epdoc("build", kep, "--to", "html", "-o", "build", cwd=repo)
    assert "1 converted" in third.stderr + third.stdout
    _, rows, _ = _html_block(repo / "build" / "2000-node-swap.html")
    assert rows[-1] == ["@wojtek-t", "production readiness", "", "stable"]
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", "stable approval")
    prr.write_text(prr.read_text().replace("@wojtek-t", "@deads2k"))
    proc = run_epdoc("lint", "keps", "--changed-since", "HEAD", "--format", "json", cwd=repo)
    checked = {d["file"] for d in json.loads(proc.stdout)}
    assert any(f.startswith("keps/sig-node/2000-node-swap/") for f in checked), checked
    assert not any(f.startswith("keps/sig-node/2100-swap-limits/") for f in checked)


def test_the_other_ways_approvals_are_written(tmp_path):
    (tmp_path / "EP-020-forms.md").write_text(
        "---\ntitle: Forms\nstatus: Accepted\nauthors: [Ann]\ncreation-date: 2024-01-01\n"
        "approvals:\n  maintainer: [Jane Doe, Raj Patel]\n  security: Ken Thompson (2024-02-03)\n"
        "---\n\n# EP-020: Forms\n\n## Sign-off\n\n| Approver | Date | Commit |\n|---|---|---|\n"
        "| [Ann Lee](https://example.org/ann) | 2024-02-04 | 89abcdef0123 |\n| | | |\n")
    (tmp_path / "EP-021-strings.md").write_text(
        "# EP-021: Strings\n\n- **Status**: Accepted\n- **Authors**: Bo\n"
        "- **Created**: 2024-01-01\n"
        "- **Approvals**: Jane Doe (maintainer, 2024-03-01); Ken Thompson\n\n## Summary\n\nText.\n")
    forms = _record_in(tmp_path, "EP-020-forms.md")
    assert [(a["who"], a["role"], a["date"], a["commit"]) for a in forms["approvals"]] == [
        ("Jane Doe", "maintainer", None, None), ("Raj Patel", "maintainer", None, None),
        ("Ken Thompson", "security", "2024-02-03", None),
        ("Ann Lee", None, "2024-02-04", "89abcdef0123")]
    strings = _record_in(tmp_path, "EP-021-strings.md")
    assert [(a["who"], a["role"], a["date"], a["source"]) for a in strings["approvals"]] == [
        ("Jane Doe", "maintainer", "2024-03-01", "metadata"),
        ("Ken Thompson", None, None, "metadata")]
    assert "Approvals" not in strings["extra"]
    proc = run_epdoc("lint", tmp_path, "--format", "json")
    assert not [d for d in json.loads(proc.stdout)
                if d["code"] in ("approvals-missing", "key-unknown", "approvals-invalid")]


def _record_in(folder, name):
    proc = run_epdoc("meta", "--json", name, cwd=folder)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)
