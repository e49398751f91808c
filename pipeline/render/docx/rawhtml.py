"""Raw HTML in the DOCX, with its meaning: pandoc's DOCX writer drops raw HTML, so the
DOCX's copy of the AST gets it as pandoc elements (tables, pictures, details, definition
lists, figures, line breaks, sub- and superscripts, keys, links, ...).

pandoc's gfm reader splits HTML around the markdown inside it (`<details>`, a blank line,
markdown, `</details>` is three blocks; `H<sub>2</sub>O` five inlines), so each run of raw
HTML up to where its tags close is one fragment, the markdown between its pieces a marked
slot. Every fragment goes through the HTML sanitizer (pipeline/safety/html.py: nothing the
HTML page refuses reaches the DOCX), then pandoc's HTML reader, all in one call per
document; the slots get their markdown back. Pictures follow the picture policy as markdown
pictures do (filters/images.py has reported them already). An element the DOCX cannot show
(an iframe, a video, an SVG, a script) keeps only its text, with a located warning."""

from __future__ import annotations

import html
import json
import secrets
from html.parser import HTMLParser
from urllib.parse import quote

import panflute as pf

from epdoc.pipeline.core import tree
from epdoc.pipeline.core.errors import LimitError
from epdoc.pipeline.pandoc import runner as pandoc
from epdoc.pipeline.reading import depth
from epdoc.pipeline.reading.document import load_doc
from epdoc.pipeline.safety import html as sanitize
from epdoc.pipeline.safety import pictures as imagesafe

# closed implicitly by what follows them: a fragment does not wait for their end tags
OPTIONAL_END = {"p", "li", "dt", "dd", "tr", "td", "th", "thead", "tbody", "tfoot", "caption",
                "colgroup", "option", "optgroup", "rb", "rt", "rp"}
# not allowed by the sanitizer, but what they hold carries their meaning (the <img> of a
# <picture>, the text of a <center>): no warning
WRAPPERS = {"picture", "source", "center", "font", "big", "tt", "strike", "wbr", "html",
            "body", "head", "tbody"}


def _shown(tag: str) -> bool:
    return tag in sanitize.TAGS or tag in WRAPPERS


class _Tags(HTMLParser):
    """The tags of a piece of HTML that stay open, and the elements the DOCX cannot show
    (outermost only: not the <text> of an <svg>), with where they start."""

    def __init__(self, stack: list[str]):
        super().__init__(convert_charrefs=True)
        self.stack = list(stack)
        self.dropped: list[tuple[str, int, int]] = []  # (tag, line, offset) in the piece

    def handle_starttag(self, tag, attrs):
        self.handle_startendtag(tag, attrs)
        if tag not in depth.VOID and tag not in OPTIONAL_END:
            self.stack.append(tag)

    def handle_startendtag(self, tag, attrs):
        if not _shown(tag) and all(_shown(t) for t in self.stack):
            self.dropped.append((tag, *self.getpos()))

    def handle_endtag(self, tag):
        if tag in self.stack:
            del self.stack[len(self.stack) - 1 - self.stack[::-1].index(tag):]


def _tags(text: str, stack: list[str]) -> _Tags:
    parser = _Tags(stack)
    parser.feed(text)
    parser.close()
    return parser


def _raw(elem) -> bool:
    return isinstance(elem, (pf.RawBlock, pf.RawInline)) and (elem.format or "").lower() == "html"


def _raws(doc) -> list:
    return [e for e in tree.elements(doc, (pf.RawBlock, pf.RawInline)) if _raw(e)]


class _Places:
    """Where each raw piece of the copy is written in the source (the copy has no source
    positions: its pieces are matched with the normalized document's, in walk order)."""

    def __init__(self, copy, document):
        ctx = document.context
        self.lines = document.text.split("\n")
        self.at: dict[int, tuple[int | None, int | None]] = {}
        for mine, theirs in zip(_raws(copy), _raws(document.doc), strict=False):
            self.at[id(mine)] = self._where(theirs, ctx)

    def _where(self, elem, ctx):
        line, column = ctx.where(elem)
        if line and isinstance(elem, pf.RawInline):  # the block's line: find the tag's own
            for n in range(line, min(line + 200, len(self.lines) + 1)):
                at = self.lines[n - 1].find(elem.text, (column or 1) - 1 if n == line else 0)
                if at >= 0:
                    return n, at + 1
        return line, column

    def of(self, elem, line_in: int = 1, offset: int = 0):
        line, column = self.at.get(id(elem), (None, None))
        if line is None:
            return None, None
        if line_in > 1:
            return line + line_in - 1, offset + 1
        return line, (column or 1) + offset


class _Group:
    """One fragment: raw pieces and the slots (runs of markdown) between them, in a list."""

    def __init__(self, parent, name: str, start: int, end: int, block: bool):
        self.parent, self.name, self.start, self.end, self.block = parent, name, start, end, block
        self.slots: dict[str, list] = {}
        self.html = ""


