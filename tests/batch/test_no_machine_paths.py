"""Nothing in an output folder records a path of the machine that built it: the build cache,
the picture record, the pages and documents only name things relative to themselves."""

from __future__ import annotations

import shutil
import zipfile
import zlib

from helpers import CORPUS, EXAMPLES, corpus_files, run_epdoc


def _texts(path):
    """The bytes a reader of `path` could see: the file, each zip member, each deflated
    stream of a PDF."""
    data = path.read_bytes()
    yield data
    if zipfile.is_zipfile(path):
        with zipfile.ZipFile(path) as z:
            for name in z.namelist():
                yield z.read(name)
    if data.startswith(b"%PDF"):
        for chunk in data.split(b"stream")[1:]:
            body = chunk.lstrip(b"\r\n").split(b"endstream")[0]
            try:
                yield zlib.decompress(body)
            except zlib.error:
                continue


def test_the_output_folder_names_no_path_of_this_machine(tmp_path):
    work = tmp_path / "work-dir-xyzzy"
    src = work / "proposals"
    shutil.copytree(EXAMPLES, src)
    for f in corpus_files()[:2]:
        shutil.copy(f, src / f.name)
    if (CORPUS / "images").is_dir():
        shutil.copytree(CORPUS / "images", src / "images", dirs_exist_ok=True)
    proc = run_epdoc("build", "proposals", "-o", "build", cwd=work,
                     env={"EPDOC_CACHE": str(tmp_path / "user")})
    assert proc.returncode == 0, proc.stderr
    again = run_epdoc("build", "proposals", "-o", "build", cwd=work,
                      env={"EPDOC_CACHE": str(tmp_path / "user")})
    assert "up to date" in again.stdout + again.stderr or again.returncode == 0
    files = [p for p in (work / "build").rglob("*") if p.is_file()]
    assert any(p.name == ".epdoc-pictures.json" for p in files)
    assert any("entries" in p.parts for p in files)  # the cache's records are looked at too
    leaks = []
    for path in files:
        for text in _texts(path):
            if str(work).encode() in text or str(tmp_path).encode() in text:
                leaks.append(str(path.relative_to(work)))
                break
    assert not leaks, leaks
