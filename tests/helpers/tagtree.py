"""What a screen reader reads from a PDF: its tag tree in reading order, each element with
the text it marks (pdfplumber's structure tree and the characters' marked-content ids)."""

from __future__ import annotations

from pathlib import Path

import pdfplumber
import pytest

# pdfua 0.1.3's empty-heading rule fails on every heading whose /K is an array (it asks a
# pikepdf.Array for an attribute); tests/render/test_tagged_pdf.py checks headings itself
CHECKER_BROKEN = {"UA-14-001"}

# elements read as one line: their text, whatever tags lie inside
LEAVES = {"P", "H1", "H2", "H3", "H4", "H5", "H6", "TH", "TD", "LI", "Link", "Caption",
          "Code", "Lbl", "LBody"}


def ua_problems(path) -> list[str]:
    """What the PDF/UA-1 checker (pdfua, from PyPI) finds in a PDF: [] when it passes. A
    checker that is not installed fails the test, with the reason."""
    try:
        import pdfua
    except ImportError as exc:
        pytest.fail(f"the PDF/UA checker is not installed ({exc}): make setup installs pdfua",
                    pytrace=False)
    report = pdfua.validate(str(path))
    found = [f"{f.rule_id} {f.severity.name}: {f.message}" for f in report.findings]
    found += [f"{o.rule_id} not evaluated: {o.skipped_reason}" for o in report.skipped
              if o.rule_id not in CHECKER_BROKEN]
    return found


def _text(node, chars) -> str:
    found = [chars.get(m, "") for m in node.get("mcids", [])]
    found += [_text(c, chars) for c in node.get("children", [])]
    return " ".join(t for t in found if t.strip()).strip()


def _has_figure(node) -> bool:
    return any(c.get("type") == "Figure" or _has_figure(c) for c in node.get("children", []))


def page_elements(path: Path, page: int = 0) -> list[tuple[str, str, dict]]:
    """(structure type, text, attributes) of each element of one page, in reading order;
    an element in LEAVES is one entry (its children are not listed)."""
    with pdfplumber.open(path) as pdf:
        p = pdf.pages[page]
        chars: dict[int, str] = {}
        for c in p.chars:
            if c.get("mcid") is not None:
                chars[c["mcid"]] = chars.get(c["mcid"], "") + c["text"]
        out: list[tuple[str, str, dict]] = []

        def walk(node):
            kind = node.get("type", "")
            leaf = kind in LEAVES and not _has_figure(node)
            if leaf or kind == "Figure" or not node.get("children"):
                out.append((kind, _text(node, chars), {**node.get("attributes", {}),
                                                        **({"alt": node["alt_text"]}
                                                           if "alt_text" in node else {})}))
                return
            for child in node.get("children", []):
                walk(child)

        for root in p.structure_tree:
            walk(root)
        return out


def artifacts(path: Path, page: int = 0) -> str:
    """The text of one page marked as an artifact (not read aloud)."""
    with pdfplumber.open(path) as pdf:
        return "".join(c["text"] for c in pdf.pages[page].chars if c.get("tag") == "Artifact")


def heard(path: Path, page: int = 0) -> list[str]:
    """The lines a screen reader reads for one page: tagged elements in reading order, or
    for an untagged PDF every text on the page in drawing order (furniture included)."""
    with pdfplumber.open(path) as pdf:
        if not pdf.pages[page].structure_tree:
            return [line for line in pdf.pages[page].extract_text().splitlines() if line]
    lines = []
    for kind, text, attrs in page_elements(path, page):
        if kind == "Figure":
            lines.append(f"[Figure] {attrs.get('alt', '(no alternative text)')}")
        elif text:
            lines.append(f"[{kind}] {text}")
    return lines


if __name__ == "__main__":
    import sys

    print("\n".join(heard(Path(sys.argv[1]), int(sys.argv[2]) if len(sys.argv) > 2 else 0)))
