"""Every HTML output of the corpus opened in headless Chromium, as a reader opens it: no
console error, no Content-Security-Policy violation, the theme's fonts loaded, something
drawn."""

import pytest

from epdoc.pipeline.config import theme as themes

from helpers import CORPUS, corpus_files, run_epdoc
from helpers.browser import browser, ink  # noqa: F401

FAMILIES = list(themes.load().tokens["fonts"]["faces"])
CSP = ("default-src 'none'; img-src 'self' data:; style-src 'unsafe-inline'; "
       "font-src 'self' data:; base-uri 'none'; form-action 'none'")


@pytest.fixture(scope="module")
def index_page(tmp_path_factory, corpus_build):
    """index.html of the corpus (its search script allowed by its hash)."""
    out = tmp_path_factory.mktemp("chromium-index")
    proc = run_epdoc("index", CORPUS, "-o", out / "index.html")
    assert proc.returncode == 0, proc.stderr
    return out / "index.html"


@pytest.fixture(scope="module")
def self_contained(tmp_path_factory):
    """One file per proposal, fonts and pictures inside it."""
    out = tmp_path_factory.mktemp("chromium-self-contained")
    proc = run_epdoc("build", CORPUS, "--to", "html", "--self-contained", "-o", out)
    assert proc.returncode == 0, proc.stderr
    return out


def check_page(browser, path):  # noqa: F811
    browser.open(path)
    assert browser.problems() == [], path.name
    fonts = browser.fonts(FAMILIES)
    assert sorted(fonts) == sorted(FAMILIES), (path.name, fonts)
    for family, statuses in fonts.items():
        assert statuses and set(statuses) == {"loaded"}, (path.name, family, statuses)
    assert browser.js("return document.fonts.check('16px \"' + arguments[0] + '\"')",
                      FAMILIES[0]), path.name
    shot = browser.screenshot()
    assert ink(shot) > 0.01 * shot.width * shot.height, f"{path.name}: a blank page"


@pytest.mark.parametrize("path", corpus_files(), ids=lambda p: p.stem)
def test_corpus_page_opens_clean(browser, corpus_build, path):  # noqa: F811
    out, _ = corpus_build
    check_page(browser, out / f"{path.stem}.html")
    # the text a reader sees is the proposal's (its title in the page's heading)
    assert browser.js("return document.querySelector('h1').innerText.trim()")


@pytest.mark.parametrize("path", corpus_files()[:2], ids=lambda p: p.stem)
def test_self_contained_page_opens_clean(browser, self_contained, path):  # noqa: F811
    check_page(browser, self_contained / f"{path.stem}.html")


def test_index_opens_clean_and_searches(browser, index_page):  # noqa: F811
    browser.open(index_page)
    assert browser.problems() == []
    rows = browser.js("return document.querySelectorAll('tbody tr').length")
    assert rows >= len(corpus_files()) - 1


def test_a_violation_is_seen(browser, tmp_path):  # noqa: F811
    """The check above can fail: a page under epdoc's policy that runs an inline script
    and loads a remote font reports both."""
    page = tmp_path / "bad.html"
    page.write_text(
        f'<!DOCTYPE html><html><head><meta http-equiv="Content-Security-Policy" '
        f'content="{CSP}"><style>@font-face {{ font-family: X; '
        f'src: url("http://127.0.0.1:9/x.ttf"); }} body {{ font-family: X; }}</style>'
        "</head><body><p>text</p><script>document.title = 'ran';</script></body></html>")
    browser.open(page)
    browser.fonts(["X"])
    problems = browser.problems()
    assert browser.js("return document.title") != "ran"
    assert any("script-src" in p for p in problems), problems
    assert any("font-src" in p for p in problems), problems