def _groups(elem, name: str, items: list, block: bool) -> list[_Group]:
    out, i = [], 0
    while i < len(items):
        if not _raw(items[i]):
            i += 1
            continue
        stack = _tags(items[i].text, []).stack
        j = i + 1
        while stack and j < len(items):
            if _raw(items[j]):
                stack = _tags(items[j].text, stack).stack
            j += 1
        out.append(_Group(elem, name, i, j, block))
        i = j
    return out


def _collect(doc) -> list[_Group]:
    """Every group of raw HTML in `doc`, innermost first."""
    groups: list[_Group] = []
    for elem in tree.elements(doc, pf.Element):
        for name in elem._children:
            items = getattr(elem, name, None)
            if isinstance(items, pf.ListContainer) and any(_raw(x) for x in items):
                block = any(isinstance(x, pf.Block) for x in items)
                groups.extend(_groups(elem, name, list(items), block))
    return groups


class _AsDivs(HTMLParser):
    """Sanitized HTML written back with <details> and <summary> as marked divs (pandoc's
    reader would lose where a summary ends)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in ("details", "summary"):
            tag, attrs = "div", [("class", f"epdoc-{tag}")]
        text = "".join(f' {k}="{html.escape(v or "")}"' for k, v in attrs)
        self.out.append(f"<{tag}{text}>")

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag):
        self.out.append(f"</{'div' if tag in ('details', 'summary') else tag}>")

    def handle_data(self, data):
        self.out.append(html.escape(data, quote=False))


def _as_divs(fragment: str) -> str:
    if "<details" not in fragment and "<summary" not in fragment:
        return fragment
    parser = _AsDivs()
    parser.feed(fragment)
    parser.close()
    return "".join(parser.out)


class Converter:
    def __init__(self, doc, document, options):
        self.doc, self.document, self.options = doc, document, options
        self.ctx = document.context
        self.nonce = f"epdoc-{secrets.token_hex(6)}"
        self.places: _Places | None = None  # found once there is raw HTML to place
        self.warned: set = set()
        self.line: int | None = None  # where the group being placed starts

    def run(self) -> None:
        groups = _collect(self.doc)
        if not groups:
            return
        self.places = _Places(self.doc, self.document)  # before the copy changes
        parts = []
        for n, g in enumerate(groups):
            g.html = self.fragment(g)
            parts.append(f'<div id="{self.nonce}-g{n}">{g.html}</div>')
        out = pandoc.run(["--sandbox", "-f", "html", "-t", "json"],
                         "\n".join(parts).encode("utf-8"), self.document.source,
                         **self.options.pandoc_limits)
        ast = json.loads(out)
        depth.check_ast(ast, self.options.max_depth, self.document.source)
        _table_heads(ast)
        read = {}
        for block in ast["blocks"]:
            if block.get("t") == "Div" and block["c"][0][0].startswith(f"{self.nonce}-g"):
                read[block["c"][0][0]] = block
        try:  # all at once; one by one only when panflute refuses one
            loaded = {b.identifier: b for b in load_doc({**ast, "blocks": list(read.values())})
                      .content}
        except (ValueError, TypeError, IndexError, KeyError):
            loaded = None
        for n, g in reversed(list(enumerate(groups))):  # right to left within a list
            key = f"{self.nonce}-g{n}"
            self.place(g, loaded.get(key) if loaded is not None
                       else self.load(ast, read.get(key), g))

    def load(self, ast: dict, block: dict | None, g: _Group):
        """The group's blocks as panflute elements; what panflute cannot hold (pandoc
        allows more) as its text, with a warning."""
        if block is None:
            return None
        try:
            return load_doc({**ast, "blocks": [block]}).content[0]
        except (ValueError, TypeError, IndexError, KeyError) as e:
            first = next(x for x in getattr(g.parent, g.name)[g.start:g.end] if _raw(x))
            line, column = self.places.of(first)
            self.ctx.report("warning", "html-dropped", f"raw HTML shown as its text in the "
                            f"DOCX: it could not be converted ({' '.join(str(e).split())[:120]})",
                            line=line, column=column)
            words = []
            stack = [block]
            while stack:
                node = stack.pop()
                if isinstance(node, dict):
                    if node.get("t") == "Str":
                        words.append(node["c"])
                    stack.extend(reversed([v for v in node.values()
                                           if isinstance(v, (list, dict))]))
                elif isinstance(node, list):
                    stack.extend(reversed(node))
            return pf.Div(pf.Para(pf.Str(" ".join(words)))) if words else None

    def fragment(self, g: _Group) -> str:
        """The group's HTML, sanitized, with a marked slot for each run of markdown."""
        items = getattr(g.parent, g.name)
        pieces, slot, stack = [], None, []
        for item in list(items)[g.start:g.end]:
            if _raw(item):
                stack = self.check(item, stack)
                pieces.append(item.text)
                slot = None
                continue
            if slot is None:
                slot = f"{self.nonce}-{len(g.slots)}"
                g.slots[slot] = []
                tag = "div" if g.block else "span"
                pieces.append(f'<{tag} id="{slot}"></{tag}>')
            g.slots[slot].append(item)
        clean = sanitize.clean("".join(pieces))
        if "<img" in clean:  # one whose source the sanitizer refused: its alt text, as on the page
            clean = imagesafe.HtmlImages(self.ctx.source_dir, self.options).remote_as_links(clean)
        return _as_divs(clean)

    def check(self, raw, stack: list[str]) -> list[str]:
        """A located warning for each element the DOCX cannot show; the tags still open."""
        tags = _tags(raw.text, stack)
        for tag, line_in, offset in tags.dropped:
            line, column = self.places.of(raw, line_in, offset)
            if (line, column, tag) in self.warned:
                continue
            self.warned.add((line, column, tag))
            self.ctx.report("warning", "html-dropped",
                            f"raw HTML <{tag}> has no equivalent in the DOCX (nor the HTML "
                            f"page): only the text it holds, if any, is kept",
                            line=line, column=column)
        return tags.stack

    def place(self, g: _Group, div) -> None:
        blocks = list(div.content) if div is not None else []
        holder = pf.Div(*blocks)
        first = next(x for x in getattr(g.parent, g.name)[g.start:g.end] if _raw(x))
        self.line = self.places.of(first)[0]
        placed = set()

        def action(elem, doc):
            """Bottom-up: a slot gets its markdown back (not walked again: its pictures
            were checked by filters/images.py), then what holds it gets its meaning."""
            if isinstance(elem, (pf.Div, pf.Span)) and elem.identifier in g.slots:
                placed.add(elem.identifier)
                return list(g.slots[elem.identifier])
            if isinstance(elem, pf.Image):
                return self.picture(elem, doc)
            return _meaning(elem, doc)

        holder.walk(action)
        blocks = list(holder.content)
        # a slot the HTML parser moved out of reach: its markdown still shows, after
        lost = [x for key, items in g.slots.items() if key not in placed for x in items]
        items = list(getattr(g.parent, g.name))
        if g.block:
            new = blocks + lost
        else:
            new = _inlines(blocks) + lost
        items[g.start:g.end] = new
        setattr(g.parent, g.name, items)

    def picture(self, elem, _doc):
        """A picture of raw HTML under the picture policy, as filters/images.py decides
        (which reported it already): a remote one a link, a refused one its alt text."""
        if not isinstance(elem, pf.Image):
            return None
        alt = pf.stringify(elem).strip()
        place = imagesafe.Place(self.ctx.source_dir, options=self.options)
        try:
            found = imagesafe.find(elem.url, place)
        except imagesafe.NetworkOff:
            return pf.Link(*(elem.content or [pf.Str(elem.url)]), url=elem.url)
        except imagesafe.Refused:
            return pf.Span(pf.Str(f"[image refused: {alt or 'image'}]"),
                           classes=["missing-image"])
        except LimitError as e:
            e.path, e.line = self.document.source, self.line
            raise
        if found.kind == imagesafe.LOCAL:
            elem.url = quote(found.name, safe="/")
        elif found.kind == imagesafe.DATA and found.picture.mime == imagesafe.SVG:
            elem.url = found.picture.data_url()  # scrubbed
        return None


