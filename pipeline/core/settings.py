"""Every default, limit and environment variable of epdoc, in one place.

Options (core/options.py) take their defaults from here; modules read the environment only
through the functions below. The README lists the same variables.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

# --- limits (each has a command-line option) ----------------------------------------------
MAX_INPUT_BYTES = 2 * 1024 * 1024  # a proposal, front matter with YAML aliases expanded
MAX_DEPTH = 64  # nesting of quotes, lists, inlines, HTML, SVG
MAX_IMAGE_PIXELS = 50_000_000  # pixels in one picture
MAX_SVG_ELEMENTS = 50_000  # elements one SVG draws, <use> expanded
PANDOC_MEMORY = "1024m"  # pandoc's heap
TIMEOUT = 120.0  # seconds for one proposal, all its formats and diagrams
MAX_DIAGRAM_EDGES = 500  # edges one mermaid diagram may draw (mermaid's own default)
LOCK_TIMEOUT = 600.0  # seconds a build waits for another one using the same build cache

# --- limits without an option --------------------------------------------------------------
MAX_PICTURE_BYTES = 64 * 1024 * 1024  # one picture file
MAX_SIDECAR_BYTES = 256 * 1024  # a proposal's metadata sidecar (kep.yaml)
PROCESS_SNIFF_BYTES = 16 * 1024  # read from a proposal to tell its process
LIFECYCLE_MAX_SCAN = 20_000  # files epdoc new / status look at to find ids
TEMPLATE_SEARCH_DEPTH = 4  # folders above the proposals' one epdoc new looks in for a template
MAX_APPROVALS = 200  # approvals read for one proposal (more are left out, with a warning)
MAX_DIAGRAM_SOURCE = 50_000  # characters of one mermaid diagram; a bigger one is refused
DIAGRAM_TIMEOUT = 60.0  # seconds per diagram
MAX_REVIEWED_DOCX_PART = 64 * 1024 * 1024  # one XML part of a DOCX read back (epdoc comments)
SVG_RASTER_MAX_PIXELS = 4_000_000  # the PNG a DOCX shows where SVG is not read
SVG_RASTER_SCALE = 2.0  # that PNG's pixels per CSS pixel of the picture's frame
SVG_RASTER_TIMEOUT = 20.0  # seconds to draw one such PNG
REDLINE_MAX_COMMITS = 5000  # commits to one proposal since the redline's --since revision
REDLINE_MAX_VERSIONS = 50  # of those, the newest read to tell who deleted what (DOCX)

# --- defaults ------------------------------------------------------------------------------
FORMATS = ("html", "pdf", "docx")
OUTDIR = Path("build")
LANG = "en"  # a document's language when neither the proposal nor the theme says
CACHE_NAME = ".epdoc-cache"  # the build cache, in the output folder unless --cache-dir
ARCHIVE_STATUSES = ("Accepted", "Implementable", "Implemented")
PACKET_TITLE = "Enhancement Proposals: Review Packet"
PREVIEW_HOST = "127.0.0.1"  # epdoc preview listens here only, unless --host says otherwise
PREVIEW_PORT = 8000  # epdoc preview's port (--port; 0: any free one)
PREVIEW_DEBOUNCE_MS = 50  # epdoc preview: saves this close together make one rebuild
PREVIEW_STEP_MS = 25  # epdoc preview: how often the watcher looks for more changes

# --- environment variables -------------------------------------------------------------------
ENVIRONMENT = {
    "EPDOC_DEBUG": "1: print tracebacks of internal errors",
    "EPDOC_CACHE": "epdoc's user cache folder (default: $XDG_CACHE_HOME/epdoc or ~/.cache/epdoc)",
    "EPDOC_DIAGRAM_CACHE": "where drawn diagrams are kept (default: the build cache's "
                           "diagrams/, else $EPDOC_CACHE/diagrams)",
    "EPDOC_DIAGRAM_TIMEOUT": f"seconds allowed per diagram (default: {DIAGRAM_TIMEOUT:g})",
    "EPDOC_DIAGRAM_ENGINE": "quickjs: draw diagrams in QuickJS only (default: V8, QuickJS "
                            "for what V8 cannot draw)",
    "EPDOC_PANDOC_SERVER": "0: start pandoc once per conversion instead of one long-lived "
                           "pandoc per worker",
    "PYPANDOC_PANDOC": "a pandoc binary to use instead of the one pypandoc-binary ships",
    "SOURCE_DATE_EPOCH": "the time written into outputs, for reproducible builds",
    "GITHUB_ACTIONS": "true: lint and build print GitHub annotations",
    "GITHUB_WORKSPACE": "the root paths in GitHub annotations are relative to",
    "CI": "set: no progress bar",
}


def env(name: str) -> str | None:
    """An environment variable epdoc knows (listed above), or None when unset or empty."""
    assert name in ENVIRONMENT, name
    return os.environ.get(name) or None


def debug() -> bool:
    return bool(env("EPDOC_DEBUG"))


def user_cache() -> Path:
    """epdoc's own cache folder (reference documents, diagrams), created on first use; a
    temporary one when it cannot be."""
    base = env("EPDOC_CACHE")
    if base:
        path = Path(base).absolute()
    else:
        root = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"),
                                                                ".cache")
        path = Path(root) / "epdoc"
    try:
        path.mkdir(parents=True, exist_ok=True)
        return path
    except OSError:
        return Path(tempfile.gettempdir()) / "epdoc-cache"


def diagram_cache(options=None) -> Path:
    """Where drawn diagrams are kept: $EPDOC_DIAGRAM_CACHE, else the options' (the build
    cache's diagrams/), else the user cache's; a temporary folder when none can be made."""
    override = env("EPDOC_DIAGRAM_CACHE") or \
        (options.extra.get("diagram_cache") if options is not None else None)
    # absolute, wherever it is (a relative -o, a hidden folder): epdoc's own pictures are
    # read by absolute path from trusted folders (safety/pictures.py), never as a proposal's
    path = Path(override).absolute() if override else user_cache() / "diagrams"
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError:  # no cache where asked: one for this machine's temporary files
        path = Path(tempfile.gettempdir()) / "epdoc-diagrams"
        path.mkdir(parents=True, exist_ok=True)
    return path
