"""Rendering: a folder per format (html/, pdf/, docx/), each with its Writer subclass
(found by discovery) and what that format needs after the filters."""

from __future__ import annotations

import functools
import importlib
import pkgutil
from pathlib import Path

from epdoc.pipeline.core import names


class Writer:
    """Writes one format. Subclasses set `name` and `ext` and implement `write`."""

    name: str = ""
    ext: str = ""
    registry: dict[str, type[Writer]] = {}

    def __init_subclass__(cls, **kw):
        super().__init_subclass__(**kw)
        if cls.name:
            Writer.registry[cls.name] = cls

    def __init__(self, options, theme):
        self.options = options
        self.theme = theme

    def target(self, document, outdir: Path) -> Path:
        names.check(document.stem, document.source)  # a plain, portable output name
        return Path(outdir) / f"{document.stem}.{self.ext}"

    def write(self, document, target: Path) -> None:  # pragma: no cover - abstract
        raise NotImplementedError


@functools.cache
def discover() -> dict[str, type[Writer]]:
    for info in pkgutil.walk_packages(__path__, f"{__name__}."):
        importlib.import_module(info.name)
    return dict(Writer.registry)


def get(name: str) -> type[Writer]:
    return discover()[name]
