"""Formulas drawn as SVG by Typst (the `typst` package: no browser, no TeX installation),
with the theme's fonts only, for the PDF (WeasyPrint cannot lay out MathML). Glyphs are
vector paths. Each result is cached on disk beside the diagrams (settings.diagram_cache),
keyed by the formula, the fonts and the color, so a rebuild draws nothing; failures too.
"""

from __future__ import annotations

import functools
import hashlib
import json
import re
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path

from epdoc.pipeline.config.fonts import family_name
from epdoc.pipeline.core import atomic, settings
from epdoc.pipeline.safety import svg as svgsafe

VERSION = "1"  # bump when the Typst page below or the SVG post-processing changes
SIZE_PT = 10.0  # drawn at this size; the page scales it to the text around it (em)
BASELINE = "epdoc-baseline"  # a label on an empty box at the formula's baseline
# Typst code the formula must not reach: files, packages, plugins (pandoc escapes text in
# strings, so none should appear; refused all the same)
LOADS = re.compile(r"#\s*(?:import|include)\b|\b(?:read|json|yaml|toml|csv|xml|cbor|plugin"
                   r"|image)\s*\(")
STRINGS = re.compile(r'"(?:\\.|[^"\\])*"')
_lock = threading.Lock()


@dataclass(frozen=True)
class Drawn:
    svg: str | None  # safe SVG, sized in pt
    width: float = 0.0  # pt
    height: float = 0.0  # pt
    depth: float = 0.0  # pt below the baseline (inline formulas)
    error: str | None = None

    @property
    def ok(self) -> bool:
        return self.svg is not None


@dataclass(frozen=True)
class Fonts:
    """The theme's font files, the family Typst draws math with and the one for text."""
    files: tuple[Path, ...]
    math: str | None
    text: str

    @property
    def key(self) -> str:
        h = hashlib.sha256()
        for f in self.files:
            h.update(f.name.encode())
            h.update(hashlib.sha256(f.read_bytes()).digest())
        return h.hexdigest()


def fonts_of(theme) -> Fonts:
    """The theme's fonts; math with the first one that has an OpenType MATH table (the
    theme's Noto Sans Math), else Typst's own New Computer Modern Math."""
    body = theme.font_files(theme.body_font).get("regular")
    return _fonts(tuple(f for f in theme.all_font_files() if f.is_file()), body)


@functools.cache
def _fonts(files: tuple[Path, ...], body: Path | None) -> Fonts:
    from fontTools.ttLib import TTFont

    math = next((family_name(f) for f in files if "MATH" in TTFont(str(f), lazy=True)), None)
    return Fonts(files, math, family_name(body) if body and body.is_file() else "DejaVu Sans")


@functools.cache
def _typst_fonts(fonts: Fonts):
    import typst

    return typst.Fonts(include_system_fonts=False, include_embedded_fonts=fonts.math is None,
                       font_paths=sorted({str(f.parent) for f in fonts.files}))


def page(source: str, display: bool, fonts: Fonts, color: str) -> str:
    """A Typst page exactly the size of the formula; an inline one starts with an empty box
    at its baseline, which the SVG keeps as a labelled group."""
    families = ", ".join(f'"{f}"' for f in (fonts.math or "New Computer Modern Math",
                                             fonts.text))
    head = (f'#set page(width: auto, height: auto, margin: 0pt, fill: none)\n'
            f'#set text(size: {SIZE_PT}pt, fill: rgb("{color}"), font: "{fonts.text}", '
            f'top-edge: "bounds", bottom-edge: "bounds")\n'
            f'#show math.equation: set text(font: ({families}))\n')
    if display:
        return head + source + "\n"
    return head + f"#box(width: 0pt, height: 0pt)<{BASELINE}>{source}\n"


def key_for(source: str, display: bool, fonts: Fonts, color: str) -> str:
    from importlib.metadata import version

    spec = {"v": VERSION, "typst": version("typst"), "fonts": fonts.key, "color": color,
            "display": display, "source": source}
    return hashlib.sha256(json.dumps(spec, sort_keys=True).encode("utf-8")).hexdigest()


_memory: dict[str, Drawn] = {}


def render(source: str, display: bool, theme, options=None) -> Drawn:
    """The formula (Typst math, tex.py) as safe SVG, or why it could not be drawn."""
    fonts = fonts_of(theme)
    color = theme.color("text")
    key = key_for(source, display, fonts, color)
    if key in _memory:
        return _memory[key]
    folder = settings.diagram_cache(options) / "math"
    cached = folder / f"{key}.json"
    drawn = None
    try:
        drawn = Drawn(**json.loads(cached.read_text(encoding="utf-8")))
    except (OSError, ValueError, TypeError):
        pass
    if drawn is None:
        drawn = _draw(page(source, display, fonts, color), fonts, display)
        try:
            folder.mkdir(parents=True, exist_ok=True)
            atomic.write_text(cached, json.dumps(drawn.__dict__))
        except OSError:
            pass  # not cached (read-only or full disk): drawn again next time
    _memory[key] = drawn
    return drawn


def _draw(text: str, fonts: Fonts, display: bool) -> Drawn:
    import typst

    if LOADS.search(STRINGS.sub('""', text)):
        return Drawn(None, error="the formula asks Typst to load something")
    with _lock, tempfile.TemporaryDirectory(prefix="epdoc-math-") as root:
        main = Path(root) / "formula.typ"
        main.write_text(text, encoding="utf-8")
        try:  # the folder holds nothing else: a file read finds nothing
            data = typst.Compiler(main, root=root, font_paths=_typst_fonts(fonts),
                                  ignore_system_fonts=True).compile(format="svg")
        except Exception as exc:  # noqa: BLE001 - Typst's own errors, named in the warning
            message = getattr(exc, "message", None) or str(exc)
            return Drawn(None, error=f"Typst could not draw it: {' '.join(message.split())}")
    if isinstance(data, list):
        data = data[0]
    return _measure(data, display)


def _measure(data: bytes, display: bool) -> Drawn:
    root = svgsafe.parse(data)
    base = None
    for el in root.iter(f"{{{svgsafe.SVG_NS}}}g"):
        if el.get("data-typst-label") == BASELINE:
            m = re.search(r"translate\(\s*[-\d.e]+[\s,]+([-\d.e]+)\s*\)", el.get("transform", ""))
            base = float(m.group(1)) if m else 0.0
            el.getparent().remove(el)
            break
    root = svgsafe.scrub(root)
    if svgsafe.problems(root):
        return Drawn(None, error="Typst drew SVG epdoc cannot show")
    width, height = (float(root.get(a, "0").removesuffix("pt")) for a in ("width", "height"))
    depth = 0.0 if display or base is None else max(0.0, height - base)
    return Drawn(svgsafe.serialize(root), round(width, 3), round(height, 3), round(depth, 3))
