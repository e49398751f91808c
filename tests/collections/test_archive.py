"""`epdoc archive`: PDF/A with the source attached, self-contained HTML, DOCX, source and
manifest per version; append-only; reproducible; `verify` finds any change."""

import fcntl
import hashlib
import json
import os
import re
import shutil
import subprocess
from types import SimpleNamespace

import pypdf
import pytest
import weasyprint
from lxml import html as lxml_html

from helpers import CORPUS, EXAMPLES, expected_record, run_epdoc
from helpers.pdf import font_dicts

EPOCH = "1700000000"  # 2023-11-14T22:13:20Z
ENV = {"SOURCE_DATE_EPOCH": EPOCH}
EP001 = "EP-001-redfish-support"
EP003 = "EP-003-GPU-Power-Monitoring"
IMAGES = ["images/ep-003-gpu-idle-power.png", "images/ep-003-gpu-node-power.png",
          "images/ep-003-per-process-gpu-power.png"]


def git(repo, *args):
    return subprocess.run(["git", "-C", str(repo), "-c", "user.name=epdoc tests",
                           "-c", "user.email=tests@example.org", *args],
                          capture_output=True, text=True, check=True).stdout.strip()


def snapshot(root):
    return {p.relative_to(root).as_posix(): [hashlib.sha256(p.read_bytes()).hexdigest(),
                                             p.stat().st_mtime_ns]
            for p in sorted(root.rglob("*")) if p.is_file()}


