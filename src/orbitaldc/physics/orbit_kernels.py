"""Compiled orbit primitives: the one position of ``orbit.state_eci``, its stepper and the shadow.

Every compiled fleet kernel (:mod:`orbitaldc.physics.fleet_shadow`, :mod:`orbitaldc.twin.kernel`,
:mod:`orbitaldc.physics.eclipse`'s annual kernel) builds on these scalar ``numba`` functions,
compiled with ``inline="always"`` so that they cost no call inside a kernel's loop. Each computes
the same quantity as a numpy reference and is tested against it (tests/test_orbit_kernels.py):

==================================  ============================================================
compiled here                       numpy reference
==================================  ============================================================
:func:`position_eci`                ``orbit.state_eci`` position (the orbit is the same formulas
                                    in the same order; agreement to rounding, < 1e-5 m)
:func:`position_from_angles`        the same position, from the unit complex numbers of the
                                    angles carried by the stepper (:func:`orbit_angles`,
                                    :func:`angle_turns`)
:func:`illuminated_fraction`        ``eclipse.illuminated_fraction`` (conical shadow)
:func:`shadow_function_m`           zero where ``eclipse.shadow_function`` is (Sun-centre limb)
:func:`node_to_eci`,                the rotation ``R3(-node) R1(-i)`` of ``orbit.state_eci`` and
:func:`eci_to_node`                 its transpose (``eclipse.beta_angle_rad`` is the normal part)
==================================  ============================================================

An orbit is passed to the compiled functions as a tuple of 12 floats, the row ``j`` of
:class:`OrbitArrays` without the epoch (:data:`ORBIT_FIELDS`), and times as ``dt`` seconds after
that satellite's epoch. The model is :mod:`orbitaldc.physics.orbit`'s: J2-secular drift of node,
perigee and mean anomaly, the J3 eccentricity offset ``e_f`` (fixed, toward the northernmost
point) and the J2 short-period radius term ``amp cos 2u``; the node frame has x toward the
ascending node and y 90 deg ahead in the orbit plane (Broucke & Cefola 1972 equinoctial elements).

The stepper: on a uniform time grid, near-circular orbits (``e <`` :data:`FAST_ECCENTRICITY`)
carry ``exp(i x angle)`` of the mean argument of latitude, the node and the perigee, and advance
them each step by one complex multiplication with ``exp(i x rate x step)`` (rounding ~1e-16 rad a
step; kernels re-anchor on the exact angles every chunk), so a position costs no trigonometric
call.
"""

from __future__ import annotations

from typing import NamedTuple

import numba
import numpy as np
from numpy.typing import ArrayLike

from orbitaldc.physics.constants import R_EARTH_M, R_SUN_M
from orbitaldc.physics.orbit import (
    MeanElements,
    frozen_eccentricity,
    j2_secular_rates,
    short_period_radius_amplitude_m,
)

#: Eccentricity below which kernels follow an orbit's angles by rotations (the stepper). Those
#: paths call :func:`in_plane` with ``lam = 0`` and rely on its series branch (``|e vector| <
#: 0.01``, which needs no ``lam``): ``e + |e_f| < 0.008 + 1.2e-3`` (``orbit.frozen_eccentricity``
#: is at most ``J3 / (2 J2) R_E / p``, 1.17e-3 at ``p = R_E``; tested) keeps every such orbit in it.
FAST_ECCENTRICITY = 0.008

#: The fields of the ``orbit`` tuple the compiled functions take, in order (see :class:`OrbitArrays`).
ORBIT_FIELDS = (
    "semi_major_axis_m",
    "eccentricity",
    "cos_inclination",
    "sin_inclination",
    "raan0_rad",
    "raan_dot_rad_s",
    "arg_perigee0_rad",
    "arg_perigee_dot_rad_s",
    "mean_anomaly0_rad",
    "mean_anomaly_dot_rad_s",
    "frozen_eccentricity",
    "radius_amplitude_m",
)


