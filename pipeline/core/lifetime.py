"""Processes that die with the build: a worker, a diagram drawer, pandoc or mermaid's child
never outlives the process that started it, whatever kills that one (a cancelled CI job
sends SIGKILL): Linux's parent-death signal, asked for in the child."""

from __future__ import annotations

import os
import signal
import sys
import threading

PR_SET_PDEATHSIG = 1


def die_with_parent(expected_parent: int | None = None) -> None:
    """In a child: be killed when the parent goes (Linux; elsewhere nothing is done). When
    the parent is gone already, exit now."""
    if not sys.platform.startswith("linux"):
        return
    import ctypes  # imported by child_setup() before the fork; slow to import at start-up

    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):
        return
    if expected_parent is not None and os.getppid() != expected_parent:
        os._exit(1)  # the parent died before the signal was asked for


def child_setup():
    """A `preexec_fn` for subprocess.Popen: the child dies with this process. None where it
    cannot be tied to the process (not Linux, or started from a thread other than the main
    one: the signal follows the thread that started the child, which may end first)."""
    if not sys.platform.startswith("linux") or \
            threading.current_thread() is not threading.main_thread():
        return None
    import ctypes  # noqa: F401 - here, before the fork: the child finds it imported

    parent = os.getpid()
    return lambda: die_with_parent(parent)
