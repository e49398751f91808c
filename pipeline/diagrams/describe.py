"""A mermaid diagram's text alternative: its own title and accessible description when it
has them, else a summary of what it draws (nodes and the connections between them), read
from the source without drawing it."""

from __future__ import annotations

import html
import re

MAX_CHARS = 600  # of a generated summary; what is left out is counted
TITLE = re.compile(r"^\s*(?:accTitle\s*:|title\s*:?)\s*(.+?)\s*$", re.M)
ACC_DESCR = re.compile(r"^\s*accDescr\s*:\s*(.+?)\s*$", re.M)
ACC_DESCR_BLOCK = re.compile(r"^\s*accDescr\s*\{(.*?)\}", re.M | re.S)
FRONT = re.compile(r"^\s*---\n(.*?)\n---\s*\n", re.S)
KINDS = {"graph": "flowchart", "flowchart": "flowchart", "sequenceDiagram": "sequence diagram",
         "classDiagram": "class diagram", "stateDiagram": "state diagram",
         "stateDiagram-v2": "state diagram", "erDiagram": "entity relationship diagram",
         "gantt": "Gantt chart", "pie": "pie chart", "journey": "user journey",
         "gitGraph": "git graph", "mindmap": "mind map", "timeline": "timeline",
         "C4Context": "C4 context diagram", "C4Container": "C4 container diagram",
         "C4Component": "C4 component diagram", "C4Dynamic": "C4 dynamic diagram",
         "C4Deployment": "C4 deployment diagram"}
# flowchart: a node is an id with an optional shape around its label: A, A[x], A{x}, A((x))
NODE = re.compile(r"^([\w.\-]+)\s*(?:[\[({>/\\]+\s*\"?(.*?)\"?\s*[\])}/\\]+)?$", re.S)
# a link between two nodes, its label between bars or inside the dashes (A -- text --> B)
ARROW = re.compile(r"\s*(?:<?(?:-{2,}|={2,}|-\.+-)[>ox]?|[ox]-{2,}[ox]?)"
                   r"(?:\s*\|([^|]*)\|)?\s*")
MESSAGE = re.compile(r"^\s*([\w.\- ]+?)\s*(?:-{1,2}>>|-{1,2}>|-{1,2}x|-{1,2}\))[+-]?\s*"
                     r"([\w.\- ]+?)\s*:\s*(.*)$")
PARTICIPANT = re.compile(r"^\s*(?:participant|actor)\s+(\S+)(?:\s+as\s+(.+))?$")
C4_ITEM = re.compile(r"^\s*(\w+)\s*\(\s*(\w+)\s*,\s*\"([^\"]*)\"")
C4_REL = re.compile(r"^\s*(?:Bi)?Rel\w*\s*\(\s*(\w+)\s*,\s*(\w+)\s*,\s*\"([^\"]*)\"")
SKIP = {"subgraph", "end", "classDef", "class", "style", "linkStyle", "click", "direction"}
STATE_EDGE = re.compile(r"^\s*(\[\*\]|[\w.\-]+)\s*-->\s*(\[\*\]|[\w.\-]+)\s*(?::\s*(.*))?$")


def _clean(label: str) -> str:
    label = re.sub(r"<br\s*/?>", " ", label or "", flags=re.I)
    label = re.sub(r"<[^>]+>", "", label)
    return re.sub(r"\s+", " ", html.unescape(label)).strip().strip('"')


def _body(source: str) -> tuple[str, list[str]]:
    """(kind word, the lines after it) with front matter, comments and blank lines gone."""
    lines = [ln for ln in FRONT.sub("", source).splitlines()
             if ln.strip() and not ln.strip().startswith("%%")]
    if not lines:
        return "", []
    first, _, rest = lines[0].strip().partition(";")  # graph LR; A --> B; ...
    return first.split()[0], ([rest] if rest.strip() else []) + lines[1:]


def own_text(source: str) -> tuple[str | None, str | None]:
    """(title, accessible description) the diagram gives itself, if any."""
    title = TITLE.search(source)
    front = FRONT.match(source)
    if not title and front:
        title = re.search(r"^\s*title\s*:\s*(.+?)\s*$", front.group(1), re.M)
    descr = ACC_DESCR.search(source) or ACC_DESCR_BLOCK.search(source)
    return (_clean(title.group(1)) if title else None,
            _clean(descr.group(1)) if descr else None)


