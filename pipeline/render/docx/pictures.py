"""SVG pictures in the DOCX as Word writes them: the `a:blip` shows a PNG, and its
`asvg:svgBlip` extension the SVG, so a viewer that reads SVG draws the vector picture and any
other one the PNG. Every SVG (a proposal's own, a mermaid diagram) is framed at its own
proportions, fitted to the text area, never stretched.

- `diagrams`: mermaid diagrams as SVG pictures (pipeline/diagrams/pictures.py), marked as
  epdoc's own with their line (render/diagrams.py).
- `frame_and_fallback` (after the pictures are embedded, before pandoc): each SVG picture gets
  its frame (width and height, which pandoc writes as the extents) and its PNG, drawn from the
  checked SVG (pipeline/safety/raster.py) at `SVG_RASTER_SCALE` times its frame.
- `png_fallbacks` (the DOCX post-processor run right after the DOCX is cleaned): each SVG
  blip that pandoc wrote points at its PNG.

A diagram that cannot be placed fails the proposal, located (pipeline/safety/pictures.py); a
proposal's own SVG that cannot be drawn as a PNG keeps its SVG, with a warning at its line.
"""

from __future__ import annotations

import hashlib
import io
import math
import re
from pathlib import Path

import panflute as pf
from docx.oxml.ns import qn

from epdoc.pipeline.config import fonts, pagebox
from epdoc.pipeline.core import settings, tree
from epdoc.pipeline.diagrams import pictures as diagram_pictures
from epdoc.pipeline.render import diagrams as render_diagrams
from epdoc.pipeline.safety import docx as docxsafe
from epdoc.pipeline.safety import pictures as imagesafe
from epdoc.pipeline.safety import raster
from epdoc.pipeline.safety import svg as svgsafe

FALLBACK = "epdoc-png"  # attribute of a diagram's SVG picture: the PNG drawn of it
SVG_BLIP = "{96DAC541-7B7A-43D3-8B79-37D633B846F1}"
ASVG_NS = "http://schemas.microsoft.com/office/drawing/2016/SVG/main"
R_EMBED = qn("r:embed")
PX_PER_IN = 96.0
INCHES = {"": 1 / 96, "px": 1 / 96, "in": 1.0, "cm": 1 / 2.54, "mm": 1 / 25.4, "pt": 1 / 72,
          "pc": 1 / 6}
LENGTH = re.compile(r"^\s*([0-9]*\.?[0-9]+(?:e[+-]?\d+)?)\s*([a-z%]*)\s*$", re.I)
DEFAULT_PX = (300.0, 150.0)  # what a browser gives a picture that says no size
PRINT_HEIGHT = 0.85  # of the text area's height at most (pictures_fit_the_page)


# --- diagrams ------------------------------------------------------------------------------

def diagrams(doc, document, options) -> None:
    """Each mermaid diagram as pipeline/diagrams/pictures.py places it in a DOCX (its size,
    a landscape page, or parts), each picture as its SVG with the PNG drawn of it kept as
    the fallback, marked as epdoc's own (render/diagrams.py)."""
    render_diagrams.place(doc, document, options, with_svg)


def with_svg(rendered, source, options):
    """The diagram's DOCX block, each of its pictures (the whole diagram, or each part of a
    split one: PNGs named after the diagram) as its SVG, with that PNG kept as the
    fallback."""
    block = diagram_pictures.png_block(rendered, source, options)
    drawn = re.compile(re.escape(rendered.key) + r"(?:-part-(-?\d+)-(-?\d+)-(\d+)-(\d+))?-\d+\.png")

    def swap(el, _d):
        m = drawn.fullmatch(Path(el.url).name) if isinstance(el, pf.Image) else None
        if m:
            el.attributes[FALLBACK] = el.url
            box = [float(v) for v in m.groups()] if m.group(1) is not None else None
            el.url = svgsafe.data_url(part_of(rendered.svg, box) if box else rendered.svg)

    block.walk(swap)
    return block


def part_of(svg: str, box: list[float]) -> str:
    """The diagram showing only `box` (x, y, width, height of its viewBox)."""
    root = svgsafe.parse(svg)
    root.set("viewBox", " ".join(f"{v:g}" for v in box))
    root.set("width", f"{box[2]:g}")
    root.set("height", f"{box[3]:g}")
    return svgsafe.serialize(root)


# --- frames ----------------------------------------------------------------------------------

def length_in(value, reference_in: float | None = None) -> float | None:
    """A length in inches (px when no unit, % of `reference_in`), or None."""
    m = LENGTH.match(value or "")
    if not m:
        return None
    number, unit = float(m.group(1)), m.group(2).lower()
    if not math.isfinite(number):
        return None
    if unit == "%":
        return number / 100 * reference_in if reference_in else None
    scale = INCHES.get(unit)
    return number * scale if scale is not None and number > 0 else None


def view_box(root) -> tuple[float, float] | None:
    parts = (root.get("viewBox") or "").replace(",", " ").split()
    try:
        box = [float(v) for v in parts]
    except ValueError:
        return None
    ok = len(box) == 4 and all(math.isfinite(v) for v in box) and box[2] > 0 and box[3] > 0
    return (box[2], box[3]) if ok else None


