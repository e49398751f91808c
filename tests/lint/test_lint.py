"""epdoc lint: the rules fire at the right source lines, on a deliberately broken fixture, on
the real corpus and on proposals the project has never seen."""

from pathlib import Path

import pytest

from epdoc.pipeline.lint import lint
from epdoc.pipeline.reading.sources import discover

from helpers import FIXTURES, corpus_files

BROKEN = FIXTURES / "lint" / "broken"
UNSEEN = FIXTURES / "lint" / "unseen"

# (line, column, code) that tests/fixtures/lint/broken/EP-012-broken-on-purpose.md must give,
# in order, and nothing else
BROKEN_EXPECTED = [
    (2, 1, "section-missing"),          # Non-Goals
    (2, 1, "section-missing"),          # Proposed Solution
    (2, 3, "id-mismatch"),              # title EP-014, file EP-012
    (2, 3, "id-duplicate"),             # EP-014-sibling.md
    (4, 13, "status-unknown"),          # Implmented
    (6, 30, "reviewer-is-author"),      # Ada Lovelace
    (7, 14, "date-invalid"),            # 2024-13-01
    (8, 19, "date-partial"),            # 2023-05
    (9, 1, "key-unknown"),              # Reviwers
    (10, 1, "key-duplicate"),           # Created again
    (14, 1, "template-instructions"),   # [Provide a concise ...]
    (16, 1, "section-empty"),           # Problem Statement
    (21, 3, "placeholder"),             # - ...
    (23, 1, "heading-skip"),            # ## then ####
    (25, 12, "placeholder"),            # [Your Name]
    (25, 29, "anchor-missing"),         # EP-014-sibling.md#design-note
    (26, 1, "link-missing"),            # ./nowhere.md
    (26, 36, "anchor-missing"),         # #goal
    (28, 1, "image-missing"),           # images/missing.png
    (30, 1, "anchor-duplicate"),        # Goals again
]

UNSEEN_EXPECTED = {
    # bullet-list metadata
    "EP-101-retention-tiers.md": [
        (3, 3, "superseded-by-missing"),
        (4, 3, "authors-missing"),      # Owner: N/A
        (5, 16, "date-future"),
        (6, 21, "date-future"),
        (6, 21, "date-order"),
        (30, 1, "heading-skip"),        # ### then #####
        (38, 1, "section-empty"),       # Rollout, at the end
    ],
    # bold-key paragraph, `**Key:**` form
    "EP-102-quota-burst.md": [
        (3, 1, "status-missing"),
        (4, 14, "date-invalid"),        # 2024-02-30
        (14, 8, "placeholder"),         # EP-XXX in prose
        (27, 5, "anchor-missing"),      # EP-101-retention-tiers.md#tiers
        (28, 1, "link-missing"),        # Ep-101-Retention-Tiers.md (case)
        (34, 25, "placeholder"),        # [Your Name] in a footnote
    ],
    # YAML front matter, KEP-style sections
    "draft-20250301-lease-renewal.md": [
        (3, 9, "status-unknown"),       # Rejectd
        (7, 6, "reviewer-is-author"),   # "@noor", the list item's line
        (9, 16, "date-invalid"),        # March 3, 2025
        (11, 1, "key-unknown"),         # see-also
        (13, 1, "key-unknown"),         # discussion
        (13, 14, "link-missing"),       # a link in the front matter
        (16, 3, "id-in-draft"),         # EP-077 in a draft-… file
    ],
}


def _triples(diags):
    return [(d.line, d.column, d.code) for d in diags]


@pytest.fixture(scope="module")
def broken():
    return lint(discover([BROKEN]))


@pytest.fixture(scope="module")
def unseen():
    return lint(discover([UNSEEN]))


@pytest.fixture(scope="module")
def corpus_report(corpus):
    return lint(discover([corpus]))


def _of(report, name):
    (path,) = [p for p in report.files if p.name == name]
    return report.diagnostics[path]


def test_broken_fixture_gives_exactly_the_expected_list(broken):
    assert _triples(_of(broken, "EP-012-broken-on-purpose.md")) == BROKEN_EXPECTED
    assert _triples(_of(broken, "EP-014-sibling.md")) == [(1, 3, "id-duplicate")]


def test_messages_name_what_to_fix(broken):
    messages = {(d.line, d.code): d.message for d in _of(broken, "EP-012-broken-on-purpose.md")}
    assert "did you mean Implemented?" in messages[(4, "status-unknown")]
    assert "did you mean Reviewers?" in messages[(9, "key-unknown")]
    assert "did you mean #design-notes?" in messages[(25, "anchor-missing")]
    assert "./nowhere.md" in messages[(26, "link-missing")]
    assert "EP-014-sibling.md" in messages[(2, "id-duplicate")]


@pytest.mark.parametrize("name", sorted(UNSEEN_EXPECTED))
def test_unseen_proposals_fire_at_the_right_lines(unseen, name):
    assert _triples(_of(unseen, name)) == UNSEEN_EXPECTED[name]


def test_every_location_points_at_what_it_names(broken, unseen):
    """Columns are right too: a value or placeholder starts at its column; a link's `[`."""
    tokens = ("[Your Name]", "EP-XXX", "2024-13-01", "2024-02-30", "Implmented", "March 3, 2025",
              "Rejectd", "2999-01-01", "./nowhere.md", "Ep-101-Retention-Tiers.md", "#tiers")
    checked = 0
    for report in (broken, unseen):
        for d in report.all():
            rest = Path(d.file).read_text().split("\n")[d.line - 1][d.column - 1:]
            for token in tokens:
                if token not in d.message or d.code == "date-order":
                    continue
                if d.code.endswith("-missing") and d.code != "status-missing":
                    assert rest.startswith("[") and token.lstrip("#") in rest, (d, rest)
                else:
                    assert rest.startswith(token), (d, rest)
                checked += 1
    assert checked >= 10


def test_corpus_templates_report_their_placeholders(corpus_report):
    for name, lines in (("EP-TEMPLATE-v1.md", {1, 4, 5, 6}),
                        ("EP-TEMPLATE.md", {1, 4, 5, 6, 7, 8, 9})):
        diags = _of(corpus_report, name)
        assert {d.code for d in diags} == {"placeholder", "template-instructions"}
        found = {d.line for d in diags if d.code == "placeholder"}
        assert lines <= found, name
        assert (1, 3) in {(d.line, d.column) for d in diags}  # EP-XXX in the title
    template = {(d.line, d.column, d.code) for d in _of(corpus_report, "EP-TEMPLATE.md")}
    assert (13, 1, "template-instructions") in template   # [Provide a concise ...]
    assert (215, 20, "placeholder") in template           # [Name of Alternative]
    assert (204, 5, "placeholder") in template            # nested "- **Mitigation**: ..."


def test_corpus_ep003_reports_the_missing_sibling(corpus_report):
    diags = _of(corpus_report, "EP-003-GPU-Power-Monitoring.md")
    assert _triples(diags) == [(317, 45, "link-missing")]
    assert "mig-power-attribution.md" in diags[0].message


def test_corpus_ep001_has_no_errors(corpus_report):
    assert _of(corpus_report, "EP-001-redfish-support.md") == []


def test_corpus_front_matter_proposal(corpus_report):
    assert _triples(_of(corpus_report, "platform-validation.md")) == [
        (2, 1, "status-missing"), (11, 1, "key-unknown")]


def test_corpus_list_is_stable(corpus_report):
    assert [p.name for p in corpus_report.files] == [p.name for p in corpus_files()]
