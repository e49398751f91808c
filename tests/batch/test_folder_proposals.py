"""A folder per proposal (issue 18, item 2): a KEP tree (keps/sig-*/NNNN-name/README.md with
kep.yaml beside it) built the way users build it, `epdoc build keps -o build`, and read
back: every KEP named by its folder, two folders called alike told apart, links between
KEPs pointing at their outputs in HTML, PDF and DOCX, pictures from the KEP's folder, the
cache (kep.yaml counts), --changed-since, shards, index, packet and archive."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import docx
import pdfplumber
import pypdf
import pytest
from lxml import html as lxml_html

from epdoc.pipeline.batch.run import duplicate_stems
from epdoc.pipeline.reading.sources import discover, output_names

from helpers import FIXTURES, run_epdoc
from helpers.readers import pdf_text

TREE = FIXTURES / "processes" / "kep-tree"
NAMES = {
    "keps/sig-node/2727-grpc-probe/README.md": "2727-grpc-probe",
    "keps/sig-node/1234-shared-name/README.md": "sig-node--1234-shared-name",
    "keps/sig-storage/1234-shared-name/README.md": "sig-storage--1234-shared-name",
    "keps/sig-storage/770-csi-skip-attach/README.md": "770-csi-skip-attach",
}
GIT_ENV = {"GIT_CONFIG_NOSYSTEM": "1", "GIT_CONFIG_GLOBAL": os.devnull}


def git(repo: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(repo), "-c", "user.name=t", "-c", "user.email=t@e.org",
                    *args], env={**os.environ, **GIT_ENV}, check=True, capture_output=True)


def build(root: Path, *args, out: str = "build"):
    proc = run_epdoc("build", "keps", "-o", out, "--to", "html,pdf,docx",
                     "--report", f"{out}/report.json", *args, cwd=root, env=GIT_ENV)
    report = json.loads((root / out / "report.json").read_text())
    return proc, {d["source"]: d for d in report["documents"]}


@pytest.fixture(scope="module")
def tree(tmp_path_factory):
    root = tmp_path_factory.mktemp("keptree")
    shutil.copytree(TREE / "keps", root / "keps")
    proc, docs = build(root)
    return root, proc, docs


def hrefs(path: Path) -> set[str]:
    page = lxml_html.fromstring(path.read_bytes())
    return {a.get("href") for a in page.iter("a") if a.get("href")
            and not a.get("href").startswith("#")}


def pdf_uris(path: Path) -> set[str]:
    out = set()
    for page in pypdf.PdfReader(str(path)).pages:
        for annot in page.get("/Annots") or []:
            action = annot.get_object().get("/A")
            if action and "/URI" in action:
                out.add(str(action["/URI"]))
    return out


def test_discovery_finds_folder_proposals_only():
    cwd = Path.cwd()
    os.chdir(TREE)
    try:
        found = [p.as_posix() for p in discover(["keps"])]
        assert sorted(found) == sorted(NAMES)  # no keps/README.md, sig README, notes.md
        assert {p.as_posix(): n for p, n in output_names(discover(["keps"])).items()} == NAMES
        # the folder of one KEP, given alone, is that KEP
        assert [p.as_posix() for p in discover(["keps/sig-node/2727-grpc-probe"])] == \
            ["keps/sig-node/2727-grpc-probe/README.md"]
    finally:
        os.chdir(cwd)


def test_ordinary_readmes_stay_skipped(tmp_path):
    (tmp_path / "docs" / "guide").mkdir(parents=True)
    (tmp_path / "docs" / "README.md").write_text("# Docs\n")
    (tmp_path / "docs" / "guide" / "README.md").write_text("# Guide\n")
    (tmp_path / "docs" / "guide" / "index.md").write_text("# Index\n")
    (tmp_path / "docs" / "EP-001-x.md").write_text("# EP-001: X\n")
    assert [p.name for p in discover([tmp_path / "docs"])] == ["EP-001-x.md"]


def test_files_called_alike_are_told_apart_by_their_folders(tmp_path):
    for rel in ("drafts/FAQ.md", "guides/faq.md", "guides/Faq.md", "EP-001-x.md"):
        (tmp_path / rel).parent.mkdir(exist_ok=True)
        (tmp_path / rel).write_text("# FAQ\n")
    found = discover([tmp_path])
    named = {p.relative_to(tmp_path).as_posix(): n for p, n in output_names(found).items()}
    assert named == {"drafts/FAQ.md": "drafts--FAQ", "guides/faq.md": "guides--faq",
                     "guides/Faq.md": "guides--Faq", "EP-001-x.md": "EP-001-x"}
    clashes = duplicate_stems(found)  # no path tells these two apart: both are errors
    assert sorted(p.name for p in clashes) == ["Faq.md", "faq.md"]


def test_every_kep_converts_named_by_its_folder(tree):
    root, proc, docs = tree
    assert proc.returncode == 0, proc.stderr
    assert sorted(docs) == sorted(NAMES)
    for source, name in NAMES.items():
        assert docs[source]["ok"], docs[source]["error"]
        assert sorted(docs[source]["outputs"]) == sorted(
            f"build/{name}.{ext}" for ext in ("html", "pdf", "docx"))
    built = sorted(p.name for p in (root / "build").iterdir() if p.suffix in (".pdf", ".html",
                                                                              ".docx"))
    assert built == sorted(f"{n}.{e}" for n in NAMES.values() for e in ("docx", "html", "pdf"))
    assert "Volume health is reported" in pdf_text(
        root / "build" / "sig-storage--1234-shared-name.pdf")
    assert "Probes behave differently" in pdf_text(
        root / "build" / "sig-node--1234-shared-name.pdf")


def test_links_between_keps_point_at_their_outputs_in_html(tree):
    root, *_ = tree
    out = root / "build"
    assert {"sig-node--1234-shared-name.html#proposal", "770-csi-skip-attach.html#summary",
            "sig-node--1234-shared-name.html"} <= hrefs(out / "2727-grpc-probe.html")
    assert "2727-grpc-probe.html#design-details" in hrefs(out / "sig-node--1234-shared-name.html")
    for page in out.glob("*.html"):  # every link to an output reaches a page and its anchor
        for href in hrefs(page):
            if href.endswith(".html") or ".html#" in href:
                target, _, anchor = href.partition("#")
                assert (out / target).is_file(), (page.name, href)
                if anchor:
                    assert lxml_html.fromstring((out / target).read_bytes()) \
                        .get_element_by_id(anchor) is not None, (page.name, href)
    assert not any("README" in h for p in out.glob("*.html") for h in hrefs(p))


def test_links_between_keps_in_pdf_and_docx(tree):
    root, *_ = tree
    out = root / "build"
    assert {"sig-node--1234-shared-name.pdf#proposal", "770-csi-skip-attach.pdf#summary",
            "sig-node--1234-shared-name.pdf"} <= pdf_uris(out / "2727-grpc-probe.pdf")
    assert "2727-grpc-probe.pdf#design-details" in pdf_uris(out / "sig-node--1234-shared-name.pdf")
    rels = {r.target_ref for r in docx.Document(str(out / "2727-grpc-probe.docx")).part.rels
            .values() if r.is_external}
    assert {"sig-node--1234-shared-name.docx#proposal", "770-csi-skip-attach.docx#summary"} \
        <= rels


def test_picture_comes_from_the_keps_folder(tree):
    root, *_ = tree
    out = root / "build"
    source = TREE / "keps/sig-node/2727-grpc-probe/images/probe-flow.png"
    page = lxml_html.fromstring((out / "2727-grpc-probe.html").read_bytes())
    srcs = [img.get("src") for img in page.iter("img") if img.get("alt") == "gRPC probe flow"]
    assert len(srcs) == 1
    assert (out / srcs[0]).read_bytes() == source.read_bytes()
    with pdfplumber.open(out / "2727-grpc-probe.pdf") as pdf:
        assert sum(len(p.images) for p in pdf.pages) >= 1
    media = [p for p in docx.Document(str(out / "2727-grpc-probe.docx")).part.package.parts
             if p.partname.startswith("/word/media/")]
    assert any(p.blob == source.read_bytes() for p in media)


def test_a_picture_of_another_keps_folder_is_refused(tree):
    root, _, docs = tree
    page = lxml_html.fromstring((root / "build" / "sig-node--1234-shared-name.html").read_bytes())
    assert not [img for img in page.iter("img") if img.get("alt") == "borrowed flow"]
    assert "borrowed flow" in page.text_content()
    found = [d for d in docs["keps/sig-node/1234-shared-name/README.md"]["diagnostics"]
             if d["code"] == "image-missing"]
    assert len(found) == 1 and found[0]["line"] == 20, found


def test_index_lists_every_kep_linked_to_its_outputs(tree):
    root, *_ = tree
    proc = run_epdoc("index", "keps", "-o", "build/index.html", cwd=root)
    assert proc.returncode == 0, proc.stderr
    links = hrefs(root / "build" / "index.html")
    for name in NAMES.values():
        assert {f"{name}.html", f"{name}.pdf", f"{name}.docx"} <= links, name
    data = json.loads(run_epdoc("index", "keps", "-o", "-", "--format", "json", cwd=root).stdout)
    listed = [p for g in data["groups"] for p in g["proposals"]]
    assert sorted(p["source"] for p in listed) == sorted(NAMES)


def test_packet_joins_links_between_keps(tree):
    root, *_ = tree
    proc = run_epdoc("packet", "keps", "-o", "packet.pdf", cwd=root)
    assert proc.returncode == 0, proc.stderr
    text = pdf_text(root / "packet.pdf")
    for words in ("natively, as it probes HTTP", "Volume health is reported",
                  "Probes behave differently", "skip the attach/detach flow"):
        assert words in text
    # links between members jump inside the packet: no link leaves it for another output
    assert not any("shared-name" in u or "2727" in u for u in pdf_uris(root / "packet.pdf"))


def test_archive_keeps_the_sidecar(tree, tmp_path):
    root, *_ = tree
    proc = run_epdoc("archive", "keps", "--into", tmp_path / "archive", "--status", "all",
                     cwd=root)
    assert proc.returncode == 0, proc.stderr + proc.stdout
    manifests = sorted((tmp_path / "archive").glob("*/*/manifest.json"))
    assert len(manifests) == len(NAMES)
    for manifest in manifests:
        data = json.loads(manifest.read_text())
        assert data["source"]["files"][:2] == ["README.md", "kep.yaml"], data["source"]
        assert (manifest.parent / "source" / "kep.yaml").is_file()
        assert data["proposal"] != "README"


def test_shards_split_the_keps(tree):
    root, *_ = tree
    seen = []
    for k in (1, 2):
        proc, docs = build(root, "--shard", f"{k}/2", "--no-cache", out=f"shard{k}")
        assert proc.returncode == 0, proc.stderr
        seen += list(docs)
    assert sorted(seen) == sorted(NAMES)


def test_cache_and_changed_since_count_kep_yaml(tree):
    root, *_ = tree
    build(root)  # (a change to epdoc's code since the first build converts them again)
    proc, docs = build(root)
    assert proc.returncode == 0, proc.stderr
    assert {d["status"] for d in docs.values()} == {"up-to-date"}
    git(root, "init", "-q")
    git(root, "add", "keps")
    git(root, "commit", "-q", "-m", "keps")
    sidecar = root / "keps/sig-node/2727-grpc-probe/kep.yaml"
    sidecar.write_text(sidecar.read_text().replace("status: implemented",
                                                   "status: implementable"))
    proc, docs = build(root, "--changed-since", "HEAD")
    assert proc.returncode == 0, proc.stderr
    assert list(docs) == ["keps/sig-node/2727-grpc-probe/README.md"]
    proc, docs = build(root)
    assert docs["keps/sig-node/2727-grpc-probe/README.md"]["status"] == "up-to-date"
    sidecar.write_text(sidecar.read_text() + "# one more line\n")
    proc, docs = build(root)
    assert proc.returncode == 0, proc.stderr
    assert {s: d["status"] for s, d in docs.items()} == {
        s: "converted" if "2727" in s else "up-to-date" for s in NAMES}
