"""axe-core (Deque's accessibility engine, from the npm registry, at a pinned version) run in
the tests' headless Chromium (helpers/browser.py). `make setup` installs it into a cache
folder; a test installs it there when it is missing. Where it cannot be installed, the test
fails with the reason (it does not skip).

    python tests/helpers/axe.py        # install it (what make setup runs)
"""

from __future__ import annotations

import fcntl
import os
import shutil
import subprocess
from pathlib import Path

VERSION = "4.10.3"
FOLDER = Path(os.environ.get("EPDOC_AXE_DIR")
              or Path.home() / ".cache" / "epdoc-tests" / f"axe-core-{VERSION}")
SCRIPT = FOLDER / "node_modules" / "axe-core" / "axe.min.js"
FAILING = ("serious", "critical")  # the impacts a page must not have

RUN = """
const done = arguments[0];
axe.run(document, {resultTypes: ['violations']}).then(r => done(r.violations.map(v => ({
  id: v.id, impact: v.impact, help: v.help,
  nodes: v.nodes.map(n => n.target.join(' '))})))).catch(e => done([{id: 'axe-error',
  impact: 'critical', help: String(e), nodes: []}]));
"""


def install() -> Path:
    """axe.min.js, installed with npm into FOLDER if it is not there; raises RuntimeError
    with the reason when it cannot be."""
    if SCRIPT.is_file():
        return SCRIPT
    npm = shutil.which("npm")
    if not npm:
        raise RuntimeError("npm not found: axe-core comes from the npm registry (install "
                           "Node.js with npm, then make setup)")
    FOLDER.mkdir(parents=True, exist_ok=True)
    with open(FOLDER / ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not SCRIPT.is_file():
            proc = subprocess.run([npm, "install", "--no-save", "--no-audit", "--no-fund",
                                   "--prefix", str(FOLDER), f"axe-core@{VERSION}"],
                                  capture_output=True, text=True, timeout=600)
            if proc.returncode or not SCRIPT.is_file():
                tail = (proc.stderr or proc.stdout).strip().splitlines()[-3:]
                raise RuntimeError(f"npm install axe-core@{VERSION} failed: {' '.join(tail)}")
    return SCRIPT


def violations(browser, page: Path) -> list[dict]:
    """axe-core's violations on `page` (every impact): [{id, impact, help, nodes}]."""
    assert Path(page).is_file(), page
    browser.open(page)
    browser.js(install().read_text(encoding="utf-8"))
    return browser.driver.execute_async_script(RUN)


def failing(found: list[dict]) -> list[str]:
    """The serious and critical ones, one line each."""
    return [f"{v['impact']} {v['id']}: {v['help']} ({', '.join(v['nodes'][:3])})"
            for v in found if v["impact"] in FAILING]


if __name__ == "__main__":
    print(install())
