"""epdoc redline over a real git history (conftest.py): the report, and each format read
back as a reader would: HTML parsed, the DOCX's XML and LibreOffice, the PDF's text, change
bars and bookmarks."""

from __future__ import annotations

import shutil
import subprocess

import docx
import pdfplumber
import pypdf
import pytest
from docx.oxml.ns import qn
from lxml import html as lxml_html

NAME = "EP-042-widget"
MOVED = ("Alternatives We considered doing nothing at all, which is always an option worth "
         "weighing first; keeping the old gadget was the second alternative we weighed and "
         "rejected.")
REWRAPPED = "This paragraph is long enough"


def words(text: str) -> str:
    return " ".join(text.split())


# -- the report and the files ------------------------------------------------------------------

def test_each_proposal_is_told_what_became_of_it(redlined):
    got = {name: p["state"] for name, p in redlined["by_name"].items()}
    assert got == {"EP-042-widget.md": "changed", "EP-043-new.md": "new",
                   "EP-045-new-name.md": "changed", "EP-046-same.md": "unchanged",
                   "EP-044-gone.md": "deleted"}
    assert redlined["by_name"]["EP-045-new-name.md"]["renamed_from"] == \
        "proposals/EP-045-old-name.md"
    built = sorted(p.name for p in redlined["build"].glob("*.redline.*"))
    assert built == sorted(f"{stem}.redline.{ext}" for stem in
                           (NAME, "EP-043-new", "EP-045-new-name")
                           for ext in ("html", "pdf", "docx"))
    out = redlined["proc"].stdout
    assert "proposals/EP-044-gone.md: deleted (no output)" in out
    assert "proposals/EP-046-same.md: unchanged" in out


def test_the_summary_counts_words_sections_and_metadata(redlined):
    p = redlined["by_name"]["EP-042-widget.md"]
    # added: slowly. blue Implementable, return 2 (the code line);
    # removed: quickly. + the sentence (8) red Draft, return 1
    assert (p["words_added"], p["words_removed"]) == (5, 13)
    assert p["sections_changed"] == ["Metadata and introduction", "Summary", "Motivation",
                                     "Design"]  # not Alternatives: it only moved
    assert p["moved"] == ["Alternatives"]
    assert p["metadata"] == [{"field": "Status", "before": "Draft", "now": "Implementable"}]
    assert p["since"].startswith("v1 (") and p["since"].endswith(", 2026-01-01)")
    renamed = redlined["by_name"]["EP-045-new-name.md"]
    assert (renamed["words_added"], renamed["words_removed"]) == (1, 1)
    new = redlined["by_name"]["EP-043-new.md"]
    assert new["words_removed"] == 0 and new["words_added"] > 10


# -- HTML -------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def page(redlined):
    return lxml_html.fromstring((redlined["build"] / f"{NAME}.redline.html").read_bytes())


def texts(root, xpath) -> list[str]:
    return [words(e.text_content()) for e in root.xpath(xpath)]


def test_html_marks_insertions_and_deletions_word_by_word(page):
    main = page.xpath("//main")[0]
    assert texts(main, ".//ins[@class='redline']") == ["Implementable", "slowly.", "blue"]
    assert texts(main, ".//del[@class='redline']") == ["Draft", "quickly.",
                                     "The audit trail is kept for ninety days.", "red"]
    para = main.xpath(".//p[contains(., 'frobnicates')]")[0]
    assert words(para.text_content()) == (
        "The widget frobnicates the gadget quickly.slowly. It also logs every call to the "
        "audit trail. The audit trail is kept for ninety days. The end.")


def test_a_rewrapped_paragraph_is_no_change(page):
    para = page.xpath(f"//p[contains(., '{REWRAPPED}')]")[0]
    assert not para.xpath(".//ins|.//del")
    assert "redline-changed-block" not in (para.getparent().get("class") or "")


