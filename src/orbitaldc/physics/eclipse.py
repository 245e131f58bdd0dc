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
import pandas as pd
from numpy.typing import ArrayLike

from orbitaldc.physics import events
from orbitaldc.physics import orbit_kernels as ok
from orbitaldc.physics.constants import R_EARTH_M, R_SUN_M, SECONDS_PER_YEAR
from orbitaldc.physics.orbit import (
    frozen_eccentricity,
    j2_secular_rates,
    short_period_radius_amplitude_m,
)
from orbitaldc.physics.sun import sun_direction_eci, sun_position_eci_m


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


@numba.njit(cache=True, inline="always")
def _eps(e_f, q, sin_u):  # pragma: no cover
    """``r / a - 1`` at ``sin u`` for ``r / a = (1 - e_f^2) / (1 + e_f sin u) + q cos 2u``, to
    second order in ``e_f`` (error ~e_f^3 = 1e-9 of the radius, 7 mm)."""
    return -e_f * sin_u + e_f * e_f * (sin_u * sin_u - 1.0) + q * (1.0 - 2.0 * sin_u * sin_u)


@numba.njit(cache=True, inline="always")
def _k2_of_eps(rho2, eps):  # pragma: no cover
    """``1 - (R / r)^2`` for ``r / a = 1 + eps``; ``(a / r)^2`` expanded to eps^3 (error < 1e-11)."""
    return 1.0 - rho2 * (1.0 - eps * (2.0 - eps * (3.0 - 4.0 * eps)))


@numba.njit(cache=True, inline="always")
def _k2(rho2, e_f, q, sin_u):  # pragma: no cover
    """:func:`_k2_of_eps` at ``sin u``."""
    return _k2_of_eps(rho2, _eps(e_f, q, sin_u))


# fdlibm's arccos (e_acos.c, Sun Microsystems 1993; also musl's): P(z) / Q(z) approximates
# (asin(x) - x) / x^3 in z = x^2 on [0, 0.25] with a Remez error below 2^-58.75.
_ACOS_P = (
    1.66666666666666657415e-01,
    -3.25565818622400915405e-01,
    2.01212532134862925881e-01,
    -4.00555345006794114027e-02,
    7.91534994289814532176e-04,
    3.47933107596021167570e-05,
)
_ACOS_Q = (
    -2.40339491173441421878e00,
    2.02094576023350569471e00,
    -6.88283971605453293030e-01,
    7.70381505559019352791e-02,
)
_PIO2_HI = 1.57079632679489655800e00
_PIO2_LO = 6.12323399573676603587e-17


@numba.njit(cache=True, inline="always")
def _acos_unit(x):  # pragma: no cover
    """``arccos(x)`` for ``x`` in [0, 1], rad, within 2 ulp (fdlibm's rational approximation:
    ``pi/2 - asin(x)`` below 0.5, ``2 asin(sqrt((1 - x) / 2))`` above). Both halves are computed
    and one is selected, with no branch and no library call, so a loop of it vectorises (numba's
    ``np.arccos`` is a scalar libm call, ten times slower)."""
    upper = x > 0.5
    z = (1.0 - x) * 0.5 if upper else x * x
    p0, p1, p2, p3, p4, p5 = _ACOS_P
    q1, q2, q3, q4 = _ACOS_Q
    p = z * (p0 + z * (p1 + z * (p2 + z * (p3 + z * (p4 + z * p5)))))
    r = p / (1.0 + z * (q1 + z * (q2 + z * (q3 + z * q4))))
    s = np.sqrt(z)
    return 2.0 * (s + s * r) if upper else _PIO2_HI - (x - (_PIO2_LO - x * r))


