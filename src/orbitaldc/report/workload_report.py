"""Store a workload run chunk by chunk (resumable) and draw its timelines.

``orbitaldc workload`` runs :func:`orbitaldc.api.run_workloads` through :func:`store_workloads`:
each policy's run goes to its own folder (``OUT/<policy>/``) with its resume state written
atomically after every simulated day (``resume.npz``, then ``resume.json`` naming the chunks done
and the run's fingerprint), so an interrupted run resumes from its last finished day. At the end
each folder gets ``timeline.parquet`` (one row per scheduler decision) and ``events.parquet``
(checkpoints, interruptions, restarts, re-shards), and ``OUT`` the plots: utilisation, job
progress and the fault/restart timeline, each policy against the baseline.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from orbitaldc.report.io import write_atomic
from orbitaldc.report.resume_store import ResumeStore
from orbitaldc.workload import execution, jobs
from orbitaldc.workload.plan import WorkloadPlan, timeline_columns


def _parquet(path: Path, frame: pd.DataFrame) -> Path:
    return write_atomic(path, lambda p: frame.to_parquet(p, index=False, engine="pyarrow"))


class WorkloadStore:
    """One policy's run folder."""

    def __init__(self, folder: Path) -> None:
        self.folder = Path(folder)
        self.resume = ResumeStore(self.folder)

    def load(self, plan: WorkloadPlan) -> tuple[int, dict[str, np.ndarray] | None]:
        """``(chunks_done, resume_state)`` stored for this plan's fingerprint, else ``(0, None)``."""
        return self.resume.load(plan.fingerprint)

    def write(self, plan: WorkloadPlan, chunk: execution.WorkloadChunk) -> None:
        """Write a finished day: the state first, the manifest last."""
        self.resume.save(
            plan.fingerprint, chunk.chunks_done, plan.twin.n_chunks, chunk.resume_state
        )

    def write_tables(self, plan: WorkloadPlan, state: Mapping[str, np.ndarray]) -> None:
        """``timeline.parquet`` and ``events.parquet`` of the finished run."""
        _parquet(self.folder / "timeline.parquet", timeline_frame(plan, state))
        _parquet(self.folder / "events.parquet", events_frame(plan, state))


def timeline_frame(plan: WorkloadPlan, state: Mapping[str, np.ndarray]) -> pd.DataFrame:
    """The per-decision timeline as a table (:func:`orbitaldc.workload.plan.timeline_columns`)."""
    return pd.DataFrame(state["timeline"], columns=timeline_columns(plan))


def events_frame(plan: WorkloadPlan, state: Mapping[str, np.ndarray]) -> pd.DataFrame:
    """Job events: time (s since J2000), job name and kind."""
    ev = np.asarray(state["events"]).reshape(-1, 3)
    names = {j.index: j.name for j in plan.jobs}
    return pd.DataFrame(
        {
            "t_s": ev[:, 0],
            "job": [names[int(i)] for i in ev[:, 1]],
            "event": [jobs.EVENTS[int(k)] for k in ev[:, 2]],
        }
    )


def store_workloads(
    run: Any,
    out_dir: Path,
    progress: Callable[[int, int], None] | None = None,
    resume: bool = True,
    plots: bool = True,
) -> tuple[dict[str, Any], list[str]]:
    """Run every policy of ``run`` (an ``orbitaldc.api.WorkloadRun``) into ``out_dir``, day by
    day, resuming what a previous call left; returns ``workload_run{}`` and the files written."""
    states = {}
    total = sum(p.twin.n_chunks for p in run.plans.values())
    finished = 0
    for name, plan in run.plans.items():
        store = WorkloadStore(Path(out_dir) / name)
        done, state = store.load(plan) if resume else (0, None)
        if state is None:
            done, state = 0, execution.initial_resume_state(plan)
        finished += done
        for chunk in run.chunks(name, state, done):
            store.write(plan, chunk)
            state = chunk.resume_state
            finished += 1
            if progress is not None:
                progress(finished, total)
        store.write_tables(plan, state)
        states[name] = state
    block = run.finish(states)
    files = write_workload_plots(run, states, Path(out_dir)) if plots else []
    return block, files


def _save(fig: Any, path: Path, written: list[str]) -> None:
    import matplotlib.pyplot as plt

    write_atomic(path, lambda p: fig.savefig(p, dpi=110, format="png"))
    plt.close(fig)
    written.append(str(path))


def write_workload_plots(
    run: Any, states: Mapping[str, Mapping[str, np.ndarray]], out_dir: Path
) -> list[str]:
    """``workload_utilisation.png``, ``workload_progress.png`` and ``workload_faults.png``."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    written = []
    frames = {n: timeline_frame(run.plans[n], s) for n, s in states.items()}
    events = {n: events_frame(run.plans[n], s) for n, s in states.items()}
    start = next(iter(run.plans.values())).twin.start_s
    styles = {name: ("-" if i == 0 else "--") for i, name in enumerate(states)}

    def days(t: Any) -> Any:
        return (np.asarray(t) - start) / 86400.0

    plan = next(iter(run.plans.values()))
    fig, axes = plt.subplots(2, 1, figsize=(9, 6), sharex=True)
    for name, f in frames.items():
        axes[0].plot(days(f["t_s"]), f["fleet_compute_fraction"], styles[name], label=name)
        for s in plan.services:
            arrival, served = f[f"{s.name}:arrival_rps"], f[f"{s.name}:served_rps"]
            axes[1].plot(days(f["t_s"]), served, styles[name], label=f"{s.name} served ({name})")
            if name == next(iter(frames)):
                axes[1].plot(days(f["t_s"]), arrival, ":", color="grey", label=f"{s.name} arrivals")
    axes[0].set_ylabel("fleet compute delivered\n(fraction of nameplate)")
    axes[0].legend(fontsize=8)
    axes[1].set_ylabel("requests/s")
    axes[1].set_xlabel("days")
    if plan.services:
        axes[1].legend(fontsize=8)
    axes[0].set_title(
        "Utilisation (twin kernel with the scheduler's demand; docs/workloads.md)", fontsize=10
    )
    fig.tight_layout()
    _save(fig, out_dir / "workload_utilisation.png", written)

    if plan.jobs:
        fig, ax = plt.subplots(figsize=(9, 4))
        for name, f in frames.items():
            for j in plan.jobs:
                ax.plot(
                    days(f["t_s"]),
                    f[f"{j.name}:tokens"] / j.tokens,
                    styles[name],
                    label=f"{j.name} ({name})",
                )
        ax.set_xlabel("days")
        ax.set_ylabel("fraction of training tokens done")
        ax.set_title("Training progress (checkpoint/restart, Young-Daly interval)", fontsize=10)
        ax.legend(fontsize=8)
        fig.tight_layout()
        _save(fig, out_dir / "workload_progress.png", written)

        fig, ax = plt.subplots(figsize=(9, 3.5))
        kinds = list(jobs.EVENTS)
        for i, (name, ev) in enumerate(events.items()):
            if ev.empty:
                continue
            y = np.array([kinds.index(k) for k in ev["event"]]) + (0.15 if i else -0.15)
            ax.scatter(days(ev["t_s"]), y, s=8, marker="|" if i else "o", label=name)
        ax.set_yticks(range(len(kinds)), kinds)
        ax.set_xlabel("days")
        ax.set_title("Faults, checkpoints and restarts of the training jobs", fontsize=10)
        ax.legend(fontsize=8)
        fig.tight_layout()
        _save(fig, out_dir / "workload_faults.png", written)
    return written
