"""Store a twin run in a folder, chunk by chunk, so that an interrupted run resumes.

The twin (``orbitaldc.twin.simulate``) does no I/O: it yields one chunk per simulated day with the
chunk's series and its *resume state*. :class:`TwinStore` writes each chunk atomically
(``series/chunk_NNNN.parquet``, ``daily.parquet``, ``resume.npz``, then ``resume.json`` last, which
names the chunks done and the run's fingerprint), and hands a stored resume state back only to a
run with the same fingerprint. :func:`run_simulation` is the loop ``orbitaldc simulate`` runs:
api -> chunks -> store -> plots.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from orbitaldc.report.io import write_atomic
from orbitaldc.report.resume_store import ResumeStore
from orbitaldc.twin.simulate import RESUME_KEYS, TwinChunk, TwinPlan, TwinResult


def _parquet(path: Path, frame: Any) -> Path:
    return write_atomic(path, lambda p: frame.to_parquet(p, index=False, engine="pyarrow"))


class TwinStore:
    """A twin run's output folder."""

    def __init__(self, out_dir: str | Path) -> None:
        self.out_dir = Path(out_dir)
        self.resume = ResumeStore(self.out_dir)

    def load_resume(self, plan: TwinPlan) -> tuple[int, dict[str, np.ndarray] | None]:
        """``(chunks_done, resume_state)`` stored for this plan's fingerprint, else ``(0, None)``."""
        done, state = self.resume.load(plan.fingerprint, RESUME_KEYS)
        if state is None:
            return 0, None
        return done, {k: state[k] for k in RESUME_KEYS}

    def write_chunk(self, plan: TwinPlan, chunk: TwinChunk) -> None:
        """Write one finished chunk; the manifest goes last, so a crash leaves the last good one."""
        _parquet(self.out_dir / "series" / f"chunk_{chunk.index:04d}.parquet", chunk.series)
        _parquet(self.out_dir / "daily.parquet", chunk.daily)
        self.resume.save(plan.fingerprint, chunk.chunks_done, plan.n_chunks, chunk.resume_state)

    def write_result(self, result: TwinResult, plots: bool = True) -> list[str]:
        """Write ``satellites.parquet`` and, with ``plots``, the PNG plots; returns the plots."""
        _parquet(self.out_dir / "satellites.parquet", result.satellites)
        if not plots:
            return []
        from orbitaldc.report.twin_report import write_twin_plots

        return write_twin_plots(self.out_dir)


def run_simulation(
    spec: Any,
    duration_s: float,
    step_s: float,
    out_dir: Path,
    progress: Callable[[int, int], None] | None = None,
    resume: bool = True,
    *,
    plots: bool = True,
    **options: Any,
) -> dict[str, Any]:
    """Simulate the fleet of ``spec`` into ``out_dir``; returns the ``twin{}`` dict plus ``files``.

    ``options`` are those of :func:`orbitaldc.api.simulate` (``series_satellites``,
    ``degradation_table``, ``fault_rates_per_chip_s``, ``fault_downtime_s``; the radiation chain
    is off unless ``radiation=True``); ``progress(steps_done, steps_total)`` is called after each
    chunk; a run found in ``out_dir`` with the same inputs is resumed when ``resume`` is true.
    Writes ``series/chunk_NNNN.parquet``, ``daily.parquet``, ``satellites.parquet``, the resume
    state (``resume.npz`` + ``resume.json``) and plots.
    """
    from orbitaldc import api

    sim = api.simulate(spec, duration_s, step_s, **{"radiation": False, **options})
    return store_simulation(sim, out_dir, progress, resume, plots)


def store_simulation(
    sim: Any,
    out_dir: Path,
    progress: Callable[[int, int], None] | None = None,
    resume: bool = True,
    plots: bool = True,
) -> dict[str, Any]:
    """Run ``sim`` (an ``orbitaldc.api.Simulation``) chunk by chunk into ``out_dir``."""
    store = TwinStore(out_dir)
    done, state = store.load_resume(sim.plan) if resume else (0, None)
    if state is None:
        done, state = 0, sim.initial_resume_state()
    for chunk in sim.chunks(state, done):
        store.write_chunk(sim.plan, chunk)
        state = chunk.resume_state
        if progress is not None:
            progress(chunk.steps_done, sim.plan.total_steps)
    result = sim.finish(state)
    return {**result.summary, "files": store.write_result(result, plots)}