class OrbitArrays(NamedTuple):
    """Per-satellite arrays of shape ``(n_sat,)`` that compiled kernels take, in their argument
    order (``kernel(*orbit_arrays(elements), ...)``).

    Angles at the epoch (rad), their J2 secular rates (rad/s, ``orbit.j2_secular_rates``), the
    epoch (s since J2000 UTC), the J3 eccentricity offset ``orbit.frozen_eccentricity`` and the J2
    short-period radius amplitude ``orbit.short_period_radius_amplitude_m`` (m).
    """

    semi_major_axis_m: np.ndarray
    eccentricity: np.ndarray
    cos_inclination: np.ndarray
    sin_inclination: np.ndarray
    raan0_rad: np.ndarray
    raan_dot_rad_s: np.ndarray
    arg_perigee0_rad: np.ndarray
    arg_perigee_dot_rad_s: np.ndarray
    mean_anomaly0_rad: np.ndarray
    mean_anomaly_dot_rad_s: np.ndarray
    epoch_s: np.ndarray
    frozen_eccentricity: np.ndarray
    radius_amplitude_m: np.ndarray


def orbit_arrays(elements: MeanElements) -> OrbitArrays:
    """The kernels' per-satellite arrays for ``elements`` (contiguous float64)."""
    el = elements
    args = (el.semi_major_axis_m, el.eccentricity, el.inclination_rad)
    raan_dot, argp_dot, m_dot = j2_secular_rates(*args)
    values = (
        el.semi_major_axis_m,
        el.eccentricity,
        np.cos(el.inclination_rad),
        np.sin(el.inclination_rad),
        el.raan_rad,
        raan_dot,
        el.arg_perigee_rad,
        argp_dot,
        el.mean_anomaly_rad,
        m_dot,
        el.epoch_s,
        frozen_eccentricity(*args),
        short_period_radius_amplitude_m(*args),
    )
    return OrbitArrays(*(np.ascontiguousarray(v, dtype=float) for v in values))


def uniform_step_s(t_s: ArrayLike, tolerance_s: float = 1e-6) -> float | None:
    """The step (s) of a time grid ``(n_t,)`` if it is uniform to ``tolerance_s``, else None
    (also for fewer than two times).

    The stepper advances by exactly one step per grid time; a grid whose times are off the
    uniform grid by at most 1 microsecond is uniform for it (a kernel can correct the angles to
    first order in that offset: the correction's error, rate^2 x offset^2 / 2 < 1e-17 rad, is
    exact).
    """
    t = np.asarray(t_s, dtype=float)
    if t.size < 2:
        return None
    step = t[1] - t[0]
    off = np.abs(t - t[0] - step * np.arange(t.size)).max()
    return float(step) if off <= tolerance_s else None


def angle_turn_table(arrays: OrbitArrays, step_s: float, n_steps: int) -> tuple[np.ndarray, ...]:
    """``exp(i m x rate x step_s)`` for ``m = 0..n_steps``, each ``(n_sat, n_steps + 1)`` complex:
    the stepper's jumps of ``m`` steps for the mean argument of latitude, the node and the
    perigee (in that order)."""
    jumps = np.arange(n_steps + 1)[None, :] * step_s
    rates = (
        arrays.mean_anomaly_dot_rad_s + arrays.arg_perigee_dot_rad_s,
        arrays.raan_dot_rad_s,
        arrays.arg_perigee_dot_rad_s,
    )
    return tuple(np.exp(1j * jumps * rate[:, None]) for rate in rates)


@numba.njit(cache=True, inline="always")
def sincos_small(d):  # pragma: no cover - compiled
    """``(sin d, cos d)`` of ``|d| <= 0.02`` rad by Taylor series, exact to double precision
    (first omitted term d^9 / 9! < 1e-21)."""
    d2 = d * d
    sin_d = d * (1.0 - d2 / 6.0 * (1.0 - d2 / 20.0 * (1.0 - d2 / 42.0)))
    cos_d = 1.0 - d2 / 2.0 * (1.0 - d2 / 12.0 * (1.0 - d2 / 30.0 * (1.0 - d2 / 56.0)))
    return sin_d, cos_d


@numba.njit(cache=True, inline="always")
def expi(angle):  # pragma: no cover - compiled
    """``exp(i angle)`` (angle in rad) as a complex number; by Taylor series for ``|angle| <=
    0.25``: :func:`sincos_small` up to 0.02 rad, to d^14 above (error below d^15 / 15! < 1e-21)."""
    if abs(angle) > 0.25:
        return complex(np.cos(angle), np.sin(angle))
    if abs(angle) <= 0.02:
        s, c = sincos_small(angle)
        return complex(c, s)
    d2 = angle * angle
    s = 1.0 - d2 / 110.0 * (1.0 - d2 / 156.0)
    s = angle * (1.0 - d2 / 6.0 * (1.0 - d2 / 20.0 * (1.0 - d2 / 42.0 * (1.0 - d2 / 72.0 * s))))
    c = 1.0 - d2 / 90.0 * (1.0 - d2 / 132.0 * (1.0 - d2 / 182.0))
    c = 1.0 - d2 / 2.0 * (1.0 - d2 / 12.0 * (1.0 - d2 / 30.0 * (1.0 - d2 / 56.0 * c)))
    return complex(c, s)


