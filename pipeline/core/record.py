"""The proposal record (design.md §3): typed metadata lifted from any metadata style."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import asdict, dataclass, field

STATUSES = (
    "Draft", "Accepted", "Implementable", "Implemented",
    "Deferred", "Rejected", "Withdrawn", "Superseded",
)

# canonical field -> aliases (compared after lower-casing and folding '-', '_' to ' ')
ALIASES = {
    "status": ("status", "state"),
    "maturity": ("maturity",),
    "authors": ("author", "authors", "owner", "owners"),
    "reviewers": ("reviewer", "reviewers"),
    "approvers": ("approver", "approvers"),
    "editor": ("editor", "editors"),
    "created": ("created", "creation date", "date created", "created on", "date"),
    "updated": ("updated", "last updated", "last modified", "modified", "updated on"),
    "title": ("title",),
    "id": ("id", "ep", "ep number", "number"),
    "superseded_by": ("superseded by", "superseded-by", "replaced by"),
    "approvals": ("approvals", "approval"),
}
_KEY_INDEX = {alias: name for name, names in ALIASES.items() for alias in names}

PEOPLE = ("authors", "reviewers", "approvers")
NONE_WORDS = {"n/a", "na", "tbd", "none", "-", "—", "", "nobody", "todo"}
PLACEHOLDER_RE = re.compile(
    r"^(\[[^\]]*\]|YYYY-MM-DD|EP-XXX|XXX|\.\.\.|…)$", re.IGNORECASE
)
TITLE_ID_RE = re.compile(r"^\s*(EP)[-_ ]?(\d+|X+)\s*[:.\-–—]\s*(.*)$", re.IGNORECASE)
FILE_ID_RE = re.compile(r"^EP[-_]?(\d+)(?:[-_.]|$)", re.IGNORECASE)
DRAFT_PREFIX_RE = re.compile(r"^\s*Draft\s*:\s*(.*)$", re.IGNORECASE)
STATUS_NOTE_RE = re.compile(r"^(.*?)\s*\((.*)\)\s*$")
ORDINAL_RE = re.compile(r"\b(\d{1,2})(?:st|nd|rd|th)\b", re.IGNORECASE)  # March 16th
DATE_NOTE_RE = re.compile(r"\s*\([^)]*\)\s*$")  # 15 May 2017 (to reflect ...)


def fold_key(key: str) -> str:
    """A metadata key as compared: lower case, runs of spaces, '-' and '_' as one space."""
    return re.sub(r"[\s_\-]+", " ", key.strip().strip(":").strip().lower())


def canonical_key(key: str, keys: dict | None = None) -> str | None:
    """The record field a metadata key means, or None if unknown; `keys` (folded key ->
    field) are a process's own names, tried first."""
    k = fold_key(key)
    if keys and k in keys:
        return keys[k]
    return _KEY_INDEX.get(k)


def is_placeholder(value: str) -> bool:
    return bool(PLACEHOLDER_RE.match(value.strip()))


def clean_value(value: str | None) -> str | None:
    """A scalar value, or None when it is empty, a none-word or a template placeholder."""
    if value is None:
        return None
    v = value.strip()
    if v.lower() in NONE_WORDS or is_placeholder(v):
        return None
    return v


def split_people(values) -> list[str]:
    """People lists split on commas (and semicolons); none-words and placeholders dropped."""
    if isinstance(values, str):
        values = [values]
    people: list[str] = []
    for value in values or []:
        if is_placeholder(value.strip()):
            continue
        for part in re.split(r"[,;]", value):
            part = clean_value(re.sub(r"^\s*and\s+", "", part))  # A, B, and C
            if part and part not in people:
                people.append(part)
    return people


def split_status(value: str | None, statuses=STATUSES) -> tuple[str | None, str | None]:
    """(status, note) from `Draft (Prototype Available)`, spelled as in `statuses`."""
    value = clean_value(value)
    if not value:
        return None, None
    note = None
    m = STATUS_NOTE_RE.match(value)
    if m and m.group(1):
        value, note = m.group(1).strip(), m.group(2).strip() or None
    for known in statuses:
        if value.lower() == known.lower():
            value = known
    return value, note


def read_date(value: str | None, formats) -> str | None:
    """An ISO date (YYYY-MM-DD, or YYYY-MM for a format without a day) read from `value` by
    the first of `formats` (strptime's) that fits it, or None."""
    value = clean_value(value)
    if not value or not formats:
        return None
    bare = DATE_NOTE_RE.sub("", ORDINAL_RE.sub(r"\1", value)).rstrip(".").strip() \
        or value.strip("()[] ")  # (2016-06-17)
    for text in dict.fromkeys((value, bare)):  # as written, then without its note
        for form in formats:
            try:
                when = dt.datetime.strptime(text, form)
            except ValueError:
                continue
            return when.strftime("%Y-%m-%d" if "%d" in form else "%Y-%m")
    return None


def format_id(number: int) -> str:
    return f"EP-{number:03d}"


def id_from_filename(stem: str) -> tuple[str | None, int | None]:
    m = FILE_ID_RE.match(stem)
    if not m:
        return None, None
    n = int(m.group(1))
    return format_id(n), n


@dataclass
class Approval:
    """One approval of the proposal: who gave it, as what, when, and the commit or pull
    request that records it when given; `source` says where it was read."""
    who: str
    role: str | None = None
    date: str | None = None
    commit: str | None = None
    pr: str | None = None
    note: str | None = None  # a KEP production readiness approval: its stage (alpha, beta)
    source: str | None = None  # front matter, kep.yaml, table, prod-readiness/sig-x/NNNN.yaml


@dataclass
class Proposal:
    source: str
    id: str | None = None
    number: int | None = None
    title: str | None = None
    status: str | None = None
    status_note: str | None = None
    maturity: str | None = None
    authors: list[str] = field(default_factory=list)
    reviewers: list[str] = field(default_factory=list)
    approvers: list[str] = field(default_factory=list)
    editor: str | None = None
    created: str | None = None
    updated: str | None = None
    approvals: list[Approval] = field(default_factory=list)
    extra: dict = field(default_factory=dict)

    def as_dict(self) -> dict:
        return asdict(self)

    @property
    def label(self) -> str:
        """What a reader calls it: the id, else the source stem."""
        from pathlib import Path

        return self.id or Path(self.source).stem
