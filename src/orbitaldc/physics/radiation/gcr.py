"""Galactic cosmic rays at 1 AU: a local interstellar spectrum with force-field solar modulation.

First-order model, documented so it can be replaced by Badhwar-O'Neill or ISO 15390 later:

- **Local interstellar spectrum (LIS)** of protons, Burger, Potgieter & Heber (2000, J. Geophys.
  Res. 105, 27447) in the form used by Usoskin et al. (2005, J. Geophys. Res. 110, A12108, eq. 2):
  ``J_LIS(T) = 1.9e4 P^-2.78 / (1 + 0.4866 P^-2.51)`` per (m^2 s sr GeV/n), with ``P(T) =
  sqrt(T (T + 2 T_r))`` (GV for protons), ``T`` the kinetic energy per nucleon in GeV and
  ``T_r = 0.938`` GeV. Above ~50 GeV it reproduces AMS-02's proton flux (``R^2.7 J ~ 1.3e4``
  m^-2 sr^-1 s^-1 GV^1.7 at 100 GV; Aguilar et al. 2015, Phys. Rev. Lett. 114, 171103).
- **Heavier nuclei** (He to Ni, Z = 2..28) have the same LIS shape in kinetic energy per nucleon,
  scaled by their abundance relative to hydrogen at equal energy per nucleon (:data:`ABUNDANCE`).
  This is the usual first-order scaling (e.g. Usoskin et al. 2011, J. Geophys. Res. 116, A02104,
  for Z > 2); it ignores the slightly different spectral indices of the species.
- **Force-field modulation** (Gleeson & Axford 1968, ApJ 154, 1011): with ``Phi = (Z/A) phi``,
  ``J(T) = J_LIS(T + Phi) T (T + 2 T_r) / ((T + Phi)(T + Phi + 2 T_r))``. The modulation
  potential ``phi`` is ~400-500 MV at solar minimum and ~1,000-1,200 MV at solar maximum in the
  Burger LIS convention (Usoskin et al. 2005, monthly reconstruction 1951-2004).

Abundances (:data:`ABUNDANCE`, relative to H at equal energy per nucleon) are the CREME96 GCR
composition (Tylka et al. 1997, IEEE TNS 44, 2150; Nymmik et al. 1992 spectra) read from a
SPENVIS run at 10 GeV/n (:data:`CREME96_INTEGRAL_ABOVE_10GEV_PER_N`). Behind the Stormer cutoff
and Earth shadow of an 825 km polar orbit, the integral fluxes above 1 MeV/n come out 0.9x (H),
1.0-1.1x (He, C, O), 1.3x (Si) and 1.5x (Fe) CREME96's (tests): the heavy ions' spectra at low
energy per nucleon differ from the proton shape this first-order scaling gives them
(conservative for single-event rates).

Units: :func:`gcr_spectra` returns the **omnidirectional** differential flux, per (cm^2 s MeV/n),
in free space at 1 AU (``4 pi`` times the isotropic intensity); multiply by
``geomagnetic.orbit_transmission`` (which includes Earth shadowing) for an orbit.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from orbitaldc.physics.constants import AMU_MEV, PROTON_REST_MEV
from orbitaldc.physics.radiation.spectrum import ISOTROPIC_PER_M2_SR_TO_OMNI_PER_CM2

# fmt: off
#: Element symbols, charge numbers Z and mass numbers A (most abundant isotope) from H to Ni.
SYMBOLS = (
    "H", "He", "Li", "Be", "B", "C", "N", "O", "F", "Ne", "Na", "Mg", "Al", "Si", "P", "S", "Cl",
    "Ar", "K", "Ca", "Sc", "Ti", "V", "Cr", "Mn", "Fe", "Co", "Ni",
)
Z = np.arange(1, 29)
A = np.array(
    [1, 4, 7, 9, 11, 12, 14, 16, 19, 20, 23, 24, 27, 28, 31, 32, 35, 40, 39, 40, 45, 48, 51, 52,
     55, 56, 59, 58]
)
#: CREME96 GCR integral flux above 10 GeV/n, per (m^2 sr s), solar minimum, H..Ni: SPENVIS 4.6.13
#: output for an 825 km polar orbit (github.com/tdloveless/me-radfx,
#: HW/HW_02_Solutions/polar_leo_spenvis_gcf.txt, row 1.0E+04 MeV/n). At 10 GeV/n solar
#: modulation is small and all nuclei but H have A/Z ~ 2 and the same geomagnetic access, so the
#: ratios are the GCR composition at equal energy per nucleon (H slightly under-counted by the
#: cutoff, which bites it at half the rigidity; < ~10 % on a polar orbit).
CREME96_INTEGRAL_ABOVE_10GEV_PER_N = np.array(
    [1.0955e02, 6.3177e00, 2.9254e-02, 1.3543e-02, 3.2343e-02, 1.7326e-01, 3.6801e-02,
     1.8169e-01, 2.3864e-03, 2.6624e-02, 4.0736e-03, 3.8156e-02, 5.5056e-03, 3.1122e-02,
     8.2637e-04, 5.8362e-03, 8.1129e-04, 2.0008e-03, 1.2586e-03, 4.6915e-03, 6.3966e-04,
     1.8748e-03, 9.8810e-04, 2.2926e-03, 1.9317e-03, 2.5694e-02, 1.3551e-04, 1.3025e-03]
)
# fmt: on
#: Abundance relative to hydrogen at equal energy per nucleon.
ABUNDANCE = CREME96_INTEGRAL_ABOVE_10GEV_PER_N / CREME96_INTEGRAL_ABOVE_10GEV_PER_N[0]
#: Burger et al. (2000) LIS constants (per m^2 s sr GeV/n; rigidity in GV).
LIS_NORM = 1.9e4
LIS_INDEX = 2.78
LIS_BEND = 0.4866
LIS_BEND_INDEX = 2.51
#: Modulation potentials, MV, typical of solar minimum and maximum (Usoskin et al. 2005).
PHI_SOLAR_MIN_MV = 450.0
PHI_SOLAR_MAX_MV = 1100.0
_TO_OMNI_PER_CM2_S_MEV = ISOTROPIC_PER_M2_SR_TO_OMNI_PER_CM2 * 1e-3  # and GeV -> MeV


def proton_lis(kinetic_energy_gev_per_n: ArrayLike) -> np.ndarray:
    """Burger et al. (2000) proton LIS, per (m^2 s sr GeV/n), at kinetic energy per nucleon, GeV."""
    t = np.asarray(kinetic_energy_gev_per_n, dtype=float)
    tr = PROTON_REST_MEV / 1000.0
    p = np.sqrt(t * (t + 2.0 * tr))
    with np.errstate(divide="ignore"):
        return np.where(
            t > 0.0, LIS_NORM * p**-LIS_INDEX / (1.0 + LIS_BEND * p**-LIS_BEND_INDEX), 0.0
        )


def gcr_spectra(energies_mev_per_n: ArrayLike, modulation_mv: float) -> np.ndarray:
    """Omnidirectional differential GCR flux at 1 AU, per (cm^2 s MeV/n), shape ``(28, n)``.

    Rows are the elements H..Ni (:data:`SYMBOLS`, :data:`Z`, :data:`A`); ``energies_mev_per_n``
    ``(n,)`` is kinetic energy per nucleon (MeV/n); ``modulation_mv`` the force-field potential
    ``phi`` (MV, Burger LIS convention: ~450 solar minimum, ~1,100 solar maximum). Free space: no
    geomagnetic cutoff or Earth shadow.
    """
    e = np.asarray(energies_mev_per_n, dtype=float)
    if e.ndim != 1 or np.any(~np.isfinite(e)) or np.any(e <= 0.0):
        raise ValueError("energies_mev_per_n: need a 1-D array of positive energies (MeV/n)")
    phi = float(modulation_mv)
    if not (0.0 <= phi <= 3000.0):
        raise ValueError(f"modulation_mv: {phi} MV is outside 0-3000 MV")
    t_gev = e[None, :] / 1000.0
    phi_n = (Z / A)[:, None] * phi / 1000.0  # GeV per nucleon lost in the heliosphere
    tr = np.where(A == 1, PROTON_REST_MEV, AMU_MEV)[:, None] / 1000.0
    shifted = t_gev + phi_n
    factor = t_gev * (t_gev + 2.0 * tr) / (shifted * (shifted + 2.0 * tr))
    return ABUNDANCE[:, None] * proton_lis(shifted) * factor * _TO_OMNI_PER_CM2_S_MEV


def integral_from_differential(
    energies_mev_per_n: ArrayLike, differential: ArrayLike
) -> np.ndarray:
    """Integral flux above each grid energy from a differential spectrum, shape as ``differential``.

    Trapezoid rule in ``ln E`` on the grid (``int j dE = int j E dlnE``) plus a power-law tail
    above the last energy with the local slope of the last interval (needs a falling spectrum).
    """
    e = np.asarray(energies_mev_per_n, dtype=float)
    if e.ndim != 1 or e.size < 2 or np.any(np.diff(e) <= 0.0) or np.any(e <= 0.0):
        raise ValueError("energies_mev_per_n: need a positive, strictly increasing 1-D grid")
    j = np.asarray(differential, dtype=float)
    je = j * e
    seg = 0.5 * (je[..., 1:] + je[..., :-1]) * np.diff(np.log(e))
    with np.errstate(divide="ignore", invalid="ignore"):
        gamma = -np.log(j[..., -1] / j[..., -2]) / np.log(e[-1] / e[-2])
    tail = np.where(gamma > 1.0, je[..., -1] / np.where(gamma > 1.0, gamma - 1.0, 1.0), 0.0)
    above = np.cumsum(seg[..., ::-1], axis=-1)[..., ::-1]
    return np.concatenate([above, np.zeros_like(tail)[..., None]], axis=-1) + tail[..., None]
