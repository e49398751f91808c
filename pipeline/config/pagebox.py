"""The printable area of a page, from the theme's [page] tokens (size and margins)."""

from __future__ import annotations

import re

SIZES_MM = {"a3": (297, 420), "a4": (210, 297), "a5": (148, 210), "b5": (176, 250),
            "letter": (215.9, 279.4), "legal": (215.9, 355.6)}
UNIT_MM = {"mm": 1.0, "cm": 10.0, "in": 25.4, "pt": 25.4 / 72, "px": 25.4 / 96}
LENGTH = re.compile(r"^\s*([\d.]+)\s*(mm|cm|in|pt|px)\s*$")


def length_mm(value, default: float) -> float:
    m = LENGTH.match(str(value))
    return float(m.group(1)) * UNIT_MM[m.group(2)] if m else default


def page_mm(tokens: dict) -> tuple[float, float]:
    """(width, height) of the page in mm."""
    words = str(tokens.get("size", "A4")).lower().split()
    landscape = "landscape" in words
    named = [SIZES_MM[w] for w in words if w in SIZES_MM]
    lengths = [length_mm(w, 0) for w in words if LENGTH.match(w)]
    if named:
        w, h = named[0]
    elif len(lengths) == 2:
        w, h = lengths
    else:
        w, h = SIZES_MM["a4"]
    return (h, w) if landscape else (w, h)


def text_box_mm(tokens: dict) -> tuple[float, float, dict]:
    """(width, height, margins) of the area inside the margins, in mm."""
    w, h = page_mm(tokens)
    margins = {side: length_mm(tokens.get(f"margin-{side}", "20mm"), 20.0)
               for side in ("top", "right", "bottom", "left")}
    return w - margins["left"] - margins["right"], h - margins["top"] - margins["bottom"], margins


def text_box_in(theme) -> tuple[float, float]:
    w, h, _ = text_box_mm(theme.tokens.get("page", {}))
    return w / 25.4, h / 25.4
