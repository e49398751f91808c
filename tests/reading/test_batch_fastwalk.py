"""fastwalk.py: the faster panflute walk visits, attaches and changes exactly as panflute's."""

import json

import panflute as pf

from epdoc.pipeline.pandoc import runner as pandoc
from epdoc.pipeline.reading import fastwalk, positions
from epdoc.pipeline.reading.document import load_doc

from helpers import EXAMPLES


def _doc():
    text = (EXAMPLES / "EP-011-proposal-catalog.md").read_text()
    return load_doc(positions.prepare_json(pandoc.read_markdown(text)))


def _actions():
    seen = []

    def record(elem, doc):
        seen.append((type(elem).__name__, type(elem.parent).__name__, elem.index,
                     elem.location))

    def emphasize(elem, doc):
        if isinstance(elem, pf.Str) and elem.text.lower() == "the":
            return pf.Emph(pf.Str(elem.text))

    def drop_and_split(elem, doc):
        if isinstance(elem, pf.Str) and elem.text.lower() == "a":
            return []
        if isinstance(elem, pf.Str) and elem.text.endswith("."):
            return [pf.Str(elem.text[:-1]), pf.Str(".")]

    def grow_parent(elem, doc):  # changes the list it is in while it is walked
        if isinstance(elem, pf.Header) and elem.level == 2 and not elem.identifier.endswith("x"):
            elem.identifier += "x"
            elem.parent.content.insert(elem.index + 1, pf.Para(pf.Str("inserted")))

    return seen, [record, emphasize, drop_and_split, grow_parent]


def _run(walk):
    pf.Element.walk = walk
    doc = _doc()
    seen, actions = _actions()
    for action in actions:
        doc = doc.walk(action) or doc
    doc.walk(lambda e, d: None, stop_if=lambda e: isinstance(e, pf.Table))
    return json.dumps(doc.to_json()), seen


def test_fast_walk_gives_what_panflute_gives():
    try:
        fast = _run(fastwalk.walk)
        slow = _run(fastwalk._original)
    finally:
        fastwalk.install()
    assert fast == slow
    assert '"inserted"' in fast[0] and '"Emph"' in fast[0]


def test_a_walk_that_changes_nothing_keeps_every_list():
    fastwalk.install()
    doc = _doc()
    before = [id(e.content) for e in [doc, *doc.content] if hasattr(e, "content")]
    doc.walk(lambda e, d: None)
    assert [id(e.content) for e in [doc, *doc.content] if hasattr(e, "content")] == before
