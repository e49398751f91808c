"""Front matter that is not valid YAML: what can be read is recovered line by line.

GitHub shows such a page anyway (an "Error in user YAML" box, then the front matter as a
code block), and so does epdoc: the simple lines (`key: value` and `- item` lists under a
key: title, authors, dates, status) are read one by one, handed to pandoc as valid YAML on
as many lines as the original (so every later line keeps its number), and the page shows a
warning with the YAML message and the front matter as written. The YAML message and its
line come from a safe loader (PyYAML), else from pandoc's own message.
"""

from __future__ import annotations

import datetime
import json
import re
from dataclasses import dataclass, field

import yaml

FRONT_RE = re.compile(r"\A(---[ \t]*\n)(.*?\n)((?:---|\.\.\.)[ \t]*)(?:\n|\Z)", re.DOTALL)
KEY_RE = re.compile(r"^([A-Za-z0-9_][A-Za-z0-9_ .-]*?)[ \t]*:(?:[ \t]+(.*?))?[ \t]*$")
ITEM_RE = re.compile(r"^[ \t]*-(?:[ \t]+(.*?))?[ \t]*$")
COMMENT_RE = re.compile(r"[ \t]+#.*$")
CODE = "front-matter-invalid"


@dataclass
class Recovered:
    """A proposal whose front matter does not parse: the text pandoc reads instead, the
    front matter as written, and the YAML problem (message and source line)."""
    text: str
    raw: str
    message: str
    line: int | None
    values: dict[str, str | list[str]] = field(default_factory=dict)


def split(text: str) -> tuple[str, str] | None:
    """(front matter as written, without its --- lines; the rest) or None."""
    m = FRONT_RE.match(text)
    return (m.group(2), text[m.end():]) if m else None


def problem(raw: str) -> tuple[str, int | None] | None:
    """(message, source line) of the YAML error in front matter `raw`, or None when a safe
    loader reads it. Source lines count the opening --- as line 1."""
    try:
        yaml.safe_load(raw)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        parts = [p for p in (exc.context, exc.problem) if p]
        message = ": ".join(parts) or str(exc)
        return message, (mark.line + 2 if mark is not None else None)
    except yaml.YAMLError as exc:
        return " ".join(str(exc).split()), None
    except RecursionError:
        return "nested too deeply", None
    except (ValueError, OverflowError):
        return None  # read, but a value is not what its form says (a 13th month): pandoc's
    return None


def _scalar(value: str) -> str:
    """One value as a reader means it: quotes and a trailing comment removed, dates as
    ISO; what YAML cannot read alone stays as written."""
    if not value.startswith(("'", '"')):
        value = COMMENT_RE.sub("", value)
    try:
        loaded = yaml.safe_load(value)
    except (yaml.YAMLError, RecursionError, ValueError, OverflowError):
        return value.strip().strip("'\"").strip()  # `"@name` (a quote left open)
    if isinstance(loaded, (datetime.date, datetime.datetime)):
        return loaded.isoformat()
    if isinstance(loaded, bool):
        return value.strip()
    if isinstance(loaded, (str, int, float)):
        return str(loaded)
    return value.strip()


def _flow_list(value: str) -> list[str] | None:
    """`[a, b]` as a list of scalars, else None."""
    if not value.startswith("["):
        return None
    try:
        loaded = yaml.safe_load(value)
    except (yaml.YAMLError, RecursionError, ValueError, OverflowError):
        return None
    if isinstance(loaded, list) and all(isinstance(v, (str, int, float, datetime.date))
                                        for v in loaded):
        return [v.isoformat() if isinstance(v, datetime.date) else str(v) for v in loaded]
    return None


def read_lines(raw: str) -> dict[str, str | list[str]]:
    """The simple lines of `raw`: top-level `key: value`, `- item` lines under a key with
    no value, or its value on the indented lines below it; a key given twice keeps its
    first value; anything else (nested mappings, block scalars) is skipped."""
    values: dict[str, str | list[str]] = {}
    current: str | None = None  # the key whose list items may follow
    for line in raw.split("\n"):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        m = KEY_RE.match(line)
        if m and not line[0].isspace():
            key, value = m.group(1), (m.group(2) or "").strip()
            current = None
            if key in values:
                continue
            if not value:
                current = key
                values[key] = []
            elif value[0] in "|>":
                continue  # a block scalar: its lines are not read one by one
            else:
                listed = _flow_list(value)
                values[key] = listed if listed is not None else _scalar(value)
            continue
        item = ITEM_RE.match(line)
        if item and current is not None and isinstance(values[current], list):
            if item.group(1):
                values[current].append(_scalar(item.group(1)))  # type: ignore[union-attr]
            continue
        nested = KEY_RE.match(line.strip())  # a mapping under the key: not read
        if current is not None and line[0].isspace() and not item and not nested \
                and (values[current] == [] or isinstance(values[current], str)):
            # `status:` then `    implemented`: a plain value on the lines below its key
            before = values[current] if isinstance(values[current], str) else ""
            values[current] = _scalar(f"{before} {line.strip()}".strip())
            continue
        if not line[0].isspace():
            current = None
    return {k: v for k, v in values.items() if v != []}


def recover(text: str, pandoc_message: str = "", pandoc_line: int | None = None) \
        -> Recovered | None:
    """The recovered proposal when `text` has front matter, else None."""
    parts = split(text)
    if parts is None:
        return None
    raw, body = parts
    found = problem(raw)
    message, line = found if found else (pandoc_message, pandoc_line)
    values = read_lines(raw)
    lines = [f"{json.dumps(k, ensure_ascii=False)}: {json.dumps(v, ensure_ascii=False)}"
             for k, v in values.items()]
    count = raw.count("\n")
    if lines:
        lines += ["#"] * (count - len(lines))
        front = "---\n" + "".join(f"{x}\n" for x in lines) + "---\n"
    else:  # nothing to read: blank lines keep the body where it was
        front = "\n" * (count + 2)
    return Recovered(front + body, raw, message, line, values)


def _text(words: str) -> list[dict]:
    out: list[dict] = []
    for word in words.split():
        if out:
            out.append({"t": "Space"})
        out.append({"t": "Str", "c": word})
    return out


def shown(recovered: Recovered) -> list[dict]:
    """What the page shows in place of the front matter, as GitHub does: a warning with the
    YAML message, then the front matter as written in a YAML code block (pandoc JSON)."""
    where = f" (line {recovered.line})" if recovered.line else ""
    title = {"t": "Div", "c": [["", ["title"], []], [{"t": "Para", "c": _text("Warning")}]]}
    said = {"t": "Para", "c": _text(
        f"Error in the front matter's YAML{where}: {recovered.message}. "
        "It is shown as written; the metadata table holds what could be read.")}
    code = {"t": "CodeBlock", "c": [["", ["yaml"], []], recovered.raw.rstrip("\n")]}
    return [{"t": "Div", "c": [["", ["warning", "front-matter-invalid"], []], [title, said]]},
            code]


def place(ast: dict, recovered: Recovered) -> None:
    """Put `shown()` after the title (the first heading, when it is a level-1 one), else
    first."""
    blocks = ast.setdefault("blocks", [])
    at = 0
    for i, block in enumerate(blocks):
        if block.get("t") == "Header":
            at = i + 1 if block["c"][0] == 1 else 0
            break
    blocks[at:at] = shown(recovered)
