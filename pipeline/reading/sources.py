"""Finding proposals and reading them safely."""

from __future__ import annotations

import html.entities
import os
import re
import stat
from pathlib import Path

from epdoc.pipeline.config import layout
from epdoc.pipeline.core import names, paths, settings
from epdoc.pipeline.core.errors import InputError, LimitError

SKIP_NAMES = {"readme.md", "index.md", "changelog.md", "contributing.md", "license.md"}
BIDI_RE = re.compile("[\u202a-\u202e\u2066-\u2069]")
# what XML (DOCX) cannot hold, and terminal escapes (ESC, CSI) in CI logs; tab and line
# ends are text
CONTROL_RE = re.compile("[\x01-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]")
REFUSED_RE = re.compile(f"{CONTROL_RE.pattern}|{BIDI_RE.pattern}")
RAW = ("RawInline", "RawBlock")
LINE_RE = re.compile(r"(?:^|@)(\d+):\d+-")  # sourcepos: "7:3-7:11", or "name.md@7:3-7:11"
# YAML's one-letter escapes for characters refused here
YAML_LETTERS = {"\x07": "a", "\x08": "b", "\x0b": "v", "\x0c": "f", "\x1b": "e", "\x85": "N"}
DEFAULT_MAX_BYTES = settings.MAX_INPUT_BYTES


def discover(paths, process: str | None = None) -> list[Path]:
    """Proposals from files and folders, in a stable order, each once. In a folder: every
    `*.md` but README.md, index.md and the like, and every folder proposal's file (a
    README.md beside its kep.yaml, pipeline/config/layout.py); a folder proposal's own
    folder holds no other proposal (its other files are its pictures and appendices), nor
    does a folder named as a proposal file beside it (a Rust RFC's `text/0001-x/`).
    `process`: --process, else each folder's own."""
    found: list[Path] = []
    seen: dict[Path, int] = {}
    for raw in paths:
        p = Path(raw)
        files = _in_folder(p, process) if p.is_dir() else [p]
        for f in files:
            key = f.resolve() if f.exists() else f.absolute()
            if key not in seen:
                seen[key] = len(found)
                found.append(f)
            elif found[seen[key]].is_symlink() and not f.is_symlink():
                found[seen[key]] = f  # an old name linked to a KEP's README: the README
    return found


def _in_folder(root: Path, process: str | None = None) -> list[Path]:
    files = []
    for folder, dirs, found in os.walk(root):  # symlinked folders are not followed
        here = Path(folder)
        # a folder named as a proposal beside it (text/0001-x.md, text/0001-x/) holds that
        # proposal's appendices and pictures, not proposals
        stems = {n[:-3] for n in found if n.endswith(".md")}
        dirs[:] = [d for d in dirs if not d.startswith((".", "_")) and d not in stems]
        proposal = layout.entry(here, top=here == root, override=process)
        if proposal is not None:
            files.append(proposal)
            dirs[:] = []
            continue
        files += [here / n for n in found if n.endswith(".md") and not n.startswith((".", "_"))
                  and n.lower() not in SKIP_NAMES and (here / n).is_file()]
    return sorted(files)


def output_names(sources, process: str | None = None) -> dict[Path, str]:
    """What each source's outputs are called in one run: a folder proposal's folder name,
    else the file's stem; proposals called alike (ignoring case) in different folders are
    told apart by their paths from a common folder (`sig-node--1234-x`,
    pipeline/core/names.py). Names that still clash (`X.md` and `x.md` in one folder) are
    the run's errors (batch/run.py)."""
    sources = [Path(s) for s in sources]
    entries = {s for s in sources if layout.is_entry(s, process)}
    out = {s: s.resolve().parent.name if s in entries else s.stem for s in sources}
    groups: dict[str, list[Path]] = {}
    for s, name in out.items():
        groups.setdefault(names.clash_key(name), []).append(s)
    for group in groups.values():
        if len(group) > 1:
            out.update(names.apart({s: Path(os.path.realpath(s)).parent if s in entries
                                    else Path(os.path.abspath(s)).with_suffix("")
                                    for s in group}))
    return out


def readable(path: Path, max_bytes: int = DEFAULT_MAX_BYTES) -> bool:
    """True when `path` is a regular file inside its folder (symlinks resolved) within the
    size limit: what may be read before `read_source` checks the rest."""
    try:
        st = os.stat(os.path.realpath(path))
    except (OSError, ValueError):
        return False
    return paths.inside(path, [Path(path).parent]) and stat.S_ISREG(st.st_mode) \
        and st.st_size <= max_bytes