@numba.njit(cache=True, inline="always")
def in_plane(a, k, h, beta, lam, cos_lam, sin_lam, amp):  # pragma: no cover - compiled
    """Node-frame position ``(X, Y)``, m, of ``orbit.state_eci``: equinoctial Kepler plus the J2
    radius term.

    ``a`` semi-major axis (m), ``(k, h)`` eccentricity vector, ``beta = 1 / (1 + sqrt(1 - k^2 -
    h^2))``, ``lam`` the mean argument of latitude (rad) with its cosine and sine, ``amp`` the J2
    radius amplitude (m). For an eccentricity vector shorter than 0.01 (every LEO constellation),
    ``F - lambda`` is below 0.01 rad and is found from ``cos_lam, sin_lam`` with
    :func:`sincos_small`, without a trigonometric call and without ``lam``; otherwise ``F`` is
    solved with sin and cos, as in ``orbit.solve_kepler_equinoctial``. Both give F to ~1e-15 rad.
    """
    if k * k + h * h < 1e-4:
        # Second-order start (Lagrange inversion, error < e^3), one Newton step (error < e^7 <
        # 1e-14 rad), and sin/cos of F carried through that step to second order (error < 1e-18).
        g = k * sin_lam - h * cos_lam
        d = g * (1.0 + k * cos_lam + h * sin_lam)
        sin_d, cos_d = sincos_small(d)
        sf = sin_lam * cos_d + cos_lam * sin_d
        cf = cos_lam * cos_d - sin_lam * sin_d
        eps = -(d - k * sf + h * cf) / (1.0 - k * cf - h * sf)
        half = 0.5 * eps * eps
        sf, cf = sf + eps * cf - half * sf, cf - eps * sf - half * cf
    else:
        big_f = lam + k * sin_lam - h * cos_lam
        for _ in range(30):
            sf, cf = np.sin(big_f), np.cos(big_f)
            step = (big_f - k * sf + h * cf - lam) / (1.0 - k * cf - h * sf)
            big_f -= step
            if abs(step) < 1e-14:
                break
        sf, cf = np.sin(big_f), np.cos(big_f)
    x = a * ((1.0 - h * h * beta) * cf + h * k * beta * sf - k)
    y = a * (h * k * beta * cf + (1.0 - k * k * beta) * sf - h)
    radius = a * (1.0 - k * cf - h * sf)
    scale = 1.0 + amp * (x * x - y * y) / (radius * radius * radius)
    return x * scale, y * scale


@numba.njit(cache=True, inline="always")
def node_to_eci(x, y, ci, si, cn, sn):  # pragma: no cover - compiled
    """Node-frame ``(X, Y)`` (in the orbit plane) to ECI ``(x, y, z)``, same unit, for the
    inclination's cosine and sine ``(ci, si)`` and the node's ``(cn, sn)``."""
    return x * cn - y * sn * ci, x * sn + y * cn * ci, y * si


@numba.njit(cache=True, inline="always")
def eci_to_node(x, y, z, ci, si, cn, sn):  # pragma: no cover - compiled
    """ECI ``(x, y, z)`` to the node frame: components toward the ascending node, 90 deg ahead of
    it in the plane, and along the orbit normal (the transpose of :func:`node_to_eci`; for the
    Sun's unit vector the normal component is ``sin(beta)``, ``eclipse.beta_angle_rad``)."""
    return (
        x * cn + y * sn,
        ci * (y * cn - x * sn) + si * z,
        si * (x * sn - y * cn) + ci * z,
    )


@numba.njit(cache=True, inline="always")
def orbit_row(
    a, e, ci, si, raan0, raan_dot, argp0, argp_dot, m0, m_dot, e_f, amp, j
):  # pragma: no cover - compiled
    """Satellite ``j``'s orbit tuple, the 12 fields of :data:`ORBIT_FIELDS` without the epoch,
    from the per-satellite arrays a kernel receives (:func:`orbit_arrays`'s order)."""
    return (
        a[j],
        e[j],
        ci[j],
        si[j],
        raan0[j],
        raan_dot[j],
        argp0[j],
        argp_dot[j],
        m0[j],
        m_dot[j],
        e_f[j],
        amp[j],
    )


