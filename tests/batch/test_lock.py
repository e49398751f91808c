"""The build cache's lock: a waiting build says for which process it waits and gives up
after --lock-timeout; a lock left by a build that was killed is taken over, saying so."""

from __future__ import annotations

import fcntl
import os
import shutil
import subprocess
import sys
import time

from helpers import EXAMPLES, ROOT, run_epdoc


def lock_file(out):
    (out / ".epdoc-cache").mkdir(parents=True, exist_ok=True)
    return out / ".epdoc-cache" / "lock"


def test_a_build_waits_for_a_live_one_then_gives_up(tmp_path):
    out = tmp_path / "out"
    with open(lock_file(out), "a+b") as held:
        fcntl.flock(held, fcntl.LOCK_EX)
        held.write(f"{os.getpid()}\n".encode())
        held.flush()
        began = time.monotonic()
        proc = run_epdoc("build", EXAMPLES / "EP-010-offline-archive-format.md", "-o", out,
                         "--to", "html", "--lock-timeout", "1")
        took = time.monotonic() - began
    assert proc.returncode == 1
    assert f"waiting for another epdoc build (process {os.getpid()})" in proc.stderr
    assert "still uses the build cache after 1 s" in proc.stderr and "--lock-timeout" in \
        proc.stderr
    assert "Traceback" not in proc.stderr
    assert took < 15
    assert not (out / "EP-010-offline-archive-format.html").exists()


def test_a_lock_left_by_a_killed_build_is_taken_over(tmp_path):
    out = tmp_path / "out"
    dead = subprocess.Popen(["true"])
    dead.wait()
    lock_file(out).write_text(f"{dead.pid}\n")
    proc = run_epdoc("build", EXAMPLES / "EP-010-offline-archive-format.md", "-o", out,
                     "--to", "html")
    assert proc.returncode == 0, proc.stderr
    assert f"took over the build cache lock of a build that stopped (process {dead.pid})" \
        in proc.stderr
    assert (out / "EP-010-offline-archive-format.html").is_file()
    assert lock_file(out).read_text() == ""  # released, naming nobody


def test_two_builds_at_once(tmp_path):
    src = tmp_path / "p"
    shutil.copytree(EXAMPLES, src)
    out = tmp_path / "out"
    first = subprocess.Popen([sys.executable, "-m", "epdoc.pipeline.cli", "build", str(src),
                              "-o", str(out), "-q"], cwd=ROOT.parent, stderr=subprocess.PIPE,
                             text=True)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and first.poll() is None:
        if (out / ".epdoc-cache" / "lock").is_file() and \
                (out / ".epdoc-cache" / "lock").read_text().strip() == str(first.pid):
            break
        time.sleep(0.02)
    second = run_epdoc("build", src, "-o", out, "--to", "html")
    first.wait(120)
    assert first.returncode == 0, first.stderr.read()
    assert second.returncode == 0, second.stderr
    assert f"waiting for another epdoc build (process {first.pid})" in second.stderr
    assert (out / "EP-011-proposal-catalog.pdf").is_file()
