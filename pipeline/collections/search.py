"""The index's search and filters: each proposal's record and words as JSON in the page,
and a script (styles/scripts/index-search.js) allowed by its hash in the page's
Content-Security-Policy. One offline file: nothing is fetched."""

from __future__ import annotations

import base64
import hashlib
import json
import re
import unicodedata

from markupsafe import Markup

WORD = re.compile(r"\w{3,}", re.UNICODE)
MAX_WORDS = 3000  # distinct words of one proposal kept for the search


def fold(text: str) -> str:
    """Lower case without accents, as the script compares."""
    text = unicodedata.normalize("NFKD", str(text).lower())
    return "".join(c for c in text if not unicodedata.combining(c))


def words(text: str) -> list[str]:
    """The distinct words of a proposal (three letters or more), in order of first use."""
    return list(dict.fromkeys(WORD.findall(fold(text))))[:MAX_WORDS]


def _fields(record: dict) -> dict:
    out = {}
    for key, value in record.items():
        if value in (None, "", [], {}):
            continue
        if isinstance(value, (list, tuple)):
            out[key] = [str(v) for v in value if isinstance(v, (str, int, float))]
        elif isinstance(value, (str, int, float)):
            out[key] = str(value)
    return out


def entry(record: dict, text: str) -> dict:
    fields = _fields(record)
    flat = " ".join(" ".join(v) if isinstance(v, list) else v for v in fields.values())
    return {"fields": fields, "text": fold(flat), "words": words(text)}


def data_json(entries: list[dict]) -> Markup:
    """JSON safe inside <script type="application/json">: no `<`, `>` or `&` as written."""
    text = json.dumps(entries, ensure_ascii=False, separators=(",", ":"))
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return Markup(text)


def script(theme) -> str:
    return (theme.root / "scripts" / "index-search.js").read_text(encoding="utf-8")


def csp_hash(source: str) -> str:
    digest = hashlib.sha256(source.encode("utf-8")).digest()
    return "'sha256-" + base64.b64encode(digest).decode("ascii") + "'"
