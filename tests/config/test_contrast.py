"""The theme's colors are readable (issue 16, item 3): every text color the theme uses,
status colors and muted text included, has a WCAG AA contrast of at least 4.5:1 on each
background it is drawn on, computed from the theme's own tokens (theme.toml, the
highlighting theme, the alert colors of github.css)."""

from __future__ import annotations

import json
import re

import pytest

from epdoc.pipeline.config import theme as themes

AA = 4.5
WHITE = "#FFFFFF"


def luminance(color: str) -> float:
    """WCAG 2 relative luminance of a #RRGGBB color."""
    channels = [int(color.lstrip("#")[i:i + 2], 16) / 255 for i in (0, 2, 4)]
    r, g, b = (c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str) -> float:
    hi, lo = sorted((luminance(a), luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def test_the_contrast_formula_gives_the_known_ratios():
    assert contrast("#000000", WHITE) == pytest.approx(21.0)
    assert contrast("#777777", WHITE) == pytest.approx(4.48, abs=0.01)
    assert contrast(WHITE, WHITE) == pytest.approx(1.0)


def pairs(theme) -> list[tuple[str, str, str, str]]:
    """(what, foreground, background name, background) for each text the theme draws."""
    c = theme.tokens["colors"]
    out = []
    grounds = {"page": WHITE, "table-header": c["table-header"],
               "code-background": c["code-background"]}
    for name in ("text", "muted", "link", "heading", "accent"):
        for where, ground in grounds.items():
            out.append((name, c[name], where, ground))
    for name, value in c.items():
        if name.startswith("status-"):
            out.append((f"{name} badge (white text)", WHITE, name, value))
            out.append((f"{name} banner title", value, "banner-background",
                        c["banner-background"]))
            out.append((f"{name} text", value, "page", WHITE))
    out.append(("banner-border title", c["banner-border"], "banner-background",
                c["banner-background"]))
    out.append(("text in a banner", c["text"], "banner-background", c["banner-background"]))
    highlight = json.loads((theme.root / "highlight.theme").read_text())
    for style, spec in highlight["text-styles"].items():
        if spec.get("text-color"):
            out.append((f"code {style}", spec["text-color"], "code-background",
                        c["code-background"]))
    out.append(("code text", highlight["text-color"], "code-background", c["code-background"]))
    css = theme.css("github.css")
    for kind, color, ground in re.findall(
            r"\.alert-(\w+)\s*\{\s*--alert-color:\s*(#[0-9A-Fa-f]{6});\s*"
            r"--alert-background:\s*(#[0-9A-Fa-f]{6})", css):
        out.append((f"alert {kind} title", color, f"alert {kind}", ground))
        out.append((f"alert {kind} text", c["text"], f"alert {kind}", ground))
    return out


def test_every_text_color_of_the_theme_meets_wcag_aa():
    theme = themes.load()
    found = pairs(theme)
    assert len([p for p in found if p[0].startswith("alert")]) == 10  # the five alert kinds
    assert any(p[0] == "code Comment" for p in found)
    low = [f"{what} {fg} on {where} {bg}: {contrast(fg, bg):.2f}:1"
           for what, fg, where, bg in found if contrast(fg, bg) < AA]
    assert low == []
