"""SVG pictures in DOCX (issue 20, item 7): written as Word writes them (a PNG in the blip, the
SVG in its svgBlip extension), each framed at its own proportions and fitted to the text
width; PNG and JPEG keep theirs. A diagram the DOCX cannot place fails the proposal, located
(issue 20, "what to build")."""

from __future__ import annotations

import io
import shutil
import subprocess

import docx
import pdfplumber
import pytest
from docx.oxml.ns import qn
from lxml import etree
from PIL import Image

from epdoc.pipeline.core import settings
from epdoc.pipeline.safety import raster
from epdoc.pipeline.safety.pictures import LimitError

from helpers import FIXTURES, run_epdoc

NAME = "EP-950-svg-pictures"
SVG_EXT = "{96DAC541-7B7A-43D3-8B79-37D633B846F1}"
ASVG = "http://schemas.microsoft.com/office/drawing/2016/SVG/main"
EMU_PER_IN = 914400
# alt text -> (width / height, natural width in inches or None when fitted to the text width)
# the diagram's alternative text: its nodes and connections (pipeline/diagrams/describe.py)
FLOW = ("Flowchart. 4 nodes: Request, Cached?, Serve, Draw. 4 connections: Request to Cached?; "
        "Cached? to Serve (Yes); Cached? to Draw (No); Draw to Serve.")
EXPECTED = {
    "wide banner": (4.0, 400 / 96),  # viewBox only: its px
    "tall badge": (0.5, 150 / 96),  # width and height given
    "percent strip": (2.5, 300 / 96),  # width="100%": the viewBox's
    "no size": (2.0, 300 / 96),  # nothing: a browser's 300 x 150
    "centimetre strip": (4.0, 8 / 2.54),
    "huge strip": (6.0, None),  # wider than the page: the text width
    "photo": (3.2, None),
    "shot": (0.75, None),
}


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    root = tmp_path_factory.mktemp("svg")
    shutil.copytree(FIXTURES / "svgpictures", root / "proposals")
    proc = run_epdoc("build", "proposals", "--to", "docx", "-o", "build", cwd=root,
                     env={"EPDOC_CACHE": str(root / "cache")})
    assert proc.returncode == 0, proc.stderr
    assert "image-missing" not in proc.stderr, proc.stderr
    return root / "build" / f"{NAME}.docx"


def pictures(path):
    """(alt text, inline element, blip element) of each picture in the body, in order."""
    d = docx.Document(str(path))
    out = []
    for inline in d.element.body.iter(qn("wp:inline")):
        alt = inline.find(qn("wp:docPr")).get("descr")
        out.append((alt, inline, next(inline.iter(qn("a:blip")))))
    return d, out


def svg_part(d, blip):
    ext = next((e for e in blip.iter(qn("a:ext")) if e.get("uri") == SVG_EXT), None)
    if ext is None:
        return None
    return d.part.related_parts[ext.find(f"{{{ASVG}}}svgBlip").get(qn("r:embed"))]


def extent(inline) -> tuple[int, int]:
    e = inline.find(qn("wp:extent"))
    return int(e.get("cx")), int(e.get("cy"))


def text_width(d) -> int:
    s = d.sections[0]
    return s.page_width - s.left_margin - s.right_margin


def test_every_svg_shows_a_png_and_carries_the_svg_as_word_writes_it(built):
    d, found = pictures(built)
    svgs = [(alt, inline, blip) for alt, inline, blip in found if svg_part(d, blip) is not None]
    assert sorted(alt for alt, _, _ in svgs) == sorted(
        ["wide banner", "tall badge", "percent strip", "no size", "centimetre strip",
         "huge strip", FLOW])
    for alt, inline, blip in svgs:
        png = d.part.related_parts[blip.get(qn("r:embed"))]
        assert png.content_type == "image/png", alt
        assert svg_part(d, blip).content_type == "image/svg+xml", alt
        with Image.open(io.BytesIO(png.blob)) as im:
            px_w, px_h = im.size
        cx, cy = extent(inline)
        assert abs(px_w / px_h - cx / cy) <= 0.01 * cx / cy, alt  # the PNG at the frame's shape
        if alt != FLOW:  # drawn now, at twice its size on the page
            want = cx / EMU_PER_IN * 96 * settings.SVG_RASTER_SCALE
            assert abs(px_w - want) <= 0.01 * want + 1, alt


