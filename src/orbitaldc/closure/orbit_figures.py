"""Orbit figures the closure needs, taken from the orbit engine (not from a second formula).

Everything here is a thin call into :mod:`orbitaldc.physics.orbit` and
:mod:`orbitaldc.physics.eclipse`, vectorised over designs.
"""

from __future__ import annotations

import numpy as np

from orbitaldc.physics import eclipse, orbit
from orbitaldc.physics.constants import R_EARTH_M, SECONDS_PER_YEAR


def orbit_figures(
    altitude_m: np.ndarray,
    inclination_rad: np.ndarray,
    raan0_rad: np.ndarray,
    start_s: float,
) -> dict[str, np.ndarray]:
    """Period, annual sunlit fractions, longest eclipse and beta-angle extremes, per design.

    Parameters
    ----------
    altitude_m, inclination_rad, raan0_rad : ndarray, shape (design,)
        Circular-orbit altitude (m), inclination (rad) and RAAN at ``start_s`` (rad).
    start_s : float
        Start of the year analysed, seconds since J2000 (UTC).

    Returns
    -------
    dict of ndarray, shape (design,)
        ``period_s`` (Keplerian), ``nodal_period_s`` (node to node under J2: the period the
        eclipse figures refer to), ``sunlit_fraction_mean``, ``sunlit_fraction_min``, ``max_eclipse_s``,
        ``eclipse_orbits_per_year``, ``beta_min_abs_rad``, ``beta_max_abs_rad``.
    """
    a = R_EARTH_M + np.asarray(altitude_m, dtype=float)
    stats = eclipse.annual_eclipse_statistics(
        a, inclination_rad, raan0_rad, start_s, duration_s=SECONDS_PER_YEAR
    )
    return {
        "period_s": orbit.period_s(a),
        "nodal_period_s": stats["nodal_period_s"],
        "sunlit_fraction_mean": stats["sunlit_fraction_mean"],
        "sunlit_fraction_min": stats["sunlit_fraction_min"],
        "max_eclipse_s": stats["max_eclipse_s"],
        "eclipse_orbits_per_year": stats["eclipse_orbits"],
        "beta_min_abs_rad": stats["beta_min_abs_rad"],
        "beta_max_abs_rad": stats["beta_max_abs_rad"],
    }
