"""What GitHub shows survives in HTML, PDF and DOCX: diagrams, alerts, task lists, links, code,
tables, images, comments, footnotes, emoji. Built once (tests/fixtures/github), read as a reader
would: text and drawings of the PDF, parts of the DOCX, elements of the HTML."""

from __future__ import annotations

import base64
import re
import shutil
import zipfile

import docx
import pdfplumber
import pytest
from docx.oxml.ns import qn
from lxml import etree
from lxml import html as lxml_html

from helpers import FIXTURES, run_epdoc
from helpers.readers import docx_text, html_text, pdf_pages, pdf_text

FEATURES = "EP-201-github-features"
BROKEN = "EP-203-broken-parts"
LABELS = ["Markdown Parser", "Filter Chain", "Sanitized Page", "Word Document", "Reviewer",
          "request packet", "Epdoc Converter"]
MERMAID_SOURCE = ["flowchart LR", "sequenceDiagram", "C4Context", "-->|html|", "Rel(author"]


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    src = tmp_path_factory.mktemp("github-src")
    for f in (FIXTURES / "github").iterdir():
        (shutil.copytree if f.is_dir() else shutil.copy)(f, src / f.name)
    out = tmp_path_factory.mktemp("github-out")
    cache = tmp_path_factory.mktemp("diagram-cache")
    proc = run_epdoc("build", src, "--to", "html,pdf,docx", "-o", out,
                     env={"EPDOC_DIAGRAM_CACHE": str(cache)})
    return src, out, proc, cache


def _html(out, stem=FEATURES):
    return lxml_html.fromstring((out / f"{stem}.html").read_bytes())


def _svgs(tree):
    svgs = []
    for img in tree.xpath("//div[contains(@class,'diagram')]//img"):
        head, _, data = img.get("src").partition(",")
        assert head == "data:image/svg+xml;base64"
        svgs.append(base64.b64decode(data).decode("utf-8"))
    return svgs


def _docx_xml(path, part="word/document.xml") -> str:
    with zipfile.ZipFile(path) as z:
        return z.read(part).decode("utf-8")


def test_build_succeeds_and_reports_broken_parts_with_lines(built):
    src, out, proc, _ = built
    assert proc.returncode == 0, proc.stderr
    for stem in (FEATURES, "EP-202-linked-proposal", BROKEN):
        for ext in ("html", "pdf", "docx"):
            assert (out / f"{stem}.{ext}").stat().st_size > 0
    lines = proc.stderr.splitlines()
    source = (src / f"{BROKEN}.md").read_text().splitlines()
    fence = source.index("```mermaid") + 1
    picture = next(i for i, ln in enumerate(source, 1) if "not-there.png" in ln)
    diagram = [ln for ln in lines if f"{BROKEN}.md:{fence}:" in ln and "mermaid diagram" in ln]
    assert diagram and "warning" in diagram[0], proc.stderr
    assert any(f"{BROKEN}.md:{picture}:" in ln and "not-there.png" in ln for ln in lines)
    assert not [ln for ln in lines if FEATURES in ln and ("diagram" in ln or "notdef" in ln)]


# Diagrams


def test_pdf_diagrams_are_vector_drawings_with_text_labels(built):
    _, out, _, _ = built
    with pdfplumber.open(out / f"{FEATURES}.pdf") as pdf:
        text = "\n".join(p.extract_text() or "" for p in pdf.pages)
        page = next(p for p in pdf.pages if "Filter Chain" in (p.extract_text() or ""))
        assert len(page.curves) + len(page.rects) + len(page.lines) >= 5  # boxes and arrows
        # drawn, not pasted as a picture (the C4 person icon, 28pt, is mermaid's own PNG)
        assert all(im["width"] < 40 for im in page.images), page.images
        label_fonts = {c["fontname"] for c in page.chars if c["text"] in "FilterChain"}
        assert any("epdoc" in f or "DejaVu" in f for f in label_fonts), label_fonts
    squashed = re.sub(r"\s+", "", pdf_text(out / f"{FEATURES}.pdf"))
    for label in LABELS:
        assert label.replace(" ", "") in squashed, label
    for src in MERMAID_SOURCE:
        assert src.replace(" ", "") not in squashed and src not in text


