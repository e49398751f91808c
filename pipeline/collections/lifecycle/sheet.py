"""A proposal's metadata as written, across its file and its sidecar (kep.yaml): read from the
bytes, changed in place, written back byte for byte elsewhere."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from epdoc.pipeline.collections.lifecycle import fields
from epdoc.pipeline.collections.lifecycle.fields import Spot
from epdoc.pipeline.config import process as processes
from epdoc.pipeline.core import settings
from epdoc.pipeline.core.errors import InputError, LimitError

BOM = "\ufeff"


@dataclass
class Text:
    """One file as lines with their endings; `bom` is put back when written."""
    path: Path
    lines: list[str]
    bom: str = ""
    original: bytes = b""

    @classmethod
    def read(cls, path: Path, limit: int = settings.MAX_INPUT_BYTES) -> Text:
        path = Path(path)
        size = path.stat().st_size
        if size > limit:
            raise LimitError(f"{path.name} is {size} bytes, over the limit of {limit}", path)
        data = path.read_bytes()
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as e:
            line = data[:e.start].count(b"\n") + 1
            raise InputError("not UTF-8 text", path, line,
                             hint="save it as UTF-8 and try again") from None
        bom = BOM if text.startswith(BOM) else ""
        return cls(path, fields.lines_of(text[len(bom):]), bom, data)

    def data(self) -> bytes:
        return (self.bom + "".join(self.lines)).encode("utf-8")

    @property
    def changed(self) -> bool:
        return self.data() != self.original


@dataclass
class Found:
    text: Text
    spot: Spot


@dataclass
class Sheet:
    """The metadata of one proposal: where each key is written, in which file."""
    source: Path  # the proposal's file (a folder proposal's README.md)
    process: processes.Process
    texts: list[Text] = field(default_factory=list)  # the file, then its sidecar
    blocks: list[tuple[Text, list[Spot]]] = field(default_factory=list)

    @classmethod
    def read(cls, source: Path, process: processes.Process) -> Sheet:
        side = processes.sidecar_path(source, process) if process.sidecars else None
        return cls.build(Path(source), process, Text.read(source),
                         Text.read(side, settings.MAX_SIDECAR_BYTES) if side else None)

    @classmethod
    def build(cls, source: Path, process: processes.Process, main: Text,
              side: Text | None = None) -> Sheet:
        sheet = cls(Path(source), process, [main])
        if side is not None:
            sheet.texts.append(side)
            sheet.blocks.append((side, fields.yaml_spots(side.lines, 0, len(side.lines))))
        front = fields.front_matter(main.lines)
        if front is not None:
            sheet.blocks.append((main, fields.yaml_spots(main.lines, *front)))
        start = front[1] + 1 if front else 0
        title = fields.title_line(main.lines, start)
        body = fields.body_spots(main.lines, title if title is not None else start,
                                 lambda k: process.canonical(k) is not None, title is not None)
        sheet.blocks.append((main, body))
        return sheet

    @property
    def main(self) -> Text:
        return self.texts[0]

    def title(self) -> int | None:
        """The line of the proposal's title (its first level-1 heading), or None."""
        front = fields.front_matter(self.main.lines)
        return fields.title_line(self.main.lines, front[1] + 1 if front else 0)

    def name_of(self, spot: Spot) -> str | None:
        return self.process.canonical(spot.key)

    def find(self, name: str) -> Found | None:
        """Where the record field `name` (status, updated, superseded_by...) is written, or
        a key folded as `name` (replaces)."""
        for text, spots in self.blocks:
            for spot in spots:
                if self.name_of(spot) == name or processes.fold(spot.key) == processes.fold(name):
                    return Found(text, spot)
        return None

    def home(self) -> Found | None:
        """Where a new key goes: beside the status, else the first block with keys."""
        found = self.find("status")
        if found is not None:
            return found
        for text, spots in self.blocks:
            if spots:
                return Found(text, spots[-1])
        return None

    def _shift(self, text: Text, after: int, by: int, skip: Spot | None = None) -> None:
        """Line numbers of the spots below a changed line move by `by` (`skip`, the spot
        that changed, knows its own)."""
        for t, spots in self.blocks:
            if t is not text:
                continue
            for s in spots:
                if s is skip:
                    continue
                if s.first > after:
                    s.first += by
                    s.last += by
                elif s.last > after:
                    s.last += by

    def set(self, name: str, key: str, value: str, after: str | None = None) -> Found:
        """Write `value` as the field `name`: over its value where it is written, else as a
        new `key` in the file's style, after the field `after` (else beside the status)."""
        found = self.find(name)
        if found is not None:
            before = len(found.text.lines)
            last = found.spot.last
            fields.set_value(found.text.lines, found.spot, value)
            self._shift(found.text, last, len(found.text.lines) - before, found.spot)
            return found
        home = self.home()
        if home is None:
            raise InputError(f"no metadata to add {key} to", self.source, 1,
                             hint="add a metadata block (front matter or **Status**: lines)")
        place = self.find(after) if after else None
        if place is None or place.text is not home.text or \
                (place.spot.style == "yaml") != (home.spot.style == "yaml"):
            place = home
        like = home.spot
        if like.style == "yaml" and place.spot.style == "yaml":
            like = place.spot
        if like.style == "yaml" and self._lower_keys(home.text):
            key = re.sub(r"\s+", "-", key.strip().lower())  # Last Updated -> last-updated
        before = len(home.text.lines)
        fields.add_after(home.text.lines, like, key, value, place.spot)
        added = place.spot.last + 1
        self._shift(home.text, place.spot.last, len(home.text.lines) - before)
        spot = fields.yaml_spots(home.text.lines, added, added + 1)[0] \
            if like.style == "yaml" else \
            fields.body_spots(home.text.lines, added, lambda k: True)[0]
        for t, spots in self.blocks:
            if t is home.text and any(s is like for s in spots):
                spots.append(spot)
                break
        return Found(home.text, spot)

    def _lower_keys(self, text: Text) -> bool:
        """Whether the YAML keys of `text` are all lower case (creation-date, status)."""
        keys = [s.key for t, spots in self.blocks if t is text for s in spots
                if s.style == "yaml"]
        return bool(keys) and all(k == k.lower() for k in keys)

    def add_to_list(self, name: str, key: str, value: str, after: str | None = None,
                    as_list: bool = False) -> None:
        """Add `value` to the list field `name` (Supersedes: EP-001, EP-002) unless it is
        there; a new YAML key is a block list when `as_list` (a KEP's replaces)."""
        found = self.find(name)
        if found is None or (found.spot.style == "yaml" and
                             not found.spot.value(found.text.lines).strip()
                             and found.spot.last == found.spot.first):
            found = self.set(name, key, value, after)
            if as_list and found.spot.style == "yaml":
                self.set_list(name, key, [value])
            return
        lines = found.text.lines
        if found.spot.style == "yaml":
            items = fields.yaml_list(lines, found.spot)
            if value in items:
                return
            before = len(lines)
            last = found.spot.last
            fields.add_list_item(lines, found.spot, value)
            found.spot.last = last + len(lines) - before
            self._shift(found.text, last, len(lines) - before, found.spot)
            return
        current = found.spot.value(lines).strip()
        parts = [p.strip() for p in current.replace(";", ",").split(",") if p.strip()]
        if value in parts:
            return
        usable = [p for p in parts if p.lower() not in ("n/a", "tbd", "none", "-")]
        fields.set_value(lines, found.spot, ", ".join([*usable, value]))

    def set_list(self, name: str, key: str, values: list[str]) -> None:
        """Write the list field `name` (authors): a YAML list stays a list."""
        found = self.find(name)
        if found is None or found.spot.style != "yaml":
            self.set(name, key, ", ".join(values))
            return
        lines = found.text.lines
        before, last = len(lines), found.spot.last
        fields.set_items(lines, found.spot, values)
        self._shift(found.text, last, len(lines) - before, found.spot)
