"""Closure throughput: designs/s of evaluate_batch against N calls of the scalar evaluate().

Goal (issue 14): >= 1,000,000 designs/s on the 2-core reference machine. The reference measured in
the same run is the scalar path (one ``orbitaldc.evaluate`` call per design).

A study calls ``evaluate_batch`` chunk after chunk, so the rate is the sustained one: the median
of several calls after two full-size warm-up calls (the first call compiles nothing, the kernels
are cached, but the first large batches of a process wait for the operating system to map their
memory, up to a second on a busy machine; that first call is printed too). The machine is shared:
the spread of the timed calls is printed with the median.
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

import numpy as np

import orbitaldc

SPEC = Path(__file__).resolve().parents[1] / "scenarios" / "suncatcher-81.toml"
GOAL_DESIGNS_PER_S = 1_000_000


def main(argv: list[str] | None = None) -> None:
    quick = bool(argv and "--quick" in argv)
    spec = orbitaldc.load_spec(SPEC)
    n_batch = 20_000 if quick else 200_000
    n_scalar = 50 if quick else 300
    n_timed = 3 if quick else 7
    rng = np.random.default_rng(0)
    overrides = {
        "altitude_m": rng.uniform(500e3, 1200e3, n_batch),
        "radiator_temperature_k": rng.uniform(280.0, 380.0, n_batch),
        "price_per_kg_usd": rng.uniform(100.0, 5000.0, n_batch),
    }
    orbitaldc.evaluate_batch(spec, {k: v[:100] for k, v in overrides.items()})
    times = []
    for _ in range(2 + n_timed):
        t0 = time.perf_counter()
        out = orbitaldc.evaluate_batch(spec, overrides)
        times.append(time.perf_counter() - t0)
        del out
    t_first, t_batch = times[0], statistics.median(times[2:])
    batch_rate = n_batch / t_batch

    orbitaldc.evaluate(spec)
    t0 = time.perf_counter()
    for _ in range(n_scalar):
        orbitaldc.evaluate(spec)
    t_scalar = time.perf_counter() - t0
    scalar_rate = n_scalar / t_scalar

    out = orbitaldc.evaluate_batch(spec, overrides)
    spread = ", ".join(f"{t:.3f}" for t in times[2:])
    print(
        f"batch:  {n_batch:,} designs in {t_batch:.3f} s = {batch_rate:,.0f} designs/s "
        f"(median of {n_timed} calls: {spread} s; first call {t_first:.3f} s)"
    )
    print(f"scalar: {n_scalar:,} designs in {t_scalar:.3f} s = {scalar_rate:,.0f} designs/s")
    print(f"batch / scalar speed-up: {batch_rate / scalar_rate:,.0f}x")
    met = "met" if batch_rate >= GOAL_DESIGNS_PER_S else "NOT met"
    print(f"goal >= {GOAL_DESIGNS_PER_S:,} designs/s (issue 14): {met}")
    print(f"closing designs in the sample: {int(out['closes'].sum()):,} of {n_batch:,}")


if __name__ == "__main__":
    main(sys.argv[1:])
