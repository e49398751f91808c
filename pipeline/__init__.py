"""The conversion pipeline: parse once, filter in-process, write three formats."""

from epdoc import __version__

__all__ = ["__version__"]
