"""One proposal: read, parsed once, filtered in-process."""

from __future__ import annotations

import gc
import io
import json
from dataclasses import dataclass, field
from pathlib import Path

import panflute as pf

from epdoc import filters
from epdoc.pipeline.config import layout
from epdoc.pipeline.core.context import Context
from epdoc.pipeline.core.diagnostics import Diagnostic
from epdoc.pipeline.core.options import Options
from epdoc.pipeline.core.record import Proposal
from epdoc.pipeline.pandoc import runner as pandoc
from epdoc.pipeline.reading import anchors, depth, fastwalk, frontmatter, positions
from epdoc.pipeline.reading.sources import check_decoded, read_source

fastwalk.install()  # panflute's walk without rebuilding unchanged lists (same results)


@dataclass
class Document:
    source: Path
    text: str
    doc: pf.Doc
    record: Proposal
    title: str
    context: Context
    diagnostics: list[Diagnostic] = field(default_factory=list)

    @property
    def stem(self) -> str:
        """The name of its outputs: the file's stem, a folder proposal's folder name, or
        the name this run gave it (pipeline/config/layout.py)."""
        return layout.output_name(self.source, self.context.options)

    def ast_json(self) -> str:
        """The normalized AST as pandoc JSON (writers start from this)."""
        return json.dumps(self.doc.to_json(), ensure_ascii=False)


def load_doc(ast: dict) -> pf.Doc:
    data = json.dumps(ast)
    return pf.load(io.StringIO(data))


def load(path, options: Options | None = None, text: str | None = None) -> Document:
    """Read, parse (once) and filter a proposal. `text`: its source, already read and
    checked (an older version of `path`, pipeline/redline/), pictures found beside `path`."""
    options = options or Options()
    path = Path(path)
    if text is None:
        text = read_source(path, options.max_input_bytes)
    max_depth = getattr(options, "max_depth", depth.DEFAULT_MAX_DEPTH)
    depth.check_source(text, max_depth, path)  # before pandoc: it slows down on these
    depth.check_front_matter(text, options.max_input_bytes, max_depth, path)
    broken = None
    try:
        try:
            ast = pandoc.read_markdown(text, path, **options.pandoc_limits)
        except pandoc.FrontMatterError as exc:  # GitHub shows the page anyway: so do we
            broken = frontmatter.recover(text, getattr(exc, "detail", exc.message), exc.line)
            if broken is None:
                raise
            ast = pandoc.read_markdown(broken.text, path, **options.pandoc_limits)
    except RecursionError:  # Python's json module, on pandoc's deeply nested output
        if max_depth > depth.DEFAULT_MAX_DEPTH:
            raise  # past a raised limit: too deep to process (errors.one_line says so)
        raise depth.too_deep(f"more than {max_depth}", max_depth, path) from None
    depth.check_ast(ast, max_depth, path)  # before panflute, which recurses per level
    check_decoded(ast, text, path)  # &#x202E; and YAML's "\u202E" as read_source does
    if broken is not None:
        frontmatter.place(ast, broken)
    anchors.github_ids(ast)  # before the source positions go: they say how wide spaces are
    ast = positions.prepare_json(ast)
    gc_was = gc.isenabled()
    gc.disable()  # panflute builds many small objects; the cyclic collector only slows it
    try:
        doc = load_doc(ast)
        ctx = Context(source=path, options=options)
        if broken is not None:
            ctx.report("error", frontmatter.CODE, "the front matter is not valid YAML: "
                       f"{broken.message} (what could be read line by line is used; fix the "
                       "YAML between the --- lines)", line=broken.line or 1, column=1)
        ctx.positions = positions.collect(doc)
        doc.epdoc = ctx
        doc.format = "json"
        doc = filters.run_all(doc)
    finally:
        if gc_was:
            gc.enable()
    return Document(path, text, doc, ctx.record, ctx.display_title, ctx, ctx.diagnostics)
