"""The elements of a panflute tree in the order `walk()` visits them (children first), found
without walking it: a walk attaches every item and calls back for each, four times the cost
of this listing, where a step only looks for elements."""

from __future__ import annotations

from panflute.containers import DictContainer, ListContainer


def elements(root, kind, found: list | None = None) -> list:
    """Every element of type `kind` under `root` (and `root`), in walk order."""
    found = [] if found is None else found
    for name in root._children:
        child = getattr(root, name)
        if isinstance(child, ListContainer):
            for item in child.list:
                elements(item, kind, found)
        elif isinstance(child, DictContainer):
            for item in child.dict.values():
                elements(item, kind, found)
        elif child is not None:
            elements(child, kind, found)
    if isinstance(root, kind):
        found.append(root)
    return found
