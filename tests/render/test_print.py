"""The single-proposal PDF as a reviewer gets it: theme fonts only, running header and footer,
bookmarks, table of contents with page numbers, links, metadata, labels, status marks."""

import re
import shutil
import subprocess

import pdfplumber
import pytest
from lxml import html as lxml_html

from epdoc.pipeline.config import theme as themes

from helpers import ROOT, corpus_files, run_epdoc
from helpers.pdf import embedded_fonts, links, metadata, outline, page_labels, rotated_text
from helpers.readers import pdf_pages

EP001 = "EP-001-redfish-support"
EP003 = "EP-003-GPU-Power-Monitoring"


def theme_font_names() -> set[str]:
    return {family.replace(" ", "-") for family in themes.load().tokens["fonts"]["faces"]}


def from_theme(font: str) -> bool:
    return any(font == f or font.startswith(f + "-") for f in theme_font_names())


def test_every_embedded_font_comes_from_the_theme(corpus_build):
    out, proc = corpus_build
    assert proc.returncode == 0, proc.stderr
    for path in corpus_files():
        fonts = embedded_fonts(out / f"{path.stem}.pdf")
        assert fonts and all(from_theme(f) for f in fonts), (path.name, fonts)


def _machine_font(path):
    """A font with one glyph (U+4E2D) that no theme font has, as if installed on the machine."""
    from fontTools.fontBuilder import FontBuilder
    from fontTools.pens.ttGlyphPen import TTGlyphPen

    pen = TTGlyphPen(None)
    pen.moveTo((100, 0))
    pen.lineTo((100, 700))
    pen.lineTo((800, 700))
    pen.lineTo((800, 0))
    pen.closePath()
    fb = FontBuilder(1000, isTTF=True)
    fb.setupGlyphOrder([".notdef", "uni4E2D"])
    fb.setupCharacterMap({0x4E2D: "uni4E2D"})
    fb.setupGlyf({".notdef": TTGlyphPen(None).glyph(), "uni4E2D": pen.glyph()})
    fb.setupHorizontalMetrics({".notdef": (500, 0), "uni4E2D": (1000, 100)})
    fb.setupHorizontalHeader(ascent=800, descent=-200)
    fb.setupNameTable({"familyName": "Machine Fallback", "styleName": "Regular"})
    fb.setupOS2()
    fb.setupPost()
    fb.save(str(path))


def test_fonts_installed_on_the_machine_are_never_embedded(tmp_path):
    data = tmp_path / "data"
    (data / "fonts").mkdir(parents=True)
    _machine_font(data / "fonts" / "MachineFallback.ttf")
    env = {"XDG_DATA_HOME": str(data), "XDG_CACHE_HOME": str(tmp_path / "cache")}
    if shutil.which("fc-match"):  # the machine does offer the font for this character
        import os
        seen = subprocess.run(["fc-match", "-f", "%{family}", ":charset=4e2d"],
                              capture_output=True, text=True, env={**os.environ, **env})
        assert seen.stdout == "Machine Fallback"
    src = tmp_path / "EP-050-x.md"
    src.write_text("# EP-050: Fonts\n\n- **Status:** Draft\n\n## Summary\n\nA 中 character.\n")
    proc = run_epdoc("build", src, "--to", "pdf", "-o", tmp_path / "out", env=env)
    assert proc.returncode == 0, proc.stderr
    fonts = embedded_fonts(tmp_path / "out" / "EP-050-x.pdf")
    assert all(from_theme(f) for f in fonts), fonts
    assert "U+4E2D" in proc.stderr  # the missing glyph is reported, with the file


def test_running_header_footer_and_page_labels(corpus_build):
    out, _ = corpus_build
    path = out / f"{EP003}.pdf"
    pages = pdf_pages(path)
    n = len(pages)
    assert n > 3
    labels = page_labels(path)
    assert labels == [str(i) for i in range(1, n + 1)]
    for i, text in enumerate(pages, 1):
        assert "EP-003 · GPU Power Monitoring" in text, i
        assert re.search(r"\bDraft\b", text), i
        assert f"Page {i} of {n}" in text, i
        assert f"Page {labels[i - 1]} of" in text


