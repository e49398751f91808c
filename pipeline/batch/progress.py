"""What `epdoc build` tells people and tools while it runs: a progress bar on a terminal,
plain lines in CI logs, GitHub annotations in GitHub Actions, and a JSON report."""

from __future__ import annotations

import json
import os
import sys
import time
from collections import Counter
from pathlib import Path

from epdoc import __version__
from epdoc.pipeline.core import atomic, settings
from epdoc.pipeline.core.errors import OutputError
from epdoc.pipeline.lint.output import GITHUB_LEVEL, _escape_data, _escape_property, _repo_path


def in_github_actions() -> bool:
    return settings.env("GITHUB_ACTIONS") == "true"


def annotation(severity: str, file: str, message: str, line=None, column=None,
               title: str = "") -> str:
    """One GitHub Actions workflow command (an annotation on the file and line)."""
    props = [f"file={_escape_property(_repo_path(file))}"]
    if line:
        props += [f"line={line}", f"col={column or 1}"]
    if title:
        props.append(f"title={_escape_property(title)}")
    return f"::{GITHUB_LEVEL.get(severity, 'warning')} {','.join(props)}::{_escape_data(message)}"


class Reporter:
    """Receives each Result as it is known; prints, draws and collects."""

    def __init__(self, total: int, *, quiet: bool = False, stream=None, bar: bool | None = None,
                 github: bool | None = None):
        self.total = total
        self.quiet = quiet
        self.err = stream or sys.stderr
        self.github = in_github_actions() if github is None else github
        if bar is None:
            bar = (not quiet and self.err.isatty() and not settings.env("CI")
                   and os.environ.get("TERM") != "dumb")
        self.counts: Counter = Counter()
        self.results: list = []
        self.started = time.monotonic()
        self.progress = None
        if bar and total:
            self._start_bar()

    # -- the bar (drawn without a thread: workers are forked while it runs) ------------
    def _start_bar(self) -> None:
        from rich.console import Console
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            TextColumn,
            TimeElapsedColumn,
        )

        console = Console(file=self.err)
        self.progress = Progress(TextColumn("[bold]build"), BarColumn(), MofNCompleteColumn(),
                                 TextColumn("{task.description}"), TimeElapsedColumn(),
                                 console=console, auto_refresh=False, transient=True)
        self.progress.start()
        self.task = self.progress.add_task("", total=self.total)

    def tick(self) -> None:
        if self.progress is not None:
            self.progress.refresh()

    def _print(self, text: str, err: bool = True) -> None:
        if self.progress is not None:
            self.progress.console.print(text, markup=False, highlight=False, soft_wrap=True)
        else:
            print(text, file=self.err if err else sys.stdout, flush=True)

    # -- each result -------------------------------------------------------------------
    def __call__(self, result) -> None:
        self.results.append(result)
        self.counts[result.status] += 1
        for d in result.diagnostics:
            self._print(d.text())
            if self.github:
                print(annotation(d.severity, d.file, d.message, d.line, d.column, d.code),
                      flush=True)
        if not result.ok:
            self._print(f"error: {result.error}")
            if self.github:
                message = result.error or "failed"
                prefix = f"{result.source}: "
                print(annotation("error", str(result.source), message.removeprefix(prefix),
                                 title="build failed"), flush=True)
        elif result.status == "converted" and not self.quiet:
            outs = ", ".join(str(p) for p in result.outputs)
            self._print(f"converted {result.source} -> {outs}", err=False)
        if self.progress is not None:
            self.progress.update(self.task, advance=1, description=self._counts())
            self.progress.refresh()

    def _counts(self) -> str:
        parts = [f"{self.counts['converted']} converted"]
        if self.counts["up-to-date"]:
            parts.append(f"{self.counts['up-to-date']} up to date")
        if self.counts["failed"]:
            parts.append(f"{self.counts['failed']} failed")
        return ", ".join(parts)

    def close(self) -> None:
        if self.progress is not None:
            self.progress.stop()
            self.progress = None

    @property
    def seconds(self) -> float:
        return time.monotonic() - self.started

    def summary(self) -> str:
        return f"{self._counts()} in {self.seconds:.1f} s"

    def report(self, path: Path, *, options, results, selection: dict) -> None:
        """Write the JSON report: the run, then one object per proposal, in the order
        they were given."""
        from epdoc.pipeline.batch.cache import pandoc_version

        data = {
            "epdoc": __version__,
            "pandoc": pandoc_version(),
            "formats": list(options.formats),
            "outdir": str(options.outdir),
            "jobs": options.jobs,
            "timeout": options.timeout,
            "selection": selection,
            "seconds": round(self.seconds, 3),
            "counts": {k: self.counts.get(k, 0) for k in ("converted", "up-to-date", "failed")},
            "documents": [r.as_dict() for r in results],
        }
        try:
            atomic.write_text(Path(path), json.dumps(data, indent=2, ensure_ascii=False) + "\n")
        except OSError as e:
            raise OutputError(f"cannot write the report: {e.strerror or e}", path,
                              hint="choose a --report path you can write to") from None
