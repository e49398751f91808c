#!/usr/bin/env python3
"""Links: a relative link to another proposal (./EP-002-x.md, with or without #anchor) points
at that proposal's output in the same format (EP-002-x.html#anchor in HTML, .pdf in PDF,
.docx in DOCX; outputs sit side by side, named after their source). A link to a folder
proposal of the same run (`../2727-grpc-probe/README.md#goals`, or its folder) points at
the output that run named (`2727-grpc-probe.html#goals`: pipeline/config/layout.py).
Links inside the document (#anchor) are left as they are: every format keeps heading ids.
Whether targets and anchors exist is lint's job (pipeline/lint/content.py).
"""

import os
from pathlib import Path, PurePosixPath
from urllib.parse import quote, unquote, urlsplit

import panflute as pf

from epdoc.pipeline.config import layout

NOT_PROPOSALS = {"readme.md", "index.md"}
EXT = {"html": "html", "html4": "html", "html5": "html", "pdf": "pdf", "latex": "pdf",
       "docx": "docx"}


def proposal_target(url: str):
    """(path, fragment) when `url` is a relative link to a markdown file, else None."""
    parts = urlsplit(url.strip())
    if parts.scheme or parts.netloc or not parts.path or parts.path.startswith(("/", "\\")):
        return None
    path = unquote(parts.path)
    if not path.lower().endswith(".md"):
        return None
    return path, parts.fragment


def run_target(url: str, ext: str, source, options) -> str | None:
    """The link to the output of a proposal converted in the same run (a file, a folder
    proposal's file, or its folder), or None."""
    parts = urlsplit(url.strip())
    if parts.scheme or parts.netloc or not parts.path or parts.path.startswith(("/", "\\")):
        return None
    path = unquote(parts.path).replace("\\", "/")
    if "\x00" in path:
        return None
    target = os.path.normpath(Path(source).parent.resolve() / path)
    name = layout.linked_name(target, options)
    if not name:
        return None
    return quote(f"{name}.{ext}") + (f"#{parts.fragment}" if parts.fragment else "")


def rewrite(url: str, ext: str, source=None, options=None) -> str:
    """The link to the proposal's output in format `ext`, or `url` unchanged. With the
    linking proposal's `source` and the run's `options`, links to the run's proposals point
    at the outputs the run named."""
    if source is not None:
        found = run_target(url, ext, source, options)
        if found:
            return found
    found = proposal_target(url)
    if not found:
        return url
    path, fragment = found
    name = PurePosixPath(path.replace("\\", "/")).name
    if name.lower() in NOT_PROPOSALS:
        return url
    stem = name[:-3]
    return quote(f"{stem}.{ext}") + (f"#{fragment}" if fragment else "")


def action(elem, doc):
    fmt = (doc.format or "json").lower()
    if isinstance(elem, pf.Link) and fmt in EXT:  # standalone pandoc -F: rewrite for the target
        elem.url = rewrite(elem.url, EXT[fmt])
    return None


def rewrite_all(doc, ext: str) -> None:
    ctx = getattr(doc, "epdoc", None)  # the proposal and the run, when epdoc runs it
    source = getattr(ctx, "source", None)
    options = getattr(ctx, "options", None)

    def act(elem, _doc):
        if isinstance(elem, pf.Link):
            elem.url = rewrite(elem.url, ext, source, options)

    doc.walk(act)


def main(doc=None):
    return pf.run_filter(action, doc=doc)


if __name__ == "__main__":
    main()
