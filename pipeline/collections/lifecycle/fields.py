"""Metadata as written in a proposal's text (YAML front matter, a sidecar such as kep.yaml, a
bold-key paragraph, a bullet list, `Key: value` lines): found, changed and added in place,
in the file's own style and line endings, every other byte kept."""

from __future__ import annotations

import re
from dataclasses import dataclass

LINE_RE = re.compile(r"[^\n]*\n|[^\n]+")  # lines with their endings (only \n splits)
FENCE_RE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
HEADING_RE = re.compile(r"^ {0,3}(#{1,6})(?:[ \t]+(.*?))?[ \t#]*$")
YAML_KEY_RE = re.compile(r"^(?P<key>[A-Za-z_][\w .\-]*?)[ \t]*:(?=[ \t]|$)[ \t]*")
# `**Key**: value`, `**Key:** value`, `- **Key**: value`, `* Key: value`, `Key: value`
BOLD_RE = re.compile(r"^(?P<lead>[ \t]{0,3}(?:[-*+][ \t]+)?)\*\*(?P<key>[^*\n]+?)"
                     r"(?P<inner>[ \t]*:?)\*\*(?P<outer>[ \t]*:?)[ \t]*")
PLAIN_RE = re.compile(r"^(?P<lead>[ \t]{0,3}(?:[-*+][ \t]+)?)(?P<key>[A-Za-z][\w ()\-/]*?)"
                      r"[ \t]*:(?=[ \t]|$)[ \t]*")
TAIL_RE = re.compile(r"(?:[ \t]*(?:\\|<br\s*/?>)|[ \t]{2,})?[ \t]*$", re.IGNORECASE)
YAML_PLAIN_OK = re.compile(r"^[A-Za-z0-9_@(][^:#\n]*$")


def lines_of(text: str) -> list[str]:
    return LINE_RE.findall(text)


def ending(line: str) -> str:
    return "\r\n" if line.endswith("\r\n") else "\n" if line.endswith("\n") else ""


def body_of(line: str) -> str:
    return line[:len(line) - len(ending(line))]


def newline_of(lines: list[str]) -> str:
    """The file's line ending: its first line's, else \\n."""
    for line in lines:
        if ending(line):
            return ending(line)
    return "\n"


@dataclass
class Spot:
    """One metadata key as written: its line(s), where its value is on the key line, and
    the style to write another key like it."""
    key: str  # as written
    first: int  # its key line (index into the lines)
    last: int  # its last line (a YAML list or block spans several)
    start: int  # the value's columns on the key line
    stop: int
    style: str  # "yaml", "bold" or "plain"
    lead: str = ""  # indentation and bullet before the key
    form: str = ""  # a bold key's punctuation: "**Key**:" or "**Key:**"
    quote: str = ""  # a YAML value's quote character

    def value(self, lines) -> str:
        return body_of(lines[self.first])[self.start:self.stop]


# --- YAML (front matter, sidecar) -----------------------------------------------------------

def front_matter(lines: list[str]) -> tuple[int, int] | None:
    """(first, end) line indexes of the front matter's keys (between the --- lines)."""
    if not lines or body_of(lines[0]).lstrip("\ufeff").rstrip() != "---":
        return None
    for i in range(1, len(lines)):
        if body_of(lines[i]).rstrip() in ("---", "..."):
            return 1, i
    return None


def _yaml_value(text: str, at: int) -> tuple[int, int, str]:
    """(start, stop, quote) of a YAML scalar starting at `at` (a comment left out)."""
    rest = text[at:]
    if rest[:1] in ("'", '"'):
        q = rest[0]
        i = 1
        while i < len(rest):
            if rest[i] == "\\" and q == '"':
                i += 2
                continue
            if rest[i] == q:
                if q == "'" and rest[i + 1:i + 2] == "'":
                    i += 2
                    continue
                return at + 1, at + i, q
            i += 1
        return at, len(text), ""
    m = re.search(r"[ \t]+#", rest)
    value = rest[:m.start()] if m else rest
    return at, at + len(value.rstrip()), ""


