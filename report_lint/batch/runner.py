"""Running the jobs: ``workers`` worker processes, each job under a wall-clock limit; results in
input order.

A worker that raises is already impossible (:func:`lint_target` returns an error row), but a job can
still hang (a pathological report, a stuck ``git``) or kill its process (out of memory, a signal).
Each worker is a process of its own process group that lints one job after another (so imports and
caches stay warm, as in a pool).  A job past its deadline has its worker killed with everything the
worker started (its ``git`` children too) and becomes a "took longer than" row; a worker that dies
makes its job a "worker process died" row.  Either way a fresh worker takes over the remaining jobs,
and the bad repository costs only its own row.
"""

from __future__ import annotations

import contextlib
import importlib
import multiprocessing
import os
import pkgutil
import signal
import sys
import threading
import time
from collections import deque
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from multiprocessing.context import BaseContext
from multiprocessing.process import BaseProcess
from typing import Any, TextIO

from report_lint.batch.rows import RepoRow
from report_lint.batch.worker import Job, failed_row, lint_target, one_line

DEFAULT_TIMEOUT = 60.0


class Progress:
    """``[#####-----]  12/300  4.1/s`` on a terminal, redrawn at most ten times a second."""

    def __init__(self, total: int, stream: TextIO, width: int = 30) -> None:
        self.total, self.stream, self.width = total, stream, width
        self.done = 0
        self.started = self.last = time.monotonic()

    def tick(self) -> None:
        self.done += 1
        now = time.monotonic()
        if now - self.last < 0.1 and self.done < self.total:
            return
        self.last = now
        filled = self.width * self.done // max(self.total, 1)
        rate = self.done / max(now - self.started, 1e-9)
        self.stream.write(
            f"\r[{'#' * filled}{'-' * (self.width - filled)}] {self.done}/{self.total}  {rate:.1f}/s "
        )
        self.stream.flush()

    def close(self) -> None:
        self.stream.write("\n")
        self.stream.flush()


def default_jobs() -> int:
    return os.cpu_count() or 1


def _context() -> BaseContext:
    # fork: the child starts with the parent's modules loaded (and a job needs no pickling there)
    if "fork" in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context()


# what a lint imports on its first report (checks are imported when their rule runs, the evidence,
# hand-in and parsing modules when a rule needs them): imported in the parent before the workers
# fork, so that they start with them loaded instead of each paying for them again
_LINT_PACKAGES = ("report_lint.checks", "report_lint.evidence", "report_lint.handin", "report_lint.parsing")
_LINT_MODULES = ("report_lint.batch.rows", "report_lint.batch.dashboard", "tomllib", "markdown")


def prepare_workers() -> None:
    """Import what every worker needs, and load the built-in packs, once in this process (see above)."""
    names = list(_LINT_MODULES)
    for package in _LINT_PACKAGES:
        module = importlib.import_module(package)
        names += [info.name for info in pkgutil.iter_modules(module.__path__, package + ".")]
    for name in names:
        with contextlib.suppress(ImportError):  # optional (tomllib below 3.11): imported when needed
            importlib.import_module(name)
    from report_lint.packs.loader import builtin_packs

    builtin_packs()


def _size(job: Job) -> int:
    """How long the job may take, roughly, without starting a process: the size of the repository's
    git index (it grows with the number of tracked files) plus its report's size."""
    target = job.target
    total = 0
    for path in (target.git_dir / "index" if target.git_dir else None, target.path / job.report):
        if path is not None:
            with contextlib.suppress(OSError, ValueError):
                total += os.stat(path).st_size
    return total


def _serve(conn: Connection) -> None:
    """A worker's body: lint each job it is sent and send its row back, until told to stop."""
    if hasattr(os, "setpgid"):
        with contextlib.suppress(OSError):
            os.setpgid(0, 0)  # its own group, so that a kill reaches the git processes it starts
    signal.signal(signal.SIGTERM, signal.SIG_DFL)  # not the parent's handler (see run_jobs)
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):
            job = None
        if not isinstance(job, Job):
            break
        try:
            row = lint_target(job)
        except BaseException as exc:  # even SystemExit must become this job's row
            row = failed_row(job, one_line(exc))
        try:
            conn.send(row)
        except Exception as exc:  # e.g. a row that cannot be pickled: still a row
            try:
                conn.send(failed_row(job, f"the result could not be sent back ({one_line(exc)})"))
            except Exception:  # the pipe itself is broken (the parent is gone): nobody to tell
                os._exit(1)
    conn.close()
    os._exit(0)  # no exit handler inherited from the parent runs here


@dataclass
class _Worker:
    process: BaseProcess
    conn: Connection
    grouped: bool  # the process leads its own process group
    index: int = -1  # the job it is on; -1: idle
    job: Job | None = None
    deadline: float = 0.0


def _spawn(ctx: BaseContext) -> _Worker:
    parent_end, child_end = ctx.Pipe(duplex=True)
    process = ctx.Process(target=_serve, args=(child_end,), daemon=True)  # type: ignore[attr-defined]
    process.start()
    child_end.close()  # the worker holds the only other end: its death is an EOF here
    grouped = False
    if hasattr(os, "setpgid") and process.pid is not None:
        try:  # also from this side, so the group exists before any kill (no race with the child)
            os.setpgid(process.pid, process.pid)
            grouped = True
        except OSError:  # it already exited (or is already its own leader)
            grouped = _leads_group(process.pid)
    return _Worker(process, parent_end, grouped)


