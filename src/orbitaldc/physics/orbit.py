"""Mean orbital elements and zonal-harmonic propagation, vectorised over (satellite, time).

Model: Keplerian motion whose RAAN, argument of perigee and mean anomaly drift at the first-order
secular J2 rates (Vallado, *Fundamentals of Astrodynamics and Applications*, 4th ed., eqs. 9-41 and
9-42; Brouwer 1959), plus the two periodic terms that move the orbit radius by kilometres:

- the J3 long-period eccentricity: the eccentricity vector is the mean one (rotating at the J2
  perigee rate) plus a fixed offset of ``e_f = -(J3 / 2 J2) (R / p) sin i`` toward the northernmost
  point (Brouwer 1959; SGP4's ``a_yNL`` term, Hoots & Roehrich 1980, Spacetrack Report No. 3). An
  orbit with zero mean eccentricity is therefore the frozen orbit of Cook (1966) and Liu & Alford
  (1980): about 1e-3 in LEO, a radius 7 km lower over the north than over the south;
- the J2 short-period radius term ``(J2 R^2 sin^2 i / 4 p) cos 2u`` (u the argument of latitude;
  Brouwer 1959, SGP4's short-period ``r_k``), +-1.5 km twice per orbit, with its orbit mean
  removed so that ``semi_major_axis_m`` stays the mean orbit radius of a circular orbit.

The other short-period J2 terms (along-track ~0.7 km, node and inclination ~1e-4 rad), higher
zonals, drag and third-body perturbations are not modelled: see docs/validation.md for the size of
the difference from SGP4. Positions are in ECI, the mean equator and equinox of date; time is
seconds since J2000 UTC (:mod:`orbitaldc.physics.timescale`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from numpy.typing import ArrayLike

from orbitaldc.physics.constants import (
    J2_EARTH,
    J3_EARTH,
    MU_EARTH_M3_S2,
    R_EARTH_M,
    SUN_MEAN_MOTION_RAD_S,
)
from orbitaldc.physics.sun import mean_sun_right_ascension_rad


@dataclass(frozen=True)
class MeanElements:
    """Mean orbital elements of ``n_sat`` satellites, each field an array of shape ``(n_sat,)``.

    Attributes
    ----------
    semi_major_axis_m, eccentricity, inclination_rad, raan_rad, arg_perigee_rad, mean_anomaly_rad
        Classical elements at ``epoch_s``; angles in rad, ECI of date.
    epoch_s
        Epoch of the elements, seconds since J2000 UTC.
    plane
        Integer label of each satellite's plane or shell (for per-plane tables).
    """

    semi_major_axis_m: np.ndarray
    eccentricity: np.ndarray
    inclination_rad: np.ndarray
    raan_rad: np.ndarray
    arg_perigee_rad: np.ndarray
    mean_anomaly_rad: np.ndarray
    epoch_s: np.ndarray
    plane: np.ndarray = field(default=None)  # type: ignore[assignment]

    def __post_init__(self) -> None:
        names = (
            "semi_major_axis_m",
            "eccentricity",
            "inclination_rad",
            "raan_rad",
            "arg_perigee_rad",
            "mean_anomaly_rad",
            "epoch_s",
        )
        arrays = np.broadcast_arrays(
            *(np.atleast_1d(np.asarray(getattr(self, k), float)) for k in names)
        )
        for name, value in zip(names, arrays, strict=True):
            object.__setattr__(self, name, np.ascontiguousarray(value))
        plane = np.zeros(arrays[0].shape, int) if self.plane is None else self.plane
        object.__setattr__(
            self, "plane", np.broadcast_to(np.asarray(plane, int), arrays[0].shape).copy()
        )
        if np.any(self.semi_major_axis_m <= R_EARTH_M):
            raise ValueError("semi_major_axis_m must exceed Earth's radius (6378.137 km)")
        if np.any((self.eccentricity < 0) | (self.eccentricity >= 1)):
            raise ValueError("eccentricity must be in [0, 1) for a closed orbit")

    @property
    def n_satellites(self) -> int:
        """Number of satellites."""
        return int(self.semi_major_axis_m.shape[0])

    def take(self, index: slice | np.ndarray) -> MeanElements:
        """The satellites ``index`` selects (a slice or integer indices), in that order."""
        return MeanElements(**{k: v[index] for k, v in vars(self).items()})

    @staticmethod
    def concatenate(parts: list[MeanElements]) -> MeanElements:
        """One element set holding the satellites of ``parts`` in order."""
        names = (
            "semi_major_axis_m",
            "eccentricity",
            "inclination_rad",
            "raan_rad",
            "arg_perigee_rad",
            "mean_anomaly_rad",
            "epoch_s",
            "plane",
        )
        return MeanElements(**{k: np.concatenate([getattr(p, k) for p in parts]) for k in names})


def mean_motion_rad_s(semi_major_axis_m: ArrayLike) -> np.ndarray:
    """Keplerian mean motion ``sqrt(mu / a^3)``, rad/s."""
    a = np.asarray(semi_major_axis_m, dtype=float)
    return np.sqrt(MU_EARTH_M3_S2 / a**3)


def period_s(semi_major_axis_m: ArrayLike) -> np.ndarray:
    """Keplerian orbital period ``2 pi sqrt(a^3 / mu)``, s."""
    return 2.0 * np.pi / mean_motion_rad_s(semi_major_axis_m)


def j2_secular_rates(
    semi_major_axis_m: ArrayLike, eccentricity: ArrayLike, inclination_rad: ArrayLike
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """First-order secular J2 rates (Vallado 4th ed. eqs. 9-41, 9-42), rad/s.

    Returns
    -------
    raan_dot, arg_perigee_dot, mean_anomaly_dot
        ``-1.5 n J2 (R/p)^2 cos i``, ``0.75 n J2 (R/p)^2 (4 - 5 sin^2 i)`` and
        ``n + 0.75 n J2 (R/p)^2 sqrt(1 - e^2) (2 - 3 sin^2 i)``.
    """
    a = np.asarray(semi_major_axis_m, dtype=float)
    e = np.asarray(eccentricity, dtype=float)
    i = np.asarray(inclination_rad, dtype=float)
    n = mean_motion_rad_s(a)
    p = a * (1.0 - e**2)
    k = n * J2_EARTH * (R_EARTH_M / p) ** 2
    sin2 = np.sin(i) ** 2
    raan_dot = -1.5 * k * np.cos(i)
    argp_dot = 0.75 * k * (4.0 - 5.0 * sin2)
    m_dot = n + 0.75 * k * np.sqrt(1.0 - e**2) * (2.0 - 3.0 * sin2)
    return raan_dot, argp_dot, m_dot


def sun_synchronous_inclination_rad(
    semi_major_axis_m: ArrayLike, eccentricity: ArrayLike = 0.0
) -> np.ndarray:
    """Inclination whose J2 nodal precession follows the mean Sun (360 deg per tropical year), rad.

    ``cos i = -2 rho_dot / (3 n J2 (R/p)^2)`` (Vallado 4th ed. eq. 11-14). Raises ValueError for
    orbits too high to be sun-synchronous (|cos i| > 1, above about 5,970 km for e = 0).
    """
    a = np.asarray(semi_major_axis_m, dtype=float)
    e = np.asarray(eccentricity, dtype=float)
    p = a * (1.0 - e**2)
    cos_i = (
        -2.0
        * SUN_MEAN_MOTION_RAD_S
        / (3.0 * mean_motion_rad_s(a) * J2_EARTH * (R_EARTH_M / p) ** 2)
    )
    if np.any(np.abs(cos_i) > 1.0):
        bad = np.atleast_1d(a)[np.atleast_1d(np.abs(cos_i) > 1.0)][0]
        raise ValueError(
            f"no sun-synchronous orbit exists at altitude {(bad - R_EARTH_M) / 1e3:.0f} km "
            "(J2 precession is too weak above ~5,970 km)"
        )
    return np.arccos(cos_i)


def raan_from_ltan_rad(ltan_h: ArrayLike, t_s: ArrayLike) -> np.ndarray:
    """RAAN that puts the ascending node at local mean solar time ``ltan_h`` at time ``t_s``, rad.

    ``RAAN = alpha_mean_sun + 15 deg/h x (LTAN - 12 h)``; the mean Sun (not the true Sun) defines
    local mean time, so the equation of time (up to 16 min) is not included.
    """
    offset = np.radians(15.0 * (np.asarray(ltan_h, dtype=float) - 12.0))
    return np.mod(mean_sun_right_ascension_rad(t_s) + offset, 2.0 * np.pi)


def solve_kepler(mean_anomaly_rad: ArrayLike, eccentricity: ArrayLike) -> np.ndarray:
    """Eccentric anomaly E from ``M = E - e sin E`` by vectorised Newton iteration, rad.

    Starts at ``E = M + e sin M`` and iterates until |dE| < 1e-14 (at most 30 steps; e < 1).
    """
    m = np.asarray(mean_anomaly_rad, dtype=float)
    e = np.asarray(eccentricity, dtype=float)
    ecc = e * np.ones_like(m)
    big_e = m + ecc * np.sin(m)
    for _ in range(30):
        step = (big_e - ecc * np.sin(big_e) - m) / (1.0 - ecc * np.cos(big_e))
        big_e = big_e - step
        if np.all(np.abs(step) < 1e-14):
            break
    return big_e


def frozen_eccentricity(
    semi_major_axis_m: ArrayLike, eccentricity: ArrayLike, inclination_rad: ArrayLike
) -> np.ndarray:
    """J3 long-period eccentricity ``e_f = -(J3 / 2 J2) (R / p) sin i``, dimensionless.

    The offset of the eccentricity vector toward the argument of latitude 90 deg (the
    northernmost point) about which the mean eccentricity vector turns (Brouwer 1959, long-period
    terms; SGP4's ``a_yNL = e sin w + A30 sin i / (4 k2 a (1 - e^2))``, Hoots & Roehrich 1980,
    Spacetrack Report No. 3). It is the frozen-orbit eccentricity of Liu & Alford (1980) away from
    the critical inclination: 1.05e-3 at 650 km sun-synchronous (radius 7.4 km lower over the north
    than over the south), 0.86e-3 at 550 km and 53 deg.
    """
    a = np.asarray(semi_major_axis_m, dtype=float)
    e = np.asarray(eccentricity, dtype=float)
    return -0.5 * (J3_EARTH / J2_EARTH) * R_EARTH_M / (a * (1.0 - e**2)) * np.sin(inclination_rad)


def short_period_radius_amplitude_m(
    semi_major_axis_m: ArrayLike, eccentricity: ArrayLike, inclination_rad: ArrayLike
) -> np.ndarray:
    """Amplitude ``J2 R^2 sin^2 i / (4 p)`` of the J2 short-period radius term ``cos 2u``, m.

    Brouwer (1959) short-period terms; SGP4's ``r_k = ... + (k2 / 2 p) (1 - cos^2 i) cos 2u`` with
    ``k2 = J2 R^2 / 2`` (Hoots & Roehrich 1980). 1.54 km at 650 km sun-synchronous.
    """
    a = np.asarray(semi_major_axis_m, dtype=float)
    e = np.asarray(eccentricity, dtype=float)
    return 0.25 * J2_EARTH * R_EARTH_M**2 * np.sin(inclination_rad) ** 2 / (a * (1.0 - e**2))


def solve_kepler_equinoctial(
    mean_longitude_rad: ArrayLike, k: ArrayLike, h: ArrayLike
) -> np.ndarray:
    """Eccentric longitude F from ``lambda = F - k sin F + h cos F`` by Newton iteration, rad.

    ``(k, h) = (e cos w, e sin w)`` is the eccentricity vector (Broucke & Cefola 1972, equinoctial
    elements). Starts at ``F = lambda + k sin lambda - h cos lambda`` and iterates until
    |dF| < 1e-14 (at most 30 steps).
    """
    lam = np.asarray(mean_longitude_rad, dtype=float)
    k = np.asarray(k, dtype=float) * np.ones_like(lam)
    h = np.asarray(h, dtype=float) * np.ones_like(lam)
    big_f = lam + k * np.sin(lam) - h * np.cos(lam)
    for _ in range(30):
        sin_f, cos_f = np.sin(big_f), np.cos(big_f)
        step = (big_f - k * sin_f + h * cos_f - lam) / (1.0 - k * cos_f - h * sin_f)
        big_f = big_f - step
        if np.all(np.abs(step) < 1e-14):
            break
    return big_f


def state_eci(
    semi_major_axis_m: ArrayLike,
    eccentricity: ArrayLike,
    inclination_rad: ArrayLike,
    raan_rad: ArrayLike,
    arg_perigee_rad: ArrayLike,
    mean_anomaly_rad: ArrayLike,
    epoch_s: ArrayLike,
    t_s: ArrayLike,
    periodic_terms: bool = True,
) -> tuple[np.ndarray, np.ndarray]:
    """State at ``t_s`` for elements that broadcast against ``t_s``, ECI of date.

    The building block of :func:`propagate`; every argument broadcasts (e.g. elements of shape
    ``(n_sat, 1)`` against times ``(n_t,)``, or one time per satellite). Returns position (m) and
    velocity (m/s, the exact time derivative of the position) with a trailing axis of 3.
    ``periodic_terms=False`` drops the J3 eccentricity offset and the J2 short-period radius term
    (module docstring), leaving the pure J2-secular Keplerian orbit.

    The orbit is written in the node frame (x toward the ascending node, y 90 deg ahead in the
    plane) with equinoctial elements: mean argument of latitude ``lambda = M + w`` and eccentricity
    vector ``(k, h) = (e cos w, e sin w + e_f)`` (Broucke & Cefola 1972), so the frozen offset
    ``e_f`` stays fixed while the mean vector turns with the perigee.
    """
    a = np.asarray(semi_major_axis_m, dtype=float)
    e = np.asarray(eccentricity, dtype=float)
    inc = np.asarray(inclination_rad, dtype=float)
    raan_dot, argp_dot, m_dot = j2_secular_rates(a, e, inc)
    dt = np.asarray(t_s, dtype=float) - np.asarray(epoch_s, dtype=float)
    argp0 = np.asarray(arg_perigee_rad, dtype=float)
    raan = np.asarray(raan_rad) + raan_dot * dt
    argp = argp0 + argp_dot * dt
    lam = np.mod(np.asarray(mean_anomaly_rad) + argp0 + (m_dot + argp_dot) * dt, 2.0 * np.pi)
    if periodic_terms:
        e_f = frozen_eccentricity(a, e, inc)
        amp = short_period_radius_amplitude_m(a, e, inc)
    else:
        e_f = np.zeros_like(a)
        amp = np.zeros_like(a)
    k = e * np.cos(argp)
    h = e * np.sin(argp) + e_f
    big_f = solve_kepler_equinoctial(lam, k, h)
    cf, sf = np.cos(big_f), np.sin(big_f)
    root = np.sqrt(1.0 - k * k - h * h)
    beta = 1.0 / (1.0 + root)
    # Position and velocity at fixed (k, h) (Broucke & Cefola 1972, eqs. for X1, Y1 and rates).
    radius = a * (1.0 - k * cf - h * sf)
    x_f = a * (h * k * beta * cf - (1.0 - h * h * beta) * sf)  # dX/dF
    y_f = a * ((1.0 - k * k * beta) * cf - h * k * beta * sf)  # dY/dF
    x = a * ((1.0 - h * h * beta) * cf + h * k * beta * sf - k)
    y = a * (h * k * beta * cf + (1.0 - k * k * beta) * sf - h)
    # The eccentricity vector turns at argp_dot about the fixed offset (0, e_f): the rotation
    # of the whole ellipse (argp_dot about the normal) plus argp_dot e_f times d(X, Y)/dk.
    f_k = a * sf / radius
    beta_k = k * beta * beta / root
    x_k = a * (-h * h * beta_k * cf + h * beta * sf + h * k * beta_k * sf - 1.0) + x_f * f_k
    y_k = a * (h * beta * cf + h * k * beta_k * cf - (2.0 * k * beta + k * k * beta_k) * sf)
    y_k = y_k + y_f * f_k
    rate = a * m_dot / radius  # dF/dt from the mean motion alone
    vx = x_f * rate - argp_dot * y + argp_dot * e_f * x_k
    vy = y_f * rate + argp_dot * x + argp_dot * e_f * y_k
    # J2 short-period radius term amp cos 2u along the radius (u the argument of latitude).
    cos_2u = (x * x - y * y) / radius**2
    sin_2u = 2.0 * x * y / radius**2
    u_dot = (x * vy - y * vx) / radius**2
    r_dot = (x * vx + y * vy) / radius
    delta = amp * cos_2u
    scale = 1.0 + delta / radius
    scale_dot = -2.0 * amp * sin_2u * u_dot / radius - delta * r_dot / radius**2
    vx, vy = vx * scale + x * scale_dot, vy * scale + y * scale_dot
    x, y = x * scale, y * scale
    co, so = np.cos(raan), np.sin(raan)
    ci, si = np.cos(inc), np.sin(inc)
    node = (co, so, 0.0)
    ahead = (-so * ci, co * ci, si)
    r = np.stack(np.broadcast_arrays(*(x * node[j] + y * ahead[j] for j in range(3))), axis=-1)
    v = np.stack(np.broadcast_arrays(*(vx * node[j] + vy * ahead[j] for j in range(3))), axis=-1)
    # The drifting node turns the plane about the z axis.
    rd = np.asarray(raan_dot)
    turn = np.broadcast_arrays(-rd * r[..., 1], rd * r[..., 0], np.zeros(r.shape[:-1]))
    v = v + np.stack(turn, axis=-1)
    return r, v


def propagate(
    elements: MeanElements, t_s: ArrayLike, periodic_terms: bool = True
) -> tuple[np.ndarray, np.ndarray]:
    """Positions and velocities of every satellite at every time, ECI of date.

    Parameters
    ----------
    elements : MeanElements
        ``n_sat`` satellites.
    t_s : array_like, shape (n_t,)
        Times, seconds since J2000 UTC.
    periodic_terms : bool
        Include the J3 eccentricity offset and the J2 short-period radius term (default; the
        compiled kernels of :mod:`orbitaldc.physics.fleet_shadow` always do); False gives the pure
        J2-secular Keplerian orbit.

    Returns
    -------
    r_eci_m, v_eci_m_s : ndarray, shape (n_sat, n_t, 3)
        Position (m) and velocity (m/s); the velocity is the time derivative of the position,
        including the J2 drift of mean anomaly, perigee and node and the periodic terms.

    Examples
    --------
    >>> from orbitaldc.physics import constellation, orbit
    >>> sats = constellation.walker_delta(24, 3, 1, 550e3, 0.925, epoch_s=0.0)
    >>> r, v = orbit.propagate(sats, [0.0, 60.0])
    >>> r.shape
    (24, 2, 3)
    """
    t = np.atleast_1d(np.asarray(t_s, dtype=float))[None, :]
    el = elements
    return state_eci(
        el.semi_major_axis_m[:, None],
        el.eccentricity[:, None],
        el.inclination_rad[:, None],
        el.raan_rad[:, None],
        el.arg_perigee_rad[:, None],
        el.mean_anomaly_rad[:, None],
        el.epoch_s[:, None],
        t,
        periodic_terms,
    )
