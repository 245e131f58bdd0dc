"""Worst-case solar particle event: the proton flux of a design-case event, for peak error rates.

Mission fluence models (:mod:`solar_particles`) say how many solar protons a mission collects; a
single-event budget also needs the rate at the worst moment. CREME96 (Tylka et al. 1997, IEEE
Trans. Nucl. Sci. 44, 2150) gives three design-case spectra drawn from the October 1989 events,
the largest of the GOES era: the **worst week**, the **worst day** and the **peak five minutes**
(averaged over those intervals). Their proton (H) differential fluxes in interplanetary space at
1 AU are tabulated in ECSS-E-ST-10-04C Rev.1 (15 June 2020), annex B.7, Tables B-10 (worst
5 minutes), B-11 (worst day) and B-12 (worst week), 1 MeV to 100 GeV, per (m^2 s sr MeV):
:data:`CREME96_ENERGIES_MEV`, :data:`CREME96_PROTON_DIFFERENTIAL`. SPENVIS 4.6.13 "CREME96 (worst
day)" runs print the same numbers (checked in tests/test_radiation_solar.py).

:func:`creme96_integral_flux_per_cm2_s` turns a table into the omnidirectional integral flux the
rest of the chain takes (``spectrum.py``): power law between table rows (exact integral of each
segment), the last segment's power law above 100 GeV, isotropy (ECSS-E-ST-10-04C 9.2.2.1a), so
``4 pi`` sr, and m^-2 -> cm^-2. Apply ``geomagnetic`` transmission for an Earth orbit.

Protons only: the CREME96 heavy ions of the same tables are not used (a part with a heavy-ion
cross-section sees a further solar heavy-ion rate during the event; not modelled here).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from orbitaldc.physics.radiation.spectrum import ISOTROPIC_PER_M2_SR_TO_OMNI_PER_CM2

#: Energies of the CREME96 solar-ion tables, MeV (ECSS-E-ST-10-04C Rev.1 Tables B-10 to B-12).
CREME96_ENERGIES_MEV = np.concatenate(
    [
        np.arange(1.0, 10.0),
        np.arange(10.0, 100.0, 10.0),
        np.arange(100.0, 1000.0, 100.0),
        np.arange(1000.0, 10000.0, 1000.0),
        np.arange(10000.0, 100001.0, 10000.0),
    ]
)
#: CREME96 proton (H) differential flux per (m^2 s sr MeV), interplanetary, 1 AU, at
#: :data:`CREME96_ENERGIES_MEV`: ``"peak_5min"`` ECSS-E-ST-10-04C Rev.1 Table B-10 (worst
#: 5 minutes), ``"worst_day"`` Table B-11, ``"worst_week"`` Table B-12 (Tylka et al. 1997).
CREME96_PROTON_DIFFERENTIAL = {
    "peak_5min": np.array(
        [1.36e9, 6.36e8, 3.81e8, 2.56e8, 1.83e8, 1.37e8, 1.06e8, 8.44e7, 6.83e7]
        + [5.61e7, 1.32e7, 4.89e6, 2.26e6, 1.20e6, 6.95e5, 4.31e5, 2.81e5, 1.91e5]
        + [1.35e5, 1.18e4, 2.70e3, 9.45e2, 4.00e2, 1.74e2, 9.16e1, 5.27e1, 3.24e1]
        + [2.09e1, 1.19e0, 2.21e-1, 6.72e-2, 2.67e-2, 1.25e-2, 6.63e-3, 3.81e-3, 2.34e-3]
        + [1.51e-3, 8.58e-5, 1.60e-5, 4.86e-6, 1.93e-6, 9.08e-7, 4.79e-7, 2.76e-7, 1.69e-7]
        + [1.09e-7]
    ),
    "worst_day": np.array(
        [3.24e8, 1.54e8, 9.34e7, 6.32e7, 4.57e7, 3.44e7, 2.68e7, 2.14e7, 1.74e7]
        + [1.44e7, 3.47e6, 1.31e6, 6.16e5, 3.29e5, 1.92e5, 1.19e5, 7.82e4, 5.33e4]
        + [3.75e4, 3.22e3, 7.02e2, 2.32e2, 9.29e1, 3.91e1, 2.06e1, 1.18e1, 7.27e0]
        + [4.70e0, 2.66e-1, 4.97e-2, 1.51e-2, 6.00e-3, 2.82e-3, 1.49e-3, 8.57e-4, 5.26e-4]
        + [3.40e-4, 1.93e-5, 3.60e-6, 1.09e-6, 4.34e-7, 2.04e-7, 1.08e-7, 6.20e-8, 3.81e-8]
        + [2.46e-8]
    ),
    "worst_week": np.array(
        [4.64e7, 2.28e7, 1.41e7, 9.77e6, 7.19e6, 5.51e6, 4.36e6, 3.53e6, 2.91e6]
        + [2.44e6, 6.61e5, 2.74e5, 1.38e5, 7.90e4, 4.88e4, 3.20e4, 2.20e4, 1.56e4]
        + [1.14e4, 1.27e3, 3.16e2, 1.13e2, 4.79e1, 2.13e1, 1.19e1, 7.20e0, 4.62e0]
        + [3.11e0, 2.30e-1, 5.00e-2, 1.69e-2, 7.31e-3, 3.68e-3, 2.06e-3, 1.25e-3, 8.02e-4]
        + [5.40e-4, 3.98e-5, 8.66e-6, 2.94e-6, 1.27e-6, 6.39e-7, 3.58e-7, 2.17e-7, 1.39e-7]
        + [9.35e-8]
    ),
}
#: The cases, in order of severity.
CASES = ("peak_5min", "worst_day", "worst_week")


def _power_law_integral(
    e0: np.ndarray, j0: np.ndarray, e1: np.ndarray, slope: np.ndarray
) -> np.ndarray:
    """Integral from ``e0`` to ``e1`` of ``j0 (E / e0)^slope``."""
    p = slope + 1.0
    near_one = np.abs(p) < 1e-9
    safe_p = np.where(near_one, 1.0, p)
    return np.where(
        near_one, j0 * e0 * np.log(e1 / e0), j0 * e0 / safe_p * ((e1 / e0) ** safe_p - 1.0)
    )


def creme96_integral_flux_per_cm2_s(energies_mev: ArrayLike, case: str = "peak_5min") -> np.ndarray:
    """Omnidirectional integral proton flux above each energy (per cm^2 per s, 1 AU, outside the
    magnetosphere) of a CREME96 worst-case solar-event interval.

    ``energies_mev`` ``(n,)`` within 1 MeV-100 GeV; ``case`` one of :data:`CASES`. Returns ``(n,)``.
    The differential table is integrated as a power law between its rows; above the last row the
    last segment's power law is continued (it carries ~5e-7 of the flux above 1 GeV).
    """
    if case not in CREME96_PROTON_DIFFERENTIAL:
        raise ValueError(f"case: must be one of {', '.join(CASES)}, got {case!r}")
    e = np.asarray(energies_mev, dtype=float)
    if e.ndim != 1 or e.size == 0 or np.any(~np.isfinite(e)):
        raise ValueError("energies_mev: need a 1-D array of finite energies")
    grid, j = CREME96_ENERGIES_MEV, CREME96_PROTON_DIFFERENTIAL[case]
    if np.any(e < grid[0]) or np.any(e > grid[-1]):
        raise ValueError(f"energies_mev: CREME96 tables cover {grid[0]:g}-{grid[-1]:g} MeV")
    slopes = np.log(j[1:] / j[:-1]) / np.log(grid[1:] / grid[:-1])
    seg = _power_law_integral(grid[:-1], j[:-1], grid[1:], slopes)
    tail = j[-1] * grid[-1] / (-slopes[-1] - 1.0)
    above_row = np.append(np.cumsum(seg[::-1])[::-1], 0.0) + tail
    k = np.clip(np.searchsorted(grid, e, side="right") - 1, 0, grid.size - 2)
    j_at = j[k] * (e / grid[k]) ** slopes[k]
    partial = _power_law_integral(e, j_at, grid[k + 1], slopes[k])
    return (partial + above_row[k + 1]) * ISOTROPIC_PER_M2_SR_TO_OMNI_PER_CM2
