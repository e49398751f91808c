"""Pictures a proposal may show, checked by their bytes before any format reads them.

- A local picture is a file inside the proposal's folder tree (symlinks resolved), with no
  hidden part in its path (`.git/`, `.env`): `local_file` says which, or why not.
- Its bytes must be a PNG, JPEG, GIF, WebP or SVG picture (`vet`): a text file named
  `x.png` is refused, whatever its name says.
- A raster picture may have at most `max_image_pixels` pixels (read from its header, never
  decoded here): a few kB can decode to gigabytes.
- An SVG is parsed without external entities or DTDs, scrubbed (pipeline/safety/svg.py: no
  script, handler, HTML island or outside reference), and may draw at most
  `max_svg_elements` elements once every <use> is expanded, nested at most `max_depth`.
"""

from __future__ import annotations

import base64
import hashlib
import html
import io
import os
import posixpath
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, unquote, unquote_to_bytes, urlsplit

from epdoc.pipeline.core import paths as proposalpath
from epdoc.pipeline.core import settings
from epdoc.pipeline.core.errors import EpdocError, InputError, LimitError, OutputError
from epdoc.pipeline.core.options import Options
from epdoc.pipeline.safety import css
from epdoc.pipeline.safety import svg as svgsafe

DEFAULT_MAX_PIXELS = settings.MAX_IMAGE_PIXELS
DEFAULT_MAX_SVG_ELEMENTS = settings.MAX_SVG_ELEMENTS
DEFAULT_MAX_DEPTH = settings.MAX_DEPTH
MAX_FILE_BYTES = settings.MAX_PICTURE_BYTES
RASTER = {"PNG": "image/png", "JPEG": "image/jpeg", "GIF": "image/gif", "WEBP": "image/webp"}
SVG = "image/svg+xml"
KINDS = "a PNG, JPEG, GIF, WebP or SVG picture"


class Refused(ValueError):
    """This picture may not be shown; the message says why (for a warning)."""


@dataclass(frozen=True)
class Picture:
    mime: str
    data: bytes  # the bytes to show: as read for raster pictures, scrubbed for SVG
    width: int = 0
    height: int = 0

    def data_url(self) -> str:
        return f"data:{self.mime};base64,{base64.b64encode(self.data).decode('ascii')}"


def limits_of(options) -> tuple[int, int, int]:
    o = options if options is not None else Options()
    return o.max_image_pixels, o.max_svg_elements, o.max_depth


# --- the picture policy: where a picture may come from, for every format ---------------

LOCAL, DATA, REMOTE = "local", "data", "remote"


class NetworkOff(Refused):
    """A remote picture while the network is off (--allow-network)."""


@dataclass(frozen=True)
class Place:
    """Where the pictures of one proposal may come from."""
    root: Path | None  # relative paths: a file inside this folder tree; None: none allowed
    trusted: tuple = ()  # absolute paths: a file inside one of these folders
    options: object = None  # the limits, and whether the network is allowed
    file_urls: bool = False  # file: URLs (what WeasyPrint asks for) count as absolute paths


@dataclass(frozen=True)
class Found:
    kind: str  # LOCAL, DATA or REMOTE
    picture: Picture | None  # the checked bytes; None for a remote picture not fetched
    name: str = ""  # LOCAL: the clean relative path (or the file name); REMOTE: the URL
    path: Path | None = None  # LOCAL: the file read


