"""The difference of two normalized ASTs, marked on the new one: blocks matched by their
content (a re-wrapped paragraph is the same block), words within matched paragraphs, list
items, table rows and cells; code line by line; pictures and diagrams whole; a block found
deleted in one place and inserted in another reads as moved.

Marks: a Span (inline) or Div (block) with class `ins` or `del` and an id `rl-` (Span) or
`rlb-` (Div) + kind + number; the formats present them (pipeline/redline/present.py)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from difflib import SequenceMatcher

import panflute as pf

from epdoc.pipeline.diagrams.pictures import MARK as DIAGRAM

INS, DEL = "ins", "del"
MOVED, MOVED_FROM = "moved", "moved-from"
PAIR_AT = 0.5  # blocks at least this alike are one block edited, not one deleted + one added
MOVED_MIN_CHARS = 12  # shorter blocks (a rule, "Yes") are not told moved
CONTAINERS = (pf.Emph, pf.Strong, pf.Strikeout, pf.Underline, pf.Superscript, pf.Subscript,
              pf.SmallCaps, pf.Quoted, pf.Link, pf.Span)
TEXT_BLOCKS = (pf.Para, pf.Plain, pf.Header)
METADATA = "metadata"  # filters/metadata.py: the metadata table's anchor
GENERATED = "toc"  # filters/toc.py: made from the headings, never marked


@dataclass
class Mark:
    id: str
    kind: str  # ins or del
    words: list[str]  # the words it holds (pictures: none)
    line: int | None = None  # source line of the new block it is in (ins)
    moved: bool = False


@dataclass
class Changes:
    marks: dict[str, Mark] = field(default_factory=dict)
    sections: list[str] = field(default_factory=list)  # changed sections, in order
    section_ids: list[str] = field(default_factory=list)  # their headings' anchors
    moved: list[str] = field(default_factory=list)  # what reads as moved

    def words(self, kind: str) -> int:
        return sum(len(m.words) for m in self.marks.values() if m.kind == kind and not m.moved)

    @property
    def changed(self) -> bool:
        return bool(self.marks)


def _norm(node):
    """pandoc JSON with soft breaks as spaces: what wrapping does not change."""
    if isinstance(node, dict):
        if node.get("t") == "SoftBreak":
            return {"t": "Space"}
        return {k: _norm(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_norm(v) for v in node]
    return node


def signature(elem) -> str:
    return json.dumps(_norm(elem.to_json()), ensure_ascii=False, sort_keys=True)


def words_of(elem) -> list[str]:
    if isinstance(elem, pf.CodeBlock):
        return elem.text.split()
    return pf.stringify(elem).split()


def is_picture(block) -> bool:
    if isinstance(block, pf.Div) and DIAGRAM in block.classes:
        return True
    if isinstance(block, pf.Figure):
        return True
    if isinstance(block, (pf.Para, pf.Plain)):
        shown = [x for x in block.content if not isinstance(x, (pf.Space, pf.SoftBreak))]
        return len(shown) == 1 and isinstance(shown[0], pf.Image)
    return False


def similarity(a: list[str], b: list[str]) -> float:
    if not a and not b:
        return 1.0
    return SequenceMatcher(None, a, b, autojunk=False).ratio()


def pair(olds: list, news: list, score) -> list[tuple[int | None, int | None]]:
    """(old index, new index) in reading order: pairs of alike items kept in order, the rest
    alone (None on the other side)."""
    pairs: list[tuple[int | None, int | None]] = []
    start = 0
    for j, new in enumerate(news):
        best, best_score = None, PAIR_AT
        for i in range(start, len(olds)):
            s = score(olds[i], new)
            if s >= best_score and (best is None or s > best_score):
                best, best_score = i, s
        if best is None:
            pairs.append((None, j))
            continue
        pairs += [(i, None) for i in range(start, best)]
        pairs.append((best, j))
        start = best + 1
    pairs += [(i, None) for i in range(start, len(olds))]
    return pairs


class Differ:
    def __init__(self, where=None):
        self.changes = Changes()
        self.where = where or (lambda _elem: None)  # source line of a new element
        self.moved: set[str] = set()
        self.count = 0

    # -- marks ------------------------------------------------------------------------------

    def _mark(self, prefix: str, kind: str, words, line, moved=False) -> str:
        self.count += 1
        ident = f"{prefix}-{kind}-{self.count}"
        self.changes.marks[ident] = Mark(ident, kind, list(words), line, moved)
        return ident

    def span(self, kind: str, inlines: list, line=None, moved=False) -> pf.Span:
        words = pf.stringify(pf.Plain(*inlines)).split() if inlines else []
        ident = self._mark("rl", kind, words, line, moved)
        return pf.Span(*inlines, identifier=ident, classes=[kind, MOVED] if moved else [kind])

    def div(self, kind: str, blocks: list, line=None, words=(), extra=(), moved=False) -> pf.Div:
        ident = self._mark("rlb", kind, words, line, moved)
        return pf.Div(*blocks, identifier=ident, classes=[kind, *extra])

    def whole(self, block, kind: str, moved: bool = False):
        """`block` inserted or deleted whole: its text marked, and the block."""
        line = self.where(block) if kind == INS else None
        code_words: list[str] = []

        def action(elem, _doc):
            if isinstance(elem, TEXT_BLOCKS) and elem.content:
                elem.content = [self.span(kind, list(elem.content), line, moved)]
            elif isinstance(elem, pf.CodeBlock) and not \
                    (isinstance(elem.parent, pf.Div) and DIAGRAM in elem.parent.classes):
                code_words.extend(elem.text.split())
            return None

        if isinstance(block, TEXT_BLOCKS) and block.content:
            block.content = [self.span(kind, list(block.content), line, moved)]
        else:
            block.walk(action)
        extra = ["redline-picture"] if is_picture(block) else []
        if moved:
            extra.append(MOVED if kind == INS else MOVED_FROM)
        return self.div(kind, [block], line, code_words, extra, moved)

    # -- blocks -----------------------------------------------------------------------------

    def blocks(self, old: list, new: list) -> list:
        a, b = [signature(x) for x in old], [signature(x) for x in new]
        ops = SequenceMatcher(None, a, b, autojunk=False).get_opcodes()
        gone = {a[i] for tag, i1, i2, _, _ in ops if tag != "equal" for i in range(i1, i2)}
        came = {b[j] for tag, _, _, j1, j2 in ops if tag != "equal" for j in range(j1, j2)}
        for s in gone & came:
            self.moved.add(s)
        out = []
        for tag, i1, i2, j1, j2 in ops:
            if tag == "equal":
                out += new[j1:j2]
            else:
                out += self.replace(old[i1:i2], new[j1:j2])
        return out

    def _is_moved(self, block) -> bool:
        if len(pf.stringify(block).strip()) < MOVED_MIN_CHARS and \
                not isinstance(block, pf.Header):
            return False
        return signature(block) in self.moved

    def replace(self, olds: list, news: list) -> list:
        moved_old = [i for i, blk in enumerate(olds) if self._is_moved(blk)]
        moved_new = [j for j, blk in enumerate(news) if self._is_moved(blk)]
        rest_o = [i for i in range(len(olds)) if i not in moved_old]
        rest_n = [j for j in range(len(news)) if j not in moved_new]
        if len(rest_o) == len(rest_n) == 1 and (
                self.score(olds[rest_o[0]], news[rest_n[0]]) or
                self.one_text(olds[rest_o[0]], news[rest_n[0]])):
            pairs = [(0, 0)]  # one block for one (a table cell, a list item): edited
        else:
            pairs = pair([olds[i] for i in rest_o], [news[j] for j in rest_n], self.score)
        events = [(None if i is None else rest_o[i], None if j is None else rest_n[j])
                  for i, j in pairs]
        events += [(i, None) for i in moved_old] + [(None, j) for j in moved_new]
        paired = [(i, j) for i, j in events if i is not None and j is not None]

        def key(event):
            i, j = event
            if j is not None:
                return (j, 0)
            before = [pj for pi, pj in paired if pi < i]  # deletions right after the pair
            return ((max(before) if before else -1) + 0.5, i)  # before them

        out = []
        for i, j in sorted(events, key=key):
            if i is not None and j is not None:
                out += self.edited(olds[i], news[j])
            elif j is not None:
                moved = j in moved_new
                if moved and (isinstance(news[j], pf.Header) or j - 1 not in moved_new):
                    self.changes.moved.append(" ".join(pf.stringify(news[j]).split())[:60])
                out.append(self.whole(news[j], INS, moved=moved))
            else:
                out.append(self.whole(olds[i], DEL, moved=i in moved_old))
        return merge_moved(out)

    @staticmethod
    def one_text(old, new) -> bool:
        return type(old) is type(new) and isinstance(new, (pf.Para, pf.Plain)) \
            and not is_picture(old) and not is_picture(new)

    @staticmethod
    def score(old, new) -> float:
        if type(old) is not type(new) or is_picture(old) or is_picture(new):
            return 0.0
        if isinstance(old, pf.Header) and old.level != new.level:
            return 0.0
        if isinstance(old, pf.Div) and old.classes != new.classes:
            return 0.0
        if isinstance(old, (pf.HorizontalRule, pf.RawBlock)):
            return 0.0
        if isinstance(old, pf.CodeBlock) and old.classes != new.classes:
            return 0.0
        if isinstance(old, (pf.BulletList, pf.OrderedList, pf.Table, pf.BlockQuote, pf.Div,
                            pf.CodeBlock)):
            return max(similarity(words_of(old), words_of(new)), PAIR_AT)  # same kind: edit
        return similarity(words_of(old), words_of(new))

    def edited(self, old, new) -> list:
        """One block, edited: the new block with the differences marked in it."""
        if isinstance(new, pf.Div) and new.identifier == GENERATED:
            return [new]  # the table of contents follows the headings
        if isinstance(new, TEXT_BLOCKS):
            new.content = self.inlines(list(old.content), list(new.content), self.where(new))
            return [new]
        if isinstance(new, pf.CodeBlock):
            return [self.code(old, new)]
        if isinstance(new, (pf.BulletList, pf.OrderedList)):
            new.content = self.items(list(old.content), list(new.content))
            return [new]
        if isinstance(new, (pf.BlockQuote, pf.Div)):
            new.content = self.blocks(list(old.content), list(new.content))
            return [new]
        if isinstance(new, pf.Table):
            self.table(old, new)
            return [new]
        return [self.whole(old, DEL), self.whole(new, INS)]

    def code(self, old, new) -> pf.Div:
        a, b = old.text.split("\n"), new.text.split("\n")
        line = self.where(new)
        parts = []

        def piece(lines):
            return pf.CodeBlock("\n".join(lines), classes=list(new.classes),
                                attributes=dict(new.attributes))

        for tag, i1, i2, j1, j2 in SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
            if tag == "equal":
                parts.append(piece(b[j1:j2]))
                continue
            if i2 > i1:
                parts.append(self.div(DEL, [piece(a[i1:i2])], None,
                                      " ".join(a[i1:i2]).split()))
            if j2 > j1:
                parts.append(self.div(INS, [piece(b[j1:j2])], line,
                                      " ".join(b[j1:j2]).split()))
        return pf.Div(*parts, classes=["redline-code"])

    def items(self, olds: list, news: list) -> list:
        a, b = [signature(x) for x in olds], [signature(x) for x in news]
        out = []
        for tag, i1, i2, j1, j2 in SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
            if tag == "equal":
                out += news[j1:j2]
                continue
            o, n = olds[i1:i2], news[j1:j2]
            for i, j in pair(o, n, lambda x, y: similarity(words_of(x), words_of(y))):
                if i is None:
                    n[j].content = [self.whole(blk, INS) for blk in list(n[j].content)]
                    out.append(n[j])
                elif j is None:
                    o[i].content = [self.whole(blk, DEL) for blk in list(o[i].content)]
                    out.append(o[i])
                else:
                    n[j].content = self.blocks(list(o[i].content), list(n[j].content))
                    out.append(n[j])
        return out

    # -- tables -----------------------------------------------------------------------------

    def table(self, old: pf.Table, new: pf.Table) -> None:
        if old.head is not None and new.head is not None:
            new.head.content = self.rows(list(old.head.content), list(new.head.content))
        for k, body in enumerate(new.content):
            before = list(old.content[k].content) if k < len(old.content) else []
            body.content = self.rows(before, list(body.content))
        for body in list(old.content)[len(new.content):]:
            new.content.append(body)
            body.content = [self.row_whole(r, DEL) for r in list(body.content)]

    def rows(self, olds: list, news: list) -> list:
        a, b = [signature(x) for x in olds], [signature(x) for x in news]
        out = []

        def score(x, y):
            first_x = words_of(x.content[0]) if x.content else []
            first_y = words_of(y.content[0]) if y.content else []
            if first_x and first_x == first_y:
                return 1.0
            return similarity(words_of(x), words_of(y))

        for tag, i1, i2, j1, j2 in SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
            if tag == "equal":
                out += news[j1:j2]
                continue
            o, n = olds[i1:i2], news[j1:j2]
            for i, j in pair(o, n, score):
                if i is None:
                    out.append(self.row_whole(n[j], INS))
                elif j is None:
                    out.append(self.row_whole(o[i], DEL))
                else:
                    out.append(self.row(o[i], n[j]))
        return out

    def row_whole(self, row, kind: str):
        for cell in row.content:
            cell.content = [self.whole(blk, kind) for blk in list(cell.content)]
        return row

    def row(self, old, new):
        cells_old, cells_new = list(old.content), list(new.content)
        for k, cell in enumerate(cells_new):
            if k < len(cells_old):
                cell.content = self.blocks(list(cells_old[k].content), list(cell.content))
            else:
                cell.content = [self.whole(blk, INS) for blk in list(cell.content)]
        if cells_new:  # a column gone: its words shown deleted in the row's last cell
            for cell in cells_old[len(cells_new):]:
                cells_new[-1].content.extend([self.whole(blk, DEL)
                                              for blk in list(cell.content)])
        return new

    # -- inlines ----------------------------------------------------------------------------

    def inlines(self, old: list, new: list, line=None) -> list:
        a, b = tokens(old), tokens(new)
        items = []
        ka, kb = [t[0] for t in a], [t[0] for t in b]
        ops = slide(SequenceMatcher(None, ka, kb, autojunk=False).get_opcodes(), ka, kb)
        for tag, i1, i2, j1, j2 in ops:
            if tag == "equal":
                items += [(leaf, path, None) for _, leaf, path in b[j1:j2]]
                continue
            items += [(leaf, path, DEL) for _, leaf, path in a[i1:i2]]
            items += [(leaf, path, INS) for _, leaf, path in b[j1:j2]]
        return self.rebuild(items, 0, line)

    def rebuild(self, items: list, depth: int, line) -> list:
        out = []
        i = 0
        while i < len(items):
            leaf, path, mark = items[i]
            if len(path) > depth:
                container, j = path[depth], i
                while j < len(items) and len(items[j][1]) > depth \
                        and items[j][1][depth] is container:
                    j += 1
                out.append(clone(container, self.rebuild(items[i:j], depth + 1, line)))
                i = j
                continue
            j = i
            while j < len(items) and len(items[j][1]) == depth and items[j][2] == mark:
                j += 1
            leaves = [x[0] for x in items[i:j]]
            out += [self.span(mark, leaves, line if mark == INS else None)] if mark else leaves
            i = j
        return out


def _ends_sentence(key) -> bool:
    leaf = key[1]
    return leaf[0] == "Str" and leaf[1].endswith((".", "!", "?", ":", ";"))


def slide(ops: list, a: list, b: list) -> list:
    """Words added or removed between equal words, moved to where a sentence starts and
    ends when the same words can be read either way ("The x. The end." less "x. The"
    reads as "The x." removed)."""
    ops = [list(op) for op in ops]
    for k, op in enumerate(ops):
        if op[0] not in ("delete", "insert") or k == 0 or ops[k - 1][0] != "equal":
            continue
        prev = ops[k - 1]
        seq, (s, e) = (a, (op[1], op[2])) if op[0] == "delete" else (b, (op[3], op[4]))
        room = prev[2] - prev[1]
        shifts = [0]
        while shifts[-1] < room and s - shifts[-1] - 1 >= 0 and \
                seq[s - shifts[-1] - 1] == seq[e - shifts[-1] - 1]:
            shifts.append(shifts[-1] + 1)

        def score(n, seq=seq, s=s, e=e):
            start, end = s - n, e - n
            opens = start == 0 or start >= 2 and seq[start - 1][1] == ("Space",) and \
                _ends_sentence(seq[start - 2])
            closes = any(_ends_sentence(seq[x]) for x in (end - 1, end - 2)
                         if start <= x < end and seq[x][1] != ("Space",))
            return (opens + closes, -n)

        n = max(shifts, key=score)
        if not n:
            continue
        prev[2] -= n
        prev[4] -= n
        op[1] -= n
        op[2] -= n
        op[3] -= n
        op[4] -= n
        nxt = ops[k + 1] if k + 1 < len(ops) else None
        if nxt is not None and nxt[0] == "equal":
            nxt[1] -= n
            nxt[3] -= n
        else:
            ops.insert(k + 1, ["equal", op[2], op[2] + n, op[4], op[4] + n])
    return [tuple(op) for op in ops if op[0] != "equal" or op[2] > op[1]]


def merge_moved(blocks: list) -> list:
    """Blocks moved together read as one moved part."""
    out: list = []
    for block in blocks:
        last = out[-1] if out else None
        for kind in (MOVED, MOVED_FROM):
            if isinstance(block, pf.Div) and kind in block.classes and \
                    isinstance(last, pf.Div) and kind in last.classes:
                last.content.extend(list(block.content))
                break
        else:
            out.append(block)
    return out


def _container_key(c) -> tuple:
    if isinstance(c, pf.Link):
        return ("Link", c.url)
    if isinstance(c, pf.Span):
        return ("Span", tuple(c.classes))
    if isinstance(c, pf.Quoted):
        return ("Quoted", c.quote_type)
    return (type(c).__name__,)


def _leaf_key(x) -> tuple:
    if isinstance(x, pf.Str):
        return ("Str", x.text)
    if isinstance(x, (pf.Space, pf.SoftBreak)):
        return ("Space",)
    if isinstance(x, pf.Image):
        return ("Image", x.url, pf.stringify(x))
    return (type(x).__name__, signature(x))


def tokens(inlines, path=()) -> list[tuple[tuple, object, tuple]]:
    """(key, leaf inline, containers it sits in) for each leaf, in reading order."""
    out = []
    for x in inlines:
        if isinstance(x, CONTAINERS) and x.content:  # an empty one (an anchor) is a leaf
            out += tokens(x.content, (*path, x))
        else:
            out.append(((tuple(_container_key(c) for c in path), _leaf_key(x)), x, path))
    return out


def clone(c, content: list):
    if isinstance(c, pf.Link):
        return pf.Link(*content, url=c.url, title=c.title, identifier=c.identifier,
                       classes=list(c.classes), attributes=dict(c.attributes))
    if isinstance(c, pf.Span):
        return pf.Span(*content, identifier=c.identifier, classes=list(c.classes),
                       attributes=dict(c.attributes))
    if isinstance(c, pf.Quoted):
        return pf.Quoted(*content, quote_type=c.quote_type)
    return type(c)(*content)


def compare(old: pf.Doc, new: pf.Doc, where=None) -> Changes:
    """Mark on `new` what changed since `old`; the changes, with the sections they are in."""
    differ = Differ(where)
    new.content = differ.blocks(list(old.content), list(new.content))
    changes = differ.changes
    sections(new, changes)
    return changes


def sections(doc: pf.Doc, changes: Changes) -> None:
    """The sections (by their heading) that hold a mark; the changed headings get the class
    `redline-changed` (the PDF's bookmarks say so)."""
    heading, first = None, "Metadata and introduction"  # before the first heading
    seen: set[str] = set()
    for block in doc.content:
        head = block
        if isinstance(block, pf.Div) and len(block.content) == 1 and \
                isinstance(block.content[0], pf.Header):
            head = block.content[0]
        if isinstance(head, pf.Header) and head is block or isinstance(block, pf.Div) \
                and isinstance(head, pf.Header) and DEL not in block.classes:
            heading = head  # a deleted heading starts no section
        if not has_mark(block):
            continue
        name = " ".join(pf.stringify(heading).split()) if heading is not None else first
        if name not in seen:
            seen.add(name)
            changes.sections.append(name)
            changes.section_ids.append(heading.identifier if heading is not None
                                       else METADATA)
            if heading is not None and "redline-changed" not in heading.classes:
                heading.classes.append("redline-changed")


def is_mark(elem) -> bool:
    return isinstance(elem, (pf.Span, pf.Div)) and elem.identifier.startswith(("rl-", "rlb-"))


def has_mark(block) -> bool:
    found = [is_mark(block)]
    block.walk(lambda e, _d: found.append(True) if is_mark(e) else None)
    return any(found)
