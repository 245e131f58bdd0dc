"""Earth's shadow: conical umbra/penumbra, beta angle, and annual eclipse statistics.

Geometry: Earth is a sphere of equatorial radius (as in Skyfield's ``is_sunlit``), the Sun a
uniform disc (no limb darkening). Seen from the satellite, the Sun's disc (angular radius
``asin(R_sun / d_sun)``) is partly hidden by Earth's disc (``asin(R_E / r)``); the illuminated
fraction is the visible share of the Sun's disc area (Montenbruck & Gill, *Satellite Orbits*,
2000, sec. 3.4.2, conical shadow model). The "sunlit" boundary used for eclipse events and
durations is the Sun's centre crossing Earth's limb, which is Skyfield's ``is_sunlit`` criterion
and the middle of the penumbra.
"""

from __future__ import annotations

import numba
import numpy as np
from numpy.typing import ArrayLike

from orbitaldc.physics.constants import R_EARTH_M, R_SUN_M, SECONDS_PER_YEAR
from orbitaldc.physics.orbit import j2_secular_rates, period_s
from orbitaldc.physics.sun import sun_direction_eci


def _angles(r_sat_eci_m: ArrayLike, r_sun_eci_m: ArrayLike) -> tuple[np.ndarray, ...]:
    r = np.asarray(r_sat_eci_m, dtype=float)
    to_sun = np.asarray(r_sun_eci_m, dtype=float) - r
    r_norm = np.linalg.norm(r, axis=-1)
    d_sun = np.linalg.norm(to_sun, axis=-1)
    cos_sep = -np.einsum("...k,...k->...", r, to_sun) / (r_norm * d_sun)
    separation = np.arccos(np.clip(cos_sep, -1.0, 1.0))
    earth_radius = np.arcsin(np.clip(R_EARTH_M / r_norm, -1.0, 1.0))
    sun_radius = np.arcsin(R_SUN_M / d_sun)
    return separation, earth_radius, sun_radius


def shadow_function(r_sat_eci_m: ArrayLike, r_sun_eci_m: ArrayLike) -> np.ndarray:
    """Angle of the Sun's centre above Earth's limb seen from the satellite, rad.

    Positive when the Sun's centre is visible (sunlit in Skyfield's ``is_sunlit`` sense), negative
    when it is behind Earth; continuous, so its zeros are the eclipse entry and exit times.
    Shapes broadcast over leading axes; vectors on the last axis.
    """
    separation, earth_radius, _ = _angles(r_sat_eci_m, r_sun_eci_m)
    return separation - earth_radius


def illuminated_fraction(r_sat_eci_m: ArrayLike, r_sun_eci_m: ArrayLike) -> np.ndarray:
    """Fraction of the Sun's disc visible from the satellite, 0 (umbra) to 1 (full sunlight).

    Parameters
    ----------
    r_sat_eci_m, r_sun_eci_m : array_like, shape (..., 3)
        Geocentric positions of the satellite and of the Sun, m.

    Notes
    -----
    The partial phase uses the area of overlap of two circles of angular radii ``a`` (Sun) and
    ``b`` (Earth) at separation ``c`` (Montenbruck & Gill eq. 3.87-3.89).
    """
    c, b, a = _angles(r_sat_eci_m, r_sun_eci_m)
    full = c >= a + b
    umbra = c <= b - a
    with np.errstate(invalid="ignore", divide="ignore"):
        x = (c**2 + a**2 - b**2) / (2.0 * c)
        y = np.sqrt(np.clip(a**2 - x**2, 0.0, None))
        area = (
            a**2 * np.arccos(np.clip(x / a, -1.0, 1.0))
            + b**2 * np.arccos(np.clip((c - x) / b, -1.0, 1.0))
            - c * y
        )
        partial = 1.0 - area / (np.pi * a**2)
    return np.where(full, 1.0, np.where(umbra, 0.0, np.clip(partial, 0.0, 1.0)))


