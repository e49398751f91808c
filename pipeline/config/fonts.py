"""What a font file says about itself."""

from __future__ import annotations

import functools
from pathlib import Path


@functools.cache
def family_name(path: Path) -> str:
    """The family name inside a font file (what Word shows)."""
    from fontTools.ttLib import TTFont  # only when asked: lint never needs it

    name = TTFont(str(path), lazy=True)["name"]
    return name.getDebugName(16) or name.getDebugName(1)