def test_html_diagrams_are_svg_with_plain_text_labels(built):
    _, out, _, _ = built
    tree = _html(out)
    svgs = _svgs(tree)
    assert len(svgs) == 3
    joined = "".join(svgs)
    assert "foreignObject" not in joined and "<script" not in joined
    texts = " ".join(" ".join(etree.fromstring(s.encode()).itertext()) for s in svgs)
    texts = re.sub(r"\s+", " ", texts)
    for label in LABELS:
        assert label in texts, label
    # the source stays available only in its closed <details> under the picture (issue 16)
    kept = tree.xpath("//details[@class='diagram-source']")
    assert len(kept) == 3
    for src in MERMAID_SOURCE:
        assert any(src in d.text_content() for d in kept), src
    for details in kept:
        details.drop_tree()
    page_text = tree.text_content()
    for src in MERMAID_SOURCE:
        assert src not in page_text
    for img in tree.xpath("//div[contains(@class,'diagram')]//img"):
        assert img.get("alt")


def test_docx_diagrams_are_print_resolution_pictures(built):
    _, out, _, _ = built
    path = out / f"{FEATURES}.docx"
    with zipfile.ZipFile(path) as z:
        media = [n for n in z.namelist() if n.startswith("word/media/")]
    assert len(media) >= 5  # three diagrams and two images
    d = docx.Document(str(path))
    pictures = [s for s in d.inline_shapes]
    widths_in = [s.width.inches for s in pictures]
    assert all(0 < w <= 7 for w in widths_in), widths_in
    xml = _docx_xml(path)
    for src in MERMAID_SOURCE:
        assert src not in docx_text(path)
    # a diagram picture has at least 250 pixels per inch at the size it is shown
    from PIL import Image

    with zipfile.ZipFile(path) as z:
        rels = z.read("word/_rels/document.xml.rels").decode()
        first_rid = re.findall(r'r:embed="(rId\d+)"', xml)[0]
        target = re.search(rf'Id="{first_rid}"[^>]*Target="([^"]+)"', rels) or \
            re.search(rf'Target="([^"]+)"[^>]*Id="{first_rid}"', rels)
        with z.open("word/" + target.group(1)) as f:
            px = Image.open(f).size[0]
    assert px / widths_in[0] >= 250, (px, widths_in[0])


def test_broken_diagram_keeps_its_source_everywhere(built):
    _, out, _, _ = built
    for reader, ext in ((html_text, "html"), (pdf_text, "pdf"), (docx_text, "docx")):
        assert "Start[unclosed --> End" in reader(out / f"{BROKEN}.{ext}"), ext


def test_rebuild_with_warm_cache_renders_nothing(built):
    src, _, _, cache = built
    from epdoc.pipeline.config import theme
    from epdoc.pipeline.core.options import Options
    from epdoc.pipeline.diagrams import draw as diagrams
    from epdoc.pipeline.reading.document import load
    from epdoc.pipeline.render.html.writer import HtmlWriter

    before = {p.name: p.stat().st_mtime_ns for p in cache.iterdir()}
    assert len([n for n in before if n.endswith(".svg")]) == 3
    options = Options(extra={"diagram_cache": str(cache)})
    diagrams._memory.clear()
    rendered, hits = diagrams.stats["rendered"], diagrams.stats["cached"]
    document = load(src / f"{FEATURES}.md", options)
    HtmlWriter(options, theme.load()).render(document, src)
    assert diagrams.stats["rendered"] == rendered
    assert diagrams.stats["cached"] == hits + 3
    assert {p.name: p.stat().st_mtime_ns for p in cache.iterdir()} == before


# Alerts and task lists


KINDS = ["Note", "Tip", "Important", "Warning", "Caution"]


