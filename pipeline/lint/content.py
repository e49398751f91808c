"""Content rules: relative links reach a file, anchors reach a heading, headings have
distinct anchors, pictures have alternative text. (Missing images are reported by
filters/images.py as image-missing.)

Lint looks only inside the proposal's folder tree (its own folder and what is below it): a
link that leaves it is one `link-outside` finding, the same whether its target exists or not,
and nothing out there is looked at. A link whose path no file can have (a NUL, a name over
255 bytes: pipeline/core/paths.py) is a `link-missing` finding, found without asking the
file system."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import unquote, urlsplit

import panflute as pf

from epdoc.pipeline.core import memo
from epdoc.pipeline.core import paths as proposalpath
from epdoc.pipeline.lint.codes import Finding
from epdoc.pipeline.pandoc import runner as pandoc
from epdoc.pipeline.reading import anchors
from epdoc.pipeline.reading.sources import read_source

HTML_ID_RE = re.compile(r"<[a-z][^>]*?\s(?:id|name)\s*=\s*[\"']([^\"']+)[\"']", re.IGNORECASE)
MARKDOWN_SUFFIXES = (".md", ".markdown", ".mdown")


def _inside(path: Path, root: Path) -> bool:
    return proposalpath.inside(path, [root])


def html_ids(text: str) -> set[str]:
    return {m.lower() for m in HTML_ID_RE.findall(text)}


def view_anchors(view) -> set[str]:
    """The anchors GitHub gives a proposal: one per heading (the title too), plus HTML ids."""
    ids = {h.identifier.lower() for h in view.headings if h.identifier}
    return ids | html_ids("\n".join(view.lines))


class Anchors:
    """Anchors of link targets: from proposals already loaded in this run, else parsed once."""

    def __init__(self):
        self._known: dict[Path, set[str]] = {}

    def add(self, path: Path, anchors: set[str]) -> None:
        self._known[Path(path).resolve()] = anchors

    def of(self, path: Path, within: Path | None = None) -> set[str] | None:
        """The anchors of a markdown file, or None when it cannot be read. A file not loaded
        in this run is read only inside `within` (the linking proposal's folder tree: a
        proposal is untrusted, and its links must not make epdoc read other files)."""
        key = Path(path).resolve()
        if key not in self._known and within is not None and not _inside(key, within):
            return None
        if key not in self._known:
            try:
                text = read_source(key)
                depends = _memo_key(text)
                self._known[key] = set(memo.remembered(
                    f"anchors/{memo.name_for(depends)}.json", depends,
                    lambda: sorted(_read_anchors(text, key)),
                    valid=lambda v: isinstance(v, list) and all(isinstance(i, str) for i in v)))
            except Exception:  # noqa: BLE001 - an unreadable target is not this file's fault
                self._known[key] = None
        return self._known[key]


def _read_anchors(text: str, path: Path) -> set[str]:
    ast = pandoc.read_markdown(text, path)
    anchors.github_ids(ast)
    ids: set[str] = set()
    _headers(ast.get("blocks", []), ids)
    return ids | html_ids(text)


def _memo_key(text: str) -> list:
    """What a linked file's anchors depend on: its text, the pandoc that reads it and the
    code that makes them, so that a lint does not parse the files its proposal links to
    every time."""
    return [text, *(memo.stamp(f) for f in (pandoc.executable(), anchors.__file__, __file__))]


def _headers(node, ids: set[str]) -> None:
    if isinstance(node, dict):
        if node.get("t") == "Header":
            ids.add(node["c"][1][0].lower())
        for v in node.values():
            if isinstance(v, (list, dict)):
                _headers(v, ids)
    elif isinstance(node, list):
        for v in node:
            if isinstance(v, (list, dict)):
                _headers(v, ids)


def _near(word: str, choices, prefix: str = "") -> str:
    close = difflib.get_close_matches(word, sorted(choices), n=1, cutoff=0.6)
    return f"; did you mean {prefix}{close[0]}?" if close else ""


def _links(view):
    """Links the author wrote, in source order. Links pandoc gives no position (in YAML front
    matter) are found in the source text; the generated table of contents is skipped."""
    found = []

    def action(elem, doc):
        if isinstance(elem, pf.Link):
            url = elem.url.strip()
            line, col = view.where(elem)
            if not line:
                line, col = view.find(f"]({url}")
                if line:  # point at the link's "["
                    col = view.lines[line - 1].rfind("[", 0, col - 1) + 1 or col
                else:
                    line, col = view.find(url)
            if line:
                found.append((line, col, url))

    for block in view.doc.content:
        if not (isinstance(block, pf.Div) and block.identifier == "toc"):
            block.walk(action)
    return sorted(found)


def _missing_file(view, target: Path, shown: str) -> str:
    folder = target.parent
    hint = ""
    if folder.is_dir() and _inside(folder, view.source.resolve().parent):
        # names are suggested only from the proposal's own folder tree
        names = [p.name for p in folder.iterdir()]
        same = [n for n in names if n.lower() == target.name.lower()]
        if same:
            hint = f"; did you mean {same[0]}? (names are case-sensitive)"
        else:
            close = difflib.get_close_matches(target.name, sorted(names), n=1, cutoff=0.8)
            hint = f"; did you mean {close[0]}?" if close else ""
    return f"link target {shown} does not exist{hint}"


def check(view, config, anchors: Anchors | None = None) -> Iterator[Finding]:
    anchors = anchors or Anchors()
    own = view_anchors(view)
    folder = view.source.resolve().parent
    for line, col, url in _links(view):
        parts = urlsplit(url)
        if not url or parts.scheme or parts.netloc or url.startswith(("/", "\\")):
            continue
        path, fragment = unquote(parts.path), unquote(parts.fragment)
        if not path:
            if fragment and fragment.lower() not in own:
                yield Finding("anchor-missing", line, col,
                              f"no heading here has the anchor #{fragment}"
                              f"{_near(fragment.lower(), own, '#')}")
            continue
        why = proposalpath.problem(path)
        if why:
            yield Finding("link-missing", line, col,
                          f"link target {proposalpath.shown(path)} cannot be a file: {why}")
            continue
        target = proposalpath.within(folder, path)
        if target is None:  # the same finding whether it exists or not: nothing is looked at
            yield Finding("link-outside", line, col,
                          f"link target {proposalpath.shown(path)} is outside the proposal's "
                          "folder; lint does not check it (link inside the folder, or use a "
                          "full URL)")
            continue
        if not target.exists():
            yield Finding("link-missing", line, col, _missing_file(view, target, path))
            continue
        if fragment and target.is_file() and target.suffix.lower() in MARKDOWN_SUFFIXES:
            theirs = anchors.of(target, within=folder)
            if theirs is not None and fragment.lower() not in theirs:
                yield Finding("anchor-missing", line, col,
                              f"{path} has no heading with the anchor #{fragment}"
                              f"{_near(fragment.lower(), theirs, '#')}")
    yield from _duplicate_anchors(view)
    yield from _pictures_without_alt(view)


def _duplicate_anchors(view) -> Iterator[Finding]:
    """Two headings with one anchor: the same words (pandoc and GitHub rename the second
    #x-1), or a heading whose anchor is another's renamed one (then it cannot be reached)."""
    bases: dict[str, object] = {}
    finals: dict[str, object] = {}
    for h in view.headings:
        key, final = h.slug, h.identifier
        first = bases.get(key) if key else None
        if first is None and final in finals:
            first = finals[final]
        if first is not None:
            where = f" on line {first.line}" if first.line else ""
            yield Finding("anchor-duplicate", h.line, h.column,
                          f"heading '{h.text}' has the same anchor #{key} as the heading{where}; "
                          f"links to #{key} reach only the first")
        if key:
            bases.setdefault(key, h)
        finals.setdefault(final, h)


RAW_IMG = re.compile(r"<img\b[^>]*>", re.IGNORECASE)
RAW_ALT = re.compile(r"""\balt\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""", re.IGNORECASE)
RAW_SRC = re.compile(r"""\bsrc\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""", re.IGNORECASE)


def _pictures_without_alt(view) -> Iterator[Finding]:
    """A picture (markdown or raw HTML <img>) with no alternative text: a screen reader
    says only "image", and the PDF and DOCX have nothing to give it."""
    found = []

    def action(elem, _doc):
        if isinstance(elem, pf.Image) and not pf.stringify(elem).strip():
            line, col = view.where(elem)
            if not line:
                line, col = view.find(f"]({elem.url}")
            found.append((line, col, elem.url, "markdown"))
        elif isinstance(elem, (pf.RawInline, pf.RawBlock)) and elem.format == "html":
            for tag in RAW_IMG.findall(elem.text):
                alt = RAW_ALT.search(tag)
                if alt and "".join(g or "" for g in alt.groups()).strip():
                    continue
                src = RAW_SRC.search(tag)
                url = "".join(g or "" for g in src.groups()) if src else ""
                line, col = view.where(elem)
                if not line:
                    line, col = view.find(tag[:40])
                found.append((line, col, url, "html"))

    view.doc.walk(action)
    for line, col, url, kind in sorted(found, key=lambda f: (f[0] or 0, f[1] or 0)):
        how = (f"write what it shows between the brackets: ![what it shows]({url})"
               if kind == "markdown" else 'give the <img> an alt="what it shows"')
        yield Finding("image-alt-missing", line, col,
                      f"picture {url or '(no source)'} has no alternative text; {how}")
