"""Tagged PDF (PDF/UA-1): WeasyPrint's structure tree, finished. Page furniture (running
header and footer in the page's margin boxes) becomes artifacts, header cells get their
scope, links a description, and a PDF/A file also claims PDF/UA-1 in its XMP metadata."""

from __future__ import annotations

import logging

import pydyf
from weasyprint.pdf import tags as wp_tags

UA_VARIANT = "pdf/ua-1"
ARTIFACT = "Artifact"  # a structure type marking content to take out of the tree
# PDF/A variants that can also be PDF/UA-1 (PDF 1.4 to 1.7); PDF/A-4 is PDF 2.0, which
# PDF/UA-1 does not cover (its successor PDF/UA-2 is not combined with PDF/A by WeasyPrint)
UA_WITH = ("pdf/a-1b", "pdf/a-2b", "pdf/a-3b", "pdf/a-2u", "pdf/a-3u", "pdf/a-1a", "pdf/a-2a",
           "pdf/a-3a")
# HTML elements WeasyPrint leaves as NonStruct that have a standard structure type
ROLES = {"pre": "P", "code": "Code", "kbd": "Code", "samp": "Code", "em": "Span",
         "strong": "Span", "del": "Span", "ins": "Span", "figure": "Div", "nav": "Div",
         "header": "Div", "footer": "Div", "aside": "Div", "details": "Div", "summary": "P",
         "abbr": "Span", "sup": "Span", "sub": "Span", "mark": "Span", "small": "Span",
         # a contents entry's leader dots and page number: furniture, the link is read
         "a::after": ARTIFACT}

_weasyprint_tag = wp_tags._get_pdf_tag


def _pdf_tag(tag):
    return ROLES.get(tag) or _weasyprint_tag(tag)


wp_tags._get_pdf_tag = _pdf_tag  # one process writes only epdoc's PDFs


def _not_about_alt(record: logging.LogRecord) -> bool:
    """WeasyPrint's unlocated note on a picture without alt text: lint's image-alt-missing
    reports it where it is written (pipeline/lint/content.py)."""
    return "has no required alt description" not in record.getMessage()


logging.getLogger("weasyprint").addFilter(_not_about_alt)

UA_XMP = (
    '<rdf:Description xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" rdf:about="" '
    'xmlns:pdfuaid="http://www.aiim.org/pdfua/ns/id/" pdfuaid:part="1"/>'
    '<rdf:Description xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" rdf:about="" '
    'xmlns:pdfaExtension="http://www.aiim.org/pdfa/ns/extension/" '
    'xmlns:pdfaSchema="http://www.aiim.org/pdfa/ns/schema#" '
    'xmlns:pdfaProperty="http://www.aiim.org/pdfa/ns/property#">'
    "<pdfaExtension:schemas><rdf:Bag><rdf:li rdf:parseType=\"Resource\">"
    "<pdfaSchema:schema>PDF/UA Universal Accessibility Schema</pdfaSchema:schema>"
    "<pdfaSchema:namespaceURI>http://www.aiim.org/pdfua/ns/id/</pdfaSchema:namespaceURI>"
    "<pdfaSchema:prefix>pdfuaid</pdfaSchema:prefix>"
    "<pdfaSchema:property><rdf:Seq><rdf:li rdf:parseType=\"Resource\">"
    "<pdfaProperty:name>part</pdfaProperty:name>"
    "<pdfaProperty:valueType>Integer</pdfaProperty:valueType>"
    "<pdfaProperty:category>internal</pdfaProperty:category>"
    "<pdfaProperty:description>Indicates, which part of ISO 14289 standard is followed"
    "</pdfaProperty:description></rdf:li></rdf:Seq></pdfaSchema:property>"
    "</rdf:li></rdf:Bag></pdfaExtension:schemas></rdf:Description>")


def _number(reference) -> int:
    if isinstance(reference, bytes):
        return int(reference.split(b" ", 1)[0])
    return int(str(reference).split()[0])


def _get(pdf: pydyf.PDF, value):
    """The object a reference (b"12 0 R") points to, or the value itself."""
    if isinstance(value, str):
        value = value.encode()
    if isinstance(value, bytes) and value.endswith(b" R"):
        return pdf.objects[int(value.split(b" ", 1)[0])]
    return value


