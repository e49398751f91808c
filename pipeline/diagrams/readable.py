"""Diagrams stay readable on paper: no label smaller than the theme's `diagram-min` size.

A diagram that fits the text with readable labels is placed as it is. One that would have to
shrink further goes on an upright page of its own (a tall one), else a landscape page of its
own; one too small even there is split into parts at the smallest readable size, each no
bigger than the text area, cut where the drawing is emptiest. The HTML keeps every diagram
whole (scrollable at full size).
"""

from __future__ import annotations

import functools
import io
import re
from dataclasses import dataclass, field
from itertools import pairwise
from typing import NamedTuple

from epdoc.pipeline.config import pagebox
from epdoc.pipeline.safety import svg as svgsafe

DEFAULT_LABEL_PX = 16.0  # mermaid's base font size
RULE = re.compile(r"([^{}]+)\{([^{}]*)\}")
SIZE = re.compile(r"font-size\s*:\s*([\d.]+)\s*(px|pt)?", re.I)
CLASS = re.compile(r"\.([A-Za-z_][\w-]*)")
PT_PER_PX = 0.75
PT_PER_MM = 72 / 25.4
MIN_PT = 6.0  # when the theme has no diagram-min
PRINT_HEIGHT = 0.85  # a picture takes at most this much of the text area's height (github.css)
OWN_PAGE = 0.96  # of the text area's height, for a diagram on a page of its own
CUT_PAD = 4.0  # diagram px each part shows past its cut, so lines run on across parts
PROFILE_PX = 4000  # the drawing is looked at this wide at most to find where to cut
MAX_PARTS = 24


def _px(value: str, unit: str | None) -> float:
    return float(value) * (4 / 3 if (unit or "px").lower() == "pt" else 1.0)


def label_px(svg: str) -> float:
    """The smallest font size (diagram px) the diagram's text is drawn at."""
    root = svgsafe.parse(svg)
    classes: set[str] = set()
    tags: set[str] = set()
    sizes: list[float] = []
    styles = []
    for el in root.iter():
        if not isinstance(el.tag, str):
            continue
        name = el.tag.rsplit("}", 1)[-1]
        tags.add(name)
        classes.update((el.get("class") or "").split())
        if name == "style":
            styles.append(el.text or "")
        elif name in ("text", "tspan"):
            m = re.match(r"\s*([\d.]+)\s*(px|pt)?\s*$", el.get("font-size") or "")
            if m:
                sizes.append(_px(m.group(1), m.group(2)))
            m = SIZE.search(el.get("style") or "")
            if m:
                sizes.append(_px(m.group(1), m.group(2)))
    if "text" not in tags:
        return DEFAULT_LABEL_PX
    for css in styles:
        for selectors, body in RULE.findall(css):
            m = SIZE.search(body)
            if not m:
                continue
            for selector in selectors.split(","):
                last = selector.strip().split()[-1] if selector.strip() else ""
                names = CLASS.findall(last)
                element = re.match(r"^([a-z]+)", last)
                if names and all(n in classes for n in names):
                    sizes.append(_px(m.group(1), m.group(2)))
                elif not names and (last.startswith("#") or (element and
                                                             element.group(1) in tags)):
                    sizes.append(_px(m.group(1), m.group(2)))
    sizes = [s for s in sizes if s > 0]
    return min(sizes) if sizes else DEFAULT_LABEL_PX


@dataclass
class Plan:
    """How a diagram goes on paper. `scale`: of its natural size (1 = labels at body size).
    `parts`: viewBox boxes (x, y, w, h) in diagram units, one picture each, when split."""
    kind: str  # "fit" (in the text), "page" (upright, of its own), "landscape" or "split"
    scale: float
    label_pt: float  # the smallest label as printed
    parts: list[tuple[float, float, float, float]] = field(default_factory=list)


class Areas(NamedTuple):
    """Where a diagram can go, (width, height) in pt: in the flow of the text (a picture's
    share of the height), on an upright page of its own, on a landscape page of its own."""
    flow: tuple[float, float]
    page: tuple[float, float]
    landscape: tuple[float, float]


def _fit(w: float, h: float, box: tuple[float, float], most: float) -> float:
    return min(most, box[0] / w, box[1] / h)


