"""epdoc lint --process X on real proposals of that process: no finding its own conventions
allow (statuses, keys, sections, dates), and the real problems still found, located (in
kep.yaml when they are there)."""

import json
import shutil

import pytest

from helpers import FIXTURES, run_epdoc

PROCESSES = FIXTURES / "processes"

# every finding each fixture folder gives, as (file, line, code): each one a real problem of
# that proposal as published (a link to a file the copy leaves out, pictures missing upstream,
# characters no theme font has, a date in another form, as notes)
EXPECTED = {
    "kep": [
        ("kep/keps/sig-node/2727-grpc-probe/README.md", 427, "anchor-duplicate"),
        ("kep/keps/sig-node/2727-grpc-probe/README.md", 431, "anchor-duplicate"),
        ("kep/keps/sig-node/2727-grpc-probe/README.md", 435, "anchor-duplicate"),
    ],
    "openshift": [
        ("openshift/enhancements/cluster-logging/multi-container-structured-logging.md", 77,
         "link-missing"),
        ("openshift/enhancements/installer/openstack-no-fip-install.md", 12, "date-form"),
        ("openshift/enhancements/installer/openstack-no-fip-install.md", 13, "date-form"),
    ],
    "rust-rfc": [
        ("rust-rfc/text/0019-opt-in-builtin-traits.md", 6, "link-missing"),
        ("rust-rfc/text/0019-opt-in-builtin-traits.md", 263, "link-missing"),
    ],
    "go-design": [
        ("go-design/design/12914-monotonic.md", 5, "date-form"),
        ("go-design/design/16704-cidr-notation-no-proxy.md", 64, "section-empty"),
        ("go-design/design/44309-user-configurable-memory-target.md", 5, "date-form"),
        ("go-design/design/44309-user-configurable-memory-target.md", 285, "image-missing"),
        ("go-design/design/44309-user-configurable-memory-target.md", 299, "image-missing"),
    ],
}


# what pictures and characters need, the same in every process: checked elsewhere
OTHER = {"glyph-missing", "image-alt-missing"}


def _lint(*args, cwd):
    proc = run_epdoc("lint", *args, "--format", "json", cwd=cwd)
    assert proc.returncode in (0, 1), proc.stderr
    return proc.returncode, json.loads(proc.stdout)


@pytest.mark.parametrize("process", sorted(EXPECTED))
def test_no_false_alarms_on_real_proposals(process):
    code, found = _lint(process, "--process", process, cwd=PROCESSES)
    got = [(d["file"], d["line"], d["code"]) for d in found if d["code"] not in OTHER]
    assert got == EXPECTED[process]
    assert code == (1 if any(d["severity"] == "error" for d in found) else 0)
    notes = [d for d in found if d["code"] == "date-form"]
    assert all(d["severity"] == "info" for d in notes)
    if process == "openshift":
        assert "'2020-5-26' is read as 2020-05-26" in notes[0]["message"]
    # detected without --process, the same
    assert _lint(process, cwd=PROCESSES)[1] == found


def test_glyphs_missing_are_the_chinese_characters_only():
    _, found = _lint("go-design", "--process", "go-design", cwd=PROCESSES)
    glyphs = [d for d in found if d["code"] == "glyph-missing"]
    assert glyphs and all(d["file"].endswith("12914-monotonic.md") for d in glyphs)


@pytest.fixture
def kep(tmp_path):
    """A copy of a real KEP, to break."""
    src = PROCESSES / "kep" / "keps" / "sig-node" / "2727-grpc-probe"
    folder = tmp_path / "keps" / "sig-node" / "2727-grpc-probe"
    shutil.copytree(src, folder)
    return tmp_path, folder


def test_real_problems_are_still_found_where_they_are(kep):
    root, folder = kep
    yaml = folder / "kep.yaml"
    yaml.write_text(yaml.read_text().replace("status: implemented", "status: imlpemented")
                    .replace("creation-date: 2020-04-04", "creation-date: 2020-30-04"))
    readme = folder / "README.md"
    readme.write_text(readme.read_text().replace("## Summary", "## Overview of it"))
    _, found = _lint("keps", "--process", "kep", cwd=root)
    got = [(d["file"], d["line"], d["column"], d["code"]) for d in found
           if d["code"] not in ("anchor-duplicate",)]
    side = "keps/sig-node/2727-grpc-probe/kep.yaml"
    page = "keps/sig-node/2727-grpc-probe/README.md"
    assert got == [
        (page, 1, 1, "section-missing"),     # Summary (or Overview, Abstract)
        (side, 11, 9, "status-unknown"),     # imlpemented
        (side, 12, 16, "date-invalid"),      # 2020-30-04
    ]
    messages = {d["code"]: d["message"] for d in found}
    assert "did you mean implemented?" in messages["status-unknown"]
    assert "provisional, implementable, implemented" in messages["status-unknown"]


