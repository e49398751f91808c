"""Tagged PDF (issue 16, items 1, 2 and 5): every PDF epdoc writes (build, packet, archive)
is tagged PDF/UA-1 and passes a PDF/UA checker (pdfua, from PyPI); its tag tree, read back,
has the headings in order, tables with header cells, figures with their alternative text,
and the page furniture (running header, page numbers, watermark) as artifacts."""

from __future__ import annotations

import re
import shutil
import subprocess

import pikepdf
import pytest

from helpers import FIXTURES, run_epdoc
from helpers.tagtree import artifacts, heard, page_elements, ua_problems

STEM = "EP-060-accessible"


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    root = tmp_path_factory.mktemp("tagged")
    shutil.copytree(FIXTURES / "access", root / "proposals")
    proc = run_epdoc("build", "proposals", "--to", "pdf", "-o", "build", cwd=root)
    assert "converted proposals/EP-060-accessible.md" in proc.stdout, proc.stderr
    return root


def test_every_pdf_of_the_corpus_passes_the_pdf_ua_checker(corpus_build):
    out, proc = corpus_build
    pdfs = sorted(out.glob("*.pdf"))
    assert pdfs, proc.stderr
    for pdf in pdfs:
        assert ua_problems(pdf) == [], pdf.name


def test_the_fixture_passes_and_claims_pdf_ua_1(built):
    path = built / "build" / f"{STEM}.pdf"
    assert ua_problems(path) == []
    with pikepdf.open(path) as pdf:
        assert str(pdf.Root.Lang) == "en"
        assert pdf.Root.ViewerPreferences.DisplayDocTitle is True
        assert pdf.Root.MarkInfo.Marked is True
        assert str(pdf.docinfo.Title) == "EP-060: Accessible Power Report"
        with pdf.open_metadata() as xmp:
            assert xmp.get("pdfuaid:part") == "1"


def test_headings_are_in_order_and_not_empty(built):
    path = built / "build" / f"{STEM}.pdf"
    headings = [(kind, text) for page in (0, 1)
                for kind, text, _ in page_elements(path, page) if re.fullmatch(r"H\d", kind)]
    assert headings == [("H1", "Accessible Power Report"), ("H2", "Summary"),
                        ("H2", "Readings"), ("H3", "Collection flow"), ("H2", "Code"),
                        ("H2", "Open Questions")]


def test_tables_have_header_cells_with_their_scope(built):
    cells = [(kind, text, attrs.get("Scope"))
             for kind, text, attrs in page_elements(built / "build" / f"{STEM}.pdf")
             if kind in ("TH", "TD")]
    # the metadata table: a row header per key
    assert cells[:4] == [("TH", "ID", "Row"), ("TD", "EP-060", None),
                         ("TH", "Status", "Row"), ("TD", "Draft", None)]
    readings = cells[cells.index(("TH", "Node", "Column")):]
    assert readings[:5] == [("TH", "Node", "Column"), ("TH", "Watts", "Column"),
                            ("TH", "Source", "Column"), ("TD", "alpha", None),
                            ("TD", "120", None)]


def test_figures_carry_their_alternative_text(built):
    path = built / "build" / f"{STEM}.pdf"
    alts = [attrs.get("alt") for page in (0, 1)
            for kind, _, attrs in page_elements(path, page) if kind == "Figure"]
    assert alts == [
        "Bar chart: power of three nodes rising from 40 to 130 watts",
        "Diagram: Collection flow. The collector reads RAPL and Redfish and exports one "
        "metric per node.",
        "Flowchart. 3 nodes: Node Start, Load BMC Config, RAPL Only. 2 connections: "
        "Node Start to Load BMC Config (Yes); Node Start to RAPL Only (No)."]


def test_page_furniture_is_an_artifact_and_not_read(built):
    path = built / "build" / f"{STEM}.pdf"
    furniture = artifacts(path)
    for text in ("EP-060 · Accessible Power Report", "Page 1 of 2", "DRAFT"):
        assert text in furniture
    read = "\n".join(heard(path))
    assert "Page 1 of" not in read and "DRAFT" not in read
    assert read.count("Accessible Power Report") == 1  # the title, not the running header
    assert " . " not in read  # the contents' leader dots


