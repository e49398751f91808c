"""`epdoc preview` run as users run it (a real process, a relative path, a free port), and
stopped as they stop it (Ctrl-C)."""

from __future__ import annotations

import http.client
import os
import re
import signal
import subprocess
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit

from helpers import EPDOC

URL = re.compile(r"epdoc preview: (http://\S+/) ")


class Preview:
    def __init__(self, *args, cwd: Path, timeout: float = 180):
        env = {**os.environ, "PYTHONUNBUFFERED": "1"}
        env.pop("GITHUB_ACTIONS", None)
        self.proc = subprocess.Popen([*EPDOC, "preview", *map(str, args), "--port", "0"],
                                     cwd=cwd, env=env, text=True, stdout=subprocess.PIPE,
                                     stderr=subprocess.PIPE)
        self.out: list[str] = []
        self.err: list[str] = []
        self.url = None
        found = threading.Event()

        def read(stream, lines, look):
            for line in stream:
                lines.append(line)
                m = URL.search(line) if look else None
                if m:
                    self.url = m.group(1)
                    found.set()
            found.set()  # the process ended

        self.readers = [threading.Thread(target=read, args=(self.proc.stdout, self.out, True),
                                         daemon=True),
                        threading.Thread(target=read, args=(self.proc.stderr, self.err, False),
                                         daemon=True)]
        for t in self.readers:
            t.start()
        found.wait(timeout)
        assert self.url, f"no URL printed: {''.join(self.out)}{''.join(self.err)}"
        split = urlsplit(self.url)
        self.host, self.port = split.hostname, split.port

    def get(self, path: str, headers=None) -> tuple[int, dict, bytes]:
        """(status, headers, body) of a GET for `path` sent exactly as given."""
        conn = http.client.HTTPConnection(self.host, self.port, timeout=30)
        try:
            conn.request("GET", path, headers=headers or {})
            r = conn.getresponse()
            return r.status, {k.lower(): v for k, v in r.getheaders()}, r.read()
        finally:
            conn.close()

    def stop(self) -> tuple[int, str, str]:
        """Ctrl-C: (exit code, stdout, stderr)."""
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)
            try:
                self.proc.wait(30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        for t in self.readers:
            t.join(10)
        return self.proc.returncode, "".join(self.out), "".join(self.err)

    def wait_output(self, text: str, timeout: float = 30) -> None:
        end = time.monotonic() + timeout
        while text not in "".join(self.out) + "".join(self.err):
            assert time.monotonic() < end, f"{text!r} not printed"
            time.sleep(0.05)
