"""Coupled twin speed (issue 4): orbit + shadow + power + battery + thermal, per satellite-step.

Reference measured in the same run: python-sgp4 ``SatrecArray`` positions alone for the same
satellites and times. Issue goals: coupled twin >= 10x faster than sgp4 positions alone; a year of
10,000 satellites at 60 s in under 3 minutes with peak memory below 2 GB. This first twin loops
over time steps in Python (vectorised over satellites), so the figures printed here say how far
it is from those goals.
"""

from __future__ import annotations

import datetime as dt
import resource
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
from sgp4.api import WGS72, Satrec, SatrecArray

import orbitaldc
from orbitaldc.physics.constants import MU_EARTH_M3_S2
from orbitaldc.twin.fleet import fleet_elements
from orbitaldc.twin.simulate import run_simulation

SPEC = Path(__file__).resolve().parents[1] / "scenarios" / "starlink-v3-compute.toml"


def main(argv: list[str] | None = None) -> None:
    quick = bool(argv and "--quick" in argv)
    spec = orbitaldc.load_spec(SPEC)
    n_sat = 200 if quick else 1000
    spec = spec.model_copy(
        update={
            "constellation": spec.constellation.model_copy(
                update={"satellites": n_sat, "planes": 20}
            ),
            "mission": spec.mission.model_copy(update={"start": dt.date(2027, 6, 1)}),
        }
    )
    steps = 1440
    with tempfile.TemporaryDirectory() as out:
        t0 = time.perf_counter()
        run_simulation(spec, 86400.0, 60.0, Path(out), resume=False)
        t_twin = time.perf_counter() - t0
    elements = fleet_elements(spec)
    recs = []
    for k in range(n_sat):
        s = Satrec()
        n = np.sqrt(MU_EARTH_M3_S2 / elements.semi_major_axis_m[k] ** 3) * 60.0
        s.sgp4init(
            WGS72,
            "i",
            k,
            27000.0,
            0.0,
            0.0,
            0.0,
            1e-4,
            0.0,
            elements.inclination_rad[k],
            elements.mean_anomaly_rad[k],
            n,
            elements.raan_rad[k],
        )
        recs.append(s)
    arr = SatrecArray(recs)
    minutes = np.arange(steps, dtype=float)
    t0 = time.perf_counter()
    arr.sgp4(np.full(steps, recs[0].jdsatepoch), recs[0].jdsatepochF + minutes / 1440.0)
    t_sgp4 = time.perf_counter() - t0
    sat_steps = n_sat * steps
    rate = sat_steps / t_twin
    print(
        f"coupled twin: {n_sat:,} satellites x 1 day at 60 s in {t_twin:.1f} s = "
        f"{rate:,.0f} satellite-steps/s (includes closure, Parquet and plots)"
    )
    print(f"python-sgp4 positions alone: {sat_steps / t_sgp4:,.0f} satellite-steps/s")
    print(
        f"ratio twin / sgp4: {t_sgp4 / t_twin:.2f}x (goal >= 10x: "
        f"{'met' if t_sgp4 / t_twin >= 10 else 'NOT met'})"
    )
    year = 10_000 * 525_960 / rate
    print(f"extrapolated year of 10,000 satellites at 60 s: {year / 60:,.0f} min (goal < 3 min)")
    print(f"peak memory: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:,.0f} MB")


if __name__ == "__main__":
    main(sys.argv[1:])
