"""Bidirectional overrides and control characters written as character references
(`&#x202E;`, `&#8238;`) or YAML escapes (`"\\u202E"`) are refused like the raw characters:
the character checks run again on what pandoc decoded, with a located one-line error for
that proposal while the rest of the batch converts.

And an SVG <style> whose sheet goes on after an element inside it (`a{}<g/>rect{fill:
\\75rl(http://...)}`: a browser reads the text after <g/> too) is dropped whole; the
token-level CSS checks themselves are tested in test_hostile_css.py."""

from __future__ import annotations

import base64
import re
import zipfile
from urllib.parse import unquote_to_bytes

import pytest

from epdoc.pipeline.core.errors import InputError
from epdoc.pipeline.pandoc import runner as pandoc
from epdoc.pipeline.reading.document import load
from epdoc.pipeline.reading.sources import check_decoded
from epdoc.pipeline.safety import pictures
from epdoc.pipeline.safety import svg as svgsafe

from helpers import run_epdoc

GOOD = ("# EP-962: Fine\n\n**Status**: Draft\n\nNothing to see: KEEPBIDIGOOD.\n\n"
        "![tails](images/tails.svg)\n")
SVG_HEAD = '<svg xmlns="http://www.w3.org/2000/svg" width="60" height="30">'
# a <style> whose sheet goes on after an element (or entity reference) inside it
TAILS = [
    '<style>a{}<g/>rect{fill:\\75rl(http://127.0.0.1:1/tail)}</style>',
    '<style>rect{fill:red}<g/>@\\69mport "http://127.0.0.1:1/tail-import";</style>',
    '<style><desc/>rect{background:image-set("http://127.0.0.1:1/tail-set" 1x)}</style>',
    '<style>rect{stroke:blue}<script/>rect{fill:u\\72l(http://127.0.0.1:1/tail-script)}'
    '</style>',
]
STYLED = ('<defs><linearGradient id="grad"><stop offset="0" stop-color="#c33"/>'
          '</linearGradient></defs><style>rect.k { fill: url(#grad); stroke: #123456; '
          'font-size: 12px }</style><rect class="k" width="20" height="20" fill="url(#grad)" '
          'style="stroke-width:2;font-size:10px"/><text x="2" y="28">TAILSVGOK</text>')

# (markdown, the character refused, the line named)
REFUSED = [
    ("# EP-1: T\n\nvalue &#x202E;1000 dollars\n", "U+202E", 3),
    ("# EP-1: T\n\nvalue &#X202e;1000 dollars\n", "U+202E", 3),
    ("# EP-1: T\n\nfine\n\nvalue &#8238;1000\n", "U+202E", 5),
    ("# EP-1: T\n\nvalue &#x2066;x&#x2069;\n", "U+2066", 3),
    ("# EP-1: &#x202D;Title\n\ntext\n", "U+202D", 1),
    ("# EP-1: T\n\n[link](https://e.com/&#x202E;gpj.exe)\n", "U+202E", 3),
    ("# EP-1: T\n\n![pic](images/&#x202E;gnp.svg)\n", "U+202E", 3),
    ("# EP-1: T\n\n<span title=\"&#x202E;x\">raw</span>\n", "U+202E", 3),
    ("# EP-1: T\n\n<div>\n\nok\n\n<p>&#8238;raw block</p>\n\n</div>\n", "U+202E", 7),
    ("# EP-1: T\n\n- one\n- two &#x202E;owt\n", "U+202E", 4),
    ("# EP-1: T\n\n**Status**: Draft &#x202E;\n", "U+202E", 3),
    ("# EP-1: T\n\nBell &#7; here\n", "U+0007", 3),
    ('---\ntitle: "a\\u202Eb"\n---\n\ntext\n', "U+202E", 2),
    ('---\ntitle: "EP-1: T"\nstatus: "Draft"\nauthors: ["Eve \\U0000202Eevil"]\n---\n\nx\n',
     "U+202E", 4),
    ('---\ntitle: "EP-1: T"\nstatus: "Dr\\eaft"\n---\n\ntext\n', "U+001B", 3),
    ('---\ntitle: "EP-1: T"\nstatus: "Draft\\x01"\n---\n\ntext\n', "U+0001", 3),
]

# written as text, never decoded into the character: nothing to refuse
KEPT = [
    "# EP-1: T\n\nthe entity `&#x202E;` in code\n",
    "# EP-1: T\n\n```\n&#x202E; in a code block\n```\n",
    "# EP-1: T\n\nescaped: &amp;#x202E; and \\&#x202E;\n",
    "---\ntitle: 'single \\u202E quoted'\n---\n\ntext\n",
    "---\ntitle: plain \\u202E scalar\n---\n\ntext\n",
    "# EP-1: T\n\nArabic \u0627\u0644\u0639\u0631\u0628\u064a\u0629 and &#x05D0; Hebrew, "
    "a tab&#9;and &amp; more\n",
]


def _read(text: str) -> dict:
    return pandoc.read_markdown(text, "x.md")


