"""The tagging measure of `make bench` (issue 16): what a tagged PDF (PDF/UA-1, the default)
costs against an untagged one, per page, for every proposal of the real corpus. Each PDF is
written both ways in this process, alternately, from one reading of the proposal; the
best of `repeat` runs counts."""

from __future__ import annotations

import time
from pathlib import Path

import pypdfium2 as pdfium

from epdoc.pipeline.config import theme as themes
from epdoc.pipeline.core.options import Options
from epdoc.pipeline.reading import document as documents
from epdoc.pipeline.reading.sources import discover
from epdoc.pipeline.render.pdf.writer import PdfWriter


def _pages(path: Path) -> int:
    pdf = pdfium.PdfDocument(str(path))
    try:
        return len(pdf)
    finally:
        pdf.close()


def measure(folders, work: Path, repeat: int = 2) -> dict:
    out = work / "tagging-out"
    out.mkdir(parents=True, exist_ok=True)
    files = discover(list(folders))
    best = {True: 0.0, False: 0.0}
    pages = 0
    for f in files:
        options = Options(outdir=out)
        document = documents.load(f, options)
        theme = themes.load(options.theme)
        times = {True: [], False: []}
        for _ in range(max(1, repeat)):
            for tags in (True, False):
                writer = PdfWriter(options.with_(pdf_tags=tags), theme)
                target = out / f"{document.stem}-{'tagged' if tags else 'plain'}.pdf"
                t = time.perf_counter()
                writer.write(document, target)
                times[tags].append(time.perf_counter() - t)
        pages += _pages(out / f"{document.stem}-tagged.pdf")
        for tags in (True, False):
            best[tags] += min(times[tags])
    tagged, plain = best[True] / max(1, pages), best[False] / max(1, pages)
    more = 100 * (tagged / plain - 1) if plain else 0.0
    print(f"  tagged PDF (PDF/UA-1) of {len(files)} proposals, {pages} pages: "
          f"{tagged * 1000:.0f} ms per page tagged, {plain * 1000:.0f} ms untagged "
          f"(+{(tagged - plain) * 1000:.0f} ms, {more:+.0f}%)", flush=True)
    return {"pdf_pages": pages, "pdf_per_page_tagged": tagged, "pdf_per_page_untagged": plain}