def shared(tmp_path_factory, name, build):
    """A folder built once for the whole run, even when pytest-xdist workers share it."""
    base = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        base = base.parent
    root = base / name
    with open(base / f"{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (root / ".built").exists():
            shutil.rmtree(root, ignore_errors=True)
            root.mkdir()
            build(root)
            (root / ".built").touch()
    return root


def _build(root):
    """A git repository with two proposals (one Implemented, one Draft with three images)
    and one without a status; archived with the default statuses, then Draft, then again."""
    src = root / "repo"
    src.mkdir()
    for name in (f"{EP001}.md", f"{EP003}.md", "platform-validation.md"):
        shutil.copy(CORPUS / name, src / name)
    shutil.copytree(CORPUS / "images", src / "images")
    git(src, "init", "-q")
    git(src, "add", ".")
    git(src, "commit", "-q", "-m", "proposals")
    archive = root / "A"
    # run from the repository, as a maintainer does: git is asked about it and no other
    runs = {"default": run_epdoc("archive", src, "--into", archive, env=ENV, cwd=src),
            "draft": run_epdoc("archive", src, "--into", archive, "--status", "Draft", env=ENV,
                               cwd=src)}
    (root / "before.json").write_text(json.dumps(snapshot(archive)))
    runs["again"] = run_epdoc("archive", src, "--into", archive, "--status",
                              "Implemented,Draft", env=ENV, cwd=src)
    (root / "runs.json").write_text(json.dumps(
        {k: {"returncode": r.returncode, "stdout": r.stdout, "stderr": r.stderr}
         for k, r in runs.items()}))


@pytest.fixture(scope="module")
def built(tmp_path_factory, corpus):
    return shared(tmp_path_factory, "archive-tests", _build)


@pytest.fixture(scope="module")
def repo(built):
    return built / "repo"


@pytest.fixture(scope="module")
def archived(built):
    runs = {k: SimpleNamespace(**v)
            for k, v in json.loads((built / "runs.json").read_text()).items()}
    return built / "A", runs, json.loads((built / "before.json").read_text())


def version(root, key):
    dirs = sorted(p for p in (root / key).iterdir() if p.is_dir())
    assert len(dirs) == 1, dirs
    return dirs[0]


def test_default_statuses_then_draft(archived):
    root, runs, _ = archived
    assert runs["default"].returncode == 0, runs["default"].stderr
    out = runs["default"].stdout
    assert "archived EP-001" in out and "skipped EP-003" in out and "status Draft" in out
    assert "1 archived, 0 unchanged, 2 skipped, 0 failed" in out
    assert runs["draft"].returncode == 0, runs["draft"].stderr
    assert "archived EP-003" in runs["draft"].stdout
    assert sorted(p.name for p in root.iterdir()) == \
        ["EP-001", "EP-003", "SHA256SUMS", "index.html", "index.json"]
    assert version(root, "EP-001").name == "2025-09-03"  # updated
    assert version(root, "EP-003").name == "2025-12-10"  # created (no updated)


def test_version_holds_outputs_sources_and_manifest(archived):
    root, _, _ = archived
    v = version(root, "EP-003")
    files = sorted(p.relative_to(v).as_posix() for p in v.rglob("*") if p.is_file())
    assert files == sorted([f"{EP003}.pdf", f"{EP003}.html", f"{EP003}.docx", "manifest.json",
                            f"source/{EP003}.md", *(f"source/{i}" for i in IMAGES)])
    for rel in files:
        assert (v / rel).stat().st_mode & 0o777 == 0o444, rel
    assert (v / f"source/{EP003}.md").read_bytes() == (CORPUS / f"{EP003}.md").read_bytes()


def test_manifest(archived, repo):
    root, _, _ = archived
    v = version(root, "EP-003")
    m = json.loads((v / "manifest.json").read_text())
    for key, value in expected_record(CORPUS / f"{EP003}.md").items():
        assert m["record"][key] == value, key
    listed = {f["path"]: f for f in m["files"]}
    on_disk = {p.relative_to(v).as_posix() for p in v.rglob("*") if p.is_file()}
    assert set(listed) == on_disk - {"manifest.json"}
    for rel, f in listed.items():
        data = (v / rel).read_bytes()
        assert f["size"] == len(data)
        assert f["sha256"] == hashlib.sha256(data).hexdigest()
    assert {"epdoc", "pandoc", "weasyprint"} <= set(m["tools"])
    assert all(m["tools"][k] for k in ("epdoc", "pandoc", "weasyprint"))
    assert m["tools"]["weasyprint"] == weasyprint.__version__
    git_info = m["source"]["git"]
    assert git_info["commit"] == git(repo, "rev-parse", "HEAD")
    assert git_info["path"] == f"{EP003}.md"
    assert git_info["modified"] is False
    assert m["source_date_epoch"] == int(EPOCH)
    assert m["pdf_variant"] == "pdf/a-3b"


def _pdf(root, key="EP-003", stem=EP003):
    return pypdf.PdfReader(str(version(root, key) / f"{stem}.pdf"))


def test_pdf_is_pdfa_3b(archived):
    reader = _pdf(archived[0])
    catalog = reader.trailer["/Root"]
    xmp = catalog["/Metadata"].get_object().get_data().decode("utf-8")
    assert re.search(r'pdfaid:part(="|>)3', xmp), xmp
    assert re.search(r'pdfaid:conformance(="|>)B', xmp), xmp
    intents = catalog["/OutputIntents"]
    assert intents[0].get_object()["/S"] == "/GTS_PDFA1"
    assert reader.trailer["/ID"], "PDF/A needs a file identifier"


def _fonts(reader):
    """The top-level font dictionaries (not the CID descendants)."""
    return [f for f in font_dicts(reader)
            if f.get("/Subtype") not in ("/CIDFontType2", "/CIDFontType0")]


@pytest.mark.parametrize(("key", "stem"), [("EP-003", EP003), ("EP-001", EP001)])
def test_pdf_embeds_every_font(archived, key, stem):
    fonts = _fonts(_pdf(archived[0], key, stem))  # EP-001: diagrams and an emoji too
    assert len(fonts) >= 4
    for font in fonts:
        if font["/Subtype"] == "/Type3":
            continue  # glyphs drawn by the file itself
        target = font["/DescendantFonts"][0].get_object() if font["/Subtype"] == "/Type0" \
            else font
        descriptor = target["/FontDescriptor"].get_object()
        assert any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3")), \
            font["/BaseFont"]


def test_pdf_attaches_the_source_byte_for_byte(archived):
    reader = _pdf(archived[0])
    attachments = reader.attachments
    assert sorted(attachments) == sorted([f"{EP003}.md", *IMAGES])
    for name, datas in attachments.items():
        assert datas == [(CORPUS / name).read_bytes()], name
    specs = [f.get_object() for f in reader.trailer["/Root"]["/AF"]]
    assert len(specs) == len(attachments)
    for spec in specs:
        assert spec["/AFRelationship"] == "/Source"
        params = spec["/EF"]["/F"].get_object()["/Params"]
        assert params["/ModDate"] == "D:20231114221320Z"  # SOURCE_DATE_EPOCH


class Offline(weasyprint.urls.URLFetcher):
    """Serves data: URLs only; records every other URL asked for."""

    def __init__(self):
        super().__init__()
        self.data, self.refused = [], []

    def fetch(self, url, headers=None):
        if url.startswith("data:"):
            self.data.append(url[:30])
            return super().fetch(url, headers)
        self.refused.append(url)
        raise ValueError(f"offline: {url}")


@pytest.mark.parametrize(("key", "stem", "kind"), [
    ("EP-003", EP003, "data:image/png"),  # three screenshots
    ("EP-001", EP001, "data:image/svg+xml"),  # three mermaid diagrams
])
def test_html_opens_offline_alone(archived, tmp_path, key, stem, kind):
    page = version(archived[0], key) / f"{stem}.html"
    alone = tmp_path / "alone.html"
    shutil.copy(page, alone)  # no other file beside it
    tree = lxml_html.fromstring(alone.read_bytes())
    sources = tree.xpath("//img/@src")
    assert len(sources) == 3 and all(s.startswith(kind) for s in sources)
    assert not tree.xpath("//link[@href]|//script[@src]|//iframe|//object")
    fetcher = Offline()
    weasyprint.HTML(filename=str(alone), url_fetcher=fetcher).render()
    assert fetcher.refused == []
    assert sum(u.startswith(kind) for u in fetcher.data) == 3
    assert any(u.startswith("data:font/woff2") for u in fetcher.data)


def test_archiving_unchanged_content_changes_nothing(archived):
    root, runs, before = archived
    assert runs["again"].returncode == 0, runs["again"].stderr
    out = runs["again"].stdout
    assert "unchanged EP-001" in out and "unchanged EP-003" in out and "nothing to do" in out
    assert "0 archived, 2 unchanged, 1 skipped, 0 failed" in out
    assert snapshot(root) == before


def test_outputs_are_reproducible(archived, repo, tmp_path):
    """Built again elsewhere (Draft archived because epdoc.toml says so): the same bytes."""
    src = tmp_path / "src"
    shutil.copytree(repo, src, ignore=shutil.ignore_patterns(".git", EP001 + ".md"))
    (src / "epdoc.toml").write_text('[archive]\nstatuses = ["Draft", "Accepted"]\n')
    other = tmp_path / "B"
    proc = run_epdoc("archive", src, "--into", other, env=ENV)
    assert proc.returncode == 0, proc.stderr
    assert "archived EP-003" in proc.stdout
    assert f"not one of Draft, Accepted (set in {src / 'epdoc.toml'})" in proc.stdout
    a, b = version(archived[0], "EP-003"), version(other, "EP-003")
    for ext in ("pdf", "html", "docx"):
        assert (a / f"{EP003}.{ext}").read_bytes() == (b / f"{EP003}.{ext}").read_bytes(), ext


def test_verify_passes_then_finds_tampering(archived, tmp_path):
    root = archived[0]
    proc = run_epdoc("archive", "verify", root)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "verified" in proc.stdout
    copy = tmp_path / "T"
    shutil.copytree(root, copy)
    v = version(copy, "EP-001")
    pdf = v / f"{EP001}.pdf"
    os.chmod(pdf, 0o644)
    data = bytearray(pdf.read_bytes())
    data[len(data) // 2] ^= 1
    pdf.write_bytes(bytes(data))
    proc = run_epdoc("archive", "verify", copy)
    assert proc.returncode == 1
    assert proc.stdout.splitlines() == [f"changed: EP-001/{v.name}/{EP001}.pdf " + re.search(
        r"\(sha256 .*\)", proc.stdout).group(0)]
    os.chmod(v, 0o755)
    (v / f"{EP001}.docx").unlink()
    (v / "notes.txt").write_text("added later")
    lines = run_epdoc("archive", "verify", copy).stdout.splitlines()
    assert [line.split(" (")[0] for line in lines] == [
        f"appeared: EP-001/{v.name}/notes.txt",
        f"changed: EP-001/{v.name}/{EP001}.pdf",
        f"missing: EP-001/{v.name}/{EP001}.docx"]
    # a whole version slipped in, manifest and all, is no archived version
    shutil.copytree(version(copy, "EP-003"), copy / "EP-003" / "2030-01-01")
    lines = run_epdoc("archive", "verify", copy).stdout.splitlines()
    slipped = [line for line in lines if "2030-01-01" in line]
    assert len(slipped) == 8 and all(line.startswith("appeared: ") for line in slipped)


def test_new_content_on_the_same_date_gets_a_new_version(archived, repo, tmp_path):
    root = tmp_path / "A"
    shutil.copytree(archived[0], root)
    before = snapshot(root)
    sums = (root / "SHA256SUMS").read_text()
    src = tmp_path / "src"
    src.mkdir()
    text = (repo / f"{EP001}.md").read_text() + "\nOne more sentence.\n"
    (src / f"{EP001}.md").write_text(text)
    proc = run_epdoc("archive", src, "--into", root, env=ENV)
    assert proc.returncode == 0, proc.stderr
    assert "archived EP-001" in proc.stdout
    assert sorted(p.name for p in (root / "EP-001").iterdir()) == ["2025-09-03", "2025-09-03.2"]
    after = snapshot(root)
    for rel, value in before.items():
        if rel not in ("index.html", "index.json", "SHA256SUMS"):
            assert after[rel] == value, rel  # nothing archived before was touched
    assert (root / "SHA256SUMS").read_text().startswith(sums)  # appended to
    assert run_epdoc("archive", "verify", root).returncode == 0
    index = json.loads((root / "index.json").read_text())
    ep1 = next(p for p in index["proposals"] if p["key"] == "EP-001")
    assert [v["version"] for v in ep1["versions"]] == ["2025-09-03", "2025-09-03.2"]


def test_archive_index_links_every_version(archived):
    root = archived[0]
    index = json.loads((root / "index.json").read_text())
    assert [p["id"] for p in index["proposals"]] == ["EP-001", "EP-003"]
    links = []
    for p in index["proposals"]:
        for v in p["versions"]:
            assert set(v["files"]) == {"pdf", "html", "docx", "source", "manifest"}
            links += v["files"].values()
    tree = lxml_html.fromstring((root / "index.html").read_bytes())
    hrefs = [h for h in tree.xpath("//a/@href") if not h.startswith("#")]
    assert set(links) <= set(hrefs)
    for href in hrefs:
        assert (root / href).exists(), href
    text = tree.text_content()
    assert "Redfish Power Monitoring Support" in text and "GPU Power Monitoring" in text


def test_bad_configuration_is_a_usage_error(tmp_path):
    (tmp_path / "epdoc.toml").write_text('[archive]\nstatus = ["Draft"]\n')
    shutil.copy(EXAMPLES / "EP-010-offline-archive-format.md", tmp_path)
    proc = run_epdoc("archive", tmp_path, "--into", tmp_path / "A")
    assert proc.returncode == 2
    assert "epdoc.toml" in proc.stderr and "unknown archive setting 'status'" in proc.stderr
    assert not (tmp_path / "A").exists()


def test_usage_errors_exit_2(tmp_path):
    assert run_epdoc("archive", "verify").returncode == 2
    assert run_epdoc("archive", "verify", tmp_path / "nowhere").returncode == 2
    assert run_epdoc("archive", CORPUS / f"{EP001}.md").returncode == 2  # no --into
    proc = run_epdoc("archive", "verify", tmp_path)  # a folder that is no archive
    assert proc.returncode == 1 and "not an epdoc archive" in proc.stderr
