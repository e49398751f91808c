"""The nesting depth limit (--max-depth): how deep blocks and inlines may nest.

panflute, Python's json module and WeasyPrint all recurse once per level and fail with
RecursionError somewhere past 100 levels; pandoc's markdown reader slows down on long runs
of container markers. So depth is measured three times, each cheap and iterative:
in the source (runs of `>` and list markers at the start of a line, before pandoc), in the
parsed AST (before panflute), and in the sanitized HTML (before WeasyPrint).
"""

from __future__ import annotations

import re

from epdoc.pipeline.core import settings
from epdoc.pipeline.core.errors import LimitError

DEFAULT_MAX_DEPTH = settings.MAX_DEPTH

LEAD_RE = re.compile(r"^[ \t]*(?:(?:>|[-*+](?=[ \t])|\d{1,9}[.)](?=[ \t]))[ \t]*)+",
                     re.MULTILINE)
MARKER_RE = re.compile(r">|[-*+](?=[ \t])|\d{1,9}[.)](?=[ \t])")
# attribute values are skipped whole: a `>` or a tag inside one is not a tag
TAG_RE = re.compile(r"""<(/?)([a-zA-Z][a-zA-Z0-9-]*)"""
                    r"""(?:\s+[^\s=>/"']+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'>]+))?)*\s*(/?)>""")
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
        "track", "wbr"}
POS_RE = re.compile(r"^(\d+):")


def too_deep(depth: int, limit: int, path=None, line=None) -> LimitError:
    return LimitError(f"nesting is {depth} levels deep, over the nesting depth limit of "
                      f"{limit}", path, line, hint="raise it with --max-depth")


def check_source(text: str, limit: int = DEFAULT_MAX_DEPTH, path=None) -> None:
    """Runs of blockquote and list markers opening a line (`> > >`, `- - -`)."""
    for m in LEAD_RE.finditer(text):
        if len(m.group()) > limit:
            depth = len(MARKER_RE.findall(m.group()))
            if depth > limit:
                raise too_deep(depth, limit, path, text.count("\n", 0, m.start()) + 1)


def _wrapper(node: dict) -> bool:
    """A Div or Span that pandoc's sourcepos adds around each element."""
    if node.get("t") not in ("Div", "Span"):
        return False
    try:
        return ["wrapper", "1"] in node["c"][0][2]
    except (IndexError, KeyError, TypeError):
        return False


def _line(node: dict) -> int | None:
    try:
        for key, value in node["c"][0][2]:
            if key == "data-pos":
                m = POS_RE.match(value)
                return int(m.group(1)) if m else None
    except (IndexError, KeyError, TypeError, ValueError):
        pass
    return None


def check_ast(ast: dict, limit: int = DEFAULT_MAX_DEPTH, path=None) -> None:
    """Elements nested in pandoc's JSON AST (sourcepos wrappers not counted)."""
    stack = [(ast.get("blocks", []), 0, None), (ast.get("meta", {}), 0, 1)]
    while stack:
        node, depth, line = stack.pop()
        if isinstance(node, dict):
            if "t" in node:
                line = _line(node) or line
                if not _wrapper(node):
                    depth += 1
                    if depth > limit:
                        raise too_deep(depth, limit, path, line)
            for value in node.values():
                if isinstance(value, (list, dict)):
                    stack.append((value, depth, line))
        elif isinstance(node, list):
            for value in node:
                if isinstance(value, (list, dict)):
                    stack.append((value, depth, line))


def html_depth(html: str) -> int:
    """How deep elements nest in (well-formed, sanitized) HTML."""
    depth = deepest = 0
    for m in TAG_RE.finditer(html):
        closing, name, selfclosing = m.groups()
        if name.lower() in VOID or selfclosing:
            continue
        if closing:
            depth = max(depth - 1, 0)
        else:
            depth += 1
            deepest = max(deepest, depth)
    return deepest


def check_html(html: str, limit: int = DEFAULT_MAX_DEPTH, path=None) -> None:
    depth = html_depth(html)
    if depth > limit:
        raise too_deep(depth, limit, path)


FRONT_RE = re.compile(r"\A---[ \t]*\n(.*?\n)(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.DOTALL)


def check_front_matter(text: str, max_bytes: int, limit: int = DEFAULT_MAX_DEPTH,
                       path=None) -> None:
    """YAML front matter, with its aliases expanded (`&a [x, x]`, `&b [*a, *a]`, ... grows
    tenfold a line, and pandoc expands it all), must stay within the input size limit and
    the nesting depth limit."""
    m = FRONT_RE.match(text)
    if not m:
        return
    import yaml

    try:
        root = yaml.compose(m.group(1), Loader=yaml.SafeLoader)
    except RecursionError:
        if limit > DEFAULT_MAX_DEPTH:
            raise  # past a raised limit: too deep to process (errors.one_line says so)
        raise too_deep(f"more than {limit}", limit, path, 2) from None
    except yaml.YAMLError:
        return  # not YAML pandoc accepts either: its error says where
    if root is None:
        return
    size, deepest = _yaml_size(root, max_bytes)
    if size > max_bytes:
        raise LimitError(
            f"the front matter expands to more than {max_bytes} bytes through YAML aliases, "
            "over the input size limit", path, 1, hint="raise it with --max-input-bytes")
    if deepest > limit:
        raise too_deep(deepest, limit, path, 1)


def _yaml_size(root, cap: int) -> tuple[int, int]:
    """(bytes, depth) of a composed YAML node graph with every alias expanded; iterative,
    memoized, a cycle counts as over `cap`."""
    import yaml

    def children(node):
        if isinstance(node, yaml.SequenceNode):
            return list(node.value)
        if isinstance(node, yaml.MappingNode):
            return [n for pair in node.value for n in pair]
        return []

    done: dict[int, tuple[int, int]] = {}
    active: set[int] = set()
    stack = [(root, False)]
    while stack:
        node, ready = stack.pop()
        key = id(node)
        if key in done:
            continue
        if not ready:
            active.add(key)
            stack.append((node, True))
            for child in children(node):
                if id(child) in active:
                    return cap + 1, 0
                if id(child) not in done:
                    stack.append((child, False))
            continue
        found = [done[id(c)] for c in children(node)]
        own = len(node.value) if isinstance(node, yaml.ScalarNode) else 1
        done[key] = (min(own + sum(s for s, _ in found), cap + 1),
                     1 + max((d for _, d in found), default=0))
        active.discard(key)
    return done[id(root)]
