"""What WeasyPrint may read: files under allowed folders, data: URLs, and the network
only when asked for."""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import unquote, urlsplit
from urllib.request import url2pathname

from weasyprint.urls import URLFetcher, URLFetcherResponse

from epdoc.pipeline.core import paths as proposalpath
from epdoc.pipeline.core.errors import LimitError
from epdoc.pipeline.safety import pictures as imagesafe

FONTS_AND_STYLES = {".ttf", ".otf", ".woff", ".woff2", ".css"}


def inside(path: Path, roots) -> bool:
    """True when `path` (symlinks resolved) lies under one of `roots`."""
    try:
        real = Path(os.path.realpath(path))
    except (OSError, ValueError):
        return False
    for root in roots:
        root = Path(os.path.realpath(root))
        if real == root or root in real.parents:
            return True
    return False


class SafeFetcher(URLFetcher):
    """A URL fetcher that allows only files under `roots` (and the network if allowed).

    What it hands to WeasyPrint is checked by its bytes: pictures must be real pictures
    within the limits (pipeline/safety/pictures.py; SVG scrubbed), from a file under `roots` with
    no hidden part in its path, a data: URL, or the network with --allow-network (no
    redirects followed); fonts and style sheets only from files under `roots` (epdoc's own
    HTML is the only thing that can refer to those: the sanitizer drops every stylesheet,
    style element and attachment a proposal writes). A picture over a limit is recorded;
    `check()` raises it once WeasyPrint is done."""

    def __init__(self, roots, allow_network: bool = False, timeout: float = 10,
                 options=None):
        super().__init__(timeout=timeout, allow_redirects=False,
                         allowed_protocols=("file", "data", "http", "https"))
        self.roots = [Path(r) for r in roots]
        self.allow_network = allow_network
        self.options = options
        self.refused: list[str] = []
        self.over_limit: list[LimitError] = []

    def fetch(self, url, headers=None):
        parts = urlsplit(url)
        scheme = parts.scheme.lower()
        if scheme == "file":
            if parts.netloc not in ("", "localhost"):
                return self._refuse(url, "it is on another host")
            why = proposalpath.problem(unquote(parts.path))
            if why:  # before any file-system call sees it
                return self._refuse(proposalpath.shown(url), why)
            path = Path(url2pathname(unquote(parts.path)))
            root = self._root(path)
            if root is None or not path.is_file():
                return self._refuse(url, "it is outside the proposal's folder or missing")
            real = Path(os.path.realpath(path))
            if any(p.startswith(".") for p in real.relative_to(root).parts):
                return self._refuse(url, "hidden files and folders are not read")
            if real.suffix.lower() in FONTS_AND_STYLES:
                return super().fetch(url, headers)
            try:
                data = imagesafe.read_file(real)
            except imagesafe.Refused as e:
                return self._refuse(url, str(e))
            return self._picture(url, data)
        if scheme in ("http", "https"):
            if not self.allow_network:
                return self._refuse(url, "network access is off (use --allow-network)")
            response = super().fetch(url, headers)
            try:
                data = response.read(imagesafe.MAX_FILE_BYTES + 1)
            finally:
                response.close()
            if len(data) > imagesafe.MAX_FILE_BYTES:
                return self._refuse(url, "it is larger than any picture epdoc reads")
            return self._picture(url, data)
        if scheme == "data":
            try:
                _, data = imagesafe.decode_data_url(url)
            except imagesafe.Refused as e:
                return self._refuse(url[:40], str(e))
            return self._picture(url[:40], data, url)
        return self._refuse(url, f"the {scheme or 'empty'} scheme is not allowed")

    def _root(self, path: Path) -> Path | None:
        try:
            real = Path(os.path.realpath(path))
        except (OSError, ValueError):
            return None
        for root in self.roots:
            root = Path(os.path.realpath(root))
            if real == root or root in real.parents:
                return root
        return None

    def _picture(self, name, data: bytes, url=None):
        try:
            pic = imagesafe.vet(data, name, self.options)
        except imagesafe.Refused as e:
            return self._refuse(name, str(e))
        except LimitError as e:
            self.over_limit.append(e)
            return self._refuse(name, e.message)
        return URLFetcherResponse(url or name, pic.data, {"Content-Type": pic.mime})

    def _refuse(self, url, why):
        self.refused.append(f"{url}: {why}")
        raise ValueError(f"refused {url}: {why}")

    def check(self) -> None:
        """Raise the first picture that was over a limit."""
        if self.over_limit:
            raise self.over_limit[0]
