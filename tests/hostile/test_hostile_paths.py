"""Hostile paths in proposals (issue 21, items 2, 8 and 9), through the real command line:
a picture path no file can have (a NUL, a name over 255 bytes) fails its own proposal with a
located one-line error while the others are converted; a long but possible picture name is
copied beside the page under a name that fits; lint says the same about a link out of the
proposal's folder whether its target exists or not."""

from __future__ import annotations

import json
import os
import zipfile
from pathlib import Path
from urllib.parse import unquote

import pytest
from lxml import html as lxml_html

from helpers import run_epdoc
from helpers.hostile import png

PROPOSAL = """# {id}: {title}

**Status**: Draft
**Authors**: Ada Quist
**Created**: 2026-01-05

## Summary

{body}
"""
PICTURE_LINE = 9  # the line of {body} above
FORMATS = ("html", "pdf", "docx")


def write(folder: Path, id_: str, title: str, body: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{id_}-{title.lower().replace(' ', '-')}.md"
    path.write_text(PROPOSAL.format(id=id_, title=title, body=body), encoding="utf-8")
    return path


def errors(proc) -> dict[str, str]:
    """file name -> its one-line error."""
    found = {}
    for line in proc.stderr.splitlines():
        if line.startswith("error: "):
            found[Path(line[len("error: "):].split(":", 1)[0]).name] = line
    return found


def no_crash(proc) -> None:
    assert "Traceback" not in proc.stderr, proc.stderr
    assert "internal error" not in proc.stderr, proc.stderr
    assert "Exception ignored" not in proc.stderr, proc.stderr


def shown_pictures(page: Path) -> list[Path]:
    """Where each <img> of the page's body points, as files beside the page."""
    tree = lxml_html.fromstring(page.read_bytes())
    return [page.parent / unquote(src) for src in tree.xpath("//main//img/@src")
            if not src.startswith("data:")]


def batch(tmp_path: Path, picture: str) -> tuple[Path, Path, Path]:
    """A folder of three proposals, the third showing `picture`: (folder, bad, out)."""
    src = tmp_path / "src"
    write(src, "EP-971", "First fine", "KEEPFIRST is fine.")
    write(src, "EP-972", "Second fine", "KEEPSECOND is fine.")
    bad = write(src, "EP-973", "Bad picture", f"![x]({picture})")
    return src, bad, tmp_path / "out"


LONG = "p" * 300


@pytest.mark.parametrize("picture, why", [
    ("images/x%00.png", "NUL"),
    (f"images/{LONG}.png", "255"),
    ("images/x%0A.png", "control character"),
    (f"images/{'d' * 300}/x.png", "255"),
    ("images/" + "a/" * 2100 + "x.png", "4096"),
], ids=["nul", "300-char-name", "newline", "300-char-folder", "over-4096-bytes"])
def test_an_impossible_picture_path_fails_only_its_proposal(tmp_path, picture, why):
    src, bad, out = batch(tmp_path, picture)
    proc = run_epdoc("build", src, "--to", ",".join(FORMATS), "-o", out,
                     "--report", tmp_path / "report.json", timeout=300)
    no_crash(proc)
    assert proc.returncode == 1, proc.stderr
    errs = errors(proc)
    assert list(errs) == [bad.name], proc.stderr
    line = errs[bad.name]
    assert f"{bad.name}:{PICTURE_LINE}: picture path" in line and why in line, line
    assert len(line) < 400  # one short line, the path cut
    for stem in ("EP-971-first-fine", "EP-972-second-fine"):
        for fmt in FORMATS:
            assert (out / f"{stem}.{fmt}").stat().st_size > 0, (stem, fmt)
    assert not list(out.glob(f"{bad.stem}.*"))
    report = json.loads((tmp_path / "report.json").read_text())
    assert "EP-973" in json.dumps(report)
    # a second run (outputs of the good ones from the cache) says the same
    again = run_epdoc("build", src, "--to", ",".join(FORMATS), "-o", out, timeout=300)
    no_crash(again)
    assert again.returncode == 1 and list(errors(again)) == [bad.name], again.stderr


def test_an_impossible_picture_path_is_image_missing_for_lint(tmp_path):
    src, bad, _ = batch(tmp_path, "images/x%00.png")
    proc = run_epdoc("lint", src, "--format", "json")
    no_crash(proc)
    assert proc.returncode == 1
    found = [d for d in json.loads(proc.stdout) if Path(d["file"]).name == bad.name]
    assert [(d["line"], d["code"], d["severity"]) for d in found] == \
        [(PICTURE_LINE, "image-missing", "error")], found
    assert "NUL" in found[0]["message"]


def test_an_impossible_path_in_raw_html_is_dropped(tmp_path):
    """<img src> in raw HTML goes through the sanitizer: dropped, the proposal converts."""
    src, bad, out = batch(tmp_path, "unused")
    write(src, "EP-973", "Bad picture",
          f'KEEPRAW\n\n<img src="images/x%00.png">\n\n<img src="{LONG}.png">\n')
    proc = run_epdoc("build", src, "--to", ",".join(FORMATS), "-o", out, timeout=300)
    no_crash(proc)
    assert proc.returncode == 0, proc.stderr
    assert shown_pictures(out / f"{bad.stem}.html") == []


def _long_name_allowed(folder: Path, name: str) -> bool:
    try:
        (folder / name).write_bytes(b"")
    except OSError:
        return False
    (folder / name).unlink()
    return True


def test_a_244_character_picture_is_copied_and_shown(tmp_path):
    """The copy beside the page gets a name that fits (its temporary name too), and the
    page points at it; PDF and DOCX show the picture as well."""
    name = "p" * 240 + ".png"
    src, bad, out = batch(tmp_path, f"images/{name}")
    (src / "images").mkdir()
    # every Linux file system epdoc runs on takes names of 255 bytes
    assert _long_name_allowed(src / "images", name), "244-character names refused here"
    data = png((31, 17))
    (src / "images" / name).write_bytes(data)
    proc = run_epdoc("build", src, "--to", ",".join(FORMATS), "-o", out, timeout=300)
    no_crash(proc)
    assert proc.returncode == 0, proc.stderr
    assert "image-missing" not in proc.stderr
    pictures = shown_pictures(out / f"{bad.stem}.html")
    assert len(pictures) == 1
    assert pictures[0].is_file() and pictures[0].read_bytes() == data
    assert len(pictures[0].name.encode()) <= 200 and pictures[0].suffix == ".png"
    with zipfile.ZipFile(out / f"{bad.stem}.docx") as z:
        assert any(n.startswith("word/media/") for n in z.namelist())
    assert (out / f"{bad.stem}.pdf").stat().st_size > 0
    assert not [p for p in out.rglob("*.tmp")]


def test_a_missing_244_character_picture_is_reported_not_referenced(tmp_path):
    name = "q" * 240 + ".png"
    src, bad, out = batch(tmp_path, f"images/{name}")
    proc = run_epdoc("build", src, "--to", ",".join(FORMATS), "-o", out, timeout=300)
    no_crash(proc)
    assert proc.returncode == 0, proc.stderr
    assert f"{bad.name}:{PICTURE_LINE}:1: error image-missing" in proc.stderr
    assert shown_pictures(out / f"{bad.stem}.html") == []


def test_an_unwritable_picture_copy_is_an_error_not_a_dangling_img(tmp_path):
    """When the copy cannot be written (here a file where its folder should be), the
    proposal fails with a one-line error; no page points at a file that is not there."""
    src, bad, out = batch(tmp_path, "images/ok.png")
    (src / "images").mkdir()
    (src / "images" / "ok.png").write_bytes(png((5, 5)))
    out.mkdir()
    (out / "images").write_text("not a folder")
    proc = run_epdoc("build", src, "--to", "html", "-o", out, timeout=300)
    no_crash(proc)
    assert proc.returncode == 1
    errs = errors(proc)
    assert list(errs) == [bad.name], proc.stderr
    assert "could not be copied" in errs[bad.name]
    assert not (out / f"{bad.stem}.html").exists()
    assert (out / "EP-971-first-fine.html").is_file()


# --- lint and files outside the proposal's folder -------------------------------------------

def _lint(path: Path) -> list[dict]:
    proc = run_epdoc("lint", path, "--format", "json")
    no_crash(proc)
    return [d for d in json.loads(proc.stdout) if d["code"].startswith("link-")]


def _same_apart_from_path(a: dict, b: dict, path_a: str, path_b: str) -> None:
    assert a["code"] == b["code"] and a["severity"] == b["severity"]
    assert a["message"].replace(path_a, "PATH") == b["message"].replace(path_b, "PATH")


def test_lint_says_the_same_about_outside_files_that_exist_or_not(tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "real.md").write_text("# Real\n")
    folder = tmp_path / "src"
    folder.mkdir()
    os.symlink(outside, folder / "door")  # a symlink inside the folder that points out
    links = {
        "a": "../../../../etc/shadow",
        "b": "../../../../etc/does-not-exist",
        "c": "../outside/real.md",
        "d": "../outside/nope.md",
        "e": "door/real.md",
        "f": "door/nope.md",
        "g": "sub/../../outside/real.md",
    }
    body = "\n".join(f"[{k}]({v})" for k, v in links.items())
    proposal = write(folder, "EP-980", "Links", f"{body}\n[h](x%00.md)\n[i]({LONG}.md)")
    found = _lint(proposal)
    by_line = {d["line"]: d for d in found}
    assert sorted(by_line) == list(range(PICTURE_LINE, PICTURE_LINE + len(links) + 2)), found
    outs = [by_line[PICTURE_LINE + i] for i in range(len(links))]
    paths = list(links.values())
    for d, path in zip(outs, paths, strict=True):
        assert d["code"] == "link-outside" and path in d["message"], d
        _same_apart_from_path(outs[0], d, paths[0], path)
    assert "real" not in json.dumps(outs).replace("real.md", "")
    bad = [by_line[PICTURE_LINE + len(links)], by_line[PICTURE_LINE + len(links) + 1]]
    assert {d["code"] for d in bad} == {"link-missing"}
    assert "NUL" in bad[0]["message"] and "255" in bad[1]["message"]


def test_lint_still_checks_links_inside_the_folder(tmp_path):
    folder = tmp_path / "src"
    (folder / "sub").mkdir(parents=True)
    (folder / "sub" / "here.md").write_text("# Here\n")
    os.symlink("sub", folder / "alias")  # a symlink that stays inside
    proposal = write(folder, "EP-981", "Inside",
                     "[a](sub/here.md) [b](alias/here.md) [c](sub/gone.md) [d](alias/gone.md)")
    found = _lint(proposal)
    assert [(d["code"], d["message"].split()[2]) for d in found] == [
        ("link-missing", "sub/gone.md"), ("link-missing", "alias/gone.md")], found
