"""SVG that is safe to show: no scripts, no event handlers, no HTML islands, nothing fetched.

Diagrams (pipeline/diagrams/draw.py) are scrubbed with `scrub` before they are cached, and the HTML
sanitizer (pipeline/safety/html.py) lets an <img> carry a `data:image/svg+xml` URL only when
`is_safe` accepts the SVG inside it, whoever wrote it.
"""

from __future__ import annotations

import base64
import functools
from urllib.parse import unquote_to_bytes

from epdoc.pipeline.safety import css

SVG_NS = "http://www.w3.org/2000/svg"
XLINK_NS = "http://www.w3.org/1999/xlink"
DATA_SVG = "data:image/svg+xml"
# elements that run code, embed other documents or HTML, or animate attributes (set/animate can
# rewrite an href after the fact)
BANNED = {"script", "foreignObject", "iframe", "embed", "object", "handler", "listener",
          "set", "animate", "animateMotion", "animateTransform", "discard"}
IMAGE_DATA = ("data:image/png", "data:image/jpeg", "data:image/gif", "data:image/webp")
MAX_BYTES = 4 * 1024 * 1024


@functools.cache
def _etree():
    from lxml import etree  # on first use: lxml is slow to import, and most runs need none

    return etree


def _parser():
    return _etree().XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                           huge_tree=False, remove_comments=True, remove_pis=True)


def parse(text: str | bytes):
    data = text.encode("utf-8") if isinstance(text, str) else text
    if len(data) > MAX_BYTES:
        raise ValueError("SVG is too large")
    return _etree().fromstring(data, _parser())


def _local(tag) -> str:
    return _etree().QName(tag).localname if isinstance(tag, str) else ""


def _href_ok(value: str) -> bool:
    v = value.strip().lower()
    return v.startswith("#") or v.startswith(IMAGE_DATA)


def problems(root) -> list[str]:
    """What makes this SVG unsafe (empty when it is safe)."""
    etree = _etree()
    found = []
    if _local(root.tag) != "svg" or etree.QName(root.tag).namespace != SVG_NS:
        found.append("root is not an SVG element")
    for el in root.iter():
        if not isinstance(el.tag, str):
            continue
        name = _local(el.tag)
        ns = etree.QName(el.tag).namespace
        if ns != SVG_NS:
            found.append(f"element {name} outside the SVG namespace")
        if name in BANNED:
            found.append(f"element {name}")
        if name == "style" and len(el):
            found.append("style sheet with markup inside")
        elif name == "style" and el.text and css.sheet_fetches(el.text):
            found.append("style sheet fetches or imports")
        for attr, value in el.attrib.items():
            local = _local(attr).lower()
            if local.startswith("on"):
                found.append(f"event handler {local}")
            elif local == "href" and not _href_ok(value):
                found.append(f"reference to {value[:60]}")
            elif css.fetches(value):
                found.append(f"attribute {local} fetches")
    return found


def scrub(root):
    """Remove everything `problems` would complain about, in place; returns root."""
    etree = _etree()
    for el in list(root.iter()):
        if not isinstance(el.tag, str):
            continue
        if _local(el.tag) in BANNED or etree.QName(el.tag).namespace != SVG_NS \
                or _local(el.tag) == "style" and len(el):
            # a <style> holding elements (or entity references): its sheet goes on in their
            # tails, which a browser reads and `el.text` misses; all of it goes
            parent = el.getparent()
            if parent is not None:
                parent.remove(el)
    for el in root.iter():
        if not isinstance(el.tag, str):
            continue
        if _local(el.tag) == "style" and el.text:
            el.text = css.clean_sheet(el.text)  # the rules that fetch go
        for attr in list(el.attrib):
            local = _local(attr).lower()
            value = el.attrib[attr]
            if local.startswith("on") or (local == "href" and not _href_ok(value)) \
                    or css.fetches(value):
                del el.attrib[attr]
    return root


def serialize(root) -> str:
    return _etree().tostring(root, encoding="unicode")


def decode_data_url(url: str) -> bytes | None:
    """The bytes of a data:image/svg+xml URL, or None when it is not one."""
    head, sep, payload = url.strip().partition(",")
    if not sep or not head.lower().startswith(DATA_SVG):
        return None
    try:
        if head.lower().endswith(";base64"):
            return base64.b64decode(payload, validate=True)
        return unquote_to_bytes(payload)
    except ValueError:
        return None


def is_safe_data_url(url: str) -> bool:
    """True for a data:image/svg+xml URL whose SVG has nothing `problems` complains about."""
    data = decode_data_url(url)
    if data is None:
        return False
    try:
        return not problems(parse(data))
    except (_etree().XMLSyntaxError, ValueError):
        return False


def data_url(svg: str) -> str:
    return DATA_SVG + ";base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")
