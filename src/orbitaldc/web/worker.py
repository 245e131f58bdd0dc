"""One job's worker process: ``python -m orbitaldc.web.worker DATA_DIR JOB_ID``.

Takes the job folder's lock (a second worker of the same job exits at once), reads the spec the
server saved in the folder, runs the job's kind (:data:`orbitaldc.web.jobs.KINDS`) with progress
written to the store, and records ``done`` with the kind's result or ``failed`` with the error.
A worker that is killed records nothing: the runner sees the lock free and requeues the job,
whose next worker resumes from the folder.
"""

from __future__ import annotations

import fcntl
import os
import sys
import traceback
from pathlib import Path

from orbitaldc.web.jobs import KINDS, Context
from orbitaldc.web.runner import DB_NAME, job_folder
from orbitaldc.web.specs import parse_text
from orbitaldc.web.store import Store

#: Exit code of a worker that found another one running the job.
BUSY = 3


def spec_file(folder: Path) -> tuple[Path, str]:
    """The spec the server saved in a job folder, and its format."""
    for fmt in ("toml", "json"):
        path = folder / f"spec.{fmt}"
        if path.exists():
            return path, fmt
    raise FileNotFoundError(f"no spec in {folder}")


def run_job(data_dir: Path, job_id: str) -> int:
    """Run one job to its end; returns the process exit code."""
    store = Store(Path(data_dir) / DB_NAME)
    job = store.get_job(job_id)
    if job is None or job.state != "running":
        return 0
    folder = job_folder(data_dir, job_id)
    with open(folder / "lock", "a") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            return BUSY
        store.set_pid(job_id, os.getpid())
        try:
            path, fmt = spec_file(folder)
            text = path.read_text(encoding="utf-8")
            kind = KINDS[job.kind]
            context = Context(
                spec=parse_text(text, fmt, job.spec_name),
                params=kind.params.model_validate(job.params),
                folder=folder,
                spec_text=text,
                progress=lambda fraction, message="": store.set_progress(job_id, fraction, message),
            )
            result = kind.run(context)
        except Exception as exc:
            traceback.print_exc()
            store.finish(job_id, "failed", error=f"{type(exc).__name__}: {exc}")
            return 1
        store.finish(job_id, "done", result=result)
    return 0


def main() -> None:
    """Entry point of the worker process."""
    sys.exit(run_job(Path(sys.argv[1]), sys.argv[2]))


if __name__ == "__main__":
    main()
