#!/usr/bin/env python3
"""Task lists (- [ ] / - [x]) show their boxes in every format.

pandoc's gfm reader starts each task item with ☐ or ☒. Its HTML writer turns those into
<input> elements, which the sanitizer drops, so for HTML and PDF the box becomes a styled span
(☐ open, ☑ done, like GitHub's check mark) and the list is wrapped in Div.task-list (no bullets).
DOCX keeps pandoc's own task lists (the box is the bullet); the DOCX post-processor
(pipeline/render/docx/github.py) shows ☑ for done there too.
"""

import panflute as pf

OPEN, DONE = "☐", "☒"
CHECKED = "☑"


def _first_inlines(item):
    if item.content and isinstance(item.content[0], (pf.Plain, pf.Para)):
        return item.content[0].content
    return None


def box_of(item) -> str | None:
    inlines = _first_inlines(item)
    if inlines and isinstance(inlines[0], pf.Str) and inlines[0].text in (OPEN, DONE):
        return inlines[0].text
    return None


def is_task_list(elem) -> bool:
    return isinstance(elem, pf.BulletList) and any(box_of(i) for i in elem.content)


def _join_box(item) -> None:
    """With source positions, pandoc's reader gives the box a Plain of its own, ahead of the
    item's text; put it back in front of the text, where pandoc's writers look for it."""
    c = item.content
    if len(c) >= 2 and isinstance(c[0], pf.Plain) and len(c[0].content) == 1 \
            and isinstance(c[0].content[0], pf.Str) and c[0].content[0].text in (OPEN, DONE) \
            and isinstance(c[1], (pf.Plain, pf.Para)):
        box = c[0].content[0].text
        c[1].content[0:0] = [pf.Str(box), pf.Space()]
        del c[0]


def action(elem, doc):
    if isinstance(elem, pf.BulletList):
        for item in elem.content:
            _join_box(item)
    if is_task_list(elem) and not (isinstance(elem.parent, pf.Div)
                                   and "task-list" in elem.parent.classes):
        div = pf.Div(elem, classes=["task-list"])
        fmt = (doc.format or "json").lower()
        if fmt.startswith("html"):
            boxes_as_spans(div)
        return div
    return None


def boxes_as_spans(div) -> None:
    for lst in (b for b in div.content if isinstance(b, pf.BulletList)):
        for item in lst.content:
            box = box_of(item)
            if not box:
                continue
            inlines = _first_inlines(item)
            done = box == DONE
            inlines[0] = pf.Span(pf.Str(CHECKED if done else OPEN),
                                 classes=["task-box", "checked" if done else "open"])


def as_spans(doc) -> None:
    """HTML and PDF: each task's box as a styled span."""
    def act(elem, _doc):
        if isinstance(elem, pf.Div) and "task-list" in elem.classes:
            boxes_as_spans(elem)

    doc.walk(act)


def main(doc=None):
    return pf.run_filter(action, doc=doc)


if __name__ == "__main__":
    main()
