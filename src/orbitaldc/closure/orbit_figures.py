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
        ``period_s``, ``sunlit_fraction_mean``, ``sunlit_fraction_min``, ``max_eclipse_s``,
        ``eclipse_orbits_per_year``, ``beta_min_abs_rad``, ``beta_max_abs_rad``.
    """
    a = R_EARTH_M + np.asarray(altitude_m, dtype=float)
    stats = eclipse.annual_eclipse_statistics(
        a, inclination_rad, raan0_rad, start_s, duration_s=SECONDS_PER_YEAR, return_beta=True
    )
    beta = np.asarray(stats["beta_rad"])
    crosses_zero = np.any(np.diff(np.sign(beta), axis=-1) != 0, axis=-1)
    beta_min_abs = np.where(crosses_zero, 0.0, np.min(np.abs(beta), axis=-1))
    return {
        "period_s": orbit.period_s(a),
        "sunlit_fraction_mean": np.asarray(stats["sunlit_fraction_mean"], dtype=float),
        "sunlit_fraction_min": np.asarray(stats["sunlit_fraction_min"], dtype=float),
        "max_eclipse_s": np.asarray(stats["max_eclipse_s"], dtype=float),
        "eclipse_orbits_per_year": np.asarray(stats["eclipse_orbits"], dtype=float),
        "beta_min_abs_rad": beta_min_abs,
        "beta_max_abs_rad": np.max(np.abs(beta), axis=-1),
    }