def test_each_picture_is_framed_at_its_own_proportions_within_the_text_width(built):
    d, found = pictures(built)
    assert {alt for alt, _, _ in found} >= set(EXPECTED)
    for alt, inline, _ in found:
        cx, cy = extent(inline)
        xfrm = next(inline.iter(qn("a:xfrm"))).find(qn("a:ext"))
        assert (int(xfrm.get("cx")), int(xfrm.get("cy"))) == (cx, cy), alt
        assert cx <= text_width(d) + 2, alt
        if alt == FLOW:
            root = etree.fromstring(svg_part(d, next(inline.iter(qn("a:blip")))).blob)
            _, _, vw, vh = (float(v) for v in root.get("viewBox").split())
            ratio = vw / vh
        else:
            ratio, natural = EXPECTED[alt]
            if natural is not None:
                assert abs(cx / EMU_PER_IN - natural) <= 0.01 * natural, alt
            else:
                assert cx >= text_width(d) * 0.99 or alt == "shot", alt
        assert abs(cx / cy - ratio) <= 0.01 * ratio, (alt, cx / cy, ratio)


def test_the_svg_in_the_docx_is_the_checked_one(built):
    d, found = pictures(built)
    huge = next(blip for alt, _, blip in found if alt == "huge strip")
    data = svg_part(d, huge).blob
    assert b"<script" not in data and b"onclick" not in data and b"/etc/passwd" not in data
    assert b"<rect" in data


@pytest.mark.skipif(not shutil.which("soffice"), reason="LibreOffice is not installed")
def test_libreoffice_shows_every_picture(built, tmp_path):
    subprocess.run(["soffice", f"-env:UserInstallation=file://{tmp_path}/profile", "--headless",
                    "--convert-to", "pdf", "--outdir", str(tmp_path), str(built)],
                   check=True, capture_output=True, timeout=300)
    with pdfplumber.open(tmp_path / f"{NAME}.pdf") as pdf:
        shown = [im for page in pdf.pages for im in page.images]
    assert len(shown) == len(EXPECTED) + 1  # each picture and the diagram


def test_the_png_is_bounded_in_pixels_and_drawn_from_the_checked_svg():
    svg = (FIXTURES / "svgpictures" / "images" / "huge.svg").read_bytes()
    data = raster.png(svg, 30000, 5000)
    with Image.open(io.BytesIO(data)) as im:
        w, h = im.size
    assert w * h <= settings.SVG_RASTER_MAX_PIXELS
    assert abs(w / h - 6.0) <= 0.01 * 6.0
    many = b'<svg xmlns="http://www.w3.org/2000/svg">' + b"<rect/>" * 60_000 + b"</svg>"
    with pytest.raises(LimitError):
        raster.png(many, 100, 100)  # over the SVG element limit: never drawn


def test_a_diagram_the_docx_cannot_place_fails_its_proposal_located(tmp_path):
    """A drawn diagram whose PNG is broken in the diagram cache (a build killed while
    writing it): the proposal fails with the fence's line, the batch goes on."""
    shutil.copytree(FIXTURES / "svgpictures", tmp_path / "proposals")
    (tmp_path / "proposals" / "EP-951-plain.md").write_text(
        "# EP-951: Plain\n\n- **Status:** Draft\n\n## Summary\n\nNo pictures.\n")
    env = {"EPDOC_CACHE": str(tmp_path / "cache"),
           "EPDOC_DIAGRAM_CACHE": str(tmp_path / "diagrams")}
    first = run_epdoc("build", "proposals", "--to", "docx", "-o", "build", cwd=tmp_path, env=env)
    assert first.returncode == 0, first.stderr
    drawn = list((tmp_path / "diagrams").glob("*.png"))
    assert drawn
    for png in drawn:
        png.write_bytes(b"\x89PNG broken")
    proc = run_epdoc("build", "proposals", "--to", "docx", "-o", "again", cwd=tmp_path, env=env)
    assert proc.returncode == 1, proc.stderr
    source = (tmp_path / "proposals" / f"{NAME}.md").read_text().splitlines()
    line = source.index("```mermaid") + 1
    assert f"proposals/{NAME}.md:{line}: " in proc.stderr, proc.stderr
    assert "cannot be placed in the DOCX" in proc.stderr
    assert "Traceback" not in proc.stderr
    assert not (tmp_path / "again" / f"{NAME}.docx").exists()
    assert (tmp_path / "again" / "EP-951-plain.docx").is_file()
