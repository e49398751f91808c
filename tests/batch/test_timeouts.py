"""--timeout bounds a whole proposal, its diagrams included; a diagram too large to draw is
refused before drawing, by counting its edges, with the option that raises the limit."""

from __future__ import annotations

import json
import random
import time

from epdoc.pipeline.diagrams.draw import edges

from helpers import run_epdoc


def flowchart(n_edges: int, nodes: int, seed: int = 1) -> str:
    rnd = random.Random(seed)
    lines = [f"    n{rnd.randrange(nodes)} --> n{rnd.randrange(nodes)}" for _ in range(n_edges)]
    return "graph TD\n" + "\n".join(lines)


def proposal(number: int, title: str, diagram: str | None = None) -> str:
    body = f"```mermaid\n{diagram}\n```\n" if diagram else "Text.\n"
    return (f"# EP-{number}: {title}\n\n**Status**: Draft\n**Authors**: A\n"
            f"**Created**: 2026-01-02\n\n{body}")


def test_edges_are_counted_in_every_diagram_type():
    assert edges(flowchart(40, 30)) == 40
    assert edges("graph LR\n  A -.-> B\n  B ==> C\n  C --- D\n  %% E --> F\n  D <--> E") == 4
    assert edges("sequenceDiagram\n  A->>B: hi\n  B-->>A: yo\n  A-)B: async\n  A-xB: x") == 4
    assert edges("classDiagram\n  A <|-- B\n  C *-- D\n  E o-- F\n  G ..> H") == 4
    assert edges("erDiagram\n  A ||--o{ B : has\n  B }|..|{ C : uses") == 2


def test_a_slow_diagram_counts_in_the_proposal_time(tmp_path):
    src = tmp_path / "p"
    src.mkdir()
    (src / "EP-980-slow.md").write_text(proposal(980, "Slow", flowchart(450, 300)))
    (src / "EP-982-fine.md").write_text(proposal(982, "Fine"))
    began = time.monotonic()
    proc = run_epdoc("build", src, "-o", tmp_path / "out", "--to", "html", "--timeout", "4",
                     "--report", tmp_path / "r.json", env={"EPDOC_CACHE": str(tmp_path / "c")})
    took = time.monotonic() - began
    assert proc.returncode == 1, proc.stderr
    assert took < 20, f"the build took {took:.0f} s with --timeout 4"
    report = {d["source"].rsplit("/", 1)[-1]: d for d in
              json.loads((tmp_path / "r.json").read_text())["documents"]}
    slow = report["EP-980-slow.md"]
    assert slow["status"] == "failed"
    assert "took longer than 4 s" in slow["error"] and "diagrams" in slow["error"]
    assert "--timeout" in slow["error"]
    assert slow["seconds"]["diagrams"] >= 3 and slow["seconds"]["total"] < 8
    assert report["EP-982-fine.md"]["status"] == "converted"
    assert (tmp_path / "out" / "EP-982-fine.html").is_file()
    assert not (tmp_path / "out" / "EP-980-slow.html").exists()


def test_a_huge_diagram_is_refused_before_drawing(tmp_path):
    """Under the default --timeout and a short one alike: failed at once, with the reason."""
    (tmp_path / "EP-981-huge.md").write_text(
        proposal(981, "Huge", "graph TD\n" + "\n".join(f"  a{i} --> b{i}" for i in range(3000))))
    began = time.monotonic()
    proc = run_epdoc("build", "EP-981-huge.md", "-o", "out", "--to", "html", "--timeout", "10",
                     cwd=tmp_path, env={"EPDOC_CACHE": str(tmp_path / "c")})
    assert time.monotonic() - began < 15
    assert proc.returncode == 1, proc.stderr  # a limit, like the others: the proposal fails
    line = next(x for x in proc.stderr.splitlines() if x.startswith("error: EP-981-huge.md"))
    assert "EP-981-huge.md:7:" in line  # the fence
    assert "about 3000 edges, over the diagram edge limit of 500" in line
    assert "--max-diagram-edges" in line
    assert "maxEdges" not in proc.stderr  # mermaid's own advice is not passed on
    assert not (tmp_path / "out" / "EP-981-huge.html").exists()


def test_the_edge_limit_is_an_option(tmp_path):
    (tmp_path / "EP-983-small.md").write_text(
        proposal(983, "Small", "graph TD\n  A --> B\n  B --> C\n  C --> A"))
    proc = run_epdoc("build", "EP-983-small.md", "-o", "out", "--to", "html",
                     "--max-diagram-edges", "2", cwd=tmp_path,
                     env={"EPDOC_CACHE": str(tmp_path / "c")})
    assert proc.returncode == 1, proc.stderr
    assert "about 3 edges, over the diagram edge limit of 2" in proc.stderr
    fine = run_epdoc("build", "EP-983-small.md", "-o", "out", "--to", "html",
                     "--max-diagram-edges", "3", cwd=tmp_path,
                     env={"EPDOC_CACHE": str(tmp_path / "c")})
    assert fine.returncode == 0 and "edge limit" not in fine.stderr, fine.stderr
    bad = run_epdoc("build", "EP-983-small.md", "--max-diagram-edges", "0", cwd=tmp_path)
    assert bad.returncode == 2 and "--max-diagram-edges" in bad.stderr
