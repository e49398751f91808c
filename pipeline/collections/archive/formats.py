"""The archive's layout: names and formats every part of it agrees on."""

from __future__ import annotations

import re

from epdoc.pipeline.core import settings
from epdoc.pipeline.core.errors import EpdocError

FORMAT = "epdoc-archive/1"
DEFAULT_STATUSES = settings.ARCHIVE_STATUSES
PDF_VARIANT = "pdf/a-3b"
SUMS = "SHA256SUMS"
MANIFEST = "manifest.json"
TOP_FILES = {SUMS, "index.html", "index.json"}
SOURCE_DIR = "source"
STAGING = ".staging-"  # a version being written; a leftover of an interrupted run
DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
VERSION_RE = re.compile(r"^(\d{4}-\d{2}-\d{2})(?:\.(\d+))?$")



class ArchiveError(EpdocError):
    """The archive folder cannot be used."""
