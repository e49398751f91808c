"""Allowlist sanitizing of rendered HTML (nh3, the ammonia sanitizer)."""

from __future__ import annotations

import nh3

from epdoc.pipeline.safety import css
from epdoc.pipeline.safety import svg as svgsafe

TAGS = {
    "a", "abbr", "b", "blockquote", "br", "caption", "cite", "code", "col", "colgroup", "dd",
    "del", "details", "dfn", "div", "dl", "dt", "em", "figcaption", "figure", "h1", "h2", "h3",
    "h4", "h5", "h6", "hr", "i", "img", "ins", "kbd", "li", "mark", "nav", "ol", "p", "pre",
    "q", "s", "samp", "section", "small", "span", "strong", "sub", "summary", "sup", "table",
    "tbody", "td", "tfoot", "th", "thead", "tr", "u", "ul", "var", "aside", "header", "footer",
}
# MathML as pandoc writes it from a formula's TeX (pipeline/render/html/mathml.py), allowed
# only there (`clean(..., mathml=True)`): presentation elements only (no href, no
# <annotation-xml>, which can hold HTML); a proposal's own raw <math> goes like a <script>
MATHML = {
    "math", "semantics", "annotation", "mrow", "mi", "mn", "mo", "ms", "mtext", "mspace",
    "msup", "msub", "msubsup", "munder", "mover", "munderover", "mfrac", "msqrt", "mroot",
    "mstyle", "mtable", "mtr", "mtd", "mlabeledtr", "mpadded", "mphantom", "menclose",
    "merror", "mfenced", "mmultiscripts", "mprescripts", "none",
}
MATHML_ATTRIBUTES = {
    "display", "xmlns", "mathvariant", "mathsize", "stretchy", "form", "accent", "accentunder",
    "width", "height", "depth", "lspace", "rspace", "voffset", "encoding", "linethickness",
    "columnalign", "rowalign", "columnspacing", "rowspacing", "columnlines", "rowlines",
    "frame", "displaystyle", "scriptlevel", "fence", "separator", "separators", "largeop",
    "movablelimits", "symmetric", "maxsize", "minsize", "notation", "open", "close",
    "bevelled", "columnspan", "rowspan",
}
ATTRIBUTES = {
    "*": {"id", "class", "title", "lang", "dir", "role", "aria-label", "aria-hidden"},
    "a": {"href"},
    "img": {"src", "alt", "width", "height", "style"},
    "td": {"colspan", "rowspan", "align"},
    "th": {"colspan", "rowspan", "align", "scope"},
    "col": {"span", "width", "style"},
    "ol": {"start", "type", "reversed"},
    "li": {"value"},
    "code": {"data-lang"},
    "details": {"open"},
}
SCHEMES = {"http", "https", "mailto", "data"}
IMAGE_DATA = ("data:image/png", "data:image/jpeg", "data:image/gif", "data:image/webp")


def _filter(tag, attr, value):
    if attr in ("href", "src") and value.strip().lower().startswith("data:"):
        if tag == "img" and attr == "src" and value.strip().lower().startswith(IMAGE_DATA):
            return value
        # SVG pictures (mermaid diagrams, pipeline/diagrams/draw.py) are data:image/svg+xml URLs;
        # one passes only if it has no script, handler, HTML island or outside reference
        # (pipeline/safety/svg.py), whoever wrote it.
        if tag == "img" and attr == "src" and svgsafe.is_safe_data_url(value):
            return value
        return None
    if attr == "style" and css.fetches(value):
        return None
    return value


def clean(html: str, img_src=None, mathml: bool = False) -> str:
    """The allowlisted HTML; `img_src(value)` (pipeline/safety/pictures.py HtmlImages) may
    rewrite or drop (None) each <img src> that passes the rules above. `mathml`: the MathML
    pandoc made from a formula is allowed too."""

    def attribute_filter(tag, attr, value):
        value = _filter(tag, attr, value)
        if value is not None and img_src is not None and tag == "img" and attr == "src":
            return img_src(value)
        return value

    return nh3.clean(
        html,
        tags=(TAGS | MATHML) if mathml else TAGS,
        attributes={**ATTRIBUTES, **dict.fromkeys(MATHML, MATHML_ATTRIBUTES)} if mathml
        else ATTRIBUTES,
        url_schemes=SCHEMES,
        attribute_filter=attribute_filter,
        link_rel=None,
        strip_comments=True,
        clean_content_tags={"script", "style"},
        filter_style_properties={"width", "text-align", "vertical-align"},
    )
