"""Formulas in the HTML page as MathML. pandoc writes each formula's TeX as MathML
(`--mathml`, all of a document's formulas in one call), the sanitizer checks it with the
MathML elements allowed, and it takes the place of a token the page carries instead of the
formula. This MathML is the only MathML the page has: a proposal's own raw <math> is
removed by the sanitizer like any element it does not know (pipeline/safety/html.py)."""

from __future__ import annotations

import html
import json
import re
import secrets

import panflute as pf

from epdoc.pipeline.pandoc import runner as pandoc
from epdoc.pipeline.safety import html as sanitize


def _in_picture(elem) -> bool:
    node = elem.parent
    while node is not None:
        if isinstance(node, pf.Image):
            return True
        node = getattr(node, "parent", None)
    return False


def hold(doc, path=None, limits: dict | None = None) -> dict[str, str]:
    """Each formula of `doc` replaced by a token (a word no proposal can guess); returns
    token -> the formula's sanitized MathML. A formula in a picture's alt text stays TeX."""
    nonce = secrets.token_hex(8)
    found: list[tuple[str, pf.Math]] = []

    def act(elem, _doc):
        if not isinstance(elem, pf.Math):
            return None
        if _in_picture(elem):
            return pf.Str(elem.text)
        token = f"epdocmath{nonce}n{len(found)}"
        found.append((token, elem))
        return pf.Str(token)

    doc.walk(act)
    if not found:
        return {}
    blocks = []
    for token, math in found:
        blocks += [pf.RawBlock(f"<!--{token}-->", format="html"), pf.Para(math)]
    data = json.dumps(pf.Doc(*blocks).to_json(), ensure_ascii=False).encode("utf-8")
    out = pandoc.run(["--sandbox", "-f", "json", "-t", "html5", "--wrap=none", "--mathml"],
                     data, path, **(limits or {})).decode("utf-8")
    parts = re.split(r"<!--(epdocmath[0-9a-f]+n\d+)-->", out)
    made = dict(zip(parts[1::2], parts[2::2], strict=True))
    held = {}
    for token, math in found:
        markup = re.sub(r"^\s*<p>|</p>\s*$", "", made.get(token, ""))
        markup = sanitize.clean(markup, mathml=True).strip()
        held[token] = markup if "<math" in markup else f"<code>{html.escape(math.text)}</code>"
    return held


def restore(body: str, held: dict[str, str]) -> str:
    for token, markup in held.items():
        body = body.replace(token, markup)
    return body
