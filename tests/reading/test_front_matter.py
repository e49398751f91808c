"""Front matter that does not parse still converts (issue 18, item 3): what reads line by
line is the record, lint reports a located front-matter-invalid error with the YAML message,
every format shows the front matter as written (as GitHub does), and index and packet list
the proposal."""

from __future__ import annotations

import json
import shutil

import docx
import pytest
from lxml import html as lxml_html

from helpers import FIXTURES, run_epdoc
from helpers.readers import docx_text, pdf_text

NAME = "enhancement-broken-yaml"
BROKEN_LINE = 16  # `  - [NE-1234](https://...)` under tracking-links:


@pytest.fixture(scope="module")
def tree(tmp_path_factory):
    root = tmp_path_factory.mktemp("frontmatter")
    shutil.copytree(FIXTURES / "frontmatter", root / "proposals")
    proc = run_epdoc("build", "proposals", "-o", "build", "--to", "html,pdf,docx",
                     "--report", "build/report.json", cwd=root)
    return root, proc


def test_converts_to_every_format(tree):
    root, proc = tree
    assert proc.returncode == 0, proc.stderr
    for ext in ("html", "pdf", "docx"):
        assert (root / "build" / f"{NAME}.{ext}").stat().st_size > 0
    report = json.loads((root / "build" / "report.json").read_text())
    diags = [d for p in report["documents"] for d in p["diagnostics"]]
    assert any(d["code"] == "front-matter-invalid" and d["line"] == BROKEN_LINE
               for d in diags), diags


def test_record_recovered_line_by_line(tree):
    root, _ = tree
    proc = run_epdoc("meta", "--json", f"proposals/{NAME}.md", cwd=root)
    assert proc.returncode == 0, proc.stderr
    rec = json.loads(proc.stdout)
    rec = rec[0] if isinstance(rec, list) else rec
    assert rec["title"] == "Ingress Route Sharding"
    assert rec["authors"] == ["@jdoe", "@asmith"]
    assert rec["reviewers"] == ["@rreviewer"]
    assert rec["approvers"] == ["@aapprover"]
    assert rec["created"] == "2023-03-14"
    assert rec["updated"] == "2023-04-02"
    assert rec["status"].lower() == "implementable"


def test_lint_locates_the_yaml_error(tree):
    root, _ = tree
    proc = run_epdoc("lint", "proposals", "--format", "json", cwd=root)
    found = [d for d in json.loads(proc.stdout) if d["code"] == "front-matter-invalid"]
    assert len(found) == 1, proc.stdout
    d = found[0]
    assert d["severity"] == "error" and d["line"] == BROKEN_LINE
    assert d["file"].endswith(f"{NAME}.md")
    assert "block collection" in d["message"] and "expected" in d["message"]
    assert proc.returncode == 1
    listed = run_epdoc("lint", "--list-rules", cwd=root)
    assert "front-matter-invalid" in listed.stdout


def test_page_shows_the_front_matter_as_written(tree):
    root, _ = tree
    page = lxml_html.fromstring((root / "build" / f"{NAME}.html").read_bytes())
    warning = page.xpath("//div[contains(@class,'front-matter-invalid')]")
    assert warning and f"line {BROKEN_LINE}" in warning[0].text_content()
    assert "alert-warning" in warning[0].get("class")
    code = page.xpath("//pre[contains(@class,'yaml')]")
    assert code, "no YAML code block"
    text = code[0].text_content()
    assert "tracking-links:" in text and "[NE-1234](https://issues.redhat.com/browse/NE-1234)" \
        in text and text.lstrip().startswith("title: ingress-route-sharding")
    # the body is all there, after it
    body = page.text_content()
    assert "End-to-end tests create two shards" in body
    assert body.index("tracking-links:") < body.index("Route sharding lets")


def test_pdf_and_docx_show_it_too(tree):
    root, _ = tree
    pdf = pdf_text(root / "build" / f"{NAME}.pdf")
    assert "tracking-links:" in pdf and "NE-1234" in pdf and "Route sharding lets" in pdf
    text = docx_text(root / "build" / f"{NAME}.docx")
    assert "tracking-links:" in text and "Error in the front matter" in text
    assert docx.Document(str(root / "build" / f"{NAME}.docx")).core_properties.author \
        .startswith("@jdoe")


def test_index_and_packet_list_it(tree):
    root, _ = tree
    proc = run_epdoc("index", "proposals", "-o", "-", "--format", "json", cwd=root)
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    titles = [p["title"] for g in data["groups"] for p in g["proposals"]]
    assert titles == ["Ingress Route Sharding"]
    packet = run_epdoc("packet", "proposals", "-o", "packet.pdf", cwd=root)
    assert packet.returncode == 0, packet.stderr
    assert "Ingress Route Sharding" in pdf_text(root / "packet.pdf")


def test_lines_read_one_by_one_as_real_broken_front_matter_writes_them():
    from epdoc.pipeline.reading.frontmatter import read_lines

    raw = ('title: "Azure: Allow Customer-Provisioned Networks"\n'
           "authors:\n"
           '  - "@russellb\n'  # a quote left open
           "  - @squeed\n"  # YAML cannot start a value with @
           "status:\n"
           "    implemented\n"  # the value on the line below its key
           "milestone:\n"
           "  alpha: v1.2\n"  # a mapping: not read
           "see-also:[]\n"
           "tracking-links:\n"
           "  - [NE-1](https://issues.redhat.com/browse/NE-1)\n"
           "summary: |\n"
           "  block text\n"
           "creation-date: 2019-08-12 # a comment\n"
           "last-updated: 2021-21-01\n"  # not a real day: kept as written, lint says so
           "reviewers: [\"@a\", \"@b\"]\n"
           "status: rejected\n")  # given twice: the first one counts
    assert read_lines(raw) == {
        "title": "Azure: Allow Customer-Provisioned Networks",
        "authors": ["@russellb", "@squeed"],
        "status": "implemented",
        "tracking-links": ["[NE-1](https://issues.redhat.com/browse/NE-1)"],
        "creation-date": "2019-08-12",
        "last-updated": "2021-21-01",
        "reviewers": ["@a", "@b"],
    }
