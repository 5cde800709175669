"""Running the jobs: in-process for one job at a time, else a process pool; results in input order.

A worker that raises is already impossible (:func:`lint_target` returns an error row), but a worker
process can still die (out of memory, a signal).  Jobs caught in a broken pool are run again, each in
a fresh process of its own, so one repository that kills its process costs only its own row.
"""

from __future__ import annotations

import os
import sys
import time
from concurrent.futures import Future, ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from typing import TextIO

from report_lint.batch.rows import RepoRow
from report_lint.batch.worker import Job, lint_target, one_line


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


def _crashed(job: Job, why: str) -> RepoRow:
    return RepoRow(
        path=job.target.display,
        folder_group=job.target.folder_group,
        report=job.report,
        error=f"the worker process died ({why})",
    )


def _isolated(job: Job) -> RepoRow:
    with ProcessPoolExecutor(max_workers=1) as pool:
        try:
            return pool.submit(lint_target, job).result()
        except BrokenProcessPool as exc:
            return _crashed(job, one_line(exc))


def run_jobs(jobs: list[Job], workers: int, progress: bool | None = None) -> list[RepoRow]:
    """One row per job, in the order of ``jobs``.  ``progress=None``: a bar when stderr is a terminal."""
    if progress is None:
        progress = sys.stderr.isatty()
    bar = Progress(len(jobs), sys.stderr) if progress and jobs else None
    rows: list[RepoRow | None] = [None] * len(jobs)
    try:
        if workers <= 1 or len(jobs) <= 1:
            for i, job in enumerate(jobs):
                rows[i] = lint_target(job)
                if bar:
                    bar.tick()
        else:
            retry: list[int] = []
            with ProcessPoolExecutor(max_workers=min(workers, len(jobs))) as pool:
                futures: dict[Future[RepoRow], int] = {
                    pool.submit(lint_target, j): i for i, j in enumerate(jobs)
                }
                for future in as_completed(futures):
                    i = futures[future]
                    try:
                        rows[i] = future.result()
                    except BrokenProcessPool:
                        retry.append(i)
                        continue
                    except Exception as exc:  # e.g. a result that could not be sent back
                        rows[i] = _crashed(jobs[i], one_line(exc))
                    if bar:
                        bar.tick()
            for i in sorted(retry):
                rows[i] = _isolated(jobs[i])
                if bar:
                    bar.tick()
    finally:
        if bar:
            bar.close()
    return [row if row is not None else _crashed(jobs[i], "no result") for i, row in enumerate(rows)]
