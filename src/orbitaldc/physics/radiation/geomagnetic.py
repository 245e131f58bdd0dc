"""Geomagnetic shielding: cutoff rigidity along an orbit and the transmission it lets through.

Charged particles from outside the magnetosphere (solar protons, galactic cosmic rays) reach a point
only if their magnetic rigidity ``R = p c / (Z e)`` exceeds the local cutoff rigidity. Two
first-order cutoffs are provided:

- the Stormer vertical cutoff of a centred dipole, ``R_c = (C_st / 4) cos^4(lambda_m) / r^2``
  (Stormer 1955, *The Polar Aurora*; Smart & Shea 2005, Adv. Space Res. 36, 2012, eq. 1), with
  ``C_st = B_0 R_E c`` from the IGRF-13 dipole coefficients of epoch 2020 (14.2 GV at the
  magnetic equator on the surface; the classical 14.9 GV is the larger dipole moment of ~1930);
- the McIlwain-L fit to trajectory-traced vertical cutoffs, ``R_c = 15.96 L^-2.005`` GV (Shea,
  Smart & Gentile 1987, Phys. Earth Planet. Inter. 48, 200), which carries the eccentric, non-dipole
  field through ``L`` (use ``trapped.magnetic_coordinates`` for the IGRF ``L``).

The vertical cutoff stands in for the direction-averaged effective cutoff (the usual first-order
choice, e.g. CREME96's Stormer option, Tylka et al. 1997 IEEE TNS 44, 2150); the penumbra and
storm-time cutoff suppression are not modelled (assumption: quiet magnetosphere, which understates
solar-particle access during the large storms that often accompany large events).

Arrays are ``(satellite, time)`` or ``(time,)``; energies are kinetic energy per nucleon, MeV/n.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from orbitaldc.physics.constants import AMU_MEV, C_M_S, PROTON_REST_MEV, R_EARTH_M
from orbitaldc.physics.radiation.spectrum import FLOOR, check_grid

#: IGRF-13 degree-1 Gauss coefficients for 2020.0, nT (g10, g11, h11; Alken et al. 2021, Earth
#: Planets Space 73, 49, Table 2).
IGRF13_2020_G10_G11_H11_NT = (-29404.8, -1450.9, 4652.5)
#: IGRF reference radius, m (Alken et al. 2021).
IGRF_REFERENCE_RADIUS_M = 6_371_200.0
#: Stormer constant ``C_st = B_0 a c`` of the IGRF-13 2020 dipole, GV (B_0 = 29,806 nT): 56.9 GV,
#: so the vertical cutoff at the magnetic equator on the surface is ``C_st / 4`` = 14.2 GV.
STORMER_CONSTANT_GV = (
    float(np.sqrt(np.sum(np.square(IGRF13_2020_G10_G11_H11_NT))))
    * 1e-9
    * IGRF_REFERENCE_RADIUS_M
    * C_M_S
    / 1e9
)
#: Coefficient and exponent of ``R_c = K L^gamma`` (GV), Shea, Smart & Gentile (1987) best fit.
SHEA_SMART_K_GV = 15.96
SHEA_SMART_GAMMA = -2.005
#: Height of the absorbing atmosphere for Earth shadowing, m (assumption: 100 km, below which
#: particles arriving from below the horizon are absorbed; ECSS-E-ST-10-04C clause 9.2.4 uses the
#: solid Earth plus atmosphere).
SHADOW_ATMOSPHERE_M = 100e3
#: Range of :func:`cutoff_edges_gv`: 0.01 GV (a 0.05 MeV proton) to 30 GV (above the 14.2 GV
#: surface maximum of the dipole), and its default number of log-uniform edges (0.39 % apart).
CUTOFF_HISTOGRAM_RANGE_GV = (0.01, 30.0)
CUTOFF_HISTOGRAM_EDGES = 2048


def _species(mass_number: ArrayLike, charge_number: ArrayLike) -> tuple[np.ndarray, np.ndarray]:
    a = np.asarray(mass_number, dtype=float)
    z = np.asarray(charge_number, dtype=float)
    if np.any(a < 1.0) or np.any(z < 1.0) or np.any(z > a):
        raise ValueError(
            "mass_number, charge_number: need A >= Z >= 1 (nucleon and charge numbers)"
        )
    return a, z


def _rest_mev_per_n(a: np.ndarray) -> np.ndarray:
    """Rest energy per nucleon: the proton mass for A = 1, the atomic mass unit otherwise."""
    return np.where(a == 1.0, PROTON_REST_MEV, AMU_MEV)


def rigidity_gv(
    kinetic_energy_mev_per_n: ArrayLike, mass_number: ArrayLike = 1, charge_number: ArrayLike = 1
) -> np.ndarray:
    """Magnetic rigidity (GV) of a nucleus of ``A`` nucleons and charge ``Z``.

    ``R = (A / Z) sqrt(T (T + 2 m c^2)) / 1000`` with ``T`` the kinetic energy per nucleon (MeV/n)
    and ``m c^2`` the rest energy per nucleon (proton mass for A = 1, atomic mass unit otherwise;
    fully stripped ions, as galactic cosmic rays are). Broadcasts over all arguments.
    """
    t = np.asarray(kinetic_energy_mev_per_n, dtype=float)
    if np.any(t < 0.0):
        raise ValueError("kinetic_energy_mev_per_n: must be >= 0")
    a, z = _species(mass_number, charge_number)
    m = _rest_mev_per_n(a)
    return (a / z) * np.sqrt(t * (t + 2.0 * m)) / 1000.0


def kinetic_energy_mev_per_n(
    rigidity: ArrayLike, mass_number: ArrayLike = 1, charge_number: ArrayLike = 1
) -> np.ndarray:
    """Kinetic energy per nucleon (MeV/n) of a nucleus of rigidity ``rigidity`` (GV); inverse of
    :func:`rigidity_gv`: ``T = sqrt((1000 R Z / A)^2 + m^2) - m``."""
    r = np.asarray(rigidity, dtype=float)
    if np.any(r < 0.0):
        raise ValueError("rigidity: must be >= 0 GV")
    a, z = _species(mass_number, charge_number)
    m = _rest_mev_per_n(a)
    pc = 1000.0 * r * z / a
    return np.sqrt(pc * pc + m * m) - m


def dipole_magnetic_latitude_rad(r_ecef_m: ArrayLike) -> np.ndarray:
    """Latitude (rad) in the centred-dipole frame of the IGRF-13 2020 field, shape ``r[..., 0]``.

    The north geomagnetic pole points along ``-(g11, h11, g10) / B_0`` in ECEF (80.65 N, 72.68 W;
    Alken et al. 2021); ``sin(lambda_m) = r_hat . m_hat``.
    """
    r = np.asarray(r_ecef_m, dtype=float)
    g10, g11, h11 = IGRF13_2020_G10_G11_H11_NT
    axis = -np.array([g11, h11, g10]) / np.sqrt(g10 * g10 + g11 * g11 + h11 * h11)
    norm = np.linalg.norm(r, axis=-1)
    if np.any(norm <= 0.0):
        raise ValueError("r_ecef_m: positions must be away from the Earth's centre")
    return np.arcsin(np.clip((r @ axis) / norm, -1.0, 1.0))


def stormer_vertical_cutoff_gv(
    magnetic_latitude_rad: ArrayLike,
    radius_m: ArrayLike,
    stormer_constant_gv: float = STORMER_CONSTANT_GV,
) -> np.ndarray:
    """Stormer vertical cutoff rigidity (GV) of a centred dipole.

    ``R_c = (C_st / 4) cos^4(lambda_m) / (r / a)^2`` (Smart & Shea 2005 eq. 1 for vertical
    incidence), ``a`` the IGRF reference radius. ``radius_m`` is the geocentric distance.
    """
    r = np.asarray(radius_m, dtype=float)
    if np.any(r <= 0.0):
        raise ValueError("radius_m: geocentric distance must be positive")
    c = np.cos(np.asarray(magnetic_latitude_rad, dtype=float))
    return 0.25 * stormer_constant_gv * c**4 / (r / IGRF_REFERENCE_RADIUS_M) ** 2


def cutoff_from_l_gv(l_value: ArrayLike) -> np.ndarray:
    """Vertical cutoff rigidity (GV) from McIlwain ``L``: ``15.96 L^-2.005`` (Shea et al. 1987).

    Fitted to trajectory-traced cutoffs on and above the surface; least accurate near the
    cosmic-ray equator (their caveat). ``L`` must be >= 1 (Earth radii).
    """
    l_value = np.asarray(l_value, dtype=float)
    if np.any(~(l_value >= 1.0)):
        raise ValueError("l_value: McIlwain L must be >= 1 Earth radius")
    return SHEA_SMART_K_GV * l_value**SHEA_SMART_GAMMA


def earth_shadow_factor(
    radius_m: ArrayLike, atmosphere_m: float = SHADOW_ATMOSPHERE_M
) -> np.ndarray:
    """Fraction of the sky not hidden by the Earth and its atmosphere, for isotropic particles.

    The Earth subtends a cone of half-angle ``theta``, ``sin(theta) = (R_E + h_atm) / r``; the
    visible fraction of ``4 pi`` is ``(1 + cos(theta)) / 2`` (0.69 at 650 km). Points inside the
    absorbing shell get 0.5 (half the sky, the limit at its top).
    """
    r = np.asarray(radius_m, dtype=float)
    if np.any(r <= 0.0):
        raise ValueError("radius_m: geocentric distance must be positive")
    s = np.clip((R_EARTH_M + atmosphere_m) / r, 0.0, 1.0)
    return 0.5 * (1.0 + np.sqrt(1.0 - s * s))


def _cutoffs_and_shadow(
    cutoff_gv: ArrayLike, shadow: ArrayLike | None
) -> tuple[np.ndarray, np.ndarray]:
    """Checked cutoffs ``(..., time)`` (GV) and the shadow factor broadcast to them (1 if None)."""
    rc = np.asarray(cutoff_gv, dtype=float)
    if rc.ndim == 0 or rc.shape[-1] == 0:
        raise ValueError("cutoff_gv: need at least one time sample along the last axis")
    if np.any(~np.isfinite(rc)) or np.any(rc < 0.0):
        raise ValueError("cutoff_gv: cutoffs must be finite and >= 0 GV")
    s = np.ones_like(rc) if shadow is None else np.broadcast_to(np.asarray(shadow, float), rc.shape)
    return rc, s


def orbit_transmission(
    energies_mev_per_n: ArrayLike,
    cutoff_gv: ArrayLike,
    shadow: ArrayLike | None = None,
    mass_number: int = 1,
    charge_number: int = 1,
) -> np.ndarray:
    """Orbit-averaged geomagnetic transmission ``T(E)``, shape ``(..., n_energy)``.

    ``T(E) = mean_t[ S(t) * (R(E) > R_c(t)) ]``: the time fraction during which a particle of
    kinetic energy ``E`` per nucleon (rigidity ``R(E)`` for the given ``A``, ``Z``) exceeds the
    local cutoff, weighted by the Earth-shadow factor ``S`` (:func:`earth_shadow_factor`; pass
    ``None`` for 1). ``cutoff_gv`` is ``(..., time)`` (e.g. ``(satellite, time)``) at evenly spaced
    times; ``shadow`` broadcasts to it. Computed by sorting each row's cutoffs once, so the cost
    is ``O(n log n)`` per row for any number of energies.
    """
    e = check_grid(energies_mev_per_n)
    rc, s = _cutoffs_and_shadow(cutoff_gv, shadow)
    lead = rc.shape[:-1]
    n_t = rc.shape[-1]
    rc2 = rc.reshape(-1, n_t)
    s2 = s.reshape(-1, n_t)
    order = np.argsort(rc2, axis=1)
    rc_sorted = np.take_along_axis(rc2, order, axis=1)
    s_cum = np.concatenate(
        [np.zeros((rc2.shape[0], 1)), np.cumsum(np.take_along_axis(s2, order, axis=1), axis=1)],
        axis=1,
    )
    r = rigidity_gv(e, mass_number, charge_number)
    # One flat searchsorted over all rows: offset row i by i * span so rows never interleave.
    span = float(max(rc_sorted.max(), r.max())) + 1.0
    offsets = np.arange(rc2.shape[0])[:, None] * span
    k = np.searchsorted((rc_sorted + offsets).ravel(), (r[None, :] + offsets).ravel(), side="left")
    k = k.reshape(rc2.shape[0], e.size) - np.arange(rc2.shape[0])[:, None] * n_t
    out = np.take_along_axis(s_cum, k, axis=1) / n_t
    return out.reshape(*lead, e.size)


def peak_transmission(
    energies_mev_per_n: ArrayLike,
    cutoff_gv: ArrayLike,
    shadow: ArrayLike | None = None,
    mass_number: int = 1,
    charge_number: int = 1,
) -> np.ndarray:
    """Transmission at the least-shielded sample of a trajectory, shape ``(..., n_energy)``.

    ``T_max(E) = max_t[ S(t) * (R(E) > R_c(t)) ]``: the highest transmission any sample of the row
    reaches, for an event whose peak may coincide with the passage over the polar cap. Arguments
    as :func:`orbit_transmission` (``cutoff_gv`` ``(..., time)``); ``T_max >= T`` always.
    """
    e = check_grid(energies_mev_per_n)
    rc, s = _cutoffs_and_shadow(cutoff_gv, shadow)
    r = rigidity_gv(e, mass_number, charge_number)
    open_sky = r > rc[..., None]
    return np.max(np.where(open_sky, s[..., :, None], 0.0), axis=-2)


def cutoff_edges_gv(n_edges: int = CUTOFF_HISTOGRAM_EDGES) -> np.ndarray:
    """A fine cutoff-histogram grid: ``n_edges`` log-uniform edges (GV) over
    :data:`CUTOFF_HISTOGRAM_RANGE_GV`, shape ``(n_edges,)`` (2,048 edges: 0.39 % apart), for
    energies and species not known when the orbit pass runs. When they are, pass their
    rigidities (:func:`rigidity_gv`) as the edges: :func:`transmission_from_histogram` is then
    exact."""
    if int(n_edges) != n_edges or n_edges < 2:
        raise ValueError(f"n_edges: need an integer >= 2 histogram edges, got {n_edges}")
    lo, hi = CUTOFF_HISTOGRAM_RANGE_GV
    return np.geomspace(lo, hi, int(n_edges))


def transmission_from_histogram(
    energies_mev_per_n: ArrayLike,
    edges_gv: ArrayLike,
    weights: ArrayLike,
    mass_number: int = 1,
    charge_number: int = 1,
) -> np.ndarray:
    """Orbit-averaged transmission ``T(E)`` from a shadow-weighted cutoff histogram, ``(..., n)``.

    ``edges_gv`` ``(n_edges,)`` increasing rigidities; ``weights`` ``(..., n_edges + 1)``: the time
    mean of the Earth-shadow factor :func:`earth_shadow_factor` of the samples whose cutoff ``R_c``
    has ``m`` edges at or below it, in bucket ``m`` (bucket 0: below the first edge; the last:
    at or above the last edge). ``trapped.trapped_along_orbit(..., cutoff_edges_gv=edges)`` returns
    them; histograms of equal-length time chunks average like means.

    ``T(E)`` is the weight of the buckets below the rigidity ``R(E)`` plus the part of ``R(E)``'s
    own bucket below it (linear in rigidity; from 0 in bucket 0, none of the open last bucket).
    When ``R(E)`` is an edge this is exactly :func:`orbit_transmission` (the same sum in another
    order); otherwise it lies between :func:`orbit_transmission` at the bucket's two edges, i.e.
    it is the exact ``T`` at a rigidity within one bucket of ``R(E)`` (0.39 % for
    :func:`cutoff_edges_gv`, far inside the Stormer cutoff's own ~7 % error).
    """
    e = check_grid(energies_mev_per_n)
    edges = np.asarray(edges_gv, dtype=float)
    w = np.asarray(weights, dtype=float)
    if edges.ndim != 1 or edges.size < 1 or edges[0] <= 0.0 or np.any(np.diff(edges) <= 0.0):
        raise ValueError("edges_gv: need increasing bin edges > 0 GV, shape (n_edges,)")
    if w.ndim == 0 or w.shape[-1] != edges.size + 1:
        raise ValueError(f"weights: last axis must have {edges.size + 1} buckets (n_edges + 1)")
    if np.any(~np.isfinite(w)) or np.any(w < 0.0):
        raise ValueError("weights: histogram weights must be finite and >= 0")
    r = rigidity_gv(e, mass_number, charge_number)
    m = np.searchsorted(edges, r, side="left")  # bucket holding cutoffs just below R(E)
    lower = np.concatenate([[0.0], edges])[m]
    upper = np.concatenate([edges, [np.inf]])[m]
    frac = np.where(np.isfinite(upper), (r - lower) / (upper - lower), 0.0)
    # Sum of buckets 0 .. m-1 for every energy: an exclusive prefix sum over the buckets.
    below = np.cumsum(w, axis=-1)[..., m] - w[..., m]
    return below + frac * w[..., m]


def attenuate_integral_spectrum(
    energies_mev: ArrayLike, integral: ArrayLike, transmission: ArrayLike
) -> np.ndarray:
    """Integral spectrum behind the geomagnetic field: ``J'(E) = int_E^inf T(E') j(E') dE'``.

    ``integral`` ``(..., n)`` is the free-space integral spectrum on ``energies_mev`` (per cm^2
    per s, or fluence); ``transmission`` ``(..., n)`` from :func:`orbit_transmission` on the same
    grid. Each grid interval contributes its exact particle count ``J(E_i) - J(E_i+1)`` times the
    mean of ``T`` at its ends; the spectrum above the last grid energy is weighted by the last
    ``T``. Exact for constant ``T``; shape ``(..., n)``.
    """
    check_grid(energies_mev)
    j_int = np.asarray(integral, dtype=float)
    t = np.asarray(transmission, dtype=float)
    if np.any((t < 0.0) | (t > 1.0)):
        raise ValueError("transmission: values must lie in [0, 1]")
    t = np.broadcast_to(t, j_int.shape)
    counts = (j_int[..., :-1] - j_int[..., 1:]) * 0.5 * (t[..., :-1] + t[..., 1:])
    tail = j_int[..., -1:] * t[..., -1:]
    above = np.cumsum(counts[..., ::-1], axis=-1)[..., ::-1]
    out = np.concatenate([above, np.zeros_like(tail)], axis=-1) + tail
    return np.where(out > FLOOR, out, 0.0)