def test_code_is_tagged_as_code(built):
    found = [text for kind, text, _ in page_elements(built / "build" / f"{STEM}.pdf", 1)
             if kind == "P" and "func Watts" in text]
    assert found
    with pikepdf.open(built / "build" / f"{STEM}.pdf") as pdf:
        kinds = set()

        def walk(node):
            if isinstance(node, pikepdf.Dictionary) and "/S" in node:
                kinds.add(str(node.S))
            kids = node.get("/K") if isinstance(node, pikepdf.Dictionary) else None
            for kid in (kids if isinstance(kids, pikepdf.Array) else [kids] if kids else []):
                if isinstance(kid, pikepdf.Dictionary):
                    walk(kid)

        walk(pdf.Root.StructTreeRoot)
    assert "/Code" in kinds


def test_the_document_language_comes_from_the_proposal(tmp_path):
    src = (FIXTURES / "access" / f"{STEM}.md").read_text()
    (tmp_path / "p").mkdir()
    (tmp_path / "p" / "EP-061-de.md").write_text(
        "---\nlang: de-CH\n---\n" + src.replace("Summary", "Zusammenfassung"))
    shutil.copytree(FIXTURES / "access" / "images", tmp_path / "p" / "images")
    proc = run_epdoc("build", "p", "--to", "html,pdf", "-o", "build", cwd=tmp_path)
    assert (tmp_path / "build" / "EP-061-de.pdf").exists(), proc.stderr
    with pikepdf.open(tmp_path / "build" / "EP-061-de.pdf") as pdf:
        assert str(pdf.Root.Lang) == "de-CH"
    html = (tmp_path / "build" / "EP-061-de.html").read_text()
    assert '<html lang="de-CH">' in html


def test_the_packet_is_tagged_and_passes(built):
    proc = run_epdoc("packet", "proposals", "-o", "build/packet.pdf", cwd=built)
    assert proc.returncode == 0, proc.stderr
    path = built / "build" / "packet.pdf"
    assert ua_problems(path) == []
    with pikepdf.open(path) as pdf:
        assert "/StructTreeRoot" in pdf.Root


def git(repo, *args):
    subprocess.run(["git", "-C", str(repo), "-c", "user.name=t", "-c", "user.email=t@e.org",
                    *args], check=True, capture_output=True)


def test_the_archive_pdf_is_both_pdf_a_3b_and_pdf_ua_1(tmp_path):
    src = tmp_path / "repo"
    shutil.copytree(FIXTURES / "access", src)
    git(src, "init", "-q")
    git(src, "add", ".")
    git(src, "commit", "-q", "-m", "p")
    proc = run_epdoc("archive", ".", "--into", "../A", "--status", "Draft", cwd=src,
                     env={"SOURCE_DATE_EPOCH": "1700000000"})
    assert proc.returncode == 0, proc.stderr
    [path] = (tmp_path / "A").rglob(f"{STEM}.pdf")
    assert ua_problems(path) == []
    with pikepdf.open(path) as pdf:
        assert "/StructTreeRoot" in pdf.Root
        with pdf.open_metadata() as xmp:
            assert xmp.get("pdfaid:part") == "3" and xmp.get("pdfaid:conformance") == "B"
            assert xmp.get("pdfuaid:part") == "1"
        raw = pdf.Root.Metadata.read_bytes().decode()
        assert "pdfaExtension:schemas" in raw and "http://www.aiim.org/pdfua/ns/id/" in raw


def test_a_picture_without_alt_text_is_reported_once_where_it_is_written(tmp_path):
    (tmp_path / "p").mkdir()
    shutil.copytree(FIXTURES / "access" / "images", tmp_path / "p" / "images")
    (tmp_path / "p" / "EP-071-noalt.md").write_text(
        "# EP-071: No alt\n\n- **Status:** Draft\n- **Authors:** A\n- **Created:** 2026-01-01"
        "\n\n## Summary\n\n![](images/power-bars.png)\n")
    proc = run_epdoc("build", "p", "--to", "pdf", "-o", "build", cwd=tmp_path)
    out = proc.stdout + proc.stderr
    assert "p/EP-071-noalt.md:9:1: warning image-alt-missing" in out
    assert "pdf-render" not in out  # not again, unlocated, from WeasyPrint


def test_links_describe_where_they_go_without_a_path_of_the_machine(corpus_build):
    out, _ = corpus_build
    described = 0
    for path in sorted(out.glob("*.pdf")):
        with pikepdf.open(path) as pdf:
            for page in pdf.pages:
                for annot in page.get("/Annots", []):
                    if annot.get("/Subtype") != "/Link":
                        continue
                    contents = str(annot.Contents)
                    assert not contents.startswith("file:") and str(out) not in contents
                    action = annot.get("/A")
                    if action is not None and "/URI" in action:
                        assert contents == str(action.URI)
                        described += 1
    assert described
