"""The corpus's mermaid diagrams in every format, built as users build: from the folder above
the proposals, with a relative output folder (`-o build`) and a hidden one (`-o .out`). Each
diagram is in the HTML (an SVG picture), in the PDF (its labels as text) and in the DOCX (a
picture with its PNG and, in svgBlip, its SVG) (issue 20, items 1 and 7)."""

from __future__ import annotations

import base64
import re
import shutil
import zipfile

import pdfplumber
import pytest
from lxml import etree
from lxml import html as lxml_html

from helpers import CORPUS, run_epdoc
from helpers.readers import squash

SVG_EXT = "{96DAC541-7B7A-43D3-8B79-37D633B846F1}"
NS = {"a": "http://schemas.openxmlformats.org/drawingml/2006/main",
      "asvg": "http://schemas.microsoft.com/office/drawing/2016/SVG/main",
      "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
      "rel": "http://schemas.openxmlformats.org/package/2006/relationships"}
OUTPUTS = ["build", ".out"]


def with_diagrams() -> list:
    return sorted(p for p in CORPUS.glob("*.md") if "```mermaid" in p.read_text())


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    root = tmp_path_factory.mktemp("everywhere")
    proposals = root / "proposals"
    proposals.mkdir()
    sources = with_diagrams()
    assert sources, "the corpus has proposals with mermaid diagrams"
    for src in sources:
        shutil.copy(src, proposals / src.name)
    shutil.copytree(CORPUS / "images", proposals / "images")
    env = {"EPDOC_CACHE": str(root / "user-cache")}
    for out in OUTPUTS:
        proc = run_epdoc("build", "proposals", "--to", "html,pdf,docx", "-o", out, cwd=root,
                         env=env)
        assert proc.returncode == 0, proc.stderr
        assert "image-missing" not in proc.stderr, proc.stderr
    return root, [s.stem for s in sources]


def svg_labels(svg: bytes) -> list[str]:
    """Each line of text a diagram shows (a <tspan> line, or a <text> without any)."""
    root = etree.fromstring(svg)
    labels = []
    for el in root.iter("{http://www.w3.org/2000/svg}text", "{http://www.w3.org/2000/svg}tspan"):
        if any(isinstance(c.tag, str) and c.tag.endswith("tspan") for c in el):
            continue  # its lines are its <tspan>s
        text = " ".join("".join(el.itertext()).split())
        if len(squash(text)) >= 3:
            labels.append(text)
    return labels


def html_diagrams(page) -> list[list[str]]:
    """The labels of each diagram the HTML page shows, in order."""
    tree = lxml_html.fromstring(page.read_bytes())
    out = []
    for img in tree.xpath("//div[contains(@class,'diagram')]//img"):
        src = img.get("src")
        assert src.startswith("data:image/svg+xml;base64,"), src[:40]
        out.append(svg_labels(base64.b64decode(src.split(",", 1)[1])))
    return out


def docx_pictures(path) -> list[tuple[str, bytes]]:
    """(content type of the blip's picture, SVG of its svgBlip) of each SVG picture."""
    with zipfile.ZipFile(path) as z:
        body = etree.fromstring(z.read("word/document.xml"))
        rels = etree.fromstring(z.read("word/_rels/document.xml.rels"))
        types = z.read("[Content_Types].xml").decode()
        target = {r.get("Id"): r.get("Target") for r in rels.iterfind("rel:Relationship", NS)}
        out = []
        for blip in body.iterfind(".//a:blip", NS):
            svg = blip.find(f"a:extLst/a:ext[@uri='{SVG_EXT}']/asvg:svgBlip", NS)
            if svg is None:
                continue
            png = target[blip.get(f"{{{NS['r']}}}embed")]
            ext = png.rsplit(".", 1)[1]
            kind = re.search(rf'Extension="{ext}" ContentType="([^"]+)"', types).group(1)
            out.append((kind, z.read("word/" + target[svg.get(f"{{{NS['r']}}}embed")])))
    return out


def count_fences(text: str) -> int:
    return text.count("```mermaid")


@pytest.mark.parametrize("out", OUTPUTS)
def test_every_diagram_is_in_the_html(built, out):
    root, stems = built
    for stem in stems:
        fences = count_fences((root / "proposals" / f"{stem}.md").read_text())
        diagrams = html_diagrams(root / out / f"{stem}.html")
        assert len(diagrams) == fences, stem
        assert all(diagrams), stem  # each with its labels


@pytest.mark.parametrize("out", OUTPUTS)
def test_every_diagram_is_in_the_pdf_with_its_labels(built, out):
    root, stems = built
    for stem in stems:
        with pdfplumber.open(root / out / f"{stem}.pdf") as pdf:
            text = squash(" ".join(page.extract_text() or "" for page in pdf.pages))
        for labels in html_diagrams(root / out / f"{stem}.html"):
            missing = [label for label in labels if squash(label) not in text]
            assert not missing, (stem, missing)


@pytest.mark.parametrize("out", OUTPUTS)
def test_every_diagram_is_in_the_docx_as_png_with_its_svg(built, out):
    root, stems = built
    for stem in stems:
        pictures = docx_pictures(root / out / f"{stem}.docx")
        assert all(kind == "image/png" for kind, _ in pictures), stem
        drawn = " ".join(" ".join(svg_labels(svg)) for _, svg in pictures)
        for labels in html_diagrams(root / out / f"{stem}.html"):
            missing = [label for label in labels if label not in drawn]
            assert not missing, (stem, missing)
        fences = count_fences((root / "proposals" / f"{stem}.md").read_text())
        assert len(pictures) >= fences, stem
