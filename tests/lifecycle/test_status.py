"""epdoc status: the status changed in place, every other byte of the file kept."""

from __future__ import annotations

import pytest

from helpers import run_epdoc
from helpers.lifecycle import DAY, EPOCH

ENV = {"SOURCE_DATE_EPOCH": EPOCH}


def _status(repo, *args):
    return run_epdoc("status", *args, cwd=repo, env=ENV)


def _expect(before: bytes, *swaps, crlf: bool = False) -> bytes:
    """`before` with each (old, new) line swapped once: what the file must be after (the
    swaps written with \n, as CRLF in a CRLF file)."""
    out = before
    for old, new in swaps:
        if crlf:
            old, new = (x.replace(b"\n", b"\r\n") for x in (old, new))
        assert out.count(old) == 1, old
        out = out.replace(old, new)
    return out


def _as_crlf(path, crlf):
    """The file with CRLF line endings when `crlf`; its bytes."""
    if crlf:
        path.write_bytes(path.read_bytes().replace(b"\n", b"\r\n"))
    return path.read_bytes()


CRLF = pytest.mark.parametrize("crlf", [False, True], ids=["lf", "crlf"])


@pytest.mark.parametrize("crlf", [False, True], ids=["lf", "crlf"])
def test_bold_keys_keep_every_other_byte(repo, crlf):
    path = repo / "proposals" / "EP-001-bold-keys.md"
    if crlf:
        path.write_bytes(path.read_bytes().replace(b"\n", b"\r\n"))
    before = path.read_bytes()
    proc = _status(repo, "EP-001", "accepted", "--dir", "proposals")
    assert proc.returncode == 0, proc.stderr
    assert "EP-001: Draft (Prototype Available) -> Accepted" in proc.stdout
    assert path.read_bytes() == _expect(
        before, (b"**Status**: Draft (Prototype Available)  ", b"**Status**: Accepted  "),
        (b"**Last Updated**: 2024-02-01", f"**Last Updated**: {DAY}".encode()))
    assert (b"\r\n" in path.read_bytes()) == crlf
    assert b"\n" not in path.read_bytes().replace(b"\r\n", b"") or not crlf


@CRLF
def test_bullets_gain_an_updated_line_in_their_own_style(repo, crlf):
    path = repo / "proposals" / "EP-002-bullets.md"
    before = _as_crlf(path, crlf)
    proc = _status(repo, str(path.relative_to(repo)), "Implemented")
    assert proc.returncode == 0, proc.stderr
    assert path.read_bytes() == _expect(
        before, (b"* **Status:** Implementable\n", b"* **Status:** Implemented\n"),
        (b"* **Created:** 2024-03-05\n",
         f"* **Created:** 2024-03-05\n* **Last Updated:** {DAY}\n".encode()), crlf=crlf)


@CRLF
def test_front_matter_keeps_quotes_and_comments(repo, crlf):
    path = repo / "proposals" / "EP-003-front-matter.md"
    before = _as_crlf(path, crlf)
    proc = _status(repo, "EP-3", "Withdrawn", "--dir", "proposals", "--note", "no owner")
    assert proc.returncode == 0, proc.stderr
    assert path.read_bytes() == _expect(
        before, (b'status: "Draft"\n', b'status: "Withdrawn (no owner)"\n'),
        (b"last-updated: 2024-04-02 # edited by hand",
         f"last-updated: {DAY} # edited by hand".encode()), crlf=crlf)


@CRLF
def test_a_file_without_a_final_newline_keeps_none(repo, crlf):
    path = repo / "proposals" / "EP-004-no-newline.md"
    before = _as_crlf(path, crlf)
    proc = _status(repo, "EP-004", "Implemented", "--dir", "proposals")
    assert proc.returncode == 0, proc.stderr
    assert path.read_bytes() == _expect(
        before, (b"- **Status**: Accepted\n", b"- **Status**: Implemented\n"),
        (b"- **Created**: 2024-06-01\n",
         f"- **Created**: 2024-06-01\n- **Last Updated**: {DAY}\n".encode()), crlf=crlf)
    assert not path.read_bytes().endswith(b"\n")


@CRLF
def test_kep_status_is_written_in_kep_yaml(repo, crlf):
    folder = repo / "keps" / "sig-node" / "2000-node-swap"
    readme, side = (folder / "README.md").read_bytes(), _as_crlf(folder / "kep.yaml", crlf)
    proc = _status(repo, "KEP-2000", "implementable", "--dir", "keps")
    assert proc.returncode == 0, proc.stderr
    assert (folder / "README.md").read_bytes() == readme
    assert (folder / "kep.yaml").read_bytes() == _expect(
        side, (b"status: provisional\n", b"status: implementable\n"),
        (b"last-updated: 2023-02-01\n", f"last-updated: {DAY}\n".encode()), crlf=crlf)


