"""Long work (tracing, comparing uploads) off the request thread, with progress.

One worker runs jobs in order: on two cores, running them side by side would
only slow each one. The pages poll `/api/jobs/{id}`.
"""

from __future__ import annotations

import secrets
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from copydesk.errors import CopydeskError

KEEP_JOBS = 200  # jobs kept for their pages and results; past this the oldest goes
MAX_WAITING = 20  # jobs queued behind the running one; past this a new one is refused, not queued


class TimeLimit(CopydeskError):
    """A job ran past its time limit; it stops where it is (what it kept so far stays kept)."""


class Busy(Exception):
    """Too many jobs are waiting: the request is refused (503) instead of queueing work without end."""


@dataclass
class Job:
    id: str
    kind: str
    title: str
    status: str = "queued"  # queued, running, done, failed
    done: int = 0
    total: int = 0
    message: str = ""
    result_url: str | None = None
    result: Any = None  # what the job made (not sent over the API)
    started: float = field(default_factory=time.time)
    finished: float | None = None

    deadline: float | None = None  # time.time() past which the job stops at its next progress report

    def progress(self, done: int, total: int, message: str = "") -> None:
        self.done, self.total = done, total
        if message:
            self.message = message
        if self.deadline is not None and time.time() > self.deadline:
            raise TimeLimit(f"stopped after {self.done} of {self.total}: over the job time limit")

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "kind": self.kind,
            "title": self.title,
            "status": self.status,
            "done": self.done,
            "total": self.total,
            "message": self.message,
            "result_url": self.result_url,
            "seconds": round((self.finished or time.time()) - self.started, 1),
        }


class JobRunner:
    def __init__(self, on_finish: Callable[[Job], None] | None = None, time_limit_s: float | None = None) -> None:
        self._on_finish = on_finish
        self._time_limit_s = time_limit_s
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="copydesk-job")
        self._jobs: OrderedDict[str, Job] = OrderedDict()
        self._lock = threading.Lock()

    def submit(self, kind: str, title: str, work: Callable[[Job], str | None]) -> Job:
        """`work` reports progress on the job and returns the URL of what it made."""
        job = Job(secrets.token_urlsafe(8), kind, title)
        with self._lock:
            waiting = sum(1 for j in self._jobs.values() if j.status == "queued")
            if waiting >= MAX_WAITING:
                raise Busy(f"{waiting} jobs are waiting already; try again when they are done")
            self._jobs[job.id] = job
            while len(self._jobs) > KEEP_JOBS:
                self._jobs.popitem(last=False)
        self._pool.submit(self._run, job, work)
        return job

    def _run(self, job: Job, work: Callable[[Job], str | None]) -> None:
        job.status = "running"
        if self._time_limit_s is not None:
            job.deadline = time.time() + self._time_limit_s
        try:
            job.result_url = work(job)
            job.status = "done"
        except CopydeskError as exc:
            job.status, job.message = "failed", str(exc)
        except Exception as exc:  # a job must never die silently: the page shows why
            job.status, job.message = "failed", f"internal error: {type(exc).__name__}: {exc}"
        finally:
            job.finished = time.time()
            if self._on_finish:
                self._on_finish(job)

    def get(self, job_id: str) -> Job | None:
        with self._lock:
            return self._jobs.get(job_id)

    def shutdown(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)
