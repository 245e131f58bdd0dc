"""The fleet of a spec as mean elements: the one bridge from the design spec to the orbit engine.

Every engine that needs the fleet's orbits (closure, radiation chain, twin, orbit report) calls
:func:`fleet_elements`; none builds them itself.
"""

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
from orbitaldc.spec import DesignSpec


def orbit_plane(spec: DesignSpec) -> tuple[float, float, float]:
    """Altitude (m), inclination (rad) and RAAN at mission start (rad) of an analytic orbit.

    Sun-synchronous orbits take their inclination from the altitude (``physics.orbit``) and their
    RAAN from ``orbit.raan`` or else the LTAN; circular orbits from ``inclination`` and ``raan``
    (default 0).
    """
    o = spec.orbit
    if o is None or o.altitude_m is None:
        raise ValueError("orbit_plane needs an analytic (sun-synchronous or circular) orbit")
    epoch = float(seconds_since_j2000(spec.mission.start))
    if o.type == "sun-synchronous":
        inc = float(sun_synchronous_inclination_rad(R_EARTH_M + o.altitude_m))
        raan = o.raan_rad if o.raan_rad is not None else float(raan_from_ltan_rad(o.ltan_h, epoch))
    else:
        assert o.inclination_rad is not None
        inc = o.inclination_rad
        raan = o.raan_rad if o.raan_rad is not None else 0.0
    return o.altitude_m, inc, raan


def fleet_elements(spec: DesignSpec) -> MeanElements:
    """Mean elements of every satellite of ``spec`` at the mission start.

    Layouts: ``single`` (one satellite), ``walker`` (T/P/F shell, planes spread over 360 deg of
    RAAN), ``cluster`` (drift-free HCW formation of ``cluster_radius`` on the spec's ``lattice``,
    ``physics.formation.lattice_offsets``, or the user's own ``lattice_offsets``, radial and
    along-track at the epoch); ``tle`` orbits come from the file (SGP4 mean elements).
    """
    o, c = spec.orbit, spec.constellation
    if o is None or c is None:
        raise ValueError("a terrestrial design has no fleet to propagate")
    if o.type == "tle":
        return tle.mean_elements(tle.load_orbits_file(o.tle_file))
    epoch = float(seconds_since_j2000(spec.mission.start))
    altitude_m, inc, raan = orbit_plane(spec)
    if c.layout == "walker":
        return constellation.walker_delta(
            c.satellites, c.planes, c.phasing, altitude_m, inc, epoch, raan
        )
    chief = constellation.single(altitude_m, inc, raan, epoch)
    if c.layout == "single":
        return chief
    if c.lattice == "user":
        offsets = np.asarray(c.lattice_offsets_m, dtype=float)
    else:
        offsets = formation.lattice_offsets(c.satellites, c.cluster_radius_m, c.lattice)
    return formation.hcw_cluster(chief, offsets)
