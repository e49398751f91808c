"""Mermaid diagrams to SVG (and PNG for DOCX), with no browser: mermaid's own JavaScript runs in
QuickJS through mermaidx. Labels are plain SVG text (no <foreignObject>, which WeasyPrint does
not draw). Every result is cached on disk by a hash of the source and of how it is rendered, so
a rebuild renders nothing new; failures are cached too.

The cache lives in `cache_dir()`: $EPDOC_DIAGRAM_CACHE, else options.extra["diagram_cache"],
else the epdoc cache (settings.user_cache(), $EPDOC_CACHE) + /diagrams. Mermaid runs
in a child process with a time limit (pipeline/diagrams/worker.py).
"""

from __future__ import annotations

import hashlib
import json
import re
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path

from epdoc.pipeline.core import atomic, settings
from epdoc.pipeline.core.errors import LimitError
from epdoc.pipeline.safety import svg as svgsafe

VERSION = "3"  # bump when the SVG post-processing below changes
MAX_SOURCE = settings.MAX_DIAGRAM_SOURCE  # characters; a bigger diagram is refused
DEFAULT_TIMEOUT = settings.DIAGRAM_TIMEOUT  # $EPDOC_DIAGRAM_TIMEOUT, extra["diagram_timeout"]
FONT_STACK = '"DejaVu Sans", Verdana, sans-serif'  # mermaidx measures text with DejaVu Sans
LABELS_AS_TEXT = {"htmlLabels": False}
CONFIG = {
    "maxEdges": 1_000_000,  # epdoc counts edges first (--max-diagram-edges); mermaid need not
    "htmlLabels": False,
    "securityLevel": "strict",
    "handDrawnSeed": 1,  # rough.js shapes (class, requirement...) the same on every run
    "fontFamily": FONT_STACK,
    "themeVariables": {"fontFamily": FONT_STACK},
    "flowchart": LABELS_AS_TEXT,
    "class": LABELS_AS_TEXT,
    "state": LABELS_AS_TEXT,
    "journey": {"textPlacement": "tspan"},
    "timeline": {"textPlacement": "tspan"},
}
FONT_DECL = re.compile(r"(font-family\s*:\s*)([^;}\"']|\"[^\"]*\"|'[^']*')+")
PX_PER_INCH = 96


@dataclass(frozen=True)
class Rendered:
    key: str
    svg: str | None = None
    error: str | None = None

    @property
    def ok(self) -> bool:
        return self.svg is not None

    def size_px(self) -> tuple[float, float]:
        root = svgsafe.parse(self.svg)
        return float(root.get("width")), float(root.get("height"))


def cache_dir(options=None) -> Path:
    return settings.diagram_cache(options)


def renderer_version() -> str:
    import mermaidx

    return mermaidx.__version__


def key_for(source: str) -> str:
    spec = {"v": VERSION, "renderer": renderer_version(), "config": CONFIG,
            "source": source.strip()}
    return hashlib.sha256(json.dumps(spec, sort_keys=True).encode("utf-8")).hexdigest()


_memory: dict[str, Rendered] = {}
_lock = threading.Lock()
stats = {"rendered": 0, "cached": 0}  # renders done in this process vs. cache hits


# what links two things in any diagram type: --> --- -.-> ==> ~~~ <--> --x --o (flowcharts),
# ->> -->> -x -) (sequences), <|-- *-- o-- ..> ..|> (classes), ||--o{ }|..|{ (ER)
EDGE_RE = re.compile(r"(?:<\|?|[*o]|\|\||\}\||\|\{|\}o|o\{)?"
                     r"(?:-{2,}|={2,}|\.{2,}|-\.+-|~{3,})(?:>>|\|>|[>xo)]|\{|\}|\|\|)?"
                     r"|-{1,2}(?:>>|[>x)])")


def edges(source: str) -> int:
    """About how many edges a diagram draws (counted without drawing it; comments skipped):
    mermaid's layout time grows fast with them."""
    lines = (ln for ln in source.splitlines() if not ln.lstrip().startswith("%%"))
    return sum(len(EDGE_RE.findall(ln)) for ln in lines)


def max_edges(options=None) -> int:
    return int(getattr(options, "max_diagram_edges", None) or settings.MAX_DIAGRAM_EDGES)


