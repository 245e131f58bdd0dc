"""Link topology of a 10,000-satellite Walker shell over one orbit (issue 12).

A 100 x 100 shell at 550 km, 53 deg: its +grid (20,000 links) with every link's length, line of
sight and optical capacity (the Starlink-class terminal of the catalog) at 30 s over one orbit,
and the 2-D torus all-reduce of 1 GB at each step; against the orbit engine's own cost of the same
positions (``orbit.propagate``), measured in the same run: the topology should cost no more than
the positions it is computed from (ratio <= 1). Peak memory of the process.
"""

from __future__ import annotations

import resource
import time

import numpy as np

from orbitaldc import catalog
from orbitaldc.network import collectives, topology
from orbitaldc.physics import constellation, orbit, timescale


def main(argv: list[str] | None = None) -> None:
    quick = bool(argv and "--quick" in argv)
    planes, per_plane = (30, 30) if quick else (100, 100)
    n_sat = planes * per_plane
    epoch = float(timescale.seconds_since_j2000(np.datetime64("2027-06-01")))
    shell = constellation.walker_delta(n_sat, planes, 1, 550e3, np.radians(53.0), epoch)
    period = float(orbit.period_s(shell.semi_major_axis_m[0]))
    t = epoch + np.arange(0.0, period, 30.0)
    terminal = catalog.get("terminals", "starlink-laser")
    links = topology.plus_grid_links(planes, per_plane)
    topology.link_series(orbit.propagate(shell, t[:2])[0], links, terminal)  # compile / warm

    start = time.perf_counter()
    r, _ = orbit.propagate(shell, t)
    t_orbit = time.perf_counter() - start
    start = time.perf_counter()
    series = topology.link_series(r, links, terminal)
    in_plane = np.arange(links.shape[0]) < n_sat
    slow_x = np.where(series.up[in_plane], series.capacity_bps[in_plane], 0.0).min(axis=0)
    slow_y = np.where(series.up[~in_plane], series.capacity_bps[~in_plane], 0.0).min(axis=0)
    hop = series.distance_m.max(axis=0) / 299_792_458.0
    allreduce = collectives.torus2d_allreduce_s(1e9, per_plane, planes, slow_x, slow_y, hop)
    t_topology = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0
    print(
        f"+grid of {n_sat:,} satellites ({links.shape[0]:,} links) x {t.size} steps (30 s, one "
        f"orbit): topology {t_topology:.2f} s, positions {t_orbit:.2f} s, ratio "
        f"{t_topology / t_orbit:.2f} (goal <= 1: {'met' if t_topology <= t_orbit else 'NOT met'})"
    )
    print(
        f"links up {series.up.mean():.1%}, median capacity {np.median(series.capacity_bps) / 1e9:,.0f} "
        f"Gbit/s, all-reduce of 1 GB {np.median(allreduce):.3f} s median; peak memory {peak:,.0f} MB"
    )


if __name__ == "__main__":
    import sys

    main(sys.argv[1:])
