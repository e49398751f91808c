"""The review packet since a revision: each changed proposal as its redline (with source
line numbers), unchanged ones listed on the index as unchanged (and not printed again)."""

from __future__ import annotations

import pdfplumber
import pytest

from helpers import run_epdoc


@pytest.fixture(scope="module")
def packet(history, tmp_path_factory):
    out = tmp_path_factory.mktemp("packet") / "packet.pdf"
    proc = run_epdoc("packet", "proposals", "--since", "v1", "--line-numbers", "-o", out,
                     cwd=history)
    assert proc.returncode == 0, proc.stderr
    with pdfplumber.open(out) as pdf:
        return [" ".join((p.extract_text() or "").split()) for p in pdf.pages], \
            [p.extract_words() for p in pdf.pages]


def test_the_index_says_what_changed_since(packet):
    index = next(p for p in packet[0] if p.startswith("Enhancement Proposals: Review Packet Index"))
    assert "Since v1 (" in index
    assert "changed, +5 −13 words" in index
    assert "new, +" in index
    assert "EP-046 Same Draft" in index and "unchanged —" in index


def test_changed_proposals_are_their_redlines_unchanged_ones_are_not_printed(packet):
    text = " ".join(packet[0])
    assert "quickly.slowly." in text and "ninety days." in text
    assert text.count("Changes since v1 (") == 2 and "New since v1 (" in text
    assert "Nothing changes here." not in text


def test_the_redlines_keep_their_source_line_numbers(packet):
    for found in packet[1]:
        margin = {w["text"]: w["top"] for w in found if w["x0"] < 50}
        heading = [w["top"] for w in found if w["text"] == "Motivation" and w["x0"] < 70]
        if heading and "11" in margin:  # EP-042's "## Motivation" is its line 11
            assert abs(margin["11"] - heading[-1]) <= 4
            return
    raise AssertionError("no page numbers the Motivation heading with its line 11")
