"""CSS in SVG judged by its tokens: escapes (`@\\69mport`, `\\75rl(`), comments and
image-set() never smuggle a fetch into the copied SVG, the HTML's data: pictures or the DOCX
media; legitimate styling stays."""

from __future__ import annotations

import base64
import re
import zipfile
from pathlib import Path
from urllib.parse import unquote_to_bytes

import pytest

from epdoc.pipeline.safety import css, pictures
from epdoc.pipeline.safety import svg as svgsafe

from helpers import run_epdoc

FETCHING = [
    '@\\69mport "http://127.0.0.1:1/x.css";',
    "@import url(http://127.0.0.1:1/x.css);",
    "a { fill: \\75rl(http://127.0.0.1:1/x) }",
    "a { fill: \\000075rl(http://127.0.0.1:1/x) }",
    'a { fill: u\\72l("http://127.0.0.1:1/x") }',
    'a { background: image-set("http://127.0.0.1:1/x.png" 1x) }',
    'a { background: -webkit-image-set(url(http://127.0.0.1:1/x.png) 1x) }',
    "@font-face { font-family: x; src: url(http://127.0.0.1:1/f.woff) }",
    "a { background: url(http://127.0.0.1:1/unclosed }",
    "@media print { a { fill: \\75rl(http://127.0.0.1:1/x) } }",
]
HARMLESS = [
    "a { fill: url(#grad); stroke: #333; font-size: 12px }",
    'a { fill: url("#grad") }',
    "a { background: u/**/rl(x) }",  # a comment ends the name: no url() in CSS's eyes
    ".node rect { fill: #ECECFF; stroke: #9370DB }",
]


@pytest.mark.parametrize("sheet", FETCHING)
def test_every_spelling_of_a_fetch_is_seen(sheet):
    assert css.sheet_fetches(sheet)
    assert "127.0.0.1" not in css.clean_sheet(sheet)


@pytest.mark.parametrize("sheet", HARMLESS)
def test_styling_that_stays_inside_is_kept(sheet):
    assert not css.sheet_fetches(sheet)
    assert css.clean_sheet(sheet) == sheet


def test_attributes_are_judged_the_same_way():
    assert css.fetches("fill:\\75rl(http://127.0.0.1:1/x)")
    assert css.fetches("background:image-set('http://x/y.png' 1x)")
    assert not css.fetches("url(#g)")
    assert not css.fetches("translate(10, 20) scale(2)")


def _svg(style: str, attr: str) -> bytes:
    return (f'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><style>{style}'
            f'</style><rect width="5" height="5" fill="url(#g)" style="{attr}"/>'
            '<text>KEEP</text></svg>').encode()


def test_the_picture_check_scrubs_them():
    data = _svg("rect.keep { stroke: red } " + FETCHING[2], "fill:\\75rl(http://127.0.0.1:1/a)")
    pic = pictures.vet(data, "x.svg")
    assert b"127.0.0.1" not in pic.data and b"KEEP" in pic.data
    assert not svgsafe.problems(svgsafe.parse(pic.data))
    assert not svgsafe.is_safe_data_url(
        "data:image/svg+xml;base64," + base64.b64encode(data).decode())


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    root = tmp_path_factory.mktemp("css")
    src = root / "proposals"
    (src / "images").mkdir(parents=True)
    svg = (Path(__file__).parents[1] / "fixtures" / "hostile" / "images" / "css-escapes.svg")
    (src / "images" / "css-escapes.svg").write_text(svg.read_text().replace("@PORT@", "9"))
    (src / "EP-959-css.md").write_text(
        "# EP-959: CSS escapes\n\n**Status**: Draft\n\n![escaped](images/css-escapes.svg)\n\n"
        '<img src="images/css-escapes.svg" alt="raw">\n\nKEEPCSS\n')
    proc = run_epdoc("build", "proposals", "-o", "out", "--to", "html,pdf,docx", cwd=root)
    return root / "out", proc


def _data_urls(html: str) -> list[bytes]:
    out = []
    for m in re.finditer(r"data:image/svg\+xml(;base64)?,([^\"')\s]+)", html):
        out.append(base64.b64decode(m.group(2)) if m.group(1) else unquote_to_bytes(m.group(2)))
    return out


def test_no_output_carries_the_fetches(built):
    out, proc = built
    assert proc.returncode == 0, proc.stderr
    html = (out / "EP-959-css.html").read_text()
    assert "KEEPCSS" in html
    copied = [p for p in out.rglob("*.svg")]
    assert copied, "the SVG is copied beside the page"
    for p in copied:
        data = p.read_bytes()
        assert b"127.0.0.1" not in data and b"CSSESCAPEOK" in data
    for data in _data_urls(html):
        assert b"127.0.0.1" not in data
    with zipfile.ZipFile(out / "EP-959-css.docx") as z:
        media = [n for n in z.namelist() if n.startswith("word/media/")]
        assert media
        for name in media:
            assert b"127.0.0.1" not in z.read(name)
    assert b"127.0.0.1" not in (out / "EP-959-css.pdf").read_bytes()
