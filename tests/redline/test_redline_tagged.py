"""Redline PDFs are tagged PDF/UA-1 too (issue 16): they pass the PDF/UA checker, and their
change bars (borders in the margin) are artifacts, never read aloud."""

from __future__ import annotations

from helpers.tagtree import heard, ua_problems


def test_every_redline_pdf_passes_the_pdf_ua_checker(redlined):
    pdfs = sorted(redlined["build"].glob("*.redline.pdf"))
    assert pdfs
    for pdf in pdfs:
        assert ua_problems(pdf) == [], pdf.name
        assert not any("Page 1 of" in line for line in heard(pdf)), pdf.name