def _elements(pdf: pydyf.PDF):
    """Every structure element reachable from the structure tree root, parents first."""
    root = pdf.objects[_number(pdf.catalog["StructTreeRoot"])]
    todo = list(reversed(root["K"]))
    seen = set()
    while todo:
        elem = _get(pdf, todo.pop())
        if not isinstance(elem, pydyf.Dictionary) or elem.get("Type") != "/StructElem":
            continue
        if elem.number in seen:
            continue
        seen.add(elem.number)
        yield elem
        todo.extend(k for k in reversed(elem["K"]) if not isinstance(k, int))


def _pages(pdf: pydyf.PDF) -> list:
    return [pdf.objects[_number(r)] for r in pdf.page_references]


def _mark_artifacts(pdf: pydyf.PDF, page, mcids: set[int]) -> int:
    """Marked content `mcids` of `page`'s stream re-marked as pagination artifacts."""
    items = pdf.objects[_number(page["Contents"])].stream
    changed = 0
    for k, item in enumerate(items):
        if (isinstance(item, pydyf.Dictionary) and item.get("MCID") in mcids
                and k > 0 and k + 1 < len(items) and items[k + 1] == b"BDC"):
            items[k - 1] = "/Artifact"
            items[k] = pydyf.Dictionary({"Type": "/Pagination"})
            changed += 1
    return changed


def _parent_tree(pdf: pydyf.PDF) -> pydyf.Array:
    tree = pdf.objects[_number(pdf.catalog["StructTreeRoot"])]
    return pdf.objects[_number(tree["ParentTree"])]["Nums"]


def artifact_elements(pdf: pydyf.PDF, marks: dict[int, set[int]]) -> None:
    """Elements tagged `Artifact` (ROLES) taken out of the tree: their marked content to
    re-mark as artifacts added to `marks` (page index -> MCIDs), their link annotations
    given to their parent."""
    pages = {p.number: i for i, p in enumerate(_pages(pdf))}
    nums = _parent_tree(pdf)
    parents = {nums[i]: nums[i + 1] for i in range(0, len(nums), 2)}
    gone: dict[int, bytes] = {}  # removed element -> the parent that takes its annotations
    for elem in list(_elements(pdf)):
        if elem["S"] != f"/{ARTIFACT}" or elem.number in gone:
            continue
        parent = _get(pdf, elem["P"])
        mcids, objrs, todo = set(), [], [elem]
        while todo:
            e = todo.pop()
            gone[e.number] = parent.reference
            for kid in e["K"]:
                if isinstance(kid, int):
                    mcids.add(kid)
                    continue
                obj = _get(pdf, kid)
                if isinstance(obj, pydyf.Dictionary) and obj.get("Type") == "/OBJR":
                    objrs.append(kid)
                elif isinstance(obj, pydyf.Dictionary):
                    todo.append(obj)
        parent["K"][:] = [k for k in parent["K"] if k != elem.reference] + objrs
        index = pages[_number(elem["Pg"])]
        marks.setdefault(index, set()).update(mcids)
        refs = parents.get(index)
        for mcid in mcids:
            if isinstance(refs, pydyf.Array) and mcid < len(refs):
                refs[mcid] = "null"
    for i in range(1, len(nums), 2):  # annotations' parents
        ref = nums[i]
        if isinstance(ref, (bytes, str)) and ref != "null" and _number(ref) in gone:
            nums[i] = gone[_number(ref)]


def artifacts(pdf: pydyf.PDF, marks: dict[int, set[int]], elements: list) -> None:
    """Marked content WeasyPrint gave structure elements that it left out of the tree (the
    page's margin boxes: running header, page numbers) added to `marks`."""
    in_tree = {e.number for e in elements}
    nums = _parent_tree(pdf)
    for i in range(0, len(nums), 2):
        index, refs = nums[i], nums[i + 1]
        if not isinstance(refs, pydyf.Array):
            continue
        loose = {mcid for mcid, ref in enumerate(refs)
                 if isinstance(ref, (bytes, str)) and ref != "null"
                 and _number(ref) not in in_tree}
        marks.setdefault(index, set()).update(loose)
        for mcid in loose:
            refs[mcid] = "null"


PLAIN_SPAN = {"Type", "S", "K", "Pg", "P"}