def render(source: str, options=None, limit: float | None = None) -> Rendered:
    """The diagram as safe SVG, or the reason it could not be drawn (both cached). `limit`:
    seconds left of the proposal's --timeout, when less than the diagram time limit."""
    key = key_for(source)
    if key in _memory:
        stats["cached"] += 1
        return _memory[key]
    most, found = max_edges(options), edges(source)
    if found > most:  # refused before drawing: mermaid would take minutes to say no
        raise LimitError(f"mermaid diagram has about {found} edges, over the diagram edge "
                         f"limit of {most}", hint="raise it with --max-diagram-edges")
    folder = cache_dir(options)
    svg_file, err_file = folder / f"{key}.svg", folder / f"{key}.err"
    limit = timeout(options) if limit is None else min(timeout(options), limit)
    failed = _read_failure(err_file, limit)
    if svg_file.is_file():
        result = Rendered(key, svg=svg_file.read_text(encoding="utf-8"))
        stats["cached"] += 1
    elif failed is not None:
        result = Rendered(key, error=failed)
        stats["cached"] += 1
    else:
        with _lock:
            result = _render(key, source, limit)
        stats["rendered"] += 1
        try:
            if result.ok:
                atomic.write_text(svg_file, result.svg)
            else:  # a time-out is kept with its limit: a longer limit tries again
                timed_out = "took longer than" in result.error
                atomic.write_text(err_file, (f"timeout {limit:g}\n" if timed_out else "")
                                  + result.error)
        except OSError:
            pass  # not cached (read-only or full disk): drawn again next time
    _memory[key] = result
    return result


def timeout(options=None) -> float:
    value = settings.env("EPDOC_DIAGRAM_TIMEOUT") or \
        (options.extra.get("diagram_timeout") if options is not None else None)
    try:
        return float(value) if value else DEFAULT_TIMEOUT
    except ValueError:
        return DEFAULT_TIMEOUT


def _render(key: str, source: str, limit: float) -> Rendered:
    if len(source) > MAX_SOURCE:
        return Rendered(key, error=f"diagram is longer than {MAX_SOURCE} characters")
    from epdoc.pipeline.diagrams.worker import worker

    raw, error = worker(CONFIG).render(labels_as_text(source), limit)
    if error is not None:
        if error.startswith("drawing it took longer"):
            return Rendered(key, error=f"{error} (raise it with EPDOC_DIAGRAM_TIMEOUT)")
        return Rendered(key, error=_oneline(error))
    try:
        return Rendered(key, svg=normalize(raw))
    except Exception as exc:  # noqa: BLE001
        return Rendered(key, error=f"the renderer gave unusable SVG ({_oneline(str(exc))})")


def _read_failure(path: Path, limit: float) -> str | None:
    """A cached failure, unless it was a time-out under a shorter limit than `limit`."""
    if not path.is_file():
        return None
    text = path.read_text(encoding="utf-8")
    head, _, rest = text.partition("\n")
    if head.startswith("timeout "):
        try:
            if float(head.split()[1]) < limit:
                return None
        except (IndexError, ValueError):
            return None
        return rest
    return text


def _oneline(message: str) -> str:
    message = message.replace("Mermaid rendering failed:", "").strip()
    message = re.sub(r"^(\w*Error: )+", "", message)
    lines = [ln.strip() for ln in message.splitlines() if ln.strip() and not set(ln) <= set("-^ ")]
    if not lines:
        return "unknown error"
    first = re.sub(r" on line \d+:?$", "", lines[0])  # mermaid's count is off: name no line
    if len(lines) >= 3:  # parse errors: the message, the spot, what was expected
        spot = lines[1].strip(". ")
        expected = lines[-1] if len(lines[-1]) <= 120 else "... " + lines[-1][-100:]
        text = f"{first} near '{spot}': {expected}"
    else:
        text = " ".join([first, *lines[1:]])
    return text[:300]


HTML_LABELS_ON = re.compile(r"""(["']?htmlLabels["']?\s*:\s*)true\b""")
FO_PLACEMENT = re.compile(r"""(["']?textPlacement["']?\s*:\s*["']?)fo\b""")


def labels_as_text(source: str) -> str:
    """The source with any %%{init}%% directive or front-matter setting that asks for HTML
    labels (drawn in <foreignObject>, which WeasyPrint does not draw) turned off."""
    return FO_PLACEMENT.sub(r"\1tspan", HTML_LABELS_ON.sub(r"\1false", source))