def test_pdf_metadata_comes_from_the_record(corpus_build):
    out, _ = corpus_build
    info = metadata(out / f"{EP001}.pdf")
    assert info["/Title"] == "EP-001: Redfish Power Monitoring Support"
    assert info["/Author"] == "Sunil Thaha"
    assert "EP-001" in info["/Subject"] and "Implemented" in info["/Subject"]
    assert {"EP-001", "Implemented", "Experimental"} <= set(
        k.strip() for k in info["/Keywords"].split(","))
    assert info["/CreationDate"].startswith("D:20250814")
    assert info["/ModDate"].startswith("D:20250903")


def _headings(html_path):
    tree = lxml_html.fromstring(html_path.read_bytes())
    return [h.text_content().strip() for h in tree.xpath("//main//*[self::h1 or self::h2 or "
                                                          "self::h3 or self::h4 or self::h5 or "
                                                          "self::h6]")]


@pytest.mark.parametrize("stem", [EP001, EP003])
def test_bookmarks_for_every_heading_on_the_right_page(corpus_build, stem):
    out, _ = corpus_build
    marks = outline(out / f"{stem}.pdf")
    assert [t for _, t, _ in marks] == _headings(out / f"{stem}.html")
    assert {d for d, _, _ in marks} >= {1, 2}  # nested: sections and their subsections
    pages = pdf_pages(out / f"{stem}.pdf")
    for _, title, page in marks:
        assert title in pages[page], (title, page)


def test_table_of_contents_page_numbers_are_right(corpus_build):
    out, _ = corpus_build
    path = out / f"{EP003}.pdf"
    marks = {t: p for _, t, p in outline(path)}
    pages = pdf_pages(path)
    toc = " ".join(pages[0].split())
    checked = 0
    for title, page in marks.items():
        m = re.search(re.escape(title) + r" ?\.[. ]*(\d+)", toc)
        if m:
            assert int(m.group(1)) == page + 1, title
            checked += 1
    assert checked >= 10


def test_links_are_clickable(corpus_build):
    out, _ = corpus_build
    found = links(out / f"{EP003}.pdf")
    internal = [t for _, kind, t in found if kind == "internal"]
    external = [t for _, kind, t in found if kind == "uri"]
    assert len(internal) >= 20 and all(t is not None for t in internal)
    assert any(t.startswith("https://") for t in external)


def test_headings_never_end_a_page(corpus_build):
    out, _ = corpus_build
    for stem in (p.stem for p in corpus_files()):
        path = out / f"{stem}.pdf"
        with pdfplumber.open(str(path)) as pdf:
            for _, title, index in outline(path):
                page = pdf.pages[index].filter(  # without the diagonal watermark
                    lambda o: o.get("object_type") != "char" or abs(o["matrix"][1]) < 1e-3)
                hits = page.search(re.escape(title))
                assert hits, title
                below = [c for c in page.chars if c["top"] > hits[0]["bottom"] + 2
                         and c["bottom"] < page.height - 57 and abs(c["matrix"][1]) < 1e-3]
                assert below, f"{stem}: heading {title!r} ends page {index + 1}"


def test_draft_watermark_only_on_drafts(corpus_build):
    out, _ = corpus_build
    marks = rotated_text(out / f"{EP003}.pdf")
    assert marks and all(m == "DRAFT" for m in marks)
    for stem in (EP001, "platform-validation"):
        assert not any(rotated_text(out / f"{stem}.pdf")), stem


def test_draft_watermark_in_html(corpus_build):
    out, _ = corpus_build
    draft = (out / f"{EP003}.html").read_text()
    assert 'class="epdoc status-draft watermark-draft"' in draft
    assert "DRAFT" in __import__("urllib.parse").parse.unquote(draft)
    assert "watermark-" not in (out / f"{EP001}.html").read_text().split("<body", 1)[1]


