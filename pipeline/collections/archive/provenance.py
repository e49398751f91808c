"""Where an archived source came from (its git commit, path, remote) and what made it."""

from __future__ import annotations

import contextlib
import platform
from importlib import metadata as pkg_metadata
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from epdoc import __version__
from epdoc.pipeline.core import git
from epdoc.pipeline.pandoc import runner as pandoc


def _public_url(url: str) -> str:
    """A remote URL without user name or password."""
    parts = urlsplit(url)
    if parts.scheme and "@" in parts.netloc:
        return urlunsplit(parts._replace(netloc=parts.netloc.rsplit("@", 1)[1]))
    return url


def git_origin(source: Path, files: list[Path]) -> dict | None:
    """Commit, path in the repository, remote and whether the files differ from the commit;
    None unless the source lies in the repository of the working directory."""
    repo = git.repository()
    path = repo.relative(source) if repo else None
    if path is None:
        return None
    info: dict = {"commit": repo.optional("rev-parse", "--verify", "-q", "HEAD"),
                  "path": path}
    info["tracked"] = repo.optional("ls-files", "--error-unmatch", "--", path) is not None
    inside = [p for p in (repo.relative(f) for f in files) if p is not None]
    status = repo.optional("status", "--porcelain", "--", *inside)
    info["modified"] = bool(status) or not info["tracked"]
    remote = repo.optional("config", "--get", "remote.origin.url")
    if remote:
        info["remote"] = _public_url(remote)
    return info


def tool_versions() -> dict:
    import weasyprint

    versions = {"epdoc": __version__, "pandoc": pandoc.version(),
                "weasyprint": weasyprint.__version__}
    for dist in ("pydyf", "python-docx", "fonttools", "panflute"):
        with contextlib.suppress(pkg_metadata.PackageNotFoundError):
            versions[dist] = pkg_metadata.version(dist)
    versions["python"] = platform.python_version()
    return versions