def yaml_spots(lines: list[str], first: int, end: int) -> list[Spot]:
    """The top-level keys of the YAML in lines[first:end]."""
    spots: list[Spot] = []
    for i in range(first, end):
        text = body_of(lines[i])
        m = YAML_KEY_RE.match(text)
        if m is None:
            if spots and (text[:1] in (" ", "\t", "-") or not text.strip()
                          or text.lstrip().startswith("#")):
                if text.strip() and not text.lstrip().startswith("#"):
                    spots[-1].last = i
            continue
        start, stop, quote = _yaml_value(text, m.end())
        spots.append(Spot(m.group("key"), i, i, start, stop, "yaml", quote=quote))
    return spots


def yaml_scalar(value: str, quote: str = "") -> str:
    """`value` as a YAML scalar, in the quotes the old one had when it had some."""
    if quote == "'":
        return "'" + value.replace("'", "''") + "'"
    if quote == '"' or not YAML_PLAIN_OK.match(value) or value.strip() != value \
            or value.lower() in ("yes", "no", "true", "false", "null", "on", "off", "~"):
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return value


# --- markdown body --------------------------------------------------------------------------

def title_line(lines: list[str], start: int = 0) -> int | None:
    """The first level-1 ATX heading outside code, or None."""
    fence = None
    for i in range(start, len(lines)):
        text = body_of(lines[i])
        m = FENCE_RE.match(text)
        if m:
            fence = None if fence and m.group(1)[0] == fence else fence or m.group(1)[0]
            continue
        if fence:
            continue
        h = HEADING_RE.match(text)
        if h:
            return i if len(h.group(1)) == 1 else None
    return None


def body_spots(lines: list[str], start: int, known, title: bool = True) -> list[Spot]:
    """Metadata lines in the body from `start` (the title's line when `title`) to the next
    heading: bold keys (any key) and `Key: value` lines whose key `known(key)` accepts;
    lines inside an HTML comment are not metadata."""
    spots: list[Spot] = []
    comment = False
    for i in range(start, len(lines)):
        text = body_of(lines[i])
        if comment:
            comment = "-->" not in text
            continue
        if "<!--" in text and "-->" not in text.split("<!--", 1)[1]:
            comment = True
            continue
        if FENCE_RE.match(text):
            break
        if HEADING_RE.match(text):
            if i == start and title:
                continue
            break
        m = BOLD_RE.match(text)
        if m and ":" in m.group("inner") + m.group("outer"):
            form = "**{key}:**" if ":" in m.group("inner") else "**{key}**:"
            stop = len(text) - len(TAIL_RE.search(text).group())
            spots.append(Spot(m.group("key").strip(), i, i, m.end(), max(m.end(), stop),
                              "bold", m.group("lead"), form))
            continue
        m = PLAIN_RE.match(text)
        if m and known(m.group("key")):
            stop = len(text) - len(TAIL_RE.search(text).group())
            spots.append(Spot(m.group("key").strip(), i, i, m.end(), max(m.end(), stop),
                              "plain", m.group("lead")))
    return spots


# --- edits ----------------------------------------------------------------------------------

def set_value(lines: list[str], spot: Spot, value: str) -> None:
    """Write `value` over the spot's value; a YAML key with a block below becomes a scalar."""
    text = body_of(lines[spot.first])
    if spot.style == "yaml":
        quote = spot.quote
        start = spot.start - (1 if quote else 0)
        stop = spot.stop + (1 if quote else 0)
        new = text[:start] + yaml_scalar(value, quote) + text[stop:]
        if start == len(text.rstrip()) and not text[start:].strip():  # `key:` alone
            new = text.rstrip() + " " + yaml_scalar(value)
        lines[spot.first] = new + ending(lines[spot.first])
        del lines[spot.first + 1:spot.last + 1]
        spot.last = spot.first
        return
    lines[spot.first] = text[:spot.start] + value + text[spot.stop:] \
        + ending(lines[spot.first])


def _tail(text: str) -> str:
    """A line's hard break (two spaces, a backslash, <br>), or ""."""
    m = TAIL_RE.search(text)
    tail = m.group() if m else ""
    return tail if tail.strip() or len(tail) >= 2 else ""


