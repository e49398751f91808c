"""DOCX page layout from the theme: page size and margins, a running header (id, title,
status), `Page N of M` in the footer, the status under the title, a diagonal watermark on
Draft proposals, a banner on Rejected/Withdrawn/Superseded ones, a styled metadata table.
Registered with @postprocess; found with the other writer modules."""

from __future__ import annotations

import copy

from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_TAB_ALIGNMENT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import qn
from docx.shared import Mm, RGBColor
from docx.text.paragraph import Paragraph

from epdoc.pipeline.config import theme as themes
from epdoc.pipeline.render import status as statuses
from epdoc.pipeline.render.docx.reference import borders, docx_fonts, shade
from epdoc.pipeline.render.docx.writer import postprocess

# Word's own text-watermark shape type (a text path), as Word writes it
WATERMARK_TYPE = """<v:shapetype {ns} id="_x0000_t136" coordsize="21600,21600" o:spt="136"
 adj="10800" path="m@7,l@8,m@5,21600l@6,21600e"><v:formulas><v:f eqn="sum #0 0 10800"/>
<v:f eqn="prod #0 2 1"/><v:f eqn="sum 21600 0 @1"/><v:f eqn="sum 0 0 @2"/>
<v:f eqn="sum 21600 0 @3"/><v:f eqn="if @0 @3 0"/><v:f eqn="if @0 21600 @1"/>
<v:f eqn="if @0 0 @2"/><v:f eqn="if @0 @4 21600"/><v:f eqn="mid @5 @6"/><v:f eqn="mid @8 @5"/>
<v:f eqn="mid @7 @8"/><v:f eqn="mid @6 @7"/><v:f eqn="sum @6 0 @5"/></v:formulas>
<v:path textpathok="t" o:connecttype="custom" o:connectlocs="@9,0;@10,10800;@11,21600;@12,10800"
 o:connectangles="270,180,90,0"/><v:textpath on="t" fitshape="t"/>
<v:handles><v:h position="#0,bottomRight" xrange="6629,14971"/></v:handles>
<o:lock v:ext="edit" text="t" shapetype="t"/></v:shapetype>"""

WATERMARK_STYLE = ("position:absolute;margin-left:0;margin-top:0;width:{width}mm;"
                   "height:{height}mm;rotation:{angle};z-index:-251654144;"
                   "mso-position-horizontal:center;mso-position-horizontal-relative:margin;"
                   "mso-position-vertical:center;mso-position-vertical-relative:margin")
WATERMARK = ('<v:shape {ns} id="epdocWatermark" o:spid="_x0000_s2049" type="#_x0000_t136" '
             'style="{style}" o:allowincell="f" fillcolor="{color}" stroked="f">'
             '<v:fill opacity="{opacity}"/>'
             '<v:textpath style="font-family:&quot;{font}&quot;;font-size:1pt;font-weight:bold" '
             'string="{text}"/><w10:wrap anchorx="margin" anchory="margin"/></v:shape>')
VML_NS = ('xmlns:v="urn:schemas-microsoft-com:vml" '
          'xmlns:o="urn:schemas-microsoft-com:office:office" '
          'xmlns:w10="urn:schemas-microsoft-com:office:word"')


def _theme(options):
    return themes.load(options.theme)


def _run(paragraph, text: str, bold: bool = False, color: str | None = None):
    run = paragraph.add_run(text)
    run.bold = bold or None
    if color:
        run.font.color.rgb = RGBColor.from_string(color.lstrip("#").upper())
    return run


def _field(paragraph, code: str, shown: str) -> None:
    """A Word field (PAGE, NUMPAGES) with `shown` as its last computed value."""
    for kind, text in (("begin", None), ("instr", f" {code} "), ("separate", None),
                       ("text", shown), ("end", None)):
        r = OxmlElement("w:r")
        if kind == "instr":
            el = OxmlElement("w:instrText")
            el.set(qn("xml:space"), "preserve")
            el.text = text
        elif kind == "text":
            el = OxmlElement("w:t")
            el.text = text
        else:
            el = OxmlElement("w:fldChar")
            el.set(qn("w:fldCharType"), kind)
        r.append(el)
        paragraph._p.append(r)


def running_text(document) -> str:
    rec = document.record
    title = rec.title or document.title
    return f"{rec.id} · {title}" if rec.id else title


def _watermark_run(theme, text: str, font: str, turned: bool = False):
    w, h = theme.page_size()
    if turned:
        w, h = h, w
    m = theme.margins()
    width = (w - m["left"] - m["right"]) * 0.95
    ns = VML_NS
    run = OxmlElement("w:r")
    pict = OxmlElement("w:pict")
    pict.append(parse_xml(WATERMARK_TYPE.format(ns=ns)))
    style = WATERMARK_STYLE.format(width=f"{width:.0f}",
                                   height=f"{width / max(len(text), 3) * 1.3:.0f}",
                                   angle=315 if h >= w else 330)
    pict.append(parse_xml(WATERMARK.format(
        ns=ns, style=style, color=theme.color("watermark"),
        opacity=theme.tokens.get("status", {}).get("watermark-opacity", 0.5),
        font=font, text=text)))
    run.append(pict)
    return run


