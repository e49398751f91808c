"""Every DOCX as a LibreOffice user sees it (issue 15, item 4): opened headless, its fields
and table of contents updated (Tools > Update > Update All, through UNO), saved as PDF and
read back: every word, every table, every picture, contents entries with the page each
heading is on, about as many pages as epdoc's PDF; formulas as equations; the theme's fonts
drawn from the DOCX itself on a machine without them."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import zipfile

import docx
import pdfplumber
import pytest
from docx.oxml.ns import qn

from helpers import FIXTURES, ROOT, TESTS, corpus_files, run_epdoc
from helpers.readers import missing_words, pdf_pages, squash

pytestmark = pytest.mark.skipif(not shutil.which("soffice"),
                                reason="LibreOffice is not installed (make setup installs it)")
UPDATE = TESTS / "helpers" / "office_update.py"
MATH = FIXTURES / "math" / "EP-900-formulas.md"
DOCS = [p.stem for p in corpus_files()] + [MATH.stem]


def office(profile, outdir, files, env=None):
    proc = subprocess.run(["/usr/bin/python3", str(UPDATE), str(profile), str(outdir),
                           *map(str, files)], capture_output=True, text=True, timeout=900,
                          env=env)
    return proc


@pytest.fixture(scope="module")
def opened(corpus_build, tmp_path_factory):
    """(epdoc's outputs, LibreOffice's PDFs): the corpus (built once per session) and the
    math fixture, every DOCX opened and updated in one LibreOffice."""
    out, _ = corpus_build
    root = tmp_path_factory.mktemp("libreoffice")
    (root / "proposals").mkdir()
    shutil.copy(MATH, root / "proposals" / MATH.name)
    proc = run_epdoc("build", "proposals", "--to", "pdf,docx", "-o", "build", cwd=root)
    assert proc.returncode == 0, proc.stderr
    outputs = root / "outputs"
    outputs.mkdir()
    for stem in DOCS:
        src = root / "build" if stem == MATH.stem else out
        for ext in ("docx", "pdf"):
            shutil.copy(src / f"{stem}.{ext}", outputs / f"{stem}.{ext}")
    lo = root / "lo"
    lo.mkdir()
    proc = office(root / "profile", lo, [outputs / f"{s}.docx" for s in DOCS])
    return outputs, lo, proc


def test_libreoffice_opens_every_docx(opened):
    _, lo, proc = opened
    assert sorted(proc.stdout.split("\n")[:-1]) == sorted(f"{s}.docx ok" for s in DOCS), \
        proc.stdout + proc.stderr
    assert sorted(p.stem for p in lo.glob("*.pdf")) == sorted(DOCS)


def _docx(outputs, stem):
    return docx.Document(str(outputs / f"{stem}.docx"))


@pytest.mark.parametrize("path", corpus_files(), ids=lambda p: p.stem)
def test_every_word_and_table_is_there(opened, path):
    outputs, lo, _ = opened
    text = "\n".join(pdf_pages(lo / f"{path.stem}.pdf"))
    assert missing_words(path, text) == []
    squashed = squash(text)
    for table in _docx(outputs, path.stem).tables:
        for row in (table.rows[0], table.rows[-1]):
            for cell in row.cells:
                assert squash(cell.text) in squashed, cell.text


@pytest.mark.parametrize("stem", DOCS)
def test_every_picture_is_drawn(opened, stem):
    outputs, lo, _ = opened
    with zipfile.ZipFile(outputs / f"{stem}.docx") as z:
        body = z.read("word/document.xml").decode()
    pictures = len(re.findall(r"<pic:pic[ >]", body))
    with pdfplumber.open(lo / f"{stem}.pdf") as pdf:
        drawn = sum(len(p.images) for p in pdf.pages)
    assert drawn == pictures


def _entries(d) -> list[str]:
    return ["".join(t.text for t in p.iter(qn("w:t")))
            for p in d.element.body.iter(qn("w:p"))
            if (p.find(qn("w:pPr")) is not None
                and (s := p.find(qn("w:pPr")).find(qn("w:pStyle"))) is not None
                and s.get(qn("w:val")).startswith("TOC"))]


@pytest.mark.parametrize("stem", DOCS)
def test_the_contents_show_the_page_of_each_heading(opened, stem):
    outputs, lo, _ = opened
    entries = _entries(_docx(outputs, stem))
    assert len(entries) >= 2
    pages = pdf_pages(lo / f"{stem}.pdf")
    lines = [ln.strip() for page in pages[:3] for ln in page.splitlines()]
    numbers = []
    for title in entries:
        found = [m for ln in lines
                 if (m := re.fullmatch(re.escape(title) + r"\s*\.{3,}\s*(\d+)", ln))]
        assert found, f"{title!r} has no page number in the contents"
        numbers.append(int(found[0].group(1)))
    assert numbers == sorted(numbers)
    for title, number in zip(entries, numbers, strict=True):
        lines_there = [ln.strip() for ln in pages[number - 1].splitlines()]
        assert title in lines_there, (title, number)


@pytest.mark.parametrize("stem", DOCS)
def test_about_as_many_pages_as_the_pdf(opened, stem):
    outputs, lo, _ = opened
    with pdfplumber.open(outputs / f"{stem}.pdf") as ours, \
            pdfplumber.open(lo / f"{stem}.pdf") as theirs:
        assert abs(len(ours.pages) - len(theirs.pages)) <= 2, \
            (len(ours.pages), len(theirs.pages))


def test_formulas_are_equations_and_prices_text(opened):
    _, lo, _ = opened
    text = " ".join("\n".join(pdf_pages(lo / f"{MATH.stem}.pdf")).split())
    assert "The hosted plan costs $5 and $10 per month, or $20-$30 a year." in text
    assert "\\frac{1}" in text and "\\foo{x} + 1" in text  # the broken ones, as code
    for raw in ("mc^2", "\\mathcal", "\\int", "pmatrix"):
        assert raw not in text


def test_the_embedded_fonts_draw_it_without_the_theme_fonts_installed(opened, tmp_path):
    """A machine with none of the theme's fonts: LibreOffice draws the DOCX with the fonts
    inside it (the control, the same DOCX without them, falls back to another font)."""
    outputs, _, _ = opened
    stem = corpus_files()[0].stem
    fonts = tmp_path / "fonts"
    fonts.mkdir()
    shutil.copy(ROOT / "styles" / "fonts" / "NotoSansSymbols2-Regular.ttf", fonts)
    conf = tmp_path / "fonts.conf"
    conf.write_text('<?xml version="1.0"?>\n'
                    '<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">\n'
                    f"<fontconfig><dir>{fonts}</dir><cachedir>{tmp_path / 'fc'}</cachedir>"
                    "</fontconfig>\n")
    bare = tmp_path / f"{stem}-bare.docx"
    with zipfile.ZipFile(outputs / f"{stem}.docx") as zin, \
            zipfile.ZipFile(bare, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename == "word/fontTable.xml":  # the fonts no longer named
                data = re.sub(rb"<w:embed\w+ [^>]*/>", b"", data)
            zout.writestr(item, data)
    env = {**os.environ, "FONTCONFIG_FILE": str(conf)}
    lo = tmp_path / "lo"
    lo.mkdir()
    for n, docx_path in enumerate((outputs / f"{stem}.docx", bare)):  # a LibreOffice each:
        proc = office(tmp_path / f"profile{n}", lo, [docx_path], env=env)  # fonts stay loaded
        assert proc.stdout == f"{docx_path.name} ok\n", proc.stdout + proc.stderr

    def used(pdf_path):
        with pdfplumber.open(pdf_path) as pdf:
            return {c["fontname"].split("+")[-1] for p in pdf.pages for c in p.chars}

    assert {"DejaVuSans", "DejaVuSans-Bold", "DejaVuSansMono"} <= used(lo / f"{stem}.pdf")
    assert not any(f.startswith("DejaVu") for f in used(lo / f"{stem}-bare.pdf"))
