"""`pip install .` gives a working `epdoc` with the styles and filters inside the wheel."""

import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

from helpers import EXAMPLES, ROOT


def test_wheel_installs_and_converts(tmp_path):
    dist = tmp_path / "dist"
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(dist),
                    str(ROOT)], check=True, capture_output=True, timeout=600)
    wheel = next(dist.glob("epdoc-*.whl"))
    names = zipfile.ZipFile(wheel).namelist()
    for needed in ("epdoc/styles/theme.toml", "epdoc/styles/base.css",
                   "epdoc/styles/templates/page.html", "epdoc/styles/fonts/DejaVuSans.ttf",
                   "epdoc/filters/metadata.py", "epdoc/pipeline/cli/main.py",
                   "epdoc/pipeline/preview/templates/live.js",
                   "epdoc/pipeline/preview/templates/shell.html"):
        assert needed in names, needed
    # A fresh virtualenv; its dependencies come from the project's environment via a .pth file.
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    site = next((venv / "lib").glob("python*/site-packages"))
    (site / "deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    subprocess.run([sys.executable, "-m", "pip", "--python", str(venv / "bin" / "python"),
                    "install", "--no-deps", "-q", str(wheel)], check=True, capture_output=True,
                   timeout=600)
    out = tmp_path / "out"
    workdir = tmp_path / "elsewhere"
    workdir.mkdir()
    proc = subprocess.run([str(venv / "bin" / "epdoc"), "build",
                           str(EXAMPLES / "EP-011-proposal-catalog.md"), "--to", "html,docx",
                           "-o", str(out)], capture_output=True, text=True, cwd=workdir,
                          timeout=600)
    assert proc.returncode == 0, proc.stderr
    html = (out / "EP-011-proposal-catalog.html").read_text()
    assert "Proposal Catalog" in html and "--color-heading" in html
    imported = subprocess.run([str(venv / "bin" / "python"), "-c",
                               "import epdoc.styles, epdoc.pipeline; print(epdoc.styles.__file__)"],
                              capture_output=True, text=True, cwd=workdir)
    assert str(venv) in imported.stdout and str(ROOT) not in imported.stdout
    assert Path(imported.stdout.strip()).with_name("theme.toml").is_file()
