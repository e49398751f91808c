"""One typed options object shared by the CLI and the API."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path

from epdoc.pipeline.pandoc.runner import DEFAULT_MEMORY, DEFAULT_TIMEOUT
from epdoc.pipeline.reading.sources import DEFAULT_MAX_BYTES
from epdoc.pipeline.safety.pictures import (
    DEFAULT_MAX_DEPTH,
    DEFAULT_MAX_PIXELS,
    DEFAULT_MAX_SVG_ELEMENTS,
)

FORMATS = ("html", "pdf", "docx")


@dataclass(frozen=True)
class Options:
    formats: tuple[str, ...] = FORMATS
    outdir: Path = Path("build")
    allow_network: bool = False
    max_input_bytes: int = DEFAULT_MAX_BYTES
    pandoc_memory: str = DEFAULT_MEMORY
    max_depth: int = DEFAULT_MAX_DEPTH  # how deep blocks and inlines nest (pipeline/reading/depth.py)
    max_image_pixels: int = DEFAULT_MAX_PIXELS  # pixels in one picture (imagesafe.py)
    max_svg_elements: int = DEFAULT_MAX_SVG_ELEMENTS  # drawn by one SVG, <use> expanded
    timeout: float = DEFAULT_TIMEOUT  # seconds for each proposal (and each pandoc run in it)
    jobs: int = 1
    theme: Path | None = None
    source_date_epoch: int | None = None  # None: the SOURCE_DATE_EPOCH variable, if set
    self_contained: bool = False  # HTML with styles, fonts and images inlined
    pdf_variant: str | None = None  # e.g. "pdf/a-3b"
    attach_sources: bool = False  # attach the markdown and its images to the PDF
    cache: bool = True  # skip proposals whose outputs are up to date (build)
    cache_dir: Path | None = None  # None: OUTDIR/.epdoc-cache
    extra: dict = field(default_factory=dict)

    def with_(self, **changes) -> Options:
        return replace(self, **changes)

    @property
    def pandoc_limits(self) -> dict:
        return {"memory": self.pandoc_memory, "timeout": self.timeout}
