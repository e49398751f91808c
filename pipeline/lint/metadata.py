"""Metadata rules: required keys, the status vocabulary, dates, people, unknown keys."""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Iterator

from epdoc.pipeline.core.record import ALIASES, clean_value, read_date
from epdoc.pipeline.lint.codes import Finding
from epdoc.pipeline.lint.config import Config, fold_key

# placeholders the templates put in metadata values: a value (or one of its comma-separated
# parts) that is all in brackets, like [Your Name]; these tokens anywhere
BRACKETED_RE = re.compile(r"\[[^\]\n]*\]")
TOKEN_RE = re.compile(r"\bYYYY-MM(?:-DD)?\b|\bEP-X{2,}\b|\bX{3,}\b")
ISO_RE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
PARTIAL_RE = re.compile(r"^(\d{4})-(\d{2})$")
EP_REF_RE = re.compile(r"\bEP[-_ ]?\d+\b", re.IGNORECASE)
# unambiguous ways people write dates, for a "did you mean" in ISO form
OTHER_DATE_FORMATS = ("%Y/%m/%d", "%Y.%m.%d", "%B %d, %Y", "%b %d, %Y", "%d %B %Y", "%d %b %Y",
                      "%B %d %Y", "%b %d %Y", "%Y%m%d")
KNOWN_KEYS = sorted({a.title() for names in ALIASES.values() for a in names})


def _suggest(word: str, choices, cutoff=0.6) -> str | None:
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=cutoff)
    return close[0] if close else None


def parse_date(value: str):
    """(year, month, day) for an ISO date, (year, month, None) for a partial one;
    raises ValueError with the reason otherwise."""
    m = ISO_RE.match(value)
    if m:
        dt.date(*map(int, m.groups()))  # raises for 2023-02-30
        return int(m.group(1)), int(m.group(2)), int(m.group(3))
    m = PARTIAL_RE.match(value)
    if m and 1 <= int(m.group(2)) <= 12:
        return int(m.group(1)), int(m.group(2)), None
    raise ValueError("not ISO YYYY-MM-DD")


def _iso_guess(value: str) -> str | None:
    m = re.match(r"^(\d{4}-\d{2}-\d{2})[T ]\d", value.strip())  # a timestamp
    if m:
        return m.group(1)
    for fmt in OTHER_DATE_FORMATS:
        try:
            return dt.datetime.strptime(value.strip(), fmt).date().isoformat()
        except ValueError:
            continue
    return None


def _people_keys(name: str) -> set[str]:
    """Ways to recognize one person: the name without a parenthesized part, and any @handle."""
    keys = {h.lower() for h in re.findall(r"@([\w.-]+)", name)}
    bare = re.sub(r"\(.*?\)", "", name).strip().lstrip("@").lower()
    bare = " ".join(bare.split())
    if bare:
        keys.add(bare)
    return keys


def placeholders_in(value: str) -> list[str]:
    """The template placeholders in one metadata value ("Jane [Red Hat]" has none)."""
    v = value.strip()
    found = [v] if BRACKETED_RE.fullmatch(v) else [
        p.strip() for p in re.split(r"[,;]", v) if BRACKETED_RE.fullmatch(p.strip())]
    return found + [m.group() for m in TOKEN_RE.finditer(v)]


def _has_placeholder(f) -> bool:
    return any(placeholders_in(v) for v in f.values)


def _placeholders(view) -> Iterator[Finding]:
    for f in view.fields:
        for value in f.values:
            for token in placeholders_in(value):
                yield Finding("placeholder", *view.locate(f, token),
                              f"{f.key} still holds the template placeholder {token}",
                              _file(f))


def _file(f) -> str | None:
    return str(f.file) if f is not None and f.file is not None else None


def _status(view, config: Config) -> Iterator[Finding]:
    rec = view.record
    f = view.field("status")
    if not rec.status:
        if not config.status_required or "status" not in config.required:
            return
        if f is None:
            yield Finding("status-missing", *view.top,
                          f"no Status; add one: {', '.join(config.statuses)}")
        elif not _has_placeholder(f):
            yield Finding("status-missing", f.line, f.column,
                          f"Status {f.text!r} is empty; use one of {', '.join(config.statuses)}",
                          _file(f))
        return
    if not config.statuses:
        return  # a process without a status vocabulary (Rust RFCs, Go designs)
    vocab = {s.lower(): s for s in config.statuses}
    status = rec.status.lower()
    if f is not None:
        line, col = view.locate(f, rec.status)
    else:  # from a "Draft:" title
        line, col = (view.title.line, view.title.column) if view.title else (1, 1)
    if status not in vocab:
        first, _, rest = rec.status.partition(" ")
        close = vocab.get(first.lower())
        if close and rest:
            hint = f"; did you mean {close} ({rest})? notes go in parentheses"
        else:
            close = _suggest(status, vocab)
            hint = f"; did you mean {vocab[close]}?" if close else ""
        yield Finding("status-unknown", line, col,
                      f"status {rec.status!r} is not one of {', '.join(config.statuses)}{hint}",
                      _file(f))
    elif status == "superseded" and not rec.extra.get("superseded_by") \
            and not EP_REF_RE.search(rec.status_note or ""):
        yield Finding("superseded-by-missing", line, col,
                      "status Superseded needs a Superseded-By naming the proposal that "
                      "replaces it", _file(f))


