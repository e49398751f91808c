"""What goes into a DOCX from a proposal, and nothing else.

- `embed_images`: before pandoc runs, every picture becomes a data: URL of checked bytes
  (pipeline/safety/pictures.py): a file inside the proposal's folder, a picture epdoc made itself
  (diagrams, the theme), or, with --allow-network, a remote one fetched without redirects.
  pandoc then runs with --sandbox and reads no file and no URL of its own. A picture epdoc
  made (a diagram, marked on the AST) that is refused fails the proposal, located
  (pipeline/safety/pictures.py); a proposal's own picture that is refused shows its alt text.
- `remove_fields` (a DOCX post-processor): no field codes (INCLUDEPICTURE, INCLUDETEXT,
  DDEAUTO, ...) other than the page numbers epdoc adds (PAGE, NUMPAGES), no imported
  chunks, objects or controls, no linked (not embedded) picture and no external part other
  than a hyperlink. Raw OpenXML from a proposal never gets this far (filters/untrusted.py).
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlsplit

import panflute as pf
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml.ns import qn
from lxml import etree

from epdoc.pipeline.core import settings
from epdoc.pipeline.core.errors import LimitError
from epdoc.pipeline.safety import pictures as imagesafe
from epdoc.pipeline.safety.fetcher import SafeFetcher

FIELDS_ALLOWED = {"PAGE", "NUMPAGES", "SECTIONPAGES"}
DROPPED = ("w:altChunk", "w:object", "w:control", "w:subDoc")
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
LINKED = etree.XPath("descendant-or-self::*[@r:link]", namespaces={"r": R_NS})
BAD_TARGET_RE = re.compile(r"^\s*(javascript|vbscript|data|file):|^\s*(\\\\|//)", re.I)


def trusted_roots(theme, options) -> list[Path]:
    """Folders of pictures epdoc makes itself, referred to by absolute path."""
    roots = [Path(theme.root)]
    roots.append(settings.diagram_cache(options))
    return roots


def picture(url: str, src_dir: Path, trusted, options) -> tuple[imagesafe.Picture, str]:
    """(checked picture, its name) for an image URL (the picture policy, with the folders of
    pictures epdoc drew as `trusted`); raises imagesafe.Refused."""
    found = imagesafe.find(url, imagesafe.Place(src_dir, tuple(trusted), options),
                           fetch=lambda remote: _download(remote, options))
    if found.kind == imagesafe.REMOTE:
        return found.picture, Path(urlsplit(url.strip()).path).name
    return found.picture, found.name


def _download(url: str, options) -> bytes:
    fetcher = SafeFetcher([], allow_network=True, options=options)
    try:
        response = fetcher.fetch(url)  # checked bytes; redirects are not followed
    except Exception as e:  # noqa: BLE001 - any failure to fetch: the picture is left out
        fetcher.check()
        raise imagesafe.Refused(f"could not fetch it ({e})") from None
    return response.read()


def embed_images(doc, document, options, theme) -> None:
    """Every Image of `doc` as a data: URL of checked bytes, or its alt text."""
    src_dir = document.source.parent.resolve()
    trusted = trusted_roots(theme, options)
    ctx = document.context

    def action(elem, _doc):
        if not isinstance(elem, pf.Image):
            return None
        try:
            pic, _name = picture(elem.url, src_dir, trusted, options)
        except imagesafe.Refused as e:
            if imagesafe.own(elem.attributes):
                raise imagesafe.cannot_place(elem.attributes, pf.stringify(elem).strip(),
                                             "DOCX", str(e), ctx.source) from None
            ctx.report("warning", "image-missing",
                       f"image {elem.url[:60]!r} not included in DOCX: {e}", elem)
            alt = pf.stringify(elem).strip() or "image"
            return pf.Span(pf.Str(f"[image refused: {alt}]"), classes=["missing-image"])
        except LimitError as e:
            e.path = document.source
            raise
        elem.url = pic.data_url()
        return None

    doc.walk(action)


def _field_word(code: str) -> str:
    words = (code or "").split()
    return words[0].upper() if words else ""


def _remove_complex_fields(root) -> None:
    """Drop the runs of fields (begin ... instrText ... separate ... end) whose code is not
    allowed, keeping what Word last showed for them (the runs after `separate`)."""
    w_r, w_fld, w_instr = qn("w:r"), qn("w:fldChar"), qn("w:instrText")
    if next(root.iter(w_fld), None) is None:  # no field at all (most parts)
        return
    runs = [r for r in root.iter(w_r)]
    stack: list[dict] = []
    for run in runs:
        fld = run.find(w_fld)
        instr = run.find(w_instr)
        if fld is not None:
            kind = fld.get(qn("w:fldCharType"))
            if kind == "begin":
                stack.append({"runs": [run], "code": "", "showing": False})
                continue
            if not stack:
                continue
            field = stack[-1]
            field["runs"].append(run)
            if kind == "separate":
                field["showing"] = True
            elif kind == "end":
                stack.pop()
                if _field_word(field["code"]) not in FIELDS_ALLOWED:
                    for r in field["runs"]:
                        if r.getparent() is not None:
                            r.getparent().remove(r)
            continue
        if instr is not None:
            if stack and not stack[-1]["showing"]:
                stack[-1]["code"] += instr.text or ""
                stack[-1]["runs"].append(run)
            elif _field_word(instr.text) not in FIELDS_ALLOWED:
                run.remove(instr)  # an instruction outside any field: never a field
            continue
        if stack and not stack[-1]["showing"]:
            stack[-1]["runs"].append(run)  # part of an instruction
    for field in stack:  # never closed: not a field Word could run either
        if _field_word(field["code"]) not in FIELDS_ALLOWED:
            for r in field["runs"]:
                if r.getparent() is not None:
                    r.getparent().remove(r)
    for instr in list(root.iter(w_instr)):  # anything left outside a run
        if _field_word(instr.text) not in FIELDS_ALLOWED and instr.getparent() is not None \
                and instr.getparent().tag != w_r:
            instr.getparent().remove(instr)


def _remove_simple_fields(root) -> None:
    for fld in list(root.iter(qn("w:fldSimple"))):
        if _field_word(fld.get(qn("w:instr"))) in FIELDS_ALLOWED:
            continue
        parent = fld.getparent()
        index = parent.index(fld)
        for child in list(fld):
            parent.insert(index, child)
            index += 1
        parent.remove(fld)


def clean_part(part) -> None:
    root = part.element
    _remove_complex_fields(root)
    _remove_simple_fields(root)
    for el in list(root.iter(*(qn(name) for name in DROPPED))):
        el.getparent().remove(el)
    for el in LINKED(root):
        del el.attrib[f"{{{R_NS}}}link"]  # a picture Word would fetch
    for r_id, rel in list(part.rels.items()):
        if not rel.is_external:
            continue
        if rel.reltype != RT.HYPERLINK or BAD_TARGET_RE.match(rel.target_ref):
            for el in list(root.iter()):
                for attr, value in list(el.attrib.items()):
                    if value == r_id and attr.startswith(f"{{{R_NS}}}"):
                        del el.attrib[attr]
            del part.rels[r_id]


def remove_fields(d, document, options) -> None:
    """The DOCX post-processor: every XML part of the package, cleaned."""
    for part in d.part.package.iter_parts():
        if hasattr(part, "element") and hasattr(part, "rels"):
            clean_part(part)