def test_html_summary_comes_first_and_links_the_changed_sections(page):
    first = page.xpath("//main/*")[0]
    assert first.get("id") == "redline-summary"
    assert words(first.text_content()).startswith("Changes since v1 (")
    assert [a.get("href") for a in first.xpath(".//a")] == ["#metadata", "#summary",
                                                          "#motivation", "#design"]
    assert "Status: Draft → Implementable" in words(first.text_content())


def test_html_tells_the_moved_section_moved(page):
    moved = page.xpath("//div[contains(@class, 'moved') and not(contains(@class, 'from'))]")
    assert len(moved) == 1
    assert words(moved[0].text_content()) == "Moved here: " + MOVED
    assert texts(moved[0], ".//ins[@class='redline moved']") == ["Alternatives", MOVED[13:]]
    source = page.xpath("//div[contains(@class, 'moved-from')]")
    assert len(source) == 1 and words(source[0].text_content()).startswith(
        "Moved from here: Alternatives · We considered")


def test_html_shows_the_diagram_replaced_whole_and_code_by_line(page):
    pictures = page.xpath("//div[contains(@class, 'redline-picture')]")
    assert [p.get("class") for p in pictures] == ["del redline-picture", "ins redline-picture"]
    assert all(p.xpath(".//img") for p in pictures)
    code = page.xpath("//div[@class='redline-code']")[0]
    assert texts(code, "./div[contains(@class, 'del')]") == ["return 1"]
    assert texts(code, "./div[contains(@class, 'ins')]") == ["return 2"]
    assert "def frobnicate():" in texts(code, "./div[contains(@class, 'sourceCode')]")[0]


# -- DOCX -------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def body(redlined):
    return docx.Document(str(redlined["build"] / f"{NAME}.redline.docx")).element.body


def revisions(body, kind: str) -> list[tuple[str, str, str]]:
    """(text, author, date) of each run-level w:ins / w:del."""
    tag = "w:t" if kind == "ins" else "w:delText"
    out = []
    for el in body.iter(qn(f"w:{kind}")):
        if el.getparent().tag in (qn("w:rPr"), qn("w:trPr")):
            continue  # a paragraph mark or a row
        text = "".join(t.text or "" for t in el.iter(qn(tag)))
        out.append((text, el.get(qn("w:author")), el.get(qn("w:date"))))
    return out


def test_docx_tracked_changes_hold_exactly_the_words(body):
    inserted = words(" ".join(t for t, _, _ in revisions(body, "ins")))
    deleted = words(" ".join(t for t, _, _ in revisions(body, "del")))
    # the moved section is deleted where it was and inserted where it is (Word's view)
    assert inserted == f"Implementable slowly. blue return 2 {MOVED}"
    assert deleted == (f"Draft quickly. The audit trail is kept for ninety days. red {MOVED} "
                       "return 1")
    assert not [t for t in body.iter(qn("w:t")) if t.getparent().getparent().tag == qn("w:del")]
    assert not [t for t in body.iter(qn("w:delText"))
                if t.getparent().getparent().tag != qn("w:del")]
    assert not [b for b in body.iter(qn("w:bookmarkStart"))
                if (b.get(qn("w:name")) or "").startswith(("rl-", "rlb-"))]


def test_docx_changes_carry_the_author_and_date_of_their_commit(body):
    who = {t: (a, d) for t, a, d in revisions(body, "ins") + revisions(body, "del") if t}
    assert who["slowly."] == who["quickly."] == ("Alice", "2026-01-05T09:00:00Z")
    assert who["blue"] == who["red"] == ("Bob", "2026-01-06T11:30:00Z")
    assert who["Implementable"] == who["Draft"] == ("Bob", "2026-01-06T11:30:00Z")
    assert who["The audit trail is kept for ninety days."][0] == "Bob"
    assert who["2"] == who["1"] == ("Carol", "2026-01-07T14:15:00Z")


