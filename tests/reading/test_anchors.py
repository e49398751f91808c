"""Heading anchors as GitHub makes them: one `-` per space (a run of two spaces gives `--`),
punctuation dropped, code by its text, duplicates numbered; links to them are not missing."""

from __future__ import annotations

import pytest

from epdoc.pipeline.pandoc import runner as pandoc
from epdoc.pipeline.reading import anchors

from helpers import run_epdoc

# headings and the anchors GitHub gives them (github.com renders these the same)
GITHUB = [
    ("Phase 2:  Beta", "phase-2--beta"),
    ("Phase 2: Beta", "phase-2-beta"),
    ("Goals  /  Non-Goals", "goals----non-goals"),
    ("The `foo`  option", "the-foo--option"),
    ("Risks and Mitigations", "risks-and-mitigations"),
    ("What's new? (v2.0)", "whats-new-v20"),
    ("Über  Café", "über--café"),
    ("snake_case  name", "snake_case--name"),
]


def ids(markdown: str) -> list[str]:
    ast = pandoc.read_markdown(markdown, None)
    anchors.github_ids(ast)
    found: list = []
    anchors._headers(ast["blocks"], found)
    return [h["c"][1][0] for h in found]


@pytest.mark.parametrize(("heading", "anchor"), GITHUB)
def test_an_anchor_as_github_makes_it(heading, anchor):
    assert ids(f"## {heading}\n") == [anchor]


def test_duplicates_are_numbered_in_order():
    assert ids("## A  b\n\n## A  b\n\n## A b\n\n## A  b\n") == \
        ["a--b", "a--b-1", "a-b", "a--b-2"]


def test_links_to_github_anchors_resolve_in_every_format(tmp_path):
    (tmp_path / "EP-996-anchors.md").write_text(
        "# EP-996: Anchors\n\n**Status**: Draft\n\n## Phase 2:  Beta\n\n"
        "See [beta](#phase-2--beta).\n")
    lint = run_epdoc("lint", "EP-996-anchors.md", cwd=tmp_path)
    assert "anchor-missing" not in lint.stdout + lint.stderr
    run_epdoc("build", "EP-996-anchors.md", "-o", "out", "--to", "html", cwd=tmp_path)
    html = (tmp_path / "out" / "EP-996-anchors.html").read_text()
    assert 'id="phase-2--beta"' in html and 'href="#phase-2--beta"' in html
