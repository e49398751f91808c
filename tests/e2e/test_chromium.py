"""Every HTML output of the corpus opened in headless Chromium, as a reader opens it: no
console error, no Content-Security-Policy violation, the theme's fonts loaded, something
drawn."""

import base64
import shutil

import pytest
from fontTools.ttLib import TTFont
from PIL import ImageChops

from epdoc.pipeline.config import theme as themes

from helpers import CORPUS, FIXTURES, corpus_files, run_epdoc
from helpers.browser import browser, ink  # noqa: F401

FAMILIES = list(themes.load().tokens["fonts"]["faces"])
THEME_FONTS = {TTFont(str(f), lazy=True)["name"].getDebugName(6)
               for f in themes.load().all_font_files()}
MATH = FIXTURES / "math" / "EP-900-formulas.md"
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
    used = browser.used_fonts()  # every glyph drawn with the theme's fonts, none the system's
    assert used and all(used.values()) and set(used) <= THEME_FONTS, (path.name, used)
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


@pytest.fixture(scope="module")
def math_page(tmp_path_factory):
    root = tmp_path_factory.mktemp("chromium-math")
    (root / "proposals").mkdir()
    shutil.copy(MATH, root / "proposals" / MATH.name)
    proc = run_epdoc("build", "proposals", "--to", "html", "-o", "build", cwd=root)
    assert proc.returncode == 0, proc.stderr
    return root / "build" / f"{MATH.stem}.html"


def test_math_drawn_by_chromium_in_the_theme_math_font(browser, math_page):  # noqa: F811
    """Inline and display formulas laid out as MathML with Noto Sans Math (the theme's),
    prices in prose as text, a broken formula as its source."""
    check_page(browser, math_page)
    boxes = browser.js("return [...document.querySelectorAll('math')].map(m => {"
                       "const r = m.getBoundingClientRect();"
                       "return [m.getAttribute('display'), r.width, r.height]; })")
    assert [b[0] for b in boxes] == ["inline"] * 3 + ["block"] * 2
    assert all(w > 20 and h > 8 for _, w, h in boxes), boxes
    assert min(h for d, _, h in boxes if d == "block") > max(h for d, _, h in boxes
                                                              if d == "inline")
    assert browser.used_fonts("math") == {"NotoSansMath-Regular": True}
    text = browser.js("return document.body.innerText")
    assert "The hosted plan costs $5 and $10 per month, or $20-$30 a year." in text
    assert "\\frac{1}" in text and "\\foo{x} + 1" in text


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


WIDTH, HEIGHT = 420, 594  # an A4 page at 2 px/mm


def _watermark_page(background: str = "", inline: str = "") -> str:
    theme = themes.load()
    bold = theme.font_files(theme.body_font)["bold"]
    font = base64.b64encode(bold.read_bytes()).decode()
    return (f'<!DOCTYPE html><html><head><style>@font-face {{ font-family: "{theme.body_font}";'
            f' font-weight: bold; src: url(data:font/ttf;base64,{font}); }}'
            f" html, body {{ margin: 0; background: #fff; }}"
            f" div {{ width: {WIDTH}px; height: {HEIGHT}px; {background} }}"
            f" svg {{ display: block; width: {WIDTH}px; height: {HEIGHT}px; }}</style></head>"
            f"<body><div>{inline}</div></body></html>")


def _shot(browser, html):  # noqa: F811
    browser.render(html)
    browser.fonts([themes.load().body_font])
    browser.js("return document.fonts.ready")
    return browser.screenshot().crop((0, 0, WIDTH, HEIGHT)).convert("L")


def _differ(a, b) -> float:
    """The share of inked pixels (in either picture) where the two disagree."""
    ink_a = a.point(lambda v: 255 if v < 250 else 0)
    ink_b = b.point(lambda v: 255 if v < 250 else 0)
    both = sum(ImageChops.lighter(ink_a, ink_b).histogram()[255:])
    apart = sum(ImageChops.difference(ink_a, ink_b).histogram()[255:])
    return apart / max(both, 1)


def test_screen_watermark_is_drawn_in_the_theme_font(browser, corpus_build):  # noqa: F811
    """The DRAFT a browser draws behind the page (an SVG background, which cannot use the
    page's @font-face fonts) has the theme's glyphs: it matches the same word set inline in
    the theme's bold font, and not what the text in the background SVG would look like."""
    theme = themes.load()
    svg = theme.watermark_svg("Draft", outlines=True)
    assert "<text" not in svg and "<path" in svg
    out, _ = corpus_build
    page = (out / "EP-003-GPU-Power-Monitoring.html").read_text()
    assert theme.watermark_uri("Draft", outlines=True) in page

    def background(outlines):
        uri = theme.watermark_uri("Draft", outlines=outlines)
        return _watermark_page(f'background: url("{uri}") no-repeat center / 100% 100%;')

    theme_font = _shot(browser, _watermark_page(inline=theme.watermark_svg("Draft")))
    shown = _shot(browser, background(outlines=True))
    fallback = _shot(browser, background(outlines=False))
    assert browser.problems() == []
    assert ink(theme_font.convert("RGB")) > 2000  # the word is there
    assert _differ(shown, theme_font) < 0.1, _differ(shown, theme_font)
    assert _differ(fallback, theme_font) > 0.3, _differ(fallback, theme_font)


def test_watermark_in_the_page_seen_by_chromium(browser, corpus_build):  # noqa: F811
    """In the built draft page, the watermark is painted (content hidden, the background
    alone has ink); a proposal that is not a draft has none."""
    out, _ = corpus_build
    hide = ("document.body.style.color = 'transparent';"
            "for (const e of document.body.querySelectorAll('*')) e.style.visibility = 'hidden';")
    browser.open(out / "EP-003-GPU-Power-Monitoring.html")
    browser.js(hide)
    assert ink(browser.screenshot()) > 5000
    browser.open(out / "EP-001-redfish-support.html")
    browser.js(hide)
    assert ink(browser.screenshot()) == 0
