"""HTML: a standalone page from the Jinja2 template, images copied beside it."""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from urllib.parse import quote, unquote, urlsplit

import panflute as pf

from .. import atomic, fixups, imagesafe, inline, reference
from .. import html as page
from . import Writer

ASSETS = "assets"


def local_images(doc):
    """Relative image paths (already checked by the images filter)."""
    found = []

    def action(elem, _doc):
        if isinstance(elem, pf.Image):
            parts = urlsplit(elem.url)
            if not parts.scheme and not parts.netloc and parts.path:
                found.append(unquote(parts.path))

    doc.walk(action)
    return found


def copy_file(src: Path, dst: Path) -> None:
    if dst.exists() and dst.stat().st_size == src.stat().st_size \
            and dst.read_bytes() == src.read_bytes():
        return
    with atomic.atomic_path(dst) as tmp:
        shutil.copyfile(src, tmp)


def copy_picture(src_dir: Path, rel: str, outdir: Path, options) -> None:
    """A checked picture (SVG scrubbed) from the proposal's folder to the same place
    beside the page; `rel` is never allowed to climb out of either folder."""
    try:
        path, clean = imagesafe.local_file(quote(rel, safe="/"), src_dir)
        pic = imagesafe.vet(imagesafe.read_file(path), clean, options)
    except imagesafe.Refused:
        return
    target = outdir / clean
    if target.is_file() and target.read_bytes() == pic.data:
        return
    atomic.write_bytes(target, pic.data)


class HtmlWriter(Writer):
    name = "html"
    ext = "html"

    def render(self, document, outdir: Path) -> str:
        doc = page.copy_doc(document)
        fixups.apply(doc, document, self.name, self.options)
        css, body = page.pandoc_html(doc, self.theme, self.options, document.source)
        outdir = Path(outdir)
        src_dir = document.source.parent.resolve()
        if self.options.self_contained:
            return self.self_contained(document, body, css, outdir)
        if outdir.resolve() != src_dir:
            shown = local_images(doc) + document.context.state.get("html_images", [])
            for rel in dict.fromkeys(shown):
                copy_picture(src_dir, rel, outdir, self.options)
        fonts = outdir / ASSETS / "fonts"
        for family in self.theme.tokens["fonts"]["faces"]:
            for f in self.theme.font_files(family).values():
                copy_file(f, fonts / f.name)

        def font_url(path: Path) -> str:
            return Path(os.path.relpath(fonts / path.name, outdir)).as_posix()

        return page.page(document, self.theme, body, css, fonts_url=font_url, print_css=False)

    def self_contained(self, document, body: str, css: str, outdir: Path) -> str:
        """One file: images, diagrams and fonts (subset) inlined as data: URIs."""
        html = page.page(document, self.theme, body, css, fonts_url=lambda p: p.as_uri(),
                         print_css=False)
        src_dir = document.source.parent.resolve()
        html, problems = inline.self_contained(
            html, bases=[src_dir, outdir],
            roots=[src_dir, outdir, self.theme.root, reference.cache_dir()],
            vet=inline.picture_check(self.options))
        for problem in problems:
            document.context.report("warning", "html-inline", problem)
        return html

    def write(self, document, target: Path) -> None:
        atomic.write_text(target, self.render(document, target.parent))
