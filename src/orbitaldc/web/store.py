"""The web app's embedded SQLite store: uploaded specs and background jobs.

One file (``DATA_DIR/orbitaldc.sqlite``, WAL journal) that the server and its job workers (other
processes) share; every call opens its own connection, so any thread or process may call it.
Jobs move ``queued -> running -> done | failed | cancelled``; a running job whose worker died
goes back to ``queued`` (:meth:`Store.requeue`) and its worker resumes from the resume state in
the job's folder. Ids are random hex (:func:`new_id`); nothing here builds a file path.
"""

from __future__ import annotations

import json
import math
import numbers
import secrets
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

#: Job states; the last three are final.
STATES = ("queued", "running", "done", "failed", "cancelled")
FINAL = ("done", "failed", "cancelled")

SCHEMA = """
CREATE TABLE IF NOT EXISTS specs (
    id TEXT PRIMARY KEY, name TEXT NOT NULL, format TEXT NOT NULL, text TEXT NOT NULL,
    created REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS jobs (
    id TEXT PRIMARY KEY, kind TEXT NOT NULL, spec_id TEXT NOT NULL, spec_name TEXT NOT NULL,
    params TEXT NOT NULL, state TEXT NOT NULL, progress REAL NOT NULL DEFAULT 0,
    message TEXT NOT NULL DEFAULT '', error TEXT, result TEXT, pid INTEGER,
    attempts INTEGER NOT NULL DEFAULT 0, created REAL NOT NULL, started REAL, finished REAL
);
CREATE INDEX IF NOT EXISTS jobs_state ON jobs (state, created);
"""


