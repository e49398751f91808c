"""The review packet behind `make pdf`: cover, index with real page numbers, each proposal from a
new page with its own header, nested bookmarks, links inside the packet, status selection."""

import re
import shutil
import subprocess

import pdfplumber
import pytest

from epdoc.pipeline.config import theme as themes

from helpers import FIXTURES, ROOT, corpus_files, run_epdoc
from helpers.pdf import embedded_fonts, links, metadata, outline, page_labels, rotated_text
from helpers.readers import pdf_pages

STATUS = FIXTURES / "status"
EPOCH = {"SOURCE_DATE_EPOCH": "1767225600"}  # 2026-01-01


@pytest.fixture(scope="module")
def corpus_make(tmp_path_factory, corpus):
    """`make pdf` over the corpus: each proposal's PDF and build/packet.pdf, one command."""
    assert shutil.which("make") and (ROOT / ".venv" / "bin" / "epdoc").exists(), \
        "make setup installs .venv/bin/epdoc"
    out = tmp_path_factory.mktemp("make-pdf")
    proc = subprocess.run(["make", "-s", "pdf", f"PROPOSALS={corpus}", f"OUT={out}"],
                          cwd=ROOT, capture_output=True, text=True, timeout=900)
    return out, proc


@pytest.fixture(scope="module")
def status_packet(tmp_path_factory):
    out = tmp_path_factory.mktemp("status-packet") / "review.pdf"
    proc = run_epdoc("packet", STATUS, "-o", out, "--title", "Q1 Architecture Review",
                     env=EPOCH)
    return out, proc


def index_rows(path) -> list[list[str]]:
    """The index table as printed: ID, Title, Status, Authors, Created, Updated, Page."""
    first = min(p for d, t, p in outline(path) if d == 1 and t != "Index")
    rows = []
    with pdfplumber.open(str(path)) as pdf:
        for page in pdf.pages[1:first]:
            for table in page.extract_tables():
                for row in table:
                    cells = [" ".join((c or "").split()) for c in row]
                    if len(cells) == 7 and cells[0] != "ID":
                        rows.append(cells)
    return rows


def proposals(path) -> list[tuple[str, int, list[str]]]:
    """Top-level bookmarks of the proposals: (label, page index, titles of their children)."""
    marks = outline(path)
    found = []
    for depth, title, page in marks:
        if depth == 1 and title != "Index":
            found.append((title, page, []))
        elif depth > 1 and found:
            found[-1][2].append(title)
    return found


def test_make_pdf_writes_each_pdf_and_the_packet(corpus_make):
    out, proc = corpus_make
    assert proc.returncode == 0, proc.stderr
    names = sorted(p.name for p in out.glob("*.pdf"))
    assert names == sorted(["packet.pdf", *(f"{p.stem}.pdf" for p in corpus_files())])


def test_packet_index_page_numbers_are_the_real_start_pages(corpus_make):
    out, _ = corpus_make
    path = out / "packet.pdf"
    rows = index_rows(path)
    starts = proposals(path)
    assert len(rows) == len(starts) == len(corpus_files())
    pages = pdf_pages(path)
    for row, (label, start, _) in zip(rows, starts, strict=True):
        assert int(row[-1]) == start + 1, (row, label)
        assert row[1] in label or label.endswith(row[1]), (row, label)
        # the proposal's title block is on that page, with its own running header
        assert row[1].split("[")[0].strip() in " ".join(pages[start].split())
        if row[0] != "—":
            assert f"{row[0]} · " in pages[start]
            assert f"{row[0]} · " not in pages[start - 1]


def test_packet_order_numbered_first_then_drafts_by_date(status_packet):
    out, proc = status_packet
    assert proc.returncode == 0, proc.stderr
    rows = index_rows(out)
    assert [r[1] for r in rows] == [
        "In-process Event Bus", "Durable Event Streams", "Global Locks",
        "YAML Configuration Files", "Quiet Hours for Alerts", "Cache Tiers"]
    assert rows[1][:7] == ["EP-021", "Durable Event Streams", "Accepted",
                           "Grace Hopper, Ada Byron", "2025-06-18", "2025-07-01", rows[1][6]]


def test_packet_cover_metadata_and_labels(status_packet):
    out, _ = status_packet
    pages = pdf_pages(out)
    cover = " ".join(pages[0].split())
    assert "Q1 Architecture Review" in cover
    assert "2026-01-01" in cover and "6 proposals" in cover
    assert "Page 1 of" not in cover  # the cover has no header or footer
    info = metadata(out)
    assert info["/Title"] == "Q1 Architecture Review"
    assert "6 proposals" in info["/Subject"]
    assert {"EP-020", "EP-021", "EP-022", "EP-023"} <= {
        k.strip() for k in info["/Keywords"].split(",")}
    assert "Grace Hopper" in info["/Author"]
    assert info["/CreationDate"].startswith("D:20260101")
    labels = page_labels(out)
    assert labels == [str(i) for i in range(1, len(pages) + 1)]
    for i, text in enumerate(pages[1:], 2):
        assert f"Page {labels[i - 1]} of {len(pages)}" in text