@numba.njit(cache=True, inline="always")
def position_eci(orbit, dt):  # pragma: no cover - compiled
    """ECI position (m) of ``orbit.state_eci`` at ``dt`` s after the orbit's epoch, for ``orbit``
    the tuple of :data:`ORBIT_FIELDS` (J2 secular drift, J3 offset ``e_f``, J2 radius term)."""
    a, e, ci, si, raan0, raan_dot, argp0, argp_dot, m0, m_dot, e_f, amp = orbit
    raan = raan0 + raan_dot * dt
    lam = np.fmod(m0 + argp0 + (m_dot + argp_dot) * dt, 2.0 * np.pi)
    if e == 0.0:
        k, h = 0.0, e_f
    else:
        argp = argp0 + argp_dot * dt
        k, h = e * np.cos(argp), e * np.sin(argp) + e_f
    beta = 1.0 / (1.0 + np.sqrt(1.0 - k * k - h * h))
    x, y = in_plane(a, k, h, beta, lam, np.cos(lam), np.sin(lam), amp)
    return node_to_eci(x, y, ci, si, np.cos(raan), np.sin(raan))


@numba.njit(cache=True, inline="always")
def orbit_angles(orbit, dt):  # pragma: no cover - compiled
    """The stepper's state at ``dt`` s after the epoch: ``exp(i x angle)`` of the mean argument of
    latitude, the node and the perigee (complex, from the exact angles)."""
    raan0, raan_dot, argp0, argp_dot, m0, m_dot = orbit[4:10]
    return (
        expi(m0 + argp0 + (m_dot + argp_dot) * dt),
        expi(raan0 + raan_dot * dt),
        expi(argp0 + argp_dot * dt),
    )


@numba.njit(cache=True, inline="always")
def angle_turns(orbit, step_s):  # pragma: no cover - compiled
    """The stepper's turn for a step of ``step_s`` s: ``exp(i x rate x step_s)`` of the mean
    argument of latitude, the node and the perigee; ``ul, un, uw = ul * tl, un * tn, uw * tw``."""
    raan_dot, argp_dot, m_dot = orbit[5], orbit[7], orbit[9]
    return expi((m_dot + argp_dot) * step_s), expi(raan_dot * step_s), expi(argp_dot * step_s)


@numba.njit(cache=True, inline="always")
def position_from_angles(orbit, ul, un, uw):  # pragma: no cover - compiled
    """ECI position (m) of a near-circular orbit (``e <`` :data:`FAST_ECCENTRICITY`) from the
    stepper's state ``ul, un, uw`` (:func:`orbit_angles`), with no trigonometric call; equal to
    :func:`position_eci` at the time of those angles."""
    a, e, ci, si = orbit[0], orbit[1], orbit[2], orbit[3]
    e_f, amp = orbit[10], orbit[11]
    if e == 0.0:
        k, h = 0.0, e_f
    else:
        k, h = e * uw.real, e * uw.imag + e_f
    beta = 1.0 / (1.0 + np.sqrt(1.0 - k * k - h * h))
    x, y = in_plane(a, k, h, beta, 0.0, ul.real, ul.imag, amp)
    return node_to_eci(x, y, ci, si, un.real, un.imag)


#: Steps between re-anchorings of the grid walk on the exact angles (rounding < 1e-13 rad).
WALK_ANCHOR_STEPS = 1024


@numba.njit(cache=True, inline="always")
def walk_position(orbit, fast, turns, t, k, epoch, step, state):  # pragma: no cover - compiled
    """ECI position (m) of one satellite at grid time ``t[k]``, walking the grid in order.

    ``fast`` orbits (near-circular on a uniform grid of ``step`` s) turn their angles by one
    rotation a step (``turns`` from :func:`angle_turns`), re-anchored on the exact angles every
    :data:`WALK_ANCHOR_STEPS` steps, with ``t[k]``'s rounding off the grid corrected to first
    order; others call :func:`position_eci`. ``state = (ul, un, uw, anchor)`` carries the walk
    from step to step (start it with ``(*turns, 0)``); returns ``(x, y, z, state)``.
    """
    ul, un, uw, anchor = state
    dt = t[k] - epoch
    if not fast:
        x, y, z = position_eci(orbit, dt)
        return x, y, z, state
    if k % WALK_ANCHOR_STEPS == 0:
        anchor = k
        ul, un, uw = orbit_angles(orbit, dt)
    else:
        ul, un, uw = ul * turns[0], un * turns[1], uw * turns[2]
    late = (t[k] - t[anchor]) - (k - anchor) * step
    ul_k = ul * complex(1.0, (orbit[9] + orbit[7]) * late)
    un_k = un * complex(1.0, orbit[5] * late)
    x, y, z = position_from_angles(orbit, ul_k, un_k, uw)
    return x, y, z, (ul, un, uw, anchor)