def plan(size_pt: tuple[float, float], label_pt: float, areas: Areas, min_pt: float,
         svg: str | None = None,
         viewbox: tuple[float, float, float, float] | None = None) -> Plan:
    """The plan for a diagram `size_pt` big at its natural size (labels at `label_pt`): the
    first of `areas` where its labels stay at `min_pt` or more, else parts at that size. A
    diagram whose labels are below `min_pt` even as drawn is enlarged. The parts of a split
    are found only when `svg` is given."""
    w, h = size_pt
    need = min_pt / label_pt  # the smallest readable scale
    most = max(1.0, need)
    for kind, area in zip(("fit", "page", "landscape"), areas, strict=True):
        k = _fit(w, h, area, most)
        if k >= need - 1e-6:
            return Plan(kind, k, label_pt * k)
    if viewbox is None:
        return Plan("landscape", k, label_pt * k)
    parts = split(svg, viewbox, w * need, h * need, areas.flow) if svg else []
    return Plan("split", need, min_pt, parts)


@functools.lru_cache(maxsize=8)
def _profiles(svg: str, vw: float, vh: float) -> tuple[tuple[int, ...], tuple[int, ...], float]:
    """How much ink each column and each row of the drawn diagram holds (0 blank, 255 full),
    and diagram units per profile step. Remembered: the PDF and the DOCX plan the same
    diagram."""
    from mermaidx import svg_to_png
    from PIL import Image

    width = max(1, min(PROFILE_PX, round(vw)))
    image = Image.open(io.BytesIO(svg_to_png(svg, width=width, background="#ffffff")))
    gray = image.convert("L")
    ink = gray.point(lambda v: 255 - v)
    cols = tuple(ink.resize((ink.width, 1), Image.Resampling.BOX).tobytes())
    rows = tuple(ink.resize((1, ink.height), Image.Resampling.BOX).tobytes())
    return cols, rows, vw / ink.width


