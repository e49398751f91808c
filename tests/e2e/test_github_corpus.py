"""The real proposals: nothing leaves the page, diagrams are drawn (not shown as source), emoji
are drawn; and every diagram type GitHub renders comes out as SVG with plain text labels."""

from __future__ import annotations

import re

import pdfplumber
import pytest
from lxml import etree

from epdoc.pipeline.config import theme as themes
from epdoc.pipeline.diagrams import draw as diagrams
from epdoc.pipeline.safety import svg as svgsafe

from helpers import FIXTURES, corpus_files, run_epdoc

PT_PER_MM = 72 / 25.4
TOLERANCE = 0.5  # points


def outside_printable_area(path) -> list[tuple]:
    """Characters (page, text, x0, x1, top, bottom) left or right of the margins or off the
    page. Running headers and footers sit in the top and bottom margins, inside the page."""
    margins = themes.load().margins()
    left, right = margins["left"] * PT_PER_MM, margins["right"] * PT_PER_MM
    bad = []
    with pdfplumber.open(path) as pdf:
        for n, page in enumerate(pdf.pages, 1):
            for c in page.chars:
                if (c["x0"] < left - TOLERANCE or c["x1"] > page.width - right + TOLERANCE
                        or c["top"] < 0 or c["bottom"] > page.height):
                    bad.append((n, c["text"], round(c["x0"], 1), round(c["x1"], 1),
                                round(c["top"], 1), round(c["bottom"], 1)))
    return bad


@pytest.mark.parametrize("path", corpus_files(), ids=lambda p: p.stem)
def test_every_character_lies_inside_the_printable_area(corpus_build, path):
    out, proc = corpus_build
    assert proc.returncode == 0, proc.stderr
    assert outside_printable_area(out / f"{path.stem}.pdf") == []


def test_fixture_pdf_keeps_long_code_tables_and_images_inside(tmp_path):
    out = tmp_path / "out"
    proc = run_epdoc("build", FIXTURES / "github" / "EP-201-github-features.md", "--to", "pdf",
                     "-o", out, env={"EPDOC_DIAGRAM_CACHE": str(tmp_path / "cache")})
    assert proc.returncode == 0, proc.stderr
    assert outside_printable_area(out / "EP-201-github-features.pdf") == []


def test_corpus_diagrams_and_emoji_are_drawn(corpus_build):
    out, _ = corpus_build
    path = out / "EP-001-redfish-support.pdf"
    with pdfplumber.open(path) as pdf:
        chars = [c for p in pdf.pages for c in p.chars]
        text = re.sub(r"\s+", " ", "\n".join(p.extract_text() or "" for p in pdf.pages))
    squashed = text.replace(" ", "")
    for label in ("Redfish Client", "Power Monitor", "Node Start", "Load BMC Config",
                  "platform_collector.go"):
        assert label.replace(" ", "") in squashed, label
    for source in ("C4Container", "Container_Boundary", "flowchart LR", "graph TD", "-->"):
        assert source not in text, source
    ticks = [c for c in chars if c["text"] == "✅"]
    assert len(ticks) == 5 and all("Emoji" in c["fontname"] for c in ticks)


# Every diagram type GitHub renders (mermaid 11), C4 included, with one label each to find.
TYPES = {
    "flowchart": ("flowchart TD\n  A[Start here] --> B{Is it?}\n  B -->|Yes| C[OK]", "Start here"),
    "sequence": ("sequenceDiagram\n  Alice->>John: Hello John\n  John-->>Alice: Great",
                 "Hello John"),
    "class": ("classDiagram\n  Animal <|-- Duck\n  class Duck{\n    +String beakColor\n  }",
              "beakColor"),
    "state": ("stateDiagram-v2\n  [*] --> Still\n  Still --> Moving: push\n  Moving --> [*]",
              "Moving"),
    "er": ("erDiagram\n  CUSTOMER ||--o{ ORDER : places", "CUSTOMER"),
    "journey": ("journey\n  title My working day\n  section Go to work\n    Make tea: 5: Me",
                "Make tea"),
    "gantt": ("gantt\n  title Release plan\n  dateFormat YYYY-MM-DD\n  section Build\n"
              "    Write code :a1, 2026-01-01, 30d", "Write code"),
    "pie": ("pie title Pets\n  \"Dogs\" : 386\n  \"Cats\" : 85", "Dogs"),
    "quadrant": ("quadrantChart\n  title Reach\n  x-axis Low --> High\n  y-axis Low --> High\n"
                 "  quadrant-1 Expand\n  Campaign A: [0.3, 0.6]", "Expand"),
    "requirement": ("requirementDiagram\n  requirement test_req {\n  id: 1\n  text: the text\n"
                    "  risk: high\n  verifymethod: test\n  }", "test_req"),
    "gitgraph": ("gitGraph\n  commit\n  branch develop\n  checkout develop\n  commit", "develop"),
    "c4": ("C4Context\n  title System Context\n  Person(a, \"Banking Customer\", \"A customer\")\n"
           "  System(b, \"Banking System\", \"Allows it\")\n  Rel(a, b, \"Uses\")",
           "Banking Customer"),
    "mindmap": ("mindmap\n  root((Central idea))\n    Origins\n    Research", "Central idea"),
    "timeline": ("timeline\n  title History\n  2002 : LinkedIn\n  2004 : Facebook", "LinkedIn"),
    "sankey": ("sankey-beta\n\nSolar,Grid,10\nGrid,Homes,8", "Solar"),
    "xychart": ("xychart-beta\n  title \"Sales Revenue\"\n  x-axis [jan, feb]\n"
                "  bar [5000, 6000]", "Sales Revenue"),
    "block": ("block-beta\n  columns 2\n  alpha beta", "alpha"),
    "packet": ("packet-beta\n  0-15: \"Source Port\"\n  16-31: \"Destination Port\"",
               "Source Port"),
    "kanban": ("kanban\n  Todo\n    [Write documentation]", "Write documentation"),
    "architecture": ("architecture-beta\n  group api(cloud)[Public API]\n"
                     "  service db(database)[Database] in api", "Public API"),
    "radar": ("radar-beta\n  axis Speed, Power, Range\n  curve c1{1,2,3}", "Speed"),
    "treemap": ("treemap-beta\n\"Section One\"\n    \"Leaf\": 12", "Section One"),
}


