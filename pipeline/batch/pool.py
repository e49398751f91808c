"""Worker processes for a batch: each imports pandoc's client, WeasyPrint and the writers once
and converts many proposals; a proposal that takes longer than the time limit has its worker
killed (with the pandoc it started) and the batch goes on with a fresh one.

On Linux the main process does the imports once and forks the workers, so a replacement
starts in milliseconds and all workers share the imported code's memory; the main process
starts no threads, which keeps forking safe. Elsewhere workers are spawned.
"""

from __future__ import annotations

import gc
import importlib
import multiprocessing
import os
import signal
import sys
import time
from multiprocessing.connection import wait

from epdoc.pipeline.batch import ahead as drawing
from epdoc.pipeline.convert.result import Result
from epdoc.pipeline.core import lifetime
from epdoc.pipeline.core.errors import one_line
from epdoc.pipeline.pandoc import server as pandoc_server

PRELOAD = "epdoc.pipeline.batch.preload"
TICK = 0.5  # seconds between progress refreshes


def context(preload: bool = True):
    if sys.platform.startswith("linux"):
        if preload:
            importlib.import_module(PRELOAD)
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context("spawn")


def _serve(conn, options, parent: int) -> None:
    """A worker: convert each source sent on `conn`, send back its Result."""
    lifetime.die_with_parent(parent)  # a killed build takes its workers (and their lock)
    if hasattr(os, "setpgid"):
        os.setpgid(0, 0)  # its own process group: a kill takes the pandoc it started too
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the main process decides what stops
    from epdoc.pipeline.convert.proposal import Builder  # after fork: the drawers start light

    try:
        builder = Builder(options)
        failure = None
    except Exception as exc:  # noqa: BLE001 - reported for each document
        builder, failure = None, exc
    gc.freeze()  # what exists now lives as long as the worker: keep it out of collections
    gc.set_threshold(100_000, 50, 100)  # layout makes objects by the million, few cycles
    while True:
        try:
            task = conn.recv()
        except (EOFError, OSError):
            break
        if task is None:
            break
        index, source = task
        if builder is None:
            result = Result(source, ok=False, error=one_line(failure, source))
        else:
            result = builder.convert(source)
        conn.send((index, result))
    conn.close()
    pandoc_server.close_all()  # multiprocessing skips atexit: wait for our pandoc here


class Worker:
    def __init__(self, ctx, options):
        self.conn, child = ctx.Pipe()
        self.proc = ctx.Process(target=_serve, args=(child, options, os.getpid()),
                                daemon=True)
        self.proc.start()
        child.close()
        self.task = None  # (index, source) being converted
        self.started = 0.0

    def send(self, task) -> None:
        self.task = task
        self.started = time.monotonic()
        self.conn.send(task)

    def kill(self) -> None:
        pid = self.proc.pid
        try:
            os.killpg(pid, signal.SIGKILL)  # the worker and the pandoc it started
        except (OSError, AttributeError):
            try:
                os.kill(pid, signal.SIGKILL)
            except OSError:
                pass
        self.proc.join(5)
        self.conn.close()

    def stop(self) -> None:
        try:
            self.conn.send(None)
        except (OSError, BrokenPipeError):
            pass
        self.proc.join(10)
        if self.proc.is_alive():
            self.kill()
        else:
            self.conn.close()


def _stopped(worker: Worker) -> str:
    code = worker.proc.exitcode
    if code is not None and code < 0:
        try:
            how = f"signal {signal.Signals(-code).name}"
        except ValueError:
            how = f"signal {-code}"
    else:
        how = f"exit code {code}"
    return how


class Drawer:
    """A process drawing diagrams ahead (batch/ahead.py): its `part` of `parts`."""

    def __init__(self, ctx, options, tasks, part: int, parts: int):
        self.conn, child = ctx.Pipe()
        self.proc = ctx.Process(target=drawing.serve,
                                args=(child, options, list(tasks), part, parts, os.getpid()),
                                daemon=True)
        self.proc.start()
        child.close()

    def kill(self) -> None:
        for kill in (lambda: os.killpg(self.proc.pid, signal.SIGKILL),
                     lambda: os.kill(self.proc.pid, signal.SIGKILL)):
            try:
                kill()
                break
            except (OSError, AttributeError):
                continue
        self.proc.join(5)
        self.conn.close()


