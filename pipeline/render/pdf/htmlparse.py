"""WeasyPrint's HTML parser, tinyhtml5 2.1, without its regex cache miss: `chars_until`
stores each compiled pattern under the pattern itself (`characters = cache[key] = regex`
assigns left to right), so it compiled a pattern again for every text run. Here the cache
builds the same pattern under the key it is looked up by."""

from __future__ import annotations

import re

from tinyhtml5 import inputstream


class Patterns(dict):
    """`chars_until`'s cache: (characters, opposite) → the pattern it would compile."""

    def __missing__(self, key):
        characters, opposite = key
        regex = "".join(f"\\x{ord(character):02x}" for character in characters)
        if not opposite:
            regex = f"^{regex}"
        pattern = self[key] = re.compile(f"[{regex}]+")
        return pattern


if not isinstance(inputstream.characters_until_regex, Patterns):
    inputstream.characters_until_regex = Patterns()