def test_packet_bookmarks_nest_each_proposals_headings(status_packet):
    out, _ = status_packet
    found = proposals(out)
    assert [label for label, _, _ in found] == [
        "EP-020: In-process Event Bus", "EP-021: Durable Event Streams", "EP-022: Global Locks",
        "EP-023: YAML Configuration Files", "Quiet Hours for Alerts", "Cache Tiers"]
    assert found[1][2] == ["Summary", "Design", "Retention", "Ordering", "Risks"]
    depths = {t: d for d, t, _ in outline(out)}
    assert depths["Retention"] == 3 and depths["Design"] == 2
    starts = [p for _, p, _ in found]
    assert starts == sorted(set(starts))  # each proposal on its own page(s)


def test_links_between_proposals_jump_inside_the_packet(status_packet):
    out, _ = status_packet
    start = {label.split(":")[0]: page for label, page, _ in proposals(out)}
    found = links(out)
    # EP-021 links to EP-020 and to EP-020's Design section; EP-020's banner links EP-021
    from_021 = [t for p, kind, t in found if p == start["EP-021"] and kind == "internal"]
    assert from_021.count(start["EP-020"]) >= 2
    from_020 = [t for p, kind, t in found if p == start["EP-020"] and kind == "internal"]
    assert start["EP-021"] in from_020
    assert not [t for _, kind, t in found if kind == "uri" and ".md" in t]
    # the index links to every proposal's first page
    index = [t for p, kind, t in found if p == 1 and kind == "internal"]
    assert set(start.values()) <= set(index)


def test_packet_watermark_only_on_draft_pages_and_theme_fonts(status_packet):
    out, _ = status_packet
    found = proposals(out)
    n = len(pdf_pages(out))
    marks = rotated_text(out)
    drafts = set()
    for i, (label, start, _) in enumerate(found):
        end = found[i + 1][1] if i + 1 < len(found) else n
        if label in ("Quiet Hours for Alerts", "Cache Tiers"):
            drafts.update(range(start, end))
    assert drafts
    assert [i for i, m in enumerate(marks) if m] == sorted(drafts)
    assert all(marks[i] == "DRAFT" for i in drafts)
    families = {f.replace(" ", "-") for f in themes.load().tokens["fonts"]["faces"]}
    fonts = embedded_fonts(out)
    assert all(any(f == x or f.startswith(x + "-") for x in families) for f in fonts), fonts


def test_packet_selects_by_status_and_path(tmp_path):
    out = tmp_path / "drafts.pdf"
    proc = run_epdoc("packet", STATUS / "EP-020-event-bus.md", STATUS / "EP-022-global-locks.md",
                     STATUS / "draft-20260110-cache-tiers.md", STATUS / "EP-021-event-streams.md",
                     "--status", "draft,superseded", "-o", out)
    assert proc.returncode == 0, proc.stderr
    assert [label for label, _, _ in proposals(out)] == [
        "EP-020: In-process Event Bus", "Cache Tiers"]
    assert "2 proposals" in pdf_pages(out)[0]
    # EP-021 is not in this packet: the banner's link goes to its PDF beside the packet
    assert ("uri", "EP-021-event-streams.pdf") in [(k, t) for _, k, t in links(out)]
    none = run_epdoc("packet", STATUS, "--status", "Implemented", "-o", tmp_path / "x.pdf")
    assert none.returncode == 1 and "no proposals with status Implemented" in none.stderr
    assert not (tmp_path / "x.pdf").exists()
    bad = run_epdoc("packet", STATUS, "-o", tmp_path / "x.txt")
    assert bad.returncode == 2 and "Traceback" not in bad.stderr


def test_one_bad_proposal_never_stops_the_packet(tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    shutil.copy(STATUS / "EP-022-global-locks.md", src)
    (src / "EP-030-empty.md").write_text("")
    proc = run_epdoc("packet", src, "-o", tmp_path / "p.pdf")
    assert proc.returncode == 1
    lines = [line for line in proc.stderr.splitlines() if "EP-030-empty.md" in line]
    assert len(lines) == 1 and "Traceback" not in proc.stderr
    assert [label for label, _, _ in proposals(tmp_path / "p.pdf")] == ["EP-022: Global Locks"]
    assert re.search(r"1 proposals?", pdf_pages(tmp_path / "p.pdf")[0])
