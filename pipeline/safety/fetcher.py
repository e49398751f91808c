"""What WeasyPrint may read: files under allowed folders, data: URLs, and the network
only when asked for."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote, urlsplit
from urllib.request import url2pathname

from weasyprint.urls import URLFetcher, URLFetcherResponse

from epdoc.pipeline.core import paths as proposalpath
from epdoc.pipeline.core.errors import LimitError
from epdoc.pipeline.core.options import Options
from epdoc.pipeline.safety import pictures

FONTS_AND_STYLES = {".ttf", ".otf", ".woff", ".woff2", ".css"}


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
        # every path WeasyPrint asks for is absolute (a file: URL): only `roots` hold them
        self.place = pictures.Place(None, tuple(self.roots),
                                    (options or Options()).with_(allow_network=allow_network),
                                    file_urls=True)
        self.refused: list[str] = []
        self.over_limit: list[LimitError] = []

    def fetch(self, url, headers=None):
        parts = urlsplit(url)
        scheme = parts.scheme.lower()
        name = url[:40] if scheme == "data" else url
        if scheme == "file" and parts.netloc in ("", "localhost") \
                and Path(unquote(parts.path)).suffix.lower() in FONTS_AND_STYLES:
            try:  # epdoc's own fonts and styles: the same folders, not vetted as pictures
                pictures.allowed_file(Path(url2pathname(unquote(parts.path))), self.place)
            except pictures.Refused as e:
                return self._refuse(proposalpath.shown(name), str(e))
            return super().fetch(url, headers)
        try:
            found = pictures.find(url, self.place, fetch=self._download)
        except pictures.Refused as e:
            return self._refuse(proposalpath.shown(name), str(e))
        except LimitError as e:
            self.over_limit.append(e)
            return self._refuse(proposalpath.shown(name), e.message)
        return URLFetcherResponse(url, found.picture.data, {"Content-Type": found.picture.mime})

    def _download(self, url: str) -> bytes:
        response = super().fetch(url)
        try:
            return response.read(pictures.MAX_FILE_BYTES + 1)
        finally:
            response.close()

    def _refuse(self, url, why):
        self.refused.append(f"{url}: {why}")
        raise ValueError(f"refused {url}: {why}")

    def check(self) -> None:
        """Raise the first picture that was over a limit."""
        if self.over_limit:
            raise self.over_limit[0]