def test_a_status_another_process_uses_is_wrong_here(tmp_path):
    """Draft is an EP status, not an OpenShift one; a month is how OpenShift may write a date;
    the process's own names are not unknown keys."""
    folder = tmp_path / "enhancements" / "x"
    folder.mkdir(parents=True)
    (folder / "draft.md").write_text(
        "---\ntitle: x\nauthors:\n  - '@a'\nreviewers:\n  - '@b'\napprovers:\n  - '@c'\n"
        "api-approvers:\n  - None\ncreation-date: 2023-05\nlast-updated: 2021.12.08\n"
        "tracking-link:\n  - https://issues.example.org/X-1\nsee-also:\n  - x.md\n"
        "replaces:\nsuperseded-by:\nstatus: draft\n---\n\n# X\n\n## Summary\n\nS.\n\n"
        "## Motivation\n\nM.\n\n## Proposal\n\nP.\n")
    _, found = _lint("enhancements", "--process", "openshift", cwd=tmp_path)
    got = [(d["line"], d["code"]) for d in found]
    assert got == [(12, "date-form"), (12, "date-order"), (19, "status-unknown")]
    assert "'2021.12.08' is read as 2021-12-08" in found[0]["message"]


def test_the_ep_process_is_unchanged_for_the_same_file(tmp_path):
    """The same OpenShift-style file under the EP process: its statuses, keys and dates."""
    (tmp_path / "EP-040-x.md").write_text(
        "---\ntitle: x\nstatus: provisional\nauthors:\n  - a\ncreation-date: 2021.12.08\n"
        "see-also:\n  - x\n---\n\n# EP-040: X\n\n## Summary\n\nS.\n")
    _, found = _lint("EP-040-x.md", cwd=tmp_path)
    codes = [d["code"] for d in found]
    assert "status-unknown" in codes and "date-invalid" in codes and "key-unknown" in codes
    assert "date-form" not in codes


@pytest.mark.parametrize("text, message", [
    ("not: [valid", "kep.yaml:1: kep.yaml is not valid YAML"),
    ("- a\n- b\n", "kep.yaml must be a mapping"),
])
def test_a_broken_sidecar_is_a_located_error_and_the_proposal_still_converts(
        kep, text, message):
    root, folder = kep
    (folder / "kep.yaml").write_text(text)
    code, found = _lint("keps", "--process", "kep", cwd=root)
    errors = [d for d in found if d["code"] == "sidecar-invalid"]
    assert code == 1 and len(errors) == 1
    assert errors[0]["file"] == "keps/sig-node/2727-grpc-probe/kep.yaml"
    assert message.split(":", 2)[-1].strip() in errors[0]["message"]
    proc = run_epdoc("build", "keps", "--process", "kep", "--to", "html", "-o", "out", cwd=root)
    assert proc.returncode == 0, proc.stderr
    assert "sidecar-invalid" in proc.stderr
    assert (root / "out" / "2727-grpc-probe.html").is_file()


def test_a_sidecar_is_size_limited_and_read_only_from_the_proposals_folder(kep, tmp_path):
    from epdoc.pipeline.core import settings

    root, folder = kep
    yaml = folder / "kep.yaml"
    good = yaml.read_text()
    yaml.write_text(good + "#" * settings.MAX_SIDECAR_BYTES)
    _, found = _lint("keps", "--process", "kep", cwd=root)
    (err,) = [d for d in found if d["code"] == "sidecar-invalid"]
    assert "over the limit" in err["message"]
    # a kep.yaml that is a link out of the folder is not read (the KEP has no metadata then)
    outside = tmp_path / "elsewhere.yaml"
    outside.write_text(good)
    yaml.unlink()
    yaml.symlink_to(outside)
    proc = run_epdoc("meta", str(folder / "README.md"), "--process", "kep")
    record = json.loads(proc.stdout)
    assert record["status"] is None and record["authors"] == []
    assert record["id"] == "KEP-2727"  # from the folder's name


def test_a_keps_ids_must_agree(kep):
    """The title's KEP-NNNN, the folder's number and kep-number: where each is written."""
    root, folder = kep
    yaml = folder / "kep.yaml"
    yaml.write_text(yaml.read_text().replace("kep-number: 2727", "kep-number: 2728"))
    readme = folder / "README.md"
    readme.write_text(readme.read_text().replace("# KEP-2727:", "# KEP-2726:", 1))
    _, found = _lint("keps", cwd=root)
    got = [(d["file"], d["line"], d["column"], d["message"]) for d in found
           if d["code"] == "id-mismatch"]
    assert got == [
        ("keps/sig-node/2727-grpc-probe/README.md", 1, 1,
         "the title says KEP-2726 but the folder 2727-grpc-probe says KEP-2727"),
        ("keps/sig-node/2727-grpc-probe/kep.yaml", 2, 13,
         "kep-number says KEP-2728 but the folder 2727-grpc-probe says KEP-2727"),
    ]
