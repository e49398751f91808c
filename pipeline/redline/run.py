"""Redlines of many proposals: each read now and at the base (history.py), compared on the
normalized AST (diff.py), written as `OUT/<name>.redline.html|.pdf|.docx` (present.py and the
writers of render/); one broken proposal never stops the others."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import os
import time
import traceback
from dataclasses import dataclass, field
from pathlib import Path

import panflute as pf

from epdoc.pipeline import render
from epdoc.pipeline.config import theme as themes
from epdoc.pipeline.core import atomic, names, reproducible, settings
from epdoc.pipeline.core.errors import InputError, one_line
from epdoc.pipeline.reading import document as documents
from epdoc.pipeline.reading.sources import read_source
from epdoc.pipeline.redline import diff, history, present
from epdoc.pipeline.render.docx import tracked
from epdoc.pipeline.render.html import page

RECORD_FIELDS = ("title", "status", "status_note", "maturity", "authors", "reviewers",
                 "approvers", "editor", "created", "updated")


@dataclass
class Outcome:
    source: Path
    state: str = "failed"  # changed, unchanged, new, deleted, failed
    outputs: list[Path] = field(default_factory=list)
    summary: present.Summary | None = None
    error: str | None = None
    seconds: float = 0.0

    def as_json(self) -> dict:
        out = {"source": str(self.source), "state": self.state,
               "outputs": [str(p) for p in self.outputs], "seconds": round(self.seconds, 3)}
        if self.summary is not None:
            out.update(self.summary.as_json())
        if self.error:
            out["error"] = self.error
        return out


@dataclass
class Compared:
    """One proposal compared: the new document with the marks, and what to tell."""

    document: documents.Document
    changes: diff.Changes
    summary: present.Summary
    authors: dict[str, tracked.Who]  # mark -> who made it (the DOCX's tracked changes)


def _shown(value) -> str:
    if isinstance(value, list):
        return ", ".join(value)
    return "" if value is None else str(value)


def metadata_changes(old, new) -> list[tuple[str, str, str]]:
    """`(Field, before, now)` for each record field that changed."""
    out = []
    for name in RECORD_FIELDS:
        before, now = _shown(getattr(old, name, None)), _shown(getattr(new, name, None))
        if before != now:
            out.append((name.replace("_", " ").capitalize(), before, now))
    for key in sorted(set(old.extra) | set(new.extra)):
        before, now = _shown(old.extra.get(key)), _shown(new.extra.get(key))
        if before != now:
            out.append((key, before, now))
    return out


class Redliner:
    """Compares proposals with one base (a git revision or an older file) and writes each
    format asked for."""

    def __init__(self, options, since: str | None = None, against: Path | None = None):
        self.options = options
        self.against = against
        self.base = history.resolve(since) if since else None
        self.theme = themes.load(options.theme)
        registry = render.discover()
        self.writers = {f: registry[f](options, self.theme) for f in options.formats}
        self.kept: set[str] = set()  # paths at the base of the proposals compared

    @property
    def label(self) -> str:
        return self.base.label if self.base else str(self.against)

    def compare(self, source: Path, new=None) -> Compared | None:
        """The redline of `source` (`new`: it, loaded already), None when nothing changed."""
        options = self.options
        new = new or documents.load(source, options)
        now = reproducible.now(options)
        renamed, state = None, "changed"
        if self.base is not None:
            found = history.version(self.base, source, options.max_input_bytes)
            self.kept.add(found.path)
            old_text, renamed = found.text, found.renamed_from
            lines, latest = history.authors(self.base, source, found, now)
            texts = history.versions(self.base, source, found, now) if found.text else []
        else:
            texts = []
            old_text = read_source(self.against, options.max_input_bytes)
            when = dt.datetime.fromtimestamp(Path(source).stat().st_mtime, dt.UTC)
            latest = history.git.Commit("", "epdoc", when.isoformat(timespec="seconds"))
            lines = {}
        if old_text is None:
            state = "new"
            old_doc, old_record = pf.Doc(), None
        else:
            old = documents.load(source, options, text=old_text)
            old_doc, old_record = old.doc, old.record
        changes = diff.compare(old_doc, new.doc, lambda e: new.context.where(e)[0])
        meta = metadata_changes(old_record, new.record) if old_record is not None else []
        if not changes.changed and not meta and renamed is None:
            return None
        summary = present.Summary.of(self.label, state, changes, meta, renamed)
        who = {}
        deleters = Deleters(old_text or "", texts)
        for ident, mark in changes.marks.items():
            if mark.kind == diff.INS:
                commit = _writer_of(mark, lines, new.text) or latest
            else:
                commit = deleters.of(mark.words) or latest
            who[ident] = tracked.Who(commit.author, commit.date)
        return Compared(new, changes, summary, who)

    def target(self, document, ext: str, outdir: Path) -> Path:
        names.check(document.stem, document.source)
        return Path(outdir) / f"{document.stem}.redline.{ext}"

    def write(self, compared: Compared, outdir: Path) -> list[Path]:
        written = []
        for fmt, writer in self.writers.items():
            target = self.target(compared.document, writer.ext, outdir)
            document = self.presented(compared, fmt)
            if fmt == "docx":
                marks = {i: (m.kind, compared.authors[i])
                         for i, m in compared.changes.marks.items()}
                data = tracked.apply(writer.render(document), marks, self.options)
                atomic.write_bytes(target, data)
            elif fmt == "html":
                atomic.write_text(target, writer.render(document, target.parent))
            else:
                writer.write(document, target)
            written.append(target)
        return written

    @staticmethod
    def presented(compared: Compared, fmt: str) -> documents.Document:
        """The document as `fmt` shows its redline; its blocks keep their source lines
        (the DOCX's source map, --line-numbers)."""
        doc = page.copy_doc(compared.document)
        ctx = compared.document.context
        positions = {}
        for original, block in zip(_blocks(compared.document.doc), _blocks(doc),
                                   strict=False):
            if id(original) in ctx.positions:
                positions[id(block)] = ctx.positions[id(original)]
        context = dataclasses.replace(ctx, positions=positions)
        doc.epdoc = context
        if fmt == "docx":
            present.docx(doc, compared.summary)
        else:
            present.page(doc, compared.summary)
        return dataclasses.replace(compared.document, doc=doc, context=context)

    def one(self, source: Path, outdir: Path) -> Outcome:
        outcome = Outcome(Path(source))
        t0 = time.perf_counter()
        try:
            compared = self.compare(Path(source))
            if compared is None:
                outcome.state = "unchanged"
            else:
                outcome.state = compared.summary.state
                outcome.summary = compared.summary
                outcome.outputs = self.write(compared, outdir)
        except Exception as exc:  # noqa: BLE001 - every failure becomes a one-line message
            outcome.state = "failed"
            outcome.error = one_line(exc, source)
            if settings.debug():
                traceback.print_exc()
        outcome.seconds = time.perf_counter() - t0
        return outcome

    def deleted(self, folders: list[Path]) -> list[Outcome]:
        if self.base is None:
            return []
        gone = history.deleted(self.base, folders, self.kept)
        here = Path.cwd()
        return [Outcome(Path(os.path.relpath(self.base.repo.work_tree / g, here)), "deleted")
                for g in gone]


def _blocks(doc) -> list:
    found: list = []
    doc.walk(lambda e, _d: found.append(e) if isinstance(e, pf.Block) else None)
    return found


def _writer_of(mark: diff.Mark, lines: dict, text: str):
    """The commit that wrote the line holding the mark's first word, at or after its
    block's first line (anywhere for what has no line: the metadata table)."""
    if not lines:
        return None
    source_lines = text.split("\n")
    first = mark.words[0] if mark.words else None
    start = mark.line or 1
    for n in range(start, min(start + 200, len(source_lines) + 1)):
        if first is None or first in source_lines[n - 1]:
            return lines.get(n)
    return lines.get(start)


SEP = "\x1f"


def _joined(words) -> str:
    return SEP + SEP.join(words) + SEP


class Deleters:
    """Who deleted some words: the first version since the base without them (None when
    the base had them more than once or not as written)."""

    def __init__(self, base_text: str, versions: list):
        self.base = _joined(base_text.split())
        self.versions = [(commit, _joined(text.split())) for commit, text in versions]

    def of(self, words: list[str]):
        if not words:
            return None
        phrase = _joined(words)
        if self.base.count(phrase) != 1:
            return None
        for commit, text in self.versions:
            if phrase not in text:
                return commit
        return None


def redline(sources, options, *, since=None, against=None, folders=(), on_result=None):
    """Outcomes for `sources` (and the proposals of `folders` deleted since `since`)."""
    if against is not None and not Path(against).is_file():
        raise InputError("file not found", against, hint="--against takes the older file")
    redliner = Redliner(options, since, against)
    outcomes = []
    for source in sources:
        outcome = redliner.one(source, options.outdir)
        outcomes.append(outcome)
        if on_result:
            on_result(outcome)
    for outcome in redliner.deleted(list(folders)):
        outcomes.append(outcome)
        if on_result:
            on_result(outcome)
    return outcomes, redliner.label


def report(path: Path, label: str, outcomes: list[Outcome]) -> None:
    data = {"since": label, "proposals": [o.as_json() for o in outcomes],
            "counts": {s: sum(o.state == s for o in outcomes)
                       for s in ("changed", "new", "unchanged", "deleted", "failed")}}
    atomic.write_text(path, json.dumps(data, indent=2, ensure_ascii=False) + "\n")
