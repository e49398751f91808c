"""Hostile runs that need their own `epdoc build`: time limits, memory, raised limits, the
network opt-in, file names like options, concurrent builds, failed rebuilds and writes."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import time
import zipfile
from pathlib import Path

import pypdf
import pytest

from helpers import EPDOC, run_epdoc
from helpers.hostile import (
    CANARY,
    HOSTILE,
    Server,
    bomb_png,
    docx_problems,
    html_problems,
    pdf_dangers,
    pdf_leaks,
    png,
)
from helpers.readers import docx_text, html_text, pdf_text, squash

OK = "# EP-970: Fine\n\n**Status**: Draft\n\nNothing to see: KEEPFINE.\n"


def errors(proc) -> dict[str, str]:
    """file name -> its one-line error."""
    found = {}
    for line in proc.stderr.splitlines():
        if line.startswith("error: "):
            name = line[len("error: "):].split(":", 1)[0]
            found[Path(name).name] = line
    return found


def complete(path: Path) -> bool:
    """True when the output is whole: a PDF with its trailer, a DOCX zip, a closed page."""
    data = path.read_bytes()
    if path.suffix == ".pdf":
        return data.startswith(b"%PDF-") and b"%%EOF" in data[-1024:] and \
            len(pypdf.PdfReader(str(path)).pages) > 0
    if path.suffix == ".docx":
        with zipfile.ZipFile(path) as z:
            return z.testzip() is None and "word/document.xml" in z.namelist()
    return data.rstrip().endswith(b"</html>")


def test_time_limit_stops_slow_proposals_and_the_batch_goes_on(tmp_path):
    """pandoc on nested brackets and unclosed emphasis, WeasyPrint on a long table: each
    stopped at --timeout with a one-line error; the fine proposal converts."""
    src = tmp_path / "src"
    src.mkdir()
    for f in (HOSTILE / "slow").glob("*.md"):
        shutil.copy(f, src / f.name)
    rows = "\n".join(f"| {i} | word word word | more text here | x |" for i in range(6000))
    (src / "EP-948-long-table.md").write_text(
        f"# EP-948: A long table\n\n| a | b | c | d |\n|---|---|---|---|\n{rows}\n")
    (src / "EP-970-fine.md").write_text(OK)
    t0 = time.monotonic()
    proc = run_epdoc("build", src, "--to", "html,pdf,docx", "-o", tmp_path / "out",
                     "--timeout", "4", "--jobs", "1", timeout=300)
    seconds = time.monotonic() - t0
    assert proc.returncode == 1
    errs = errors(proc)
    assert sorted(errs) == ["EP-946-nested-brackets.md", "EP-947-open-emphasis.md",
                            "EP-948-long-table.md"], proc.stderr
    for line in errs.values():
        assert "limit" in line and "--timeout" in line and "\n" not in line
    assert (tmp_path / "out" / "EP-970-fine.pdf").is_file()
    for name in ("EP-946-nested-brackets", "EP-947-open-emphasis", "EP-948-long-table"):
        assert not list((tmp_path / "out").glob(f"{name}.*"))
        assert not list((tmp_path / "out").glob(f".{name}*"))  # no temporary file left
    # three stopped at 4 s each, one fine proposal and the start-up: far below the
    # minutes the slow inputs take without the limit
    assert seconds < 120


def test_pandoc_memory_limit(tmp_path):
    src = tmp_path / "EP-971-big.md"
    src.write_text("# EP-971: Big\n\n" + "".join(f"- item *{i}* **x**\n" for i in range(30000)))
    proc = run_epdoc("build", src, "--to", "html", "-o", tmp_path / "out",
                     "--pandoc-memory", "16m", timeout=300)
    assert proc.returncode == 1
    line = errors(proc)["EP-971-big.md"]
    assert "memory limit" in line and "--pandoc-memory" in line


@pytest.fixture(scope="module")
def limits_src(tmp_path_factory):
    src = tmp_path_factory.mktemp("limits-src")
    (src / "big.png").write_bytes(bomb_png(3000))
    (src / "EP-972-picture.md").write_text("# EP-972: A picture\n\n![big](big.png)\n")
    (src / "EP-973-deep.md").write_text("# EP-973: Deep\n\n" + ">" * 30 + " KEEPDEEP\n\n" +
                                        "Long enough to be the only one over 200 bytes. " * 5)
    shutil.copy(HOSTILE / "images" / "external.svg", src / "plain.svg")
    (src / "EP-974-svg.md").write_text("# EP-974: SVG\n\n![svg](plain.svg)\n")
    return src


@pytest.mark.parametrize("option, value, name", [
    ("--max-image-pixels", "1000000", "EP-972-picture.md"),
    ("--max-depth", "20", "EP-973-deep.md"),
    ("--max-svg-elements", "5", "EP-974-svg.md"),
    ("--max-input-bytes", "200", "EP-973-deep.md"),
])
def test_each_limit_is_an_option(limits_src, tmp_path, option, value, name):
    """Under the default limits the proposal converts; under a lower one it fails with a
    one-line error naming the limit and the option, and the others still convert."""
    out = tmp_path / "out"
    ok = run_epdoc("build", limits_src / name, "--to", "html,pdf,docx", "-o", out / "a")
    assert ok.returncode == 0, ok.stderr
    proc = run_epdoc("build", limits_src, "--to", "html,pdf,docx", "-o", out / "b",
                     option, value)
    assert proc.returncode == 1
    errs = errors(proc)
    assert list(errs) == [name], proc.stderr
    assert "limit" in errs[name] and option in errs[name]


def test_limit_options_must_be_positive(tmp_path):
    proc = run_epdoc("build", HOSTILE / "EP-931-within-depth.md", "--max-depth", "0")
    assert proc.returncode == 2 and "--max-depth" in proc.stderr


@pytest.fixture(scope="module")
def network(tmp_path_factory):
    """A proposal with remote pictures built with --allow-network."""
    src = tmp_path_factory.mktemp("net-src")
    out = tmp_path_factory.mktemp("net-out")
    with Server() as server:
        base = f"http://127.0.0.1:{server.port}"
        (src / "EP-975-remote.md").write_text(
            f"# EP-975: Remote pictures\n\n![remote]({base}/pic.png)\n\n"
            f"![moved]({base}/redirect)\n\n<img src=\"{base}/raw.png\" alt=\"raw\">\n\n"
            "KEEPREMOTE\n")
        proc = run_epdoc("build", src, "--to", "html,pdf,docx", "-o", out, "--allow-network")
        requests = list(server.requests)
    return out, proc, requests


def test_network_only_when_asked_and_no_redirects(network):
    out, proc, requests = network
    assert proc.returncode == 0, proc.stderr
    paths = {r.split()[1] for r in requests}
    assert "/pic.png" in paths  # the server is really there: the opt-in reaches it
    assert "/redirected.png" not in paths  # a redirect is never followed
    with zipfile.ZipFile(out / "EP-975-remote.docx") as z:
        assert [n for n in z.namelist() if n.startswith("word/media/")]
    reader = pypdf.PdfReader(str(out / "EP-975-remote.pdf"))
    images = [x for x in reader.pages[0].images]
    assert images, "the remote picture is in the PDF"
    html = (out / "EP-975-remote.html").read_text()
    assert 'src="http://127.0.0.1:' in html


def test_option_like_names_are_only_paths(tmp_path):
    """A file named like an option is read as a file (given after `--`), never run as a
    pandoc option, and refused: its outputs would be named like options too."""
    src = tmp_path / "src"
    src.mkdir()
    trap = src / "EP-976-trap.md"
    trap.write_text(f"-- # EP-976: trap\nos.execute('touch {tmp_path}/pwned')\n")
    names = ["--lua-filter=EP-976-trap.md", "-oEP-977-out.md", "--from=latex.md"]
    for name in names:
        (src / name).write_text(f"# EP-97x: {name}\n\nKEEPNAME\n")
    out = tmp_path / "out"
    proc = subprocess.run([*EPDOC, "build", "--to", "html,pdf,docx", "-o", str(out), "--",
                           *names, "./EP-976-trap.md"], cwd=src, capture_output=True,
                          text=True, timeout=300)
    assert proc.returncode == 1, proc.stderr
    assert "Traceback" not in proc.stderr
    for name in names:
        line = next(x for x in proc.stderr.splitlines() if x.startswith(f"error: {name}"))
        assert "starts with '-'" in line and "rename the file" in line
        assert not list(out.glob(f"{name[:-3]}.*"))
    assert "KEEPNAME" not in "".join(p.name for p in out.iterdir())
    for fmt in ("html", "pdf", "docx"):
        assert (out / f"EP-976-trap.{fmt}").is_file()
    assert not (tmp_path / "pwned").exists()
    assert sorted(p.name for p in src.iterdir()) == sorted([*names, "EP-976-trap.md"])
    lint = run_epdoc("lint", "--", src / names[0])  # read as a file, with its own findings
    assert "starts with '-'" not in lint.stderr and lint.returncode in (0, 1)


def test_concurrent_builds_leave_complete_files(tmp_path):
    """Two builds of the same proposals into one folder at once, writing the same files at
    the same time (no cache: with it the second build waits for the first and converts
    nothing): every output complete."""
    src = tmp_path / "src"
    src.mkdir()
    for name in ("EP-901-link-attachment.md", "EP-931-within-depth.md",
                 "EP-949-unicode-tricks.md"):
        shutil.copy(HOSTILE / name, src / name)
    for i in range(4):
        (src / f"EP-98{i}-fine.md").write_text(OK.replace("EP-970", f"EP-98{i}"))
    out = tmp_path / "out"
    procs = [subprocess.Popen([*EPDOC, "build", str(src), "--to", "html,pdf,docx", "-o",
                               str(out), "--jobs", "1", "-q", "--no-cache", "--report",
                               str(tmp_path / f"report{i}.json")], stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True) for i in range(2)]
    results = [p.communicate(timeout=600) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], results
    for i in range(2):  # both wrote every output
        report = json.loads((tmp_path / f"report{i}.json").read_text())
        assert [d["status"] for d in report["documents"]] == ["converted"] * 7
    built = sorted(p for p in out.iterdir() if p.suffix in (".html", ".pdf", ".docx"))
    assert len(built) == 7 * 3
    for path in built:
        assert complete(path), path
    assert [p.name for p in out.rglob("*.tmp")] == []


def test_failed_rebuild_leaves_no_stale_output(tmp_path):
    src = tmp_path / "EP-985-changing.md"
    src.write_text(OK.replace("EP-970", "EP-985"))
    out = tmp_path / "out"
    first = run_epdoc("build", src, "--to", "html,pdf,docx", "-o", out)
    assert first.returncode == 0, first.stderr
    assert len(list(out.glob("EP-985-changing.*"))) == 3
    src.write_text(OK.replace("EP-970", "EP-985") + "\u202eevil\n")
    second = run_epdoc("build", src, "--to", "html,pdf,docx", "-o", out)
    assert second.returncode == 1
    assert list(out.glob("EP-985-changing.*")) == []


def test_failed_write_leaves_no_partial_file(tmp_path):
    """An output that cannot be written fails its proposal with a one-line error; no
    temporary or half-written file stays, and the other proposals convert."""
    src = tmp_path / "src"
    src.mkdir()
    (src / "EP-986-blocked.md").write_text(OK.replace("EP-970", "EP-986"))
    (src / "EP-987-fine.md").write_text(OK.replace("EP-970", "EP-987"))
    out = tmp_path / "out"
    (out / "EP-986-blocked.pdf").mkdir(parents=True)  # a folder where the PDF goes
    proc = run_epdoc("build", src, "--to", "html,pdf,docx", "-o", out)
    assert proc.returncode == 1
    assert "EP-986-blocked.md" in errors(proc)
    assert "\n" not in errors(proc)["EP-986-blocked.md"]
    assert [p.name for p in out.rglob("*.tmp")] == []
    assert all(complete(out / f"EP-987-fine.{fmt}") for fmt in ("html", "pdf", "docx"))


def test_canary_png_is_a_real_picture():
    """The scanners look for the secret picture by its size: make sure it is one."""
    from io import BytesIO

    from PIL import Image

    with Image.open(BytesIO(png((37, 23), CANARY))) as im:
        assert im.size == (37, 23)


def test_scanners_find_what_they_look_for(tmp_path):
    """Each scanner, given an output that does leak, says so (no silent pass)."""
    html = tmp_path / "x.html"
    html.write_text(f"<html><head></head><body><script>{CANARY}</script></body></html>")
    assert any("script" in p for p in html_problems(html))
    assert any(CANARY in p for p in html_problems(html))
    docx_path = tmp_path / "x.docx"
    with zipfile.ZipFile(docx_path, "w") as z:
        z.writestr("word/document.xml", (
            '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/'
            'main"><w:body><w:p><w:r><w:instrText>INCLUDEPICTURE "x"</w:instrText></w:r>'
            f"<w:r><w:t>{CANARY}</w:t></w:r></w:p></w:body></w:document>"))
    problems = docx_problems(docx_path)
    assert any("INCLUDEPICTURE" in p for p in problems)
    assert any(CANARY in p for p in problems)
    import weasyprint

    pdf = tmp_path / "x.pdf"
    secret = tmp_path / "secret.txt"
    secret.write_text(CANARY)
    weasyprint.HTML(string="<p>x</p>").write_pdf(
        pdf, attachments=[weasyprint.Attachment(filename=str(secret))])
    assert pdf_leaks(pdf) and pdf_dangers(pdf)


def test_legitimate_features_survive(tmp_path):
    """Relative pictures (PNG, SVG, in a subfolder), sibling links and text survive the
    safety in all three formats."""
    src = tmp_path / "src"
    (src / "img").mkdir(parents=True)
    (src / "img" / "chart.png").write_bytes(png((40, 30)))
    (src / "img" / "shape.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" width="60" height="20"><rect width="60" '
        'height="20" fill="#36c"/><text x="4" y="14">SVGLABEL</text></svg>')
    (src / "EP-990-pictures.md").write_text(
        "# EP-990: Pictures\n\n**Status**: Draft\n\n![chart](img/chart.png)\n\n"
        "![shape](./img/shape.svg)\n\nSee [the other one](EP-991-other.md#other).\n")
    (src / "EP-991-other.md").write_text("# EP-991: Other\n\n## Other\n\nText.\n")
    out = tmp_path / "out"
    proc = run_epdoc("build", src, "--to", "html,pdf,docx", "-o", out)
    assert proc.returncode == 0, proc.stderr
    assert "image-missing" not in proc.stderr
    html = (out / "EP-990-pictures.html").read_text()
    assert 'src="img/chart.png"' in html and 'src="img/shape.svg"' in html
    assert (out / "img" / "chart.png").read_bytes() == (src / "img" / "chart.png").read_bytes()
    assert b"SVGLABEL" in (out / "img" / "shape.svg").read_bytes()
    assert "EP-991-other.html#other" in html
    with zipfile.ZipFile(out / "EP-990-pictures.docx") as z:
        assert len([n for n in z.namelist() if n.startswith("word/media/")]) >= 2
    reader = pypdf.PdfReader(str(out / "EP-990-pictures.pdf"))
    assert reader.pages[0].images  # the PNG
    assert "SVGLABEL" in pdf_text(out / "EP-990-pictures.pdf")  # the SVG, as vector text
    assert "Text" in docx_text(out / "EP-991-other.docx")
    assert squash("See the other one") in squash(html_text(out / "EP-990-pictures.html"))


def test_github_annotations_cannot_be_forged(tmp_path):
    """In GitHub Actions, a file name or a value cannot start a workflow command of its own."""
    src = tmp_path / "src"
    src.mkdir()
    (src / "EP-992-x\n::add-mask::secret.md").write_text("# EP-992: Name\n\nText.\n")
    (src / "EP-993-values.md").write_text(
        "# EP-993: Values\n\n**Status**: %0A::stop-commands::pwn\n"
        "**Authors**: a\r::error::forged\n\n[x](javascript:%0A::warning::forged)\n")
    proc = run_epdoc("build", src, "--to", "html", "-o", tmp_path / "out",
                     env={"GITHUB_ACTIONS": "true"})
    lines = (proc.stdout + proc.stderr).splitlines()
    commands = [line for line in lines if line.startswith("::")]
    assert commands, "annotations are printed in GitHub Actions"
    for line in commands:  # a workflow command is a whole line: only epdoc's annotations
        assert re.match(r"::(error|warning|notice) file=[^:\n]*::", line), line


def test_lint_reads_nothing_outside_the_folder(tmp_path):
    """Links out of the folder never make lint read a file or list a folder there: no
    heading or file name from outside shows up in its messages."""
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "notes.md").write_text("# Notes\n\n## Secret heading zebra\n")
    (outside / "id_rsa").write_text(CANARY)
    src = tmp_path / "src"
    src.mkdir()
    (src / "EP-994-links.md").write_text(
        "# EP-994: Links\n\n[a](../outside/notes.md#secret-heading-zebr)\n"
        "[b](../outside/id_rsb)\n[c](EP-995-inside.md#inside-headin)\n")
    (src / "EP-995-inside.md").write_text("# EP-995: Inside\n\n## Inside heading\n")
    proc = run_epdoc("lint", src / "EP-994-links.md", "--format", "json")
    assert "zebra" not in proc.stdout + proc.stderr
    assert "id_rsa" not in proc.stdout + proc.stderr
    assert "inside-heading" in proc.stdout  # inside the folder, lint still helps


def test_files_outside_the_folder_are_never_read(tmp_path):
    """A link or a picture that points at a huge file outside the folder (a 1 TB sparse
    file here; /proc/kcore on a real machine) costs nothing: nothing outside is read, not
    even to see whether it changed."""
    outside = tmp_path / "outside"
    outside.mkdir()
    huge = outside / "huge.bin"
    with open(huge, "wb") as f:
        f.truncate(1 << 40)
    src = tmp_path / "src"
    src.mkdir()
    os.symlink(huge, src / "huge.png")
    (src / "EP-996-huge.md").write_text(
        "# EP-996: Huge\n\n[data](../outside/huge.bin)\n\n![picture](huge.png)\n\nKEEPHUGE\n")
    proc = run_epdoc("build", src, "--to", "html,docx", "-o", tmp_path / "out", timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert "outside the proposal's folder" in proc.stderr  # the picture, refused
    assert "KEEPHUGE" in html_text(tmp_path / "out" / "EP-996-huge.html")


def test_a_proposal_symlinked_to_a_huge_file_is_not_read(tmp_path):
    """A proposal that is a symlink out of its folder, or over the size limit, is refused
    before anything reads it (the cache's look-up included)."""
    outside = tmp_path / "outside"
    outside.mkdir()
    huge = outside / "huge.md"
    with open(huge, "wb") as f:
        f.truncate(1 << 40)
    src = tmp_path / "src"
    src.mkdir()
    os.symlink(huge, src / "EP-997-link.md")
    big = src / "EP-998-big.md"
    with open(big, "wb") as f:
        f.truncate(1 << 40)  # inside, but far over --max-input-bytes
    (src / "EP-999-fine.md").write_text(OK.replace("EP-970", "EP-999"))
    proc = run_epdoc("build", src, "--to", "html", "-o", tmp_path / "out", timeout=120)
    assert proc.returncode == 1
    errs = errors(proc)
    assert "outside its folder" in errs["EP-997-link.md"]
    assert "--max-input-bytes" in errs["EP-998-big.md"]
    assert (tmp_path / "out" / "EP-999-fine.html").is_file()


def test_a_raised_depth_limit_still_gives_a_one_line_error(tmp_path):
    """Past what Python's recursion allows, a raised --max-depth gives a one-line error
    naming the option, never an internal error."""
    src = tmp_path / "EP-989-deep.md"
    src.write_text("# EP-989: Deep\n\n" + ">" * 300 + " x\n")
    proc = run_epdoc("build", src, "--to", "html,pdf,docx", "-o", tmp_path / "out",
                     "--max-depth", "1000")
    assert proc.returncode == 1
    line = errors(proc)["EP-989-deep.md"]
    assert "--max-depth" in line and "internal error" not in line
