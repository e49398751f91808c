"""Diagrams on paper (pipeline/diagrams/readable.py): a `wide` diagram goes on a page of its
own (upright or landscape), or in parts at the smallest readable size, so that no label is
printed below the theme's `diagram-min`."""

from __future__ import annotations

import panflute as pf

from epdoc.pipeline.diagrams import readable
from epdoc.pipeline.safety import svg as svgsafe

PAGE_CLASSES = {"page": "own-page", "landscape": "landscape-page"}


def _image(div) -> pf.Image | None:
    found = []
    div.walk(lambda e, _d: found.append(e) if isinstance(e, pf.Image) else None)
    return found[0] if found else None


def _parts(div, img, svg: str, scale: float, plan) -> pf.Div:
    alt = pf.stringify(img)
    n = len(plan.parts)
    blocks = []
    for i, part in enumerate(plan.parts, 1):
        url = svgsafe.data_url(readable.crop(svg, part, scale * plan.scale))
        picture = pf.Image(pf.Str(f"{alt}, part {i} of {n}"), url=url)
        label = pf.Para(pf.Str(f"Part {i} of {n}"))
        blocks.append(pf.Div(pf.Para(picture), label, classes=["diagram-part"]))
    return pf.Div(*blocks, classes=["diagram", "diagram-parts"])


def place(elem, theme):
    if not (isinstance(elem, pf.Div) and "diagram" in elem.classes and "wide" in elem.classes):
        return None
    img = _image(elem)
    data = svgsafe.decode_data_url(img.url) if img is not None else None
    elem.classes = [c for c in elem.classes if c != "wide"]
    if not data:
        return None
    svg = data.decode("utf-8")
    root = svgsafe.parse(svg)
    box = readable.viewbox(svg)
    scale = float(root.get("width")) / box[2]  # CSS px per diagram unit, labels at body size
    plan = readable.plan_for(svg, scale, theme)
    if plan.kind == "split":
        return _parts(elem, img, svg, scale, plan)
    if plan.kind in PAGE_CLASSES:
        elem.classes.append(PAGE_CLASSES[plan.kind])
    if plan.kind in PAGE_CLASSES or plan.scale > 1:  # sized by the plan, not by the CSS
        img.attributes["width"] = f"{box[2] * scale * plan.scale:.1f}px"
    return None


def place_all(doc, theme) -> None:
    doc.walk(lambda e, _d: place(e, theme))
