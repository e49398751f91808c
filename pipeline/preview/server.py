"""The preview's HTTP server: the index, each proposal's page, the files of the output folder
(its pictures, fonts and PDFs) and nothing else, and the event stream pages reload by.

Only GET and HEAD. A path is decoded once and must name a regular file inside the output
folder once symlinks are resolved, with no `.`/`..` part and no hidden one; anything else is
404. A request naming another host than the one served (a DNS-rebinding page in the
browser) gets a one-line refusal.
"""

from __future__ import annotations

import os
import stat
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

from epdoc.pipeline.preview import pages
from epdoc.pipeline.preview.site import Site

KEEPALIVE = 15.0  # seconds between comments on an idle event stream
TYPES = {".html": "text/html; charset=utf-8", ".pdf": "application/pdf",
         ".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".gif": "image/gif",
         ".webp": "image/webp", ".svg": "image/svg+xml", ".ttf": "font/ttf", ".otf": "font/otf",
         ".woff": "font/woff", ".woff2": "font/woff2"}


def inside(root: Path, url_path: str) -> Path | None:
    """The file of the output folder `root` that `url_path` names, or None: decoded once,
    no empty, `.`, `..` or hidden part, no NUL or backslash, a regular file inside `root`
    once every symlink is resolved."""
    if not url_path.isascii():
        return None
    try:
        raw = unquote(url_path, errors="strict")
    except UnicodeDecodeError:
        return None
    if not raw.startswith("/") or "\\" in raw or any(ord(c) < 32 or ord(c) == 127 for c in raw):
        return None
    parts = raw.split("/")[1:]
    if not parts or any(p in ("", ".", "..") or p.startswith(".") for p in parts):
        return None
    real_root = Path(os.path.realpath(root))
    path = Path(os.path.realpath(real_root.joinpath(*parts)))
    if real_root not in path.parents:
        return None
    try:
        return path if stat.S_ISREG(os.stat(path).st_mode) else None
    except (OSError, ValueError):
        return None


class Server(ThreadingHTTPServer):
    daemon_threads = True  # an open event stream never holds the exit

    def __init__(self, address, site: Site, hosts: set[str] | None):
        self.site = site
        self.hosts = hosts  # Host headers answered; None: any (--host 0.0.0.0)
        super().__init__(address, Handler)

    @property
    def url(self) -> str:
        host, port = self.server_address[:2]
        host = f"[{host}]" if ":" in host else host
        return f"http://{host}:{port}/"


class Handler(BaseHTTPRequestHandler):
    server: Server
    server_version = "epdoc-preview"
    sys_version = ""

    def log_message(self, format, *args):  # noqa: A002 - quiet: the terminal is for findings
        pass

    def do_HEAD(self):  # noqa: N802
        self.do_GET(body=False)

    def do_GET(self, body: bool = True):  # noqa: N802
        if not self._host_ok():
            return self._send(HTTPStatus.MISDIRECTED_REQUEST, _text(
                f"epdoc preview answers only at {self.server.url} (start it with --host to "
                "serve another address)"), "text/plain; charset=utf-8", body)
        url = urlsplit(self.path)
        site = self.server.site
        if url.path == "/events":
            return self._events(parse_qs(url.query).get("page", [pages.INDEX])[0])
        if url.path == "/favicon.ico":  # browsers ask; nothing to show, and no error
            self.send_response(HTTPStatus.NO_CONTENT)
            self.end_headers()
            return None
        if url.path == "/":
            if len(site.entries) == 1 and not any(p.is_dir() for p in site.paths):
                entry = next(iter(site.entries.values()))
                return self._redirect(f"/{entry.name}.html")
            return self._send(HTTPStatus.OK, pages.index(site), TYPES[".html"], body)
        name, dot, ext = url.path[1:].rpartition(".")
        entry = site.entries.get(name) if dot and ext == "html" and "/" not in name else None
        if entry is not None:
            return self._send(HTTPStatus.OK, pages.proposal(site, entry), TYPES[".html"], body)
        path = inside(site.outdir, url.path)
        kind = TYPES.get(path.suffix.lower()) if path else None
        if path is None or kind is None or path.suffix == ".html":
            return self._send(HTTPStatus.NOT_FOUND, _text(
                f"not found: {url.path} (the preview serves its proposals' pages and "
                "pictures only)"), "text/plain; charset=utf-8", body)
        try:
            data = path.read_bytes()
        except OSError:
            return self._send(HTTPStatus.NOT_FOUND, _text(f"not found: {url.path}"),
                              "text/plain; charset=utf-8", body)
        return self._send(HTTPStatus.OK, data, kind, body)

    def _host_ok(self) -> bool:
        hosts = self.server.hosts
        return hosts is None or (self.headers.get("Host") or "").lower() in hosts

    def _send(self, status, data: bytes, kind: str, body: bool = True) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Cache-Control", "no-store")
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Referrer-Policy", "no-referrer")
        if kind.startswith("image/svg"):
            self.send_header("Content-Security-Policy", "default-src 'none'; "
                             "style-src 'unsafe-inline'; img-src data:; sandbox")
        self.end_headers()
        if body:
            self.wfile.write(data)

    def _redirect(self, where: str) -> None:
        self.send_response(HTTPStatus.FOUND)
        self.send_header("Location", where)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def _events(self, page: str) -> None:
        """Server-sent events: the page's state now, then at each change."""
        site = self.server.site
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        seen = -1
        try:
            while not site.closing:
                now = site.changes
                if now != seen:
                    self.wfile.write(pages.event(site, page))
                else:
                    self.wfile.write(b": still here\n\n")
                self.wfile.flush()
                seen = now
                site.wait(seen, KEEPALIVE)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the page was closed or reloaded


def _text(message: str) -> bytes:
    return (message + "\n").encode("utf-8")
