"""HTML: a standalone page from the Jinja2 template, pictures copied beside it
(pipeline/render/html/copies.py)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from epdoc.pipeline.core import atomic, settings
from epdoc.pipeline.render import Writer
from epdoc.pipeline.render.html import copies as pictures
from epdoc.pipeline.render.html import fixups, inline, page

ASSETS = "assets"


def copy_file(src: Path, dst: Path) -> None:
    if dst.exists() and dst.stat().st_size == src.stat().st_size \
            and dst.read_bytes() == src.read_bytes():
        return
    with atomic.atomic_path(dst) as tmp:
        shutil.copyfile(src, tmp)


class HtmlWriter(Writer):
    name = "html"
    ext = "html"

    def render(self, document, outdir: Path) -> str:
        doc = page.copy_doc(document)
        fixups.apply(doc, document, self.options, "html")
        outdir = Path(outdir)
        src_dir = document.source.parent.resolve()
        copying = not self.options.self_contained and outdir.resolve() != src_dir
        place = pictures.Publisher(src_dir, outdir).place if copying else None
        css, body = page.pandoc_html(doc, self.theme, self.options, document.source, place)
        if self.options.self_contained:
            return self.self_contained(document, body, css, outdir)
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
            roots=[src_dir, outdir, self.theme.root, settings.user_cache()],
            vet=inline.picture_check(self.options))
        for problem in problems:
            document.context.report("warning", "html-inline", problem)
        return html

    def write(self, document, target: Path) -> None:
        atomic.write_text(target, self.render(document, target.parent))