def add_after(lines: list[str], like: Spot, key: str, value: str, after: Spot | None = None):
    """Add `key: value` after `after` (default: `like`), written the way `like` is."""
    after = after or like
    at = after.last
    eol = ending(lines[at]) or newline_of(lines)
    if not ending(lines[at]):  # the last line of the file had no newline: it gets one
        lines[at] += eol
        eol = ""
    if like.style == "yaml":
        line = f"{key}: {yaml_scalar(value)}"
    else:
        key_text = like.form.format(key=key) if like.style == "bold" else f"{key}:"
        tail = _tail(body_of(lines[at]))
        if not tail and not re.match(r"[ \t]*[-*+]", like.lead) and at > 0:
            above = _tail(body_of(lines[at - 1]))  # a paragraph's lines end in hard breaks
            if above and body_of(lines[at - 1]).strip():  # but its last one: it gets one
                lines[at] = body_of(lines[at]).rstrip(" \t") + above + ending(lines[at])
        line = f"{like.lead}{key_text} {value}{tail}"
    lines.insert(at + 1, line + eol)


def add_list_item(lines: list[str], spot: Spot, value: str) -> None:
    """Add `value` to a YAML list key (block `- x` items or a flow `[a, b]` list)."""
    text = body_of(lines[spot.first])
    inline = text[spot.start:].strip()
    if inline.startswith("[") and inline.endswith("]"):
        inner = inline[1:-1].strip()
        items = f"{inner}, {yaml_scalar(value)}" if inner else yaml_scalar(value)
        lines[spot.first] = text[:spot.start] + f"[{items}]" + ending(lines[spot.first])
        return
    if inline and spot.last == spot.first:  # a scalar: becomes "old, new"
        set_value(lines, spot, f"{spot.value(lines)}, {value}")
        return
    indent = "  "
    for i in range(spot.first + 1, spot.last + 1):
        m = re.match(r"^([ \t]*)-[ \t]", body_of(lines[i]))
        if m:
            indent = m.group(1)
            break
    eol = ending(lines[spot.last]) or newline_of(lines)
    if not ending(lines[spot.last]):
        lines[spot.last] += eol
        eol = ""
    lines.insert(spot.last + 1, f"{indent}- {yaml_scalar(value)}{eol}")


def yaml_list(lines: list[str], spot: Spot) -> list[str]:
    """The items of a YAML key's value: a block list, a flow list or one scalar."""
    text = body_of(lines[spot.first])[spot.start:].strip()
    if text.startswith("[") and text.endswith("]"):
        return [v.strip().strip("'\"") for v in text[1:-1].split(",") if v.strip()]
    if text:
        return [spot.value(lines)]
    items = []
    for i in range(spot.first + 1, spot.last + 1):
        m = re.match(r"^[ \t]*-[ \t]+(.*?)[ \t]*$", body_of(lines[i]))
        if m:
            items.append(m.group(1).strip("'\""))
    return items


def set_items(lines: list[str], spot: Spot, values: list[str]) -> None:
    """Make a YAML key's value the list `values`, as a block list (in the indentation its
    items had) or a flow list when it was one."""
    text = body_of(lines[spot.first])
    inline = text[spot.start:].strip()
    eol = ending(lines[spot.first]) or newline_of(lines)
    if inline.startswith("["):
        lines[spot.first] = text[:spot.start] + "[" + ", ".join(
            yaml_scalar(v) for v in values) + "]" + ending(lines[spot.first])
        return
    indent = "  "
    for i in range(spot.first + 1, spot.last + 1):
        m = re.match(r"^([ \t]*)-[ \t]", body_of(lines[i]))
        if m:
            indent = m.group(1)
            break
    last_eol = ending(lines[spot.last])
    m = YAML_KEY_RE.match(text)
    key_line = (text[:m.end()] if m else text[:spot.start]).rstrip() + eol
    items = [f"{indent}- {yaml_scalar(v)}{eol}" for v in values]
    if items and not last_eol:
        items[-1] = items[-1][:-len(eol)]
    lines[spot.first:spot.last + 1] = [key_line, *items]
    spot.last = spot.first + len(items)