def natural(svg: bytes) -> tuple[float, float]:
    """(width, height) in inches the SVG asks for; its proportions are its width to its
    height when it gives both, else its viewBox's, else a browser's default."""
    root = svgsafe.parse(svg)
    w, h = length_in(root.get("width")), length_in(root.get("height"))
    box = view_box(root)
    if w and h:
        return w, h
    bw, bh = box or DEFAULT_PX
    ratio = bw / bh
    if w:
        return w, w / ratio
    if h:
        return h * ratio, h
    return bw / PX_PER_IN, bh / PX_PER_IN


def frame(svg: bytes, attributes: dict, text_box: tuple[float, float]) -> tuple[float, float]:
    """(width, height) in inches of the picture on the page: the width (or height) the
    proposal gives, else the SVG's own size; at the SVG's proportions, within the text
    width and `PRINT_HEIGHT` of the text height."""
    w, h = natural(svg)
    ratio = w / h
    text_w, text_h = text_box
    asked_w = length_in(attributes.get("width"), text_w)
    asked_h = length_in(attributes.get("height"), text_h)
    if asked_w:
        w, h = asked_w, asked_w / ratio
    elif asked_h:
        w, h = asked_h * ratio, asked_h
    if w > text_w:
        w, h = text_w, text_w / ratio
    if h > text_h * PRINT_HEIGHT:
        w, h = text_h * PRINT_HEIGHT * ratio, text_h * PRINT_HEIGHT
    return max(w, 1 / PX_PER_IN), max(h, 1 / PX_PER_IN)  # a line, at the thinnest


# --- PNG fallbacks ---------------------------------------------------------------------------

def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def raster_fonts(theme) -> list[tuple[str, bool, bool, str]]:
    """The theme's font files, under their theme names and their own family names: the
    PNG draws text with the fonts the PDF uses, whatever the machine has."""
    out = []
    for family in theme.tokens["fonts"]["faces"]:
        for face, path in theme.font_files(family).items():
            if not path.is_file():
                continue
            bold, italic = "bold" in face, "italic" in face
            for name in dict.fromkeys((family, fonts.family_name(path))):
                out.append((name, bold, italic, str(path)))
    return out


def frame_and_fallback(doc, document, options, theme) -> None:
    """Each SVG picture (a checked data: URL by now): its frame as width and height, its
    PNG kept for `png_fallbacks` by the SVG's digest: the one drawn with a diagram (read
    under the picture policy), else one drawn now from the checked SVG."""
    ctx = document.context
    pngs = ctx.svg_fallbacks
    pngs.clear()
    text_box = pagebox.text_box_in(theme)
    faces = raster_fonts(theme)
    src_dir = document.source.parent.resolve()
    trusted = docxsafe.trusted_roots(theme, options)

    def fallback(elem, svg: bytes, w: float, h: float) -> bytes | None:
        drawn = elem.attributes.get(FALLBACK)
        try:
            if drawn:
                return docxsafe.picture(drawn, src_dir, trusted, options)[0].data
            scale = PX_PER_IN * settings.SVG_RASTER_SCALE
            return raster.png(svg, w * scale, h * scale, options, faces)
        except (raster.RasterError, imagesafe.Refused) as e:
            if imagesafe.own(elem.attributes):
                what = f"its PNG {drawn}" if drawn else "no PNG of it"
                raise imagesafe.cannot_place(elem.attributes, pf.stringify(elem).strip(),
                                             "DOCX", f"{what}: {e}", ctx.source) from None
            ctx.report("warning", "image-missing",
                       f"SVG picture {pf.stringify(elem).strip() or 'image'!r} has no PNG in "
                       f"the DOCX (viewers without SVG show nothing): {e}",
                       elem=elem)
            return None

    def action(elem, _doc):
        if not isinstance(elem, pf.Image) or not elem.url.startswith(svgsafe.DATA_SVG):
            return None
        svg = svgsafe.decode_data_url(elem.url)
        if svg is None:
            return None
        w, h = frame(svg, elem.attributes, text_box)
        key = digest(svg)
        if key not in pngs:
            png = fallback(elem, svg, w, h)
            if png is not None:
                pngs[key] = png
        render_diagrams.unmark(elem)
        elem.attributes.pop(FALLBACK, None)
        elem.attributes["width"] = f"{w:.4f}in"
        elem.attributes["height"] = f"{h:.4f}in"
        return None

    for image in tree.elements(doc, pf.Image):  # a listing: nothing here changes the tree
        action(image, doc)


def png_fallbacks(d, document, options) -> None:
    """Each SVG blip pandoc wrote (the SVG in its svgBlip extension, no picture of its own)
    shows the SVG's PNG, as Word writes an SVG."""
    pngs = document.context.svg_fallbacks
    part = d.part
    for ext in part.element.iter(qn("a:ext")):
        if ext.get("uri") != SVG_BLIP:
            continue
        svg_blip = ext.find(f"{{{ASVG_NS}}}svgBlip")
        blip = ext.getparent().getparent()
        if svg_blip is None or blip.tag != qn("a:blip"):
            continue
        svg_part = part.related_parts.get(svg_blip.get(R_EMBED))
        png = pngs.get(digest(svg_part.blob)) if svg_part is not None else None
        if png is not None:
            blip.set(R_EMBED, part.get_or_add_image(io.BytesIO(png))[0])
