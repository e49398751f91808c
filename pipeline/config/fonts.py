"""What a font file says about itself."""

from __future__ import annotations

import functools
from pathlib import Path


@functools.cache
def family_name(path: Path) -> str:
    """The family name inside a font file (what Word shows)."""
    from fontTools.ttLib import TTFont  # only when asked: lint never needs it

    name = TTFont(str(path), lazy=True)["name"]
    return name.getDebugName(16) or name.getDebugName(1)


EM = 1000  # the units of outline(): 1000 to the em


@functools.cache
def outline(text: str, paths: tuple[Path, ...], spacing: float = 0.0) -> tuple[str, float, float]:
    """`text` drawn as SVG path data, each character from the first font of `paths` that
    has it (the first font's box where none has it), in units of EM to the em, the
    baseline at y=0 and y pointing down as in SVG: (path data, advance, the y of the ink's
    middle). `spacing` (in em) goes between characters. For pictures that cannot use the
    page's fonts (an SVG used as an image, as a CSS background, loads no @font-face)."""
    from fontTools.pens.boundsPen import BoundsPen
    from fontTools.pens.svgPathPen import SVGPathPen
    from fontTools.pens.transformPen import TransformPen
    from fontTools.ttLib import TTFont

    fonts = [TTFont(str(p), lazy=True) for p in paths]
    cmaps = [f.getBestCmap() for f in fonts]
    parts, x, top, bottom = [], 0.0, 0.0, 0.0
    for i, ch in enumerate(text):
        k = next((k for k, cmap in enumerate(cmaps) if ord(ch) in cmap), 0)
        glyphs, scale = fonts[k].getGlyphSet(), EM / fonts[k]["head"].unitsPerEm
        glyph = glyphs[cmaps[k].get(ord(ch), ".notdef")]
        move = (scale, 0, 0, -scale, x, 0)
        pen = SVGPathPen(glyphs, ntos=lambda n: f"{n:.1f}".rstrip("0").rstrip("."))
        bounds = BoundsPen(glyphs)
        glyph.draw(TransformPen(pen, move))
        glyph.draw(TransformPen(bounds, move))
        if bounds.bounds:
            top, bottom = min(top, bounds.bounds[1]), max(bottom, bounds.bounds[3])
        parts.append(pen.getCommands())
        x += glyph.width * scale + (spacing * EM if i < len(text) - 1 else 0)
    return " ".join(p for p in parts if p), x, (top + bottom) / 2


def _ranges(codes: set[int]) -> list[list[int]]:
    out: list[list[int]] = []
    for c in sorted(codes):
        if out and c == out[-1][1] + 1:
            out[-1][1] = c
        else:
            out.append([c, c])
    return out


def _read_coverage(paths) -> list[list[int]]:
    from fontTools.ttLib import TTFont

    codes: set[int] = set()
    for path in paths:
        codes |= set(TTFont(path, lazy=True).getBestCmap())
    return _ranges(codes)


@functools.cache
def _coverage(key: tuple) -> frozenset[int]:
    from epdoc.pipeline.core import memo

    ranges = memo.remembered(f"glyphs-{memo.name_for(key)}.json", key,
                             lambda: _read_coverage([p for p, _s, _m in key]))
    return frozenset(c for a, b in ranges for c in range(a, b + 1))


def coverage(paths) -> frozenset[int]:
    """Every character some font in `paths` has a glyph for (remembered per font set)."""
    from epdoc.pipeline.core.memo import stamp

    return _coverage(tuple(tuple(stamp(p)) for p in sorted({Path(p) for p in paths})))


def _read_advances(path: str) -> dict[str, float]:
    from fontTools.ttLib import TTFont

    font = TTFont(path, lazy=True)
    per_em = font["head"].unitsPerEm
    metrics = font["hmtx"].metrics
    return {str(code): metrics[name][0] / per_em for code, name in font.getBestCmap().items()}


@functools.cache
def _advances(key: tuple) -> dict[int, float]:
    from epdoc.pipeline.core import memo

    found = memo.remembered(f"advances-{memo.name_for(key)}.json", key,
                            lambda: _read_advances(key[0]))
    return {int(c): w for c, w in found.items()}


def advances(path) -> dict[int, float]:
    """Each character's advance in ems in the font at `path` (remembered per font file:
    reading a font's metrics is most of what a quick lint would spend)."""
    from epdoc.pipeline.core.memo import stamp

    return _advances(tuple(stamp(path)))
