"""Mean orbital elements and J2 secular propagation, vectorised over (satellite, time).

Model: Keplerian motion whose RAAN, argument of perigee and mean anomaly drift at the first-order
secular J2 rates (Vallado, *Fundamentals of Astrodynamics and Applications*, 4th ed., eqs. 9-41 and
9-42; Brouwer 1959). Short-period J2 terms (a few km along-track), higher zonals, drag and
third-body perturbations are not modelled: see docs/validation.md for the size of the difference
from SGP4. Positions are in ECI, the mean equator and equinox of date; time is seconds since J2000
UTC (:mod:`orbitaldc.physics.timescale`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from numpy.typing import ArrayLike

from orbitaldc.physics.constants import J2_EARTH, MU_EARTH_M3_S2, R_EARTH_M, SUN_MEAN_MOTION_RAD_S
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


def state_eci(
    semi_major_axis_m: ArrayLike,
    eccentricity: ArrayLike,
    inclination_rad: ArrayLike,
    raan_rad: ArrayLike,
    arg_perigee_rad: ArrayLike,
    mean_anomaly_rad: ArrayLike,
    epoch_s: ArrayLike,
    t_s: ArrayLike,
) -> tuple[np.ndarray, np.ndarray]:
    """J2-secular state at ``t_s`` for elements that broadcast against ``t_s``, ECI of date.

    The building block of :func:`propagate`; every argument broadcasts (e.g. elements of shape
    ``(n_sat, 1)`` against times ``(n_t,)``, or one time per satellite). Returns position (m) and
    velocity (m/s) with a trailing axis of 3.
    """
    a = np.asarray(semi_major_axis_m, dtype=float)
    e = np.asarray(eccentricity, dtype=float)
    inc = np.asarray(inclination_rad, dtype=float)
    raan_dot, argp_dot, m_dot = j2_secular_rates(a, e, inc)
    dt = np.asarray(t_s, dtype=float) - np.asarray(epoch_s, dtype=float)
    raan = np.asarray(raan_rad) + raan_dot * dt
    argp = np.asarray(arg_perigee_rad) + argp_dot * dt
    mean_anomaly = np.mod(np.asarray(mean_anomaly_rad) + m_dot * dt, 2.0 * np.pi)
    big_e = solve_kepler(mean_anomaly, e)
    cos_e, sin_e = np.cos(big_e), np.sin(big_e)
    root = np.sqrt(1.0 - e**2)
    # Perifocal coordinates (P toward perigee, Q 90 deg ahead in the orbit plane).
    x_p = a * (cos_e - e)
    y_q = a * root * sin_e
    edot = m_dot / (1.0 - e * cos_e)
    vx_p = -a * sin_e * edot
    vy_q = a * root * cos_e * edot
    co, so = np.cos(raan), np.sin(raan)
    cw, sw = np.cos(argp), np.sin(argp)
    ci, si = np.cos(inc), np.sin(inc)
    p_vec = (co * cw - so * sw * ci, so * cw + co * sw * ci, sw * si)
    q_vec = (-co * sw - so * cw * ci, -so * sw + co * cw * ci, cw * si)
    r = np.stack([x_p * p_vec[k] + y_q * q_vec[k] for k in range(3)], axis=-1)
    v = np.stack([vx_p * p_vec[k] + vy_q * q_vec[k] for k in range(3)], axis=-1)
    # The drifting perigee turns r about the orbit normal, the drifting node about the z axis.
    normal = np.stack(np.broadcast_arrays(si * so, -si * co, ci), axis=-1)
    z_axis = np.array([0.0, 0.0, 1.0])
    v = v + np.asarray(argp_dot)[..., None] * np.cross(normal, r)
    v = v + np.asarray(raan_dot)[..., None] * np.cross(z_axis, r)
    return r, v


def propagate(elements: MeanElements, t_s: ArrayLike) -> tuple[np.ndarray, np.ndarray]:
    """Positions and velocities of every satellite at every time, ECI of date.

    Parameters
    ----------
    elements : MeanElements
        ``n_sat`` satellites.
    t_s : array_like, shape (n_t,)
        Times, seconds since J2000 UTC.

    Returns
    -------
    r_eci_m, v_eci_m_s : ndarray, shape (n_sat, n_t, 3)
        Position (m) and velocity (m/s); the velocity is the time derivative of the position,
        including the J2 drift of mean anomaly, perigee and node.

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
    )
