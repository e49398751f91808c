"""The safety stages one by one, on hostile snippets: the HTML sanitizer, the picture
checks, the depth limits, the DOCX field stripper, output names, link schemes and the
templates' autoescaping."""

from __future__ import annotations

import ast
import base64
import contextlib
import io
import os
import re

import docx
import pytest
from docx.oxml import parse_xml

from epdoc.filters.untrusted import link_problem
from epdoc.pipeline.core import names
from epdoc.pipeline.core.errors import LimitError
from epdoc.pipeline.core.options import Options
from epdoc.pipeline.reading import depth
from epdoc.pipeline.safety import docx as docxsafe
from epdoc.pipeline.safety import html as sanitize
from epdoc.pipeline.safety import pictures as imagesafe

from helpers import ROOT
from helpers.hostile import bomb_png, png, use_bomb_svg


@contextlib.contextmanager
def over(option: str, text: str = ""):
    """The block raises a LimitError whose one-line message names `option` (and `text`)."""
    with pytest.raises(LimitError) as e:
        yield
    line = e.value.oneline()
    assert option in line and text in line and "limit" in line, line

HOSTILE_HTML = [
    '<script>alert(1)</script>',
    '<img src="x.png" onerror="alert(1)">',
    '<a href="javascript:alert(1)">x</a>',
    '<a href="JaVaScRiPt:alert(1)">x</a>',
    '<a href="&#106;avascript:alert(1)">x</a>',
    '<a href="java\tscript:alert(1)">x</a>',
    '<a href="vbscript:msgbox(1)">x</a>',
    '<a href="data:text/html,<script>alert(1)</script>">x</a>',
    '<a rel="attachment" href="secret.txt">x</a>',
    '<link rel="attachment" href="file:///etc/passwd">',
    '<base href="file:///etc/">',
    '<object data="x"></object><embed src="x"><iframe src="x"></iframe>',
    '<form action="http://x"><input name="a"><button formaction="javascript:x">b</button></form>',
    '<meta http-equiv="refresh" content="0;url=http://x">',
    '<style>@import url(http://x);</style>',
    '<p style="background:url(http://x)">x</p>',
    '<col style="width:10%;background:url(http://x)">',
    '<svg onload="alert(1)"><image href="file:///etc/passwd"/></svg>',
    '<math><maction actiontype="statusline" xlink:href="javascript:alert(1)">x</maction></math>',
    '<details open ontoggle="alert(1)"><summary>s</summary></details>',
    '<img src="x" srcset="http://x 2x">',
    '<video poster="http://x"></video><audio src="http://x"></audio>',
    '<table background="http://x"><tr><td>c</td></tr></table>',
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>"></p></noscript>',
]
BAD_OUTPUT = re.compile(
    r"<(script|link|base|object|embed|iframe|form|input|button|meta|style|svg|math|video|"
    r"audio)\b|\son\w+\s*=|(href|src)\s*=\s*\"\s*(javascript|vbscript|data:text|file)|"
    r"url\(|srcset|background=|poster=|rel=", re.I)


@pytest.mark.parametrize("snippet", HOSTILE_HTML)
def test_sanitizer_removes(snippet):
    out = sanitize.clean(snippet)
    assert not BAD_OUTPUT.search(out), out


