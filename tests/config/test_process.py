"""Proposal processes as data: the built-in ones, which one a proposal follows (detected,
the project's `process = "..."`, --process), and a project's own process defined in its
config file without code."""

import json

import pytest

from epdoc.pipeline.config import process
from epdoc.pipeline.config.project import ConfigError
from epdoc.pipeline.lint.codes import CODES

from helpers import CORPUS, FIXTURES, run_epdoc

PROCESSES = FIXTURES / "processes"


def test_every_built_in_process_loads_from_its_data_file():
    for name in process.BUILTIN:
        p = process.builtin(name)
        assert p.name == name and (process.FOLDER / f"{name}.toml").is_file()
        assert set(p.lint_severity) <= set(CODES)  # the codes a process relaxes exist
        for status in p.shown_as.values():
            assert status in process.builtin("ep").statuses  # shown as a theme status
    kep = process.builtin("kep")
    assert (kep.layout, kep.entry_names, kep.sidecars) == ("folder", ("README.md",), ("kep.yaml",))
    assert kep.statuses == ("provisional", "implementable", "implemented", "deferred",
                            "rejected", "withdrawn", "replaced")
    assert "informational" in process.builtin("openshift").statuses
    assert process.builtin("rust-rfc").statuses == () == process.builtin("go-design").statuses
    assert process.builtin("ep").statuses == ("Draft", "Accepted", "Implementable",
                                              "Implemented", "Deferred", "Rejected",
                                              "Withdrawn", "Superseded")


@pytest.mark.parametrize("path, name", [
    ("kep/keps/sig-node/2727-grpc-probe/README.md", "kep"),
    ("kep/keps/sig-node/2727-grpc-probe", "kep"),  # the proposal's folder
    ("openshift/enhancements/cluster-logging/multi-container-structured-logging.md",
     "openshift"),
    ("openshift/enhancements/installer/openstack-no-fip-install.md", "openshift"),
    ("rust-rfc/text/3501-edition-2024.md", "rust-rfc"),
    ("go-design/design/12914-monotonic.md", "go-design"),
    ("go-design/design/44309-user-configurable-memory-target.md", "go-design"),
])
def test_detected_per_proposal(path, name):
    assert process.detect(PROCESSES / path).name == name


def test_the_projects_own_proposals_stay_ep():
    for path in sorted(CORPUS.glob("*.md")) + sorted((FIXTURES / "unseen").glob("*.md")) + \
            sorted((FIXTURES / "lint").rglob("*.md")):
        assert process.detect(path).name == "ep", path


def test_a_proposal_with_nothing_to_tell_is_generic(tmp_path):
    (tmp_path / "idea.md").write_text("# An idea\n\nJust text.\n")
    assert process.detect(tmp_path / "idea.md").name == "generic"
    # a Go design document with only a byline, among ones with Author(s): lines
    for n in (1, 2, 3):
        (tmp_path / f"1000{n}-x.md").write_text(
            f"# Proposal: X{n}\n\nAuthor(s): A\n\n## Abstract\n")
    (tmp_path / "10004-y.md").write_text("# Y\n\nRuss Cox\\\nJuly 2015\n\n## Abstract\n\nY.\n")
    assert process.detect(tmp_path / "10004-y.md").name == "go-design"


def test_entry_of_a_proposal_folder(tmp_path):
    folder = PROCESSES / "kep" / "keps" / "sig-node" / "2727-grpc-probe"
    assert process.entry(folder) == folder / "README.md"
    (tmp_path / "README.md").write_text("# A project's readme\n")
    assert process.entry(tmp_path) is None  # no kep.yaml beside it


ACME = """\
process = "acme"

[processes.acme]
extends = "ep"
title = "ACME change request"
required = ["status", "authors"]
known-keys = ["Budget"]

[processes.acme.id]
format = "ACR-{number:04d}"
pattern = '^ACR-(\\d+)'
title-prefix = '^\\s*ACR-(?P<number>\\d+)\\s*:\\s*(?P<rest>.*)$'

[processes.acme.status]
values = ["Proposed", "Funded", "Shipped", "Cancelled"]
shown-as = { proposed = "Draft", cancelled = "Withdrawn" }

[processes.acme.sections]
required = ["Why", "How"]

[processes.acme.sections.aliases]
How = ["Plan"]

[[processes.acme.fields]]
name = "team"
label = "Owning team"
keys = ["team", "squad"]

[processes.acme.labels]
created = "Opened"
"""

