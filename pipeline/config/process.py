"""Proposal processes (EP, KEP, OpenShift, Rust RFC, Go design, generic) as data.

A process is a TOML file in `processes/` (or a `[processes.NAME]` table in the project's
config file, read by `project.py`): where proposals are, how ids read, where metadata lives,
its statuses, required sections and extra record fields. `detect()` says which one a
proposal follows: `--process`, else the project's `process = "..."`, else what the proposal
and its folder look like.
"""

from __future__ import annotations

import functools
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from epdoc.pipeline.config import project
from epdoc.pipeline.config.project import ConfigError
from epdoc.pipeline.core import settings
from epdoc.pipeline.core.errors import InputError, LimitError
from epdoc.pipeline.core.record import canonical_key, fold_key

FOLDER = Path(__file__).with_name("processes")
BUILTIN = ("ep", "kep", "openshift", "rust-rfc", "go-design", "generic")
KEYS = {"name", "title", "extends", "layout", "entry-names", "sidecars", "metadata", "id",
        "status", "keys", "fields", "sections", "dates", "required", "toc", "title-from",
        "labels", "known-keys", "template", "lifecycle", "approvals", "lint"}
LIFECYCLE_KEYS = {"builtin-template", "file-name", "status-key", "updated-key", "created-key",
                  "supersedes-key", "superseded-by-key"}
ID_KEYS = {"format", "from", "pattern", "title-prefix", "keys", "strip-title"}
STATUS_KEYS = {"values", "required", "shown-as"}
FIELD_KEYS = {"name", "label", "keys", "kind"}
KINDS = ("text", "list", "people", "date", "link")
METADATA = ("front-matter", "bold-keys", "bullets", "header-list", "sidecar", "lines")
LAYOUTS = ("file", "folder")


@dataclass(frozen=True)
class Field:
    """An extra record field of a process: `rec.extra[name]`, shown as `label`."""
    name: str
    label: str
    keys: tuple[str, ...]  # the metadata keys that give it (folded: lower case, spaces)
    kind: str = "text"


@dataclass(frozen=True)
class Process:
    name: str
    title: str
    layout: str = "file"  # "file": a proposal per file; "folder": a folder per proposal
    entry_names: tuple[str, ...] = ()  # a folder proposal's file: README.md, index.md
    sidecars: tuple[str, ...] = ()  # metadata files beside it: kep.yaml
    metadata: tuple[str, ...] = ("front-matter", "bold-keys", "bullets")
    id_format: str = "EP-{number:03d}"
    id_from: tuple[str, ...] = ("title", "file", "key")  # where the number is read, in order
    id_pattern: str = r"^EP[-_]?(\d+)(?:[-_.]|$)"  # a file (or folder) name's number
    # the title's id prefix: the number in group `number` (optional), the title in `rest`
    title_prefix: str = r"^\s*EP[-_ ]?(?P<number>\d+|X+)\s*[:.\-–—]\s*(?P<rest>.*)$"
    id_keys: tuple[str, ...] = ()  # metadata keys holding the number (kep-number, rfc pr)
    strip_title: bool = True  # the title loses its id prefix
    title_from: tuple[str, ...] = ("heading", "title")  # heading, else these keys
    statuses: tuple[str, ...] = ()
    status_required: bool = True
    # status (lower case) -> the theme status it shows as (its watermark, banner, colour):
    # a KEP's provisional shows as Draft, replaced as Superseded
    shown_as: dict = field(default_factory=dict)
    keys: dict = field(default_factory=dict)  # folded key -> record field (status, created...)
    labels: dict = field(default_factory=dict)  # record field -> its row in the table
    known_keys: tuple[str, ...] = ()  # other keys the process uses (folded), kept in extra
    # lint code -> severity ("off" too) where the process's conventions differ (a KEP's
    # template skips heading levels in its questionnaire and keeps optional sections empty)
    lint_severity: dict = field(default_factory=dict)
    fields: tuple[Field, ...] = ()
    sections: tuple[tuple[str, tuple[str, ...]], ...] = ()
    sections_set: bool = False  # the process names its sections (else lint's defaults)
    # a required section only from these statuses on (a provisional KEP has no test plan yet)
    sections_from: tuple[tuple[str, tuple[str, ...]], ...] = ()
    date_formats: tuple[str, ...] = ()
    required: tuple[str, ...] = ("status", "authors", "created")
    toc: bool = True  # recognise the proposal's own table of contents
    # epdoc new / epdoc status: the project's own template (paths tried from the proposals'
    # folder upwards), else the built-in one in processes/templates/; the keys written
    templates: tuple[str, ...] = ()
    builtin_template: str = "generic.md"
    file_name: str = "{slug}.md"  # a new proposal's file (or folder): {number}, {slug}
    status_key: str = "Status"
    updated_key: str = "Updated"
    created_key: str = "Created"
    supersedes_key: str = "Supersedes"
    superseded_by_key: str = "Superseded-By"
    # status (lower case) -> the roles it needs an approval from ("any": anyone's)
    required_approvals: dict = field(default_factory=dict)
    origin: Path | None = None  # the file it was defined in

    def field_of(self, key: str) -> Field | None:
        """The extra field a metadata key gives, or None."""
        k = fold(key)
        for f in self.fields:
            if k in f.keys or k == fold(f.name):
                return f
        return None

    def format_id(self, number: int) -> str:
        return self.id_format.format(number=number)

    def shown(self, status: str | None) -> str | None:
        """The theme status `status` shows as (itself when the process maps it to none)."""
        if not status:
            return status
        return self.shown_as.get(status.lower(), status)

    def canonical(self, key: str) -> str | None:
        """The record field or extra field a metadata key gives, or None if unknown."""
        name = canonical_key(key, self.keys)
        if name is None:
            f = self.field_of(key)
            name = f.name if f else None
        return name


