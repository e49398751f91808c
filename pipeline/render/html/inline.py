"""Self-contained HTML: every local file the page refers to (images, diagrams, fonts) is
put inside it as a data: URI, so the page opens offline with no other file. Fonts are
subset to the characters the page uses and stored as WOFF2."""

from __future__ import annotations

import base64
import html as htmllib
import io
import mimetypes
import re
from pathlib import Path
from urllib.parse import unquote, urlsplit
from urllib.request import url2pathname

from fontTools import subset as ftsubset
from fontTools.ttLib import TTFont

from epdoc.pipeline.core import paths as proposalpath
from epdoc.pipeline.safety import pictures

FONT_TYPES = {".ttf": "font/ttf", ".otf": "font/otf", ".woff": "font/woff",
              ".woff2": "font/woff2"}
TYPES = {".svg": "image/svg+xml", ".png": "image/png", ".jpg": "image/jpeg",
         ".jpeg": "image/jpeg", ".gif": "image/gif", ".webp": "image/webp",
         ".avif": "image/avif", ".bmp": "image/bmp", ".ico": "image/x-icon", **FONT_TYPES}

# attributes that load a resource: <img src>, <source src>, <object data>, SVG <image href>
ATTR_RE = re.compile(
    r"""(<(?:img|source|object|image|input|video|audio|track|embed)\b[^>]*?\s"""
    r"""(?:src|data|href|xlink:href|poster)\s*=\s*)(["'])(.*?)\2""",
    re.IGNORECASE | re.DOTALL)
URL_RE = re.compile(r"""url\(\s*(["']?)([^"')]+?)\1\s*\)""", re.IGNORECASE)
STYLE_RE = re.compile(r"(<style\b[^>]*>)(.*?)(</style>)", re.IGNORECASE | re.DOTALL)
CSS_ESCAPE_RE = re.compile(r"\\([0-9a-fA-F]{1,6})\s?")
TAG_RE = re.compile(r"<[^>]*>")


def page_characters(html: str) -> set[str]:
    """Every character the page may show: its text, attributes and CSS (escapes decoded),
    plus printable ASCII. A superset is fine; a missing glyph is not."""
    chars = set(htmllib.unescape(TAG_RE.sub(" ", html)))
    chars |= set(htmllib.unescape(html))
    chars |= {chr(int(h, 16)) for h in CSS_ESCAPE_RE.findall(html) if int(h, 16) < 0x110000}
    chars |= {chr(c) for c in range(0x20, 0x7F)}
    chars |= {"\u00a0", "\u2026", "\u2013", "\u2014", "\u2018", "\u2019", "\u201c", "\u201d"}
    return {c for c in chars if c.isprintable() or c == " "}


def subset_font(path: Path, chars: set[str]) -> bytes:
    """The font reduced to `chars` (layout features and names kept), as WOFF2."""
    opts = ftsubset.Options()
    opts.layout_features = ["*"]
    opts.name_IDs = ["*"]
    opts.name_languages = ["*"]
    opts.notdef_outline = True
    opts.glyph_names = False
    opts.hinting = False
    opts.drop_tables += ["FFTM"]  # FontForge timestamps: nothing a browser reads
    opts.flavor = "woff2"
    font = TTFont(str(path), recalcTimestamp=False)
    sub = ftsubset.Subsetter(opts)
    sub.populate(unicodes=sorted(ord(c) for c in chars))
    sub.subset(font)
    out = io.BytesIO()
    font.flavor = "woff2"
    font.save(out, reorderTables=True)
    return out.getvalue()


def picture_check(options):
    """A `vet` for Inliner: the picture policy (pipeline/safety/pictures.py) for a file
    Inliner found inside its roots: real picture bytes, pixel and SVG limits, SVG scrubbed."""

    def vet(path: Path, roots) -> tuple[str, bytes]:
        found = pictures.file(path, pictures.Place(None, tuple(roots), options))
        return found.picture.mime, found.picture.data

    return vet


def data_uri(mime: str, data: bytes) -> str:
    return f"data:{mime};base64,{base64.b64encode(data).decode('ascii')}"


class Inliner:
    """Resolves references against `bases` (first match wins), refusing anything outside
    `roots`; records what it could not inline in `problems`."""

    def __init__(self, bases, roots, chars: set[str] | None = None, vet=None):
        """`vet(path, roots) -> (mime, data)` reads and checks a picture before it goes in
        (raising ValueError to refuse it); fonts are not pictures and are not vetted."""
        self.bases = [Path(b) for b in bases]
        self.roots = [Path(r) for r in roots]
        self.chars = chars
        self.vet = vet
        self.problems: list[str] = []
        self._cache: dict[tuple[Path, bool], str] = {}

    def resolve(self, url: str) -> Path | None:
        parts = urlsplit(url)
        scheme = parts.scheme.lower()
        if scheme == "file":
            candidates = [Path(url2pathname(unquote(parts.path)))]
        elif scheme or parts.netloc or not parts.path:
            return None
        else:
            rel = unquote(parts.path)
            candidates = [Path(rel)] if Path(rel).is_absolute() else [b / rel for b in self.bases]
        if proposalpath.problem(unquote(parts.path)):  # before any file-system call sees it
            return None
        for path in candidates:
            if path.is_file() and proposalpath.inside(path, self.roots):
                return path
        return None

    def uri(self, url: str, font: bool = False) -> str:
        """The data: URI for `url`, or `url` itself when it cannot be inlined."""
        url = htmllib.unescape(url.strip())
        if not url or url.lower().startswith(("data:", "#")):
            return url
        path = self.resolve(url)
        if path is None:
            scheme = urlsplit(url).scheme.lower()
            why = "remote, needs the network" if scheme in ("http", "https") else \
                "not a readable file inside the allowed folders"
            self.problems.append(f"{url}: not inlined ({why})")
            return url
        key = (path.resolve(), font)
        if key not in self._cache:
            ext = path.suffix.lower()
            if ext in FONT_TYPES and self.chars is not None and ext in (".ttf", ".otf"):
                self._cache[key] = data_uri("font/woff2", subset_font(path, self.chars))
            else:
                if self.vet and ext not in FONT_TYPES:
                    try:
                        mime, data = self.vet(path, self.roots)
                    except ValueError as e:
                        self.problems.append(f"{url}: not inlined ({e})")
                        return ""
                else:
                    mime = TYPES.get(ext) or mimetypes.guess_type(path.name)[0] \
                        or "application/octet-stream"
                    data = path.read_bytes()
                self._cache[key] = data_uri(mime, data)
        return self._cache[key]

    def css(self, text: str) -> str:
        def repl(m):
            return f'url("{self.uri(m.group(2), font=True)}")'

        return URL_RE.sub(repl, text)

    def resources(self, page: str) -> str:
        """Images, diagrams and other resources that elements load (not the CSS)."""
        def attr(m):
            return f"{m.group(1)}{m.group(2)}{htmllib.escape(self.uri(m.group(3)))}{m.group(2)}"

        return ATTR_RE.sub(attr, page)

    def html(self, page: str) -> str:
        def style(m):
            return m.group(1) + self.css(m.group(2)) + m.group(3)

        return self.resources(STYLE_RE.sub(style, page))


def self_contained(page: str, bases, roots, subset_fonts: bool = True,
                   vet=None) -> tuple[str, list[str]]:
    """(the page with every local resource inlined, problems found)."""
    inliner = Inliner(bases, roots, page_characters(page) if subset_fonts else None, vet)
    out = inliner.html(page)
    return out, list(dict.fromkeys(inliner.problems))