@numba.njit(cache=True, inline="always")
def _shadow_arc(rho2, q, e_f, cos2, sx, sy):  # pragma: no cover
    """Fraction of the nodal period in the Sun-centre shadow for one orbit, 0..1.

    The orbit has mean radius ``a`` (``rho2 = (R_E / a)^2``), eccentricity vector ``(0, e_f)`` in
    the node frame and the J2 radius term ``amp cos 2u`` (``q = amp / a``; as orbit.state_eci for
    zero mean eccentricity): ``r(u) = a (1 - e_f^2) / (1 + e_f sin u) + amp cos 2u``.
    ``cos2 = cos^2 beta`` and ``(sx, sy)`` are the Sun direction's components along the node and
    90 deg ahead of it. A point at argument of latitude ``u = u_c + psi`` (``u_c`` the anti-Sun
    direction in the plane) is in the cylindrical shadow when
    ``cos psi > sqrt(1 - R^2 / r(u)^2) / cos beta``. The entry and exit angles take the radius at
    the boundary of the shadow of a circle through ``r(u_c)`` (one fixed-point step; the remaining
    error is the radius slope times that shift, ~10 m, 0.02 s). The time follows the mean
    argument of latitude ``lambda = u + 2 e_f cos u + O(e_f^2)``. Zero where ``cos2 <= 0`` or the
    orbit misses the shadow; branch-free (the kernel runs it over a block of orbits at once).
    """
    inv_cos2 = 1.0 / cos2
    inv_c = np.sqrt(inv_cos2)
    cx = -sx * inv_c
    cy = -sy * inv_c
    k2 = _k2(rho2, e_f, q, cy)
    cos_p = np.sqrt(k2 * inv_cos2)
    sin_p = np.sqrt(1.0 - cos_p * cos_p)
    # Radius at the boundary points (u_c +- phi): its mean sets the arc to first order in the
    # radius change (the entry/exit asymmetry enters at second order, < 0.01 s).
    s_exit = cy * cos_p + cx * sin_p
    s_entry = cy * cos_p - cx * sin_p
    eps = 0.5 * (_eps(e_f, q, s_exit) + _eps(e_f, q, s_entry))
    k2_mean = _k2_of_eps(rho2, eps)
    cos_arc = np.sqrt(min(max(k2_mean, 0.0) * inv_cos2, 1.0))
    arc = 2.0 * _acos_unit(cos_arc)
    # Mean argument of latitude: cos u_exit - cos u_entry = -2 sin u_c sin(phi).
    lam_arc = arc - 4.0 * e_f * cy * sin_p
    return max(lam_arc, 0.0) / (2.0 * np.pi) if (cos2 > 0.0) & (k2 < cos2) else 0.0


@numba.njit(cache=True, error_model="numpy")
def _shadow_arc_once(rho2, q, e_f, cos2, sx, sy):  # pragma: no cover
    """:func:`_shadow_arc` compiled on its own, for a call once per orbit (an inlined copy in the
    annual kernel would double its compile time for nothing)."""
    return _shadow_arc(rho2, q, e_f, cos2, sx, sy)


#: Orbits per block of the annual kernel: the block's state (rows of ``_S_*``) is one
#: ``(row, block)`` array of fixed shape, so LLVM proves its rows apart and vectorises the loops
#: over the block (a row per array would need more run-time overlap checks than it allows).
_BLOCK = 128
(
    _S_COS_I,
    _S_SIN_I,
    _S_TURN_RE,
    _S_TURN_IM,
    _S_NODE_RE,
    _S_NODE_IM,
    _S_K2_MIN,
    _S_RHO2,
    _S_Q,
    _S_EF,
    _S_SX,
    _S_SY,
    _S_COS2,
    _S_SB_LO,
    _S_SB_HI,
    _S_SB_PREV,
    _S_BEST,
    _S_B0,
    _S_B1,
    _S_B2,
    _S_FILL,
    _S_SX_BEST,
    _S_SY_BEST,
    _S_F_SUM,
    _S_F_MAX,
    _S_N_ECL,
) = range(26)
_S_ROWS = 26