fold = fold_key


def _suggest(word, choices) -> str:
    import difflib  # only for a mistake: start-up stays light

    close = difflib.get_close_matches(word, list(choices), n=1)
    return f" (did you mean {close[0]}?)" if close else ""


def _line_of(text: str, key: str) -> int | None:
    for i, line in enumerate(text.splitlines(), 1):
        if re.match(rf'\s*\[?"?{re.escape(key)}"?\]?\s*(=|$)', line):
            return i
    return None


def _strs(value, name, where) -> tuple[str, ...]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"process setting {name} must be a list of strings", *where)
    return tuple(v.strip() for v in value if v.strip())


def _merge(base: dict, over: dict) -> dict:
    """`over` on top of `base`: tables merged one level deep, fields by name."""
    out = dict(base)
    for key, value in over.items():
        if key == "fields" and isinstance(value, list):
            named = {f.get("name"): f for f in base.get("fields", []) if isinstance(f, dict)}
            for f in value:
                if isinstance(f, dict):
                    named[f.get("name")] = f
            out[key] = list(named.values())
        elif isinstance(value, dict) and isinstance(base.get(key), dict):
            out[key] = {**base[key], **value}
        else:
            out[key] = value
    return out


def _check_keys(table: dict, allowed, name: str, where):
    for key in table:
        if key not in allowed:
            raise ConfigError(f"unknown process setting {name}{key!r}"
                              f"{_suggest(key, allowed)}", where[0],
                              _line_of(where[2], key) if where[2] else None)