def beta_angle_rad(
    inclination_rad: ArrayLike, raan_rad: ArrayLike, sun_dir_eci: ArrayLike
) -> np.ndarray:
    """Beta angle: the Sun's elevation above the orbit plane, rad (positive on the normal side).

    ``sin(beta) = s . h`` with the orbit normal ``h = (sin i sin RAAN, -sin i cos RAAN, cos i)``.
    ``sun_dir_eci`` has its vector on the last axis; the angles broadcast against its other axes.
    """
    s = np.asarray(sun_dir_eci, dtype=float)
    i = np.asarray(inclination_rad, dtype=float)
    raan = np.asarray(raan_rad, dtype=float)
    sin_beta = (
        np.sin(i) * (s[..., 0] * np.sin(raan) - s[..., 1] * np.cos(raan)) + np.cos(i) * s[..., 2]
    )
    return np.arcsin(np.clip(sin_beta, -1.0, 1.0))


def eclipse_fraction_from_beta(semi_major_axis_m: ArrayLike, beta_rad: ArrayLike) -> np.ndarray:
    """Fraction of a circular orbit in Earth's shadow (Sun-centre criterion), 0..1.

    ``f = acos(sqrt(1 - (R/a)^2) / cos(beta)) / pi`` for ``|beta| < asin(R/a)``, else 0
    (cylindrical shadow of a spherical Earth; Vallado 4th ed. sec. 5.3). The shadow of the Sun's
    centre diverges by only ``R_E / AU = 4e-5`` rad, so the cylinder is exact to < 0.1 s in LEO.
    """
    ratio = R_EARTH_M / np.asarray(semi_major_axis_m, dtype=float)
    cos_beta = np.cos(np.asarray(beta_rad, dtype=float))
    arg = np.sqrt(1.0 - ratio**2) / cos_beta
    return np.where(arg < 1.0, np.arccos(np.clip(arg, -1.0, 1.0)) / np.pi, 0.0)


@numba.njit(parallel=True, cache=True)
def _annual_kernel(a, inc, raan0, raan_dot, step_s, sun):  # pragma: no cover - compiled
    n = a.shape[0]
    n_steps = sun.shape[0]
    out = np.empty((n, 6))
    for j in numba.prange(n):
        rho = R_EARTH_M / a[j]
        k2 = 1.0 - rho * rho
        k = np.sqrt(k2)
        si = np.sin(inc[j])
        ci = np.cos(inc[j])
        c_step = np.cos(raan_dot[j] * step_s)
        s_step = np.sin(raan_dot[j] * step_s)
        c_raan = np.cos(raan0[j])
        s_raan = np.sin(raan0[j])
        f_sum = 0.0
        f_max = 0.0
        n_ecl = 0
        crosses = False
        sb_prev = 0.0
        best = 2.0
        b0 = 0.0
        b1 = 0.0
        b2 = 0.0
        fill_next = False
        sb_maxabs = 0.0
        for m in range(n_steps):
            sb = si * (sun[m, 0] * s_raan - sun[m, 1] * c_raan) + ci * sun[m, 2]
            cos2 = 1.0 - sb * sb
            if k2 < cos2:
                f = np.arccos(k / np.sqrt(cos2)) / np.pi
                f_sum += f
                n_ecl += 1
                if f > f_max:
                    f_max = f
            if m > 0 and (sb < 0.0) != (sb_prev < 0.0):
                crosses = True
            if fill_next:
                b2 = sb
                fill_next = False
            if abs(sb) < best:
                best = abs(sb)
                b0 = sb_prev if m > 0 else sb
                b1 = sb
                fill_next = m + 1 < n_steps
                b2 = sb
            if abs(sb) > sb_maxabs:
                sb_maxabs = abs(sb)
            sb_prev = sb
            # Advance the node by one step: rotation of (cos, sin) by raan_dot * step.
            c_new = c_raan * c_step - s_raan * s_step
            s_raan = s_raan * c_step + c_raan * s_step
            c_raan = c_new
        if crosses:
            sb_min = 0.0
        else:
            sb_min = best
            curvature = b0 - 2.0 * b1 + b2
            if curvature != 0.0:
                vertex = b1 - 0.125 * (b2 - b0) ** 2 / curvature
                if abs(vertex) <= abs(b1):
                    sb_min = abs(vertex)
        cos2_min = 1.0 - sb_min * sb_min
        if k2 < cos2_min:
            f_vertex = np.arccos(k / np.sqrt(cos2_min)) / np.pi
            if f_vertex > f_max:
                f_max = f_vertex
        out[j, 0] = 1.0 - f_sum / n_steps
        out[j, 1] = 1.0 - f_max
        out[j, 2] = f_max
        out[j, 3] = n_ecl
        out[j, 4] = np.arcsin(min(sb_min, 1.0))
        out[j, 5] = np.arcsin(min(sb_maxabs, 1.0))
    return out


