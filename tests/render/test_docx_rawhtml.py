"""Raw HTML that GitHub renders reaches the DOCX with its meaning (issue 20, item 2): a
proposal with each construct, built the way users build (`epdoc build proposals -o build`
from the folder holding them), its DOCX read back with python-docx (and LibreOffice, where
installed); the HTML and PDF still show it all."""

from __future__ import annotations

import hashlib
import shutil
import subprocess

import docx
import pytest
from docx.oxml.ns import qn
from lxml import html as lxml_html

from helpers import FIXTURES, run_epdoc
from helpers.readers import docx_text, html_text, pdf_text, squash

STEM = "EP-301-raw-html"
SOURCE = FIXTURES / "rawhtml" / f"{STEM}.md"


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    root = tmp_path_factory.mktemp("rawhtml")
    shutil.copytree(FIXTURES / "rawhtml", root / "proposals")
    proc = run_epdoc("build", "proposals", "-o", "build", "--to", "docx,html,pdf", cwd=root,
                     env={"EPDOC_CACHE": str(root / "cache")})
    assert proc.returncode == 0, proc.stderr
    return root / "build", proc


@pytest.fixture(scope="module")
def document(built):
    return docx.Document(str(built[0] / f"{STEM}.docx"))


def line_of(needle: str) -> int:
    lines = SOURCE.read_text().split("\n")
    return next(n for n, text in enumerate(lines, 1) if needle in text)


def paragraph(d, start: str):
    return next(p for p in d.paragraphs if p.text.startswith(start))


def test_a_raw_table_is_a_word_table_with_its_header_and_markup(document):
    table = next(t for t in document.tables if t.cell(0, 0).text == "Component")
    assert [[c.text for c in row.cells] for row in table.rows] == [
        ["Component", "Owner", "State"],
        ["Scheduler", "Team Alpha", "Ready"],
        ["kubelet", "Team Beta", "Pending"]]
    first = table.rows[0]._tr
    assert first.find(f"{qn('w:trPr')}/{qn('w:tblHeader')}") is not None  # repeats on pages
    assert table.rows[1]._tr.find(f"{qn('w:trPr')}/{qn('w:tblHeader')}") is None
    assert table.cell(1, 0).paragraphs[0].runs[0].bold
    assert table.cell(2, 0).paragraphs[0].runs[0].style.name == "Verbatim Char"


def test_raw_pictures_are_inline_pictures_of_their_files(document):
    names = {}
    for shape in document.inline_shapes:
        blip = shape._inline.find(".//" + qn("a:blip"))
        data = document.part.related_parts[blip.get(qn("r:embed"))].blob
        names[shape._inline.docPr.get("descr")] = hashlib.sha256(data).hexdigest()
    images = FIXTURES / "rawhtml" / "images"
    for name in ("small-chart.png", "tall-figure.png"):
        digest = hashlib.sha256((images / name).read_bytes()).hexdigest()
        assert digest in names.values(), (name, names)
    assert len(document.inline_shapes) == 2  # the remote one is a link, not a picture


def test_a_remote_raw_picture_is_a_link_with_its_alt_text_and_one_note(document, built):
    links = [(h.text, h.url) for p in document.paragraphs for h in p.hyperlinks]
    assert ("The remote chart", "https://example.org/remote-chart.png") in links
    err = built[1].stderr
    assert err.count("image-remote") == 1
    assert f"{STEM}.md:{line_of('remote-chart.png')}:1: info image-remote" in err


def test_details_show_their_summary_in_bold_then_their_content(document, built):
    text = docx_text(built[0] / f"{STEM}.docx")
    order = ["Summary line words", "Hidden paragraph with markdown inside.",
             "hidden item one", "hidden item two",
             "Single block summary", "Single block content words"]
    at = [text.index(s) for s in order]
    assert at == sorted(at)
    for summary in ("Summary line words", "Single block summary"):
        runs = paragraph(document, summary).runs
        assert runs and all(r.bold for r in runs), summary
    inside = paragraph(document, "Hidden paragraph")
    assert [r.text for r in inside.runs if r.bold] == ["markdown"]  # markdown kept inside


