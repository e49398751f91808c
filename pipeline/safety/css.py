"""CSS judged by its tokens, never by regular expressions: tinycss2 decodes escapes
(`\\75rl(` is `url(`, `@\\69mport` is `@import`) and drops comments (`u/**/rl(`) before
anything is looked at, so no spelling of a fetch gets past. Anything that loads a resource
from outside the document counts: url() and src() other than a local `#id`, @import,
@font-face, image-set() and the other functions that take a picture, and a malformed URL."""

from __future__ import annotations

import re

# functions whose arguments are resources (url() and src() may point at a local #id)
LOADERS = {"image", "image-set", "-webkit-image-set", "cross-fade", "-webkit-cross-fade",
           "element", "-moz-element", "paint", "expression"}
AT_LOADERS = {"import", "font-face"}


def _arguments_local(tokens) -> bool:
    """url("#id") / src(#id): a reference inside the document."""
    values = [t for t in tokens if t.type not in ("whitespace", "comment")]
    if len(values) != 1:
        return False
    only = values[0]
    return only.type == "hash" or (only.type == "string" and only.value.startswith("#"))


def _fetches(tokens) -> bool:
    for token in tokens:
        kind = token.type
        if kind == "error":  # e.g. a bad url(): doubtful is dropped
            return True
        if kind == "url" and not token.value.strip().startswith("#"):
            return True
        if kind == "at-keyword" and token.lower_value in AT_LOADERS:
            return True
        if kind == "function":
            name = token.lower_name
            if name in LOADERS:
                return True
            if name in ("url", "src") and not _arguments_local(token.arguments):
                return True
            if _fetches(token.arguments):
                return True
        if kind in ("() block", "[] block", "{} block") and _fetches(token.content):
            return True
        if kind == "at-rule":
            if token.lower_at_keyword in AT_LOADERS:
                return True
            if _fetches(token.prelude) or _fetches(token.content or []):
                return True
        if kind == "qualified-rule" and (_fetches(token.prelude) or _fetches(token.content)):
            return True
    return False


# a function that loads, named as written (an escaped name has a backslash)
_LOADER_NAME = re.compile(
    r"(?:url|src|image|image-set|cross-fade|element|paint|expression)\(", re.I)


def _may_fetch(text: str) -> bool:
    """Every fetch needs an at-rule (`@`), an escape (`\\`) or a loading function's name
    followed by `(`: without any of them none can be spelled, so nothing is parsed (a
    diagram's `translate(...)` attributes, thousands of them, stay cheap)."""
    return "@" in text or "\\" in text or _LOADER_NAME.search(text) is not None


def fetches(text: str) -> bool:
    """True when a declaration list or value (a style= or presentation attribute) would
    load anything from outside the document."""
    if not _may_fetch(text):
        return False
    import tinycss2  # only for what may fetch: start-up stays light

    return _fetches(tinycss2.parse_component_value_list(text, skip_comments=True))


def sheet_fetches(text: str) -> bool:
    """True when a style sheet would load anything from outside the document."""
    if not _may_fetch(text):
        return False
    import tinycss2  # only for what may fetch: start-up stays light

    return _fetches(tinycss2.parse_stylesheet(text, skip_comments=True, skip_whitespace=True))


def clean_sheet(text: str) -> str:
    """The style sheet without the rules that fetch (unchanged when none does)."""
    if not _may_fetch(text):
        return text
    import tinycss2  # only for what may fetch: start-up stays light

    rules = tinycss2.parse_stylesheet(text, skip_comments=True, skip_whitespace=True)
    kept = [r for r in rules if not _fetches([r])]
    if len(kept) == len(rules):
        return text
    return tinycss2.serialize(kept)