def _other_form(value: str, formats) -> tuple | None:
    """(year, month, day or None) of a date in one of a process's other forms, or None."""
    iso = read_date(value, formats)
    if iso is None:
        return None
    parts = [int(p) for p in iso.split("-")]
    return (parts[0], parts[1], parts[2] if len(parts) > 2 else None), iso


def _dates(view, config: Config) -> Iterator[Finding]:
    parsed = {}
    today = dt.date.today()
    latest = today + dt.timedelta(days=1)  # a day's grace for time zones
    for name in ("created", "updated"):
        f = view.field(name)
        if f is None or _has_placeholder(f) or clean_value(f.text) is None:
            continue
        value = f.text.strip()
        line, col = view.locate(f, value)
        file = _file(f)
        try:
            date = parse_date(value)
        except ValueError:
            other = _other_form(value, config.date_formats)
            if other is None:
                guess = _iso_guess(value)
                why = ("is not a real day" if ISO_RE.match(value) else
                       f"is not ISO YYYY-MM-DD{f'; did you mean {guess}?' if guess else ''}")
                yield Finding("date-invalid", line, col, f"{f.key} date {value!r} {why}", file)
                continue
            date, iso = other
            yield Finding("date-form", line, col, f"{f.key} date {value!r} is read as {iso} "
                          "(YYYY-MM-DD says it the same everywhere)", file)
        else:
            if date[2] is None and "%Y-%m" in config.date_formats:
                date = (*date[:2], 0)  # a month, as the process writes them
        parsed[name] = (date, f, (line, col))
        if date[2] is None:
            if not config.date_formats or not any("%d" not in x for x in config.date_formats):
                yield Finding("date-partial", line, col,
                              f"{f.key} date {value!r} has no day; write YYYY-MM-DD", file)
            future = date[:2] > (today.year, today.month)
        elif date[2] == 0:
            future = date[:2] > (today.year, today.month)
        else:
            future = dt.date(*date) > latest
        if future:
            yield Finding("date-future", line, col,
                          f"{f.key} date {value} is in the future (today is {today.isoformat()})",
                          file)
    if "created" in parsed and "updated" in parsed:
        (c, cf, _), (u, uf, where) = parsed["created"], parsed["updated"]
        n = 3 if c[2] and u[2] else 2
        if u[:n] < c[:n]:
            yield Finding("date-order", *where,
                          f"{uf.key} {uf.text.strip()} is before {cf.key} {cf.text.strip()}",
                          _file(uf))


def _people(view) -> Iterator[Finding]:
    rec = view.record
    authors = set()
    for a in rec.authors:
        authors |= _people_keys(a)
    f = view.field("reviewers")
    for reviewer in rec.reviewers:
        if _people_keys(reviewer) & authors:
            line, col = view.locate(f, reviewer) if f else (None, None)
            yield Finding("reviewer-is-author", line, col,
                          f"reviewer {reviewer} is also an author; reviewers must be other people",
                          _file(f))


def _keys(view, config: Config) -> Iterator[Finding]:
    seen: dict[str, object] = {}
    for f in view.fields:
        key = f.name or fold_key(f.key)
        if key in seen:
            first = seen[key]
            where = f" (first on line {first.line})" if first.line else ""
            yield Finding("key-duplicate", f.line, f.column,
                          f"{f.key} is given again{where}; the first one counts", _file(f))
            continue
        seen[key] = f
        if f.name is None and fold_key(f.key) not in config.known_keys:
            close = _suggest(f.key.title(), KNOWN_KEYS, cutoff=0.75)
            hint = f"did you mean {close}? " if close else ""
            yield Finding("key-unknown", f.line, f.column,
                          f"unknown metadata key {f.key!r}; {hint}kept as extra (list it in "
                          "known-keys to silence this)", _file(f))


def check(view, config: Config) -> Iterator[Finding]:
    rec = view.record
    yield from _placeholders(view)
    yield from _status(view, config)
    for name, label in (("authors", "Authors"), ("created", "Created")):
        if getattr(rec, name) or name not in config.required:
            continue
        f = view.field(name)
        if f is None:
            yield Finding(f"{name}-missing", *view.top, f"no {label} in the metadata")
        elif not _has_placeholder(f):
            yield Finding(f"{name}-missing", f.line, f.column, f"{f.key} {f.text!r} names nobody"
                          if name == "authors" else f"{f.key} has no date", _file(f))
    yield from _dates(view, config)
    yield from _people(view)
    yield from _keys(view, config)