def _leads_group(pid: int) -> bool:
    try:
        return os.getpgid(pid) == pid
    except OSError:
        return False


def _kill(worker: _Worker) -> None:
    """The worker and everything it started; then reap it."""
    pid = worker.process.pid
    if pid is not None:
        try:
            if worker.grouped and hasattr(os, "killpg"):
                os.killpg(pid, signal.SIGKILL)
            else:
                worker.process.kill()
        except OSError:  # already gone
            pass
    worker.process.join(5)
    worker.conn.close()


def _stop(worker: _Worker) -> None:
    """An idle worker at the end: ask it to leave, then make sure it has."""
    with contextlib.suppress(OSError):
        worker.conn.send(None)
    worker.process.join(2)
    _kill(worker)  # also ends any stray child it left behind


def _died(worker: _Worker, job: Job) -> RepoRow:
    worker.process.join(5)
    code = worker.process.exitcode
    if code is not None and code < 0:
        try:
            why = f"killed by {signal.Signals(-code).name}"
        except ValueError:
            why = f"killed by signal {-code}"
    else:
        why = f"exit code {code}"
    return failed_row(job, f"the worker process died ({why})")


def timed_out(job: Job, timeout: float) -> RepoRow:
    return failed_row(
        job, f"took longer than the {timeout:g} s limit (--timeout) and was stopped; nothing was linted"
    )


def _collect(worker: _Worker, job: Job) -> RepoRow | None:
    """The row the worker sent; None when it died instead."""
    try:
        row = worker.conn.recv()
    except (EOFError, OSError):
        return None
    except Exception as exc:  # a result that cannot be read back
        return failed_row(job, f"the worker's result could not be read ({one_line(exc)})")
    return row if isinstance(row, RepoRow) else failed_row(job, "the worker sent no row")


def _terminated(signum: int, frame: object) -> None:
    raise KeyboardInterrupt  # ends the run through its cleanup, as Ctrl-C does


def _on_sigterm() -> Any:
    """Install :func:`_terminated` for SIGTERM (main thread only); the handler it replaces, or None."""
    if threading.current_thread() is not threading.main_thread():
        return None
    return signal.signal(signal.SIGTERM, _terminated)


def run_jobs(
    jobs: list[Job], workers: int, progress: bool | None = None, timeout: float = DEFAULT_TIMEOUT
) -> list[RepoRow]:
    """One row per job, in the order of ``jobs``.  ``progress=None``: a bar when stderr is a terminal.

    ``timeout``: seconds of wall-clock time each job may take, counted from when a worker is given it."""
    if progress is None:
        progress = sys.stderr.isatty()
    bar = Progress(len(jobs), sys.stderr) if progress and jobs else None
    rows: list[RepoRow | None] = [None] * len(jobs)
    # the largest first (rows still come back in input order): a big repository started last would
    # leave the other workers idle while it runs alone
    sizes = [_size(job) for job in jobs] if workers > 1 else [0] * len(jobs)
    pending = deque(sorted(enumerate(jobs), key=lambda pair: -sizes[pair[0]]))
    if jobs:
        prepare_workers()
    pool: list[_Worker] = []
    ctx = _context()
    size = max(1, min(workers, len(jobs)))
    # a SIGTERM to the run must not orphan the workers (a hung one would outlive it): clean up first
    previous = _on_sigterm()
    try:
        while pending or any(w.job is not None for w in pool):
            while pending and len(pool) < size:
                pool.append(_spawn(ctx))
            for worker in pool:  # hand out work
                if worker.job is None and pending:
                    worker.index, worker.job = pending.popleft()
                    worker.deadline = time.monotonic() + timeout
                    with contextlib.suppress(OSError):  # it died idle: found dead below
                        worker.conn.send(worker.job)
            busy = [w for w in pool if w.job is not None]
            if not busy:  # cannot happen while jobs remain (every idle worker was just given one)
                break
            handles: list[Connection | int] = []
            for w in busy:
                handles += [w.conn, w.process.sentinel]
            wait(handles, timeout=max(0.0, min(w.deadline for w in busy) - time.monotonic()))
            for worker in busy:
                job = worker.job
                assert job is not None
                alive = worker.process.is_alive()  # first: a row sent before an exit is in the pipe
                row: RepoRow | None
                if worker.conn.poll():
                    row = _collect(worker, job)
                    replace = row is None
                    row = row or _died(worker, job)
                elif not alive:
                    row, replace = _died(worker, job), True
                elif time.monotonic() >= worker.deadline:
                    row, replace = timed_out(job, timeout), True
                else:
                    continue
                rows[worker.index] = row
                worker.index, worker.job = -1, None
                if replace:  # a fresh worker for what is left; this one is killed with its children
                    _kill(worker)
                    pool.remove(worker)
                if bar:
                    bar.tick()
        for worker in pool:
            _stop(worker)
        pool = []
    finally:
        for worker in pool:  # interrupted: leave no process behind
            _kill(worker)
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)
        if bar:
            bar.close()
    return [row if row is not None else failed_row(jobs[i], "no result") for i, row in enumerate(rows)]
