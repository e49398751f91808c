"""The long-lived pandoc process gives exactly what a pandoc command gives, and survives
errors, crashes and time-outs."""

import io
import json

import docx
import pytest

from epdoc.pipeline import render as writers
from epdoc.pipeline.config import theme
from epdoc.pipeline.core.errors import LimitError, PandocError
from epdoc.pipeline.core.options import Options
from epdoc.pipeline.pandoc import runner as pandoc
from epdoc.pipeline.pandoc import server as pandoc_server
from epdoc.pipeline.reading import document
from epdoc.pipeline.render.html import page

from helpers import EXAMPLES

SOURCE = EXAMPLES / "EP-010-offline-archive-format.md"
CODE = "# T\n\n```python\ndef f(x):\n    return x + 1\n```\n"


def _outputs():
    opts, th = Options(), theme.load()
    doc = document.load(SOURCE, opts)
    css, body = page.pandoc_html(page.copy_doc(doc), th, opts, SOURCE)
    data = writers.get("docx")(opts, th).render(doc)
    d = docx.Document(io.BytesIO(data))
    return (json.dumps(doc.doc.to_json()), css, body, [p.text for p in d.paragraphs],
            len(d.inline_shapes))


def test_server_and_command_give_the_same_outputs(monkeypatch):
    served = _outputs()
    monkeypatch.setenv("EPDOC_PANDOC_SERVER", "0")
    assert served == _outputs()
    assert served[4] == 1  # the example's image is inside the DOCX


def test_highlighted_code_is_the_same_as_the_command():
    args = ["--sandbox", "-f", "gfm", "-t", "html5", "--syntax-highlighting=pygments"]
    assert pandoc_server.plan(pandoc.executable(), args) is not None
    served = pandoc.run(args, CODE.encode())
    assert b'class="kw"' in served
    # an option the server does not take makes run() start a pandoc command instead
    assert served == pandoc.run(args + ["--no-check-certificate"], CODE.encode())


def test_unknown_options_run_a_command():
    assert pandoc_server.plan(pandoc.executable(), ["-f", "gfm", "-t", "html", "-s"]) is None
    out = pandoc.run(["-f", "gfm", "-t", "html", "-s", "--metadata=title:X"], b"hi")
    assert b"<title>X</title>" in out


def test_bad_input_is_a_pandoc_error_and_the_server_lives_on():
    with pytest.raises(PandocError, match="pandoc could not convert it"):
        pandoc.run(["-f", "json", "-t", "html"], b"{not json", "x.md")
    assert pandoc.read_markdown("# still here\n")["blocks"]


def test_time_limit_kills_and_restarts_the_server():
    big = ("word " * 200 + "\n\n") * 3000
    with pytest.raises(LimitError, match="longer than"):
        pandoc.read_markdown(big, "big.md", timeout=0.05)
    assert pandoc.read_markdown("# after\n", timeout=30)["blocks"]


def test_a_dead_server_is_replaced():
    pandoc.read_markdown("# first\n")
    srv = pandoc_server.server(pandoc.executable(), pandoc.DEFAULT_MEMORY)
    srv.proc.kill()
    srv.proc.wait()
    assert pandoc.read_markdown("# second\n")["blocks"]


def test_code_in_the_themes_own_syntaxes_is_highlighted_as_by_the_command(monkeypatch):
    th = theme.load()
    extra = page.syntax_definitions(th)
    assert extra, "the theme defines its own syntaxes (styles/syntax/)"
    args = ["--sandbox", "-f", "json", "-t", "html5", "--syntax-highlighting=pygments", *extra]
    assert pandoc_server.plan(pandoc.executable(), args)["syntaxes"]
    ast = json.dumps(pandoc.read_markdown(
        "```prometheus\nup{job=\"node\"} 1\n```\n\n```text\nplain\n```\n"))
    served = pandoc.run(args, ast.encode())
    assert b'class="sourceCode prometheus"' in served and b'<span class="fu">up</span>' in served
    monkeypatch.setenv("EPDOC_PANDOC_SERVER", "0")
    assert served == pandoc.run(args, ast.encode())


def test_at_exit_the_server_is_ended_and_collected_without_waiting_for_it():
    pandoc.start()
    pandoc.read_ahead("# sent, never asked for\n")
    srv = pandoc_server.server(pandoc.executable(), pandoc.DEFAULT_MEMORY)
    proc = srv.proc
    pandoc_server.close_all()  # what atexit runs
    assert srv.proc is None and proc.returncode is not None  # killed and reaped: no zombie
    pandoc_server.close_all()  # twice is harmless
    assert pandoc.read_markdown("# a new one when asked\n")["blocks"]