@pytest.fixture(scope="module")
def diagram_cache(tmp_path_factory):
    return tmp_path_factory.mktemp("diagram-types")


@pytest.mark.parametrize("kind", sorted(TYPES))
def test_every_diagram_type_renders_as_svg_with_text_labels(kind, diagram_cache, monkeypatch):
    monkeypatch.setenv("EPDOC_DIAGRAM_CACHE", str(diagram_cache))
    source, label = TYPES[kind]
    result = diagrams.render(source)
    assert result.ok, result.error
    root = svgsafe.parse(result.svg)
    assert svgsafe.problems(root) == []
    assert "foreignObject" not in result.svg
    text = re.sub(r"\s+", " ", " ".join(
        " ".join(t.itertext()) for t in root.iter("{http://www.w3.org/2000/svg}text")))
    assert label in text, text[:300]
    assert float(root.get("width")) > 0 and float(root.get("height")) > 0
    assert etree.QName(root.tag).localname == "svg"


def test_a_diagram_that_takes_too_long_is_stopped_and_remembered(tmp_path, monkeypatch):
    monkeypatch.setenv("EPDOC_DIAGRAM_CACHE", str(tmp_path))
    monkeypatch.setenv("EPDOC_DIAGRAM_TIMEOUT", "1")
    huge = "flowchart TD\n" + "\n".join(f"  N{i} --> N{i + 1}" for i in range(400))
    result = diagrams.render(huge)
    assert not result.ok and "took longer than 1 s" in result.error
    diagrams._memory.clear()
    rendered = diagrams.stats["rendered"]
    assert diagrams.render(huge).error == result.error  # remembered: not drawn again
    assert diagrams.stats["rendered"] == rendered
    monkeypatch.setenv("EPDOC_DIAGRAM_TIMEOUT", "60")
    assert diagrams.render("flowchart LR\n  A[After] --> B[Stop]").ok  # a new renderer


def test_html_labels_asked_for_by_the_author_still_come_out_as_text(tmp_path, monkeypatch):
    monkeypatch.setenv("EPDOC_DIAGRAM_CACHE", str(tmp_path))
    for source in ('%%{init: {"flowchart": {"htmlLabels": true}}}%%\n'
                   "flowchart LR\n  A[Directive label] --> B[Other]",
                   "---\nconfig:\n  htmlLabels: true\n---\n"
                   "flowchart LR\n  A[Directive label] --> B[Other]"):
        result = diagrams.render(source)
        assert result.ok and "foreignObject" not in result.svg
        root = svgsafe.parse(result.svg)
        texts = [re.sub(r"\s+", " ", " ".join(t.itertext())).strip()
                 for t in root.iter("{http://www.w3.org/2000/svg}text")]
        assert "Directive label" in texts, texts


def test_a_foreign_object_label_becomes_svg_text():
    raw = ('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 200 100"><g>'
           '<foreignObject x="10" y="20" width="180" height="40"><div '
           'xmlns="http://www.w3.org/1999/xhtml"><span>First line</span><br/>second</div>'
           "</foreignObject></g></svg>")
    root = svgsafe.parse(diagrams.normalize(raw))
    (text,) = root.iter("{http://www.w3.org/2000/svg}text")
    assert [t.text for t in text] == ["First line", "second"]
    assert (text.get("x"), text.get("y")) == ("100", "40")


def test_github_filters_work_standalone(tmp_path):
    import os
    import subprocess
    import sys

    import pypandoc

    env = dict(os.environ, EPDOC_DIAGRAM_CACHE=str(tmp_path))
    env["PATH"] = f"{os.path.dirname(sys.executable)}{os.pathsep}{env['PATH']}"
    src = FIXTURES / "github" / "EP-201-github-features.md"
    filters = [a for f in ("diagrams", "alerts", "tasks", "links")
               for a in ("-F", str(FIXTURES.parents[1] / "filters" / f"{f}.py"))]
    proc = subprocess.run([pypandoc.get_pandoc_path(), "-f", "gfm", "-t", "html", *filters,
                           str(src)], capture_output=True, text=True, env=env, timeout=300)
    assert proc.returncode == 0, proc.stderr
    html = proc.stdout
    assert html.count('src="data:image/svg+xml;base64,') == 3
    assert html.count('class="alert-title') == 5
    assert 'class="task-box checked">☑' in html and 'class="task-box open">☐' in html
    assert 'href="EP-202-linked-proposal.html#goals"' in html


def test_a_cache_that_cannot_be_written_does_not_stop_the_drawing(tmp_path, monkeypatch):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("EPDOC_DIAGRAM_CACHE", str(blocker / "cache"))
    result = diagrams.render("flowchart LR\n  A[Cacheless] --> B[Still drawn]")
    assert result.ok and "Cacheless" in result.svg