def find(url: str, place: Place, fetch=None) -> Found:
    """The one picture policy: whether and how the picture at `url` is read, whatever the
    format or filter asking. A data: URL is decoded; a remote picture needs the network
    allowed, and is read only through `fetch(url) -> bytes` (no redirects) when given; a
    relative path must name a file inside `place.root`, an absolute one a file inside one of
    `place.trusted`, neither through a hidden folder nor a symlink out. Whatever is read is
    checked by its bytes (`vet`). Raises Refused (the reason), NetworkOff, or LimitError."""
    url = url.strip()
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme == "data":
        _, data = decode_data_url(url)
        return Found(DATA, vet(data, "in a data URL", place.options))
    if scheme in ("http", "https") and parts.netloc:
        if not getattr(place.options, "allow_network", False):
            raise NetworkOff("network access is off (use --allow-network)")
        if fetch is None:
            return Found(REMOTE, None, url)
        data = fetch(url)
        if len(data) > MAX_FILE_BYTES:
            raise Refused("it is larger than any picture epdoc reads")
        return Found(REMOTE, vet(data, url, place.options), url)
    if place.trusted and ((scheme == "file" and place.file_urls
                           and parts.netloc in ("", "localhost"))
                          or (not scheme and not parts.netloc and url.startswith("/"))):
        from urllib.request import url2pathname  # urllib.request is slow to import

        return file(Path(url2pathname(unquote(parts.path))), place)
    if place.root is None:
        raise Refused("relative paths are not allowed here")
    path, clean = local_file(url, place.root)
    return Found(LOCAL, vet(read_file(path), clean, place.options), clean, path)


def allowed_file(path: Path, place: Place) -> Path:
    """The resolved file an absolute path names, when it may be read: inside one of
    `place.trusted`, through no hidden folder. Raises Refused otherwise."""
    why = proposalpath.problem(str(path))  # before any file-system call sees it
    if why:
        raise Refused(why)
    root = proposalpath.root_of(path, place.trusted)
    if root is None or not Path(path).is_file():
        raise Refused("outside the allowed folders, or missing")
    real = Path(os.path.realpath(path))
    if proposalpath.hidden(real.relative_to(root).parts):
        raise Refused("hidden files and folders are not read")
    return real


def file(path: Path, place: Place) -> Found:
    """The policy for an absolute path already found (a file: URL, a picture epdoc drew):
    an allowed file, checked by its bytes."""
    real = allowed_file(path, place)
    return Found(LOCAL, vet(read_file(real), real.name, place.options), real.name, real)


def local_file(url: str, root: Path) -> tuple[Path, str]:
    """(resolved path, clean relative path) of a relative picture URL inside `root`;
    raises Refused with the reason otherwise."""
    parts = urlsplit(url.strip())
    if parts.scheme or parts.netloc or url.strip().startswith(("/", "\\")):
        raise Refused("absolute paths and other schemes are not allowed")
    rel = unquote(parts.path)
    if not rel:
        raise Refused("empty path")
    why = proposalpath.problem(rel)  # before any file-system call sees it
    if why:
        raise Refused(why)
    if "\\" in rel:
        raise Refused("backslashes are not allowed in paths (use /)")
    clean = posixpath.normpath(rel)
    if clean == ".." or clean.startswith("../") or clean.startswith("/"):
        raise Refused("outside the proposal's folder")
    if proposalpath.hidden(clean.split("/")):
        raise Refused("hidden files and folders are not read")
    real_root = proposalpath.root_of(root, [root])
    real = Path(os.path.realpath(real_root / clean))
    if proposalpath.root_of(real, [real_root]) is None:
        raise Refused("outside the proposal's folder")
    if proposalpath.hidden(real.relative_to(real_root).parts):
        raise Refused("hidden files and folders are not read")
    if not real.is_file():
        raise Refused("file not found")
    return real, clean


def read_file(path: Path) -> bytes:
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise Refused(f"file is {size} bytes, larger than any picture epdoc reads")
    return path.read_bytes()


def decode_data_url(url: str) -> tuple[str, bytes]:
    """(media type, bytes) of a data: URL; raises Refused when it is not one."""
    head, sep, payload = url.strip().partition(",")
    if not sep or not head.lower().startswith("data:"):
        raise Refused("not a data URL")
    media = head[5:].split(";")[0].strip().lower()
    try:
        if head.lower().endswith(";base64"):
            data = base64.b64decode("".join(unquote(payload).split()), validate=True)
        else:
            data = unquote_to_bytes(payload)
    except ValueError:
        raise Refused("the data URL does not decode") from None
    if not media.startswith("image/"):
        raise Refused("a data URL that is not a picture")
    return media, data