def json_safe(value: Any) -> Any:
    """``value`` with every non-finite float replaced by None (JSON has no NaN) and numpy
    scalars and tuples made plain."""
    if isinstance(value, dict):
        return {str(k): json_safe(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [json_safe(v) for v in value]
    if isinstance(value, bool) or value is None or isinstance(value, str | int):
        return value
    if isinstance(value, np.bool_):
        return bool(value)
    if isinstance(value, numbers.Integral):
        return int(value)
    if isinstance(value, numbers.Real):
        f = float(value)
        return f if math.isfinite(f) else None
    return value


def new_id() -> str:
    """A random job id: 32 hex digits."""
    return secrets.token_hex(16)


@dataclass(frozen=True)
class Job:
    """One background job as stored."""

    id: str
    kind: str
    spec_id: str
    spec_name: str
    params: dict[str, Any]
    state: str
    progress: float
    message: str
    error: str | None
    result: dict[str, Any] | None
    pid: int | None
    attempts: int
    created: float
    started: float | None
    finished: float | None

    def public(self) -> dict[str, Any]:
        """The job as the API shows it (no process id)."""
        return {
            "id": self.id,
            "kind": self.kind,
            "spec": self.spec_id,
            "spec_name": self.spec_name,
            "params": self.params,
            "state": self.state,
            "progress": self.progress,
            "message": self.message,
            "error": self.error,
            "result": self.result,
            "attempts": self.attempts,
            "created": self.created,
            "started": self.started,
            "finished": self.finished,
        }


def _job(row: sqlite3.Row) -> Job:
    return Job(
        id=row["id"],
        kind=row["kind"],
        spec_id=row["spec_id"],
        spec_name=row["spec_name"],
        params=json.loads(row["params"]),
        state=row["state"],
        progress=row["progress"],
        message=row["message"],
        error=row["error"],
        result=json.loads(row["result"]) if row["result"] else None,
        pid=row["pid"],
        attempts=row["attempts"],
        created=row["created"],
        started=row["started"],
        finished=row["finished"],
    )


class Store:
    """Specs and jobs in one SQLite file."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self._db() as db:
            db.execute("PRAGMA journal_mode=WAL")
            db.executescript(SCHEMA)

    @contextmanager
    def _db(self) -> Iterator[sqlite3.Connection]:
        db = sqlite3.connect(self.path, timeout=30.0, isolation_level=None)
        db.row_factory = sqlite3.Row
        try:
            yield db
        finally:
            db.close()

    # specs
    def put_spec(self, spec_id: str, name: str, fmt: str, text: str) -> None:
        """Store an uploaded spec's text (the id is its digest: storing it twice is a no-op)."""
        with self._db() as db:
            db.execute(
                "INSERT OR IGNORE INTO specs (id, name, format, text, created) VALUES (?,?,?,?,?)",
                (spec_id, name, fmt, text, time.time()),
            )

    def get_spec(self, spec_id: str) -> dict[str, Any] | None:
        with self._db() as db:
            row = db.execute("SELECT * FROM specs WHERE id = ?", (spec_id,)).fetchone()
        return dict(row) if row else None

    def list_specs(self) -> list[dict[str, Any]]:
        with self._db() as db:
            rows = db.execute(
                "SELECT id, name, format, created FROM specs ORDER BY created"
            ).fetchall()
        return [dict(r) for r in rows]

    # jobs
    def create_job(
        self,
        kind: str,
        spec_id: str,
        spec_name: str,
        params: dict[str, Any],
        job_id: str | None = None,
    ) -> Job:
        """Queue a job (``job_id`` when its folder was made first, else a new id)."""
        job_id = job_id or new_id()
        with self._db() as db:
            db.execute(
                "INSERT INTO jobs (id, kind, spec_id, spec_name, params, state, created) "
                "VALUES (?,?,?,?,?,?,?)",
                (job_id, kind, spec_id, spec_name, json.dumps(params), "queued", time.time()),
            )
        job = self.get_job(job_id)
        assert job is not None
        return job

    def get_job(self, job_id: str) -> Job | None:
        with self._db() as db:
            row = db.execute("SELECT * FROM jobs WHERE id = ?", (job_id,)).fetchone()
        return _job(row) if row else None

    def list_jobs(self, states: tuple[str, ...] = STATES, limit: int = 200) -> list[Job]:
        marks = ",".join("?" * len(states))
        with self._db() as db:
            rows = db.execute(
                f"SELECT * FROM jobs WHERE state IN ({marks}) ORDER BY created DESC LIMIT ?",
                (*states, limit),
            ).fetchall()
        return [_job(r) for r in rows]

    def claim_next(self) -> Job | None:
        """Move the oldest queued job to ``running`` and return it (None when none waits)."""
        with self._db() as db:
            db.execute("BEGIN IMMEDIATE")
            row = db.execute(
                "SELECT id FROM jobs WHERE state = 'queued' ORDER BY created LIMIT 1"
            ).fetchone()
            if row is None:
                db.execute("COMMIT")
                return None
            db.execute(
                "UPDATE jobs SET state = 'running', started = COALESCE(started, ?), "
                "attempts = attempts + 1 WHERE id = ?",
                (time.time(), row["id"]),
            )
            db.execute("COMMIT")
        return self.get_job(row["id"])

    def set_pid(self, job_id: str, pid: int | None) -> None:
        with self._db() as db:
            db.execute("UPDATE jobs SET pid = ? WHERE id = ?", (pid, job_id))

    def set_progress(self, job_id: str, progress: float, message: str = "") -> None:
        with self._db() as db:
            db.execute(
                "UPDATE jobs SET progress = ?, message = ? WHERE id = ? AND state = 'running'",
                (float(progress), message, job_id),
            )

    def finish(
        self,
        job_id: str,
        state: str,
        *,
        error: str | None = None,
        result: dict[str, Any] | None = None,
    ) -> None:
        """Give a job its final state (``done``, ``failed`` or ``cancelled``)."""
        if state not in FINAL:
            raise ValueError(f"{state!r} is not a final job state ({', '.join(FINAL)})")
        with self._db() as db:
            db.execute(
                "UPDATE jobs SET state = ?, error = ?, result = ?, finished = ?, pid = NULL, "
                "progress = CASE WHEN ? = 'done' THEN 1.0 ELSE progress END "
                "WHERE id = ? AND state IN ('queued', 'running')",
                (
                    state,
                    error,
                    json.dumps(json_safe(result), allow_nan=False) if result is not None else None,
                    time.time(),
                    state,
                    job_id,
                ),
            )

    def requeue(self, job_id: str, message: str) -> None:
        """Put a running job whose worker died back in the queue (it resumes when it runs)."""
        with self._db() as db:
            db.execute(
                "UPDATE jobs SET state = 'queued', pid = NULL, message = ? "
                "WHERE id = ? AND state = 'running'",
                (message, job_id),
            )

    def count(self, states: tuple[str, ...]) -> int:
        marks = ",".join("?" * len(states))
        with self._db() as db:
            return int(
                db.execute(
                    f"SELECT COUNT(*) FROM jobs WHERE state IN ({marks})", states
                ).fetchone()[0]
            )
