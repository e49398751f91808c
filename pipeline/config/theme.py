"""The theme in styles/: tokens, the CSS generated from them, and the DOCX reference."""

from __future__ import annotations

import functools
import math
import re
from dataclasses import dataclass
from html import escape as _escape
from pathlib import Path
from urllib.parse import quote

from epdoc.pipeline.config import folders, fonts, project


def escape(text: str) -> str:
    return _escape(text, quote=False)  # as xml.sax.saxutils.escape, without its imports


WEIGHTS = {"regular": ("normal", "normal"), "bold": ("bold", "normal"),
           "italic": ("normal", "italic"), "bolditalic": ("bold", "italic")}

SPACING = 0.08  # the watermark's letter spacing, in em

# page sizes in millimetres (portrait)
PAGE_SIZES = {"a3": (297, 420), "a4": (210, 297), "a5": (148, 210),
              "letter": (215.9, 279.4), "legal": (215.9, 355.6)}
MM = {"mm": 1.0, "cm": 10.0, "in": 25.4, "pt": 25.4 / 72, "px": 25.4 / 96}


def to_mm(value) -> float:
    """A CSS length ("20mm", "1in", "72pt") in millimetres."""
    m = re.fullmatch(r"\s*([\d.]+)\s*(mm|cm|in|pt|px)\s*", str(value))
    if not m:
        raise ValueError(f"not a length: {value!r} (use mm, cm, in or pt)")
    return float(m.group(1)) * MM[m.group(2)]


def clear(color: str) -> str:
    """A translucent color that looks like `color` on white and lets what is under it
    (the watermark) show through."""
    rgb = [int(color.lstrip("#")[i:i + 2], 16) for i in (0, 2, 4)]
    alpha = max((255 - c) / 255 for c in rgb)
    if alpha == 0:
        return "rgba(255, 255, 255, 0)"
    base = [round(255 - (255 - c) / alpha) for c in rgb]
    return f"rgba({base[0]}, {base[1]}, {base[2]}, {alpha:.3f})"


def status_class(status: str | None) -> str:
    return re.sub(r"[^a-z0-9]+", "-", (status or "none").lower()).strip("-") or "none"


def styles_dir() -> Path:
    # what importlib.resources.files("epdoc.styles") gives for a package in a folder,
    # without importing importlib.resources (and zipfile)
    from epdoc import styles

    return Path(styles.__file__).parent