@pytest.mark.parametrize(("text", "char", "line"), REFUSED)
def test_decoded_characters_are_refused_where_they_are_written(text, char, line):
    with pytest.raises(InputError) as e:
        check_decoded(_read(text), text, "x.md")
    message = e.value.oneline()
    assert message.startswith(f"x.md:{line}: contains a "), message
    assert char in message
    kind = "bidirectional override" if char.startswith("U+20") else "control"
    assert f"contains a {kind} character {char}" in message
    assert "\n" not in message


@pytest.mark.parametrize("text", KEPT)
def test_text_that_only_looks_like_them_is_kept(text):
    check_decoded(_read(text), text, "x.md")


def test_loading_a_proposal_refuses_them_like_the_raw_character(tmp_path):
    raw = tmp_path / "EP-963-raw.md"
    raw.write_text("# EP-963: Raw\n\nvalue \u202e1000\n")
    entity = tmp_path / "EP-964-entity.md"
    entity.write_text("# EP-964: Entity\n\nvalue &#x202E;1000\n")
    with pytest.raises(InputError) as raw_error:
        load(raw)
    with pytest.raises(InputError) as entity_error:
        load(entity)
    assert raw_error.value.message == entity_error.value.message
    assert (raw_error.value.line, entity_error.value.line) == (3, 3)
    assert "character reference or escape" in entity_error.value.hint


def test_a_batch_refuses_them_and_converts_the_rest(tmp_path):
    src = tmp_path / "proposals"
    (src / "images").mkdir(parents=True)
    (src / "images" / "tails.svg").write_bytes(_svg("".join(TAILS)))
    (src / "EP-962-good.md").write_text(GOOD)
    (src / "EP-963-entity.md").write_text(
        "# EP-963: Entity\n\n**Status**: Draft\n\nThe value is &#x202E;1000 dollars.\n")
    (src / "EP-964-yaml.md").write_text(
        '---\ntitle: "EP-964: a\\u202Eb"\nstatus: Draft\n---\n\nText.\n')
    (src / "EP-965-decimal.md").write_text(
        "# EP-965: Decimal\n\n<span title=\"&#8238;x\">raw</span>\n")
    out = tmp_path / "out"
    proc = run_epdoc("build", src, "--to", "html,pdf,docx", "-o", out, cwd=tmp_path)
    assert proc.returncode == 1, proc.stderr
    assert "Traceback" not in proc.stderr and "internal error" not in proc.stderr
    errors = [line for line in proc.stderr.splitlines() if line.startswith("error: ")]
    located = {"EP-963-entity.md": 5, "EP-964-yaml.md": 2, "EP-965-decimal.md": 3}
    assert len(errors) == len(located), proc.stderr
    for name, line in located.items():
        [message] = [e for e in errors if f"{name}:" in e]
        assert f"{name}:{line}: contains a bidirectional override character U+202E" in message
        assert not list(out.glob(f"{name[:-3]}.*"))
    for fmt in ("html", "pdf", "docx"):
        assert (out / f"EP-962-good.{fmt}").is_file()
    html = (out / "EP-962-good.html").read_text()
    assert "KEEPBIDIGOOD" in html
    # the SVG with <style> tails: copied beside the page, inlined as a data: URL (self-
    # contained pages) and embedded in the DOCX, each time without any of them
    copied = [p.read_bytes() for p in out.rglob("*.svg")]
    inlined = _data_urls(html)
    with zipfile.ZipFile(out / "EP-962-good.docx") as z:
        media = [z.read(n) for n in z.namelist() if n.startswith("word/media/")]
    assert media and any(b"TAILSVGOK" in d for d in copied + inlined)
    for data in copied + inlined + media:
        assert b"http://" not in data.replace(b"http://www.w3.org/", b"")
        if b"TAILSVGOK" in data:
            assert b"url(#grad)" in data and b"#123456" in data
    assert b"127.0.0.1" not in (out / "EP-962-good.pdf").read_bytes()


def _svg(inner: str) -> bytes:
    return f"{SVG_HEAD}{inner}{STYLED}</svg>".encode()


@pytest.mark.parametrize("style", TAILS)
def test_a_style_sheet_with_elements_inside_goes_whole(style):
    data = _svg(style)
    assert svgsafe.problems(svgsafe.parse(data))
    assert not svgsafe.is_safe_data_url(svgsafe.data_url(data.decode()))
    kept = pictures.vet(data, "x.svg").data
    assert b"127.0.0.1" not in kept
    assert not svgsafe.problems(svgsafe.parse(kept))
    for styling in (b"url(#grad)", b"#123456", b"font-size", b"stroke-width:2", b"TAILSVGOK"):
        assert styling in kept, styling


def test_legitimate_styling_is_safe_as_it_is():
    data = _svg("")
    assert svgsafe.problems(svgsafe.parse(data)) == []
    assert svgsafe.is_safe_data_url(svgsafe.data_url(data.decode()))
    assert pictures.vet(data, "x.svg").data.count(b"url(#grad)") == 2


def _data_urls(html: str) -> list[bytes]:
    found = []
    for m in re.finditer(r"data:image/svg\+xml(;base64)?,([^\"')\s]+)", html):
        found.append(base64.b64decode(m.group(2)) if m.group(1)
                     else unquote_to_bytes(m.group(2)))
    return found
