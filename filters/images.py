#!/usr/bin/env python3
"""Images: relative files must exist inside the proposal's folder (symlinks resolved, no
hidden folders) and be real pictures within the limits (pipeline/safety/pictures.py); anything
else is replaced by its alt text with a warning, so no format ever reads outside the folder.
A picture over a limit (pixels, SVG elements), or whose path no file can have (a NUL, a name
over 255 bytes: pipeline/core/paths.py), fails the proposal with a one-line error."""

import html
import re
from pathlib import Path
from urllib.parse import quote, unquote, urlsplit

import panflute as pf

from epdoc.pipeline.core import context
from epdoc.pipeline.core import paths as proposalpath
from epdoc.pipeline.core.errors import LimitError
from epdoc.pipeline.safety import pictures as imagesafe


def _alt(elem, note):
    alt = pf.stringify(elem).strip() or Path(urlsplit(elem.url).path).name or "image"
    return pf.Span(pf.Str(f"[{note}: {alt}]"), classes=["missing-image"])


def check(elem, ctx):
    """None when the image may stay, else the reason it may not ("remote": a link instead).
    Raises LimitError for a picture over a limit, PathError for a path no file can have."""
    url = elem.url.strip()
    parts = urlsplit(url)
    if not parts.scheme and not parts.netloc and not url.startswith(("/", "\\")):
        # a path no file can have (NUL, too long, ...) fails the proposal, located
        proposalpath.check(unquote(parts.path), "picture path")
    try:
        found = imagesafe.find(url, imagesafe.Place(ctx.source_dir, options=ctx.options))
    except imagesafe.NetworkOff:
        return "remote"
    except imagesafe.Refused as e:
        return str(e)
    if found.kind == imagesafe.DATA and found.picture.mime == imagesafe.SVG:
        elem.url = found.picture.data_url()  # scrubbed
    elif found.kind == imagesafe.LOCAL:
        elem.url = quote(found.name, safe="/")
    return None


RAW_IMG_SRC = re.compile(r"""<img\b[^>]*?\ssrc\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""",
                         re.IGNORECASE)


def raw_pictures(elem, ctx) -> None:
    """The pictures of raw HTML get the notes markdown pictures get: a remote one becomes a
    link (render/html), a refused one its alt text; the page applies the same policy."""
    if (elem.format or "").lower() != "html":
        return
    for m in RAW_IMG_SRC.finditer(elem.text):
        src = html.unescape(next(g for g in m.groups() if g is not None)).strip()
        try:
            imagesafe.find(src, imagesafe.Place(ctx.source_dir, options=ctx.options))
        except imagesafe.NetworkOff:
            ctx.report("info", "image-remote", f"remote image {src} shown as a link (use "
                       "--allow-network to embed it)", elem)
        except imagesafe.Refused as e:
            ctx.report("warning", "image-missing",
                       f"image {proposalpath.shown(src)!r} not included: {e}", elem)
        except LimitError as e:  # the page fails the proposal, located there
            ctx.report("warning", "image-missing",
                       f"image {proposalpath.shown(src)!r} not included: {e.message}", elem)


def action(elem, doc):
    if isinstance(elem, (pf.RawInline, pf.RawBlock)):
        raw_pictures(elem, context.of(doc))
        return None
    if not isinstance(elem, pf.Image):
        return None
    ctx = context.of(doc)
    try:
        why = check(elem, ctx)
    except (LimitError, proposalpath.PathError) as e:
        e.path, e.line = ctx.source, ctx.where(elem)[0]
        raise
    if why is None:
        return None
    if why == "remote":
        ctx.report("info", "image-remote",
                   f"remote image {elem.url} shown as a link (use --allow-network to embed it)",
                   elem)
        return pf.Link(*(elem.content or [pf.Str(elem.url)]), url=elem.url)
    ctx.report("warning", "image-missing", f"image {elem.url!r} not included: {why}", elem)
    return _alt(elem, "image not found" if why == "file not found" else "image refused")


def main(doc=None):
    return pf.run_filter(action, doc=doc)


if __name__ == "__main__":
    main()