def build(name: str, table: dict, origin: Path | None = None, text: str = "") -> Process:
    """A Process from its (merged) table."""
    where = (origin, None, text)
    _check_keys(table, KEYS, "", where)
    idt = table.get("id", {})
    st = table.get("status", {})
    for sub, allowed, label in ((idt, ID_KEYS, "id."), (st, STATUS_KEYS, "status.")):
        if not isinstance(sub, dict):
            raise ConfigError(f"process setting {label[:-1]} must be a table", origin)
        _check_keys(sub, allowed, label, where)
    layout = table.get("layout", "file")
    if layout not in LAYOUTS:
        raise ConfigError(f"layout must be one of {', '.join(LAYOUTS)}, not {layout!r}", origin,
                          _line_of(text, "layout"))
    metadata = _strs(table.get("metadata", list(Process.metadata)), "metadata", where)
    for m in metadata:
        if m not in METADATA:
            raise ConfigError(f"metadata place {m!r} is not one of {', '.join(METADATA)}"
                              f"{_suggest(m, METADATA)}", origin, _line_of(text, "metadata"))
    keys = {}
    for record_field, aliases in (table.get("keys") or {}).items():
        for alias in _strs(aliases, f"keys.{record_field}", where):
            keys[fold(alias)] = record_field
    fields = []
    for f in table.get("fields", []):
        if not isinstance(f, dict) or "name" not in f:
            raise ConfigError("each [[fields]] needs a name", origin, _line_of(text, "fields"))
        _check_keys(f, FIELD_KEYS, "fields.", where)
        kind = f.get("kind", "text")
        if kind not in KINDS:
            raise ConfigError(f"field {f['name']}: kind must be one of {', '.join(KINDS)}",
                              origin, _line_of(text, "kind"))
        fkeys = tuple(fold(k) for k in _strs(f.get("keys", [f["name"]]), "keys", where))
        fields.append(Field(f["name"], f.get("label", f["name"]), fkeys, kind))
    sec = table.get("sections", {})
    required = _strs(sec.get("required", []), "sections.required", where)
    aliases = sec.get("aliases", {}) or {}
    when = sec.get("from-status", {}) or {}
    sections_from = tuple((n, tuple(v.lower() for v in _strs(
        when[n], f"sections.from-status.{n}", where))) for n in when)
    required = [*required, *(n for n in when if n not in required)]
    sections = tuple((n, _strs(aliases.get(n, []), f"sections.aliases.{n}", where))
                     for n in required)
    try:
        for pattern in (idt.get("pattern"), idt.get("title-prefix")):
            if pattern:
                re.compile(pattern)
        if idt.get("title-prefix") and "(?P<rest>" not in idt["title-prefix"]:
            raise KeyError("title-prefix needs a group (?P<rest>...) for the title")
        if "format" in idt:
            idt["format"].format(number=1)
    except (re.error, KeyError, ValueError, IndexError, AttributeError) as e:
        raise ConfigError(f"process {name}: bad id setting: {e}", origin,
                          _line_of(text, "id")) from None
    return Process(
        name=name,
        title=table.get("title", name),
        layout=layout,
        entry_names=_strs(table.get("entry-names", []), "entry-names", where),
        sidecars=_strs(table.get("sidecars", []), "sidecars", where),
        metadata=metadata,
        id_format=idt.get("format", Process.id_format),
        id_from=_strs(idt.get("from", list(Process.id_from)), "id.from", where),
        id_pattern=idt.get("pattern", Process.id_pattern),
        title_prefix=idt.get("title-prefix", Process.title_prefix),
        id_keys=tuple(fold(k) for k in _strs(idt.get("keys", []), "id.keys", where)),
        strip_title=bool(idt.get("strip-title", True)),
        title_from=_strs(table.get("title-from", list(Process.title_from)), "title-from", where),
        statuses=_strs(st.get("values", []), "status.values", where),
        status_required=bool(st.get("required", True)),
        shown_as={k.lower(): str(v) for k, v in (st.get("shown-as") or {}).items()},
        keys=keys,
        labels={str(k): str(v) for k, v in (table.get("labels") or {}).items()},
        known_keys=tuple(fold(k) for k in _strs(table.get("known-keys", []), "known-keys",
                                                where)),
        lint_severity=_lint(table, where),
        fields=tuple(fields),
        sections=sections,
        sections_set="required" in sec or bool(when),
        sections_from=sections_from,
        date_formats=_strs((table.get("dates") or {}).get("formats", []), "dates.formats",
                           where),
        required=_strs(table.get("required", list(Process.required)), "required", where),
        toc=bool(table.get("toc", True)),
        templates=_strs(table.get("template", []), "template", where),
        **_lifecycle(table, where),
        required_approvals=_approvals(table, where),
        origin=origin,
    )


def _lint(table: dict, where) -> dict:
    """`[lint.severity]`: code -> error | warning | info | off, for this process."""
    lint = table.get("lint", {})
    if not isinstance(lint, dict) or not isinstance(lint.get("severity", {}), dict):
        raise ConfigError("process setting lint.severity must be a table: code = \"off\"",
                          where[0], _line_of(where[2], "lint") if where[2] else None)
    _check_keys(lint, {"severity"}, "lint.", where)
    out = {}
    for code, sev in lint.get("severity", {}).items():
        if sev not in ("error", "warning", "info", "off"):
            raise ConfigError(f"lint.severity.{code} must be error, warning, info or off, "
                              f"not {sev!r}", where[0],
                              _line_of(where[2], code) if where[2] else None)
        out[str(code)] = sev
    return out


