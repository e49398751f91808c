"""Pictures beside HTML pages: proposals from different folders that share an output folder
and name different pictures alike each show their own."""

from __future__ import annotations

import io
from pathlib import Path
from urllib.parse import unquote

from lxml import html as lxml_html
from PIL import Image

from helpers import run_epdoc

PROPOSAL = """# {id}: {title}

**Status**: Draft
**Authors**: Ada Quist
**Created**: 2026-01-05

## Summary

The overview: ![overview](images/overview.png)

<img src="images/raw.png" alt="raw">
"""


def png(color: str) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (12, 8), color).save(out, "PNG")
    return out.getvalue()


def folder(root: Path, name: str, id_: str, overview: bytes, raw: bytes) -> Path:
    src = root / name
    (src / "images").mkdir(parents=True)
    (src / "images" / "overview.png").write_bytes(overview)
    (src / "images" / "raw.png").write_bytes(raw)
    (src / f"{id_}-{name}.md").write_text(PROPOSAL.format(id=id_, title=name.title()))
    return src


def shown(page: Path) -> list[bytes]:
    """The bytes of each picture the page shows, read from where its <img> points."""
    tree = lxml_html.fromstring(page.read_bytes())
    return [(page.parent / unquote(src)).read_bytes()
            for src in tree.xpath("//main//img/@src")]


def build(out: Path, *folders: Path):
    proc = run_epdoc("build", *folders, "--to", "html", "-o", out, "--jobs", "2")
    assert proc.returncode == 0, proc.stderr


def test_pictures_named_alike_in_two_folders_each_show_on_their_own_page(tmp_path):
    red, blue, green = png("red"), png("blue"), png("green")
    a = folder(tmp_path, "alpha", "EP-601", red, green)
    b = folder(tmp_path, "beta", "EP-602", blue, green)  # the same raw.png as alpha
    out = tmp_path / "out"
    build(out, a, b)
    assert shown(out / "EP-601-alpha.html") == [red, green]
    assert shown(out / "EP-602-beta.html") == [blue, green]
    copies = sorted(p.name for p in (out / "images").iterdir())
    assert len(copies) == 3, copies  # overview.png, one copy named by content, raw.png shared

    # rebuilt alone, beta keeps its own picture; alpha's page is untouched
    (b / "EP-602-beta.md").write_text((b / "EP-602-beta.md").read_text() + "\nMore.\n")
    build(out, b)
    assert shown(out / "EP-601-alpha.html") == [red, green]
    assert shown(out / "EP-602-beta.html") == [blue, green]


def test_a_changed_picture_replaces_the_old_copy(tmp_path):
    a = folder(tmp_path, "alpha", "EP-603", png("red"), png("green"))
    out = tmp_path / "out"
    build(out, a)
    (a / "images" / "overview.png").write_bytes(png("yellow"))
    build(out, a)
    assert shown(out / "EP-603-alpha.html") == [png("yellow"), png("green")]
    assert (out / "images" / "overview.png").read_bytes() == png("yellow")
    assert sorted(p.name for p in (out / "images").iterdir()) == ["overview.png", "raw.png"]
