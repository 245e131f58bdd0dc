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
a last bin at the top energy.
"""

from __future__ import annotations

from functools import cache

import numpy as np
from numpy.typing import ArrayLike

from orbitaldc.physics.radiation import spectrum, stopping

#: Density of aluminium, g/cm^3 (2.699 in NIST ESTAR/PSTAR material 013; alloys 2.70-2.80).
ALUMINIUM_DENSITY_G_CM3 = 2.70

SPECIES = ("proton", "electron", "bremsstrahlung")
GEOMETRIES = ("sphere", "slab")

_BINS_PER_DECADE = 40
_MU_NODES, _MU_WEIGHTS = np.polynomial.legendre.leggauss(24)
_MU = 0.5 * (_MU_NODES + 1.0)
#: Slab quadrature weights: 1/2 (front half-space of the omnidirectional flux) x Gauss-Legendre
#: weights on mu in [0, 1] (which sum to 1).
_SLAB_W = 0.25 * _MU_WEIGHTS

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


def _check_choice(value: str, name: str, options: tuple[str, ...]) -> str:
    if value not in options:
        raise ValueError(f"{name}: must be one of {options}, got {value!r}")
    return value


def _thickness(thickness_g_cm2: ArrayLike) -> np.ndarray:
    t = np.atleast_1d(np.asarray(thickness_g_cm2, dtype=float))
    if t.ndim != 1 or not np.all(np.isfinite(t)) or np.any(t < 0.0):
        raise ValueError("thickness_g_cm2: need a 1-D array of finite, non-negative areal masses")
    return t


# --- range-energy relation and local response of each species ----------------------------------


def _range(species: str, energy_mev: np.ndarray, material: str) -> np.ndarray:
    if species == "proton":
        return stopping.proton_csda_range_g_cm2(energy_mev, material)
    return stopping.electron_extrapolated_range_g_cm2(energy_mev, material)


def _energy_from_range(species: str, range_g_cm2: np.ndarray, material: str) -> np.ndarray:
    if species == "proton":
        return stopping.proton_energy_from_range_mev(range_g_cm2, material)
    return stopping.electron_energy_from_range_mev(range_g_cm2, material)


def _response_si(species: str, energy_mev: np.ndarray) -> np.ndarray:
    """Dose per unit fluence in Si at the dose point, MeV cm^2/g."""
    if species == "proton":
        return stopping.proton_stopping_power_mev_cm2_g(energy_mev, "si", "total")
    return stopping.electron_stopping_power_mev_cm2_g(energy_mev, "si", "collision")


@cache
def _cumulative(species: str, response: str, material: str) -> tuple[np.ndarray, np.ndarray]:
    """``G(r) = int_0^r response(E(r')) dr'`` on a fine range grid (trapezoid in r)."""
    low = 1e-3 if species == "proton" else 1e-2
    e = np.concatenate([[0.0], np.geomspace(low, 1e4 if species == "proton" else 1e3, 2001)])
    r = _range(species, e, material)
    if response == "dose_si":
        f = _response_si(species, e)
    else:
        from orbitaldc.physics.radiation import damage

        f = damage.niel_gaas_mev_cm2_g(e, species)
    f[0] = f[1]
    g = np.concatenate([[0.0], np.cumsum(0.5 * (f[1:] + f[:-1]) * np.diff(r))])
    return r, g


def _bins(energies_mev: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Bin edges (n_bins + 1,) refining the spectrum grid to ~40 bins per decade, and midpoints."""
    decades = np.log10(energies_mev[-1] / energies_mev[0])
    n = max(int(np.ceil(decades * _BINS_PER_DECADE)), 1)
    edges = np.union1d(np.geomspace(energies_mev[0], energies_mev[-1], n + 1), energies_mev)
    return edges, np.sqrt(edges[:-1] * edges[1:])


def _fluence_per_bin(
    energies_mev: np.ndarray, integral: np.ndarray, edges: np.ndarray
) -> np.ndarray:
    """Fluence in each bin ``(..., n_bins + 1)``; the last entry is the flux above the top energy."""
    j = spectrum.interpolate_integral(energies_mev, integral, edges)
    top = np.maximum(np.asarray(integral, dtype=float)[..., -1:], 0.0)
    j = np.concatenate([j[..., :-1], top], axis=-1)
    return np.concatenate([np.maximum(j[..., :-1] - j[..., 1:], 0.0), top], axis=-1)


def _particle_kernel(
    species: str, edges: np.ndarray, path_g_cm2: np.ndarray, response: str, material: str
) -> np.ndarray:
    """Response per unit fluence for each bin (flux uniform in residual range), ``(n_bins+1, n_path)``.

    Bin ``[E_a, E_b]`` behind path ``s``: ``[G(R(E_b) - s) - G(R(E_a) - s)] / (R(E_b) - R(E_a))``;
    the extra last row is a particle at the top energy.
    """
    r_grid, g_grid = _cumulative(species, response, material)
    r_edges = _range(species, edges, material)
    s = path_g_cm2[None, :]
    ra = np.maximum(r_edges[:-1, None] - s, 0.0)
    rb = np.maximum(r_edges[1:, None] - s, 0.0)
    width = (r_edges[1:] - r_edges[:-1])[:, None]
    # Above the range table's top energy ranges saturate and a bin has zero width: it gets no
    # response of its own (its particles are counted by the top row).
    deposited = np.interp(rb, r_grid, g_grid) - np.interp(ra, r_grid, g_grid)
    binned = np.divide(deposited, width, out=np.zeros_like(deposited), where=width > 0.0)
    top_residual = np.maximum(r_edges[-1] - path_g_cm2, 0.0)
    e_top = np.where(top_residual > 0.0, _energy_from_range(species, top_residual, material), 0.0)
    if response == "dose_si":
        f_top = _response_si(species, e_top)
    else:
        from orbitaldc.physics.radiation import damage

        f_top = damage.niel_gaas_mev_cm2_g(e_top, species)
    return np.vstack([binned, np.where(top_residual > 0.0, f_top, 0.0)[None, :]])


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


def _kernel(
    species: str,
    edges: np.ndarray,
    mids: np.ndarray,
    path: np.ndarray,
    response: str,
    material: str,
) -> np.ndarray:
    if species == "bremsstrahlung":
        return _bremsstrahlung_kernel(np.append(mids, edges[-1]), path)
    return _particle_kernel(species, edges, path, response, material)


def _geometry_kernel(
    species: str,
    edges: np.ndarray,
    mids: np.ndarray,
    t: np.ndarray,
    geometry: str,
    response: str = "dose_si",
    material: str = "al",
) -> np.ndarray:
    if geometry == "sphere":
        return _kernel(species, edges, mids, t, response, material)
    paths = (t[:, None] / _MU[None, :]).ravel()
    k = _kernel(species, edges, mids, paths, response, material).reshape(-1, t.size, _MU.size)
    return np.einsum("ktm,m->kt", k, _SLAB_W)


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
    e = spectrum.check_grid(energies_mev)
    j = np.asarray(integral_per_cm2_s, dtype=float)
    if j.shape[-1:] != e.shape or not np.all(np.isfinite(j)) or np.any(j < 0.0):
        raise ValueError(
            "integral_per_cm2_s: need finite non-negative values with last axis len(energies_mev)"
        )
    _check_choice(species, "species", SPECIES)
    _check_choice(geometry, "geometry", GEOMETRIES)
    t = _thickness(thickness_g_cm2)
    edges, mids = _bins(e)
    fluence = _fluence_per_bin(e, j, edges)
    kernel = _geometry_kernel(species, edges, mids, t, geometry)
    return fluence @ kernel / stopping.MEV_PER_G_PER_RAD


def dose_per_fluence_rad_si_cm2(
    species: str, energy_mev: ArrayLike, thickness_g_cm2: ArrayLike, geometry: str = "sphere"
) -> np.ndarray:
    """Dose in Si per unit omnidirectional fluence of mono-energetic particles, rad(Si) cm^2.

    ``(n_energy, n_thickness)``. At zero thickness the proton value is ``S_Si(E) / 6.2415e7``: at
    67 MeV, 1 rad(Si) per 7.93e6 protons/cm^2.
    """
    _check_choice(species, "species", SPECIES)
    _check_choice(geometry, "geometry", GEOMETRIES)
    e = np.atleast_1d(np.asarray(energy_mev, dtype=float))
    if not np.all(np.isfinite(e)) or np.any(e <= 0.0):
        raise ValueError("energy_mev: energies must be finite and positive")
    t = _thickness(thickness_g_cm2)
    if species == "bremsstrahlung":
        k = _geometry_kernel(species, np.append(e, e[-1]), e, t, geometry)[:-1]
    else:
        if geometry == "sphere":
            k = _point_kernel(species, e, t)
        else:
            paths = (t[:, None] / _MU[None, :]).ravel()
            k = np.einsum(
                "ktm,m->kt", _point_kernel(species, e, paths).reshape(e.size, t.size, -1), _SLAB_W
            )
    return k / stopping.MEV_PER_G_PER_RAD


def _point_kernel(species: str, energy_mev: np.ndarray, path: np.ndarray) -> np.ndarray:
    residual = np.maximum(_range(species, energy_mev, "al")[:, None] - path[None, :], 0.0)
    e_out = np.where(residual > 0.0, _energy_from_range(species, residual, "al"), 0.0)
    return np.where(residual > 0.0, _response_si(species, e_out), 0.0)


def shielded_integral_spectrum(
    energies_mev: ArrayLike,
    integral_per_cm2_s: ArrayLike,
    thickness_g_cm2: float,
    species: str = "proton",
    geometry: str = "sphere",
) -> np.ndarray:
    """Integral spectrum behind the shield on the same energy grid, shape of ``integral_per_cm2_s``.

    CSDA (extrapolated range for electrons): the flux above ``E'`` behind a path ``s`` is the
    incident flux above ``R^-1(R(E') + s)``; the slab averages paths ``t/mu`` over the front
    hemisphere (half the incident flux). Used for single-event rates and displacement damage
    behind shielding.
    """
    e = spectrum.check_grid(energies_mev)
    j = np.asarray(integral_per_cm2_s, dtype=float)
    if j.shape[-1:] != e.shape or not np.all(np.isfinite(j)) or np.any(j < 0.0):
        raise ValueError(
            "integral_per_cm2_s: need finite non-negative values with last axis len(energies_mev)"
        )
    _check_choice(species, "species", ("proton", "electron"))
    _check_choice(geometry, "geometry", GEOMETRIES)
    t = float(_thickness(thickness_g_cm2)[0])
    if geometry == "sphere":
        e_in = _energy_from_range(species, _range(species, e, "al") + t, "al")
        return _integral_at(e, j, e_in)
    e_in = _energy_from_range(species, _range(species, e, "al")[:, None] + t / _MU[None, :], "al")
    shielded = _integral_at(e, j, e_in.ravel()).reshape(j.shape[:-1] + e_in.shape)
    return np.einsum("...em,m->...e", shielded, _SLAB_W)


def _integral_at(e: np.ndarray, j: np.ndarray, at: np.ndarray) -> np.ndarray:
    """Integral spectrum at the energies ``at`` (zero above the grid: nothing is known there)."""
    return spectrum.interpolate_integral(e, j, at)