def _lifecycle(table: dict, where) -> dict:
    """The `[lifecycle]` table: the built-in template and the keys epdoc status writes."""
    life = table.get("lifecycle", {})
    if not isinstance(life, dict):
        raise ConfigError("process setting lifecycle must be a table", where[0])
    _check_keys(life, LIFECYCLE_KEYS, "lifecycle.", where)
    out = {}
    for key, value in life.items():
        if not isinstance(value, str) or not value.strip():
            raise ConfigError(f"lifecycle.{key} must be a non-empty string", where[0],
                              _line_of(where[2], key) if where[2] else None)
        out[key.replace("-", "_")] = value.strip()
    try:
        out.get("file_name", "{slug}").format(number=1, slug="x")
    except (KeyError, ValueError, IndexError) as e:
        raise ConfigError(f"lifecycle.file-name: bad pattern ({e}); use {{number}} and "
                          "{slug}", where[0]) from None
    return out


def _approvals(table: dict, where) -> dict:
    """`[approvals] required = { implementable = ["prr"] }`: status -> roles it needs."""
    appr = table.get("approvals", {})
    if not isinstance(appr, dict):
        raise ConfigError("process setting approvals must be a table", where[0])
    _check_keys(appr, {"required"}, "approvals.", where)
    required = appr.get("required", {})
    if not isinstance(required, dict):
        raise ConfigError("approvals.required must be a table: status = [roles]", where[0],
                          _line_of(where[2], "required") if where[2] else None)
    return {str(status).lower(): _strs(roles, f"approvals.required.{status}", where)
            for status, roles in required.items()}


def _parse(path: Path) -> dict:
    import tomllib  # only when the file changed since it was remembered (project.remembered)

    return tomllib.loads(path.read_text(encoding="utf-8"))


@functools.cache
def _builtin_table(name: str) -> dict:
    path = FOLDER / f"{name}.toml"
    table = project.remembered(path, _parse)
    parent = table.pop("extends", None)
    return _merge(_builtin_table(parent), table) if parent else table


@functools.cache
def builtin(name: str) -> Process:
    """A built-in process by name."""
    if name not in BUILTIN:
        raise ConfigError(f"unknown process {name!r}{_suggest(name, BUILTIN)}; "
                          f"the built-in ones are {', '.join(BUILTIN)}")
    return build(name, _builtin_table(name), FOLDER / f"{name}.toml")


def _project_tables(found: project.ProjectFile) -> dict:
    tables = found.table.get("processes", {})
    if not isinstance(tables, dict) or not all(isinstance(t, dict) for t in tables.values()):
        raise ConfigError("processes must be tables: [processes.NAME]", found.path,
                          _line_of(found.text, "processes"))
    return tables


@functools.lru_cache(maxsize=64)
def _defined(found: project.ProjectFile, name: str) -> Process:
    table = _table_of(found, name, 0)
    table.setdefault("title", name)
    return build(name, table, found.path, found.text)


def _table_of(found, name, depth) -> dict:
    tables = _project_tables(found)
    table = dict(tables[name])
    parent = table.pop("extends", None)
    if parent is None:
        return table
    if depth > 8:
        raise ConfigError(f"process {name}: extends goes round in a circle", found.path)
    base = _table_of(found, parent, depth + 1) if parent in tables and parent != name \
        else _builtin_table(parent) if parent in BUILTIN else None
    if base is None:
        raise ConfigError(f"process {name} extends unknown process {parent!r}", found.path,
                          _line_of(found.text, "extends"))
    return _merge(base, table)


def names(near=None) -> list[str]:
    """The processes a proposal at `near` can use: the built-in ones and its project's."""
    found = project.nearest(near) if near is not None else None
    extra = [n for n in _project_tables(found) if n not in BUILTIN] if found else []
    return [*BUILTIN, *extra]


def get(name: str, near=None) -> Process:
    """The process called `name`, as the project near `near` defines it (or the built-in)."""
    found = project.nearest(near) if near is not None else None
    if found is not None and name in _project_tables(found):
        return _defined(found, name)
    if name not in BUILTIN:
        where = found.path if found else None
        choices = names(near)
        raise ConfigError(f"unknown process {name!r}{_suggest(name, choices)}; known: "
                          f"{', '.join(choices)}", where,
                          _line_of(found.text, "process") if found else None)
    return builtin(name)


