"""Headless Chromium for the tests: the system's `chromium` and `chromedriver` (Debian's
chromium and chromium-driver, which `make setup` installs), driven by selenium. Open a page
(a file or a URL), then read what a reader's browser met: console errors, Content-Security-
Policy violations, the fonts it loaded, a screenshot.

    from helpers.browser import browser  # noqa: F401  (the session-wide fixture)

    def test_x(browser):
        browser.open(path)
        assert browser.problems() == []
        assert browser.fonts(["epdoc Sans"]) == {"epdoc Sans": ["loaded", ...]}
        assert not blank(browser.screenshot())
"""

from __future__ import annotations

import io
import shutil
import time
from pathlib import Path

import pytest

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMEDRIVER = shutil.which("chromedriver")
WIDTH, HEIGHT = 1200, 900

# runs before any script of every page: records each CSP violation the page meets
WATCH = """
window.__epdocViolations = [];
document.addEventListener('securitypolicyviolation', e => window.__epdocViolations.push(
  e.violatedDirective + ' blocked ' + (e.blockedURI || 'inline') + ' at line ' + e.lineNumber));
"""

# every face of `families` loaded (document.fonts.load asks for it even when the page has
# not used it yet), then each face's status, as the page's FontFaceSet tells
FONTS = """
const [families, done] = arguments;
const faces = ['normal normal', 'bold normal', 'normal italic', 'bold italic'];
Promise.allSettled(families.flatMap(f => faces.map(w => {
  const [weight, style] = w.split(' ');
  return document.fonts.load(`${style} ${weight} 16px "${f}"`);
}))).then(() => document.fonts.ready).then(() => {
  const out = {};
  for (const face of document.fonts) {
    if (families.includes(face.family.replace(/^"|"$/g, ''))) {
      (out[face.family.replace(/^"|"$/g, '')] ||= []).push(face.status);
    }
  }
  done(out);
});
"""


class Browser:
    """One headless Chromium (one tab), reused across tests."""

    def __init__(self, width: int = WIDTH, height: int = HEIGHT):
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service

        if not CHROMIUM or not CHROMEDRIVER:
            missing = " and ".join(n for n, p in (("chromium", CHROMIUM),
                                                  ("chromedriver", CHROMEDRIVER)) if not p)
            pytest.fail(f"{missing} not found: run `make setup` (it installs Debian's "
                        "chromium and chromium-driver)", pytrace=False)
        options = webdriver.ChromeOptions()
        options.binary_location = CHROMIUM
        for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                    "--hide-scrollbars", "--force-device-scale-factor=1", "--no-first-run",
                    "--disable-extensions", "--disable-background-networking",
                    f"--window-size={width},{height}"):
            options.add_argument(arg)
        options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
        self.driver = webdriver.Chrome(options=options, service=Service(CHROMEDRIVER))
        self.driver.set_page_load_timeout(60)
        self.driver.set_script_timeout(30)
        self.driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": WATCH})

    def open(self, target) -> None:
        """Open a file (a Path) or a URL, after dropping what the last page logged."""
        self.driver.get_log("browser")
        url = Path(target).resolve().as_uri() if isinstance(target, Path) else str(target)
        self.driver.get(url)

    @property
    def url(self) -> str:
        return self.driver.current_url

    def console(self, level: str = "SEVERE") -> list[str]:
        """The page's console messages of `level` since the last look (JavaScript errors,
        failed loads and CSP refusals are SEVERE)."""
        return [e["message"] for e in self.driver.get_log("browser") if e["level"] == level]

    def violations(self) -> list[str]:
        """The Content-Security-Policy violations of the open page."""
        return list(self.js("return window.__epdocViolations || []"))

    def problems(self) -> list[str]:
        """Console errors and CSP violations of the open page: [] for a clean page."""
        return self.console() + [f"CSP: {v}" for v in self.violations()]

    def fonts(self, families) -> dict[str, list[str]]:
        """{family: [status of each face]} for the @font-face families named, every face
        asked for first; "loaded" is a face the browser fetched and decoded."""
        return self.driver.execute_async_script(FONTS, list(families))

    def used_fonts(self, selector: str = "body") -> dict[str, bool]:
        """{PostScript name: a web font (not the system's)} of every font Chromium drew the
        text of `selector` (and everything inside it) with (DevTools' CSS domain)."""
        d = self.driver
        d.execute_cdp_cmd("DOM.enable", {})
        d.execute_cdp_cmd("CSS.enable", {})
        root = d.execute_cdp_cmd("DOM.getDocument", {"depth": -1})["root"]["nodeId"]
        nodes = d.execute_cdp_cmd("DOM.querySelectorAll", {
            "nodeId": root, "selector": f"{selector}, {selector} *"})["nodeIds"]
        used = {}
        for node in nodes:
            for f in d.execute_cdp_cmd("CSS.getPlatformFontsForNode",
                                       {"nodeId": node})["fonts"]:
                used[f["postScriptName"] or f["familyName"]] = f["isCustomFont"]
        return used

    def js(self, script: str, *args):
        return self.driver.execute_script(script, *args)

    def wait_for(self, script: str, timeout: float = 10.0, every: float = 0.05):
        """Poll `script` (a JavaScript expression) until it is truthy; its value, or
        AssertionError after `timeout` seconds."""
        end = time.monotonic() + timeout
        while True:
            value = self.js(f"return ({script});")
            if value:
                return value
            if time.monotonic() > end:
                raise AssertionError(f"not true after {timeout:g} s in {self.url}: {script}")
            time.sleep(every)

    def screenshot(self):
        """The visible page as a PIL image (RGB)."""
        from PIL import Image

        return Image.open(io.BytesIO(self.driver.get_screenshot_as_png())).convert("RGB")

    def render(self, html: str):
        """A screenshot of `html` opened as a page of its own (a data: URL)."""
        from urllib.parse import quote

        self.open("data:text/html;charset=utf-8," + quote(html))
        return self.screenshot()

    def close(self) -> None:
        self.driver.quit()


def blank(image) -> bool:
    """True when every pixel of the image has one color."""
    lo, hi = zip(*image.getextrema(), strict=True)
    return lo == hi


def ink(image, background=(255, 255, 255), tolerance: int = 8) -> int:
    """How many pixels differ from `background` by more than `tolerance` in a channel."""
    from PIL import Image, ImageChops

    r, g, b = ImageChops.difference(image, Image.new("RGB", image.size, background)).split()
    most = ImageChops.lighter(ImageChops.lighter(r, g), b)
    return sum(most.histogram()[tolerance + 1:])


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium for the whole session (its start costs about 2 s)."""
    b = Browser()
    yield b
    b.close()
