"""The DOCX's table of contents is a real Word field (`TOC \\o "2-3" \\h \\z \\u`), not a
list of links: Word and LibreOffice fill in and update its page numbers. It lists the
headings the PDF's contents list, filled in as Word would (each entry a link to a hidden
`_Toc` bookmark on its heading and a PAGEREF field for its page), so every reader shows
the entries, LibreOffice the page numbers at once, and Word asks to update the fields on
opening (`w:updateFields`). Found by the filter's `toc` bookmark (filters/toc.py)."""

from __future__ import annotations

from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Mm
from docx.text.paragraph import Paragraph

from epdoc.pipeline.config import theme as themes
from epdoc.pipeline.render.docx import wordsettings
from epdoc.pipeline.render.docx.writer import postprocess

LEVELS = 2  # the top heading level and the one under it, as filters/toc.py lists them
INDENT_MM = 5.0  # per level
HEADING = "Heading"  # pandoc's heading styles: Heading1 ... Heading6
STYLE = """<w:style {ns} w:type="paragraph" w:styleId="TOC{n}"><w:name w:val="toc {n}"/>
<w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:uiPriority w:val="39"/>
<w:unhideWhenUsed/><w:pPr><w:tabs><w:tab w:val="right" w:leader="dot" w:pos="{pos}"/>
</w:tabs><w:spacing w:before="0" w:after="60"/><w:ind w:left="{left}"/></w:pPr></w:style>"""


def _level(p) -> int | None:
    ppr = p.find(qn("w:pPr"))
    style = ppr.find(qn("w:pStyle")) if ppr is not None else None
    sid = style.get(qn("w:val")) if style is not None else ""
    if sid.startswith(HEADING) and sid[len(HEADING):].isdigit():
        return int(sid[len(HEADING):])
    return None


def _run(*children):
    r = OxmlElement("w:r")
    for c in children:
        r.append(c)
    return r


def _el(tag: str, text: str | None = None, **attrs):
    el = OxmlElement(tag)
    for k, v in attrs.items():
        el.set(qn(k), v)
    if text is not None:
        el.text = text
        if tag in ("w:t", "w:instrText"):
            el.set(qn("xml:space"), "preserve")
    return el


def _field(code: str, shown: str | None = None) -> list:
    runs = [_run(_el("w:fldChar", **{"w:fldCharType": "begin"})),
            _run(_el("w:instrText", f" {code} ")),
            _run(_el("w:fldChar", **{"w:fldCharType": "separate"}))]
    if shown:
        runs.append(_run(_el("w:t", shown)))
    return [*runs, _run(_el("w:fldChar", **{"w:fldCharType": "end"}))]


def _styles(d, theme, levels) -> None:
    """toc 1, toc 2, ... (Word's own names: Word and LibreOffice use them when they update
    the field): a dotted tab to the page number at the right margin, indented per level."""
    styles = d.styles.element
    w, _h = theme.page_size()
    m = theme.margins()
    pos = round(Mm(w - m["left"] - m["right"]).twips)
    for i, _level in enumerate(levels, 1):
        if styles.find(f"{qn('w:style')}[@{qn('w:styleId')}='TOC{i}']") is not None:
            continue
        left = round(Mm(INDENT_MM * (i - 1)).twips)
        styles.append(parse_xml(STYLE.format(ns=nsdecls("w"), n=i, pos=pos, left=left)))


def _bookmark(p, name: str, mark_id: int) -> None:
    """A bookmark around the heading's text (after its properties)."""
    start = _el("w:bookmarkStart", **{"w:id": str(mark_id), "w:name": name})
    ppr = p.find(qn("w:pPr"))
    if ppr is not None:
        ppr.addnext(start)
    else:
        p.insert(0, start)
    p.append(_el("w:bookmarkEnd", **{"w:id": str(mark_id)}))


def _entry(d, level: int, text: str, name: str):
    p = OxmlElement("w:p")
    ppr = OxmlElement("w:pPr")
    ppr.append(_el("w:pStyle", **{"w:val": f"TOC{level}"}))
    p.append(ppr)
    link = _el("w:hyperlink", **{"w:anchor": name, "w:history": "1"})
    link.append(_run(_el("w:t", text)))
    link.append(_run(OxmlElement("w:tab")))
    for r in _field(f"PAGEREF {name} \\h"):
        link.append(r)
    p.append(link)
    return p


@postprocess
def toc_field(d, document, options) -> None:
    body = d.element.body
    start = next(iter(body.xpath('.//w:bookmarkStart[@w:name="toc"]')), None)
    if start is None:
        return
    mark = start.get(qn("w:id"))
    end = next((b for b in body.iter(qn("w:bookmarkEnd")) if b.get(qn("w:id")) == mark), None)
    inside = []
    node = start.getnext()
    while node is not None and node is not end:
        inside.append(node)
        node = node.getnext()
    lists = [p for p in inside if p.tag == qn("w:p")][1:]  # after the "Contents" line
    if not lists or end is None:
        return
    heads = [(lvl, p) for p in end.itersiblings() if p.tag == qn("w:p")
             and (lvl := _level(p)) is not None]
    if not heads:
        return
    top = min(lvl for lvl, _ in heads)
    levels = list(range(top, top + LEVELS))
    ids = [int(v) for v in body.xpath(".//w:bookmarkStart/@w:id") if v.isdigit()]
    next_id = max(ids, default=0) + 1
    entries = []
    for n, (lvl, p) in enumerate(h for h in heads if h[0] in levels):
        name = f"_Toc{n + 1:08d}"  # hidden (a leading _), as Word names its own
        text = Paragraph(p, d._body).text.strip()
        _bookmark(p, name, next_id + n)
        entries.append(_entry(d, levels.index(lvl) + 1, text, name))
    if not entries:
        return
    first, last = entries[0], entries[-1]
    for r in reversed(_field(f'TOC \\o "{levels[0]}-{levels[-1]}" \\h \\z \\u')[:-1]):
        first.find(qn("w:pPr")).addnext(r)
    last.append(_run(_el("w:fldChar", **{"w:fldCharType": "end"})))
    anchor = lists[0]
    for p in entries:
        anchor.addprevious(p)
    for p in lists:
        body.remove(p)
    _styles(d, themes.load(options.theme), levels)
    wordsettings.switch_on(d, "updateFields", "true")
