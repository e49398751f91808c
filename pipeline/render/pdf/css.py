"""The PDF's stylesheet, compiled once per process instead of once per proposal.

Every proposal's page carries the same theme stylesheet (about 17 kB) in its <style>, and
WeasyPrint parsed it, and loaded the theme's fonts, for each one: a fifth of the time of a
small proposal. Here the stylesheet is taken out of the page, compiled once (with one font
configuration holding the theme's fonts) and handed to WeasyPrint ready; the cascade is the
same, as the page has no other style sheet. WeasyPrint's warnings about the stylesheet are
kept and given again for each proposal that uses it.
"""

from __future__ import annotations

import hashlib
import logging
import re
from collections import OrderedDict

import weasyprint

STYLE = re.compile(r"<style>(.*?)</style>", re.S)
KEEP = 8  # stylesheets kept (they differ only by the highlighting CSS of code)

_compiled: OrderedDict = OrderedDict()
_fonts = None


class Collect(logging.Handler):
    """Keeps WeasyPrint's warnings (first line of each)."""

    def __init__(self):
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record):
        self.messages.append(record.getMessage().splitlines()[0])


def prepare(html: str, base_url: str, fetcher, new_fonts):
    """(page without its stylesheet, [compiled stylesheet], font configuration, warnings),
    or the page as it is with a fresh font configuration when it has not one <style>."""
    global _fonts
    found = STYLE.findall(html)
    if len(found) != 1 or "<style" in html.replace("<style>", "", 1):
        return html, [], new_fonts(), []
    css = found[0]
    if _fonts is None:
        _fonts = new_fonts()
    key = hashlib.sha256(f"{base_url}\n{css}".encode()).hexdigest()
    if key not in _compiled:
        handler = Collect()
        logger = logging.getLogger("weasyprint")
        logger.addHandler(handler)
        try:
            sheet = weasyprint.CSS(string=css, base_url=base_url, url_fetcher=fetcher,
                                   font_config=_fonts)
        finally:
            logger.removeHandler(handler)
        _compiled[key] = (sheet, handler.messages)
        while len(_compiled) > KEEP:
            _compiled.popitem(last=False)
    _compiled.move_to_end(key)
    sheet, warnings = _compiled[key]
    return STYLE.sub("", html, count=1), [sheet], _fonts, list(warnings)
