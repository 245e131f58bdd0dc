"""Studies at scale (issue 14): a 10^8-design sweep on a Dask LocalCluster, and the twin of a
100,000-satellite fleet split by satellite blocks across LocalCluster workers.

Issue goals: a 100-million-design sweep through a Dask LocalCluster with peak memory under 2 GB
(the whole process tree: this process, the scheduler, nannies and workers); a twin of 100,000
satellites for one day split across LocalCluster workers, its scaling reported against one
process.

Figures printed, each against a reference measured in the same run:

- the sweep: a 10,000 x 10,000 grid (launch price x satellite hardware cost per W of Starlink
  V3 compute), every design closed and its cost ratio, mass and verdict streamed to a Parquet
  dataset chunk by chunk (``orbitaldc.report.study_store``); designs/s on the cluster against
  the closure's batch path in this one process on one chunk, and the peak memory of the process
  tree (sampled every 50 ms with psutil);
- the split twin: wall time of one process (numba over both cores) against LocalCluster workers
  (one numba thread each) running satellite blocks, with the fleet aggregates checked equal.

``--quick``: a 2,000 x 1,000 grid and 10,000 satellites.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import sys
import tempfile
import threading
import time
from pathlib import Path

import psutil

import orbitaldc
from orbitaldc import study
from orbitaldc.report.study_store import ParquetSink
from orbitaldc.study import studies
from orbitaldc.study.fleet import simulate_blocks
from orbitaldc.study.runner import evaluate_chunk
from orbitaldc.study.spec import parse_study

ROOT = Path(__file__).resolve().parents[1]
SPEC = ROOT / "scenarios" / "starlink-v3-compute.toml"
#: Designs per chunk of the sweep (the closure runs them in slices of ``engines.BATCH``).
CHUNK = 1_000_000
MEMORY_GOAL_BYTES = 2e9
WORKERS = 2


class TreeMemory:
    """Peak resident memory of this process and all its descendants, sampled in a thread."""

    def __init__(self, period_s: float = 0.05) -> None:
        self.period_s = period_s
        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        me = psutil.Process()
        while not self._stop.is_set():
            total = 0
            for p in [me, *me.children(recursive=True)]:
                try:
                    total += p.memory_info().rss
                except psutil.Error:
                    pass
            self.peak = max(self.peak, total)
            time.sleep(self.period_s)

    def __enter__(self) -> TreeMemory:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


def _grid_study(nx: int, ny: int) -> study.Study:
    design = orbitaldc.load_spec(SPEC)
    data = {
        "study": {
            "name": "bench-sweep",
            "design": str(SPEC),
            "chunk": CHUNK,
            "outputs": ["space_to_ground_cost_ratio", "mass_kg", "closes"],
        },
        "parameter": [
            {
                "path": "launch.price_per_kg",
                "low": "10 USD/kg",
                "high": "5000 USD/kg",
                "points": nx,
                "scale": "log",
            },
            {
                "path": "satellite.cost_per_watt",
                "low": "0.3 USD/W",
                "high": "300 USD/W",
                "points": ny,
                "scale": "log",
            },
        ],
    }
    return parse_study(data, design)


def bench_sweep(nx: int, ny: int) -> None:
    s = _grid_study(nx, ny)
    plan = studies.sweep_plan(s)
    evaluate_chunk(plan, 0)  # compile and warm the caches
    start = time.perf_counter()
    evaluate_chunk(plan, 1)
    one_rate = min(CHUNK, plan.rows - CHUNK) / (time.perf_counter() - start)
    out = Path(tempfile.mkdtemp(prefix="bench_study_"))
    try:
        with TreeMemory() as memory, study.executor("local", WORKERS) as ex:
            start = time.perf_counter()
            result = study.sweep(s, ParquetSink(out), ex)
            elapsed = time.perf_counter() - start
        on_disk = sum(p.stat().st_size for p in (out / "rows").glob("*.parquet"))
    finally:
        shutil.rmtree(out, ignore_errors=True)
    rate = plan.rows / elapsed
    print(
        f"sweep of {plan.rows:,} designs ({nx:,} x {ny:,} grid, {plan.n_chunks} chunks) on a "
        f"LocalCluster of {WORKERS} workers: {elapsed:.1f} s, {rate:,.0f} designs/s "
        f"({rate / one_rate:.2f}x this process alone, {one_rate:,.0f} designs/s on one chunk); "
        f"Parquet {on_disk / 1e9:.2f} GB"
    )
    print(
        f"  peak memory of the process tree {memory.peak / 1e9:.2f} GB "
        f"(goal < {MEMORY_GOAL_BYTES / 1e9:.2f} GB: "
        f"{'met' if memory.peak < MEMORY_GOAL_BYTES else 'NOT met'}); "
        f"P(space beats ground) {result.digest['p_space_beats_ground']:.4f}"
    )


def _fleet(n_sat: int):
    spec = orbitaldc.load_spec(SPEC)
    return spec.model_copy(
        update={
            "constellation": spec.constellation.model_copy(
                update={"satellites": n_sat, "planes": 100}
            ),
            "mission": spec.mission.model_copy(update={"start": dt.date(2027, 6, 1)}),
        }
    )


def bench_split_twin(n_sat: int) -> None:
    sim = orbitaldc.simulate(_fleet(n_sat), 86400.0, 60.0, series_satellites=0)
    simulate_blocks(sim, 1)  # compile and warm the caches in this process
    start = time.perf_counter()
    one = sim.run()
    one_s = time.perf_counter() - start
    with study.executor("local", WORKERS) as ex:
        simulate_blocks(sim, WORKERS, ex)  # the workers load their kernels
        start = time.perf_counter()
        split = simulate_blocks(sim, 2 * WORKERS, ex)
        split_s = time.perf_counter() - start
    same = split.result.summary == one.summary
    print(
        f"twin of {n_sat:,} satellites for one day (60 s steps): one process "
        f"({os.cpu_count()} numba threads) {one_s:.1f} s; LocalCluster of {WORKERS} workers, "
        f"{2 * WORKERS} satellite blocks {split_s:.1f} s: scaling {one_s / split_s:.2f}x; "
        f"fleet aggregates {'equal' if same else 'DIFFER'}"
    )


def main(argv: list[str] | None = None) -> None:
    argv = sys.argv[1:] if argv is None else argv
    quick = "--quick" in argv
    print(f"orbitaldc.study on {os.cpu_count()} cores ({'quick' if quick else 'full'} run)")
    bench_sweep(*((2_000, 1_000) if quick else (10_000, 10_000)))
    bench_split_twin(10_000 if quick else 100_000)


if __name__ == "__main__":
    main()
