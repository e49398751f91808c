"""--line-numbers: the source's line numbers in the PDF's margin, beside the text written on
that line (build and packet), so a printed comment names the pull request's line."""

from __future__ import annotations

import pdfplumber
import pytest

from helpers import run_epdoc

SOURCE = """\
# EP-077: Numbered Lines

**Status:** Draft

## Summary

The first sentence of the summary sits on this line,
and the second one starts on the next line of the source.

| Option | Default |
|--------|---------|
| speed  | fast    |

```python
def numbered():
    return 77
```
"""


def margin_and_text(pdf_path):
    with pdfplumber.open(pdf_path) as pdf:
        found = [w for p in pdf.pages for w in p.extract_words()]
    margin = {w["text"]: round(w["top"]) for w in found if w["x0"] < 50}
    text = [(w["text"], round(w["top"]), w["x0"]) for w in found if w["x0"] >= 50]
    return margin, text


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    root = tmp_path_factory.mktemp("lines")
    (root / "proposals").mkdir()
    (root / "proposals" / "EP-077-numbered-lines.md").write_text(SOURCE)
    for args, out in ((["--line-numbers"], "build"), ([], "plain")):
        proc = run_epdoc("build", "proposals", "--to", "pdf", "-o", out, *args, cwd=root)
        assert proc.returncode == 0, proc.stderr
    proc = run_epdoc("packet", "proposals", "-o", "build/packet.pdf", "--line-numbers",
                     cwd=root)
    assert proc.returncode == 0, proc.stderr
    return root


def top_of(text, word):
    return next(top for w, top, _ in text if w == word)


def test_block_lines_are_printed_in_the_margin_beside_their_text(built):
    margin, text = margin_and_text(built / "build" / "EP-077-numbered-lines.pdf")
    assert abs(margin["5"] - top_of(text, "Summary")) <= 3  # the heading, line 5
    assert abs(margin["7"] - top_of(text, "first")) <= 3  # the paragraph, line 7
    assert abs(margin["14"] - top_of(text, "def")) <= 12  # the code block's fence
    assert "10" in margin or "11" in margin  # the table


def test_a_later_source_line_of_a_paragraph_is_numbered_where_it_starts(built):
    _, text = margin_and_text(built / "build" / "EP-077-numbered-lines.pdf")
    words = [w for w, _, _ in text]
    at = words.index("line,")
    assert words[at + 1] in ("8and", "8")  # small print, just before "and"


def test_without_the_option_no_numbers(built):
    margin, _ = margin_and_text(built / "plain" / "EP-077-numbered-lines.pdf")
    assert not [w for w in margin if w.isdigit()]


def test_the_packet_numbers_lines_too(built):
    margin, text = margin_and_text(built / "build" / "packet.pdf")
    assert abs(margin["7"] - top_of(text, "first")) <= 3