def _meaning(elem, _doc):
    """What pandoc's HTML reader leaves as classes: a summary in bold before its details'
    content, keys as code."""
    if isinstance(elem, pf.Div) and "epdoc-details" in elem.classes:
        return list(elem.content)
    if isinstance(elem, pf.Div) and "epdoc-summary" in elem.classes:
        return [pf.Para(pf.Strong(*b.content)) if isinstance(b, (pf.Plain, pf.Para)) else b
                for b in elem.content]
    if isinstance(elem, pf.Span) and "kbd" in elem.classes:
        return pf.Code(pf.stringify(elem))
    return None


def _table_heads(ast: dict) -> None:
    """A table's leading rows of <th> as its header row: the sanitizer puts every row in a
    <tbody>, where pandoc keeps them as the body's own head rows (which the DOCX writer does
    not repeat, and panflute does not count)."""
    stack: list = [ast["blocks"]]
    while stack:
        node = stack.pop()
        if isinstance(node, list):
            stack.extend(node)
        elif isinstance(node, dict):
            if node.get("t") == "Table":
                head, bodies = node["c"][3], node["c"][4]
                if not head[1] and bodies and bodies[0][2]:
                    head[1], bodies[0][2] = bodies[0][2], []
                    if not bodies[0][3]:
                        del bodies[0]
            stack.extend(v for v in node.values() if isinstance(v, (list, dict)))


def _inlines(blocks: list) -> list:
    """Blocks read from HTML that sat among inlines, as inlines (line breaks between)."""
    out: list = []
    for b in blocks:
        if out:
            out.append(pf.LineBreak())
        if isinstance(b, (pf.Plain, pf.Para)):
            out.extend(b.content)
        elif isinstance(b, pf.Div):
            out.extend(_inlines(list(b.content)))
        else:
            out.append(pf.Str(pf.stringify(b).strip()))
    return out


def convert(doc, document, options) -> None:
    """Raw HTML of the DOCX's copy of the AST as pandoc elements, in place."""
    Converter(doc, document, options).run()
