"""Workload time loop speed (issue 13): training + inference scheduled on the twin.

Goals: a 30-day run of 1,000 satellites with one training job and one inference service at 60 s
steps in under 1 minute on the 2-core machine; 10,000 satellites for one day. The reference
measured in the same run is the twin alone (``api.simulate(...).run()``) over the same fleet and
days: the ratio says what the scheduler, the links, the users' latency and the jobs add.

The fleet is ``scenarios/starlink-v3-compute.toml`` (its 70B training job and 8B chat service;
the radiation chain's fault rates and the economics' attrition), resized for 10,000 satellites.
One policy (``aware``, no baseline) at the spec's 10-minute cadence.

``--quick``: 1,000 satellites for 3 days, 10,000 satellites skipped.
"""

from __future__ import annotations

import resource
import sys
import time
from pathlib import Path

import orbitaldc
from orbitaldc import api

SPEC = Path(__file__).resolve().parents[1] / "scenarios" / "starlink-v3-compute.toml"
DAY = 86400.0


def _fleet(n_sat: int):
    spec = orbitaldc.load_spec(SPEC)
    return spec.model_copy(
        update={
            "constellation": spec.constellation.model_copy(
                update={"satellites": n_sat, "planes": max(10, n_sat // 100)}
            )
        }
    )


def _time(spec, days: float) -> tuple[float, float, dict]:
    """(workload loop s, twin alone s, workload_run{}) for ``days`` days of ``spec``."""
    run = api.run_workloads(spec, days * DAY, 60.0, baseline="none")
    t0 = time.perf_counter()
    out = run.run()
    loop_s = time.perf_counter() - t0
    sim = api.simulate(spec, days * DAY, 60.0, series_satellites=0)
    t0 = time.perf_counter()
    sim.run()
    twin_s = time.perf_counter() - t0
    return loop_s, twin_s, out


def main(argv: list[str] | None = None) -> None:
    quick = bool(argv and "--quick" in argv)
    # warm the compiled kernels (numba cache) outside the timings
    api.run_workloads(_fleet(100), DAY, 60.0, baseline="none").run()
    days = 3 if quick else 30
    loop_s, twin_s, out = _time(_fleet(1000), days)
    job, svc = out["jobs"][0], out["services"][0]
    print(
        f"1,000 satellites, {days} days at 60 s (10-min decisions): {loop_s:.1f} s "
        f"(twin alone {twin_s:.1f} s, {loop_s / twin_s:.2f}x)"
    )
    print(
        f"  {job['name']}: {job['progress']:.2%} done, {job['interruptions']} interruptions; "
        f"{svc['name']}: {svc['tokens_per_s']:,.0f} tokens/s, SLO {svc['slo_attainment']:.3f}"
    )
    if not quick:
        print(f"goal 30 days of 1,000 satellites < 60 s: {'met' if loop_s < 60 else 'NOT met'}")
        loop_s, twin_s, out = _time(_fleet(10_000), 1)
        print(
            f"10,000 satellites, 1 day: {loop_s:.1f} s (twin alone {twin_s:.1f} s, "
            f"{loop_s / twin_s:.2f}x)"
        )
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0
    print(f"peak memory (max RSS): {peak:,.0f} MB")


if __name__ == "__main__":
    main(sys.argv[1:])
