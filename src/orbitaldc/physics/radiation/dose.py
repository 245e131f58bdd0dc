"""Total ionising dose in silicon behind aluminium: dose-depth curves from particle spectra.

A documented equivalent of SHIELDOSE-2 (Seltzer 1994, NIST IR 5477), built on the NIST range and
stopping-power tables of :mod:`.stopping` instead of SHIELDOSE-2's precomputed Monte Carlo
depth-dose kernels. Per unit omnidirectional fluence of particles of energy ``E`` seen through a
straight path of ``s`` g/cm^2 of aluminium, the dose kernel is:

- **protons**: slowed down along the path by the CSDA range method; dose = fluence x PSTAR total
  stopping power in Si at the residual energy. Nuclear reactions (which remove ~1 % of protons per
  g/cm^2 while their secondaries add back part of the dose) and range straggling are neglected, as
  in SHIELDOSE-2's proton part, which is also a CSDA calculation.
- **electrons**: slowed down on the *extrapolated* range (Tabata et al. 1996 detour factor on the
  ESTAR CSDA range), which folds multiple-scattering detours into the depth-energy relation; every
  electron is transmitted up to that range and deposits the ESTAR collision stopping power in Si at
  its residual energy. This neglects straggling and backscatter (too much dose just short of the
  range, none beyond it); integrated over the steep trapped-electron spectra the two errors largely
  cancel, and the result is a first-order estimate, good to about a factor 1.5-2 against
  SHIELDOSE-2 at 1-10 mm Al.
- **bremsstrahlung** (from the electrons): the energy the electron radiates in the shield,
  ``E Y(E) - E' Y(E')`` with the ESTAR radiation yield ``Y``, is spread over photon energies
  ``k < E`` with Kramers' thick-target shape ``dW/dk ~ (E - k)`` (Kramers 1923; Evans 1955, *The
  Atomic Nucleus*, ch. 20) and emitted isotropically on average (the electrons arrive from all
  directions), so at the centre of a sphere each photon energy's fluence is attenuated by
  ``exp(-mu_en,Al(k) x)`` over the remaining path ``x = s - min(R_ex, s)/2`` (broad-beam
  attenuation with the energy-absorption coefficient stands in for buildup); dose = energy fluence
  x ``(mu_en/rho)_Si(k)``. NIST XCOM ``mu_en/rho`` of Si (Hubbell & Seltzer 1995, NISTIR 5632);
  Al's is Si's scaled by ``Z/A`` (0.4818/0.4985), exact to a few % where Compton scattering
  dominates (0.1-10 MeV) and ~25 % too high below 40 keV, where those photons are absorbed anyway.
  First-order: good to a factor of about 2, which matters only behind thick shields where it
  dominates the electron contribution.

Geometries (the thickness ``t`` in g/cm^2 of Al, areal mass = thickness x 2.70 g/cm^3):

- ``"sphere"``: dose point at the centre of a solid Al sphere of radius ``t`` in an isotropic
  omnidirectional flux; every path has length ``t``.
- ``"slab"``: dose point on the back face of a plane slab of thickness ``t``, illuminated
  isotropically from the front half-space only (the back half-space is assumed fully shielded by
  the spacecraft); paths ``t / cos(theta)``, ``D(t) = 1/2 int_0^1 D_path(t/mu) dmu`` (24-point
  Gauss-Legendre). A plate open on both sides receives twice this.

Spectra are integral spectra ``(..., n_energy)`` on ``energies_mev`` (see :mod:`.spectrum`). They
are refined to about 40 bins per decade (power-law interpolation); within each bin the flux is
taken uniform in residual range, which makes the kernel an exact difference of a cumulative
range-integral and the dose-depth curve smooth in ``t``. Flux above the last grid energy is put in
a last bin at the top energy. That machinery (ranges, bins, path kernels, geometries, spectra
behind a shield) is :mod:`.transport`, shared with :mod:`.damage` and :mod:`.see`; this module
adds the silicon dose response and the bremsstrahlung.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from orbitaldc.physics.radiation import stopping, transport

#: Density of aluminium, g/cm^3 (2.699 in NIST ESTAR/PSTAR material 013; alloys 2.70-2.80).
ALUMINIUM_DENSITY_G_CM3 = 2.70

SPECIES = ("proton", "electron", "bremsstrahlung")
GEOMETRIES = transport.GEOMETRIES

# NIST XCOM mass energy-absorption coefficient of Si, cm^2/g (Hubbell & Seltzer 1995, NISTIR 5632).
_XCOM_ENERGY_MEV = np.array(
    [
        0.01,
        0.015,
        0.02,
        0.03,
        0.04,
        0.05,
        0.06,
        0.08,
        0.1,
        0.15,
        0.2,
        0.3,
        0.4,
        0.5,
        0.6,
        0.8,
        1.0,
        1.25,
        1.5,
        2.0,
        3.0,
        4.0,
        5.0,
        6.0,
        8.0,
        10.0,
        15.0,
        20.0,
    ]
)
_XCOM_MU_EN_SI = np.array(
    [
        32.89,
        9.794,
        4.076,
        1.164,
        0.4782,
        0.2430,
        0.1434,
        6.896e-2,
        4.513e-2,
        3.086e-2,
        2.905e-2,
        2.932e-2,
        2.968e-2,
        2.971e-2,
        2.951e-2,
        2.875e-2,
        2.778e-2,
        2.652e-2,
        2.535e-2,
        2.345e-2,
        2.101e-2,
        1.963e-2,
        1.878e-2,
        1.827e-2,
        1.773e-2,
        1.753e-2,
        1.746e-2,
        1.757e-2,
    ]
)
#: Z/A of Al over Z/A of Si (13/26.98 over 14/28.09): Compton attenuation scales with electrons/g.
_AL_OVER_SI_ELECTRONS_PER_GRAM = (13.0 / 26.9815) / (14.0 / 28.0855)


def areal_mass_g_cm2(
    thickness_m: ArrayLike, density_g_cm3: float = ALUMINIUM_DENSITY_G_CM3
) -> np.ndarray:
    """Areal mass (g/cm^2) of a thickness in metres of a material of ``density_g_cm3``."""
    t = np.asarray(thickness_m, dtype=float)
    if not np.all(np.isfinite(t)) or np.any(t < 0.0):
        raise ValueError("thickness_m: must be finite and non-negative")
    if not density_g_cm3 > 0.0:
        raise ValueError("density_g_cm3: must be positive")
    return t * 100.0 * density_g_cm3


def thickness_m(
    areal_mass: ArrayLike, density_g_cm3: float = ALUMINIUM_DENSITY_G_CM3
) -> np.ndarray:
    """Thickness in metres of ``areal_mass`` g/cm^2 of a material of ``density_g_cm3``."""
    m = np.asarray(areal_mass, dtype=float)
    if not np.all(np.isfinite(m)) or np.any(m < 0.0):
        raise ValueError("areal_mass: must be finite and non-negative")
    if not density_g_cm3 > 0.0:
        raise ValueError("density_g_cm3: must be positive")
    return m / (100.0 * density_g_cm3)


def _mu_en_si(photon_mev: np.ndarray) -> np.ndarray:
    return np.exp(
        np.interp(
            np.log(np.clip(photon_mev, 0.01, 20.0)),
            np.log(_XCOM_ENERGY_MEV),
            np.log(_XCOM_MU_EN_SI),
        )
    )


#: Photon-energy fractions x = k/E and weights of Kramers' thick-target shape 2(1 - x) on [0, 1].
_K_NODES, _K_WEIGHTS = np.polynomial.legendre.leggauss(12)
_K_X = 0.5 * (_K_NODES + 1.0)
_K_W = 0.5 * _K_WEIGHTS * 2.0 * (1.0 - _K_X)


def _bremsstrahlung_kernel(energy_mev: np.ndarray, path_g_cm2: np.ndarray) -> np.ndarray:
    """Photon dose in Si per unit electron fluence, MeV cm^2/g, ``(n_energy, n_path)``."""
    e = energy_mev[:, None]
    s = path_g_cm2[None, :]
    e_out = stopping.electron_energy_after_mev(e, s, "al")
    radiated = e * stopping.electron_radiation_yield(
        e, "al"
    ) - e_out * stopping.electron_radiation_yield(e_out, "al")
    remaining = (s - 0.5 * np.minimum(stopping.electron_extrapolated_range_g_cm2(e, "al"), s))[
        ..., None
    ]
    mu_si = _mu_en_si(e[..., None] * _K_X)
    spectral = mu_si * np.exp(-mu_si * _AL_OVER_SI_ELECTRONS_PER_GRAM * remaining) @ _K_W
    return np.maximum(radiated, 0.0) * spectral


def dose_depth_rad_si_per_s(
    energies_mev: ArrayLike,
    integral_per_cm2_s: ArrayLike,
    species: str,
    thickness_g_cm2: ArrayLike,
    geometry: str = "sphere",
) -> np.ndarray:
    """Ionising dose rate in silicon behind aluminium, rad(Si)/s.

    Parameters
    ----------
    energies_mev : (n_energy,) increasing energy grid, MeV.
    integral_per_cm2_s : (..., n_energy) omnidirectional integral flux above each energy, per cm^2
        per s (an integral fluence gives rad(Si) instead of rad(Si)/s).
    species : ``"proton"``, ``"electron"`` or ``"bremsstrahlung"`` (the photon dose produced by the
        electron spectrum: pass the electron spectrum).
    thickness_g_cm2 : (n_thickness,) Al areal mass, g/cm^2 (see :func:`areal_mass_g_cm2`).
    geometry : ``"sphere"`` (centre of a solid sphere) or ``"slab"`` (back face of a slab lit from
        the front half-space).

    Returns
    -------
    (..., n_thickness) dose rate, rad(Si)/s.
    """
    e, j = transport.check_spectrum(energies_mev, integral_per_cm2_s)
    transport.check_choice(species, "species", SPECIES)
    transport.check_choice(geometry, "geometry", GEOMETRIES)
    t = transport.check_thickness(thickness_g_cm2)
    edges, mids = transport.spectrum_bins(e)
    fluence = transport.fluence_per_bin(e, j, edges)
    if species == "bremsstrahlung":
        top = np.append(mids, edges[-1])
        kernel = transport.over_geometry(lambda p: _bremsstrahlung_kernel(top, p), t, geometry)
    else:
        kernel = transport.over_geometry(
            lambda p: transport.path_kernel(species, edges, p), t, geometry
        )
    return fluence @ kernel / stopping.MEV_PER_G_PER_RAD


def dose_per_fluence_rad_si_cm2(
    species: str, energy_mev: ArrayLike, thickness_g_cm2: ArrayLike, geometry: str = "sphere"
) -> np.ndarray:
    """Dose in Si per unit omnidirectional fluence of mono-energetic particles, rad(Si) cm^2.

    ``(n_energy, n_thickness)``. At zero thickness the proton value is ``S_Si(E) / 6.2415e7``: at
    67 MeV, 1 rad(Si) per 7.93e6 protons/cm^2.
    """
    transport.check_choice(species, "species", SPECIES)
    transport.check_choice(geometry, "geometry", GEOMETRIES)
    e = np.atleast_1d(np.asarray(energy_mev, dtype=float))
    if not np.all(np.isfinite(e)) or np.any(e <= 0.0):
        raise ValueError("energy_mev: energies must be finite and positive")
    t = transport.check_thickness(thickness_g_cm2)
    if species == "bremsstrahlung":
        top = np.append(e, e[-1])
        k = transport.over_geometry(lambda p: _bremsstrahlung_kernel(top, p), t, geometry)[:-1]
    else:
        k = transport.over_geometry(lambda p: _point_kernel(species, e, p), t, geometry)
    return k / stopping.MEV_PER_G_PER_RAD


def _point_kernel(species: str, energy_mev: np.ndarray, path: np.ndarray) -> np.ndarray:
    residual = np.maximum(
        transport.range_g_cm2(species, energy_mev, "al")[:, None] - path[None, :], 0.0
    )
    e_out = np.where(residual > 0.0, transport.energy_from_range_mev(species, residual, "al"), 0.0)
    return np.where(residual > 0.0, transport.response_mev_cm2_g(species, e_out, "dose_si"), 0.0)
