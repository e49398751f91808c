"""Accessible HTML (issue 16, items 2, 3 and 5): every HTML page epdoc writes for the corpus
and the fixtures has no serious or critical axe-core violation in headless Chromium; the
page has its language, one h1, landmarks (header, main, nav for the contents), a skip link
to the content, table headers with their scope, a visible focus, and each diagram its text
alternative with its source kept under it."""

from __future__ import annotations

import shutil

import pytest
from lxml import html as lxml_html

from helpers import FIXTURES, axe, run_epdoc
from helpers.browser import browser  # noqa: F401  (the session-wide fixture)

STEM = "EP-060-accessible"
# fixture folders of proposals (the hostile ones are tested for safety, not for looks)
FOLDERS = ("access", "diagrams", "github", "math", "rawhtml", "status", "svgpictures",
           "frontmatter", "unseen")


@pytest.fixture(scope="module")
def pages(tmp_path_factory, corpus_build):
    """Every HTML page: the corpus's (built once for the session), the fixtures' and their
    index."""
    out, _ = corpus_build
    root = tmp_path_factory.mktemp("a11y-html")
    for name in FOLDERS:
        shutil.copytree(FIXTURES / name, root / name)
    proc = run_epdoc("build", *FOLDERS, "--to", "html", "-o", "build", cwd=root)
    assert (root / "build" / f"{STEM}.html").exists(), proc.stderr
    index = run_epdoc("index", *FOLDERS, "-o", "build/index.html", cwd=root)
    assert index.returncode == 0, index.stderr
    found = sorted(out.glob("*.html")) + sorted((root / "build").rglob("*.html"))
    assert len(found) > 10
    return root / "build", found


@pytest.fixture(scope="module")
def axe_script():
    try:
        return axe.install()
    except RuntimeError as exc:  # a checker that cannot be installed fails the test
        pytest.fail(f"axe-core cannot be installed: {exc}", pytrace=False)


def test_no_page_has_a_serious_or_critical_axe_violation(pages, axe_script, browser):  # noqa: F811
    _, found = pages
    bad = {}
    for page in found:
        failing = axe.failing(axe.violations(browser, page))
        if failing:
            bad[page.name] = failing
    assert bad == {}


def test_axe_finds_what_it_should_on_a_bad_page(tmp_path, axe_script, browser):  # noqa: F811
    page = tmp_path / "bad.html"
    page.write_text('<!DOCTYPE html><html><head><title>x</title></head><body>'
                    '<img src="a.png"><p style="color:#aaa">faint</p></body></html>')
    ids = {v["id"] for v in axe.violations(browser, page) if v["impact"] in axe.FAILING}
    assert {"image-alt", "html-has-lang", "color-contrast"} <= ids


def _tree(path):
    return lxml_html.fromstring(path.read_bytes())


def test_the_page_has_lang_one_h1_landmarks_and_a_skip_link(pages):
    build, _ = pages
    tree = _tree(build / f"{STEM}.html")
    assert tree.get("lang") == "en"
    assert [h.text_content() for h in tree.xpath("//h1")] == ["Accessible Power Report"]
    skip = tree.xpath("//body/*[1]")[0]
    assert skip.tag == "a" and skip.get("href") == "#content"
    assert tree.xpath("//main[@id='content']")
    header = tree.xpath("//header")[0]
    assert not header.xpath("ancestor::article|ancestor::main|ancestor::section")  # a banner
    nav = tree.xpath("//nav[@id='toc']")[0]
    assert nav.get("aria-label") == "Contents" and nav.xpath("ancestor::main")
    assert nav.xpath(".//a/@href")[:2] == ["#summary", "#readings"]


def test_table_headers_have_their_scope(pages):
    build, _ = pages
    tree = _tree(build / f"{STEM}.html")
    meta = tree.xpath("//div[@id='metadata']//th")
    assert [(th.text_content(), th.get("scope")) for th in meta][:2] == [
        ("ID", "row"), ("Status", "row")]
    heads = tree.xpath("//table[.//th[.='Node']]//thead//th")
    assert [(th.text_content(), th.get("scope")) for th in heads] == [
        ("Node", "col"), ("Watts", "col"), ("Source", "col")]


def test_pictures_and_diagrams_have_text_alternatives_and_the_source_stays(pages):
    build, _ = pages
    tree = _tree(build / f"{STEM}.html")
    alts = [img.get("alt") for img in tree.xpath("//main//img")]
    assert alts == [
        "Bar chart: power of three nodes rising from 40 to 130 watts",
        "Diagram: Collection flow. The collector reads RAPL and Redfish and exports one "
        "metric per node.",
        "Flowchart. 3 nodes: Node Start, Load BMC Config, RAPL Only. 2 connections: "
        "Node Start to Load BMC Config (Yes); Node Start to RAPL Only (No)."]
    sources = tree.xpath("//details[@class='diagram-source']")
    assert len(sources) == 2
    assert sources[0].xpath("./summary")[0].text_content() == "Diagram source (mermaid)"
    assert "R[RAPL] --> C[Collector]" in sources[0].text_content()


def test_keyboard_focus_is_visible_and_the_skip_link_appears(pages, browser):  # noqa: F811
    build, _ = pages
    browser.open(build / f"{STEM}.html")
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.keys import Keys

    ActionChains(browser.driver).send_keys(Keys.TAB).perform()
    focused = browser.js("const a = document.activeElement; const s = getComputedStyle(a);"
                         "const r = a.getBoundingClientRect();"
                         "return [a.className, s.outlineStyle, s.outlineWidth, r.top];")
    assert focused[0] == "skip-link"
    assert focused[1] != "none" and focused[2] != "0px"
    assert focused[3] >= 0  # on the screen once focused
    ActionChains(browser.driver).send_keys(Keys.ENTER).perform()
    assert browser.url.endswith("#content")


def test_a_wide_diagram_that_scrolls_can_be_reached_by_keyboard(pages):
    build, _ = pages
    tree = _tree(build / "EP-080-wide.html")
    wide = tree.xpath("//div[contains(@class, 'wide')]")[0]
    assert wide.get("tabindex") == "0" and wide.get("role") == "region"
    assert wide.get("aria-label")