def configured(near) -> str | None:
    """The process the project's config file names (`process = "kep"`), or None."""
    found = project.nearest(near)
    if found is None:
        return None
    name = found.table.get("process")
    if name is None:
        return None
    if not isinstance(name, str) or not name.strip():
        raise ConfigError("process must be a process name, such as \"kep\"", found.path,
                          _line_of(found.text, "process"))
    return name.strip()


# --- detection -----------------------------------------------------------------------------

FRONT_RE = re.compile(r"\A(?:\ufeff)?---[ \t]*\r?\n(.*?)\r?\n(?:---|\.\.\.)[ \t]*(?:\r?\n|\Z)",
                      re.DOTALL)
EP_TITLE_RE = re.compile(r"^#\s+(?:Draft\s*:\s*)?EP[-_ ]?(?:\d+|X+)\s*[:.\-–—]", re.I | re.M)
EP_FILE_RE = re.compile(r"^EP[-_]?(?:\d+|TEMPLATE)(?:[-_.]|$)", re.IGNORECASE)
RUST_RE = re.compile(r"^[-*]\s+Start Date\s*:", re.IGNORECASE | re.MULTILINE)
GO_RE = re.compile(r"^(?:Authors?(?:\(s\))?\s*:|Last [Uu]pdated\s*:|Discussion at\s)",
                   re.MULTILINE)  # as Go writes them: capitalised, not YAML keys
EP_META_RE = re.compile(
    r"^(?:[-*]\s+)?\*\*(?:Status|Authors?|Owners?|Created|Maturity)\s*:?\*\*\s*:?"
    r"|^[-*]\s+(?:Status|Authors?|Owners?|Created|Maturity)\s*:",
    re.IGNORECASE | re.MULTILINE)


def _front_keys(text: str) -> set[str]:
    m = FRONT_RE.match(text)
    if not m:
        return set()
    return {fold(k) for k in re.findall(r"^([A-Za-z][\w\- ]*?)\s*:", m.group(1), re.M)}


def _head(path: Path, size: int = settings.PROCESS_SNIFF_BYTES) -> str:
    try:
        with open(path, "rb") as f:
            return f.read(size).decode("utf-8", "replace")
    except OSError:
        return ""


def entry(folder: Path, process: Process | None = None) -> Path | None:
    """The proposal file of a folder-per-proposal (`keps/sig-x/2727-grpc/README.md` when a
    `kep.yaml` is beside it), or None when `folder` is not one."""
    folder = Path(folder)
    candidates = [process] if process else [builtin(n) for n in BUILTIN]
    for p in candidates:
        if p.layout != "folder":
            continue
        if p.sidecars and not any((folder / s).is_file() for s in p.sidecars):
            continue
        for f in _entries(folder, p):
            return f
    return None


def _entries(folder: Path, p: Process) -> list[Path]:
    """`folder`'s files named as the process's entry files, ignoring case (a real KEP has
    README.MD), the exact spelling first."""
    wanted = {n.lower(): i for i, n in enumerate(p.entry_names)}
    try:
        names = [n for n in os.listdir(folder) if n.lower() in wanted]
    except OSError:
        return []
    names.sort(key=lambda n: (wanted[n.lower()], n not in p.entry_names, n))
    return [folder / n for n in names if (folder / n).is_file()]


def sniff(path) -> Process:
    """The process a proposal looks like, from its text, its name and its folder."""
    path = Path(path)
    if path.is_dir():
        found = entry(path)
        return sniff(found) if found else builtin("generic")
    folder = path.parent
    for name in BUILTIN:
        if _builtin_table(name).get("layout", "file") != "folder":
            continue  # a file process: not built only to be passed over
        p = builtin(name)
        if p.layout == "folder" and path.name.lower() in {n.lower() for n in p.entry_names} \
                and any((folder / s).is_file() for s in p.sidecars):
            return p
    text = _head(path)
    own = _own(path, text)
    if own is not None:
        return builtin(own)
    front = _front_keys(text)
    if any(EP_FILE_RE.match(p.name) for p in _siblings(folder)):
        return builtin("ep")  # a draft beside numbered EPs follows their process
    if "creation date" in front and front & {"reviewers", "approvers"}:
        return builtin("openshift")
    try:
        voted = _folder_vote(folder.resolve(), folder.stat().st_mtime_ns)
    except OSError:
        voted = None
    if voted:
        return builtin(voted)
    if EP_META_RE.search(text[:4000]) or front & {"status", "authors", "maturity"}:
        return builtin("ep")
    return builtin("generic")


