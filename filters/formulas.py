#!/usr/bin/env python3
"""Formulas as GitHub writes them ($...$, $$...$$, ```math fences) stay formulas, which each
format shows its own way (MathML in HTML, drawn in the PDF, Word equations in DOCX). pandoc's
gfm reader finds them (tex_math_dollars, tex_math_gfm) by GitHub's rules, so a price in prose
("$5 and $10") stays text; so does a range ("$20-$30"), whose closing $ runs into a digit.
A formula that does not parse as TeX math keeps its source as code, with a warning naming
the file and line.
"""

import panflute as pf

from epdoc.pipeline.core import context

CODE = "math-invalid"
SHOWN = 60  # characters of a formula quoted in a warning


def _formula(elem):
    from epdoc.pipeline.math import tex  # only for a proposal with formulas: start-up stays light

    return tex.Formula(elem.text, elem.format == "DisplayMath")


def _as_written(elem, doc):
    """A ```math fence (a code block, with source positions) as a display formula; an inline
    formula whose closing $ runs into a digit as text: `$20-$30` is a price range, as in
    pandoc's own markdown."""
    if isinstance(elem, pf.CodeBlock) and elem.classes and elem.classes[0].lower() == "math":
        ctx = context.of(doc)
        math = pf.Math(elem.text, format="DisplayMath")
        ctx.positions[id(math)] = ctx.where(elem)
        return pf.Para(math)
    if isinstance(elem, pf.Math) and elem.format == "InlineMath":
        after = elem.next
        if isinstance(after, pf.Str) and after.text[:1].isdigit():
            return pf.Str(f"${elem.text}$")
    return None


def prepare(doc):
    doc.walk(_as_written)
    found = []
    doc.walk(lambda e, _d: found.append(_formula(e)) if isinstance(e, pf.Math) else None)
    ctx = context.of(doc)
    doc.formulas = {}
    if found:
        from epdoc.pipeline.math import tex  # see _formula()

        doc.formulas = tex.translate(found, ctx.source, ctx.options.pandoc_limits)


def _alone(elem) -> bool:
    """A display formula that is all its paragraph holds (a ```math fence, a $$ block)."""
    parent = elem.parent
    return isinstance(parent, pf.Para) and all(
        e is elem or isinstance(e, (pf.Space, pf.SoftBreak)) for e in parent.content)


def _report(elem, doc, error: str) -> None:
    text = " ".join(elem.text.split())
    shown = text if len(text) <= SHOWN else text[:SHOWN - 1] + "…"
    context.of(doc).report("warning", CODE, f"formula `{shown}` does not parse as TeX math "
                           f"({error}): its source is shown as code", elem)


def action(elem, doc):
    if isinstance(elem, pf.Para) and len(elem.content) >= 1:
        maths = [e for e in elem.content if isinstance(e, pf.Math)]
        if len(maths) == 1 and maths[0].format == "DisplayMath" and _alone(maths[0]):
            typst = doc.formulas.get(_formula(maths[0]))
            if typst is not None and typst.source is None:
                _report(maths[0], doc, typst.error)
                return pf.CodeBlock(maths[0].text.strip("\n"), classes=["latex"])
        return None
    if isinstance(elem, pf.Math):
        typst = doc.formulas.get(_formula(elem))
        if typst is not None and typst.source is None and not (
                elem.format == "DisplayMath" and _alone(elem)):
            _report(elem, doc, typst.error)
            return pf.Code(elem.text.strip(), classes=["latex"])
    return None


def finalize(doc):
    del doc.formulas


def main(doc=None):
    return pf.run_filter(action, prepare=prepare, finalize=finalize, doc=doc)


if __name__ == "__main__":
    main()
