"""`epdoc build` with SOURCE_DATE_EPOCH: the same bytes twice; DOCX dates and zip entry times
are the epoch; `--self-contained` HTML needs no other file."""

import base64
import datetime as dt
import re
import zipfile

import docx
import pytest
from lxml import html as lxml_html

from helpers import CORPUS, run_epdoc

EPOCH = 1700000000  # 2023-11-14T22:13:20Z
TEMPLATE = CORPUS / "EP-TEMPLATE.md"  # no dates of its own: the epoch is the only date
EP003 = CORPUS / "EP-003-GPU-Power-Monitoring.md"  # three images


@pytest.fixture(scope="module")
def twice(tmp_path_factory, corpus):
    outs = []
    for name in ("first", "second"):
        out = tmp_path_factory.mktemp(name)
        proc = run_epdoc("build", TEMPLATE, EP003, "--to", "html,docx", "--self-contained",
                         "-o", out, env={"SOURCE_DATE_EPOCH": str(EPOCH)})
        assert proc.returncode == 0, proc.stderr
        outs.append(out)
    return outs


def test_same_bytes_twice(twice):
    first, second = twice
    names = sorted(p.name for p in first.iterdir() if not p.name.startswith("."))
    assert names == sorted(p.name for p in second.iterdir() if not p.name.startswith("."))
    assert len(names) == 4, "self-contained HTML writes no images or fonts beside the page"
    for name in names:
        assert (first / name).read_bytes() == (second / name).read_bytes(), name


def test_docx_dates_are_the_epoch(twice):
    path = twice[0] / "EP-TEMPLATE.docx"
    with zipfile.ZipFile(path) as z:
        assert {i.date_time for i in z.infolist()} == {(2023, 11, 14, 22, 13, 20)}
        assert z.namelist()[0] == "[Content_Types].xml"
    props = docx.Document(str(path)).core_properties
    moment = dt.datetime(2023, 11, 14, 22, 13, 20)
    assert props.created.replace(tzinfo=None) == moment
    assert props.modified.replace(tzinfo=None) == moment


def test_self_contained_html_inlines_images_and_fonts(twice):
    page = (twice[0] / "EP-003-GPU-Power-Monitoring.html").read_text()
    tree = lxml_html.fromstring(page)
    sources = tree.xpath("//img/@src")
    assert len(sources) == 3
    assert all(s.startswith("data:image/png;base64,") for s in sources)
    styles = "".join(tree.xpath("//style/text()"))
    faces = styles.count("@font-face")
    assert faces >= 4
    assert styles.count('url("data:font/woff2;base64,') == faces
    urls = re.findall(r"url\(\s*[\"']?([^\"')]*)", styles)
    assert urls and all(u.startswith("data:") for u in urls)


def test_self_contained_svg_is_scrubbed_before_it_goes_in(tmp_path):
    (tmp_path / "EP-050-x.md").write_text("# EP-050: Pictures\n\n**Status:** Accepted\n\n"
                                         "![a drawing](pic.svg)\n")
    (tmp_path / "pic.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
        '<script>alert(1)</script><rect width="10" height="10" onclick="x()"/></svg>')
    proc = run_epdoc("build", tmp_path / "EP-050-x.md", "--to", "html", "--self-contained",
                     "-o", tmp_path / "out")
    assert proc.returncode == 0, proc.stderr
    page = (tmp_path / "out" / "EP-050-x.html").read_text()
    uris = re.findall(r'src="data:image/svg\+xml;base64,([^"]+)"', page)
    assert len(uris) == 1
    svg = base64.b64decode(uris[0]).decode()
    assert "<rect" in svg and "script" not in svg and "onclick" not in svg
