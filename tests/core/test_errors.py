"""Bad input: one clear line naming the file, exit code 1, the rest still converts,
no partial output, sources untouched."""

import hashlib
import shutil

import pytest

from helpers import EXAMPLES, run_epdoc

GOOD = EXAMPLES / "EP-010-offline-archive-format.md"


@pytest.fixture(scope="module")
def bad_run(tmp_path_factory):
    src = tmp_path_factory.mktemp("bad-src")
    (src / "latin1.md").write_bytes("# EP-001: Caf\xe9\n\n**Status**: Draft\n".encode("latin-1"))
    (src / "empty.md").write_text("")
    (src / "blank.md").write_text("  \n\n")
    (src / "bad-yaml.md").write_text("---\ntitle: [unclosed\nfoo: : :\n---\n\n# T\n")
    shutil.copy(GOOD, src / GOOD.name)
    shutil.copytree(EXAMPLES / "images", src / "images")
    before = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in src.glob("*.md")}
    out = tmp_path_factory.mktemp("bad-out")
    files = sorted(src.glob("*.md")) + [src / "missing.md"]
    proc = run_epdoc("build", *files, "--to", "html,pdf,docx", "-o", out)
    return src, out, proc, before


def _lines(proc):
    return [line for line in proc.stderr.splitlines() if line.startswith("error:")]


def test_exit_code_is_one_and_the_good_file_converts(bad_run):
    src, out, proc, _ = bad_run
    assert proc.returncode == 1
    stem = GOOD.stem
    assert sorted(p.name for p in out.glob(f"{stem}.*")) == [
        f"{stem}.docx", f"{stem}.html", f"{stem}.pdf"]
    assert "2 converted, 4 failed" in proc.stderr  # bad YAML converts (test below)


@pytest.mark.parametrize("name, expected", [
    ("latin1.md:1: not valid UTF-8", "save the file as UTF-8"),
    ("empty.md: file is empty", "write the proposal"),
    ("blank.md: file is empty", "write the proposal"),
    ("missing.md: file not found", "check the path"),
])
def test_one_clear_line_per_bad_file(bad_run, name, expected):
    _, _, proc, _ = bad_run
    matches = [line for line in _lines(proc) if name in line]
    assert len(matches) == 1, proc.stderr
    assert expected in matches[0]


def test_front_matter_that_does_not_parse_converts_with_a_located_error(bad_run):
    """As GitHub shows such a page: what can be read is used, lint says where it breaks."""
    _, out, proc, _ = bad_run
    assert sorted(p.name for p in out.glob("bad-yaml.*")) == \
        ["bad-yaml.docx", "bad-yaml.html", "bad-yaml.pdf"]
    found = [line for line in proc.stderr.splitlines() if "front-matter-invalid" in line]
    assert len(found) == 1 and "bad-yaml.md:3:1: error front-matter-invalid" in found[0]
    assert "fix the YAML" in found[0]


def test_no_traceback_and_no_partial_outputs(bad_run):
    src, out, proc, before = bad_run
    assert "Traceback" not in proc.stderr + proc.stdout
    stems = {p.stem for p in out.iterdir() if p.is_file() and not p.name.startswith(".")}
    assert stems == {GOOD.stem, "bad-yaml"}  # (hidden: epdoc's record of copied pictures)
    assert not [p for p in out.rglob("*") if p.name.endswith(".tmp")]


def test_sources_are_never_modified(bad_run):
    src, _, _, before = bad_run
    after = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in src.glob("*.md")}
    assert after == before


def test_usage_errors_exit_two(tmp_path):
    proc = run_epdoc("build", GOOD, "--to", "rtf", "-o", tmp_path)
    assert proc.returncode == 2
    assert "unknown format" in proc.stderr
    proc = run_epdoc("build", tmp_path, "-o", tmp_path / "out")
    assert proc.returncode == 2 and "no proposals found" in proc.stderr
    proc = run_epdoc("frobnicate")
    assert proc.returncode == 2


def test_meta_reports_bad_files_and_prints_the_good(tmp_path):
    (tmp_path / "empty.md").write_text("")
    proc = run_epdoc("meta", tmp_path / "empty.md", GOOD, "--json")
    assert proc.returncode == 1
    assert '"id": "EP-010"' in proc.stdout
    assert "empty.md: file is empty" in proc.stderr