def test_alerts_are_call_outs_with_titles(built):
    _, out, _, _ = built
    tree = _html(out)
    for kind in KINDS:
        (div,) = tree.xpath(f"//div[contains(@class,'alert-{kind.lower()}')]")
        assert "alert" in div.get("class").split()
        title = div.xpath(".//div[contains(@class,'alert-title')]")[0].text_content()
        assert kind in title
    pdf = pdf_text(out / f"{FEATURES}.pdf")
    for kind, icon in zip(KINDS, "ℹ☀❢⚠⊘", strict=True):
        assert re.search(rf"{icon}\s*{kind}\s*\n", pdf), kind
    with pdfplumber.open(out / f"{FEATURES}.pdf") as p:
        fonts = {c["fontname"] for page in p.pages for c in page.chars if c["text"] in "ℹ☀❢⚠⊘"}
    assert fonts and all("epdoc" in f or "DejaVu" in f for f in fonts), fonts
    d = docx.Document(str(out / f"{FEATURES}.docx"))
    found = {}
    for table in d.tables:
        first = table.rows[0].cells[0].paragraphs[0]
        if first.style.name.startswith("Alert Title"):
            tc_pr = table.rows[0].cells[0]._tc.tcPr
            fill = tc_pr.find(qn("w:shd")).get(qn("w:fill"))
            left = table._tbl.tblPr.find(qn("w:tblBorders")).find(qn("w:left"))
            found[first.text.split()[-1]] = (fill, left.get(qn("w:val")), left.get(qn("w:color")))
    assert sorted(found) == sorted(KINDS)
    assert found["Warning"] == ("FFFBEA", "single", "9A6700")


def test_task_lists_show_boxes(built):
    _, out, _, _ = built
    tree = _html(out)
    boxes = tree.xpath("//div[contains(@class,'task-list')]//span[contains(@class,'task-box')]")
    assert [b.text for b in boxes] == ["☑", "☐", "☑"]
    assert not tree.xpath("//input")
    pdf = pdf_text(out / f"{FEATURES}.pdf")
    assert re.search(r"☑\s*Parser integration finished", pdf)
    assert re.search(r"☐\s*Writer integration pending", pdf)
    with pdfplumber.open(out / f"{FEATURES}.pdf") as p:
        fonts = {c["fontname"] for page in p.pages for c in page.chars if c["text"] in "☑☐"}
    assert fonts and all("epdoc" in f or "DejaVu" in f for f in fonts), fonts
    path = out / f"{FEATURES}.docx"
    numbering = _docx_xml(path, "word/numbering.xml")
    d = docx.Document(str(path))
    boxes = {}
    for p in d.paragraphs:
        num = p._p.pPr.numPr if p._p.pPr is not None else None
        if num is not None and ("integration" in p.text or "scheduled" in p.text):
            num_id = num.numId.val
            abstract = re.search(rf'<w:num w:numId="{num_id}"><w:abstractNumId w:val="(\d+)"',
                                 numbering).group(1)
            level = re.search(rf'<w:abstractNum w:abstractNumId="{abstract}".*?'
                              r'<w:lvlText w:val="(.)"', numbering, re.S).group(1)
            boxes[p.text] = level
    assert boxes == {"Parser integration finished": "☑", "Writer integration pending": "☐",
                     "Review scheduled": "☑"}


# Links