def flatten_spans(pdf: pydyf.PDF, elements: list) -> None:
    """A /Span that only marks one run of text (WeasyPrint makes one per text box) gives
    its marked content to its parent and is emptied: a reader hears the same, and the file
    has a third fewer objects to write (most of what tagging costs)."""
    pages = {p.number: i for i, p in enumerate(_pages(pdf))}
    nums = _parent_tree(pdf)
    parents = {nums[i]: nums[i + 1] for i in range(0, len(nums), 2)}
    for elem in elements:
        kids = elem.get("K")
        if not isinstance(kids, pydyf.Array) or elem.get("S") == "/Span":
            continue
        flat, changed = [], False
        for kid in kids:
            child = None if isinstance(kid, int) else _get(pdf, kid)
            if (isinstance(child, pydyf.Dictionary) and child.get("S") == "/Span"
                    and set(child) <= PLAIN_SPAN and len(child["K"]) == 1
                    and isinstance(child["K"][0], int) and child["Pg"] == elem.get("Pg")):
                mcid = child["K"][0]
                refs = parents.get(pages.get(_number(child["Pg"])))
                if isinstance(refs, pydyf.Array) and mcid < len(refs):
                    refs[mcid] = elem.reference
                    child.clear()  # left unreferenced, written as an empty dictionary
                    flat.append(mcid)
                    changed = True
                    continue
            flat.append(kid)
        if changed:
            kids[:] = flat


def header_scopes(pdf: pydyf.PDF, elements: list) -> None:
    """Every /TH says what it heads: the column in a table's head, else its row."""
    for elem in elements:
        if elem.get("S") != "/TH":
            continue
        row = _get(pdf, elem["P"])
        group = _get(pdf, row.get("P")) if isinstance(row, pydyf.Dictionary) else None
        in_head = isinstance(group, pydyf.Dictionary) and group.get("S") == "/THead"
        attributes = elem.get("A")
        if not isinstance(attributes, pydyf.Dictionary):
            attributes = elem["A"] = pydyf.Dictionary({"O": "/Table"})
        attributes["Scope"] = "/Column" if in_head else "/Row"


def link_descriptions(pdf: pydyf.PDF) -> None:
    """Each link annotation describes where it goes (/Contents, PDF/UA-1 7.18.5): the
    link's address as the PDF has it, after pipeline/render/pdf/writer.py made links to
    files beside the proposal relative (WeasyPrint wrote the absolute file:// address, a
    path of the machine that built it)."""
    for obj in pdf.objects:
        if not (isinstance(obj, pydyf.Dictionary) and obj.get("Subtype") == "/Link"):
            continue
        action = _get(pdf, obj.get("A"))
        uri = action.get("URI") if isinstance(action, pydyf.Dictionary) else None
        if isinstance(uri, pydyf.String):
            obj["Contents"] = pydyf.String(uri.string)
        elif "Contents" not in obj:
            obj["Contents"] = pydyf.String("Link to a place in this document")


def claim_ua(pdf: pydyf.PDF) -> None:
    """Add PDF/UA-1's identification (and its PDF/A extension schema) to the XMP packet
    WeasyPrint wrote for a PDF/A variant."""
    metadata = pdf.objects[_number(pdf.catalog["Metadata"])]
    packet = b"".join(x if isinstance(x, bytes) else str(x).encode() for x in metadata.stream)
    if b"pdfuaid:part" in packet:
        return
    packet = packet.replace(b"</rdf:RDF>", UA_XMP.encode() + b"</rdf:RDF>", 1)
    metadata.stream[:] = [packet]


def finish(_document, pdf: pydyf.PDF, variant: str | None = None) -> None:
    """The finisher of every tagged PDF."""
    if "StructTreeRoot" not in pdf.catalog:
        return
    marks: dict[int, set[int]] = {}
    artifact_elements(pdf, marks)
    elements = list(_elements(pdf))  # what the tree holds now
    artifacts(pdf, marks, elements)
    pages = _pages(pdf)
    for index, mcids in marks.items():
        if mcids and index < len(pages):
            _mark_artifacts(pdf, pages[index], mcids)
    flatten_spans(pdf, elements)
    header_scopes(pdf, elements)
    link_descriptions(pdf)
    if variant in UA_WITH:
        claim_ua(pdf)
