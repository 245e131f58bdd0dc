"""Particle transport through a shield: the machinery dose, damage and single-event rates share.

Straight-ahead continuous slowing down (CSDA; for electrons the *extrapolated* range, Tabata et al.
1996, which folds multiple-scattering detours into the depth-energy relation) of omnidirectional
integral spectra through aluminium, silicon or cover glass, on the range tables of
:mod:`.stopping`:

- :func:`shielded_integral_spectrum`: the spectrum behind a shield, on the same energy grid (the
  flux above ``E'`` behind a path ``s`` is the incident flux above ``R^-1(R(E') + s)``);
- :func:`spectrum_bins` and :func:`fluence_per_bin`: a spectrum refined to about 40 bins per decade
  (power-law interpolation, :mod:`.spectrum`), its fluence per bin, plus a last bin at the top
  energy for the flux above the grid;
- :func:`path_kernel`: the response (dose in Si, or GaAs NIEL) per unit fluence in each bin behind
  a straight path, taking the flux uniform in residual range inside a bin, which makes the kernel
  an exact difference of a cumulative range-integral (smooth in the path);
- :func:`over_geometry`: a path kernel averaged over the shield geometry.

Geometries (thickness ``t`` in g/cm^2): ``"sphere"``, the dose point at the centre of a solid
sphere of radius ``t`` in an isotropic omnidirectional flux, every path ``t``; ``"slab"``, the back
face of a plane slab lit isotropically from the front half-space only (the back assumed fully
shielded), paths ``t / mu``, ``K(t) = 1/2 int_0^1 K_path(t/mu) dmu`` (24-point Gauss-Legendre). A
plate open on both sides receives twice the slab value.

Neglected, as in SHIELDOSE-2's proton part (Seltzer 1994, NIST IR 5477): nuclear reactions (~1 % of
protons removed per g/cm^2, their secondaries adding part back) and range straggling.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache

import numpy as np
from numpy.typing import ArrayLike

from orbitaldc.physics.radiation import niel, spectrum, stopping

SPECIES = ("proton", "electron")
GEOMETRIES = ("sphere", "slab")
#: Responses a path kernel can carry: ionising dose in Si (MeV cm^2/g: PSTAR total stopping power
#: for protons, ESTAR collision stopping power for electrons) or GaAs NIEL (:mod:`.niel`).
RESPONSES = ("dose_si", "niel_gaas")

BINS_PER_DECADE = 40
_MU_NODES, _MU_WEIGHTS = np.polynomial.legendre.leggauss(24)
#: Slab quadrature: direction cosines in (0, 1) and weights 1/2 (front half-space of the
#: omnidirectional flux) x Gauss-Legendre weights on mu in [0, 1] (which sum to 1).
SLAB_MU = 0.5 * (_MU_NODES + 1.0)
SLAB_WEIGHTS = 0.25 * _MU_WEIGHTS


def check_choice(value: str, name: str, options: tuple[str, ...]) -> str:
    """``value`` if it is one of ``options``, else ``ValueError`` naming ``name``."""
    if value not in options:
        raise ValueError(f"{name}: must be one of {options}, got {value!r}")
    return value


def check_thickness(thickness_g_cm2: ArrayLike) -> np.ndarray:
    """Areal masses as a 1-D float array; ``ValueError`` unless finite and non-negative."""
    t = np.atleast_1d(np.asarray(thickness_g_cm2, dtype=float))
    if t.ndim != 1 or not np.all(np.isfinite(t)) or np.any(t < 0.0):
        raise ValueError("thickness_g_cm2: need a 1-D array of finite, non-negative areal masses")
    return t


def check_spectrum(energies_mev: ArrayLike, integral: ArrayLike) -> tuple[np.ndarray, np.ndarray]:
    """The grid and an integral spectrum ``(..., n_energy)`` on it, validated."""
    e = spectrum.check_grid(energies_mev)
    j = np.asarray(integral, dtype=float)
    if j.shape[-1:] != e.shape or not np.all(np.isfinite(j)) or np.any(j < 0.0):
        raise ValueError(
            "integral_per_cm2_s: need finite non-negative values with last axis len(energies_mev)"
        )
    return e, j


def range_g_cm2(species: str, energy_mev: np.ndarray, material: str) -> np.ndarray:
    """CSDA range (protons) or extrapolated range (electrons) in ``material``, g/cm^2."""
    if species == "proton":
        return stopping.proton_csda_range_g_cm2(energy_mev, material)
    return stopping.electron_extrapolated_range_g_cm2(energy_mev, material)


def energy_from_range_mev(species: str, r_g_cm2: np.ndarray, material: str) -> np.ndarray:
    """Inverse of :func:`range_g_cm2`, MeV."""
    if species == "proton":
        return stopping.proton_energy_from_range_mev(r_g_cm2, material)
    return stopping.electron_energy_from_range_mev(r_g_cm2, material)


def response_mev_cm2_g(species: str, energy_mev: np.ndarray, response: str) -> np.ndarray:
    """Local response per unit fluence at ``energy_mev``, MeV cm^2/g (see :data:`RESPONSES`)."""
    if response == "niel_gaas":
        return niel.niel_gaas_mev_cm2_g(energy_mev, species)
    if species == "proton":
        return stopping.proton_stopping_power_mev_cm2_g(energy_mev, "si", "total")
    return stopping.electron_stopping_power_mev_cm2_g(energy_mev, "si", "collision")


@cache
def _cumulative(species: str, response: str, material: str) -> tuple[np.ndarray, np.ndarray]:
    """``G(r) = int_0^r response(E(r')) dr'`` on a fine range grid (trapezoid in r)."""
    low = 1e-3 if species == "proton" else 1e-2
    e = np.concatenate([[0.0], np.geomspace(low, 1e4 if species == "proton" else 1e3, 2001)])
    r = range_g_cm2(species, e, material)
    f = response_mev_cm2_g(species, e, response)
    f[0] = f[1]
    g = np.concatenate([[0.0], np.cumsum(0.5 * (f[1:] + f[:-1]) * np.diff(r))])
    return r, g


def spectrum_bins(energies_mev: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Bin edges ``(n_bins + 1,)`` refining the spectrum grid to :data:`BINS_PER_DECADE`, and the
    bins' geometric midpoints ``(n_bins,)``, MeV."""
    decades = np.log10(energies_mev[-1] / energies_mev[0])
    n = max(int(np.ceil(decades * BINS_PER_DECADE)), 1)
    edges = np.union1d(np.geomspace(energies_mev[0], energies_mev[-1], n + 1), energies_mev)
    return edges, np.sqrt(edges[:-1] * edges[1:])


def fluence_per_bin(
    energies_mev: np.ndarray, integral: np.ndarray, edges: np.ndarray
) -> np.ndarray:
    """Fluence in each bin ``(..., n_bins + 1)``; the last entry is the flux above the top energy."""
    j = spectrum.interpolate_integral(energies_mev, integral, edges)
    top = np.maximum(np.asarray(integral, dtype=float)[..., -1:], 0.0)
    j = np.concatenate([j[..., :-1], top], axis=-1)
    return np.concatenate([np.maximum(j[..., :-1] - j[..., 1:], 0.0), top], axis=-1)


def path_kernel(
    species: str,
    edges: np.ndarray,
    path_g_cm2: np.ndarray,
    response: str = "dose_si",
    material: str = "al",
) -> np.ndarray:
    """Response per unit fluence for each bin behind each path, MeV cm^2/g, ``(n_bins + 1, n_path)``.

    Bin ``[E_a, E_b]`` behind path ``s`` (flux uniform in residual range):
    ``[G(R(E_b) - s) - G(R(E_a) - s)] / (R(E_b) - R(E_a))``; the extra last row is a particle at the
    top energy. ``material`` is the shield's (``"al"``, or ``"si"`` for cover glass taken as
    silicon-equivalent areal mass).
    """
    r_grid, g_grid = _cumulative(species, response, material)
    r_edges = range_g_cm2(species, edges, material)
    s = path_g_cm2[None, :]
    ra = np.maximum(r_edges[:-1, None] - s, 0.0)
    rb = np.maximum(r_edges[1:, None] - s, 0.0)
    width = (r_edges[1:] - r_edges[:-1])[:, None]
    # Above the range table's top energy ranges saturate and a bin has zero width: it gets no
    # response of its own (its particles are counted by the top row).
    deposited = np.interp(rb, r_grid, g_grid) - np.interp(ra, r_grid, g_grid)
    binned = np.divide(deposited, width, out=np.zeros_like(deposited), where=width > 0.0)
    top_residual = np.maximum(r_edges[-1] - path_g_cm2, 0.0)
    e_top = np.where(
        top_residual > 0.0, energy_from_range_mev(species, top_residual, material), 0.0
    )
    f_top = response_mev_cm2_g(species, e_top, response)
    return np.vstack([binned, np.where(top_residual > 0.0, f_top, 0.0)[None, :]])


def over_geometry(
    kernel: Callable[[np.ndarray], np.ndarray], thickness_g_cm2: np.ndarray, geometry: str
) -> np.ndarray:
    """A path kernel ``kernel(path (n_path,)) -> (n_row, n_path)`` over the shield geometry,
    ``(n_row, n_thickness)``: the path itself in a sphere, the slab's quadrature over ``t / mu``."""
    t = thickness_g_cm2
    if geometry == "sphere":
        return kernel(t)
    paths = (t[:, None] / SLAB_MU[None, :]).ravel()
    k = kernel(paths).reshape(-1, t.size, SLAB_MU.size)
    return np.einsum("ktm,m->kt", k, SLAB_WEIGHTS)


def shielded_integral_spectrum(
    energies_mev: ArrayLike,
    integral_per_cm2_s: ArrayLike,
    thickness_g_cm2: float,
    species: str = "proton",
    geometry: str = "sphere",
) -> np.ndarray:
    """Integral spectrum behind the shield on the same energy grid, shape of ``integral_per_cm2_s``.

    CSDA (extrapolated range for electrons) through ``thickness_g_cm2`` of aluminium: the flux
    above ``E'`` behind a path ``s`` is the incident flux above ``R^-1(R(E') + s)`` (zero above the
    grid: nothing is known there); the slab averages paths ``t/mu`` over the front hemisphere
    (half the incident flux). Used for single-event rates behind shielding.
    """
    e, j = check_spectrum(energies_mev, integral_per_cm2_s)
    check_choice(species, "species", SPECIES)
    check_choice(geometry, "geometry", GEOMETRIES)
    t = float(check_thickness(thickness_g_cm2)[0])
    if geometry == "sphere":
        e_in = energy_from_range_mev(species, range_g_cm2(species, e, "al") + t, "al")
        return spectrum.interpolate_integral(e, j, e_in)
    e_in = energy_from_range_mev(
        species, range_g_cm2(species, e, "al")[:, None] + t / SLAB_MU[None, :], "al"
    )
    shielded = spectrum.interpolate_integral(e, j, e_in.ravel()).reshape(j.shape[:-1] + e_in.shape)
    return np.einsum("...em,m->...e", shielded, SLAB_WEIGHTS)
