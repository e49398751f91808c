"""The record of real proposals of other processes (KEPs, OpenShift enhancements, Rust RFCs,
Go design documents): each one exactly as tests/fixtures/processes/expected/ says, whether the
process is detected or given with --process, and the metadata table shows the process's
fields under its reviewers' names."""

import json

import pytest

from epdoc.pipeline.reading.document import load

from helpers import FIXTURES, run_epdoc

PROCESSES = FIXTURES / "processes"
EXPECTED = sorted((PROCESSES / "expected").glob("*/*.json"))


def _source(expected):
    """The fixture an expected record is for: `<process>/<...>/<name>.md` or, for a folder
    proposal, `<...>/<name>/README.md`."""
    process, name = expected.parent.name, expected.stem
    found = [p for p in (PROCESSES / process).rglob("*.md")
             if p.stem == name or (p.name == "README.md" and p.parent.name == name)]
    assert len(found) == 1, (expected, found)
    return found[0]


@pytest.fixture(scope="module")
def printed():
    """`epdoc meta` over each process's folder, detected and with --process: source -> record."""
    out = {}
    for process in ("kep", "openshift", "rust-rfc", "go-design"):
        for extra in ((), ("--process", process)):
            proc = run_epdoc("meta", process, *extra, cwd=PROCESSES)
            assert proc.returncode == 0, proc.stderr
            for line in proc.stdout.splitlines():
                record = json.loads(line)
                out.setdefault(record["source"], []).append(record)
    return out


def test_every_fixture_has_its_expected_record():
    sources = {p for process in ("kep", "openshift", "rust-rfc", "go-design")
               for p in (PROCESSES / process).rglob("*.md")}
    assert sources == {_source(e) for e in EXPECTED}


@pytest.mark.parametrize("expected", EXPECTED, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_record_is_exactly_the_expected_one(printed, expected):
    want = json.loads(expected.read_text())
    got = printed[want["source"]]
    assert got == [want, want]  # detected, then with --process


def test_what_each_process_gives():
    """The hard cases, spelled out (the expected files hold the rest)."""
    kep = load(PROCESSES / "kep/keps/sig-node/2727-grpc-probe/README.md")
    assert kep.context.process.name == "kep"
    assert (kep.record.id, kep.record.title) == ("KEP-2727", "Add GRPC Probe")
    assert kep.title == "KEP-2727: Add GRPC Probe"  # the page shows the heading as written
    assert kep.record.extra["milestone"] == ["alpha: v1.23", "beta: v1.24", "stable: v1.27"]
    rust = load(PROCESSES / "rust-rfc/text/3501-edition-2024.md")
    assert (rust.record.id, rust.record.title, rust.record.created) == \
        ("RFC 3501", "edition_2024", "2023-09-25")
    go = load(PROCESSES / "go-design/design/12914-monotonic.md")
    assert go.record.updated == "2017-01-26"  # `Last updated: January 26, 2017<br>`
    assert go.record.extra["proposal-issue"] == "https://golang.org/issue/12914"
    shift = load(PROCESSES / "go-design/design/44309-user-configurable-memory-target.md")
    assert shift.record.updated == "2021-02-16"  # `Updated: 16 February 2021`


def _rows(document):
    import panflute as pf

    (table,) = [b for b in document.doc.content if getattr(b, "identifier", "") == "metadata"]
    rows = []
    for row in table.content[0].content[0].content:
        label, value = (pf.stringify(c).strip() for c in row.content)
        rows.append((label, value))
    return rows


def test_metadata_table_speaks_the_process():
    kep = load(PROCESSES / "kep/keps/sig-node/2727-grpc-probe/README.md")
    assert _rows(kep) == [
        ("ID", "KEP-2727"), ("Status", "implemented"),
        ("Authors", "@bowei, @PxyUp, @SergeyKanzhelev"), ("Reviewers", "@thockin, @mrunalp"),
        ("Approvers", "@thockin, @dchen1107"), ("Creation date", "2020-04-04"),
        ("Last updated", "2023-01-31"), ("Stage", "stable"), ("Latest milestone", "v1.27"),
        ("Milestones", "alpha: v1.23, beta: v1.24, stable: v1.27"), ("Owning SIG", "sig-node"),
        ("Participating SIGs", "sig-node, sig-network"), ("Feature gates", "GRPCContainerProbe"),
        ("Can be disabled", "true")]
    rust = load(PROCESSES / "rust-rfc/text/3245-refined-impls.md")
    assert _rows(rust) == [
        ("RFC", "RFC 3245"), ("Start date", "2022-03-22"), ("Feature name", "refined_impls"),
        ("RFC PR", "rust-lang/rfcs#3245"), ("Tracking issue", "rust-lang/rust#100706")]
    go = load(PROCESSES / "go-design/design/44309-user-configurable-memory-target.md")
    assert _rows(go) == [("Issue", "44309"), ("Author(s)", "Michael Knyszek"),
                         ("Last updated", "16 February 2021 (2021-02-16)")]  # as written, as read
    os_ = load(PROCESSES / "openshift/enhancements/installer/openstack-no-fip-install.md")
    assert ("Creation date", "2020-5-26 (2020-05-26)") in _rows(os_)


def test_a_proposals_own_table_of_contents_is_not_printed_twice():
    """A KEP's `<!-- toc -->` list goes; epdoc's contents come once, right after the table."""
    import panflute as pf

    kep = load(PROCESSES / "kep/keps/sig-node/2727-grpc-probe/README.md")
    lists = [b for b in kep.doc.content if isinstance(b, pf.BulletList)
             and "Release Signoff Checklist" in pf.stringify(b)]
    assert lists == []
    tocs = [b for b in kep.doc.content if getattr(b, "identifier", "") == "toc"]
    assert len(tocs) == 1 and "Release Signoff Checklist" in pf.stringify(tocs[0])


def test_a_table_of_contents_heading_with_only_links_goes(tmp_path):
    (tmp_path / "notes.md").write_text(
        "# Notes\n\n## Table of Contents\n\n- [Summary](#summary)\n  - [Goals](#goals)\n"
        "- [Design](#design)\n\n## Summary\n\nS.\n\n### Goals\n\nG.\n\n## Design\n\nD.\n")
    heads = [h for h in load(tmp_path / "notes.md").doc.content
             if type(h).__name__ == "Header"]
    assert [h.identifier for h in heads] == ["summary", "goals", "design"]
    # a Contents heading with prose under it is the author's, and stays
    (tmp_path / "kept.md").write_text("# K\n\n## Contents\n\nWhat is in the box.\n\n"
                                      "## Summary\n\nS.\n")
    heads = [h for h in load(tmp_path / "kept.md").doc.content if type(h).__name__ == "Header"]
    assert [h.identifier for h in heads] == ["contents", "summary"]
