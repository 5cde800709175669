"""Running the jobs: each repository in a process of its own, at most ``workers`` at a time, each under
a wall-clock limit; results in input order.

A worker that raises is already impossible (:func:`lint_target` returns an error row), but a worker
can still hang (a pathological report, a stuck ``git``) or die (out of memory, a signal).  So every
job runs in its own process, in its own process group: a job past its deadline is killed with
everything it started (its ``git`` children too) and becomes a "took longer than" row; a process that
dies becomes a "worker process died" row.  Either way it costs only its own row.  The processes are
forked from the parent, whose imports are already warm, so a fresh process per job costs about a
millisecond.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import signal
import sys
import time
from collections import deque
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from multiprocessing.context import BaseContext
from multiprocessing.process import BaseProcess
from typing import TextIO

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


def _child(conn: Connection, job: Job) -> None:
    """The body of a job's process: lint, send the row back, leave without running any exit handler."""
    if hasattr(os, "setpgid"):
        with contextlib.suppress(OSError):
            os.setpgid(0, 0)  # its own group, so that a kill reaches the git processes it starts
    try:
        row = lint_target(job)
    except BaseException as exc:  # even SystemExit must become this job's row
        row = failed_row(job, one_line(exc))
    try:
        conn.send(row)
    except Exception as exc:  # e.g. a row that cannot be pickled: still a row
        conn.send(failed_row(job, f"the result could not be sent back ({one_line(exc)})"))
    conn.close()
    os._exit(0)


@dataclass
class _Running:
    index: int
    job: Job
    process: BaseProcess
    conn: Connection
    deadline: float
    grouped: bool  # the process leads its own process group


def _start(ctx: BaseContext, index: int, job: Job, timeout: float) -> _Running:
    reader, writer = ctx.Pipe(duplex=False)
    process = ctx.Process(target=_child, args=(writer, job), daemon=True)  # type: ignore[attr-defined]
    process.start()
    writer.close()  # the child holds the only writer: its death is an EOF here
    grouped = False
    if hasattr(os, "setpgid") and process.pid is not None:
        try:  # also from this side, so the group exists before any kill (no race with the child)
            os.setpgid(process.pid, process.pid)
            grouped = True
        except OSError:  # it already exited (or is already its own leader)
            grouped = _leads_group(process.pid)
    return _Running(index, job, process, reader, time.monotonic() + timeout, grouped)


def _leads_group(pid: int) -> bool:
    try:
        return os.getpgid(pid) == pid
    except OSError:
        return False


def _kill(running: _Running) -> None:
    """The job's process and everything it started; then reap it."""
    pid = running.process.pid
    if pid is not None:
        try:
            if running.grouped and hasattr(os, "killpg"):
                os.killpg(pid, signal.SIGKILL)
            else:
                running.process.kill()
        except OSError:  # already gone
            pass
    running.process.join(5)
    running.conn.close()


def _died(running: _Running) -> RepoRow:
    running.process.join(5)
    code = running.process.exitcode
    if code is not None and code < 0:
        try:
            why = f"killed by {signal.Signals(-code).name}"
        except ValueError:
            why = f"killed by signal {-code}"
    else:
        why = f"exit code {code}"
    return failed_row(running.job, f"the worker process died ({why})")


def timed_out(job: Job, timeout: float) -> RepoRow:
    return failed_row(
        job, f"took longer than the {timeout:g} s limit (--timeout) and was stopped; nothing was linted"
    )


def _collect(running: _Running) -> RepoRow:
    try:
        row = running.conn.recv()
    except (EOFError, OSError):
        return _died(running)
    except Exception as exc:  # a result that cannot be read back
        return failed_row(running.job, f"the worker's result could not be read ({one_line(exc)})")
    return row if isinstance(row, RepoRow) else failed_row(running.job, "the worker sent no row")


def run_jobs(
    jobs: list[Job], workers: int, progress: bool | None = None, timeout: float = DEFAULT_TIMEOUT
) -> list[RepoRow]:
    """One row per job, in the order of ``jobs``.  ``progress=None``: a bar when stderr is a terminal.

    ``timeout``: seconds of wall-clock time each job may take, counted from its process's start."""
    if progress is None:
        progress = sys.stderr.isatty()
    bar = Progress(len(jobs), sys.stderr) if progress and jobs else None
    rows: list[RepoRow | None] = [None] * len(jobs)
    pending = deque(enumerate(jobs))
    running: dict[int, _Running] = {}
    ctx = _context()
    workers = max(1, workers)
    try:
        while pending or running:
            while pending and len(running) < workers:
                index, job = pending.popleft()
                running[index] = _start(ctx, index, job, timeout)
            soonest = min(r.deadline for r in running.values())
            handles: list[Connection | int] = []
            for r in running.values():
                handles += [r.conn, r.process.sentinel]
            wait(handles, timeout=max(0.0, soonest - time.monotonic()))
            for index, r in list(running.items()):
                alive = r.process.is_alive()  # first: a row sent before the exit is then in the pipe
                if r.conn.poll():  # a row (or the EOF of a death) is waiting
                    rows[index] = _collect(r)
                elif not alive:
                    rows[index] = _died(r)
                elif time.monotonic() >= r.deadline:
                    rows[index] = timed_out(r.job, timeout)
                else:
                    continue
                _kill(r)  # reaps the process; also ends any git child it left behind
                del running[index]
                if bar:
                    bar.tick()
    finally:
        for r in running.values():  # interrupted: leave no process behind
            _kill(r)
        if bar:
            bar.close()
    return [row if row is not None else failed_row(jobs[i], "no result") for i, row in enumerate(rows)]