def _foreign_to_text(root) -> None:
    """Any <foreignObject> left becomes centered SVG text, so no label is ever lost."""
    from lxml import etree  # the tree is lxml's: imported on first use, not at start-up

    svg = f"{{{svgsafe.SVG_NS}}}"
    for fo in list(root.iter(svg + "foreignObject")):
        lines, current = [], []
        for node in fo.iter():
            name = svgsafe._local(node.tag)
            if name in ("br", "div", "p", "li") and current:
                lines.append("".join(current))
                current = []
            if node is not fo and node.text:
                current.append(node.text)
            if node is not fo and node.tail and node.getparent() is not fo:
                current.append(node.tail)
        lines = [ln.strip() for ln in [*lines, "".join(current)] if ln.strip()]
        parent = fo.getparent()
        if not lines:
            parent.remove(fo)
            continue
        x, y = float(fo.get("x", 0) or 0), float(fo.get("y", 0) or 0)
        w, h = float(fo.get("width", 0) or 0), float(fo.get("height", 0) or 0)
        text = etree.Element(svg + "text", {"x": f"{x + w / 2:g}", "text-anchor": "middle",
                                            "y": f"{y + h / 2:g}",
                                            "dominant-baseline": "central"})
        for i, line in enumerate(lines):
            dy = f"{-0.6 * (len(lines) - 1):g}em" if i == 0 else "1.2em"
            span = etree.SubElement(text, svg + "tspan", {"x": f"{x + w / 2:g}", "dy": dy})
            span.text = line
        parent.replace(fo, text)


def normalize(svg: str) -> str:
    """Safe, self-sized SVG whose text uses the font the layout was measured with."""
    root = svgsafe.parse(svg)
    _foreign_to_text(root)
    root = svgsafe.scrub(root)
    box = [float(v) for v in (root.get("viewBox") or "").replace(",", " ").split()]
    if len(box) != 4 or box[2] <= 0 or box[3] <= 0:
        raise ValueError("no viewBox")
    root.set("width", f"{box[2]:.2f}")
    root.set("height", f"{box[3]:.2f}")
    style = root.get("style") or ""
    style = re.sub(r"max-width:[^;]*;?", "", style).strip()
    if style:
        root.set("style", style)
    else:
        root.attrib.pop("style", None)
    root.set("font-family", FONT_STACK)
    for el in root.iter():
        if not isinstance(el.tag, str):
            continue
        if svgsafe._local(el.tag) == "style" and el.text:
            el.text = FONT_DECL.sub(lambda m: m.group(1) + FONT_STACK, el.text)
        if "font-family" in el.attrib and el is not root:
            el.set("font-family", FONT_STACK)
        if "style" in el.attrib and "font-family" in el.attrib["style"]:
            el.set("style", FONT_DECL.sub(lambda m: m.group(1) + FONT_STACK, el.attrib["style"]))
    return svgsafe.serialize(root)


def with_fonts(svg: str, families: list[str]) -> str:
    """The SVG with `families` tried before the font it was measured with."""
    if not families:
        return svg
    stack = ", ".join(f'"{f}"' for f in families) + ", " + FONT_STACK
    return svg.replace(FONT_STACK.replace('"', "&quot;"), stack.replace('"', "&quot;")) \
        .replace(FONT_STACK, stack)


def sized(svg: str, scale: float) -> str:
    """The SVG with its width and height multiplied by `scale` (the viewBox keeps the drawing)."""
    root = svgsafe.parse(svg)
    for attr in ("width", "height"):
        root.set(attr, f"{float(root.get(attr)) * scale:.2f}")
    return svgsafe.serialize(root)


def png(rendered: Rendered, width_px: int, options=None) -> Path:
    """A PNG of the diagram `width_px` wide on white, cached next to the SVG."""
    target = cache_dir(options) / f"{rendered.key}-{width_px}.png"
    if not target.is_file():
        from mermaidx import svg_to_png

        data = svg_to_png(rendered.svg, width=width_px, background="#ffffff")
        try:
            atomic.write_bytes(target, data)
        except OSError:  # no room in the cache: a file of this run's own
            target = Path(tempfile.mkdtemp(prefix="epdoc-diagram-")) / target.name
            target.write_bytes(data)
    return target
