"""The language a proposal is written in (HTML `lang`, the PDF's /Lang, the DOCX's w:lang
and core properties): its own `lang`/`language` metadata, else the theme's, else English."""

from __future__ import annotations

import re

from epdoc.pipeline.core import settings

# a BCP 47 tag as written: en, en-GB, de-CH-1996, zh-Hant-TW, x-private
TAG = re.compile(r"^[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*$")
KEYS = ("lang", "language")


def valid(value) -> bool:
    return isinstance(value, str) and bool(TAG.match(value.strip()))


def of(document, theme) -> str:
    """The proposal's language tag."""
    extra = getattr(document.record, "extra", None) or {}
    for key in KEYS:
        if valid(extra.get(key)):
            return extra[key].strip()
    return theme_lang(theme)


def theme_lang(theme) -> str:
    value = theme.tokens.get("document", {}).get("lang") if theme is not None else None
    return value.strip() if valid(value) else settings.LANG
