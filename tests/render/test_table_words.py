"""Narrow table columns never break a word in the middle: each column is as wide as its
longest word (up to a limit), and what must still break does so at a hyphenation point."""

from __future__ import annotations

import pdfplumber

from helpers import run_epdoc

ROW = ("| Feature number {i} with a long description that wraps over lines | Applicable | "
       "@dekkagaijin | Implementation-defined behaviour | Not applicable here | Maybe |")
TABLE = ("| Feature | Status | Owner | Behaviour | Notes | Other |\n|---|---|---|---|---|---|\n"
         + "\n".join(ROW.format(i=i) for i in range(4)))


def test_words_stay_whole_in_narrow_columns(tmp_path):
    (tmp_path / "EP-995-table.md").write_text(
        f"# EP-995: Table\n\n**Status**: Accepted\n\n{TABLE}\n")
    proc = run_epdoc("build", "EP-995-table.md", "-o", "out", "--to", "pdf,html", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    with pdfplumber.open(tmp_path / "out" / "EP-995-table.pdf") as pdf:
        words = [w["text"] for page in pdf.pages for w in page.extract_words()]
    for whole in ("Applicable", "@dekkagaijin", "Implementation-defined"):
        assert words.count(whole) == 4, (whole, words)
    # a word broken at all ends its first part with a hyphen (a real hyphenation point)
    pieces = [w for w in words if w.endswith(("\u2010", "-")) and w != "Implementation-"]
    assert all(w[:-1].isalpha() for w in pieces), pieces
    assert not [w for w in words if w in ("@dekkagaij", "Ap", "pli", "ca")]
