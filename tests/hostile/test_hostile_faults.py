"""Faults around a run, through the real `epdoc` (issue 21, items 4 and 7): a title longer than
a DOCX core property holds, an escape character in YAML metadata, an output folder, report
path or archive that cannot be written, a cache lock that is a folder, a full disk. Each is a
one-line error naming the path and what to do (never a traceback or an internal error); what
can be checked before the work is, as a usage error (exit code 2) with nothing written."""

from __future__ import annotations

import contextlib
import os
import subprocess
from pathlib import Path

import docx
import pytest
from pypdf import PdfReader

from helpers import run_epdoc
from helpers.readers import docx_text

FINE = ("# EP-982: Fine\n\n**Status**: Draft\n**Authors**: Ann\n**Created**: 2026-01-02\n\n"
        "## Summary\n\nNothing to see: KEEPFINE.\n")
LONG_TITLE = ("Long title " + " ".join(f"part{i}" for i in range(60)))[:300]


def clean(proc: subprocess.CompletedProcess) -> None:
    assert "Traceback" not in proc.stderr, proc.stderr
    assert "internal error" not in proc.stderr, proc.stderr


def error_lines(proc) -> list[str]:
    return [line for line in proc.stderr.splitlines()
            if line.startswith(("error: ", "epdoc: error: "))]


def one_error(proc, *words) -> str:
    """The one error line of `proc`, which holds each of `words`."""
    clean(proc)
    lines = error_lines(proc)
    assert len(lines) == 1, proc.stderr
    for word in words:
        assert str(word) in lines[0], proc.stderr
    return lines[0]


def files_under(folder: Path) -> list[Path]:
    return [p for p in folder.rglob("*") if p.is_file()] if folder.exists() else []


@pytest.fixture
def src(tmp_path) -> Path:
    folder = tmp_path / "src"
    folder.mkdir()
    (folder / "EP-982-fine.md").write_text(FINE)
    return folder


