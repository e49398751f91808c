"""The files a proposal is made of: its markdown and the local images it shows."""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import unquote, urlsplit

import panflute as pf

from epdoc.pipeline.config import layout
from epdoc.pipeline.core.paths import inside


def local_images(document) -> list[str]:
    """Relative paths (POSIX, normalized) of the image files inside the proposal's folder
    that the filtered document shows, each once, in document order."""
    root = document.source.parent.resolve()
    found: dict[str, None] = {}

    def action(elem, _doc):
        if not isinstance(elem, pf.Image):
            return
        parts = urlsplit(elem.url.strip())
        if parts.scheme or parts.netloc or not parts.path or parts.path.startswith(("/", "\\")):
            return
        rel = os.path.normpath(unquote(parts.path))
        path = root / rel
        if path.is_file() and inside(path, [root]):
            found[Path(rel).as_posix()] = None

    document.doc.walk(action)
    return list(found)


def source_files(document) -> list[tuple[str, Path]]:
    """(name relative to the proposal's folder, path): the markdown first, then its sidecars
    (a KEP's kep.yaml), then images."""
    files = [(document.source.name, document.source)]
    files += [(f.name, f) for f in layout.sidecars(document.source)]
    root = document.source.parent
    files += [(rel, root / rel) for rel in local_images(document)]
    return files
