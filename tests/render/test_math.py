"""Formulas as GitHub writes them (issue 15, item 2): $...$, $$...$$ and ```math are MathML
in HTML, drawn as vector paths in the PDF (no TeX left as text), Word equations in DOCX;
prices in prose stay text; a formula that does not parse keeps its source as code, with a
math-invalid warning at its line."""

from __future__ import annotations

import re
import shutil
import zipfile

import pdfplumber
import pytest
from lxml import html as lxml_html

from helpers import ROOT, run_epdoc
from helpers.readers import pdf_text

FIXTURE = ROOT / "tests" / "fixtures" / "math" / "EP-900-formulas.md"
STEM = FIXTURE.stem
PRICES = "The hosted plan costs $5 and $10 per month, or $20-$30 a year."
M = "{http://schemas.openxmlformats.org/officeDocument/2006/math}"


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    root = tmp_path_factory.mktemp("math")
    (root / "proposals").mkdir()
    shutil.copy(FIXTURE, root / "proposals" / FIXTURE.name)
    proc = run_epdoc("build", "proposals", "--to", "html,pdf,docx", "-o", "build", cwd=root)
    assert proc.returncode == 0, proc.stderr
    return root / "build", proc


def test_broken_formulas_are_located_warnings(built):
    _, proc = built
    found = re.findall(rf"{STEM}\.md:(\d+):(\d+): warning math-invalid (.*)", proc.stderr)
    assert [(int(a), int(b)) for a, b, _ in found] == [(27, 19), (31, 1)], proc.stderr
    assert "`\\frac{1}` does not parse as TeX math (it ends too early)" in found[0][2]
    assert "unexpected control sequence \\foo" in found[1][2]
    assert proc.stderr.count("math-invalid") == 2  # prices and good formulas: nothing


def test_html_has_mathml_and_prices_as_text(built):
    out, _ = built
    page = lxml_html.fromstring((out / f"{STEM}.html").read_bytes())
    maths = page.xpath("//*[local-name()='math']")
    assert [m.get("display") for m in maths] == ["inline", "inline", "inline", "block",
                                                 "block"]
    tex = [m.xpath("string(.//*[local-name()='annotation'])") for m in maths]
    assert tex[0] == "E = mc^2" and "\\begin{pmatrix}" in tex[4]
    assert maths[0].xpath(".//*[local-name()='msup']"), "E = mc^2 is laid out, not text"
    text = " ".join(page.text_content().split())
    assert PRICES in text
    codes = [c.text_content() for c in page.xpath("//code")]
    assert "\\frac{1}" in codes and "\\foo{x} + 1" in codes


def _words(page):
    return {w["text"]: w for w in page.extract_words()}


def test_pdf_draws_each_formula_where_it_is_written(built):
    out, _ = built
    pdf = out / f"{STEM}.pdf"
    text = " ".join(pdf_text(pdf).split())
    assert PRICES in text
    assert "Energy is and the sampling error is when the sum is taken" in text
    for raw in ("mc^2", "mathcal", "\\int", "pmatrix", "\\sum"):
        assert raw not in text  # no formula shown as its TeX
    assert "\\frac{1}" in text and "\\foo{x} + 1" in text  # the broken ones, as code
    with pdfplumber.open(pdf) as doc:
        page = doc.pages[0]
        words = page.extract_words()
        energy = next(i for i, w in enumerate(words) if w["text"] == "Energy")
        is_, and_ = words[energy + 1], words[energy + 2]
        assert and_["text"] == "and"
        drawn = [c for c in page.curves if c["x0"] >= is_["x1"] and c["x1"] <= and_["x0"]
                 and c["bottom"] > is_["top"] - 4 and c["top"] < is_["bottom"] + 4]
        assert len(drawn) >= 4, "E = mc² is drawn as paths between 'is' and 'and'"
        # inline on the baseline: the formula's glyphs stay within the line's height
        assert min(c["top"] for c in drawn) > is_["top"] - 4
        assert max(c["bottom"] for c in drawn) < is_["bottom"] + 3
        all_curves = [c for p in doc.pages for c in p.curves]
        assert len(all_curves) > 40  # the display formulas too


def test_docx_has_word_equations(built):
    out, _ = built
    with zipfile.ZipFile(out / f"{STEM}.docx") as z:
        xml = z.read("word/document.xml").decode("utf-8")
    assert xml.count("<m:oMath>") == 5
    assert xml.count("<m:oMathPara>") == 2
    from docx import Document

    doc = Document(out / f"{STEM}.docx")
    text = "\n".join(p.text for p in doc.paragraphs)
    assert PRICES in text
    assert "\\frac{1}" in text and "\\foo{x} + 1" in text
    assert "mc^2" not in text


def test_lint_reports_the_same_warnings(built):
    root = built[0].parent
    proc = run_epdoc("lint", "proposals", "--format", "json", cwd=root)
    import json

    found = [(d["line"], d["column"]) for d in json.loads(proc.stdout)
             if d["code"] == "math-invalid"]
    assert found == [(27, 19), (31, 1)]


def test_only_formulas_become_mathml(tmp_path):
    """A proposal's own raw <math> is dropped like any element the sanitizer does not know;
    a formula in a picture's alt text stays its TeX (no markup in an attribute)."""
    (tmp_path / "p").mkdir()
    (tmp_path / "p" / "EP-901-raw.md").write_text(
        "# EP-901: Raw\n\n## Summary\n\nA formula $x^2$ and raw "
        '<math><mi href="javascript:alert(1)">evil</mi><mtext>raw</mtext></math> MathML.\n\n'
        "![a picture of $y_1$](data:image/png;base64,iVBORw0KGgo=)\n", encoding="utf-8")
    proc = run_epdoc("build", "p", "--to", "html", "-o", "build", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    page = (tmp_path / "build" / "EP-901-raw.html").read_text(encoding="utf-8")
    assert page.count("<math") == 1 and "<msup>" in page
    assert "javascript" not in page and "<mtext>raw" not in page
    assert "epdocmath" not in page  # every token placed
    assert 'alt="a picture of y_1"' in page or "a picture of y_1" in page
