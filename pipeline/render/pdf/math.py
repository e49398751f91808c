"""Formulas in the PDF: WeasyPrint cannot lay out MathML, so each is drawn as vector SVG
(pipeline/math/draw.py, cached) and shown as a picture sized in em, so it follows the text
around it: inline ones sit on the baseline, display ones are centered on a line of their
own. One Typst cannot draw keeps its source as code, with a warning at its line."""

from __future__ import annotations

import panflute as pf

from epdoc.pipeline.math import draw, tex
from epdoc.pipeline.safety import svg as svgsafe

CODE = "math-invalid"


def _em(pt: float) -> str:
    return f"{pt / draw.SIZE_PT:.4f}em"


def place_all(doc, document, theme, options) -> None:
    ctx = document.context
    found = []
    doc.walk(lambda e, _d: found.append(tex.Formula(e.text, e.format == "DisplayMath"))
             if isinstance(e, pf.Math) else None)
    if not found:
        return
    typst = tex.translate(found, ctx.source, options.pandoc_limits)
    reported = set()

    def act(elem, _doc):
        if not isinstance(elem, pf.Math):
            return None
        formula = tex.Formula(elem.text, elem.format == "DisplayMath")
        source = typst[formula].source
        drawn = draw.render(source, formula.display, theme, options) if source else None
        if drawn is None or not drawn.ok:
            error = drawn.error if drawn is not None else typst[formula].error
            line = ctx.where(elem)[0]
            if (line, error) not in reported:  # the filter reported what does not parse
                reported.add((line, error))
                if drawn is not None:
                    ctx.report("warning", CODE, f"formula `{elem.text.strip()[:60]}` not "
                               f"drawn in the PDF ({error}): its source is shown as code",
                               line=line)
            return pf.Code(elem.text.strip(), classes=["latex"])
        style = f"width:{_em(drawn.width)}"
        if not formula.display:
            style += f";vertical-align:{_em(-drawn.depth)}"
        img = pf.Image(pf.Str(" ".join(elem.text.split())), url=svgsafe.data_url(drawn.svg),
                       attributes={"style": style})
        kind = "display" if formula.display else "inline"
        return pf.Span(img, classes=["math", kind])

    doc.walk(act)