def _graph(lines) -> tuple[dict, list]:
    nodes: dict[str, str] = {}
    edges: list[tuple[str, str, str]] = []

    def node(text) -> str | None:
        m = NODE.match(text.strip())
        if not m:
            return None
        name, label = m.group(1), _clean(m.group(2) or "")
        if label or name not in nodes:
            nodes[name] = label or nodes.get(name) or name
        return name

    for line in lines:
        for part in re.split(r"\s*;\s*", line.strip()):
            if not part or part.split()[0] in SKIP:
                continue
            pieces = ARROW.split(part)  # node, label, node, label, node ...
            names = [node(x) for x in pieces[0::2]]
            labels = pieces[1::2]
            for i, label in enumerate(labels):
                if names[i] and names[i + 1]:
                    edges.append((names[i], names[i + 1], _clean(label or "")))
    return nodes, edges


def _sequence(lines) -> tuple[dict, list]:
    nodes: dict[str, str] = {}
    edges = []
    for line in lines:
        p = PARTICIPANT.match(line)
        if p:
            nodes[p.group(1)] = _clean(p.group(2) or p.group(1))
            continue
        m = MESSAGE.match(line)
        if m:
            a, b, text = m.group(1).strip(), m.group(2).strip(), _clean(m.group(3))
            nodes.setdefault(a, a)
            nodes.setdefault(b, b)
            edges.append((a, b, text))
    return nodes, edges


def _c4(lines) -> tuple[dict, list]:
    nodes, edges = {}, []
    for line in lines:
        rel = C4_REL.match(line)
        if rel:
            edges.append((rel.group(1), rel.group(2), _clean(rel.group(3))))
            continue
        item = C4_ITEM.match(line)
        if item and not item.group(1).startswith(("Update", "Rel")):
            nodes[item.group(2)] = _clean(item.group(3))
    return nodes, edges


def _state(lines) -> tuple[dict, list]:
    nodes, edges = {}, []
    for line in lines:
        m = STATE_EDGE.match(line)
        if m:
            a, b = ("start" if m.group(1) == "[*]" else m.group(1),
                    "end" if m.group(2) == "[*]" else m.group(2))
            nodes.setdefault(a, a)
            nodes.setdefault(b, b)
            edges.append((a, b, _clean(m.group(3) or "")))
    return nodes, edges


READERS = {"flowchart": _graph, "sequence diagram": _sequence, "state diagram": _state}


def summary(source: str) -> str:
    """What the diagram draws, in words: its kind, its nodes and its connections."""
    word, lines = _body(source)
    kind = KINDS.get(word, f"{word} diagram" if word else "diagram")
    reader = READERS.get(kind) or (_c4 if word.startswith("C4") else None)
    if reader is None:
        return kind[0].upper() + kind[1:]
    nodes, edges = reader(lines)
    parts = [f"{kind[0].upper()}{kind[1:]}"]
    if nodes:
        names = list(dict.fromkeys(nodes.values()))
        parts.append(f"{len(names)} node{'s' if len(names) != 1 else ''}: " + ", ".join(names))
    if edges:
        said = [f"{nodes.get(a, a)} to {nodes.get(b, b)}" + (f" ({t})" if t else "")
                for a, b, t in edges]
        parts.append(f"{len(said)} connection{'s' if len(said) != 1 else ''}: "
                     + "; ".join(said))
    text = ". ".join(parts) + ("." if len(parts) > 1 else "")
    if len(text) > MAX_CHARS:
        cut = text[:MAX_CHARS].rsplit(" ", 1)[0].rstrip(",;:")
        text = f"{cut} … (summary shortened; the diagram's source follows it)"
    return text


def describe(source: str) -> str:
    """The text alternative of a diagram: "Diagram: <title>. <description>", else its
    summary (after the title when it has only a title)."""
    title, descr = own_text(source)
    if title and descr:
        return f"Diagram: {title}. {descr}"
    if descr:
        return descr
    if title:
        return f"Diagram: {title}. {summary(source)}"
    return summary(source)
