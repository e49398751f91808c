"""Accessible DOCX (issue 16, item 4): pictures carry their alt text (`wp:docPr descr`),
each table's header row repeats and is marked as its header (`w:tblHeader`), headings use
Word's Heading styles, and the title and the language are set (core properties, `w:lang`)."""

from __future__ import annotations

import shutil

import docx
import pytest
from docx.oxml.ns import qn

from helpers import FIXTURES, run_epdoc

STEM = "EP-060-accessible"


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    root = tmp_path_factory.mktemp("a11y-docx")
    shutil.copytree(FIXTURES / "access", root / "p")
    de = (FIXTURES / "access" / f"{STEM}.md").read_text()
    (root / "p" / "EP-061-de.md").write_text("---\nlanguage: de-CH\n---\n" + de)
    proc = run_epdoc("build", "p", "--to", "docx", "-o", "build", cwd=root)
    assert (root / "build" / f"{STEM}.docx").exists(), proc.stderr
    return root / "build"


def test_pictures_carry_their_alt_text(built):
    d = docx.Document(str(built / f"{STEM}.docx"))
    descr = [el.get("descr") for el in d.element.body.iter(qn("wp:docPr"))]
    assert descr == [
        "Bar chart: power of three nodes rising from 40 to 130 watts",
        "Diagram: Collection flow. The collector reads RAPL and Redfish and exports one "
        "metric per node.",
        "Flowchart. 3 nodes: Node Start, Load BMC Config, RAPL Only. 2 connections: "
        "Node Start to Load BMC Config (Yes); Node Start to RAPL Only (No)."]


def test_a_table_header_row_repeats_and_is_marked(built):
    d = docx.Document(str(built / f"{STEM}.docx"))
    readings = next(t for t in d.tables if t.rows[0].cells[0].text == "Node")
    first = readings.rows[0]._tr
    assert first.find(f"{qn('w:trPr')}/{qn('w:tblHeader')}") is not None
    assert all(r._tr.find(f"{qn('w:trPr')}/{qn('w:tblHeader')}") is None
               for r in readings.rows[1:])


def test_headings_use_heading_styles(built):
    d = docx.Document(str(built / f"{STEM}.docx"))
    heads = [(p.style.name, p.text) for p in d.paragraphs if p.style.name.startswith("Heading")]
    assert ("Heading 2", "Summary") in heads and ("Heading 3", "Collection flow") in heads
    assert [t for _, t in heads].index("Readings") < [t for _, t in heads].index("Code")


@pytest.mark.parametrize(("stem", "lang"), [(STEM, "en"), ("EP-061-de", "de-CH")])
def test_title_and_language_are_set(built, stem, lang):
    d = docx.Document(str(built / f"{stem}.docx"))
    assert d.core_properties.title.endswith("Accessible Power Report")
    assert d.core_properties.language == lang
    styles = d.styles.element
    default = styles.find(f"{qn('w:docDefaults')}/{qn('w:rPrDefault')}/{qn('w:rPr')}/"
                          f"{qn('w:lang')}")
    assert default.get(qn("w:val")) == lang
    assert {el.get(qn("w:val")) for el in styles.iter(qn("w:lang"))} == {lang}
