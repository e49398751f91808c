"""Imported once by the process workers are forked from (pool.py): everything a conversion
needs, so no worker pays for the imports and all of them share this memory."""

import contextlib
import ctypes.util
import gc
import re
import shutil
import subprocess


@contextlib.contextmanager
def _quick_library_lookup():
    """WeasyPrint asks ctypes for about twenty library names (Windows and macOS spellings
    first), and every miss makes ctypes run gcc and ld: 0.3 s of each build's start. While
    importing, answer from ldconfig's cache, read once (WeasyPrint also tries each library's
    full file name, which loads without a lookup)."""
    ldconfig = shutil.which("ldconfig") or "/sbin/ldconfig"
    try:
        listing = subprocess.run([ldconfig, "-p"], capture_output=True, text=True,
                                 timeout=10).stdout
    except (OSError, subprocess.SubprocessError):
        yield
        return
    sonames = re.findall(r"^\s*(\S+) \(", listing, re.M)
    original = ctypes.util.find_library

    def find_library(name):
        pattern = re.compile(rf"(?:lib)?{re.escape(name)}\.so(?:\.[\d.]+)?")
        return next((s for s in sonames if pattern.fullmatch(s)), None)

    ctypes.util.find_library = find_library
    try:
        yield
    finally:
        ctypes.util.find_library = original


with _quick_library_lookup():
    from epdoc import filters
    from epdoc.pipeline import render as writers
    from epdoc.pipeline.convert import proposal

    writers.discover()
    filters.discover()
proposal.Builder  # noqa: B018 - imported for the workers


def _hyphenation() -> None:
    """The hyphenation patterns of the theme's language, read once here (a third of a
    second) instead of in each worker: pyphen keeps them per file, for every Pyphen."""
    import pyphen

    from epdoc.pipeline.config import theme as themes
    from epdoc.pipeline.render import language

    try:
        lang = pyphen.language_fallback(language.theme_lang(themes.load(None)))
        if lang:
            pyphen.Pyphen(lang=lang)
    except Exception:  # noqa: BLE001 - only an optimisation: the workers read them instead
        pass


_hyphenation()
gc.freeze()  # imported modules live as long as the process: keep them out of collections