def test_links_point_at_sibling_outputs_in_each_format(built):
    _, out, _, _ = built
    tree = _html(out)
    hrefs = [a.get("href") for a in tree.xpath("//main//a")]
    assert "EP-202-linked-proposal.html" in hrefs
    assert "EP-202-linked-proposal.html#goals" in hrefs
    assert "#diagrams" in hrefs and "#a-long-table" in hrefs
    assert tree.xpath("//*[@id='diagrams']") and tree.xpath("//*[@id='a-long-table']")
    back = _html(out, "EP-202-linked-proposal").xpath("//main//a/@href")
    assert "EP-201-github-features.html#summary" in back

    import pypdf

    reader = pypdf.PdfReader(out / f"{FEATURES}.pdf")
    uris, dests, remote = [], [], []
    for page in reader.pages:
        for annot in page.get("/Annots") or []:
            annot = annot.get_object()
            action = annot.get("/A")
            if action is not None and "/URI" in action:
                uris.append(action["/URI"])
            elif action is not None and action.get("/S") == "/GoToR":  # another PDF, at a place
                f = action["/F"]
                name = f["/F"] if hasattr(f, "get") else f
                dest = action["/D"]
                remote.append(name + (f"#{dest}" if isinstance(dest, str) else ""))
            elif "/Dest" in annot:
                dests.append(annot["/Dest"])
    sibling = uris + remote  # relative either way, so the outputs can move together
    assert "EP-202-linked-proposal.pdf#goals" in sibling
    assert "EP-202-linked-proposal.pdf" in sibling
    assert "https://example.org/specs/epdoc" in uris and "http://www.example.com" in uris
    assert "diagrams" in dests and "a-long-table" in dests

    path = out / f"{FEATURES}.docx"
    rels = _docx_xml(path, "word/_rels/document.xml.rels")
    assert 'Target="EP-202-linked-proposal.docx#goals"' in rels
    assert 'Target="https://example.org/specs/epdoc"' in rels
    xml = _docx_xml(path)
    assert 'w:anchor="diagrams"' in xml and 'w:name="diagrams"' in xml


# Code


def _docx_token_colors(path) -> dict[str, str]:
    styles = _docx_xml(path, "word/styles.xml")
    colors = {}
    for m in re.finditer(r'<w:style w:type="character"[^>]*w:styleId="(\w+)Tok".*?</w:style>',
                         styles, re.S):
        c = re.search(r'<w:color w:val="([0-9A-Fa-f]{6})"', m.group(0))
        if c:
            colors[m.group(1)] = c.group(1).upper()
    return colors


TOKEN_CLASSES = {"Keyword": "kw", "String": "st", "Comment": "co", "DecVal": "dv",
                 "DataType": "dt", "Function": "fu"}


def test_code_is_highlighted_with_the_same_colors_everywhere(built):
    _, out, _, _ = built
    page = (out / f"{FEATURES}.html").read_text()
    for lang in ("go", "yaml", "bash", "python", "json", "protobuf", "prometheus"):
        assert re.search(rf'<div class="sourceCode" id="cb\d+"><pre\s+class="sourceCode {lang}"',
                         page), lang
    css = {m.group(1): m.group(2).upper() for m in re.finditer(
        r"code span\.(\w+) \{ color: #([0-9A-Fa-f]{6});", page)}
    docx_colors = _docx_token_colors(out / f"{FEATURES}.docx")
    compared = 0
    for token, cls in TOKEN_CLASSES.items():
        if token in docx_colors and cls in css:
            assert docx_colors[token] == css[cls], token
            compared += 1
    assert compared >= 4
    tree = _html(out)
    assert tree.xpath("//pre[contains(@class,'prometheus')]//span[@class='co']")
    assert tree.xpath("//pre[contains(@class,'go')]//span[@class='kw']")
    xml = _docx_xml(out / f"{FEATURES}.docx")
    assert xml.count('w:val="KeywordTok"') >= 5


# Tables and images


def test_wide_tables_fit_the_page_and_long_tables_repeat_their_header(built):
    _, out, _, _ = built
    tree = _html(out)
    wide = tree.xpath("//table[contains(@class,'fixed-columns')]")
    assert len(wide) == 1 and len(wide[0].xpath(".//col")) == 6
    pages = pdf_pages(out / f"{FEATURES}.pdf")
    last = next(i for i, t in enumerate(pages) if "The last step on this table" in t)
    first = next(i for i, t in enumerate(pages) if "The source is read and parsed" in t)
    assert last > first, "the fixture's long table (45 rows) spans two pages"
    assert "What happens" in pages[last]
    d = docx.Document(str(out / f"{FEATURES}.docx"))
    wide_docx = next(t for t in d.tables if len(t.columns) == 6)
    tbl_pr = wide_docx._tbl.tblPr
    assert tbl_pr.find(qn("w:tblW")).get(qn("w:type")) == "pct"
    assert tbl_pr.find(qn("w:tblLayout")).get(qn("w:type")) == "fixed"
    long_docx = next(t for t in d.tables if len(t.rows) == 46)
    header = long_docx.rows[0]._tr.trPr.find(qn("w:tblHeader"))
    assert header is not None