def _cuts(profile, unit: float, length: float, step: float) -> list[float]:
    """Where to cut a `length`-long side into pieces of at most `step` (diagram units): at
    the emptiest line of the last half of each piece, so cuts go between shapes and labels
    rather than through them."""
    cuts, start = [], 0.0
    while length - start > step:
        lo = int((start + step / 2) / unit)
        hi = max(lo, int((start + step - CUT_PAD) / unit))
        window = [profile[min(i, len(profile) - 1)] for i in range(lo, hi + 1)]
        least = min(window)
        runs: list[tuple[int, int]] = []  # (length, centre) of the emptiest stretches
        run_start = None
        for i, ink in enumerate([*window, 256]):
            if ink <= least + 0.5 and run_start is None:
                run_start = i
            elif ink > least + 0.5 and run_start is not None:
                runs.append((i - run_start, lo + (run_start + i - 1) // 2))
                run_start = None
        best = max(runs)[1] * unit  # the widest gap, the later one of equals
        cuts.append(best)
        start = best - CUT_PAD
        if len(cuts) >= MAX_PARTS:
            break
    return cuts


def split(svg: str, viewbox, width_pt: float, height_pt: float, box: tuple[float, float]):
    """Parts of `viewbox` (drawn `width_pt` x `height_pt`), each fitting `box`, row by row,
    cut where the drawing is emptiest."""
    x0, y0, vw, vh = viewbox
    per_pt = vw / width_pt  # diagram units per printed pt
    cols, rows, unit = _profiles(svg, vw, vh)
    xs = [0.0, *_cuts(cols, unit, vw, box[0] * per_pt), vw]
    ys = [0.0, *_cuts(rows, unit, vh, box[1] * per_pt), vh]
    parts = []
    for top, bottom in pairwise(ys):
        for left, right in pairwise(xs):
            a = max(0.0, left - CUT_PAD)
            b = max(0.0, top - CUT_PAD)
            parts.append((x0 + a, y0 + b, min(vw, right + CUT_PAD) - a,
                          min(vh, bottom + CUT_PAD) - b))
    return parts[:MAX_PARTS]


def viewbox(svg: str) -> tuple[float, float, float, float]:
    root = svgsafe.parse(svg)
    box = [float(v) for v in (root.get("viewBox") or "").replace(",", " ").split()]
    if len(box) != 4:
        raise ValueError("no viewBox")
    return box[0], box[1], box[2], box[3]


TRANSFORM = re.compile(r"(translate|matrix|scale)\s*\(([^)]*)\)")
NUMBER = re.compile(r"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?")


def _matrix(text: str | None):
    """The affine matrix (a, b, c, d, e, f) of an SVG transform (translate, matrix, scale)."""
    m = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
    for kind, args in TRANSFORM.findall(text or ""):
        v = [float(n) for n in NUMBER.findall(args)]
        if kind == "translate" and v:
            t = (1.0, 0.0, 0.0, 1.0, v[0], v[1] if len(v) > 1 else 0.0)
        elif kind == "scale" and v:
            t = (v[0], 0.0, 0.0, v[1] if len(v) > 1 else v[0], 0.0, 0.0)
        elif kind == "matrix" and len(v) == 6:
            t = tuple(v)
        else:
            continue
        a, b, c, d, e, f = m
        m = (a * t[0] + c * t[1], b * t[0] + d * t[1], a * t[2] + c * t[3],
             b * t[2] + d * t[3], a * t[4] + c * t[5] + e, b * t[4] + d * t[5] + f)
    return m


def _first(el, name: str) -> float:
    for node in el.iter():
        value = NUMBER.match(node.get(name) or "")
        if value:
            return float(value.group())
    return 0.0


def _drop_text_outside(root, box) -> None:
    """Remove the text of the diagram that lies wholly outside `box` (x, y, w, h): the part
    would only clip it, and a reader's search or copy would find it on the wrong part."""
    left, top, width, height = box
    for text in list(root.iter(f"{{{svgsafe.SVG_NS}}}text")):
        a, b, c, d, e, f = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
        for node in reversed([text, *text.iterancestors()]):
            t = _matrix(node.get("transform"))
            a, b, c, d, e, f = (a * t[0] + c * t[1], b * t[0] + d * t[1], a * t[2] + c * t[3],
                                b * t[2] + d * t[3], a * t[4] + c * t[5] + e,
                                b * t[4] + d * t[5] + f)
        x, y = _first(text, "x"), _first(text, "y")
        px, py = a * x + c * y + e, b * x + d * y + f
        size = DEFAULT_LABEL_PX * max(abs(a), abs(d), 1e-6)
        chars = max((len("".join(t.itertext())) for t in [text]), default=0)
        lines = max(1, len(text.findall(f"{{{svgsafe.SVG_NS}}}tspan")))
        reach_x = 0.62 * size * chars + size
        reach_y = 1.4 * size * (lines + 1)
        if (px + reach_x < left or px - reach_x > left + width
                or py + reach_y < top or py - reach_y > top + height):
            text.getparent().remove(text)


def crop(svg: str, part: tuple[float, float, float, float], scale: float) -> str:
    """The SVG showing only `part` of its viewBox, `scale` CSS px per diagram unit, without
    the text that lies wholly outside it."""
    root = svgsafe.parse(svg)
    _drop_text_outside(root, part)
    x, y, w, h = part
    root.set("viewBox", f"{x:.2f} {y:.2f} {w:.2f} {h:.2f}")
    root.set("width", f"{w * scale:.2f}")
    root.set("height", f"{h * scale:.2f}")
    return svgsafe.serialize(root)


def areas(theme, flow_share: float = PRINT_HEIGHT) -> Areas:
    """The theme's text areas (pt): a picture's `flow_share` of the height in the text, all
    but a sliver of it on a page of its own (upright or turned)."""
    tokens = dict(theme.tokens.get("page", {}))
    w, h, m = pagebox.text_box_mm(tokens)
    page_w, page_h = pagebox.page_mm(tokens)
    land_w = page_h - m["left"] - m["right"]
    land_h = page_w - m["top"] - m["bottom"]
    return Areas((w * PT_PER_MM, h * PT_PER_MM * flow_share),
                 (w * PT_PER_MM, h * PT_PER_MM * OWN_PAGE),
                 (land_w * PT_PER_MM, land_h * PT_PER_MM * OWN_PAGE))


def min_pt(theme) -> float:
    return float(theme.tokens.get("sizes", {}).get("diagram-min", MIN_PT))


def plan_for(svg: str, scale: float, theme, flow_share: float = PRINT_HEIGHT,
             parts: bool = True) -> Plan:
    """The plan for a drawn diagram whose labels come out at body size at `scale` CSS px per
    diagram px (with the parts of a split when `parts`)."""
    box = viewbox(svg)
    size = (box[2] * scale * PT_PER_PX, box[3] * scale * PT_PER_PX)
    return plan(size, label_px(svg) * scale * PT_PER_PX, areas(theme, flow_share),
                min_pt(theme), svg if parts else None, box)