def test_sanitizer_image_policy(tmp_path):
    (tmp_path / "ok.png").write_bytes(png((8, 8)))
    (tmp_path / "fake.png").write_text("not a picture")
    (tmp_path / ".hidden").mkdir()
    (tmp_path / ".hidden" / "p.png").write_bytes(png((8, 8)))
    placed = []
    policy = imagesafe.HtmlImages(tmp_path, Options(),
                                  place=lambda clean, data: placed.append((clean, data)) or clean)
    html = ('<img src="ok.png"><img src="fake.png"><img src=".hidden/p.png">'
            '<img src="/etc/passwd"><img src="../x.png"><img src="http://127.0.0.1/x.png">'
            '<img src="//127.0.0.1/x.png"><img src="file:///etc/passwd">')
    out = policy.remote_as_links(sanitize.clean(html, img_src=policy))
    assert out.count("src=") == 1 and 'src="ok.png"' in out
    assert '<a href="http://127.0.0.1/x.png" class="remote-image">' in out  # as in markdown
    assert placed == [("ok.png", png((8, 8)))]  # the one local picture kept, checked
    networked = imagesafe.HtmlImages(tmp_path, Options(allow_network=True))
    assert 'src="http://127.0.0.1/x.png"' in sanitize.clean(html, img_src=networked)


def test_local_files(tmp_path):
    root = tmp_path / "p"
    (root / "img").mkdir(parents=True)
    (root / "img" / "a.png").write_bytes(png((4, 4)))
    (tmp_path / "secret.png").write_bytes(png((4, 4)))
    os.symlink("../../secret.png", root / "img" / "out.png")
    os.symlink("a.png", root / "img" / "in.png")
    (root / ".git").mkdir()
    (root / ".git" / "x.png").write_bytes(png((4, 4)))
    os.symlink(".git/x.png", root / "sneaky.png")
    assert imagesafe.local_file("img/a.png", root)[1] == "img/a.png"
    assert imagesafe.local_file("./img/../img/a.png", root)[1] == "img/a.png"
    assert imagesafe.local_file("img/in.png", root)[1] == "img/in.png"
    for url, why in [("img/out.png", "outside"), ("../secret.png", "outside"),
                     ("%2e%2e/secret.png", "outside"), ("/etc/passwd", "absolute"),
                     ("file:///etc/passwd", "absolute"), (".git/x.png", "hidden"),
                     ("sneaky.png", "hidden"), ("img\\a.png", "backslash"),
                     ("img/none.png", "not found"), ("C:\\x.png", "absolute")]:
        with pytest.raises(imagesafe.Refused, match=why):
            imagesafe.local_file(url, root)


def test_pictures_by_their_bytes():
    assert imagesafe.vet(png((5, 7)), "a").mime == "image/png"
    for data in (b"hello", b"%PDF-1.4", b"\x89PNG\r\n\x1a\ntruncated", b"<html></html>",
                 b"%!PS-Adobe-3.0 EPSF-3.0\n"):
        with pytest.raises(imagesafe.Refused):
            imagesafe.vet(data, "x")
    with over("--max-image-pixels"):
        imagesafe.vet(bomb_png(10_000), "bomb")
    small = Options(max_image_pixels=100)
    with over("--max-image-pixels", "10x11 = 110 pixels"):
        imagesafe.vet(png((10, 11)), "x", small)