def test_docx_whole_blocks_mark_their_paragraphs_and_pictures(body):
    marks = [el for el in body.iter(qn("w:ins"), qn("w:del"))
             if el.getparent().tag == qn("w:rPr")]
    assert marks, "wholly inserted or deleted paragraphs have their paragraph mark tracked"
    pictures = {el.tag for el in body.iter(qn("w:ins"), qn("w:del"))
                if list(el.iter(qn("w:drawing")))}
    assert pictures == {qn("w:ins"), qn("w:del")}  # the old diagram out, the new one in


def test_a_new_proposal_is_all_inserted(redlined):
    body = docx.Document(str(redlined["build"] / "EP-043-new.redline.docx")).element.body
    inserted = words(" ".join(t for t, _, _ in revisions(body, "ins")))
    assert "Fresh words only: a brand new proposal about telemetry sampling rates." in inserted
    assert revisions(body, "del") == []
    assert {a for _, a, _ in revisions(body, "ins")} == {"Carol"}


@pytest.mark.skipif(not shutil.which("soffice"), reason="LibreOffice is not installed")
def test_libreoffice_opens_the_docx_and_keeps_its_tracked_changes(redlined, tmp_path):
    src = redlined["build"] / f"{NAME}.redline.docx"
    for fmt in ("pdf", "odt"):
        subprocess.run(["soffice", f"-env:UserInstallation=file://{tmp_path}/profile",
                        "--headless", "--convert-to", fmt, "--outdir", str(tmp_path / fmt),
                        str(src)], check=True, capture_output=True, timeout=300)
    with pdfplumber.open(tmp_path / "pdf" / f"{NAME}.redline.pdf") as pdf:
        text = words(" ".join(p.extract_text() or "" for p in pdf.pages))
    assert "quickly." in text and "slowly." in text  # both shown, as tracked changes are
    import zipfile

    content = zipfile.ZipFile(tmp_path / "odt" / f"{NAME}.redline.odt").read("content.xml")
    assert content.count(b"<text:changed-region") >= 10
    assert b"<text:insertion>" in content and b"<text:deletion>" in content
    assert b"Alice" in content and b"Bob" in content and b"Carol" in content


# -- PDF --------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def pdf(redlined):
    path = redlined["build"] / f"{NAME}.redline.pdf"
    with pdfplumber.open(path) as doc:
        pages = [(p.extract_text() or "", p.extract_words(), p.rects) for p in doc.pages]
    return {"pages": pages, "outline": pypdf.PdfReader(path).outline}


def test_pdf_holds_old_and_new_words_and_the_banner(pdf, redlined):
    text = words(" ".join(t for t, _, _ in pdf["pages"]))
    for word in ("quickly.", "slowly.", "ninety days.", "red", "blue", "Draft",
                 "Implementable", "return 1", "return 2"):
        assert word in text
    short = redlined["by_name"]["EP-042-widget.md"]["since"].split("(")[1].split(",")[0]
    assert len(short) == 12
    assert f"Changes since v1 ({short}, 2026-01-01)" in text


def _bar_beside(pages, word: str) -> bool:
    for _text, found, rects in pages:
        for w in found:
            if word not in w["text"]:
                continue
            for r in rects:
                if r["x0"] < w["x0"] - 8 and r["x0"] < 50 and r["top"] <= w["top"] \
                        and r["bottom"] >= w["bottom"]:
                    return True
    return False


def test_pdf_change_bars_sit_beside_the_changed_lines(pdf):
    assert _bar_beside(pdf["pages"], "quickly.slowly.")  # the edited sentence's line
    assert _bar_beside(pdf["pages"], "DraftImplementable")  # the metadata table's status row
    assert _bar_beside(pdf["pages"], "redblue")  # the edited table cell
    assert not _bar_beside(pdf["pages"], "re-wrapped")  # the re-wrapped paragraph


def test_pdf_bookmarks_lead_to_the_changes(pdf):
    titles = []

    def walk(items):
        for item in items:
            if isinstance(item, list):
                walk(item)
            else:
                titles.append(item.title)

    walk(pdf["outline"])
    assert titles[0] == "Changes"
    assert {"Summary (changed)", "Motivation (changed)", "Design (changed)"} <= set(titles)
    assert "Alternatives" in titles