def _own(path: Path, text: str) -> str | None:
    """The process a proposal's own name and text say without doubt, or None."""
    front = _front_keys(text)
    if EP_FILE_RE.match(path.name) or EP_TITLE_RE.search(text):
        return "ep"
    if front & {"api approvers", "tracking link"}:
        return "openshift"
    if RUST_RE.search(text[:4000]):
        return "rust-rfc"
    if GO_RE.search(text[:4000]) and not front:
        return "go-design"
    return None


@functools.lru_cache(maxsize=256)
def _folder_vote(folder: Path, _mtime_ns: int) -> str | None:
    """The process most proposals of a folder say they follow (a Go design document with
    only a byline sits among ones with Author(s): lines), when most of them agree."""
    votes: dict[str, int] = {}
    files = _siblings(folder)[:200]
    for f in files:
        name = _own(f, _head(f, 4096))
        if name:
            votes[name] = votes.get(name, 0) + 1
    if not votes:
        return None
    name, n = max(votes.items(), key=lambda kv: kv[1])
    return name if n >= 3 and n * 2 >= len(files) else None


def _siblings(folder: Path) -> list[Path]:
    try:
        return [p for p in folder.iterdir() if p.suffix.lower() == ".md"][:1000]
    except OSError:
        return []


def detect(path, override: str | None = None) -> Process:
    """The process of the proposal at `path` (a file, or a proposal's folder): `override`
    (--process), else the project's `process = "..."`, else `sniff()`."""
    name = override or configured(path)
    if name:
        return get(name, near=path)
    return sniff(path)


# --- sidecars ------------------------------------------------------------------------------

def sidecar_path(source: Path, process: Process) -> Path | None:
    """The proposal's sidecar (kep.yaml), from its own folder only, or None."""
    source = Path(source)
    for name in process.sidecars:
        f = source.parent / name
        if f.is_file() and not f.is_symlink():
            return f
        if f.is_symlink():
            target = f.resolve()
            if target.parent == source.parent.resolve() and target.is_file():
                return f
    return None


@functools.cache
def _loader():
    """PyYAML's safe loader, with dates kept as written (2025-30-01 is the author's to fix,
    not a crash) and every value a plain type. Made on first use: most runs read no sidecar,
    and importing PyYAML is a good part of a quick command's start-up."""
    import yaml

    class Loader(yaml.SafeLoader):
        pass

    Loader.yaml_implicit_resolvers = {
        first: [r for r in resolvers if r[0] != "tag:yaml.org,2002:timestamp"]
        for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()}
    return Loader


def read_sidecar(source: Path, process: Process) -> tuple[Path | None, dict, dict]:
    """(path, mapping, key -> line) of the proposal's sidecar, or (None, {}, {}). A sidecar
    outside the proposal's folder is never read; one too big or not YAML is a located
    InputError."""
    path = sidecar_path(source, process)
    if path is None:
        return None, {}, {}
    size = path.stat().st_size
    if size > settings.MAX_SIDECAR_BYTES:
        raise LimitError(f"{path.name} is {size} bytes, over the limit of "
                         f"{settings.MAX_SIDECAR_BYTES}", path,
                         hint="a metadata sidecar should be small")
    text = path.read_bytes().decode("utf-8", "replace")
    import yaml

    loader = _loader()(text)
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None) or getattr(e, "context_mark", None)
        problem = getattr(e, "problem", None) or str(e).splitlines()[0]
        raise InputError(f"{path.name} is not valid YAML: {problem}", path,
                         mark.line + 1 if mark else None,
                         hint="a value holding ': ' or starting with '[' or '@' needs quotes"
                         ) from None
    except RecursionError:
        raise LimitError(f"{path.name} nests too deeply", path) from None
    finally:
        loader.dispose()
    if data is None:
        return path, {}, {}
    if not isinstance(data, dict):
        raise InputError(f"{path.name} must be a mapping of keys to values", path, 1)
    lines = {str(k.value): k.start_mark.line + 1 for k, _ in node.value
             if isinstance(k, yaml.ScalarNode)}
    return path, data, lines
