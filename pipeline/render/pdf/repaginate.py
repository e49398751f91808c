"""Page numbers in a contents page, laid out twice instead of three times. WeasyPrint 70
files a `target-counter(attr(href), page)` under the anchor `None` (it names the anchor
before reading the attribute) and also as the box's own page counters (a name rebound in
`compute_content_list`). So a contents page was not re-made when its targets' pages became
known, but whenever its own page's counters changed: once with the numbers still unknown,
and once more after every page gained `pages`. Here the lookup is filed under the anchor
it reads, and a page is re-made when a page number it shows changed: the same pages, laid
out once less."""

from __future__ import annotations

import copy

import weasyprint
from weasyprint.css import targets as wp_targets
from weasyprint.urls import get_url_tuple

STOCK = (wp_targets.TargetCollector.collect_missing_counters,
         wp_targets.TargetCollector.cache_target_page_counters)
TARGETS = ("target-counter()", "target-counters()")


def _anchor(token, box):
    """The anchor a target token names, as `TargetCollector.lookup_target` reads it."""
    if token[0] == "attr()":
        name, kind, fallback = token[1]
        value = box.element.get(name, fallback)
        token = ("string", value) if kind == "string" else (
            "url", get_url_tuple(value, box.style.base_url))
    return wp_targets.anchor_name_from_token(token)


def _refiled(box, css_token, missing_target_counters):
    """(own counters, target counters by anchor) as WeasyPrint meant them, or None when
    the content is not a plain list of strings, leaders and target counters."""
    content = box.style["content"] if css_token == "content" else None
    if not isinstance(content, (list, tuple)) or box.element is None:
        return None
    if any(item[0] in ("counter()", "counters()") for item in content):
        return None
    by_anchor = {}
    for item in content:
        kind, value = item[0], item[1]
        if kind in TARGETS:
            counter, anchor = value[1], _anchor(value[0], box)
            if counter in missing_target_counters.get(None, ()):
                names = by_anchor.setdefault(anchor, [])
                if counter not in names:
                    names.append(counter)
    kept = {k: v for k, v in missing_target_counters.items() if k is not None}
    return [], {**kept, **by_anchor}


def collect_missing_counters(self, parent_box, css_token, parse_again_function,
                             missing_counters, missing_target_counters):
    aliased = any(missing_counters is names for names in missing_target_counters.values())
    if aliased or None in missing_target_counters:
        refiled = _refiled(parent_box, css_token, missing_target_counters)
        if refiled is not None:
            missing_counters, missing_target_counters = refiled
    STOCK[0](self, parent_box, css_token, parse_again_function, missing_counters,
             missing_target_counters)


def cache_target_page_counters(self, anchor_name, page_counter_values, page_maker_index,
                               page_maker):
    """WeasyPrint 70's own, but a page is re-made only when a counter it reads changed."""
    if self.collecting:
        return
    target = self.target_lookup_items.get(anchor_name)
    if not target or target.state != "up-to-date":
        return
    target.page_maker_index = page_maker_index
    before = target.cached_page_counter_values
    if before == page_counter_values:
        return
    target.cached_page_counter_values = copy.deepcopy(page_counter_values)
    for (_, css_token), lookup in self.counter_lookup_items.items():
        if css_token != "content":
            continue
        read = lookup.missing_target_counters.get(anchor_name)
        if read is None:
            continue
        if lookup.page_maker_index is None or lookup.page_maker_index >= len(page_maker):
            lookup.pending = True
            continue
        for name in read:
            value = page_counter_values.get(name)
            if value is not None and before.get(name) != value:
                page_maker[lookup.page_maker_index][-1]["content_changed"] = True
                lookup.parse_again(lookup.cached_page_counter_values)
                break


def install(on: bool = True) -> None:
    """Put these in WeasyPrint's place (or the stock ones back)."""
    collect, cache = (collect_missing_counters, cache_target_page_counters) if on else STOCK
    wp_targets.TargetCollector.collect_missing_counters = collect
    wp_targets.TargetCollector.cache_target_page_counters = cache


# written against WeasyPrint 70 (pinned); another version keeps its own
install(weasyprint.__version__.split(".")[0] == "70")