def test_superseded_by_writes_both_proposals(repo):
    old, new = (repo / "proposals" / n for n in ("EP-001-bold-keys.md", "EP-004-no-newline.md"))
    old_before, new_before = old.read_bytes(), new.read_bytes()
    proc = _status(repo, "EP-001", "Superseded", "--by", "EP-004", "--dir", "proposals")
    assert proc.returncode == 0, proc.stderr
    assert old.read_bytes() == _expect(
        old_before, (b"**Status**: Draft (Prototype Available)  \n",
                     b"**Status**: Superseded  \n**Superseded-By**: EP-004  \n"),
        (b"**Last Updated**: 2024-02-01", f"**Last Updated**: {DAY}".encode()))
    assert new.read_bytes() == _expect(
        new_before, (b"- **Status**: Accepted\n",
                     b"- **Status**: Accepted\n- **Supersedes**: EP-001\n"),
        (b"- **Created**: 2024-06-01\n",
         f"- **Created**: 2024-06-01\n- **Last Updated**: {DAY}\n".encode()))
    meta = run_epdoc("meta", "--json", "proposals/EP-001-bold-keys.md", cwd=repo)
    assert '"superseded_by": "EP-004"' in meta.stdout


def test_kep_replaced_by_another_names_it_in_both_kep_yaml(repo):
    nodes = repo / "keps" / "sig-node"
    proc = _status(repo, "keps/sig-node/2000-node-swap", "replaced", "--by", "KEP-2100",
                   "--dir", "keps")
    assert proc.returncode == 0, proc.stderr
    old = (nodes / "2000-node-swap" / "kep.yaml").read_text()
    assert "status: replaced\nsuperseded-by:\n  - \"/keps/sig-node/2100-swap-limits\"\n" in old
    new = (nodes / "2100-swap-limits" / "kep.yaml").read_text()
    assert 'replaces: ["/keps/sig-node/2000-node-swap"]\n' in new
    assert f"last-updated: {DAY}\n" in new


def test_unknown_status_is_refused_with_a_near_miss(repo):
    path = repo / "proposals" / "EP-002-bullets.md"
    before = path.read_bytes()
    proc = _status(repo, "EP-002", "Implemnted", "--dir", "proposals")
    assert proc.returncode == 2
    assert "status 'Implemnted' is not one of" in proc.stderr
    assert "did you mean Implemented?" in proc.stderr
    assert "Traceback" not in proc.stderr
    proc = _status(repo, "KEP-2000", "Accepted", "--dir", "keps")
    assert proc.returncode == 2 and "provisional, implementable" in proc.stderr
    assert path.read_bytes() == before


def test_superseded_needs_by_and_by_needs_superseded(repo):
    proc = _status(repo, "EP-001", "Superseded", "--dir", "proposals")
    assert proc.returncode == 2 and "--by" in proc.stderr
    proc = _status(repo, "EP-001", "Accepted", "--by", "EP-002", "--dir", "proposals")
    assert proc.returncode == 2 and "leave out --by" in proc.stderr
    proc = _status(repo, "EP-099", "Accepted", "--dir", "proposals")
    assert proc.returncode == 2 and "no proposal EP-099" in proc.stderr


def test_dry_run_prints_the_diff_and_writes_nothing(repo):
    path = repo / "proposals" / "EP-002-bullets.md"
    before = path.read_bytes()
    proc = _status(repo, "EP-002", "Rejected", "--dir", "proposals", "--dry-run")
    assert proc.returncode == 0, proc.stderr
    assert path.read_bytes() == before
    lines = proc.stdout.splitlines()
    assert "--- a/proposals/EP-002-bullets.md" in lines
    assert "-* **Status:** Implementable" in lines
    assert "+* **Status:** Rejected" in lines
    assert f"+* **Last Updated:** {DAY}" in lines
    # the diff applies: git checks it against the file
    patch = repo / "change.patch"
    patch.write_text(proc.stdout)
    check = __import__("subprocess").run(["git", "apply", "--check", "change.patch"], cwd=repo,
                                         capture_output=True, text=True)
    assert check.returncode == 0, check.stderr


def test_a_draft_title_loses_its_prefix_with_the_status(repo):
    path = repo / "proposals" / "draft-20260105-shards.md"
    path.write_bytes(b"---\ntitle: Shards\nauthors:\n  - Olu Adeyemi\ncreation-date: 2026-01-05\n"
                     b"---\n\n# Draft: Online Shards\n\nText.\n")
    proc = _status(repo, str(path.relative_to(repo)), "Accepted")
    assert proc.returncode == 0, proc.stderr
    assert "no status" not in proc.stdout and "Draft -> Accepted" in proc.stdout
    assert path.read_bytes() == (
        b"---\ntitle: Shards\nauthors:\n  - Olu Adeyemi\ncreation-date: 2026-01-05\n"
        + f"last-updated: {DAY}\nstatus: Accepted\n".encode()
        + b"---\n\n# Online Shards\n\nText.\n")


def test_comments_and_later_sections_are_not_metadata(repo):
    path = repo / "proposals" / "EP-007-untitled.md"
    path.write_bytes(b"<!--\nStatus: in the comment\n-->\n**Status**: Draft\n**Authors**: Ann\n\n"
                     b"## Summary\n\n**Note**: stays.\n")
    proc = _status(repo, "EP-007", "Accepted", "--dir", "proposals")
    assert proc.returncode == 0, proc.stderr
    assert path.read_bytes() == (
        b"<!--\nStatus: in the comment\n-->\n**Status**: Accepted\n"
        + f"**Last Updated**: {DAY}\n".encode()
        + b"**Authors**: Ann\n\n## Summary\n\n**Note**: stays.\n")