def annual_eclipse_statistics(
    semi_major_axis_m: ArrayLike,
    inclination_rad: ArrayLike,
    raan0_rad: ArrayLike,
    start_s: float,
    duration_s: float = SECONDS_PER_YEAR,
    step_s: float = 86400.0,
    return_beta: bool = False,
) -> dict[str, np.ndarray]:
    """Sunlit fraction and eclipse extremes over an interval, for N circular orbits at once.

    The RAAN drifts at the J2 secular rate (so a sun-synchronous orbit keeps its local time) and the
    Sun moves along the ecliptic; the per-orbit shadow fraction (:func:`eclipse_fraction_from_beta`)
    follows from the beta angle sampled every ``step_s``. Where beta changes sign between samples
    the smallest |beta| is 0; elsewhere it is refined by a parabola through the three samples
    around the minimum, so the longest eclipse does not depend on the sampling phase. The loop over
    designs is a compiled numba kernel (the Sun series is computed once and shared).

    Parameters
    ----------
    semi_major_axis_m, inclination_rad, raan0_rad : array_like, shape (N,)
        Circular orbits; RAAN at ``start_s``. Broadcast against each other.
    start_s : float
        Start of the interval, seconds since J2000 UTC.
    duration_s, step_s : float
        Interval length and beta sampling step, s.
    return_beta : bool
        Also return the sampled beta angles, shape (N, n_steps).

    Returns
    -------
    dict of ndarray, shape (N,)
        ``sunlit_fraction_mean`` (time average of the per-orbit sunlit fraction),
        ``sunlit_fraction_min``, ``max_eclipse_s``, ``eclipse_orbits`` (orbits with an eclipse in
        the interval), ``beta_min_abs_rad``, ``beta_max_abs_rad`` and, if asked, ``beta_rad``.
    """
    a, inc, raan0 = np.broadcast_arrays(
        *(
            np.atleast_1d(np.asarray(x, dtype=float))
            for x in (semi_major_axis_m, inclination_rad, raan0_rad)
        )
    )
    a, inc, raan0 = (np.ascontiguousarray(x, dtype=float) for x in (a, inc, raan0))
    if step_s <= 0 or duration_s < step_s:
        raise ValueError("step_s must be positive and no longer than duration_s")
    dt = np.arange(0.0, duration_s, step_s)
    sun = np.ascontiguousarray(sun_direction_eci(start_s + dt))  # (n_steps, 3), shared
    raan_dot, _, _ = j2_secular_rates(a, 0.0, inc)
    out = _annual_kernel(a, inc, raan0, np.ascontiguousarray(raan_dot), float(step_s), sun)
    period = period_s(a)
    result = {
        "sunlit_fraction_mean": out[:, 0],
        "sunlit_fraction_min": out[:, 1],
        "max_eclipse_s": out[:, 2] * period,
        "eclipse_orbits": out[:, 3] * step_s / period,
        "beta_min_abs_rad": out[:, 4],
        "beta_max_abs_rad": out[:, 5],
    }
    if return_beta:
        raan = raan0[:, None] + raan_dot[:, None] * dt[None, :]
        result["beta_rad"] = beta_angle_rad(inc[:, None], raan, sun[None, :, :])
    return result