@postprocess
def page_layout(d, document, options) -> None:
    """Page size and margins, the running header (with the watermark) and the footer."""

    theme = _theme(options)
    w, h = theme.page_size()
    m = theme.margins()
    rec = document.record
    mark = theme.watermark_for(statuses.shown(document))
    for section in d.sections:
        # a section turned for a wide diagram (docx/landscape.py) keeps its orientation
        turned = section.orientation == WD_ORIENT.LANDSCAPE
        pw = h if turned else w
        section.page_width, section.page_height = (Mm(h), Mm(w)) if turned else (Mm(w), Mm(h))
        section.top_margin, section.bottom_margin = Mm(m["top"]), Mm(m["bottom"])
        section.left_margin, section.right_margin = Mm(m["left"]), Mm(m["right"])
        section.header_distance = section.footer_distance = Mm(min(m["top"], m["bottom"]) / 2)
        header = section.header
        header.is_linked_to_previous = False
        p = header.paragraphs[0]
        p.style = d.styles["Header"]
        p.paragraph_format.tab_stops.add_tab_stop(Mm(pw - m["left"] - m["right"]),
                                                   WD_TAB_ALIGNMENT.RIGHT)
        borders(p._p.get_or_add_pPr(), "w:pBdr", theme.color("border"), ("bottom",), 4, 4)
        _run(p, running_text(document))
        if rec.status:
            _run(p, "\t" + rec.status, bold=True)
        if mark:
            p._p.append(_watermark_run(theme, mark, docx_fonts(theme)[0], turned))
        footer = section.footer
        footer.is_linked_to_previous = False
        f = footer.paragraphs[0]
        f.style = d.styles["Footer"]
        f.alignment = 1  # centered
        _run(f, "Page ")
        _field(f, "PAGE", "1")
        _run(f, " of ")
        _field(f, "NUMPAGES", "1")


def _title_paragraph(d):
    for p in d.paragraphs:
        if p.style is not None and p.style.name == "Title":
            return p
    return None


def _insert_after(anchor_el, new_el) -> None:
    anchor_el.addnext(new_el)


def _hyperlink(d, paragraph, text: str, url: str, color: str) -> None:
    r_id = d.part.relate_to(url, RT.HYPERLINK, is_external=True)
    link = OxmlElement("w:hyperlink")
    link.set(qn("r:id"), r_id)
    run = OxmlElement("w:r")
    rpr = OxmlElement("w:rPr")
    style = OxmlElement("w:rStyle")
    style.set(qn("w:val"), "Hyperlink")
    rpr.append(style)
    run.append(rpr)
    t = OxmlElement("w:t")
    t.text = text
    run.append(t)
    link.append(run)
    paragraph._p.append(link)


@postprocess
def status_block(d, document, options) -> None:
    """Under the title: the status as a colored badge, then the banner when there is one."""
    theme = _theme(options)
    rec = document.record
    title = _title_paragraph(d)
    if title is None or not rec.status:
        return
    line = copy.deepcopy(title._p)
    for child in list(line):
        line.remove(child)
    _insert_after(title._p, line)
    badge = Paragraph(line, title._parent)
    badge.style = d.styles["Status Line"]
    run = _run(badge, f" {rec.status} ", bold=True, color="#FFFFFF")
    shade(run._r.get_or_add_rPr(), theme.status_color(rec.status))
    banner = statuses.banner(document, theme, "docx")
    if rec.status_note and banner is None:  # a banner says the note itself
        _run(badge, f"  {rec.status_note}")
    if banner is None:
        return
    el = OxmlElement("w:p")
    _insert_after(line, el)
    p = Paragraph(el, title._parent)
    p.style = d.styles["Status Banner"]
    color = theme.status_color(rec.status)
    borders(p._p.get_or_add_pPr(), "w:pBdr", color, ("left",), 24, 6)
    _run(p, f"{banner.status}. ", bold=True, color=color)
    _run(p, banner.sentence)
    if banner.link_label:
        _run(p, " by ")
        if banner.href:
            _hyperlink(d, p, banner.link_label, banner.href, theme.color("link"))
        else:
            _run(p, banner.link_label)
    _run(p, ".")
    if banner.note:
        _run(p, f" ({banner.note})")


@postprocess
def metadata_table(d, document, options) -> None:
    """The metadata table: full width, labels on a shaded first column."""
    theme = _theme(options)
    body = d.element.body
    start = next((b for b in body.iter(qn("w:bookmarkStart"))
                  if b.get(qn("w:name")) == "metadata"), None)
    if start is None:
        return
    tbl = start.getnext()
    while tbl is not None and tbl.tag != qn("w:tbl"):
        tbl = tbl.getnext()
    if tbl is None:
        return
    look = tbl.tblPr.find(qn("w:tblLook"))
    if look is not None:
        look.set(qn("w:firstRow"), "0")
        look.set(qn("w:firstColumn"), "1")
    for tr in tbl.iter(qn("w:tr")):
        cells = tr.findall(qn("w:tc"))
        if cells:
            shade(cells[0].get_or_add_tcPr(), theme.color("table-header"))


@postprocess
def rows_stay_whole(d, document, options) -> None:
    """No table row is split across pages."""
    for tr in d.element.body.iter(qn("w:tr")):
        tr_pr = tr.get_or_add_trPr()
        if tr_pr.find(qn("w:cantSplit")) is None:
            tr_pr.insert(0, OxmlElement("w:cantSplit"))
