"""Converting one proposal: read and filtered once (reading/), written to every format asked
for (render/), checked by lint; any failure becomes a one-line message in its Result."""

from __future__ import annotations

import time
import traceback
from pathlib import Path

from epdoc.pipeline import lint, render
from epdoc.pipeline.config import theme as themes
from epdoc.pipeline.convert.result import Result
from epdoc.pipeline.core import settings
from epdoc.pipeline.core.errors import one_line
from epdoc.pipeline.core.options import Options
from epdoc.pipeline.pandoc import runner as pandoc
from epdoc.pipeline.pandoc import server as pandoc_server
from epdoc.pipeline.reading import document as documents


class Builder:
    """Holds the theme and writers; converts documents one after another."""

    def __init__(self, options: Options):
        self.options = options
        self.theme = themes.load(options.theme)
        registry = render.discover()
        unknown = [f for f in options.formats if f not in registry]
        if unknown:
            raise ValueError(f"unknown format(s): {', '.join(unknown)}")
        self.writers = [registry[f](options, self.theme) for f in options.formats]
        from epdoc.pipeline.render.html import page as html

        # the syntax definitions the writers will give pandoc (pandoc_server.py)
        pandoc_server.prefer(pandoc.executable(), html.syntax_definitions(self.theme))

    def convert(self, source: Path, outdir: Path | None = None) -> Result:
        outdir = Path(outdir or self.options.outdir)
        result = Result(source)
        t0, cpu = time.perf_counter(), time.process_time()
        try:
            doc = documents.load(source, self.options)
            result.record = doc.record
            result.seconds["parse"] = time.perf_counter() - t0
            for writer in self.writers:
                t = time.perf_counter()
                target = writer.target(doc, outdir)
                writer.write(doc, target)
                result.outputs.append(target)
                result.seconds[writer.name] = time.perf_counter() - t
            result.diagnostics = lint.check(doc)  # the filters' and lint's, configured
        except Exception as exc:  # noqa: BLE001 - every failure becomes a one-line message
            result.ok = False
            result.error = one_line(exc, source)
            if settings.debug():
                traceback.print_exc()
        result.seconds["total"] = time.perf_counter() - t0
        result.seconds["cpu"] = time.process_time() - cpu  # this process's, pandoc's not
        return result