@numba.njit(cache=True, inline="always")
def position(orbit, fast, ul, un, uw, dt):  # pragma: no cover - compiled
    """ECI position (m) at ``dt``: :func:`position_from_angles` for a ``fast`` orbit (its angles
    ``ul, un, uw`` at ``dt``), else :func:`position_eci` (the angles are then not used)."""
    if fast:
        return position_from_angles(orbit, ul, un, uw)
    return position_eci(orbit, dt)


@numba.njit(cache=True, inline="always")
def illuminated_fraction(x, y, z, sx, sy, sz):  # pragma: no cover - compiled
    """Fraction of the Sun's disc seen from the satellite at ``(x, y, z)`` with the Sun at
    ``(sx, sy, sz)`` (ECI, m): ``eclipse.illuminated_fraction`` (conical shadow, Montenbruck &
    Gill 2000 eq. 3.87-3.89), 0 (umbra) to 1.

    Points on the day side, or farther from the shadow cylinder's surface than twice the
    penumbra's half-width (|along| x 0.00466 rad, the Sun's angular radius, plus 1 km), are fully
    lit or fully dark without evaluating the overlap formula.
    """
    tx, ty, tz = sx - x, sy - y, sz - z
    dd = np.sqrt(tx * tx + ty * ty + tz * tz)
    along = (x * tx + y * ty + z * tz) / dd
    if along >= 0.0:
        return 1.0
    px, py, pz = x - along * tx / dd, y - along * ty / dd, z - along * tz / dd
    gap = np.sqrt(px * px + py * py + pz * pz) - R_EARTH_M
    margin = 0.01 * (-along) + 1000.0
    if gap > margin:
        return 1.0
    if gap < -margin:
        return 0.0
    r = np.sqrt(x * x + y * y + z * z)
    d = np.sqrt(tx * tx + ty * ty + tz * tz)
    cos_sep = -(x * tx + y * ty + z * tz) / (r * d)
    c = np.arccos(min(1.0, max(-1.0, cos_sep)))
    b = np.arcsin(min(1.0, R_EARTH_M / r))
    a_s = np.arcsin(R_SUN_M / d)
    if c >= a_s + b:
        return 1.0
    if c <= b - a_s:
        return 0.0
    xx = (c * c + a_s * a_s - b * b) / (2.0 * c)
    yy = np.sqrt(max(a_s * a_s - xx * xx, 0.0))
    area = (
        a_s * a_s * np.arccos(min(1.0, max(-1.0, xx / a_s)))
        + b * b * np.arccos(min(1.0, max(-1.0, (c - xx) / b)))
        - c * yy
    )
    return min(1.0, max(0.0, 1.0 - area / (np.pi * a_s * a_s)))


@numba.njit(cache=True, inline="always")
def shadow_function_m(x, y, z, sx, sy, sz):  # pragma: no cover - compiled
    """Sun-centre shadow function, m: ``|r_perp| - R_E`` on the night side (``r_perp`` the
    satellite position's component normal to the line toward the Sun), ``|r|`` on the day side.

    Negative exactly when the segment from the satellite to the Sun's centre passes within
    Earth's equatorial radius (Skyfield's ``is_sunlit``): same zeros and sign as
    ``eclipse.shadow_function`` (rad), with the dimension of a distance.
    """
    tx, ty, tz = sx - x, sy - y, sz - z
    d = np.sqrt(tx * tx + ty * ty + tz * tz)
    ux, uy, uz = tx / d, ty / d, tz / d
    along = x * ux + y * uy + z * uz
    if along >= 0.0:
        return np.sqrt(x * x + y * y + z * z)
    px, py, pz = x - along * ux, y - along * uy, z - along * uz
    return np.sqrt(px * px + py * py + pz * pz) - R_EARTH_M