def test_status_banners(status_build):
    out, proc = status_build
    assert proc.returncode == 0, proc.stderr
    superseded = lxml_html.fromstring((out / "EP-020-event-bus.html").read_bytes())
    banner = superseded.xpath("//div[contains(@class, 'status-banner')]")[0]
    assert " ".join(banner.text_content().split()) == \
        "Superseded. This proposal is superseded by EP-021."
    assert banner.xpath(".//a/@href") == ["EP-021-event-streams.html"]
    pdf = pdf_pages(out / "EP-020-event-bus.pdf")[0]
    assert "This proposal is superseded by EP-021." in " ".join(pdf.split())
    assert ("uri", "EP-021-event-streams.pdf") in [
        (k, t) for _, k, t in links(out / "EP-020-event-bus.pdf")]
    rejected = " ".join(pdf_pages(out / "EP-022-global-locks.pdf")[0].split())
    assert "This proposal was rejected. (replaced by leases in EP-021)" in rejected
    assert "This proposal was withdrawn." in pdf_pages(out / "EP-023-yaml-config.pdf")[0]
    accepted = out / "EP-021-event-streams"
    assert "status-banner" not in accepted.with_suffix(".html").read_text().split("<body", 1)[1]
    assert not any(rotated_text(accepted.with_suffix(".pdf")))
    for stem in ("EP-020-event-bus", "EP-022-global-locks"):
        assert not any(rotated_text(out / f"{stem}.pdf")), stem


KEEP_CODE = "\n".join(f"codeline-{i:02d} = value_{i}" for i in range(12))


@pytest.fixture(scope="module")
def keep_build(tmp_path_factory):
    """One proposal in five lengths, so page breaks fall across its code block, its figure
    and its tall table row in turn."""
    src = tmp_path_factory.mktemp("keep-src")
    shutil.copy(ROOT / "examples" / "proposals" / "images" / "archive-flow.png", src)
    for n in range(24, 44, 4):
        filler = "\n\n".join(f"Filler paragraph {i} with enough words to fill a line of the "
                             "page body, more or less." for i in range(n))
        (src / f"EP-{n:03d}-keep.md").write_text(
            f"# EP-{n:03d}: Keep Together\n\n- **Status:** Accepted\n\n## Summary\n\n{filler}\n\n"
            f"```\n{KEEP_CODE}\n```\n\n{filler}\n\n<figure>\n<img src=\"archive-flow.png\" "
            "alt=\"flow\">\n<figcaption>Figure caption marker</figcaption>\n</figure>\n\n"
            f"{filler}\n\n| A | B |\n|---|---|\n| rowcell-a1<br>x<br>x<br>x<br>x<br>x<br>"
            "rowcell-a2 | b |\n")
    out = tmp_path_factory.mktemp("keep-out")
    proc = run_epdoc("build", src, "--to", "pdf", "-o", out)
    return out, proc


def _pages_of(pages, word):
    return {i for i, text in enumerate(pages) if word in text}


def test_code_blocks_figures_and_table_rows_stay_whole(keep_build):
    out, proc = keep_build
    assert proc.returncode == 0, proc.stderr
    for path in sorted(out.glob("*.pdf")):
        pages = pdf_pages(path)
        code = set().union(*(_pages_of(pages, f"codeline-{i:02d}") for i in range(12)))
        assert len(code) == 1, (path.name, code)
        row = _pages_of(pages, "rowcell-a1") | _pages_of(pages, "rowcell-a2")
        assert len(row) == 1, (path.name, row)
        caption = _pages_of(pages, "Figure caption marker")
        with pdfplumber.open(str(path)) as pdf:
            images = {i for i, p in enumerate(pdf.pages) if p.images}
        assert len(caption) == 1 and caption == images, (path.name, caption, images)
