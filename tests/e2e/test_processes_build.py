"""Real proposals of other processes built as users build them (`epdoc build kep openshift
rust-rfc go-design -o build`), read back: every word of the body and the record in HTML, PDF
and DOCX, the process's metadata table, the DRAFT watermark on a provisional KEP only, and
a KEP's own table of contents not printed twice."""

import shutil

import docx
import pytest

from epdoc.pipeline.reading.document import load

from helpers import FIXTURES, run_epdoc
from helpers.pdf import rotated_text
from helpers.readers import docx_text, html_text, missing_words, pdf_text, squash

PROCESSES = FIXTURES / "processes"
SOURCES = [  # (folder given to build, source, output stem)
    ("kep", "kep/keps/sig-node/2727-grpc-probe/README.md", "2727-grpc-probe"),
    ("kep", "kep/keps/sig-apps/2360-optional-service-environment-variables/README.md",
     "2360-optional-service-environment-variables"),
    ("openshift", "openshift/enhancements/cluster-logging/multi-container-structured-logging.md",
     "multi-container-structured-logging"),
    ("rust-rfc", "rust-rfc/text/3501-edition-2024.md", "3501-edition-2024"),
    ("rust-rfc", "rust-rfc/text/3245-refined-impls.md", "3245-refined-impls"),
    ("go-design", "go-design/design/16704-cidr-notation-no-proxy.md",
     "16704-cidr-notation-no-proxy"),
    ("go-design", "go-design/design/44309-user-configurable-memory-target.md",
     "44309-user-configurable-memory-target"),
]
TEXT = {"html": html_text, "pdf": pdf_text, "docx": docx_text}


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    root = tmp_path_factory.mktemp("processes")
    for _, source, _stem in SOURCES:  # the chosen proposals, in their folders
        src = PROCESSES / source
        dest = root / source
        if src.name == "README.md":
            shutil.copytree(src.parent, dest.parent)
        else:
            dest.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(src, dest)
    shutil.copytree(PROCESSES / "go-design/design/44309", root / "go-design/design/44309")
    proc = run_epdoc("build", "kep", "openshift", "rust-rfc", "go-design", "-o", "build",
                     cwd=root)
    return root, root / "build", proc


def test_every_proposal_converts(built):
    _, out, proc = built
    assert proc.returncode == 0, proc.stderr
    assert f"{len(SOURCES)} converted" in proc.stdout
    for _, _, stem in SOURCES:
        for fmt in TEXT:
            assert (out / f"{stem}.{fmt}").is_file(), (stem, fmt)


@pytest.mark.parametrize("fmt", sorted(TEXT))
@pytest.mark.parametrize("source", SOURCES, ids=lambda s: s[2])
def test_every_word_and_the_record(built, source, fmt):
    root, out, _ = built
    _, path, stem = source
    text = TEXT[fmt](out / f"{stem}.{fmt}")
    assert missing_words(root / path, text) == []
    rec = load(root / path).record
    squashed = squash(text)
    for value in [rec.title, rec.id, rec.status, rec.created, rec.updated, *rec.authors]:
        if value:
            assert squash(value) in squashed, (stem, fmt, value)


def _docx_rows(path):
    return [[c.text.strip() for c in row.cells] for row in docx.Document(str(path)).tables[0].rows]


def test_kep_metadata_table_in_docx(built):
    _, out, _ = built
    rows = _docx_rows(out / "2727-grpc-probe.docx")
    assert rows[:2] == [["ID", "KEP-2727"], ["Status", "implemented"]]
    assert ["Creation date", "2020-04-04"] in rows and ["Owning SIG", "sig-node"] in rows
    assert ["Milestones", "alpha: v1.23, beta: v1.24, stable: v1.27"] in rows
    assert ["Feature gates", "GRPCContainerProbe"] in rows
    assert not any(label == "kep-number" for label, _ in rows)
    go = _docx_rows(out / "44309-user-configurable-memory-target.docx")
    assert ["Last updated", "16 February 2021 (2021-02-16)"] in go


def test_provisional_carries_the_draft_watermark_and_implemented_none(built):
    _, out, _ = built
    assert rotated_text(out / "2360-optional-service-environment-variables.pdf")
    assert all(m == "DRAFT" for m in rotated_text(
        out / "2360-optional-service-environment-variables.pdf"))
    assert not any(rotated_text(out / "2727-grpc-probe.pdf"))
    page = (out / "multi-container-structured-logging.html").read_text()
    assert "watermark-draft" in page.split("<body", 1)[1][:200]
    header = docx.Document(str(out / "2360-optional-service-environment-variables.docx"))
    xml = "".join(s.header._element.xml for s in header.sections)
    assert 'string="DRAFT"' in xml


def test_a_keps_own_table_of_contents_is_printed_once(built):
    """The KEP's `<!-- toc -->` list is gone; epdoc's contents list each heading once."""
    _, out, _ = built
    for fmt in ("html", "pdf"):
        text = TEXT[fmt](out / f"2727-grpc-probe.{fmt}")
        # the heading itself and epdoc's contents entry (and the PDF's running text): never
        # the KEP's own list on top
        count = text.count("Production Readiness Review Questionnaire")
        assert count == 2, (fmt, count)
    # the older form, a "Table of Contents" heading above the markers: its words head
    # epdoc's contents
    page = (out / "2360-optional-service-environment-variables.html").read_text()
    assert page.count("Table of Contents") == 1


def test_a_replaced_kep_has_the_superseded_banner_naming_its_successor(tmp_path):
    folder = tmp_path / "keps" / "sig-node" / "2727-grpc-probe"
    shutil.copytree(PROCESSES / "kep/keps/sig-node/2727-grpc-probe", folder)
    yaml = folder / "kep.yaml"
    yaml.write_text(yaml.read_text().replace("status: implemented", "status: replaced")
                    .replace("see-also:", 'superseded-by:\n  - "/keps/sig-node/9999-x"\nsee-also:'))
    proc = run_epdoc("build", "keps", "--to", "html", "-o", "out", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    page = (tmp_path / "out" / "2727-grpc-probe.html").read_text()
    assert '<div class="status-banner status-superseded"' in page
    assert "This proposal was replaced by /keps/sig-node/9999-x." in page
    assert "watermark-" not in page.split("<body", 1)[1][:200]
