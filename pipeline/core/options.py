"""One typed options object shared by the CLI and the API."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path

from epdoc.pipeline.core import settings

FORMATS = settings.FORMATS


def comma_list(value: str, lower: bool = False) -> tuple[str, ...]:
    """'a, b,,a' -> ('a', 'b'): each item once, in order (every comma-separated option)."""
    items = (v.strip() for v in value.split(","))
    return tuple(dict.fromkeys(v.lower() if lower else v for v in items if v))


@dataclass(frozen=True)
class Options:
    formats: tuple[str, ...] = FORMATS
    outdir: Path = settings.OUTDIR
    allow_network: bool = False
    max_input_bytes: int = settings.MAX_INPUT_BYTES
    pandoc_memory: str = settings.PANDOC_MEMORY
    max_depth: int = settings.MAX_DEPTH  # how deep blocks and inlines nest
    max_image_pixels: int = settings.MAX_IMAGE_PIXELS  # pixels in one picture
    max_svg_elements: int = settings.MAX_SVG_ELEMENTS  # drawn by one SVG, <use> expanded
    timeout: float = settings.TIMEOUT  # seconds for each proposal (and each pandoc run in it)
    max_diagram_edges: int = settings.MAX_DIAGRAM_EDGES  # refused before drawing when over
    jobs: int = 1
    theme: Path | None = None
    source_date_epoch: int | None = None  # None: the SOURCE_DATE_EPOCH variable, if set
    self_contained: bool = False  # HTML with styles, fonts and images inlined
    pdf_variant: str | None = None  # e.g. "pdf/a-3b"
    attach_sources: bool = False  # attach the markdown and its images to the PDF
    line_numbers: bool = False  # source line numbers in the PDF's margin (for review)
    pdf_tags: bool = True  # tagged PDF (PDF/UA-1); off only to measure what tagging costs
    cache: bool = True  # skip proposals whose outputs are up to date (build)
    cache_dir: Path | None = None  # None: OUTDIR/.epdoc-cache
    lock_timeout: float = settings.LOCK_TIMEOUT  # waiting for another build's cache lock
    process: str | None = None  # --process: the proposal process for every file (else detected)
    extra: dict = field(default_factory=dict)

    def with_(self, **changes) -> Options:
        return replace(self, **changes)

    @property
    def pandoc_limits(self) -> dict:
        return {"memory": self.pandoc_memory, "timeout": self.timeout}