def test_svg_is_scrubbed_and_measured():
    svg = (b'<svg xmlns="http://www.w3.org/2000/svg" xmlns:x="http://www.w3.org/1999/xlink" '
           b'onload="a()"><script>a()</script><image href="file:///etc/passwd"/>'
           b'<image x:href="http://127.0.0.1/x.png"/><style>@import url(http://x);</style>'
           b'<foreignObject><div xmlns="http://www.w3.org/1999/xhtml">x</div></foreignObject>'
           b'<rect id="r" fill="url(#g)" style="fill:url(http://x)"/><use href="#r"/>'
           b'<text>KEPT</text></svg>')
    out = imagesafe.vet(svg, "x").data.decode()
    for bad in ("onload", "script", "file:", "127.0.0.1", "http://x", "@import",
                "foreignObject", "style="):
        assert bad not in out, bad
    assert "KEPT" in out and 'href="#r"' in out and 'fill="url(#g)"' in out
    with over("--max-svg-elements"):
        imagesafe.vet(use_bomb_svg().encode(), "bomb")
    nested = (b'<svg xmlns="http://www.w3.org/2000/svg"><image href="data:image/png;base64,' +
              base64.b64encode(bomb_png()) + b'"/></svg>')
    with over("--max-image-pixels"):
        imagesafe.vet(nested, "nested")
    cycle = (b'<svg xmlns="http://www.w3.org/2000/svg"><g id="a"><use href="#b"/></g>'
             b'<g id="b"><use href="#a"/></g></svg>')
    with pytest.raises(LimitError):
        imagesafe.vet(cycle, "cycle")
    def deep(n):
        return b'<svg xmlns="http://www.w3.org/2000/svg">' + b"<g>" * n + b"</g>" * n + \
            b"</svg>"

    with over("--max-depth"):
        imagesafe.vet(deep(100), "deep")
    with pytest.raises(imagesafe.Refused):  # the XML parser's own depth limit
        imagesafe.vet(deep(300), "deeper")
    for bad in (b'<?xml version="1.0"?><!DOCTYPE s [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
                b'<svg xmlns="http://www.w3.org/2000/svg"><text>&x;</text></svg>',
                b"<svg><text>no namespace</text></svg>",
                b'<svg xmlns="http://www.w3.org/2000/svg"><text>unclosed</svg>'):
        with pytest.raises(imagesafe.Refused):
            imagesafe.vet(bad, "x")


def test_data_urls():
    assert imagesafe.decode_data_url("data:image/png;base64,aGk=") == ("image/png", b"hi")
    for url in ("data:text/html,<script>", "data:image/png;base64,***", "nodata"):
        with pytest.raises(imagesafe.Refused):
            imagesafe.decode_data_url(url)


def test_depth_in_source_ast_and_html():
    depth.check_source("> " * 60 + "x\n- - - a\n1. 2. b\n")
    with over("--max-depth"):
        depth.check_source("text\n" + "> " * 65 + "x\n")
    with pytest.raises(LimitError) as e:
        depth.check_source("a\nb\n" + "- " * 70 + "x\n", 64, "p.md")
    assert e.value.line == 3
    assert depth.html_depth("<div><p>a<br>b<img src='x'></p></div>") == 2
    # a tag inside an attribute value is not a tag: it cannot hide real nesting
    fake_close = '<div title="a></div></div></div>">' * 100 + "x" + "</div>" * 100
    assert depth.html_depth(fake_close) == 100
    tree = {"blocks": [{"t": "BlockQuote", "c": [{"t": "BlockQuote", "c": [
        {"t": "Para", "c": [{"t": "Str", "c": "x"}]}]}]}], "meta": {}}
    depth.check_ast(tree, 4)
    with pytest.raises(LimitError):
        depth.check_ast(tree, 3)


def test_front_matter_aliases():
    laughs = "---\na: &a [x, x, x, x, x, x, x, x, x, x]\n"
    for i, name in enumerate("bcdefgh"):
        prev = "abcdefgh"[i]
        laughs += f"{name}: &{name} [" + ", ".join([f"*{prev}"] * 10) + "]\n"
    laughs += "---\n\nbody\n"
    with over("--max-input-bytes"):
        depth.check_front_matter(laughs, 2 * 1024 * 1024)
    depth.check_front_matter("---\ntitle: t\nauthors: &a [x]\nreviewers: *a\n---\n", 1000)
    with over("--max-depth"):
        depth.check_front_matter("---\na: " + "[" * 100 + "]" * 100 + "\n---\n", 10 ** 6)


def _field_run(code):
    ns = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    return [parse_xml(f'<w:r {ns}><w:fldChar w:fldCharType="begin"/></w:r>'),
            parse_xml(f'<w:r {ns}><w:instrText xml:space="preserve"> {code} </w:instrText>'
                      "</w:r>"),
            parse_xml(f'<w:r {ns}><w:fldChar w:fldCharType="separate"/></w:r>'),
            parse_xml(f"<w:r {ns}><w:t>SHOWN-{code.split()[0]}</w:t></w:r>"),
            parse_xml(f'<w:r {ns}><w:fldChar w:fldCharType="end"/></w:r>')]