# --- pictures epdoc made itself --------------------------------------------------------

OWN = "epdoc-picture"  # AST attribute of a picture epdoc made: what it is ("diagram")
LINE = "epdoc-line"  # and the line of what it was made from


def own(attributes: dict) -> str | None:
    """What epdoc made a picture as (its AST attributes), or None for a proposal's own."""
    return attributes.get(OWN) or None


def line_of(attributes: dict) -> int | None:
    line = attributes.get(LINE, "")
    return int(line) if line.isdigit() else None


def cannot_place(attributes: dict, alt: str, where: str, why: str, path=None) -> InputError:
    """A picture epdoc made that a format cannot place fails the proposal, at the line of
    what it was made from: never a picture silently lost."""
    return InputError(f"{own(attributes)} {alt!r} cannot be placed in the {where}: {why}",
                      path=path, line=line_of(attributes),
                      hint="epdoc drew it: empty epdoc's cache folders and build again; if it "
                      "happens again, please report it")


# --- what a picture is ---------------------------------------------------------------

_checked: dict[tuple, Picture] = {}


def vet(data: bytes, name: str, options=None) -> Picture:
    """The picture in `data`, checked and (for SVG) scrubbed. Raises Refused when it is not
    a picture, LimitError when it is over a limit."""
    limits = limits_of(options)
    digest = hashlib.sha256(data).digest()
    key = (digest, limits)
    if key not in _checked:
        if len(_checked) > 128:
            _checked.clear()
        pic = _vet(data, limits, digest)
        # remembered without a raster picture's bytes (the caller has them)
        _checked[key] = pic if pic.mime == SVG else Picture(pic.mime, b"", pic.width,
                                                              pic.height)
    pic = _checked[key]
    if pic.mime != SVG:
        pic = Picture(pic.mime, data, pic.width, pic.height)
    max_pixels = limits[0]
    if pic.mime != SVG and pic.width * pic.height > max_pixels:
        raise LimitError(
            f"image {name} has {pic.width}x{pic.height} = {pic.width * pic.height} pixels, "
            f"over the image pixel limit of {max_pixels}",
            hint="raise it with --max-image-pixels")
    return pic


def _looks_like_svg(data: bytes) -> bool:
    head = data[:4096].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return head.startswith(b"<") and b"<svg" in data[:65536].lower()


_pillow_max_pixels: list[int] = []  # Pillow's own default, read before epdoc changes it


def _pillow():
    """Pillow's Image module (its own pixel limit noted before epdoc changes it)."""
    from PIL import Image  # on the first raster picture not remembered: start-up stays light

    if not _pillow_max_pixels:
        _pillow_max_pixels.append(Image.MAX_IMAGE_PIXELS or 0)
    return Image


def _read_header(data: bytes) -> dict:
    """What Pillow reads from a raster picture's header: its format and size; format None
    when Pillow cannot read it."""
    image = _pillow()
    image.MAX_IMAGE_PIXELS = None  # only the header is read here; vet() compares
    try:
        with image.open(io.BytesIO(data), formats=list(RASTER)) as im:
            fmt, (w, h) = im.format, im.size
    except Exception:  # noqa: BLE001 - whatever Pillow cannot read is not a picture
        return {"format": None, "width": 0, "height": 0}
    return {"format": fmt, "width": w, "height": h}


def _header(data: bytes, digest: bytes) -> dict:
    """`_read_header(data)`, remembered by the bytes' digest for this version of Pillow
    (with Pillow's own pixel limit): a lint of a proposal whose pictures were read before
    imports no Pillow."""
    from PIL import __version__ as pillow  # Pillow's package only: light

    from epdoc.pipeline.core import memo

    def read() -> dict:
        return {**_read_header(data), "default": _pillow_max_pixels[0]}

    return memo.remembered(f"pictures/{digest.hex()[:32]}.json", [digest.hex(), pillow], read,
                           valid=lambda v: isinstance(v, dict)
                           and isinstance(v.get("default"), int))


