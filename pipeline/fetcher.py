"""What WeasyPrint may read: files under allowed folders, data: URLs, and the network
only when asked for."""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import unquote, urlsplit
from urllib.request import url2pathname

from weasyprint.urls import URLFetcher


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
    """A URL fetcher that allows only files under `roots` (and the network if allowed)."""

    def __init__(self, roots, allow_network: bool = False, timeout: float = 10):
        super().__init__(timeout=timeout, allow_redirects=False,
                         allowed_protocols=("file", "data", "http", "https"))
        self.roots = [Path(r) for r in roots]
        self.allow_network = allow_network
        self.refused: list[str] = []

    def fetch(self, url, headers=None):
        scheme = urlsplit(url).scheme.lower()
        if scheme == "file":
            path = Path(url2pathname(unquote(urlsplit(url).path)))
            if not path.is_file() or not inside(path, self.roots):
                return self._refuse(url, "it is outside the proposal's folder or missing")
        elif scheme in ("http", "https"):
            if not self.allow_network:
                return self._refuse(url, "network access is off (use --allow-network)")
        elif scheme != "data":
            return self._refuse(url, f"the {scheme or 'empty'} scheme is not allowed")
        return super().fetch(url, headers)

    def _refuse(self, url, why):
        self.refused.append(f"{url}: {why}")
        raise ValueError(f"refused {url}: {why}")
