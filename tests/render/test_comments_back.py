"""Reviewers' comments back (issue 17, item 5): a DOCX epdoc wrote, edited as a reviewer
does in Word (a comment, an insertion, a deletion), read back by `epdoc comments` with the
author, date, heading and source line of each remark."""

from __future__ import annotations

import json
import shutil
import subprocess

import docx
import pytest
from docx.oxml import OxmlElement
from docx.oxml.ns import qn

from helpers import CORPUS, run_epdoc

NAME = "EP-003-GPU-Power-Monitoring"
DATE = "2026-11-20T10:00:00Z"


def _paragraph(d, starts: str):
    return next(p for p in d.paragraphs if p.text.startswith(starts))


def _tracked(kind: str, text: str, author: str):
    change = OxmlElement(f"w:{kind}")
    change.set(qn("w:id"), "901" if kind == "ins" else "902")
    change.set(qn("w:author"), author)
    change.set(qn("w:date"), DATE)
    run = OxmlElement("w:r")
    t = OxmlElement("w:t" if kind == "ins" else "w:delText")
    t.set(qn("xml:space"), "preserve")
    t.text = text
    run.append(t)
    change.append(run)
    return change


@pytest.fixture(scope="module")
def reviewed(tmp_path_factory):
    root = tmp_path_factory.mktemp("review")
    (root / "proposals").mkdir()
    shutil.copy(CORPUS / f"{NAME}.md", root / "proposals")
    proc = run_epdoc("build", "proposals", "--to", "docx", "-o", "build", cwd=root)
    assert proc.returncode == 0, proc.stderr
    d = docx.Document(str(root / "build" / f"{NAME}.docx"))
    # a comment on words of the Summary (source line 10), as Word's Review > New Comment
    summary = _paragraph(d, "Add GPU power monitoring")
    d.add_comment(summary.runs[0], text="Which vendors first?", author="Rita Reviewer",
                  initials="RR")
    # an insertion and a deletion, as Word's Track Changes writes them (a later paragraph)
    later = _paragraph(d, "Kepler currently")
    later._p.append(_tracked("ins", " and on ARM servers", "Ivan Inserter"))
    later._p.append(_tracked("del", "obsolete words", "Dana Deleter"))
    path = root / "reviewed.docx"
    d.save(str(path))
    return root, path


def test_text_lists_each_remark_at_its_source_line(reviewed):
    root, path = reviewed
    proc = run_epdoc("comments", path, "--source", f"proposals/{NAME}.md", cwd=root)
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    source = (CORPUS / f"{NAME}.md").read_text().split("\n")
    later = next(i for i, t in enumerate(source, 1) if t.startswith("Kepler currently"))
    first_word = source[9].split(" ")[0]
    assert lines[0].startswith(f"proposals/{NAME}.md:10: comment by Rita Reviewer, ")
    assert f"under 'Summary' on \"{first_word}" in lines[0]
    assert "Which vendors first?" in lines[0]
    assert lines[1].startswith(f"proposals/{NAME}.md:{later}: insertion by Ivan Inserter, "
                               "2026-11-20 under 'Problem'")
    assert lines[1].endswith('"and on ARM servers"')
    assert lines[2].startswith(f"proposals/{NAME}.md:{later}: deletion by Dana Deleter")
    assert lines[2].endswith('"obsolete words"')
    assert lines[-1] == "3 remarks: 1 comments, 1 insertions, 1 deletions"


def test_json_and_github_annotations(reviewed):
    root, path = reviewed
    data = json.loads(run_epdoc("comments", path, "--format", "json", cwd=root).stdout)
    assert data["source"] == f"{NAME}.md"  # the DOCX records its proposal's file name
    kinds = [(r["kind"], r["author"], r["heading"]) for r in data["remarks"]]
    assert kinds == [("comment", "Rita Reviewer", "Summary"),
                     ("insertion", "Ivan Inserter", "Problem"),
                     ("deletion", "Dana Deleter", "Problem")]
    assert data["remarks"][0]["line"] == 10 and data["remarks"][0]["text"] == \
        "Which vendors first?"
    gh = run_epdoc("comments", path, "--source", f"proposals/{NAME}.md", "--format", "github",
                   cwd=root).stdout.splitlines()
    assert gh[0].startswith(f"::notice file=proposals/{NAME}.md,line=10,col=1,"
                            "title=review comment::comment by Rita Reviewer")
    assert len(gh) == 3


def test_the_source_map_is_hidden_and_changes_no_text(reviewed):
    root, _ = reviewed
    d = docx.Document(str(root / "build" / f"{NAME}.docx"))
    names = [b.get(qn("w:name")) for b in d.element.body.iter(qn("w:bookmarkStart"))]
    marks = [n for n in names if n.startswith("_epdocL")]
    assert len(marks) > 100 and not any(n.startswith("epdocL") for n in names)
    assert "_epdocL10" in marks  # the Summary's first paragraph


def test_libreoffice_round_trip_keeps_what_comments_reads(reviewed, tmp_path):
    root, path = reviewed
    shutil.copy(path, tmp_path / "in.docx")
    subprocess.run(["soffice", "--headless", "--convert-to", "docx:MS Word 2007 XML",
                    "--outdir", str(tmp_path / "out"), str(tmp_path / "in.docx")],
                   capture_output=True, timeout=180, check=True,
                   env={"HOME": str(tmp_path), "PATH": "/usr/bin:/bin"})
    data = json.loads(run_epdoc("comments", tmp_path / "out" / "in.docx", "--format", "json",
                                "--source", root / "proposals" / f"{NAME}.md").stdout)
    kinds = [(r["kind"], r["author"], r["line"]) for r in data["remarks"]]
    assert kinds[0] == ("comment", "Rita Reviewer", 10), kinds
    assert {k[0] for k in kinds} == {"comment", "insertion", "deletion"}


def test_a_file_that_is_not_a_docx_is_one_clear_error(tmp_path):
    bad = tmp_path / "x.docx"
    bad.write_text("not a zip")
    proc = run_epdoc("comments", bad)
    assert proc.returncode != 0
    assert proc.stderr.count("\n") == 1 and "is not a DOCX file" in proc.stderr
    assert "Traceback" not in proc.stderr