def _vet(data: bytes, limits, digest: bytes) -> Picture:
    if _looks_like_svg(data):
        return _svg(data, limits)
    header = _header(data, digest)
    # WeasyPrint decodes with Pillow, which refuses pictures over its own limit: never
    # below what epdoc allows (and never lowered for the rest of the process). A Pillow not
    # imported yet has its own limit still, which only a larger one of epdoc's changes.
    if "PIL.Image" in sys.modules or limits[0] > header["default"]:
        image = _pillow()
        image.MAX_IMAGE_PIXELS = max(limits[0], _pillow_max_pixels[0])
    if header["format"] is None:
        raise Refused(f"not {KINDS}")
    return Picture(RASTER[header["format"]], data, header["width"], header["height"])


def _parser():
    from lxml import etree  # on the first SVG: start-up stays light

    # internal entities only (libxml2 bounds their expansion); no DTD, no network
    return etree.XMLParser(resolve_entities="internal", no_network=True, load_dtd=False,
                           huge_tree=False, remove_comments=True, remove_pis=True)


def _svg(data: bytes, limits) -> Picture:
    from lxml import etree  # on the first SVG: start-up stays light

    _, max_elements, max_depth = limits
    if len(data) > svgsafe.MAX_BYTES:
        raise Refused(f"SVG larger than {svgsafe.MAX_BYTES // (1024 * 1024)} MB")
    try:
        root = etree.fromstring(data, _parser())
    except etree.XMLSyntaxError as e:
        raise Refused(f"not a well-formed SVG ({str(e).split(',')[0]})") from None
    if not isinstance(root.tag, str) or etree.QName(root.tag).localname != "svg" \
            or etree.QName(root.tag).namespace != svgsafe.SVG_NS:
        raise Refused("not an SVG picture (no <svg> root in the SVG namespace)")
    for style in list(root.iter(f"{{{svgsafe.SVG_NS}}}style")):
        if css.sheet_fetches(style.text or ""):
            style.getparent().remove(style)  # a style sheet that fetches: all of it goes
    svgsafe.scrub(root)
    for el in root.iter():  # pictures inside the SVG: the same checks
        for attr in ("href", f"{{{svgsafe.XLINK_NS}}}href"):
            if (el.get(attr) or "").strip().lower().startswith("data:"):
                try:
                    vet(decode_data_url(el.get(attr))[1], "inside an SVG image",
                        Options(max_image_pixels=limits[0], max_svg_elements=limits[1],
                                max_depth=limits[2]))
                except Refused:
                    del el.attrib[attr]
    count, depth = measure(root, max_elements)
    if count > max_elements:
        raise LimitError(
            f"SVG image draws more than {max_elements} elements once its <use> references "
            f"are expanded, over the SVG element limit",
            hint="raise it with --max-svg-elements")
    if depth > max_depth:
        raise LimitError(
            f"SVG image is nested {depth} levels deep, over the nesting depth limit of "
            f"{max_depth}", hint="raise it with --max-depth")
    return Picture(SVG, etree.tostring(root, encoding="utf-8"))


