"""Built the way the README says, from the folder that holds the proposals, with a relative
output folder (`-o build`): every diagram and picture is in every format."""

from __future__ import annotations

import shutil
import zipfile

from helpers import EXAMPLES, run_epdoc


def test_diagrams_and_pictures_reach_the_docx_with_a_relative_output_folder(tmp_path):
    shutil.copytree(EXAMPLES, tmp_path / "proposals")
    source = (tmp_path / "proposals" / "EP-011-proposal-catalog.md").read_text()
    diagrams = source.count("```mermaid")
    assert diagrams >= 1
    proc = run_epdoc("build", "proposals", "-o", "build", cwd=tmp_path,
                     env={"EPDOC_CACHE": str(tmp_path / "user-cache")})
    assert proc.returncode == 0, proc.stderr
    assert "image-missing" not in proc.stderr, proc.stderr
    with zipfile.ZipFile(tmp_path / "build" / "EP-011-proposal-catalog.docx") as z:
        media = [n for n in z.namelist() if n.startswith("word/media/")]
    assert len(media) >= diagrams
    with zipfile.ZipFile(tmp_path / "build" / "EP-010-offline-archive-format.docx") as z:
        assert any(n.startswith("word/media/") for n in z.namelist())  # its picture
    html = (tmp_path / "build" / "EP-011-proposal-catalog.html").read_text()
    assert html.count("data:image/svg+xml") >= diagrams
