"""The one picture policy (pipeline/safety/pictures.py `find`), and the five places that ask
it: the markdown filter, raw HTML `<img>`, what WeasyPrint may fetch (PDF), self-contained
HTML and the DOCX. Every case runs once through the policy and once through each of them,
which must all agree: a rule kept in one place cannot drift."""

from __future__ import annotations

import base64
import os
from pathlib import Path
from urllib.parse import urljoin

import panflute as pf
import pytest

from epdoc.filters import images as image_filter
from epdoc.pipeline.core import paths
from epdoc.pipeline.core.context import Context
from epdoc.pipeline.core.errors import LimitError
from epdoc.pipeline.core.options import Options
from epdoc.pipeline.render.html import inline
from epdoc.pipeline.safety import docx as docxsafe
from epdoc.pipeline.safety import pictures
from epdoc.pipeline.safety.fetcher import SafeFetcher

from helpers.hostile import bomb_png, png

OK, REFUSED, OVER = "ok", "refused", "over a limit"
PNG = png((4, 3))
DATA_PNG = "data:image/png;base64," + base64.b64encode(PNG).decode()
# (url, what every place must decide, the policy's reason when refused)
CASES = [
    ("images/ok.png", OK, None),
    ("./images/../images/ok.png", OK, None),
    ("images/missing.png", REFUSED, "file not found"),
    ("../outside.png", REFUSED, "outside the proposal's folder"),
    ("images/link-out.png", REFUSED, "outside the proposal's folder"),
    (".git/x.png", REFUSED, "hidden files and folders are not read"),
    ("images/fake.png", REFUSED, "not a PNG, JPEG, GIF, WebP or SVG picture"),
    ("images/x%00.png", REFUSED, "it contains a NUL character"),
    ("images/" + "x" * 300 + ".png", REFUSED, "over the 255 a file name may have"),
    ("/etc/passwd", REFUSED, "absolute paths and other schemes are not allowed"),
    ("https://example.org/x.png", REFUSED, "network access is off (use --allow-network)"),
    (DATA_PNG, OK, None),
    ("data:text/html;base64,PHA+eDwvcD4=", REFUSED, "a data URL that is not a picture"),
    ("images/bomb.png", OVER, None),
]
IDS = [c[0][:30] for c in CASES]


@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("policy")
    src = root / "proposal"
    (src / "images").mkdir(parents=True)
    (src / ".git").mkdir()
    (src / "images" / "ok.png").write_bytes(PNG)
    (src / ".git" / "x.png").write_bytes(PNG)
    (src / "images" / "fake.png").write_text("not a picture")
    (src / "images" / "bomb.png").write_bytes(bomb_png())
    (root / "outside.png").write_bytes(PNG)
    os.symlink(root / "outside.png", src / "images" / "link-out.png")
    return src


def policy(url, src) -> str:
    try:
        pictures.find(url, pictures.Place(src, options=Options()))
    except LimitError:
        return OVER
    except pictures.Refused:
        return REFUSED
    return OK


def markdown_filter(url, src) -> str:
    ctx = Context(source=src / "EP-001-x.md", options=Options())
    try:
        why = image_filter.check(pf.Image(pf.Str("x"), url=url), ctx)
    except LimitError:
        return OVER
    except paths.PathError:  # a path no file can have fails the proposal: a refusal too
        return REFUSED
    return OK if why is None else REFUSED


def raw_html(url, src) -> str:
    images = pictures.HtmlImages(src, Options())
    kept = images(url)
    if images.over_limit:
        return OVER
    if kept and url in images.remote:  # not shown: a link to it instead
        assert images.remote_as_links(f'<img src="{url}" alt="x">') == \
            f'<a href="{url}" class="remote-image">x</a>'
        return REFUSED
    return OK if kept else REFUSED


def pdf_fetcher(url, src) -> str:
    """WeasyPrint resolves every reference against the page's base URL, then asks."""
    fetcher = SafeFetcher([src], options=Options())
    absolute = url if ":" in url.split("/")[0] else urljoin(src.as_uri() + "/", url)
    try:
        fetcher.fetch(absolute)
    except ValueError:
        return OVER if fetcher.over_limit else REFUSED
    return OK


def self_contained(url, src) -> str:
    if url.startswith(("data:", "https:")):
        return pdf_fetcher(url, src)  # left as they are in the page; WeasyPrint asks for them
    inliner = inline.Inliner([src], [src], vet=inline.picture_check(Options()))
    try:
        out = inliner.uri(url)
    except LimitError:  # fails the proposal
        return OVER
    return OK if out.startswith("data:image/") else REFUSED


def docx_picture(url, src) -> str:
    try:
        docxsafe.picture(url, src, [], Options())
    except LimitError:
        return OVER
    except pictures.Refused:
        return REFUSED
    return OK


PLACES = [markdown_filter, raw_html, pdf_fetcher, self_contained, docx_picture]


@pytest.mark.parametrize(("url", "verdict", "reason"), CASES, ids=IDS)
def test_the_policy(folder, url, verdict, reason):
    assert policy(url, folder) == verdict
    if reason:
        with pytest.raises(pictures.Refused) as e:
            pictures.find(url, pictures.Place(folder, options=Options()))
        assert reason in str(e.value)


@pytest.mark.parametrize(("url", "verdict", "reason"), CASES, ids=IDS)
@pytest.mark.parametrize("place", PLACES, ids=lambda f: f.__name__)
def test_every_place_decides_as_the_policy(folder, url, verdict, reason, place):
    assert place(url, folder) == verdict


def test_the_network_when_allowed(folder):
    remote = "https://example.org/x.png"
    allowed = pictures.Place(folder, options=Options(allow_network=True))
    assert pictures.find(remote, allowed).kind == pictures.REMOTE  # allowed, not read
    found = pictures.find(remote, allowed, fetch=lambda _url: PNG)
    assert found.picture.mime == "image/png" and found.picture.width == 4
    with pytest.raises(pictures.Refused, match="not a PNG"):
        pictures.find(remote, allowed, fetch=lambda _url: b"<html>")


def test_absolute_paths_only_inside_trusted_folders(folder, tmp_path):
    drawn = tmp_path / "diagrams"
    drawn.mkdir()
    (drawn / "d.png").write_bytes(PNG)
    trusted = pictures.Place(folder, (drawn,), Options())
    assert pictures.find(str(drawn / "d.png"), trusted).name == "d.png"
    with pytest.raises(pictures.Refused):
        pictures.find(str(folder.parent / "outside.png"), trusted)
    with pytest.raises(pictures.Refused):  # file: URLs only where asked for (WeasyPrint)
        pictures.find((drawn / "d.png").as_uri(), trusted)
    assert pictures.find((drawn / "d.png").as_uri(),
                         pictures.Place(folder, (drawn,), Options(), file_urls=True)).picture
