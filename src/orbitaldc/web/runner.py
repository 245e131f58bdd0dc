"""Run queued jobs in worker processes, watch them, and pick up the ones a restart left behind.

Each job runs in its own process (``python -m orbitaldc.web.worker DATA_DIR JOB_ID``), so a long
twin never stalls the server and a job can be stopped (cancel, time limit) by ending its process.
The worker holds an exclusive lock on ``JOB/lock`` while it runs; a ``running`` job whose lock
is free has lost its worker (server restart, kill -9, out of memory): :meth:`Runner.tick` puts
it back in the queue and its next worker resumes from the job folder's resume state. A job that
loses its worker :data:`MAX_ATTEMPTS` times fails.
"""

from __future__ import annotations

import fcntl
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

from orbitaldc.web.jobs import Limits
from orbitaldc.web.store import Store

#: How many times a job is started before a lost worker fails it.
MAX_ATTEMPTS = 3
DB_NAME = "orbitaldc.sqlite"


def job_folder(data_dir: Path, job_id: str) -> Path:
    """The folder of a job (``job_id`` is a store id: 32 hex digits, checked by the caller)."""
    return Path(data_dir) / "jobs" / job_id


def lock_held(folder: Path) -> bool:
    """True when a worker holds the job folder's lock."""
    path = folder / "lock"
    if not path.exists():
        return False
    with open(path, "a") as f:
        try:
            fcntl.flock(f, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            return True
        fcntl.flock(f, fcntl.LOCK_UN)
    return False


def _log_tail(folder: Path, lines: int = 8) -> str:
    path = folder / "worker.log"
    if not path.exists():
        return ""
    return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])


class Runner:
    """Starts up to ``workers`` job processes at a time from ``store``'s queue."""

    def __init__(
        self, store: Store, data_dir: Path, limits: Limits, workers: int = 1, poll_s: float = 0.2
    ) -> None:
        self.store = store
        self.data_dir = Path(data_dir)
        self.limits = limits
        self.workers = workers
        self.poll_s = poll_s
        self._procs: dict[str, subprocess.Popen] = {}
        self._cancelled: set[str] = set()
        self._timed_out: set[str] = set()
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        """Watch the queue in a background thread."""
        self._stop.clear()
        self._thread = threading.Thread(target=self._loop, name="orbitaldc-jobs", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        """Stop watching and end this runner's workers; their jobs stay ``running`` and resume
        when a runner next starts."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=10)
        with self._lock:
            for proc in self._procs.values():
                proc.terminate()
            for proc in self._procs.values():
                try:
                    proc.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    proc.kill()
            self._procs.clear()

    def _loop(self) -> None:
        while not self._stop.is_set():
            self.tick()
            self._stop.wait(self.poll_s)

    def cancel(self, job_id: str) -> bool:
        """Cancel a queued or running job; False when it had already finished."""
        job = self.store.get_job(job_id)
        if job is None or job.state not in ("queued", "running"):
            return False
        with self._lock:
            proc = self._procs.get(job_id)
            if proc is not None:
                self._cancelled.add(job_id)
                proc.kill()
                return True
        if job.state == "running" and job.pid and lock_held(job_folder(self.data_dir, job_id)):
            os.kill(job.pid, signal.SIGKILL)
        self.store.finish(job_id, "cancelled")
        return True

    def tick(self) -> None:
        """Reap finished workers, enforce the time limit, requeue orphans, start queued jobs."""
        with self._lock:
            self._reap()
            self._adopt_orphans()
            while len(self._procs) < self.workers:
                job = self.store.claim_next()
                if job is None:
                    break
                self._spawn(job.id)

    def _spawn(self, job_id: str) -> None:
        folder = job_folder(self.data_dir, job_id)
        folder.mkdir(parents=True, exist_ok=True)
        with open(folder / "worker.log", "ab") as log:
            proc = subprocess.Popen(
                [sys.executable, "-m", "orbitaldc.web.worker", str(self.data_dir), job_id],
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
            )
        self._procs[job_id] = proc
        self.store.set_pid(job_id, proc.pid)

    def _reap(self) -> None:
        now = time.time()
        for job_id, proc in list(self._procs.items()):
            job = self.store.get_job(job_id)
            code = proc.poll()
            if code is None:
                started = job.started if job is not None else None
                if started is not None and now - started > self.limits.time_limit_s:
                    self._timed_out.add(job_id)
                    proc.kill()
                continue
            del self._procs[job_id]
            if job is None or job.state != "running":
                continue
            folder = job_folder(self.data_dir, job_id)
            if job_id in self._cancelled:
                self.store.finish(job_id, "cancelled")
            elif job_id in self._timed_out:
                self.store.finish(
                    job_id, "failed", error=f"time limit of {self.limits.time_limit_s:g} s reached"
                )
            elif code < 0 and job.attempts < MAX_ATTEMPTS:
                self.store.requeue(job_id, f"worker ended by signal {-code}; resuming")
            else:
                self.store.finish(
                    job_id, "failed", error=f"worker exited with {code}\n{_log_tail(folder)}"
                )

    def _adopt_orphans(self) -> None:
        """Running jobs with no worker of this runner: requeue the ones whose worker is gone."""
        now = time.time()
        for job in self.store.list_jobs(("running",)):
            if job.id in self._procs:
                continue
            folder = job_folder(self.data_dir, job.id)
            if lock_held(folder):
                if job.started is not None and now - job.started > self.limits.time_limit_s:
                    if job.pid:
                        os.kill(job.pid, signal.SIGKILL)
                    self.store.finish(
                        job.id, "failed", error=f"time limit of {self.limits.time_limit_s:g} s"
                    )
                continue
            if job.attempts >= MAX_ATTEMPTS:
                self.store.finish(job.id, "failed", error=f"lost its worker {job.attempts} times")
            else:
                self.store.requeue(job.id, "resuming after its worker stopped")
