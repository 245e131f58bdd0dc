"""Closure throughput: designs/s of evaluate_batch against N calls of the scalar evaluate().

Goal (issue 2): >= 100,000 designs/s on the 2-core reference machine. The reference measured in
the same run is the scalar path (one ``orbitaldc.evaluate`` call per design).
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import numpy as np

import orbitaldc

SPEC = Path(__file__).resolve().parents[1] / "scenarios" / "suncatcher-81.toml"


def main(argv: list[str] | None = None) -> None:
    quick = bool(argv and "--quick" in argv)
    spec = orbitaldc.load_spec(SPEC)
    n_batch = 20_000 if quick else 200_000
    n_scalar = 50 if quick else 300
    rng = np.random.default_rng(0)
    overrides = {
        "altitude_m": rng.uniform(500e3, 1200e3, n_batch),
        "radiator_temperature_k": rng.uniform(280.0, 380.0, n_batch),
        "price_per_kg_usd": rng.uniform(100.0, 5000.0, n_batch),
    }
    orbitaldc.evaluate_batch(spec, {k: v[:100] for k, v in overrides.items()})  # warm-up
    t0 = time.perf_counter()
    out = orbitaldc.evaluate_batch(spec, overrides)
    t_batch = time.perf_counter() - t0
    batch_rate = n_batch / t_batch

    orbitaldc.evaluate(spec)
    t0 = time.perf_counter()
    for _ in range(n_scalar):
        orbitaldc.evaluate(spec)
    t_scalar = time.perf_counter() - t0
    scalar_rate = n_scalar / t_scalar

    print(f"batch:  {n_batch:,} designs in {t_batch:.3f} s = {batch_rate:,.0f} designs/s")
    print(f"scalar: {n_scalar:,} designs in {t_scalar:.3f} s = {scalar_rate:,.0f} designs/s")
    print(f"batch / scalar speed-up: {batch_rate / scalar_rate:,.0f}x")
    print(f"goal >= 100,000 designs/s: {'met' if batch_rate >= 1e5 else 'NOT met'}")
    print(f"closing designs in the sample: {int(out['closes'].sum()):,} of {n_batch:,}")


if __name__ == "__main__":
    main(sys.argv[1:])
