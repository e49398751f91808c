"""Where proposals are, and what their outputs are called.

A proposal is a file (`EP-012-x.md`), or a folder whose process says `layout = "folder"`
(a KEP: `keps/sig-node/2727-grpc-probe/README.md` with `kep.yaml` beside it). A folder
proposal is named by its folder (`2727-grpc-probe.pdf`), a file proposal by its stem. The
names a run gives (two folder proposals called alike are told apart: pipeline/core/names.py)
travel in `options.extra["outputs"]`, resolved source -> name, so that a proposal's links to
the others of the run point at their outputs.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from epdoc.pipeline.config import process
from epdoc.pipeline.core import paths
from epdoc.pipeline.core.errors import EpdocError

OUTPUTS = "outputs"  # the key of options.extra: {resolved source: output name}


def _named(folder: Path, name: str) -> Path | None:
    """The file `name` in `folder`, matched ignoring case when no file has it exactly."""
    f = folder / name
    if f.is_file():
        return f
    try:
        for other in folder.iterdir():
            if other.name.lower() == name.lower() and other.is_file():
                return other
    except OSError:
        pass
    return None


def _own(folder: Path, f: Path | None) -> Path | None:
    """`f` when it lies in `folder` once symlinks are resolved (a sidecar or an entry that
    points out of the proposal's folder is not its own), else None."""
    return f if f is not None and paths.inside(f, [folder]) else None


def entry(folder, top: bool = False, override: str | None = None) -> Path | None:
    """The proposal file of `folder` when the folder is a proposal, else None. `top`: the
    folder given on the command line, which is a proposal only by its sidecar (a project's
    folder of proposals keeps a README.md of its own). `override`: --process."""
    folder = Path(folder)
    found = process.detect(folder, override)  # an unknown process name: a usage error
    if found.layout != "folder" or (top and not found.sidecars):
        return None
    if found.sidecars and not any(_own(folder, _named(folder, s)) for s in found.sidecars):
        return None
    for name in found.entry_names:
        f = _own(folder, _named(folder, name))
        if f is not None:
            return f
    return None


def is_entry(source, override: str | None = None) -> bool:
    """True when `source` is a folder proposal's file (README.md beside its kep.yaml)."""
    source = Path(source)
    names = {n.lower() for n in _entry_names()}
    if source.name.lower() not in names:
        return False
    found = entry(source.parent, override=override)
    return found is not None and found.name == source.name


def _entry_names() -> set[str]:
    return {n for name in process.BUILTIN for n in process.builtin(name).entry_names} | \
        {"README.md", "index.md"}


def base_name(source, override: str | None = None) -> str:
    """The name of a proposal's outputs before a run tells clashing ones apart: its folder's
    for a folder proposal, else its file's stem."""
    source = Path(source)
    return source.parent.resolve().name if is_entry(source, override) else source.stem


def sidecars(source, override: str | None = None) -> list[Path]:
    """The sidecar files (kep.yaml) of a folder proposal that lie in its own folder."""
    source = Path(source)
    if not is_entry(source, override):
        return []
    try:
        found = process.detect(source, override)
    except process.ConfigError:
        return []
    folder = source.parent
    return [f for f in (_own(folder, _named(folder, s)) for s in found.sidecars) if f]


def key(source) -> str:
    """How a run's names are keyed: the source's absolute path, symlinks resolved."""
    return os.path.realpath(source)


def output_name(source, options=None) -> str:
    """The name of `source`'s outputs in this run (without extension)."""
    given = (getattr(options, "extra", None) or {}).get(OUTPUTS) or {}
    return given.get(key(source)) or base_name(source, getattr(options, "process", None))


def linked_name(target, options=None) -> str | None:
    """The output name of the proposal at `target` (a link's file: an absolute path, made
    from the linking proposal's resolved folder) when it is converted in this run, else
    None. Only the path's text is looked at: nothing outside a proposal's folder is."""
    given = (getattr(options, "extra", None) or {}).get(OUTPUTS) or {}
    if not given:
        return None
    target = os.path.normpath(target)
    found = given.get(target)
    if found:
        return found
    for name in sorted(_entry_names()):  # a link to the folder: GitHub shows its README
        found = given.get(os.path.join(target, name))
        if found:
            return found
    return None


def prr_file(source: Path, number: int | None) -> Path | None:
    """keps/prod-readiness/<sig>/<number>.yaml for keps/<sig>/<number>-name/README.md."""
    if source is None or number is None:
        return None
    folder = Path(source).parent
    sig, keps = folder.parent, folder.parent.parent
    path = keps / "prod-readiness" / sig.name / f"{number}.yaml"
    return path if path.is_file() and not path.is_symlink() else None


def inputs(source, override: str | None = None) -> list[Path]:
    """The files outside the proposal's folder its approvals come from (a KEP's production
    readiness file): the cache and --changed-since count them as its inputs. Here, not with
    the approvals filter, so that an up-to-date build imports no filter."""
    try:
        proc = process.detect(source, override)
    except EpdocError:
        return []
    if proc.layout != "folder" or not proc.id_pattern:
        return []
    m = re.match(proc.id_pattern, Path(source).parent.name)
    number = m.group(1) if m and m.groups() else None
    path = prr_file(Path(source), int(number)) if number and number.isdigit() else None
    return [path] if path is not None else []
