"""The DOCX looks like the PDF (issue 15, item 3): the same title line (the id above the
title) and metadata table, no second title block, a real table-of-contents field that Word
and LibreOffice fill with page numbers, and the theme's fonts embedded."""

from __future__ import annotations

import io
import re
import zipfile

import docx
import pytest
from docx.oxml.ns import qn
from docx.text.paragraph import Paragraph
from fontTools.ttLib import TTFont

from epdoc.pipeline.config import theme as themes
from epdoc.pipeline.config.fonts import family_name
from epdoc.pipeline.render.docx import fonts as docxfonts

from helpers import run_epdoc

EP001 = "EP-001-redfish-support"
EP003 = "EP-003-GPU-Power-Monitoring"
R_NS = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"


def _style(p) -> str:
    ppr = p.find(qn("w:pPr"))
    style = ppr.find(qn("w:pStyle")) if ppr is not None else None
    return style.get(qn("w:val")) if style is not None else ""


@pytest.fixture(scope="module")
def ep003(corpus_build):
    out, _ = corpus_build
    return docx.Document(str(out / f"{EP003}.docx"))


def test_the_title_block_is_the_pdfs(ep003):
    paras = [Paragraph(p, ep003._body) for p in ep003.element.body[:4]
             if p.tag == qn("w:p")]
    assert [(p.style.name, p.text.strip()) for p in paras[:2]] == [
        ("Proposal Id", "EP-003"), ("Title", "GPU Power Monitoring")]
    assert paras[2].style.name == "Status Line" and paras[2].text.strip().startswith("Draft")
    styles = {_style(p) for p in ep003.element.body.iter(qn("w:p"))}
    assert not styles & {"Author", "Date"}  # pandoc's title block: the table says it
    text = "\n".join(p.text for p in ep003.paragraphs)
    assert "Vimal Kumar" not in text  # only in the metadata table
    table = ep003.tables[0]
    rows = {r.cells[0].text: r.cells[1].text for r in table.rows}
    assert rows["ID"] == "EP-003" and rows["Authors"] == "Vimal Kumar"


def _toc(d):
    body = d.element.body
    instr = [t for t in body.iter(qn("w:instrText")) if t.text.strip().startswith("TOC ")]
    return instr


def test_the_contents_are_a_toc_field_with_an_entry_per_heading(ep003):
    body = ep003.element.body
    (instr,) = _toc(ep003)
    assert instr.text == ' TOC \\o "2-3" \\h \\z \\u '
    entries = [p for p in body.iter(qn("w:p")) if _style(p).startswith("TOC")]
    marks = {b.get(qn("w:name")): b.getparent() for b in body.iter(qn("w:bookmarkStart"))}
    headings = [p for p in body.iter(qn("w:p")) if _style(p) in ("Heading2", "Heading3")]
    assert len(entries) == len(headings) >= 10
    for entry, heading in zip(entries, headings, strict=True):
        link = entry.find(qn("w:hyperlink"))
        name = link.get(qn("w:anchor"))
        assert name.startswith("_Toc") and marks[name] is heading
        text = "".join(t.text for t in link.iter(qn("w:t")))
        assert text == Paragraph(heading, ep003._body).text.strip()
        refs = [t.text.strip() for t in link.iter(qn("w:instrText"))]
        assert refs == [f"PAGEREF {name} \\h"]
        level = 1 if _style(heading) == "Heading2" else 2
        assert _style(entry) == f"TOC{level}"
    # the field ends after the last entry; Word updates it on opening
    ends = [f for f in entries[-1].iter(qn("w:fldChar"))
            if f.get(qn("w:fldCharType")) == "end"]
    assert len(ends) == 2  # its PAGEREF, then the TOC
    settings = ep003.settings.element
    assert settings.find(qn("w:updateFields")).get(qn("w:val")) == "true"
    styles = {s.style_id: s.name for s in ep003.styles}
    assert styles["TOC1"] == "toc 1" and styles["TOC2"] == "toc 2"


def test_the_theme_fonts_are_embedded_as_word_does(corpus_build):
    out, _ = corpus_build
    theme = themes.load(None)
    path = out / f"{EP001}.docx"
    d = docx.Document(str(path))
    settings = d.settings.element
    assert settings.find(qn("w:embedTrueTypeFonts")) is not None
    order = [c.tag for c in settings]
    assert order.index(qn("w:embedTrueTypeFonts")) < order.index(qn("w:saveSubsetFonts"))
    text = set()
    for t in d.element.body.iter(qn("w:t")):
        text.update(t.text or "")
    table_part = d.part.part_related_by(docx.opc.constants.RELATIONSHIP_TYPE.FONT_TABLE)
    table = docx.oxml.parse_xml(table_part.blob)
    found = {}
    with zipfile.ZipFile(path) as z:
        types = z.read("[Content_Types].xml").decode()
        for font in table.findall(qn("w:font")):
            for embed in font:
                if not embed.tag.startswith(qn("w:embed")):
                    continue
                part = table_part.related_parts[embed.get(f"{R_NS}id")]
                assert part.partname.startswith("/word/fonts/")
                assert f'PartName="{part.partname}" ContentType="{docxfonts.CONTENT_TYPE}"' \
                    in types
                key = embed.get(qn("w:fontKey"))
                data = docxfonts.obfuscate(part.blob, key)  # the same XOR undoes it
                ttf = TTFont(io.BytesIO(data))
                assert ttf["name"].getDebugName(1) == font.get(qn("w:name"))
                found[(font.get(qn("w:name")), embed.tag.split("}")[1])] = ttf.getBestCmap()
    body = family_name(theme.font_files(theme.body_font)["regular"])
    mono = family_name(theme.font_files(theme.mono_font)["regular"])
    assert {(body, "embedRegular"), (body, "embedBold"), (mono, "embedRegular")} <= set(found)
    regular = found[(body, "embedRegular")]
    full = TTFont(theme.font_files(theme.body_font)["regular"]).getBestCmap()
    drawn = {c for c in text if ord(c) in full}
    assert drawn and all(ord(c) in regular for c in drawn)  # every character it draws
    assert len(regular) < len(full) / 2  # a subset, not the whole font


def test_fonts_are_embedded_alike_in_every_build(corpus_build, corpus, tmp_path):
    """Keys and subsets come from the font bytes: a second build gives the same parts."""
    out, _ = corpus_build
    again = run_epdoc("build", corpus / f"{EP001}.md", "--to", "docx", "-o", tmp_path / "b")
    assert again.returncode == 0, again.stderr

    def fonts(path):
        with zipfile.ZipFile(path) as z:
            return {n: z.read(n) for n in z.namelist()
                    if n.startswith("word/fonts/") or n == "word/fontTable.xml"}

    first, second = fonts(out / f"{EP001}.docx"), fonts(tmp_path / "b" / f"{EP001}.docx")
    assert len(first) >= 4 and first == second
    keys = re.findall(r'w:fontKey="(\{[0-9A-F-]+\})"', first["word/fontTable.xml"].decode())
    assert len(set(keys)) == len(keys) == len(first) - 1