def measure(root, limit: int) -> tuple[int, int]:
    """(elements drawn, nesting depth) of an SVG with every <use> expanded; a reference
    cycle counts as over `limit`. Iterative: the tree may be deep."""
    from lxml import etree  # the tree is lxml's: already imported

    ids = {}
    for el in root.iter():
        if isinstance(el.tag, str) and el.get("id"):
            ids.setdefault(el.get("id"), el)

    def deps(el):
        out = [c for c in el if isinstance(c.tag, str)]
        if etree.QName(el.tag).localname == "use":
            ref = el.get("href") or el.get(f"{{{svgsafe.XLINK_NS}}}href") or ""
            if ref.startswith("#") and ref[1:] in ids:
                out.append(ids[ref[1:]])
        return out

    done: dict = {}
    active: set = set()
    stack = [(root, False)]
    while stack:
        el, ready = stack.pop()
        if el in done:
            continue
        if not ready:
            active.add(el)
            stack.append((el, True))
            for d in deps(el):
                if d in active:
                    return limit + 1, 0  # a <use> that contains itself
                if d not in done:
                    stack.append((d, False))
            continue
        found = [done[d] for d in deps(el)]
        count = min(1 + sum(c for c, _ in found), limit + 1)
        done[el] = (count, 1 + max((d for _, d in found), default=0))
        active.discard(el)
    return done[root]


class HtmlImages:
    """The policy for <img src> in rendered HTML (raw HTML in a proposal included), applied
    by the sanitizer: the same rules as for markdown images; a refused source is dropped.
    Pictures over a limit are kept in `over_limit` for `check()` to raise, and so is a
    picture that could not be copied beside the page (its <img> is dropped either way: a page
    never points at a file that was not written)."""

    def __init__(self, root: Path, options=None, place=None):
        self.root = Path(root)
        self.options = options
        self.place = place  # place(clean path, checked bytes) -> path the page uses
        self.over_limit: list[EpdocError] = []
        self.remote: set[str] = set()  # remote pictures kept as links (network off)

    def __call__(self, src: str) -> str | None:
        # the sanitizer keeps an attribute whose filter raised: fail closed here instead
        try:
            return self._src(src)
        except OSError as e:  # copying it beside the page failed: reported by check()
            where = proposalpath.shown(str(e.filename or ""))
            self.over_limit.append(OutputError(
                f"picture '{proposalpath.shown(src)}' could not be copied beside the page: "
                f"{e.strerror or e} ({where})", hint="check the output folder"))
            return None
        except Exception as e:  # noqa: BLE001 - reported by check(), the <img> dropped
            self.over_limit.append(e if isinstance(e, EpdocError) else InputError(
                f"picture '{proposalpath.shown(src)}' could not be checked: "
                f"{type(e).__name__}: {e}"))
            return None

    def _src(self, src: str) -> str | None:
        try:
            found = find(src, Place(self.root, options=self.options))
        except NetworkOff:
            self.remote.add(src)  # a link to it, as for a markdown picture (remote_as_links)
            return src
        except Refused:
            return None
        except LimitError as e:
            self.over_limit.append(e)
            return None
        if found.kind == DATA:
            if found.picture.mime == SVG and not svgsafe.is_safe_data_url(src.strip()):
                return found.picture.data_url()  # the scrubbed SVG
            return src
        if found.kind == REMOTE:
            return src
        shown = self.place(found.name, found.picture.data) if self.place else found.name
        return quote(shown, safe="/")

    def remote_as_links(self, body: str) -> str:
        """The sanitized `body` with each remote <img> (network off) as a link to the
        picture, its alt text (or address) as the text, and each refused one (its source
        dropped) as its alt text: what a markdown picture gets."""

        def link(m) -> str:
            src = re.search(r'\ssrc="([^"]*)"', m.group(0))
            if src is None:
                alt = re.search(r'\salt="([^"]*)"', m.group(0))
                text = alt.group(1) if alt and alt.group(1).strip() else "image"
                return f'<span class="missing-image">[image refused: {text}]</span>'
            if html.unescape(src.group(1)) not in self.remote:
                return m.group(0)
            alt = re.search(r'\salt="([^"]*)"', m.group(0))
            text = alt.group(1) if alt and alt.group(1).strip() else src.group(1)
            return f'<a href="{src.group(1)}" class="remote-image">{text}</a>'

        return re.sub(r"<img\b[^>]*>", link, body)

    def check(self, path=None) -> None:
        if self.over_limit:
            e = self.over_limit[0]
            e.path = e.path or path
            raise e
