"""The theme in styles/: tokens, the CSS generated from them, and the DOCX reference."""

from __future__ import annotations

import functools
import hashlib
import tomllib
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

WEIGHTS = {"regular": ("normal", "normal"), "bold": ("bold", "normal"),
           "italic": ("normal", "italic"), "bolditalic": ("bold", "italic")}


def styles_dir() -> Path:
    return Path(str(resources.files("epdoc.styles")))


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
        h = hashlib.sha256()
        for f in sorted(self.root.rglob("*")):
            if f.is_file() and "__pycache__" not in f.parts:
                h.update(str(f.relative_to(self.root)).encode())
                h.update(f.read_bytes())
        return h.hexdigest()[:16]

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

    def font_files(self, family: str) -> dict[str, Path]:
        faces = self.tokens["fonts"]["faces"].get(family, {})
        return {k: self.fonts_dir / v for k, v in faces.items()}

    def css_variables(self) -> str:
        lines = [":root {"]
        for name, value in self.tokens["colors"].items():
            lines.append(f"  --color-{name}: {value};")
        for name, value in self.tokens["sizes"].items():
            unit = "" if name == "line-height" else "pt"
            lines.append(f"  --size-{name}: {value}{unit};")
        lines.append(f"  --font-body: \"{self.body_font}\", sans-serif;")
        lines.append(f"  --font-mono: \"{self.mono_font}\", monospace;")
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

    def page_css(self) -> str:
        p = self.tokens["page"]
        return (
            f"@page {{ size: {p['size']}; margin: {p['margin-top']} {p['margin-right']} "
            f"{p['margin-bottom']} {p['margin-left']}; }}\n"
        )

    def css(self, name: str) -> str:
        return (self.root / name).read_text(encoding="utf-8")


def load(root: Path | None = None) -> Theme:
    root = Path(root) if root else styles_dir()
    return _load(root.resolve())


@functools.cache
def _load(root: Path) -> Theme:
    with open(root / "theme.toml", "rb") as f:
        tokens = tomllib.load(f)
    return Theme(root, tokens)