def _mount(folder: Path, options: str) -> bool:
    proc = subprocess.run(["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(folder)],
                          capture_output=True)
    return proc.returncode == 0


@contextlib.contextmanager
def tmpfs(folder: Path, options: str):
    """`folder` as a tmpfs mounted with `options` for the block. Root can always mount one
    here (CI runs as root): failing to is a failure, not a reason to skip the check."""
    folder.mkdir()
    assert _mount(folder, options), f"cannot mount a tmpfs ({options}) as root"
    try:
        yield folder
    finally:
        subprocess.run(["umount", str(folder)], check=False)


def _root_only() -> None:
    if os.geteuid() != 0:  # only root can make a file system to fill
        pytest.skip("filling a disk needs root, to mount a small tmpfs")


@pytest.fixture
def read_only(tmp_path):
    """A folder nothing can be written in: a read-only tmpfs for root (who ignores
    permissions), else a folder without write permission."""
    if os.geteuid() == 0:
        with tmpfs(tmp_path / "read-only", "ro,size=64k") as folder:
            yield folder
        return
    folder = tmp_path / "read-only"
    folder.mkdir()
    folder.chmod(0o555)
    yield folder
    folder.chmod(0o755)


@pytest.fixture
def full_disk(tmp_path):
    """A small file system with no room left."""
    _root_only()
    with tmpfs(tmp_path / "full", "size=1m") as folder:
        with contextlib.suppress(OSError), open(folder / "filler", "wb") as f:
            while True:
                f.write(b"\0" * 65536)
        yield folder


@pytest.fixture
def a_file(tmp_path) -> Path:
    """A file where a folder is expected."""
    path = tmp_path / "afile"
    path.write_text("not a folder\n")
    return path


# -- item 4 and the escape character of item 7, in one batch -----------------------------


def test_long_title_and_escapes_in_yaml_in_one_batch(src, tmp_path):
    """A 300-character title converts to all three formats (the DOCX core title shortened to
    255 characters with an ellipsis, the whole title in the document, the PDF metadata and
    the HTML <title>); an escape character in a YAML title or status is one located error
    for that proposal; the others convert."""
    (src / "EP-980-long.md").write_text(
        f"# EP-980: {LONG_TITLE}\n\n**Status**: Draft\n**Authors**: Ann\n"
        "**Created**: 2026-01-02\n\n## Summary\n\nText.\n")
    (src / "EP-981-escape-title.md").write_text(
        '---\ntitle: "EP-981: a\\eb"\nstatus: Draft\n---\n\n## Summary\n\nText.\n')
    (src / "EP-983-escape-status.md").write_text(
        '---\ntitle: "EP-983: Status"\nstatus: "Draft\\x1b"\n---\n\n## Summary\n\nText.\n')
    assert len(LONG_TITLE) == 300
    out = tmp_path / "out"
    proc = run_epdoc("build", src, "--to", "html,pdf,docx", "-o", out)
    clean(proc)
    assert proc.returncode == 1
    errors = {Path(line.split()[1].split(":")[0]).name: line for line in error_lines(proc)}
    assert sorted(errors) == ["EP-981-escape-title.md", "EP-983-escape-status.md"], proc.stderr
    assert ":2: " in errors["EP-981-escape-title.md"]  # the line of the title
    assert ":3: " in errors["EP-983-escape-status.md"]  # the line of the status
    for line in errors.values():
        assert "U+001B" in line and "\x1b" not in line
    for stem in ("EP-980-long", "EP-982-fine"):
        for ext in ("html", "pdf", "docx"):
            assert (out / f"{stem}.{ext}").is_file(), (stem, ext)
    assert not list(out.glob("EP-98[13]-*.*"))

    full = f"EP-980: {LONG_TITLE}"
    props = docx.Document(str(out / "EP-980-long.docx")).core_properties
    assert len(props.title) <= 255 and props.title.endswith("…")
    assert full.startswith(props.title[:-1].rstrip())
    assert LONG_TITLE in docx_text(out / "EP-980-long.docx").replace("\n", " ")
    html = (out / "EP-980-long.html").read_text()
    assert f"<title>{full}" in html
    assert PdfReader(str(out / "EP-980-long.pdf")).metadata.title == full

    for command in (("lint",), ("meta", "--json")):  # the same line from lint and meta
        proc = run_epdoc(*command, src / "EP-983-escape-status.md")
        clean(proc)
        assert proc.returncode == 1
        assert "EP-983-escape-status.md:3:" in proc.stderr + proc.stdout
        assert "U+001B" in proc.stderr + proc.stdout


# -- what cannot be written, found before the work ----------------------------------------

COMMANDS = {  # command -> its arguments and the path it writes, given a folder to write in
    "build": lambda src, d: (("build", src, "--to", "html", "-o", d / "out"), d / "out"),
    "packet": lambda src, d: (("packet", src, "-o", d / "p.pdf"), d / "p.pdf"),
    "index": lambda src, d: (("index", src, "-o", d / "index.html"), d / "index.html"),
    "archive": lambda src, d: (("archive", src, "--into", d / "a", "--status", "all"), d / "a"),
}


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_a_read_only_destination_is_a_usage_error_before_any_work(command, src, read_only):
    args, target = COMMANDS[command](src, read_only)
    proc = run_epdoc(*args)
    assert proc.returncode == 2, proc.stderr
    line = one_error(proc, f"cannot write to {target}:")
    assert "read-only" in line.lower() or "permission" in line.lower()
    assert not files_under(read_only)


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_a_file_where_a_folder_is_expected_is_a_usage_error(command, src, a_file):
    args, _target = COMMANDS[command](src, a_file)
    proc = run_epdoc(*args)
    assert proc.returncode == 2, proc.stderr
    one_error(proc, "cannot write to", a_file, "is a file, not a folder")
    assert a_file.read_text() == "not a folder\n"


def test_the_output_folder_itself_a_file(src, a_file):
    proc = run_epdoc("build", src, "--to", "html", "-o", a_file)
    assert proc.returncode == 2
    one_error(proc, f"cannot write to {a_file}:", "-o")


def test_an_unwritable_report_is_reported_before_any_conversion(src, tmp_path, read_only):
    out = tmp_path / "out"
    for report in (read_only / "report.json", src, tmp_path / "afile" / "report.json"):
        if report.parent.name == "afile":
            report.parent.write_text("x")
        proc = run_epdoc("build", src, "--to", "html", "-o", out, "--report", report)
        assert proc.returncode == 2, proc.stderr
        one_error(proc, f"cannot write to {report}:", "--report")
        assert "converted" not in proc.stdout + proc.stderr
        assert not out.exists()  # nothing converted, nothing written


def test_an_unwritable_cache_dir_is_reported_before_any_conversion(src, tmp_path, read_only):
    out = tmp_path / "out"
    proc = run_epdoc("build", src, "--to", "html", "-o", out, "--cache-dir", read_only / "c")
    assert proc.returncode == 2
    one_error(proc, f"cannot write to {read_only / 'c'}:", "--cache-dir")
    assert not out.exists()


# -- what can only fail during the work ---------------------------------------------------


def test_a_cache_lock_that_is_a_folder(src, tmp_path):
    out = tmp_path / "out"
    lock = out / ".epdoc-cache" / "lock"
    lock.mkdir(parents=True)
    proc = run_epdoc("build", src, "--to", "html", "-o", out)
    assert proc.returncode == 1
    one_error(proc, lock, "--no-cache", "--cache-dir")
    assert not (out / "EP-982-fine.html").exists()
    proc = run_epdoc("build", src, "--to", "html", "-o", out, "--no-cache")  # what it says
    assert proc.returncode == 0, proc.stderr
    assert (out / "EP-982-fine.html").is_file()


def test_a_file_in_the_way_inside_the_output_folder(src, tmp_path):
    """The pictures' folder of the HTML is a file: that proposal fails with a line naming
    it; no traceback."""
    out = tmp_path / "out"
    out.mkdir()
    (out / "assets").write_text("x")
    proc = run_epdoc("build", src, "--to", "html", "-o", out)
    assert proc.returncode == 1
    line = one_error(proc, "EP-982-fine.md", out / "assets", "a file is where a folder is")
    assert line.startswith("error: ")


def test_a_full_disk(src, tmp_path, full_disk):
    """Outputs, an index, a packet and a report on a full disk: one line naming the file that
    could not be written and saying to free some space."""
    proc = run_epdoc("build", src, "--to", "html,docx", "-o", full_disk / "out")
    assert proc.returncode in (1, 2)
    one_error(proc, str(full_disk), "No space left on device", "free some space")
    for args in (("index", src, "-o", full_disk / "index.html"),
                 ("packet", src, "-o", full_disk / "packet.pdf"),
                 ("build", src, "--to", "html", "-o", tmp_path / "out", "--report",
                  full_disk / "report.json")):
        proc = run_epdoc(*args)
        assert proc.returncode in (1, 2)
        one_error(proc, args[-1], "No space left on device")


@pytest.fixture
def small_disk(tmp_path):
    """A file system with room for some outputs, not all."""
    _root_only()
    with tmpfs(tmp_path / "small", "size=1200k") as folder:
        yield folder


def test_a_run_that_fills_the_disk_leaves_nothing_behind(src, small_disk):
    """The fonts fit, the pages do not: no asset, picture or page of the run is left."""
    out = small_disk / "out"
    proc = run_epdoc("build", src, "--to", "html,pdf,docx", "-o", out, "--no-cache")
    assert proc.returncode == 1, proc.stderr
    assert "No space left on device" in proc.stderr and "Traceback" not in proc.stderr
    left = [p.relative_to(out) for p in out.rglob("*") if p.is_file()] if out.exists() else []
    assert left == [], left


def test_a_proposal_that_fails_on_write_leaves_none_of_its_pictures(tmp_path):
    """In a batch that otherwise converts, a proposal whose page cannot be written leaves no
    picture copied for it; the pictures and fonts of the pages that were written stay."""
    from helpers.hostile import png

    src = tmp_path / "src"
    for name, pic in (("EP-701-good", "good.png"), ("EP-702-bad", "bad.png")):
        folder = src / name
        (folder / "images").mkdir(parents=True)
        (folder / "images" / pic).write_bytes(png((6, 4)))
        (folder / f"{name}.md").write_text(
            f"# {name[:6]}: X\n\n**Status**: Draft\n\n![p](images/{pic})\n")
    out = tmp_path / "out"
    (out / "EP-702-bad.html").mkdir(parents=True)  # its page cannot be written
    proc = run_epdoc("build", src, "--to", "html", "-o", out)
    assert proc.returncode == 1, proc.stderr
    assert "EP-702-bad.html" in proc.stderr and "Traceback" not in proc.stderr
    assert (out / "EP-701-good.html").is_file()
    assert (out / "images" / "good.png").is_file()
    assert any((out / "assets" / "fonts").iterdir())
    assert not (out / "images" / "bad.png").exists()
