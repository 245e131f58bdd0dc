"""Particle spectra: the common representation every radiation module passes around.

A spectrum is an energy grid ``energies_mev`` of shape ``(n_energy,)``, strictly increasing, and the
omnidirectional **integral** flux (or fluence) above each energy, ``integral_per_cm2_s`` of shape
``(..., n_energy)``, non-increasing along the last axis. This is how AE8/AP8, JPL-91 and ESP tabulate
their outputs (Vette 1991, NSSDC/WDC-A-R&S 91-29; Feynman et al. 1993, J. Geophys. Res. 98(A8)), so
no information is added or lost at the module boundaries. Between grid points the integral
spectrum is interpolated as a power law (linear in log-log), the usual assumption of those models.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

#: Integral flux below which a spectrum is treated as zero (per cm^2 per s); keeps logs finite.
FLOOR = 1e-30
#: An isotropic flux per (m^2 s sr) as the omnidirectional flux per (cm^2 s): 4 pi sr x 1e-4.
ISOTROPIC_PER_M2_SR_TO_OMNI_PER_CM2 = 4.0 * np.pi * 1e-4


def check_grid(energies_mev: ArrayLike) -> np.ndarray:
    """Return ``energies_mev`` as a float array after checking it is positive and increasing."""
    e = np.asarray(energies_mev, dtype=float)
    if e.ndim != 1 or e.size < 2:
        raise ValueError("energies_mev: need a 1-D grid of at least two energies")
    if not np.all(np.isfinite(e)) or np.any(e <= 0.0) or np.any(np.diff(e) <= 0.0):
        raise ValueError("energies_mev: energies must be finite, positive and strictly increasing")
    return e


def differential_from_integral(energies_mev: ArrayLike, integral: ArrayLike) -> np.ndarray:
    """Differential spectrum ``-dJ/dE`` (per MeV) of a power-law-interpolated integral spectrum.

    Evaluated at the grid energies from the local log-log slope (central differences inside, one
    sided at the ends): ``j(E) = -gamma J(E) / E`` with ``gamma = d ln J / d ln E``. Shape as
    ``integral``.
    """
    e = check_grid(energies_mev)
    j = np.maximum(np.asarray(integral, dtype=float), FLOOR)
    slope = np.gradient(np.log(j), np.log(e), axis=-1)
    diff = -slope * j / e
    return np.where(np.asarray(integral) > FLOOR, np.maximum(diff, 0.0), 0.0)


def interpolate_integral(
    energies_mev: ArrayLike, integral: ArrayLike, at_mev: ArrayLike
) -> np.ndarray:
    """Integral spectrum at the energies ``at_mev`` (log-log interpolation; zero above the grid).

    Below the first grid energy the first value is returned (no extrapolation of the steep low-energy
    end). Shape ``(..., len(at_mev))``.
    """
    e = check_grid(energies_mev)
    log_j = np.log(np.maximum(np.asarray(integral, dtype=float), FLOOR))
    x = np.log(np.clip(np.asarray(at_mev, dtype=float), e[0], None))
    log_e = np.log(e)
    k = np.clip(np.searchsorted(log_e, x, side="right") - 1, 0, e.size - 2)
    w = (x - log_e[k]) / (log_e[k + 1] - log_e[k])
    out = np.exp(log_j[..., k] * (1.0 - w) + log_j[..., k + 1] * w)
    return np.where((x > log_e[-1]) | (out <= FLOOR * 1.0001), 0.0, out)
