"""Each formula of a document as Typst math, in one pandoc call (pandoc's TeX reader is
texmath, the one every format uses), or the reason it does not parse."""

from __future__ import annotations

import json
import re
import subprocess
from dataclasses import dataclass

import panflute as pf

from epdoc.pipeline.core import settings
from epdoc.pipeline.pandoc import runner as pandoc

WARNING = re.compile(r"\[WARNING\] Could not convert TeX math (.*?), rendering as TeX:\n"
                     r"(.*?)(?=\n\[WARNING\]|\Z)", re.S)


@dataclass(frozen=True)
class Formula:
    tex: str
    display: bool


@dataclass(frozen=True)
class Typst:
    source: str | None  # Typst math with its $ delimiters; None when the TeX does not parse
    error: str | None = None


_known: dict[Formula, Typst] = {}


def translate(formulas, path=None, limits: dict | None = None) -> dict[Formula, Typst]:
    """Every formula of `formulas` as Typst (remembered in this process)."""
    todo = list(dict.fromkeys(f for f in formulas if f not in _known))
    if todo:
        limits = limits or {}
        import secrets  # only for a document with formulas: start-up stays light

        mark = f"epdoc-formula-{secrets.token_hex(6)}-"
        out = pandoc.run(["--sandbox", "-f", "json", "-t", "typst", "--wrap=none"],
                         _document(todo, mark), path, **limits).decode("utf-8")
        chunks = re.split(rf"^// {mark}\d+$", out, flags=re.M)[1:]
        failed = []
        for formula, chunk in zip(todo, chunks, strict=True):
            chunk = chunk.strip()
            if chunk.startswith("$") and chunk.endswith("$"):
                _known[formula] = Typst(chunk)
            else:
                failed.append(formula)
        reasons = _reasons(failed, limits) if failed else {}
        for formula in failed:
            _known[formula] = Typst(None, reasons.get(formula.tex, "TeX math pandoc cannot read"))
    return {f: _known[f] for f in formulas}


def _document(formulas, mark: str) -> bytes:
    """A document of the formulas, each after a Typst comment naming it (panflute knows no
    raw Typst: the blocks are written as pandoc's JSON)."""
    doc = pf.Doc().to_json()
    for i, f in enumerate(formulas):
        kind = "DisplayMath" if f.display else "InlineMath"
        doc["blocks"] += [{"t": "RawBlock", "c": ["typst", f"// {mark}{i}"]},
                          {"t": "Para", "c": [{"t": "Math", "c": [{"t": kind}, f.tex]}]}]
    return json.dumps(doc).encode("utf-8")


def _reasons(formulas, limits: dict) -> dict[str, str]:
    """texmath's message for each formula (pandoc's warnings, which only a pandoc process of
    its own prints)."""
    cmd = [pandoc.executable(), "+RTS", f"-M{limits.get('memory', settings.PANDOC_MEMORY)}",
           "-RTS", "--sandbox", "-f", "json", "-t", "typst", "-o", "/dev/null"]
    try:
        proc = subprocess.run(cmd, input=_document(formulas, "x"), capture_output=True,
                              timeout=limits.get("timeout", settings.TIMEOUT), check=False)
    except subprocess.TimeoutExpired:
        return {}
    found = {}
    for tex, detail in WARNING.findall(proc.stderr.decode("utf-8", "replace")):
        found.setdefault(tex, _reason(detail))
    return found


def _reason(detail: str) -> str:
    """`unexpected control sequence \\foo` from texmath's report (the line, a caret, what
    it met, what it expected)."""
    lines = [ln.strip() for ln in detail.splitlines() if ln.strip()]
    met = next((ln for ln in lines if ln.startswith("unexpected")), None)
    if met is None:
        return lines[-1] if lines else "TeX math pandoc cannot read"
    return met.replace("unexpected eof", "it ends too early")