ACR = """\
# ACR-0007: Faster invoices

- **Status**: Proposed
- **Authors**: Kim
- **Squad**: Billing
- **Budget**: 10k
- **Created**: 8 February 2021

## Why

Slow.

## Plan

Cache.
"""


def test_a_project_defines_its_own_process_without_code(tmp_path):
    (tmp_path / "epdoc.toml").write_text(ACME)
    (tmp_path / "crs").mkdir()
    (tmp_path / "crs" / "ACR-0007-faster-invoices.md").write_text(ACR)
    proc = run_epdoc("meta", "crs", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    record = json.loads(proc.stdout)
    assert (record["id"], record["number"], record["title"], record["status"]) == \
        ("ACR-0007", 7, "Faster invoices", "Proposed")
    assert record["extra"] == {"team": "Billing", "Budget": "10k"}
    assert record["created"] == "8 February 2021"  # extends ep: ISO dates only
    proc = run_epdoc("lint", "crs", "--format", "json", cwd=tmp_path)
    found = [(d["line"], d["code"]) for d in json.loads(proc.stdout)]
    assert found == [(7, "date-invalid")]  # its statuses, sections and keys are known
    proc = run_epdoc("build", "crs", "--to", "html", "-o", "out", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    page = (tmp_path / "out" / "ACR-0007-faster-invoices.html").read_text()
    assert "<strong>Owning team</strong>" in page and "<strong>Opened</strong>" in page
    assert "watermark-draft" in page  # Proposed shows as Draft
    # --process overrides the project's choice
    proc = run_epdoc("lint", "crs", "--process", "ep", "--format", "json", cwd=tmp_path)
    codes = {d["code"] for d in json.loads(proc.stdout)}
    assert {"status-unknown", "section-missing", "key-unknown"} <= codes


@pytest.mark.parametrize("text, message", [
    ('process = "kepp"\n', "epdoc.toml:1: unknown process 'kepp' (did you mean kep?)"),
    ('[processes.x]\nextends = "nope"\n', "process x extends unknown process 'nope'"),
    ('[processes.x]\nstatuz = []\n', "epdoc.toml:2: unknown process setting 'statuz'"),
    ('[processes.x.status]\nshown-az = {}\n', "unknown process setting status.'shown-az'"),
    ('[processes.x]\nlayout = "tree"\n', "epdoc.toml:2: layout must be one of file, folder"),
    ('[processes.x.lint.severity]\nsection-empty = "loud"\n',
     "lint.severity.section-empty must be error, warning, info or off"),
])
def test_a_broken_process_definition_is_a_located_usage_error(tmp_path, text, message):
    if "processes.x" in text:
        text = 'process = "x"\n' + text
        message = message.replace("epdoc.toml:1:", "epdoc.toml:2:").replace(
            "epdoc.toml:2:", "epdoc.toml:3:") if "epdoc.toml:" in message else message
    (tmp_path / "epdoc.toml").write_text(text)
    (tmp_path / "EP-001-x.md").write_text("# EP-001: X\n")
    for command in ("lint", "meta"):
        proc = run_epdoc(command, "EP-001-x.md", cwd=tmp_path)
        assert proc.returncode == 2, proc.stderr
        assert message in proc.stderr, proc.stderr
        assert "Traceback" not in proc.stderr


def test_an_unknown_process_on_the_command_line_is_a_usage_error(tmp_path):
    (tmp_path / "EP-001-x.md").write_text("# EP-001: X\n")
    for command in ("build", "lint", "meta", "index", "packet", "archive"):
        extra = {"index": ["-o", "i.md"], "archive": ["--into", "arch"],
                 "packet": ["-o", "p.pdf"]}.get(command, [])
        proc = run_epdoc(command, "EP-001-x.md", "--process", "rfc", *extra, cwd=tmp_path)
        assert proc.returncode == 2, (command, proc.stderr)
        assert "unknown process 'rfc'" in proc.stderr and "rust-rfc" in proc.stderr
    assert not (tmp_path / "build").exists() and not (tmp_path / "arch").exists()


def test_get_raises_with_the_known_names():
    with pytest.raises(ConfigError, match="known: ep, kep, openshift, rust-rfc, go-design"):
        process.get("nope")
