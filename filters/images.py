#!/usr/bin/env python3
"""Images: relative files must exist inside the proposal's folder; anything else is
replaced by its alt text with a warning, so no format ever reads outside the folder."""

from pathlib import Path
from urllib.parse import unquote, urlsplit

import panflute as pf

from epdoc.pipeline import context
from epdoc.pipeline.fetcher import inside

ORDER = 40
IMAGE_DATA = ("data:image/png", "data:image/jpeg", "data:image/gif", "data:image/webp")


def _alt(elem, note):
    alt = pf.stringify(elem).strip() or Path(urlsplit(elem.url).path).name or "image"
    return pf.Span(pf.Str(f"[{note}: {alt}]"), classes=["missing-image"])


def check(elem, ctx):
    """None when the image may stay, else the reason it may not."""
    url = elem.url.strip()
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme == "data":
        return None if url.lower().startswith(IMAGE_DATA) else "data URL is not an image"
    if scheme in ("http", "https"):
        return None if ctx.options.allow_network else "remote"
    if scheme or url.startswith(("/", "\\")) or parts.netloc:
        return "absolute paths and other schemes are not allowed"
    root = ctx.source_dir
    path = root / unquote(parts.path)
    if not inside(path, [root]):
        return "outside the proposal's folder"
    if not path.is_file():
        return "file not found"
    return None


def action(elem, doc):
    if not isinstance(elem, pf.Image):
        return None
    ctx = context.of(doc)
    why = check(elem, ctx)
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