def test_definition_lists_and_captions(document):
    texts = [p.text for p in document.paragraphs]
    dl = ["Quorum", "Half the voters plus one.", "Veto", "A single blocking vote."]
    at = [texts.index(s) for s in dl]
    assert at == sorted(at)
    caption = texts.index("Figure caption words")
    picture = next(i for i, p in enumerate(document.paragraphs)
                   if p._p.find(".//" + qn("wp:docPr")) is not None
                   and p._p.find(".//" + qn("wp:docPr")).get("descr") == "A tall figure")
    assert caption == picture + 1


def test_inline_html_keeps_its_meaning(document):
    p = paragraph(document, "Water is H2O")
    runs = [(r.text, r.font.subscript, r.font.superscript) for r in p.runs]
    assert ("2", True, None) in runs or ("2", True, False) in runs
    assert any(t == "2" and sup for t, _, sup in runs)
    keys = [r.text for r in p.runs if r.style.name == "Verbatim Char"]
    assert keys == ["Ctrl", "Enter"]
    assert p._p.find(".//" + qn("w:br")) is not None
    assert "Second line after a break" in p.text
    assert ("the spec", "https://example.org/spec") in [(h.text, h.url) for h in p.hyperlinks]


def test_what_the_docx_cannot_show_keeps_its_text_with_a_located_warning(document, built):
    assert "Iframe fallback words" in [p.text for p in document.paragraphs]
    err = built[1].stderr
    line = line_of("<iframe")
    assert f"proposals/{STEM}.md:{line}:1: warning html-dropped raw HTML <iframe>" in err
    assert err.count("html-dropped") == 1


def test_what_the_html_page_refuses_never_reaches_the_docx(document, built):
    p = paragraph(document, "Refused parts:")
    assert "[image refused: a local file]" in p.text and "a script link" in p.text
    assert not p.hyperlinks
    targets = [r.target_ref for r in document.part.rels.values() if r.is_external]
    assert not [t for t in targets if t.startswith(("javascript:", "file:"))], targets
    assert f"{STEM}.md:{line_of('file:///etc/passwd')}:" in built[1].stderr


def test_html_and_pdf_still_show_the_raw_html(built):
    out = built[0]
    page = lxml_html.fromstring((out / f"{STEM}.html").read_bytes())
    assert page.xpath("//table//th[normalize-space()='Component']")
    assert page.xpath("//details/summary[normalize-space()='Summary line words']")
    assert page.xpath("//kbd[.='Ctrl']") and page.xpath("//sub[.='2']")
    assert page.xpath("//dl/dt[.='Quorum']") and page.xpath("//figcaption")
    assert not page.xpath("//iframe")
    pdf = squash(pdf_text(out / f"{STEM}.pdf"))
    for words in ("Team Alpha", "Summary line words", "Half the voters plus one",
                  "Figure caption words", "The remote chart"):
        assert squash(words) in pdf, words
        assert squash(words) in squash(html_text(out / f"{STEM}.html")), words


@pytest.mark.skipif(not shutil.which("soffice"), reason="LibreOffice is not installed")
def test_libreoffice_reads_every_word(built, tmp_path):
    subprocess.run(["soffice", "--headless", "--convert-to", "txt:Text", "--outdir",
                    str(tmp_path), str(built[0] / f"{STEM}.docx")],
                   check=True, capture_output=True, timeout=240)
    text = squash((tmp_path / f"{STEM}.txt").read_text(encoding="utf-8", errors="replace"))
    for words in ("Component Owner State", "Scheduler Team Alpha Ready", "The remote chart",
                  "Figure caption words", "Summary line words", "hidden item two",
                  "Single block content words", "Quorum", "A single blocking vote",
                  "Ctrl", "Second line after a break", "Iframe fallback words"):
        assert squash(words) in text, words