@dataclass(frozen=True)
class Theme:
    root: Path
    tokens: dict

    @property
    def fonts_dir(self) -> Path:
        return self.root / "fonts"

    @property
    def digest(self) -> str:
        """A hash of everything in the theme folder (tokens, CSS, templates, fonts)."""
        return folders.digest(self.root)  # remembered while no file changes

    def color(self, name: str) -> str:
        return self.tokens["colors"][name]

    def size(self, name: str) -> float:
        return float(self.tokens["sizes"][name])

    @property
    def body_font(self) -> str:
        return self.tokens["fonts"]["body"]

    @property
    def mono_font(self) -> str:
        return self.tokens["fonts"]["mono"]

    @property
    def fallback_fonts(self) -> list[str]:
        return list(self.tokens["fonts"].get("fallback", []))

    def font_files(self, family: str) -> dict[str, Path]:
        faces = self.tokens["fonts"]["faces"].get(family, {})
        return {k: self.fonts_dir / v for k, v in faces.items()}

    def all_font_files(self) -> list[Path]:
        """Every font file the theme names (body, mono and fallbacks, all faces)."""
        return [self.fonts_dir / f for faces in self.tokens["fonts"]["faces"].values()
                for f in faces.values()]

    def space(self, name: str) -> float:
        return float(self.tokens["spacing"][name])

    def css_variables(self) -> str:
        lines = [":root {"]
        for name, value in self.tokens["colors"].items():
            lines.append(f"  --color-{name}: {value};")
            if name.endswith(("background", "header")):
                lines.append(f"  --color-{name}-clear: {clear(value)};")
        for name, value in self.tokens["sizes"].items():
            unit = "" if name == "line-height" else "pt"
            lines.append(f"  --size-{name}: {value}{unit};")
        for name, value in self.tokens.get("spacing", {}).items():
            lines.append(f"  --space-{name}: {value}pt;")
        fallback = "".join(f'"{f}", ' for f in self.fallback_fonts)
        lines.append(f"  --font-body: \"{self.body_font}\", {fallback}sans-serif;")
        lines.append(f"  --font-mono: \"{self.mono_font}\", {fallback}monospace;")
        lines.append("}")
        return "\n".join(lines) + "\n"

    def font_face_css(self, url_for) -> str:
        """@font-face rules; `url_for(path)` gives the URL of a font file."""
        rules = []
        for family, faces in self.tokens["fonts"]["faces"].items():
            for face, file in faces.items():
                weight, style = WEIGHTS[face]
                rules.append(
                    f"@font-face {{ font-family: \"{family}\"; font-weight: {weight}; "
                    f"font-style: {style}; src: url(\"{url_for(self.fonts_dir / file)}\"); }}"
                )
        return "\n".join(rules) + "\n"

    def page_size(self) -> tuple[float, float]:
        """(width, height) of the page in millimetres."""
        size = str(self.tokens["page"]["size"]).strip()
        parts = size.lower().split()
        if parts and parts[0] in PAGE_SIZES:
            w, h = PAGE_SIZES[parts[0]]
            return (h, w) if "landscape" in parts[1:] else (w, h)
        if len(parts) == 2:
            return to_mm(parts[0]), to_mm(parts[1])
        raise ValueError(f"theme.toml: unknown page size {size!r}")

    def margins(self) -> dict[str, float]:
        """Page margins in millimetres: top, right, bottom, left."""
        p = self.tokens["page"]
        return {side: to_mm(p[f"margin-{side}"]) for side in ("top", "right", "bottom", "left")}

    def page_css(self) -> str:
        """@page rules: the page, its landscape twin (for diagrams too wide to read
        upright), and both again with each status watermark."""
        w, h = self.page_size()
        m = self.margins()
        rules = [f"@page {{ size: {w:g}mm {h:g}mm; margin: {m['top']:g}mm {m['right']:g}mm "
                 f"{m['bottom']:g}mm {m['left']:g}mm; }}",
                 f"@page landscape {{ size: {h:g}mm {w:g}mm; }}",
                 ".landscape-page { page: landscape; }"]
        for status in self.watermark_statuses:
            name = f"watermark-{status_class(status)}"
            rules.append(f"@page {name} {{ background: url(\"{self.watermark_uri(status)}\") "
                         "no-repeat center / 100% 100%; }")
            rules.append(f".proposal.{name} {{ page: {name}; }}")
            uri = self.watermark_uri(status, landscape=True)
            rules.append(f"@page {name}-landscape {{ size: {h:g}mm {w:g}mm; "
                         f"background: url(\"{uri}\") no-repeat center / 100% 100%; }}")
            rules.append(f".proposal.{name} .landscape-page {{ page: {name}-landscape; }}")
        return "\n".join(rules) + "\n"

    # Status: badges, banners and watermarks

    @property
    def watermark_statuses(self) -> list[str]:
        return list(self.tokens.get("status", {}).get("watermark", []))

    @property
    def banner_statuses(self) -> list[str]:
        return list(self.tokens.get("status", {}).get("banner", []))

    def watermark_for(self, status: str | None) -> str | None:
        """The watermark text for a status ("DRAFT"), or None."""
        for s in self.watermark_statuses:
            if status and s.lower() == status.lower():
                return s.upper()
        return None

    def has_banner(self, status: str | None) -> bool:
        return bool(status) and status.lower() in {s.lower() for s in self.banner_statuses}

    def status_color(self, status: str | None) -> str:
        return self.tokens["colors"].get(f"status-{status_class(status)}", self.color("accent"))

    def watermark_fonts(self) -> tuple[Path, ...]:
        """The font files the watermark is drawn from: the body's bold face, then the
        fallbacks (each character from the first that has it)."""
        body = self.font_files(self.body_font)
        files = [body.get("bold") or body.get("regular")]
        for family in self.fallback_fonts:
            faces = self.font_files(family)
            files.append(faces.get("bold") or faces.get("regular"))
        return tuple(f for f in files if f is not None)

    def watermark_svg(self, status: str, landscape: bool = False,
                      outlines: bool = False) -> str:
        """A page-sized SVG with the status written along the diagonal in the theme's bold
        body font: as text (the PDF, where WeasyPrint draws it with the theme's fonts and
        a reader can find the word), or as the glyphs' outlines (the screen: a browser draws
        an SVG used as a CSS background without the page's @font-face fonts, in a serif
        fallback). Both have the same size and place."""
        text = self.watermark_for(status) or status.upper()
        w, h = self.page_size()
        if landscape:
            w, h = h, w
        angle = math.degrees(math.atan2(h, w))
        diagonal = math.hypot(w, h)
        size = min(0.62 * diagonal / (0.68 * max(len(text), 3)), 0.3 * w)
        opacity = float(self.tokens.get("status", {}).get("watermark-opacity", 0.5))
        d, advance, middle = fonts.outline(text, self.watermark_fonts(), SPACING)
        scale = size / fonts.EM
        cx, cy = w / 2, h / 2
        baseline = cy - middle * scale  # the ink's middle on the page's middle
        turn = f"rotate({-angle:.2f} {cx:g} {cy:g})"
        paint = f'fill="{self.color("watermark")}" fill-opacity="{opacity:g}"'
        if outlines:
            drawn = (f'<path transform="{turn} translate({cx - advance * scale / 2:.2f} '
                     f'{baseline:.2f}) scale({scale:.5f})" {paint} d="{d}"/>')
        else:
            drawn = (f'<text x="{cx - advance * scale / 2:.2f}" y="{baseline:.2f}" '
                     f'transform="{turn}" font-family="{escape(self.body_font)}" '
                     f'font-weight="bold" font-size="{size:.2f}" '
                     f'letter-spacing="{size * SPACING:.2f}" {paint}>{escape(text)}</text>')
        return (f'<svg xmlns="http://www.w3.org/2000/svg" width="{w:g}mm" height="{h:g}mm" '
                f'viewBox="0 0 {w:g} {h:g}"><title>{escape(text)}</title>{drawn}</svg>')

    def watermark_uri(self, status: str, landscape: bool = False,
                      outlines: bool = False) -> str:
        return "data:image/svg+xml," + quote(self.watermark_svg(status, landscape, outlines))

    def status_css(self) -> str:
        """Badge colors per status, and the on-screen watermark (HTML)."""
        rules = []
        for name in self.tokens["colors"]:
            if name.startswith("status-"):
                rules.append(f".status-badge.{name}, .status-banner.{name} "
                             f"{{ --status-color: var(--color-{name}); }}")
        for status in self.watermark_statuses:
            name = f"watermark-{status_class(status)}"
            uri = self.watermark_uri(status, outlines=True)  # no @font-face in a background
            rules.append(f"@media screen {{ body.{name} {{ background: url(\"{uri}\") "
                         "no-repeat center / contain fixed; } }")
        return "\n".join(rules) + "\n"

    def css(self, name: str) -> str:
        return (self.root / name).read_text(encoding="utf-8")


def load(root: Path | None = None) -> Theme:
    root = Path(root) if root else styles_dir()
    return _load(root.resolve())


def _tokens(path: Path) -> dict:
    import tomllib  # only when theme.toml changed since it was remembered

    with open(path, "rb") as f:
        return tomllib.load(f)


@functools.cache
def _load(root: Path) -> Theme:
    return Theme(root, project.remembered(root / "theme.toml", _tokens))