def test_images_resolve_and_fit_in_every_format(built):
    _, out, _, _ = built
    tree = _html(out)
    srcs = [i.get("src") for i in tree.xpath("//main//img") if not i.get("src").startswith("data:")]
    assert sorted(srcs) == ["images/small-chart.png", "images/wide-timeline.png"]
    assert all((out / s).is_file() for s in srcs)
    with pdfplumber.open(out / f"{FEATURES}.pdf") as pdf:
        images = [(im, p) for p in pdf.pages for im in p.images if im["width"] > 100]
        assert len(images) == 2  # (the C4 diagram's person icon is a small picture)
        for im, p in images:
            assert 0 <= im["x0"] and im["x1"] <= p.width
            assert 0 <= im["top"] <= im["bottom"] <= p.height
    from epdoc.pipeline.config import pagebox, theme

    text_width, _ = pagebox.text_box_in(theme.load())
    d = docx.Document(str(out / f"{FEATURES}.docx"))
    widths = [s.width.inches for s in d.inline_shapes]
    assert len(widths) == 5 and all(0 < w <= text_width + 0.01 for w in widths), widths


# Comments, footnotes, strikethrough, emoji, autolinks


def test_comments_never_show(built):
    _, out, _, _ = built
    for reader, ext in ((html_text, "html"), (pdf_text, "pdf"), (docx_text, "docx")):
        text = reader(out / f"{FEATURES}.{ext}")
        assert "SPDX" not in text and "reviewer remark" not in text, ext
        assert "Note to reviewers" not in text, ext
    assert "SPDX" not in (out / f"{FEATURES}.html").read_text()


def test_footnotes_strikethrough_emoji_and_autolinks(built):
    _, out, _, _ = built
    tree = _html(out)
    assert tree.xpath("//del[text()='withdrawn wording']")
    assert tree.xpath("//section[contains(@class,'footnotes')]//li[contains(.,'Footnotes are')]")
    assert tree.xpath("//a[@href='https://example.org/specs/epdoc']")
    assert tree.xpath("//a[@href='http://www.example.com']")
    assert "🚀" in html_text(out / f"{FEATURES}.html")
    with pdfplumber.open(out / f"{FEATURES}.pdf") as pdf:
        chars = [c for p in pdf.pages for c in p.chars]
    emoji = {c["text"]: c["fontname"] for c in chars if c["text"] in "🚀✅"}
    assert set(emoji) == set("🚀✅"), emoji
    assert all("Emoji" in f for f in emoji.values()), emoji
    xml = _docx_xml(out / f"{FEATURES}.docx")
    assert "<w:strike" in xml and "🚀" in xml and "✅" in xml
    assert "Footnotes are listed at the end" in _docx_xml(out / f"{FEATURES}.docx",
                                                         "word/footnotes.xml")


def test_a_picture_taller_than_the_page_is_scaled_to_fit(built):
    _, out, _, _ = built
    with pdfplumber.open(out / "EP-202-linked-proposal.pdf") as pdf:
        (im, page), = [(im, p) for p in pdf.pages for im in p.images]
        assert 0 <= im["top"] and im["bottom"] <= page.height
        assert abs(im["width"] / im["height"] - 300 / 2400) < 0.01  # proportions kept
    d = docx.Document(str(out / "EP-202-linked-proposal.docx"))
    (shape,) = d.inline_shapes
    section = d.sections[0]
    assert shape.height <= section.page_height - section.top_margin - section.bottom_margin
    assert abs(shape.width / shape.height - 300 / 2400) < 0.01


def test_alert_colors_are_the_same_in_css_and_docx():
    from epdoc.filters.alerts import KINDS

    from helpers import ROOT

    css = (ROOT / "styles" / "github.css").read_text()
    for kind, (_, color, background) in KINDS.items():
        m = re.search(rf"\.alert-{kind} \{{ --alert-color: (#\w+); --alert-background: (#\w+); }}",
                      css)
        assert m and m.groups() == (color, background), kind