def run(tasks, options, jobs: int, timeout: float | None, on_result, on_tick=None,
        prefetch=()) -> None:
    """Convert `tasks` [(index, source)] in up to `jobs` workers; call on_result(index,
    Result) as each finishes, in the order they finish, and on_tick() about every 0.5 s.
    `prefetch`: tasks whose diagrams processes of their own (one, or up to `jobs - 1`) draw
    first, while workers convert the other proposals; each goes to a worker once they are
    drawn (or a drawing process has stopped)."""
    pending = list(tasks)
    if not pending:
        return
    jobs = max(1, min(jobs, len(pending)))
    held = {index for index, _ in prefetch}
    parts = max(1, min(jobs - 1, sum(drawing.count_diagrams(s) for _, s in prefetch)))
    # the drawers start first, without waiting for the workers' imports: they are the longest
    drawers = [Drawer(context(preload=False), options, prefetch, k, parts)
               for k in range(parts)] if held else []
    drawn: dict[int, int] = {}  # proposal -> drawers done with its diagrams
    began: dict[int, float] = {}  # proposal -> when the first drawer started on it
    draw_seconds: dict[int, float] = {}  # proposal -> seconds its diagrams took (drawers in turn)
    sources = dict(tasks)
    ctx = context()
    workers: list[Worker] = []

    def take():
        for k, (index, _) in enumerate(pending):
            if index not in held:
                return pending.pop(k)
        return None

    def finish(index: int, result: Result) -> None:
        if index in draw_seconds:  # its diagrams, drawn ahead, count in its time
            result.seconds["diagrams"] = round(draw_seconds[index], 4)
            result.seconds["total"] = result.seconds.get("total", 0.0) + draw_seconds[index]
        on_result(index, result)

    def fail(worker: Worker, message: str) -> None:
        index, source = worker.task
        result = Result(source, ok=False, error=f"{source}: {message}")
        result.seconds["total"] = time.monotonic() - worker.started  # its diagrams included
        if index in draw_seconds:
            result.seconds["diagrams"] = round(draw_seconds[index], 4)
        worker.task = None
        on_result(index, result)

    def over_time(index: int) -> None:
        """A proposal whose diagrams took all of --timeout before it reached a worker."""
        held.discard(index)
        pending[:] = [t for t in pending if t[0] != index]
        source = sources[index]
        result = Result(source, ok=False, error=(
            f"{source}: took longer than {timeout:g} s and was stopped, drawing its "
            "diagrams (raise the limit with --timeout)"))
        result.seconds["total"] = max(time.monotonic() - began[index],
                                      draw_seconds.get(index, 0.0))
        if index in draw_seconds:
            result.seconds["diagrams"] = round(draw_seconds[index], 4)
        on_result(index, result)

    try:
        while pending or any(w.task for w in workers):
            while len(workers) < jobs:
                workers.append(Worker(ctx, options))
            if timeout:  # its diagrams took all of its time: no worker for it
                for index in [i for i, _ in pending
                              if i not in held and draw_seconds.get(i, 0.0) >= timeout]:
                    over_time(index)
            # no more processes at work than jobs: a drawer takes a worker's turn (it draws
            # for the longest proposals, so its diagrams come first)
            free = jobs - len(drawers) - sum(1 for w in workers if w.task)
            for w in workers:
                task = take() if w.task is None and free > 0 else None
                if task:
                    w.send(task)
                    w.started -= draw_seconds.get(task[0], 0.0)  # its diagrams took their share
                    free -= 1
            busy = [w for w in workers if w.task]
            if not busy and not drawers:
                break
            waiting = [x for w in busy for x in (w.conn, w.proc.sentinel)]
            waiting += [x for d in drawers for x in (d.conn, d.proc.sentinel)]
            wait_for = TICK if on_tick else None
            starts = [w.started for w in busy] + \
                [began[i] for i in held if i in began and i not in draw_seconds]
            if timeout and starts:
                first = min(starts) + timeout
                wait_for = min(wait_for or timeout, max(0.0, first - time.monotonic()))
            ready = wait(waiting, wait_for)
            if on_tick:
                on_tick()
            for d in [d for d in drawers if d.conn in ready or d.proc.sentinel in ready]:
                try:
                    message = d.conn.recv()
                except (EOFError, OSError):
                    message = None  # it stopped early: hold nothing back (workers draw)
                    held.clear()
                if isinstance(message, tuple) and message[0] == "start":
                    began.setdefault(message[1], time.monotonic())
                elif isinstance(message, tuple) and message[0] == "drawn":
                    _, index, seconds = message  # this drawer's share of a proposal is drawn
                    draw_seconds[index] = max(draw_seconds.get(index, 0.0), seconds)  # in parallel
                    drawn[index] = drawn.get(index, 0) + 1
                    if drawn[index] == parts:
                        held.discard(index)
                else:
                    d.kill()
                    drawers.remove(d)
            if timeout:
                for index in [i for i in held if i in began and i not in draw_seconds]:
                    if time.monotonic() - began[index] >= timeout:
                        over_time(index)
            if not drawers:
                held.clear()
            for w in list(busy):
                if w.conn in ready:
                    try:
                        index, result = w.conn.recv()
                    except (EOFError, OSError):
                        w.kill()
                        workers.remove(w)
                        fail(w, f"the worker converting it stopped ({_stopped(w)}); "
                                "the other proposals go on (please report this)")
                        continue
                    w.task = None
                    finish(index, result)
                elif w.proc.sentinel in ready:
                    w.kill()
                    workers.remove(w)
                    fail(w, f"the worker converting it stopped ({_stopped(w)}); "
                            "the other proposals go on (please report this)")
                elif timeout and time.monotonic() - w.started >= timeout:
                    w.kill()
                    workers.remove(w)
                    drew = draw_seconds.get(w.task[0], 0.0)
                    fail(w, f"took longer than {timeout:g} s and was stopped"
                            + (f" ({drew:.1f} s of it drawing its diagrams)" if drew >= 0.05
                               else "") + " (raise the limit with --timeout)")
    finally:
        for d in drawers:
            d.kill()
        for w in workers:
            if w.task is None:
                w.stop()
            else:
                w.kill()
