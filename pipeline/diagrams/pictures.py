"""Mermaid fences (marked by filters/diagrams.py) as pictures: SVG for HTML and PDF, a
print-resolution PNG for DOCX, sized to the theme's text; a diagram that cannot be drawn
stays a code block, with a warning naming its line."""

from __future__ import annotations

import panflute as pf

from epdoc.pipeline.config import pagebox
from epdoc.pipeline.config import theme as themes
from epdoc.pipeline.config.fonts import family_name
from epdoc.pipeline.core.errors import LimitError
from epdoc.pipeline.diagrams import LANGS, MARK, describe, readable  # noqa: F401 - LANGS too
from epdoc.pipeline.diagrams import draw as diagrams
from epdoc.pipeline.safety import svg as svgsafe

DPI = 300
MAX_PX = 6000
DOCX_HEIGHT = 0.85  # of the text area's height: a taller picture is scaled down (docx/github.py)
LANDSCAPE_STYLE = "Diagram Landscape"
PAGE_STYLE = "Diagram Page"
OWN_PAGE_STYLES = {"page": PAGE_STYLE, "landscape": LANDSCAPE_STYLE}


def alt_text(source: str) -> str:
    """Alt text: the diagram's own title and accessible description, else a summary of its
    nodes and connections (pipeline/diagrams/describe.py)."""
    return describe.describe(source)


def _theme(options):
    return themes.load(getattr(options, "theme", None) if options else None)


def _scale(options) -> float:
    """CSS px per diagram px: mermaid's 16px labels come out at the body text size."""
    return _theme(options).size("body") / 12.0


def _families(options) -> list[str]:
    """The theme's body family first, when it is the font the diagram was measured with."""
    theme = _theme(options)
    regular = theme.font_files(theme.body_font).get("regular")
    if regular and regular.is_file() and family_name(regular) == "DejaVu Sans":
        return [theme.body_font]
    return []


def svg_block(rendered, source, options):
    """The diagram at a size where its labels match the body text. One that the page would
    shrink past the theme's smallest readable size is `wide`: the HTML shows it whole at
    that size (scrolling), the PDF on a landscape page or in parts (pipeline/render/pdf)."""
    svg = diagrams.sized(diagrams.with_fonts(rendered.svg, _families(options)), _scale(options))
    img = pf.Image(pf.Str(alt_text(source)), url=svgsafe.data_url(svg))
    kind = readable.plan_for(rendered.svg, _scale(options), _theme(options), parts=False).kind
    return pf.Div(pf.Para(img), classes=["diagram"] if kind == "fit" else ["diagram", "wide"])


def svg_with_source(rendered, source, options):
    """svg_block, with the diagram's source under it in a closed <details> (HTML): what the
    picture says stays there to read, copy and search."""
    return pf.Div(svg_block(rendered, source, options),
                  pf.RawBlock('<details class="diagram-source"><summary>Diagram source '
                              "(mermaid)</summary>", format="html"),
                  pf.CodeBlock(source.strip("\n"), classes=["mermaid"]),
                  pf.RawBlock("</details>", format="html"))


def png_block(rendered, source, options):
    """The diagram as a print-resolution PNG. One whose labels the page would shrink past
    the theme's smallest readable size goes on a page of its own, upright ("Diagram Page") or
    turned ("Diagram Landscape": pipeline/render/docx/landscape.py), or in parts."""
    w, h = rendered.size_px()
    max_w, max_h = pagebox.text_box_in(_theme(options))
    scale = _scale(options)
    plan = readable.plan_for(rendered.svg, scale, _theme(options), DOCX_HEIGHT)
    if plan.kind == "split":
        return _png_parts(rendered, source, options, plan)
    if plan.kind in OWN_PAGE_STYLES:
        width_in = w * scale * plan.scale / 96
        style = OWN_PAGE_STYLES[plan.kind]
    else:
        width_in = min(w * scale * max(1.0, plan.scale) / 96, max_w)
        if width_in * h / w > max_h * 0.9:
            width_in = max_h * 0.9 * w / h
        style = "Diagram"
    png = diagrams.png(rendered, min(MAX_PX, round(width_in * DPI)), options)
    img = pf.Image(pf.Str(alt_text(source)), url=str(png),
                   attributes={"width": f"{width_in:.2f}in"})
    return pf.Div(pf.Para(img), classes=["diagram"], attributes={"custom-style": style})


def _png_parts(rendered, source, options, plan):
    """A split diagram: each part a PNG of its own, labelled "Part i of n"."""
    alt, n = alt_text(source), len(plan.parts)
    px_per_unit = _scale(options) * plan.scale
    blocks = []
    for i, part in enumerate(plan.parts, 1):
        width_in = part[2] * px_per_unit / 96
        svg = readable.crop(rendered.svg, part, px_per_unit)
        box = "-".join(f"{v:.0f}" for v in part)
        piece = diagrams.Rendered(f"{rendered.key}-part-{box}", svg)
        png = diagrams.png(piece, min(MAX_PX, round(width_in * DPI)), options)
        blocks.append(pf.Para(pf.Image(pf.Str(f"{alt}, part {i} of {n}"), url=str(png),
                                       attributes={"width": f"{width_in:.2f}in"})))
        blocks.append(pf.Para(pf.Str(f"Part {i} of {n}")))
    return pf.Div(*blocks, classes=["diagram"], attributes={"custom-style": "Diagram"})


def convert(mark, ctx, options, build):
    code = mark.content[0]
    try:
        rendered = diagrams.render(code.text, options)
    except LimitError as e:  # a limit, like the others: the proposal fails, located
        line = mark.attributes.get("line")
        e.path, e.line = ctx.source, int(line) if line else None
        raise
    if rendered.ok:
        try:
            return build(rendered, code.text, options)
        except Exception as exc:  # noqa: BLE001 - a broken picture keeps the source shown
            error = str(exc)
    else:
        error = rendered.error
    line = mark.attributes.get("line")
    reported = ctx.diagram_failures
    if (line, error) not in reported:
        reported.add((line, error))
        ctx.report("warning", "diagram", f"mermaid diagram not drawn, its source is shown "
                   f"instead: {error}", line=int(line) if line else None)
    return code


def convert_all(doc, ctx, options, build) -> None:
    def act(elem, _doc):
        if isinstance(elem, pf.Div) and MARK in elem.classes:
            return convert(elem, ctx, options, build)
        return None

    doc.walk(act)


def as_svg(doc, document, options) -> None:
    convert_all(doc, document.context, options, svg_block)


def as_png(doc, document, options) -> None:
    convert_all(doc, document.context, options, png_block)
