"""The fleet of a spec as mean elements: the bridge from the design spec to the orbit engine."""

from __future__ import annotations

import numpy as np

from orbitaldc.physics import constellation, formation, tle
from orbitaldc.physics.constants import R_EARTH_M
from orbitaldc.physics.orbit import (
    MeanElements,
    raan_from_ltan_rad,
    sun_synchronous_inclination_rad,
)
from orbitaldc.physics.timescale import seconds_since_j2000


def fleet_elements(spec) -> MeanElements:
    """Mean elements of every satellite of ``spec`` at the mission start.

    Sun-synchronous orbits take their inclination from the altitude and their RAAN from the LTAN
    (or ``orbit.raan``); layouts: ``single`` (one satellite), ``walker`` (T/P/F shell, planes spread
    over 360 deg of RAAN), ``cluster`` (drift-free HCW formation of ``cluster_radius``); ``tle``
    orbits come from the file (SGP4 mean elements).
    """
    o, c = spec.orbit, spec.constellation
    if o is None or c is None:
        raise ValueError("a terrestrial design has no fleet to propagate")
    epoch = float(seconds_since_j2000(spec.mission.start))
    if o.type == "tle":
        return tle.mean_elements(tle.load_orbits_file(o.tle_file))
    a = R_EARTH_M + o.altitude_m
    if o.type == "sun-synchronous":
        inc = float(sun_synchronous_inclination_rad(a))
        raan = o.raan_rad if o.raan_rad is not None else float(raan_from_ltan_rad(o.ltan_h, epoch))
    else:
        inc = o.inclination_rad
        raan = o.raan_rad if o.raan_rad is not None else 0.0
    if c.layout == "walker":
        return constellation.walker_delta(
            c.satellites, c.planes, c.phasing, o.altitude_m, inc, epoch, raan
        )
    chief = constellation.single(o.altitude_m, inc, raan, epoch)
    if c.layout == "single":
        return chief
    offsets = formation.lattice_offsets(c.satellites, c.cluster_radius_m)
    if c.satellites == 81 and np.isclose(c.cluster_radius_m, 1000.0):
        offsets = formation.suncatcher_lattice(c.cluster_radius_m)
    return formation.hcw_cluster(chief, offsets)
