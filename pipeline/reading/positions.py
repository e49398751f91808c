"""Source positions from pandoc's `sourcepos`, moved out of the AST into a side table."""

from __future__ import annotations

import re

import panflute as pf

# the first range: a block split over lines (a list item) has "3:3-4:1;4:3-5:1"
POS_RE = re.compile(r"(\d+):(\d+)-\d+:\d+")


def _pos(attrs) -> tuple[int, int] | None:
    for key, value in attrs:
        if key == "data-pos":
            m = POS_RE.search(value)
            if m:
                return int(m.group(1)), int(m.group(2))
    return None


def _flatten_inlines(node):
    """Remove sourcepos wrapper Spans (one per inline) from raw JSON, in place."""
    if isinstance(node, dict):
        for v in node.values():
            if isinstance(v, (list, dict)):
                _flatten_inlines(v)
    elif isinstance(node, list):
        i = 0
        while i < len(node):
            item = node[i]
            if (isinstance(item, dict) and item.get("t") == "Span"
                    and ["wrapper", "1"] in item["c"][0][2]
                    and not item["c"][0][0] and not item["c"][0][1]
                    and not _math(item["c"][1])):
                node[i:i + 1] = item["c"][1]
                continue
            if isinstance(item, (list, dict)):
                _flatten_inlines(item)
            if (i and isinstance(item, dict) and item.get("t") == "Str"
                    and isinstance(node[i - 1], dict) and node[i - 1].get("t") == "Str"):
                node[i - 1] = {"t": "Str", "c": node[i - 1]["c"] + item["c"]}
                del node[i]
                continue
            i += 1


def _math(inlines) -> bool:
    """A formula keeps its wrapper (and so its own line: collect() unwraps it)."""
    return len(inlines) == 1 and isinstance(inlines[0], dict) and inlines[0].get("t") == "Math"


def prepare_json(ast: dict) -> dict:
    _flatten_inlines(ast["blocks"])
    return ast


def collect(doc: pf.Doc) -> dict[int, tuple[int, int]]:
    """Record positions by element id, unwrap wrapper Divs (and the Spans formulas keep),
    drop data-pos attributes."""
    positions: dict[int, tuple[int, int]] = {}

    def action(elem, doc):
        attrs = getattr(elem, "attributes", None)
        if attrs is None or "data-pos" not in attrs:
            return None
        pos = _pos([("data-pos", attrs["data-pos"])])
        del attrs["data-pos"]
        if isinstance(elem, (pf.Div, pf.Span)) and attrs.get("wrapper") == "1" \
                and not elem.identifier and not elem.classes:
            for child in elem.content:
                if pos and id(child) not in positions:
                    positions[id(child)] = pos
            return list(elem.content)
        if pos:
            positions[id(elem)] = pos
        return None

    doc.walk(action)
    return positions