@numba.njit(parallel=True, cache=True, error_model="numpy")
def _annual_kernel(a, inc, raan0, raan_dot, e_f, amp, step_s, sun, order):  # pragma: no cover
    n = a.shape[0]
    n_steps = sun.shape[0]
    out = np.empty((n, 6))
    for block in numba.prange((n + _BLOCK - 1) // _BLOCK):
        j0 = block * _BLOCK
        nb = min(_BLOCK, n - j0)
        # The block's lanes are columns lo..hi of its state, lo chosen so that they start on a
        # 64-byte boundary (numba aligns arrays to 32 bytes; a 512-bit load across two cache
        # lines costs the loop ~25 %); a row is 17 cache lines, so every row starts on one too.
        s = np.zeros((_S_ROWS, _BLOCK + 8))
        lo = (-s.ctypes.data) % 64 // 8
        hi = lo + nb
        x, y, z = sun[0, 0], sun[0, 1], sun[0, 2]
        for k in range(lo, hi):
            j = order[j0 + k - lo]
            ci, si = np.cos(inc[j]), np.sin(inc[j])
            # The node advances by one rotation a step (orbit_kernels' stepper).
            turn = ok.expi(raan_dot[j] * step_s)
            node = ok.expi(raan0[j])
            s[_S_COS_I, k], s[_S_SIN_I, k] = ci, si
            s[_S_TURN_RE, k], s[_S_TURN_IM, k] = turn.real, turn.imag
            # Cheapest test first: no eclipse while cos^2 beta <= 1 - (R / r_min)^2.
            r_min = a[j] * (1.0 - abs(e_f[j])) - abs(amp[j])
            s[_S_K2_MIN, k] = 1.0 - (R_EARTH_M / r_min) ** 2
            s[_S_RHO2, k] = (R_EARTH_M / a[j]) ** 2
            s[_S_Q, k] = amp[j] / a[j]
            s[_S_EF, k] = e_f[j]
            # The first sample opens every running extreme.
            sx, sy, sb = ok.eci_to_node(x, y, z, ci, si, node.real, node.imag)
            cos2 = 1.0 - sb * sb
            s[_S_SX, k], s[_S_SY, k] = sx, sy
            s[_S_COS2, k] = cos2 if s[_S_K2_MIN, k] < cos2 else 0.0
            s[_S_SB_LO, k] = s[_S_SB_HI, k] = s[_S_SB_PREV, k] = sb
            s[_S_BEST, k] = abs(sb)
            s[_S_B0, k] = s[_S_B1, k] = s[_S_B2, k] = sb
            s[_S_FILL, k] = 1.0
            s[_S_SX_BEST, k], s[_S_SY_BEST, k] = sx, sy
            node = node * turn
            s[_S_NODE_RE, k], s[_S_NODE_IM, k] = node.real, node.imag
        for m in range(n_steps):
            if m > 0:
                _annual_sample(s, lo, hi, sun[m, 0], sun[m, 1], sun[m, 2])
            # The shadow arcs of the step, for the whole block if any orbit may see one.
            shadowed = 0
            for k in range(lo, hi):
                shadowed += s[_S_COS2, k] > 0.0
            if shadowed:
                for k in range(lo, hi):
                    f = _shadow_arc(
                        s[_S_RHO2, k],
                        s[_S_Q, k],
                        s[_S_EF, k],
                        s[_S_COS2, k],
                        s[_S_SX, k],
                        s[_S_SY, k],
                    )
                    s[_S_F_SUM, k] += f
                    s[_S_N_ECL, k] += 1.0 if f > 0.0 else 0.0
                    s[_S_F_MAX, k] = f if f > s[_S_F_MAX, k] else s[_S_F_MAX, k]
        for k in range(lo, hi):
            _annual_result(s, k, n_steps, out[order[j0 + k - lo]])
    return out


@numba.njit(cache=True, inline="always")
def _annual_sample(s, lo, hi, x, y, z):  # pragma: no cover
    """One beta sample for the lanes ``lo..hi`` of a block of orbits: the Sun (``x, y, z``, unit,
    ECI) in each node frame, the shadow test and the running extremes of ``sin(beta)``; then the
    node advances a step. Every update is a select, so the loop vectorises."""
    for k in range(lo, hi):
        cn, sn = s[_S_NODE_RE, k], s[_S_NODE_IM, k]
        sx, sy, sb = ok.eci_to_node(x, y, z, s[_S_COS_I, k], s[_S_SIN_I, k], cn, sn)
        cos2 = 1.0 - sb * sb
        s[_S_SX, k], s[_S_SY, k] = sx, sy
        s[_S_COS2, k] = cos2 if s[_S_K2_MIN, k] < cos2 else 0.0
        # Beta crosses zero iff sin(beta) takes both signs; |beta|'s maximum is at an extreme.
        s[_S_SB_LO, k] = min(s[_S_SB_LO, k], sb)
        s[_S_SB_HI, k] = max(s[_S_SB_HI, k], sb)
        # The smallest |sin(beta)| (first one on ties) with its two neighbours for the parabola,
        # and the in-plane Sun direction there.
        absb = abs(sb)
        better = absb < s[_S_BEST, k]
        after_best = sb if s[_S_FILL, k] > 0.0 else s[_S_B2, k]
        s[_S_BEST, k] = absb if better else s[_S_BEST, k]
        s[_S_B0, k] = s[_S_SB_PREV, k] if better else s[_S_B0, k]
        s[_S_B1, k] = sb if better else s[_S_B1, k]
        s[_S_B2, k] = sb if better else after_best
        s[_S_FILL, k] = 1.0 if better else 0.0
        s[_S_SX_BEST, k] = sx if better else s[_S_SX_BEST, k]
        s[_S_SY_BEST, k] = sy if better else s[_S_SY_BEST, k]
        s[_S_SB_PREV, k] = sb
        # node * turn, written out (as numba's complex product) so that it vectorises.
        tr, ti = s[_S_TURN_RE, k], s[_S_TURN_IM, k]
        s[_S_NODE_RE, k] = cn * tr - sn * ti
        s[_S_NODE_IM, k] = cn * ti + sn * tr


@numba.njit(cache=True, inline="always")
def _annual_result(s, k, n_steps, row):  # pragma: no cover
    """The six statistics of orbit ``k`` of a block into ``row`` (annual_eclipse_statistics)."""
    sb_lo, sb_hi = s[_S_SB_LO, k], s[_S_SB_HI, k]
    if sb_lo < 0.0 and sb_hi >= 0.0:
        sb_min = 0.0
    else:
        sb_min = s[_S_BEST, k]
        b0, b1, b2 = s[_S_B0, k], s[_S_B1, k], s[_S_B2, k]
        curvature = b0 - 2.0 * b1 + b2
        if curvature != 0.0:
            vertex = b1 - 0.125 * (b2 - b0) ** 2 / curvature
            if abs(vertex) <= abs(b1):
                sb_min = abs(vertex)
    cos2_min = 1.0 - sb_min * sb_min
    # The darkest orbit: the refined |beta| with the in-plane Sun direction of the nearest
    # sample (it turns ~1 deg a day), rescaled to length cos(beta).
    sx_best, sy_best = s[_S_SX_BEST, k], s[_S_SY_BEST, k]
    norm = np.sqrt(sx_best * sx_best + sy_best * sy_best)
    f_max = s[_S_F_MAX, k]
    if norm > 0.0:
        scale = np.sqrt(cos2_min) / norm
        f_vertex = _shadow_arc_once(
            s[_S_RHO2, k], s[_S_Q, k], s[_S_EF, k], cos2_min, sx_best * scale, sy_best * scale
        )
        if f_vertex > f_max:
            f_max = f_vertex
    row[0] = 1.0 - s[_S_F_SUM, k] / n_steps
    row[1] = 1.0 - f_max
    row[2] = f_max
    row[3] = s[_S_N_ECL, k]
    row[4] = np.arcsin(min(sb_min, 1.0))
    row[5] = np.arcsin(min(max(abs(sb_lo), abs(sb_hi)), 1.0))


def annual_eclipse_statistics(
    semi_major_axis_m: ArrayLike,
    inclination_rad: ArrayLike,
    raan0_rad: ArrayLike,
    start_s: float,
    duration_s: float = SECONDS_PER_YEAR,
    step_s: float = 86400.0,
    return_beta: bool = False,
) -> dict[str, np.ndarray]:
    """Sunlit fraction and eclipse extremes over an interval, for N near-circular orbits at once.

    The orbits are those :func:`orbitaldc.physics.orbit.propagate` flies for zero mean
    eccentricity: mean radius ``semi_major_axis_m``, the J3 frozen eccentricity and the J2
    short-period radius term (radius 7.4 km higher over the south than over the north at 650 km
    SSO, which moves the longest dawn-dusk eclipse by 6 s). The RAAN drifts at the J2 secular rate
    (so a sun-synchronous orbit keeps its local time) and the Sun moves along the ecliptic; every
    ``step_s`` the shadow arc of one orbit is found in closed form from beta and the Sun's
    direction in the orbit plane (cylindrical Sun-centre shadow, the radius at the entry and exit
    points), and converted to time with the J3 eccentricity's along-track term. Durations are
    fractions of the nodal period ``2 pi / (dM/dt + dw/dt)`` of the propagator. Where beta changes
    sign between samples the smallest |beta| is 0; elsewhere it is refined by a parabola through
    the three samples around the minimum, so the longest eclipse does not depend on the sampling
    phase. The loop over designs is a compiled numba kernel, vectorised over blocks of orbits (the
    Sun series is computed once and shared). Against a propagated year of root-found events:
    0.2-1.5 s on the longest eclipse, < 3e-4 on the sunlit fraction (tests/test_orbit.py).

    Parameters
    ----------
    semi_major_axis_m, inclination_rad, raan0_rad : array_like, shape (N,)
        Mean radius (m), inclination and RAAN at ``start_s`` of orbits with zero mean
        eccentricity. Broadcast against each other.
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
        the interval), ``beta_min_abs_rad``, ``beta_max_abs_rad``, ``nodal_period_s`` (the period the
        fractions refer to) and, if asked, ``beta_rad``.
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
    raan_dot, argp_dot, m_dot = j2_secular_rates(a, 0.0, inc)
    e_f = np.ascontiguousarray(frozen_eccentricity(a, 0.0, inc))
    amp = np.ascontiguousarray(short_period_radius_amplitude_m(a, 0.0, inc))
    # Blocks of orbits of neighbouring radius share their eclipse seasons, so fewer blocks have
    # an orbit in shadow on a given day (a block computes its shadow arcs together).
    order = np.argsort(a)
    out = _annual_kernel(
        a, inc, raan0, np.ascontiguousarray(raan_dot), e_f, amp, float(step_s), sun, order
    )
    period = 2.0 * np.pi / (m_dot + argp_dot)  # nodal period of orbit.propagate
    result = {
        "sunlit_fraction_mean": out[:, 0],
        "sunlit_fraction_min": out[:, 1],
        "max_eclipse_s": out[:, 2] * period,
        "eclipse_orbits": out[:, 3] * step_s / period,
        "beta_min_abs_rad": out[:, 4],
        "beta_max_abs_rad": out[:, 5],
        "nodal_period_s": period,
    }
    if return_beta:
        raan = raan0[:, None] + raan_dot[:, None] * dt[None, :]
        result["beta_rad"] = beta_angle_rad(inc[:, None], raan, sun[None, :, :])
    return result


def _hermite(r0, v0, r1, v1, h, tau):
    """Cubic Hermite position between two states a time ``h`` apart, at fraction ``tau``."""
    tau = tau[:, None]
    t2, t3 = tau**2, tau**3
    return (
        (2 * t3 - 3 * t2 + 1) * r0
        + (t3 - 2 * t2 + tau) * h[:, None] * v0
        + (-2 * t3 + 3 * t2) * r1
        + (t3 - t2) * h[:, None] * v1
    )


def _contact_functions(r: np.ndarray, r_sun: np.ndarray) -> np.ndarray:
    """Shadow functions, last axis: Sun centre, penumbra contact, umbra contact (rad, > 0 = out)."""
    separation, earth_radius, sun_radius = _angles(r, r_sun)
    return np.stack(
        [
            separation - earth_radius,
            separation - earth_radius - sun_radius,
            separation - earth_radius + sun_radius,
        ],
        axis=-1,
    )


def crossing_times(
    r_eci_m: np.ndarray, v_eci_m_s: np.ndarray, t_s: np.ndarray, iterations: int = 40
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Zeros of the three shadow functions between grid samples, by vectorised bisection.

    Brackets are the sign changes on the grid; inside a bracket the state is a cubic Hermite
    interpolation of the sampled positions and velocities (error ~0.3 m for 60 s steps in LEO) and
    the Sun is evaluated at the trial time, so the zero is found to ~1e-6 s without re-running the
    propagator. All brackets of all satellites are refined together.

    Parameters
    ----------
    r_eci_m, v_eci_m_s : ndarray, shape (n_sat, n_t, 3)
    t_s : ndarray, shape (n_t,)

    Returns
    -------
    satellite, time_s, kind, entering : ndarray, shape (n_crossings,)
        Satellite index, crossing time, kind (0 Sun centre, 1 penumbra contact, 2 umbra contact)
        and whether the function goes from positive to negative (into shadow).
    """
    t = np.asarray(t_s, dtype=float)
    sun_grid = sun_position_eci_m(t)
    g = _contact_functions(r_eci_m, sun_grid[None, :, :])  # (n_sat, n_t, 3)
    n_sat = g.shape[0]
    # One series per (satellite, kind); inside is in the shadow (function below zero).
    b = events.find_brackets(np.moveaxis(g, -1, 1).reshape(n_sat * 3, t.size), 0.0, above=False)
    s_idx, kind = np.divmod(b.series, 3)
    k_idx = b.index
    r0, r1 = r_eci_m[s_idx, k_idx], r_eci_m[s_idx, k_idx + 1]
    v0, v1 = v_eci_m_s[s_idx, k_idx], v_eci_m_s[s_idx, k_idx + 1]
    h = t[k_idx + 1] - t[k_idx]
    rows = np.arange(s_idx.size)

    def contact(t_trial: np.ndarray) -> np.ndarray:
        r_trial = _hermite(r0, v0, r1, v1, h, (t_trial - t[k_idx]) / h)
        return _contact_functions(r_trial, sun_position_eci_m(t_trial))[rows, kind]

    time = events.bisect_crossings(
        contact, t[k_idx], t[k_idx + 1], ~b.entering, 0.0, False, iterations
    )
    return s_idx, time, kind, b.entering


def eclipse_events(r_eci_m: np.ndarray, v_eci_m_s: np.ndarray, t_s: np.ndarray) -> pd.DataFrame:
    """Eclipses of every satellite over the sampled interval, one row per eclipse.

    Columns: ``satellite``, ``entry_s`` and ``exit_s`` (the Sun's centre crossing Earth's limb,
    Skyfield's ``is_sunlit`` boundary), ``duration_s``, and the conical-shadow contacts
    ``penumbra_entry_s``, ``umbra_entry_s``, ``umbra_exit_s``, ``penumbra_exit_s`` (NaN where the
    satellite only grazes the penumbra, or the contact lies outside the interval). An eclipse
    already under way at the start has ``entry_s`` NaN; one not over at the end has ``exit_s`` NaN.
    Sample every 60 s or finer so that no eclipse falls between samples (the shortest LEO
    eclipses, at the beta-angle limit, last a few minutes).
    """
    sat, time, kind, entering = crossing_times(r_eci_m, v_eci_m_s, t_s)
    return _pair_events(sat, time, kind, entering, float(t_s[0]), float(t_s[-1]))


def _pair_events(sat, time, kind, entering, t_start, t_end) -> pd.DataFrame:
    span = (t_end - t_start) + 1e4
    centre = kind == 0
    c_sat, c_t, c_in = sat[centre], time[centre], entering[centre]
    order = np.lexsort((c_t, c_sat))
    c_sat, c_t, c_in = c_sat[order], c_t[order], c_in[order]
    # Eclipses cut by the interval have a NaN entry or exit.
    rows_sat, entry_row, exit_row = events.pair_crossings(c_sat, c_in)
    entry = events.take_rows(c_t, entry_row, np.nan)
    exit_ = events.take_rows(c_t, exit_row, np.nan)
    mid = np.where(np.isnan(entry), exit_, np.where(np.isnan(exit_), entry, 0.5 * (entry + exit_)))
    table = pd.DataFrame({"satellite": rows_sat, "entry_s": entry, "exit_s": exit_})
    key_events = rows_sat * span + (mid - t_start)

    def nearest(kind_id: int, into: bool, before: bool) -> np.ndarray:
        pick = (kind == kind_id) & (entering == into)
        keys = np.sort(sat[pick] * span + (time[pick] - t_start))
        if keys.size == 0:
            return np.full(key_events.shape, np.nan)
        idx = np.searchsorted(keys, key_events) - (1 if before else 0)
        valid = (idx >= 0) & (idx < keys.size)
        found = np.where(valid, keys[np.clip(idx, 0, keys.size - 1)], np.nan)
        same_sat = np.floor(found / span) == rows_sat
        close = np.abs(found - key_events) < 0.5 * 5400.0  # within half an orbit of the eclipse
        return np.where(valid & same_sat & close, found - rows_sat * span + t_start, np.nan)

    table["duration_s"] = table["exit_s"] - table["entry_s"]
    table["penumbra_entry_s"] = nearest(1, True, True)
    table["umbra_entry_s"] = nearest(2, True, True)
    table["umbra_exit_s"] = nearest(2, False, False)
    table["penumbra_exit_s"] = nearest(1, False, False)
    return table


def eclipse_events_chunked(
    propagate_fn,
    n_satellites: int,
    start_s: float,
    stop_s: float,
    step_s: float = 60.0,
    chunk_steps: int = 720,
) -> pd.DataFrame:
    """:func:`eclipse_events` over a long interval, propagating in time chunks to bound memory.

    ``propagate_fn(t_s) -> (r, v)`` returns states of shape (n_sat, n_t, 3) (for example
    ``functools.partial(orbit.propagate, elements)`` or ``partial(tle.propagate_sgp4, tles)``).
    Consecutive chunks share one sample, so no crossing is lost at a boundary. Peak memory is about
    ``n_satellites x chunk_steps x 200`` bytes.
    """
    if step_s <= 0 or stop_s <= start_s:
        raise ValueError("need step_s > 0 and stop_s > start_s")
    grid = np.arange(start_s, stop_s + 0.5 * step_s, step_s)
    parts = []
    for k in range(0, grid.size - 1, chunk_steps):
        t = grid[k : k + chunk_steps + 1]
        r, v = propagate_fn(t)
        parts.append(crossing_times(r, v, t))
        del r, v
    sat, time, kind, entering = (np.concatenate([p[i] for p in parts]) for i in range(4))
    return _pair_events(sat, time, kind, entering, float(grid[0]), float(grid[-1]))


def eclipse_seasons(dates: np.ndarray, eclipse_fraction: np.ndarray) -> list[tuple[int, int]]:
    """Contiguous runs of samples with eclipses: ``[(first_index, last_index), ...]``.

    ``eclipse_fraction`` is one plane's per-orbit shadow fraction sampled at ``dates``.
    """
    inside = np.asarray(eclipse_fraction) > 0
    edges = np.flatnonzero(np.diff(np.r_[False, inside, False].astype(int)))
    return [(int(a), int(b) - 1) for a, b in zip(edges[::2], edges[1::2], strict=True)]
