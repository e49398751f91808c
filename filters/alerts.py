#!/usr/bin/env python3
"""GitHub alerts (> [!NOTE], [!TIP], [!IMPORTANT], [!WARNING], [!CAUTION]) as call-outs.

pandoc's gfm reader gives Div.note (etc.) holding a Div.title; this marks them `alert
alert-<kind>` with an icon before the title, so HTML and PDF style them from github.css. DOCX
has no boxes around blocks, so its fix-up puts each alert in a one-cell table that the DOCX
post-processor (pipeline/render/docx/github.py) shades and borders in the alert's color.
"""

import panflute as pf

# kind: (icon, color, background), the same as in styles/github.css. The icons are in the body
# font (DejaVu Sans), so every format draws them, a DOCX too on a machine without emoji fonts.
KINDS = {
    "note": ("ℹ", "#0969DA", "#F3F9FF"),
    "tip": ("☀", "#1A7F37", "#F2FBF4"),
    "important": ("❢", "#8250DF", "#F9F5FF"),
    "warning": ("⚠", "#9A6700", "#FFFBEA"),
    "caution": ("⊘", "#CF222E", "#FFF5F4"),
}
TITLE_STYLE = "Alert Title"


def kind_of(elem) -> str | None:
    if not isinstance(elem, pf.Div) or not elem.content:
        return None
    first = elem.content[0]
    if not (isinstance(first, pf.Div) and "title" in first.classes):
        return None
    for c in elem.classes:
        if c in KINDS:
            return c
    return None


def action(elem, doc):
    kind = kind_of(elem)
    if kind is None or "alert" in elem.classes:
        return None
    elem.classes = ["alert", f"alert-{kind}", *elem.classes]
    title = elem.content[0]
    title.classes = ["alert-title", *title.classes]
    if title.content and isinstance(title.content[0], (pf.Para, pf.Plain)):
        icon = pf.Span(pf.Str(KINDS[kind][0]), classes=["alert-icon"],
                       attributes={"aria-hidden": "true"})
        title.content[0].content[0:0] = [icon, pf.Space()]
    return None


def as_table(div, kind):
    """A one-cell table holding the alert (DOCX shades and borders it)."""
    title = div.content[0]
    title.attributes["custom-style"] = f"{TITLE_STYLE} {kind.capitalize()}"
    cell = pf.TableCell(*div.content)
    body = pf.TableBody(pf.TableRow(cell))
    return pf.Table(body, colspec=[("AlignDefault", 1.0)])


def as_tables(doc) -> None:
    """DOCX: each call-out as a one-cell table (a shaded, bordered block)."""
    def act(elem, _doc):
        if isinstance(elem, pf.Div) and "alert" in elem.classes:
            kind = next((k for k in KINDS if f"alert-{k}" in elem.classes), None)
            if kind:
                return as_table(elem, kind)
        return None

    doc.walk(act)


def main(doc=None):
    return pf.run_filter(action, doc=doc)


if __name__ == "__main__":
    main()
