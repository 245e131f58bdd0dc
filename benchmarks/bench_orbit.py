"""Orbit engine speed and memory (issue 3).

1. Positions plus illuminated fraction for 10,000 satellites x 1 day at 10 s steps, in satellite-
   steps/s, against python-sgp4's ``SatrecArray`` positions alone for the same satellites and
   times, measured in the same run (goal: >= 5x sgp4 while also computing the shadow).
2. Eclipse events of 10,000 satellites over a year at 60 s steps, streamed in time chunks (goal:
   under 2 minutes, peak memory below 1.5 GB).
Both use time chunks so that no (satellite, day, 3) array is ever held.
"""

from __future__ import annotations

import resource
import sys
import time

import numpy as np
from sgp4.api import WGS72, Satrec, SatrecArray

from orbitaldc.physics import constellation, fleet_shadow, timescale
from orbitaldc.physics.constants import MU_EARTH_M3_S2, SECONDS_PER_YEAR


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def _sgp4_twins(sats, epoch_s):
    recs = []
    epoch_1949 = 2451545.0 + epoch_s / 86400.0 - 2433281.5
    for k in range(sats.n_satellites):
        s = Satrec()
        n = np.sqrt(MU_EARTH_M3_S2 / sats.semi_major_axis_m[k] ** 3) * 60.0
        s.sgp4init(
            WGS72,
            "i",
            k,
            epoch_1949,
            0.0,
            0.0,
            0.0,
            1e-4,
            0.0,
            sats.inclination_rad[k],
            sats.mean_anomaly_rad[k],
            n,
            sats.raan_rad[k],
        )
        recs.append(s)
    return SatrecArray(recs)


def main(argv: list[str] | None = None) -> None:
    quick = bool(argv and "--quick" in argv)
    n_sat = 2_000 if quick else 10_000
    epoch = float(timescale.seconds_since_j2000(np.datetime64("2027-06-01")))
    sats = constellation.walker_delta(n_sat, 50, 1, 550e3, np.radians(53.0), epoch)
    day = epoch + np.arange(0.0, 86400.0, 10.0)
    chunk = 360
    fleet_shadow.positions_and_illumination(sats, day[:2])  # compile outside the timing

    t0 = time.perf_counter()
    lit = 0.0
    for k in range(0, day.size, chunk):
        _, f = fleet_shadow.positions_and_illumination(
            sats, day[k : k + chunk], keep_positions=True
        )
        lit += f.sum()
    t_ours = time.perf_counter() - t0

    arr = _sgp4_twins(sats, epoch)
    t0 = time.perf_counter()
    for k in range(0, day.size, chunk):
        t = day[k : k + chunk]
        days = t / 86400.0
        arr.sgp4(np.full(t.size, 2451545.0) + np.floor(days), days - np.floor(days))
    t_sgp4 = time.perf_counter() - t0
    steps = n_sat * day.size
    print(
        f"positions + illuminated fraction: {n_sat:,} satellites x {day.size:,} steps "
        f"(10 s, 1 day) in {t_ours:.1f} s = {steps / t_ours:,.0f} satellite-steps/s"
    )
    print(
        f"python-sgp4 SatrecArray positions alone: {t_sgp4:.1f} s = {steps / t_sgp4:,.0f} "
        f"satellite-steps/s"
    )
    print(
        f"ratio (ours with shadow / sgp4 positions): {t_sgp4 / t_ours:.1f}x (goal >= 5x); "
        f"mean sunlit fraction {lit / steps:.4f}"
    )

    duration = 30 * 86400.0 if quick else SECONDS_PER_YEAR
    counted = {"events": 0}

    def sink(df):
        counted["events"] += len(df)

    t0 = time.perf_counter()
    fleet_shadow.eclipse_events_fast(
        sats, epoch, epoch + duration, 60.0, chunk_steps=2880, sink=sink
    )
    t_events = time.perf_counter() - t0
    print(
        f"eclipse events: {n_sat:,} satellites x {duration / 86400:.0f} days at 60 s "
        f"({n_sat * duration / 60:,.0f} satellite-steps) in {t_events:.1f} s "
        f"(goal < 120 s for a year), {counted['events']:,} eclipses"
    )
    print(f"peak memory (RSS) of the whole benchmark: {_peak_rss_mb():,.0f} MB (goal < 1,500 MB)")


if __name__ == "__main__":
    main(sys.argv[1:])
