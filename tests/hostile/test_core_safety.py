"""Converting never reads outside the proposal's folder, and HTML carries no script."""

import pypdf
import pytest

from helpers import run_epdoc

HOSTILE = """# EP-900: Reaching Out

**Status**: Draft

## Summary

<img src="file:///etc/hostname">
<link rel="attachment" href="/etc/passwd">
<script>alert(1)</script>

[click](javascript:alert(1)) and ![secret](../secret/canary.png)

<a href="javascript:alert(2)" onclick="alert(3)">x</a>
"""


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    root = tmp_path_factory.mktemp("reach")
    (root / "secret").mkdir()
    (root / "secret" / "canary.png").write_bytes(b"CANARY-SECRET-BYTES")
    src = root / "proposals"
    src.mkdir()
    (src / "EP-900-reach.md").write_text(HOSTILE)
    out = root / "out"
    proc = run_epdoc("build", src, "--to", "html,pdf,docx", "-o", out)
    return out, proc


def test_build_succeeds_with_warnings(hostile):
    out, proc = hostile
    assert proc.returncode == 0, proc.stderr
    assert "image-missing" in proc.stderr
    assert "outside the proposal's folder" in proc.stderr


def test_pdf_has_no_attachment_and_no_outside_file(hostile):
    out, _ = hostile
    data = (out / "EP-900-reach.pdf").read_bytes()
    reader = pypdf.PdfReader(out / "EP-900-reach.pdf")
    assert not reader.attachments
    assert b"EmbeddedFile" not in data
    hostname = open("/etc/hostname", "rb").read().strip()
    assert b"CANARY" not in data
    assert hostname not in data or len(hostname) < 4


def test_html_has_no_script_or_javascript(hostile):
    out, _ = hostile
    html = (out / "EP-900-reach.html").read_text().lower()
    assert "<script" not in html
    assert "javascript:" not in html
    assert "onclick" not in html
    assert "file:///etc" not in html
    assert "content-security-policy" in html


def test_docx_embeds_no_outside_file(hostile):
    import zipfile

    out, _ = hostile
    with zipfile.ZipFile(out / "EP-900-reach.docx") as z:
        for name in z.namelist():
            assert b"CANARY" not in z.read(name)