def test_docx_fields_other_than_page_numbers_go(tmp_path):
    d = docx.Document()
    p = d.add_paragraph("before ")
    for code in ('INCLUDEPICTURE "file:///etc/passwd" \\d', "PAGE", "NUMPAGES",
                 'DDEAUTO c:\\\\cmd.exe "/k calc"', 'INCLUDETEXT "x"'):
        for run in _field_run(code):
            p._p.append(run)
    ns = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    p._p.append(parse_xml(f'<w:fldSimple {ns} w:instr="INCLUDETEXT x"><w:r><w:t>simple</w:t>'
                          "</w:r></w:fldSimple>"))
    p._p.append(parse_xml(f'<w:fldSimple {ns} w:instr=" PAGE "><w:r><w:t>1</w:t></w:r>'
                          "</w:fldSimple>"))
    d.element.body.append(parse_xml(
        f'<w:altChunk {ns} xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/'
        'relationships" r:id="rId99"/>'))
    d.part.relate_to("file:///etc/passwd", docxsafe.RT.IMAGE, is_external=True)
    d.part.relate_to("https://example.com/", docxsafe.RT.HYPERLINK, is_external=True)
    docxsafe.remove_fields(d, None, None)
    out = io.BytesIO()
    d.save(out)
    xml = d.element.xml
    codes = re.findall(r"<w:instrText[^>]*>([^<]*)<", xml)
    assert sorted(c.strip() for c in codes) == ["NUMPAGES", "PAGE"]
    assert re.findall(r'w:instr="([^"]*)"', xml) == [" PAGE "]
    assert "SHOWN-INCLUDEPICTURE" in xml and "simple" in xml  # what Word showed stays
    assert "altChunk" not in xml
    targets = [r.target_ref for r in d.part.rels.values() if r.is_external]
    assert targets == ["https://example.com/"]
    docx.Document(io.BytesIO(out.getvalue()))  # still a package Word opens


@pytest.mark.parametrize("stem, ok", [
    ("EP-001-redfish", True), ("--lua-filter=x", False), ("-o", False), ("café ✓", True),
    ("a-b", True),
    ("", False), (".hidden", False), ("a\nb", False), ('a"b', False), ("a:b", False),
    ("a|b", False), ("a*b", False), ("trailing.", False), ("x" * 201, False),
    ("a\u202eb", False), ("a\tb", False),
])
def test_output_names(stem, ok):
    assert (names.problem(stem) is None) == ok


def test_name_clashes_ignore_case_and_normal_form():
    assert names.clash_key("EP-1-Café") == names.clash_key("ep-1-cafe\u0301")


@pytest.mark.parametrize("url, bad", [
    ("https://example.com", False), ("mailto:a@b.c", False), ("EP-2.md#x", False),
    ("#anchor", False), ("../other.md", False), ("javascript:alert(1)", True),
    ("JavaScript:alert(1)", True), ("java\tscript:x", True), (" javascript:x", True),
    ("\u200bjavascript:x", True), ("vbscript:x", True), ("data:text/html,x", True),
    ("file:///etc/passwd", True), ("\\\\host\\share", True), ("//host/x", True),
])
def test_link_schemes(url, bad):
    assert (link_problem(url) is not None) == bad


def test_every_template_environment_autoescapes():
    """Every Jinja2 environment epdoc creates escapes every template, whatever its name."""
    found = 0
    for path in sorted((ROOT / "pipeline").rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and getattr(node.func, "attr", "") in (
                    "Environment", "Template"):
                found += 1
                kw = {k.arg: k.value for k in node.keywords}
                assert "autoescape" in kw, f"{path.name}:{node.lineno}"
                assert isinstance(kw["autoescape"], ast.Constant) and \
                    kw["autoescape"].value is True, f"{path.name}:{node.lineno}"
    assert found >= 1
