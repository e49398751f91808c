"""epdoc preview driven by headless Chromium, as an author uses it: the page opens clean
(its reload script allowed by the page's policy), a saved edit shows within 2 seconds where
the reader was, a broken save shows its error over the page it keeps, the PDF view too."""

import io
import shutil
import time

import pdfplumber
import pytest

from helpers import CORPUS
from helpers.browser import browser, ink  # noqa: F401
from helpers.preview import Preview

EP001 = "EP-001-redfish-support"
EP003 = "EP-003-GPU-Power-Monitoring"
PLATFORM = "platform-validation"  # a proposal of average size, front matter
TITLE = "# EP-001: Redfish Power Monitoring Support"


def _project(root):
    src = root / "proposals"
    src.mkdir()
    for name in (EP001, EP003, PLATFORM):
        shutil.copy(CORPUS / f"{name}.md", src / f"{name}.md")
    shutil.copytree(CORPUS / "images", src / "images")
    return root


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    return _project(tmp_path_factory.mktemp("preview-chromium"))


@pytest.fixture(scope="module")
def preview(project):
    p = Preview("proposals", cwd=project)
    yield p
    code, out, err = p.stop()
    assert code == 0 and "stopped" in out, err


def live(browser, url):  # noqa: F811
    browser.open(url)
    browser.wait_for("document.documentElement.dataset.epdocPreview === 'live'")


def test_preview_page_opens_clean(browser, preview):  # noqa: F811
    live(browser, preview.url + f"{EP003}.html")
    assert browser.problems() == []
    assert set(sum(browser.fonts(["epdoc Sans", "epdoc Mono"]).values(), [])) == {"loaded"}
    findings = browser.js("return [...document.querySelectorAll('#epdoc-preview li')]"
                          ".map(li => li.innerText)")
    assert any("link-missing" in f for f in findings), findings
    assert browser.js("return getComputedStyle(document.getElementById('epdoc-preview'))"
                      ".position") == "fixed"
    shot = browser.screenshot()
    assert ink(shot) > 0.01 * shot.width * shot.height


def test_index_opens_clean_and_links(browser, preview):  # noqa: F811
    live(browser, preview.url)
    assert browser.problems() == []
    browser.js("document.querySelector('main a').click()")
    browser.wait_for("location.pathname.endsWith('.html') && document.querySelector('h1')")
    assert browser.problems() == []


def test_saved_edit_shows_within_two_seconds_where_the_reader_was(
        browser, preview, project):  # noqa: F811
    source = project / "proposals" / f"{PLATFORM}.md"
    good = source.read_text()
    live(browser, preview.url + f"{PLATFORM}.html")
    browser.js("window.scrollTo(0, 600)")
    start = time.monotonic()
    source.write_text(good.replace("# Kepler Platform Validation Guide",
                                   "# Kepler Platform Validation Guide, Edited"))
    browser.wait_for("document.querySelector('h1').innerText.includes('Edited')", timeout=2)
    assert time.monotonic() - start < 2.0
    browser.wait_for("document.documentElement.dataset.epdocPreview === 'live'")
    assert abs(browser.js("return window.scrollY") - 600) < 50  # where the reader was
    assert browser.problems() == []


def test_broken_save_shows_its_error_and_keeps_the_page(browser, preview, project):  # noqa: F811
    source = project / "proposals" / f"{EP001}.md"
    good = source.read_text()
    live(browser, preview.url + f"{EP001}.html")
    source.write_text(good.replace(TITLE, TITLE + ", Edited"))
    browser.wait_for("document.querySelector('h1').innerText.includes('Edited')", timeout=10)
    browser.wait_for("document.documentElement.dataset.epdocPreview === 'live'")

    browser.js("window.epdocSameView = true")
    source.write_bytes(good.encode() + b"\n\xff broken\n")
    alert = browser.wait_for("document.querySelector('#epdoc-preview [role=alert]')"
                             "?.innerText", timeout=2)
    assert "did not build" in alert and "not valid UTF-8" in alert
    assert "last good version" in alert
    assert browser.js("return window.epdocSameView") is True  # not reloaded: the view stays
    assert "Edited" in browser.js("return document.querySelector('h1').innerText")
    assert browser.problems() == []

    browser.open(preview.url + f"{EP001}.html")  # opened again while broken: the same
    assert "Edited" in browser.js("return document.querySelector('h1').innerText")
    assert browser.js("return document.querySelector('#epdoc-preview [role=alert]') !== null")

    browser.wait_for("document.documentElement.dataset.epdocPreview === 'live'")
    source.write_text(good)
    browser.wait_for("!document.querySelector('#epdoc-preview [role=alert]') && "
                     "!document.querySelector('h1').innerText.includes('Edited')", timeout=10)
    assert browser.problems() == []


@pytest.fixture(scope="module")
def pdf_preview(tmp_path_factory):
    root = _project(tmp_path_factory.mktemp("preview-pdf"))
    p = Preview(f"proposals/{EP001}.md", "--pdf", cwd=root)
    yield root, p
    code, out, err = p.stop()
    assert code == 0 and "stopped" in out, err


def test_pdf_view_rebuilt_on_save(browser, pdf_preview):  # noqa: F811
    root, preview = pdf_preview
    live(browser, preview.url)
    assert browser.problems() == []
    src = browser.js("return document.querySelector('iframe.pdf').getAttribute('src')")
    assert src.startswith(f"/{EP001}.pdf?v=")
    status, headers, body = preview.get(src)
    assert status == 200 and headers["content-type"] == "application/pdf"
    with pdfplumber.open(io.BytesIO(body)) as pdf:
        assert "Redfish Power Monitoring Support" in pdf.pages[0].extract_text()
    source = root / "proposals" / f"{EP001}.md"
    source.write_text(source.read_text().replace(TITLE, TITLE + " in Print"))
    browser.wait_for(f"document.querySelector('iframe.pdf')?.getAttribute('src') !== '{src}'",
                     timeout=30)
    new = browser.js("return document.querySelector('iframe.pdf').getAttribute('src')")
    _, _, body = preview.get(new)
    with pdfplumber.open(io.BytesIO(body)) as pdf:
        assert "in Print" in pdf.pages[0].extract_text()
    assert browser.problems() == []
