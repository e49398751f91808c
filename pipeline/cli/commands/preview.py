"""epdoc preview: a local server showing the proposals as reviewers will see them, rebuilt
and reloaded on each save, lint's findings in the page."""

from __future__ import annotations

import errno
import ipaddress
import signal
import socket
import sys
import tempfile
from pathlib import Path

from epdoc.pipeline.cli.arguments import (
    add_limits,
    add_network,
    add_process,
    add_theme,
    check_process,
    check_theme,
    options_from,
    sources,
)
from epdoc.pipeline.core import settings
from epdoc.pipeline.core.errors import EpdocError, UsageError

NAME = "preview"
HELP = "serve proposals on 127.0.0.1, rebuilt and reloaded on each save, with lint's findings"
POSITION = 12


def add_arguments(p):
    p.add_argument("paths", nargs="+", type=Path, metavar="PATH",
                   help="a proposal, or a folder of proposals (an index page links each)")
    p.add_argument("--port", type=port, default=settings.PREVIEW_PORT, metavar="N",
                   help="the port to listen on (default: %(default)s; 0: any free one)")
    p.add_argument("--host", default=None, metavar="ADDRESS",
                   help=f"the address to listen on (default: {settings.PREVIEW_HOST}, this "
                        "machine only; another address lets other machines read the "
                        "proposals)")
    p.add_argument("--pdf", action="store_true",
                   help="show the PDF of each proposal instead of its HTML page")
    add_network(p)
    add_limits(p)
    add_theme(p)
    add_process(p)


def port(value: str) -> int:
    if not value.isdigit() or int(value) > 65535:
        import argparse

        raise argparse.ArgumentTypeError(f"{value!r} is not a port (0 to 65535)")
    return int(value)


def hosts(host: str, port_: int, explicit: bool) -> set[str] | None:
    """The Host headers the server answers (a page of another site that resolves its name
    to 127.0.0.1 is refused); None for a wildcard address given with --host."""
    if explicit and host in ("0.0.0.0", "::"):
        return None
    names = {host, f"[{host}]" if ":" in host else host}
    if _loopback(host):
        names |= {"localhost", "127.0.0.1", "[::1]"}
    return {n.lower() for n in names} | {f"{n}:{port_}".lower() for n in names}


def _loopback(host: str) -> bool:
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return host == "localhost"


def run(args) -> int:
    from epdoc.pipeline.lint import config as lint_config
    from epdoc.pipeline.preview import server as preview_server
    from epdoc.pipeline.preview import watch
    from epdoc.pipeline.preview.site import Site

    missing = [str(p) for p in args.paths if not p.exists()]
    if missing:
        raise UsageError(f"no such file or folder: {', '.join(missing)}")
    check_theme(args.theme)
    files = sources(args.paths)
    check_process(args, files)
    for f in files:
        lint_config.for_source(f)  # a broken epdoc.toml is a usage error, before any work
    host = args.host or settings.PREVIEW_HOST
    with tempfile.TemporaryDirectory(prefix="epdoc-preview-") as out:
        options = options_from(args, formats=("pdf",) if args.pdf else ("html",),
                               outdir=Path(out), jobs=1, cache=False)
        site = Site(args.paths, options)
        httpd = listen(preview_server, site, host, args.port, args.host is not None)
        previous = signal.signal(signal.SIGTERM, _interrupt)
        try:
            return _serve(site, httpd, watch, host)
        finally:
            signal.signal(signal.SIGTERM, previous)
            site.close()
            httpd.shutdown()
            httpd.server_close()


def listen(preview_server, site, host: str, port_: int, explicit: bool):
    """The server, bound now: a port in use or an address this machine lacks is one line."""
    import threading

    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    cls = type("Server", (preview_server.Server,), {"address_family": family})
    try:
        httpd = cls((host, port_), site, hosts(host, port_, explicit))
    except OSError as e:
        if e.errno == errno.EADDRINUSE:
            raise EpdocError(f"port {port_} on {host} is in use (another preview?)",
                             hint="give another with --port N, or --port 0 for a free one"
                             ) from None
        raise EpdocError(f"cannot listen on {host}:{port_}: {e.strerror or e}",
                         hint="give an address of this machine with --host, or leave it "
                              f"out for {settings.PREVIEW_HOST}") from None
    if httpd.hosts is not None and port_ == 0:  # the port chosen is known only now
        httpd.hosts = hosts(host, httpd.server_address[1], explicit)
    threading.Thread(target=httpd.serve_forever, name="epdoc-preview", daemon=True).start()
    return httpd


def _serve(site, httpd, watch, host: str) -> int:
    try:
        count = len(site.entries)
        print(f"epdoc preview: building {count} proposal{'s' if count != 1 else ''}...",
              flush=True)
        _report(site.build())
        if not _loopback(host):
            print(f"epdoc preview: listening on {host}: other machines can read these "
                  "proposals", file=sys.stderr, flush=True)
        print(f"epdoc preview: {httpd.url} (rebuilt on save; Ctrl-C to stop)", flush=True)
        watch.follow(site, _report)
    except KeyboardInterrupt:
        pass
    print("epdoc preview: stopped", flush=True)
    return 0


def _report(entries) -> None:
    """One line per build: the error, or how many findings (each finding on its line)."""
    for e in entries:
        if e.error:
            print(f"epdoc preview: {e.error} (the page keeps its last good version)",
                  file=sys.stderr, flush=True)
            continue
        for d in [*e.findings, *e.across]:
            print(d.text(), file=sys.stderr)
        n = len(e.findings) + len(e.across)
        print(f"epdoc preview: built {e.source} in {e.seconds:.1f} s ({n} finding"
              f"{'s' if n != 1 else ''})", flush=True)


def _interrupt(_signum, _frame):
    raise KeyboardInterrupt
