"""Highlighted code in the PDF: lines as plain blocks (printcode.py), every line readable in
order, wrapped lines indented under their start, no per-line links."""

import pypdf

from epdoc.pipeline import render as writers
from epdoc.pipeline.config import theme
from epdoc.pipeline.core.options import Options
from epdoc.pipeline.reading import document
from epdoc.pipeline.render.pdf import code as printcode

from helpers.readers import pdf_pages

LONG = ("    return some_function_with_a_long_name(argument_one, argument_two, "
        "argument_three, argument_four, argument_five, argument_six)")
SOURCE = f"""# EP-901: Code in print

**Status:** Draft

## Code

```python
def f(x):
    y = x + 1

{LONG}
```
"""


def test_code_lines_are_blocks_without_anchors(tmp_path):
    src = tmp_path / "EP-901-code.md"
    src.write_text(SOURCE)
    opts = Options(outdir=tmp_path)
    doc = document.load(src, opts)
    pdf = writers.get("pdf")(opts, theme.load())
    html = pdf.html(doc)
    assert 'class="sourceCode python lines"' in html
    assert 'href="#cb1-' not in html and 'id="cb1-' not in html
    pdf.write(doc, tmp_path / "x.pdf")

    text = pdf_pages(tmp_path / "x.pdf")[0]
    lines = [line.strip() for line in text.splitlines()]
    start = lines.index("def f(x):")
    assert lines[start + 1] == "y = x + 1"
    assert lines[start + 2].startswith("return some_function_with_a_long_name(")
    assert "argument_six)" in lines[start + 3]  # the long line wraps onto a second line
    reader = pypdf.PdfReader(str(tmp_path / "x.pdf"))
    links = [a for a in reader.pages[0].get("/Annots", []) or []
             if a.get_object().get("/Subtype") == "/Link"]
    assert len(links) < 3  # none for code lines


def test_wrapped_code_keeps_its_hanging_indent(tmp_path):
    src = tmp_path / "EP-901-code.md"
    src.write_text(SOURCE)
    opts = Options(outdir=tmp_path)
    writers.get("pdf")(opts, theme.load()).write(document.load(src, opts), tmp_path / "x.pdf")
    x = {}

    def visit(text, cm, tm, font, size):
        word = text.strip().split(" ")[0] if text.strip() else ""
        x.setdefault(word, tm[4])

    pypdf.PdfReader(str(tmp_path / "x.pdf")).pages[0].extract_text(visitor_text=visit)
    # the continuation of the long line starts to the right of the line's own start
    assert x["argument_four,"] > x["return"] > x["def"]


def test_lean_leaves_plain_html_alone():
    body = "<p>no code here</p>"
    assert printcode.lean(body) is body


def test_stylesheet_compiled_once_gives_the_same_pdf(tmp_path, monkeypatch):
    """printcss.py: the theme stylesheet compiled once per process changes no byte."""
    from epdoc.pipeline.render.pdf import css as printcss

    src = tmp_path / "EP-901-code.md"
    src.write_text(SOURCE)
    opts = Options(outdir=tmp_path)
    doc = document.load(src, opts)
    writer = writers.get("pdf")(opts, theme.load())
    outputs = []
    for _ in range(2):  # the second one uses the stylesheet compiled by the first
        writer.write(doc, tmp_path / "x.pdf")
        outputs.append((tmp_path / "x.pdf").read_bytes())
    monkeypatch.setattr(printcss, "prepare", lambda html, base, fetcher, fonts:
                        (html, [], fonts(), []))  # the page's own <style>, parsed each time
    writer.write(doc, tmp_path / "x.pdf")
    assert outputs[0] == outputs[1] == (tmp_path / "x.pdf").read_bytes()
