"""One theme for every format: change a color, a font and the page size in theme.toml once,
and the HTML, the PDF and the DOCX all follow."""

import re
import shutil

import docx
import pdfplumber
import pytest

from epdoc.pipeline.config import theme as themes
from epdoc.pipeline.config.fonts import family_name

from helpers import FIXTURES, run_epdoc
from helpers.pdf import embedded_fonts

HEADING = "#AA3300"


@pytest.fixture(scope="module")
def restyled(tmp_path_factory):
    root = tmp_path_factory.mktemp("theme")
    styles = root / "styles"
    shutil.copytree(themes.styles_dir(), styles, ignore=shutil.ignore_patterns("__pycache__"))
    toml = styles / "theme.toml"
    text = toml.read_text()
    text = re.sub(r'(?m)^heading = ".*"$', f'heading = "{HEADING}"', text)
    text = re.sub(r'(?m)^body = "epdoc Sans"$', 'body = "epdoc Mono"', text)
    text = re.sub(r'(?m)^size = "A4".*$', 'size = "Letter"', text)
    toml.write_text(text)
    out = root / "out"
    proc = run_epdoc("build", FIXTURES / "status" / "EP-021-event-streams.md", "--to",
                     "html,pdf,docx", "-o", out, "--theme", styles)
    return styles, out / "EP-021-event-streams", proc


def test_theme_change_reaches_html(restyled):
    _, stem, proc = restyled
    assert proc.returncode == 0, proc.stderr
    html = stem.with_suffix(".html").read_text()
    assert f"--color-heading: {HEADING};" in html
    assert '--font-body: "epdoc Mono"' in html


def test_theme_change_reaches_pdf(restyled):
    _, stem, _ = restyled
    path = stem.with_suffix(".pdf")
    with pdfplumber.open(str(path)) as pdf:
        page = pdf.pages[0]
        assert (round(page.width), round(page.height)) == (612, 792)  # Letter, in points
        heading = [c for c in page.chars if c["text"] == "S" and c["size"] > 12][0]  # Summary
        rgb = tuple(round(v * 255) for v in heading["non_stroking_color"])
        assert rgb == (0xAA, 0x33, 0x00)
        body = [c for c in page.chars if c["text"] == "R" and abs(c["size"] - 10) < 0.1]
        assert body and all("epdoc-Mono" in c["fontname"] for c in body)
    assert not any(f.startswith("epdoc-Sans") and "Bold" not in f for f in embedded_fonts(path))


def test_theme_change_reaches_docx(restyled):
    styles, stem, _ = restyled
    d = docx.Document(str(stem.with_suffix(".docx")))
    assert str(d.styles["Heading 2"].font.color.rgb) == HEADING.lstrip("#")
    mono = family_name(styles / "fonts" / "DejaVuSansMono.ttf")
    assert d.styles["Normal"].font.name == mono
    assert round(d.sections[0].page_width.mm) == 216  # Letter
    assert round(d.sections[0].page_height.mm) == 279


def test_unknown_theme_folder_is_a_usage_error(tmp_path):
    proc = run_epdoc("build", FIXTURES / "status" / "EP-022-global-locks.md", "--to", "html",
                     "-o", tmp_path, "--theme", tmp_path / "nope")
    assert proc.returncode == 2 and "not a theme folder" in proc.stderr
