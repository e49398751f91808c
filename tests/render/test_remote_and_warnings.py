"""Remote pictures in raw HTML behave as in markdown (a link with the alt text, one
`image-remote` note), and one finding is reported once (a bad date is not a PDF warning)."""

from __future__ import annotations

from helpers import run_epdoc
from helpers.readers import docx_text, html_text, pdf_text

PROPOSAL = """# EP-990: Remote raw picture

**Status**: Draft
**Authors**: A
**Created**: 2026-13-45

<img src="https://example.org/pic.png" alt="a remote picture" width="100">

![markdown remote](https://example.org/md.png)

KEEPTEXT
"""


def test_remote_raw_pictures_become_links_with_one_note(tmp_path):
    (tmp_path / "EP-990-remote.md").write_text(PROPOSAL)
    proc = run_epdoc("build", "EP-990-remote.md", "-o", "out", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    err = proc.stderr
    assert err.count("remote image https://example.org/pic.png shown as a link") == 1
    assert "EP-990-remote.md:7:1: info image-remote" in err
    assert err.count("remote image https://example.org/md.png shown as a link") == 1
    html = (tmp_path / "out" / "EP-990-remote.html").read_text()
    assert '<a href="https://example.org/pic.png" class="remote-image">a remote picture</a>' \
        in html
    assert "<img" not in html.split("<body", 1)[1]
    assert "a remote picture" in pdf_text(tmp_path / "out" / "EP-990-remote.pdf")
    assert "KEEPTEXT" in docx_text(tmp_path / "out" / "EP-990-remote.docx")
    assert "KEEPTEXT" in html_text(tmp_path / "out" / "EP-990-remote.html")


def test_one_finding_is_reported_once(tmp_path):
    (tmp_path / "EP-990-remote.md").write_text(PROPOSAL)
    proc = run_epdoc("build", "EP-990-remote.md", "-o", "out", cwd=tmp_path)
    assert proc.stderr.count("date-invalid") == 1
    assert "pdf-render" not in proc.stderr
    assert "Failed to load image" not in proc.stderr and "None" not in proc.stderr


def test_a_refused_raw_picture_shows_its_alt_text_and_is_reported(tmp_path):
    (tmp_path / "outside.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    src = tmp_path / "p"
    src.mkdir()
    (src / "EP-991-raw.md").write_text(
        "# EP-991: Refused raw\n\n**Status**: Draft\n\n"
        '<img src="../outside.png" alt="an outside picture">\n\nText.\n')
    proc = run_epdoc("build", "EP-991-raw.md", "-o", "out", cwd=src)
    assert proc.returncode == 0, proc.stderr
    assert "EP-991-raw.md:5:1:" in proc.stderr and "image-missing" in proc.stderr
    assert proc.stderr.count("'../outside.png' not included") == 1
    html = (src / "out" / "EP-991-raw.html").read_text()
    assert '<span class="missing-image">[image refused: an outside picture]</span>' in html
    assert "[image refused: an outside picture]" in pdf_text(src / "out" / "EP-991-raw.pdf")
