"""A picture epdoc made (a diagram) that the page cannot place fails the proposal at the line
of its fence, in the HTML and so in the PDF made from it; a proposal's own refused picture
is left out as before (its image-missing finding comes from the filter)."""

from __future__ import annotations

import base64

import panflute as pf
import pytest

from epdoc.pipeline.config import theme as themes
from epdoc.pipeline.core.errors import InputError
from epdoc.pipeline.core.options import Options
from epdoc.pipeline.render.html import page
from epdoc.pipeline.safety import pictures as imagesafe

BROKEN = "data:image/svg+xml;base64," + base64.b64encode(b"<svg xmlns=").decode()
GOOD = "data:image/svg+xml;base64," + base64.b64encode(
    b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 4 2"><rect width="4" height="2"/>'
    b"</svg>").decode()


def body(url: str, marks: dict, tmp_path) -> str:
    doc = pf.Doc(pf.Para(pf.Image(pf.Str("flowchart diagram"), url=url, attributes=marks)))
    source = tmp_path / "EP-960-x.md"
    source.write_text("# EP-960: X\n")
    return page.pandoc_html(doc, themes.load(None), Options(), source)[1]


def test_a_diagram_the_page_cannot_place_fails_located(tmp_path):
    marks = {imagesafe.OWN: "diagram", imagesafe.LINE: "12"}
    with pytest.raises(InputError) as e:
        body(BROKEN, marks, tmp_path)
    message = e.value.oneline()
    assert message.startswith(f"{tmp_path / 'EP-960-x.md'}:12: diagram 'flowchart diagram' "
                              "cannot be placed in the page"), message


def test_a_placed_diagram_shows_without_its_marks(tmp_path):
    html = body(GOOD, {imagesafe.OWN: "diagram", imagesafe.LINE: "3"}, tmp_path)
    assert GOOD in html and "epdoc-picture" not in html and "epdoc-line" not in html


def test_a_proposals_own_refused_picture_is_left_out_as_before(tmp_path):
    html = body(BROKEN, {}, tmp_path)
    assert BROKEN not in html
