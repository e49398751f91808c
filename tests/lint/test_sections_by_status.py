"""Required sections may depend on status, where the process says so (issue 17, item 4): a
provisional KEP need not have a test plan yet; an implementable one must."""

from __future__ import annotations

from helpers import run_epdoc

README = """# KEP-1234: Faster probes

## Summary

Probes run faster.

## Motivation

They are slow.

## Proposal

Make them fast.
{extra}"""
KEP_YAML = """title: Faster probes
kep-number: 1234
authors:
  - "@ada"
owning-sig: sig-node
status: {status}
creation-date: 2024-01-10
"""


def _lint(tmp_path, status: str, extra: str = "") -> str:
    folder = tmp_path / status / "keps" / "sig-node" / "1234-faster-probes"
    folder.mkdir(parents=True)
    (folder / "README.md").write_text(README.format(extra=extra))
    (folder / "kep.yaml").write_text(KEP_YAML.format(status=status))
    proc = run_epdoc("lint", "keps", "--process", "kep", cwd=tmp_path / status)
    return proc.stdout + proc.stderr


def test_a_provisional_kep_need_not_have_a_test_plan(tmp_path):
    out = _lint(tmp_path, "provisional")
    assert "Test Plan" not in out, out


def test_an_implementable_kep_must_have_one(tmp_path):
    out = _lint(tmp_path, "implementable")
    assert "section-missing required section 'Test Plan'" in out, out
    out = _lint(tmp_path / "with", "implementable", "\n### Test Plan\n\nUnit and e2e tests.\n")
    assert "Test Plan" not in out, out
