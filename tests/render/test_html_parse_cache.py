"""WeasyPrint's HTML parser with its pattern cache mended (pipeline/render/pdf/htmlparse.py):
the same tree as tinyhtml5's own, each pattern built once instead of once per text run."""

import re
import xml.etree.ElementTree as ET

import tinyhtml5
from tinyhtml5 import inputstream

from epdoc.pipeline.render.pdf import htmlparse

from helpers import corpus_files


def _parse(monkeypatch, cache) -> tuple[bytes, int]:
    """(the tree, how many patterns were built) with `cache` as chars_until's cache"""
    built = []
    compile_ = re.compile
    monkeypatch.setattr(inputstream, "characters_until_regex", cache)
    monkeypatch.setattr(re, "compile", lambda *a: built.append(a) or compile_(*a))
    try:
        return ET.tostring(tinyhtml5.parse(HTML)), len(built)
    finally:
        monkeypatch.setattr(re, "compile", compile_)


HTML = ("<p>" + "".join(f"<a href='#x{i}' title=\"t{i}\">a &amp; b {i}</a>\n" for i in range(200))
        + "<!-- c --><pre>x</pre>" + corpus_files()[0].read_text(encoding="utf-8"))


def test_same_tree_and_each_pattern_built_once(monkeypatch):
    stock, stock_built = _parse(monkeypatch, {})
    mended = htmlparse.Patterns()
    tree, built = _parse(monkeypatch, mended)
    assert tree == stock
    assert stock_built > 200 and built == len(mended) <= 12
    assert all(isinstance(key, tuple) and isinstance(key[1], bool) for key in mended)


def test_weasyprint_parses_with_the_mended_cache():
    from epdoc.pipeline.render.pdf import writer  # noqa: F401  (what a PDF build imports)

    assert isinstance(inputstream.characters_until_regex, htmlparse.Patterns)