def read_source(path: Path, max_bytes: int = DEFAULT_MAX_BYTES) -> str:
    """The text of a proposal: UTF-8 (BOM allowed), LF line ends; clear errors otherwise."""
    path = Path(path)
    if not path.exists():
        raise InputError("file not found", path, hint="check the path")
    if not path.is_file():
        raise InputError("not a regular file", path, hint="pass a markdown file or a folder")
    if not paths.inside(path, [path.parent]):
        raise InputError("the file is a symlink to a file outside its folder", path,
                         hint="proposals and their pictures are read only inside their folder")
    size = path.stat().st_size
    if size > max_bytes:
        raise LimitError(
            f"file is {size} bytes, over the input size limit of {max_bytes}",
            path, hint="raise it with --max-input-bytes",
        )
    data = path.read_bytes()
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        line = data[: e.start].count(b"\n") + 1
        raise InputError(
            f"not valid UTF-8 (byte 0x{data[e.start]:02x})", path, line,
            hint="save the file as UTF-8",
        ) from None
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        raise InputError("contains a NUL character", path, line, hint="remove it") from None
    m = CONTROL_RE.search(text) or BIDI_RE.search(text)
    if m:
        raise refused(m.group(), path, text[: m.start()].count("\n") + 1)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise InputError("file is empty", path, hint="write the proposal, or remove the file")
    return text


def refused(char: str, path=None, line: int | None = None,
            written: str = "it") -> InputError:
    """The one-line error for a control or bidirectional override character (`written`:
    how the hint names it)."""
    if BIDI_RE.match(char):
        return InputError(f"contains a bidirectional override character U+{ord(char):04X}",
                          path, line, hint=f"remove {written}; it can hide text from reviewers")
    return InputError(f"contains a control character U+{ord(char):04X}", path, line,
                      hint=f"remove {written}; no output format can hold it")


def check_decoded(ast: dict, text: str, path=None) -> None:
    """The character checks of `read_source` again, on what pandoc decoded from `text`:
    character references (`&#x202E;`, `&#8238;`) in the body, in link targets and in raw
    HTML (which a browser decodes), and escapes (`\\u202E`, `\\x01`) in YAML front
    matter's double-quoted strings. One pass over the AST's strings; nothing to do when the
    source has neither `&` nor a backslash."""
    if "&" not in text and "\\" not in text:
        return
    stack: list = [(ast.get("blocks", []), None), (ast.get("meta", {}), None)]  # a stack:
    # front matter first, then the blocks in reading order (so the first one is named)
    while stack:
        node, line = stack.pop()
        if isinstance(node, str):
            m = REFUSED_RE.search(node)
            if m:
                raise refused(m.group(), path, _spelled_at(text, m.group(), line),
                              "the character reference or escape that writes it")
        elif isinstance(node, dict):
            kind = node.get("t")
            if kind in RAW:
                content = node.get("c")
                if isinstance(content, list) and len(content) == 2 \
                        and isinstance(content[1], str):
                    stack.append((html.unescape(content[1]), line))
                continue
            if kind is not None:
                line = _line(node) or line
            stack.extend((v, line) for v in node.values() if not isinstance(v, (int, float)))
        elif isinstance(node, list):
            stack.extend((v, line) for v in reversed(node) if not isinstance(v, (int, float)))


def _line(node: dict) -> int | None:
    """The line sourcepos gives an element (the data-pos of its attributes), if any."""
    content = node.get("c")
    if not isinstance(content, list):
        return None
    for attr in content[:2]:  # Header: [level, attr, ...]; the others: [attr, ...]
        if isinstance(attr, list) and len(attr) == 3 and isinstance(attr[2], list):
            for pair in attr[2]:
                if isinstance(pair, list) and len(pair) == 2 and pair[0] == "data-pos":
                    m = LINE_RE.search(str(pair[1]))
                    return int(m.group(1)) if m else None
    return None


def _spelled_at(text: str, char: str, line: int | None) -> int | None:
    """The line where `char` is written as a character reference or an escape: the first
    spelling at or after `line` (the element's line; the front matter has none), else `line`."""
    code = ord(char)
    forms = [rf"&#[xX]0*{code:x};?", rf"&#0*{code};?", rf"\\u{code:04x}", rf"\\U{code:08x}"]
    if code < 0x100:
        forms.append(rf"\\x{code:02x}")
    forms = [f"(?i:{f})" for f in forms]
    if char in YAML_LETTERS:
        forms.append(rf"\\{YAML_LETTERS[char]}")
    forms += [re.escape(f"&{name}") for name, value in html.entities.html5.items()
              if value == char and name.endswith(";")]
    start = 0
    if line:
        start = -1
        for _ in range(line - 1):
            start = text.find("\n", start + 1)
            if start < 0:
                return line
        start += 1
    m = re.compile("|".join(forms)).search(text, start)
    return text.count("\n", 0, m.start()) + 1 if m else line


def read_ahead(path: Path, options) -> None:
    """Send a proposal to the long-lived pandoc before the code that loads it is imported
    (reading/document.py `load()` then finds pandoc's answer waiting): the text load() sends,
    after the same checks; nothing is sent when any of them fails (load() reports it)."""
    from epdoc.pipeline.pandoc import runner as pandoc
    from epdoc.pipeline.reading import depth

    try:
        text = read_source(path, options.max_input_bytes)
        max_depth = getattr(options, "max_depth", depth.DEFAULT_MAX_DEPTH)
        depth.check_source(text, max_depth, path)
        depth.check_front_matter(text, options.max_input_bytes, max_depth, path)
    except Exception:  # noqa: BLE001 - load() reads it again and says what is wrong
        return
    pandoc.read_ahead(text, options.pandoc_memory)
