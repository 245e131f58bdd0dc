"""Compiled fleet kernels: orbit.propagate's orbit fused with Earth's shadow, (satellite, time).

The numpy functions of :mod:`orbitaldc.physics.orbit` and :mod:`orbitaldc.physics.eclipse` are the
reference; for mega-constellations over a year they are too slow and too memory-hungry, so these
numba kernels compute the same quantities in one pass per satellite without materialising
(satellite, time, 3) arrays. They are loops over the compiled primitives of
:mod:`orbitaldc.physics.orbit_kernels` (position, stepper, shadow). Tests check them against the
numpy path (positions to < 1 mm, illuminated fraction to 1e-9, event times to 1e-3 s).

Eclipse events here use the Sun-centre criterion of Skyfield's ``is_sunlit``: the satellite is in
shadow when the segment from it to the Sun's centre passes within Earth's equatorial radius. The
shadow function ``h = |r_perp| - R_E`` (where ``r_perp`` is the satellite position's component
normal to the direction to the Sun, counted only on the night side) changes sign exactly there.

The events kernel finds the grid intervals where that sign changes without evaluating the exact
orbit at most grid times: from a cheap look (the mean circle of a near-circular orbit, with proven
bounds on its distance from the exact orbit and on how fast the shadow can approach) it knows how
many grid times cannot see a sign change and skips them, then evaluates the exact orbit only
where the sign is in doubt and on the intervals holding a crossing. The grid signs, and so the
events, are those of evaluating every grid time.
"""

from __future__ import annotations

from collections.abc import Callable

import numba
import numpy as np
import pandas as pd
from numpy.typing import ArrayLike

from orbitaldc.physics import orbit_kernels as ok
from orbitaldc.physics.constants import R_EARTH_M
from orbitaldc.physics.orbit import MeanElements, mean_motion_rad_s
from orbitaldc.physics.orbit_kernels import FAST_ECCENTRICITY, orbit_arrays
from orbitaldc.physics.sun import sun_position_eci_m


@numba.njit(parallel=True, cache=True)
def _illumination_kernel(
    a,
    e,
    ci,
    si,
    raan0,
    raan_dot,
    argp0,
    argp_dot,
    m0,
    m_dot,
    epoch,
    e_f,
    amp,
    t,
    sun,
    uniform,
    r_out,
    f_out,
):  # pragma: no cover
    n_t = t.shape[0]
    step = t[1] - t[0] if n_t > 1 else 0.0
    for j in numba.prange(a.shape[0]):
        orbit = ok.orbit_row(a, e, ci, si, raan0, raan_dot, argp0, argp_dot, m0, m_dot, e_f, amp, j)
        # Near-circular orbits on a uniform grid: orbit_kernels' grid walk (one rotation a step).
        fast = uniform and e[j] < FAST_ECCENTRICITY
        turns = ok.angle_turns(orbit, step)
        state = (turns[0], turns[1], turns[2], 0)
        for k in range(n_t):
            x, y, z, state = ok.walk_position(orbit, fast, turns, t, k, epoch[j], step, state)
            if r_out.shape[0] > 0:
                r_out[j, k, 0] = x
                r_out[j, k, 1] = y
                r_out[j, k, 2] = z
            f_out[j, k] = ok.illuminated_fraction(x, y, z, sun[k, 0], sun[k, 1], sun[k, 2])


def positions_and_illumination(
    elements: MeanElements, t_s: ArrayLike, keep_positions: bool = True
) -> tuple[np.ndarray | None, np.ndarray]:
    """Positions (m, ECI) and illuminated fraction of every satellite at every time.

    Equal to ``orbit.propagate`` followed by ``eclipse.illuminated_fraction``, computed in one
    compiled pass. Returns ``(r (n_sat, n_t, 3) or None, fraction (n_sat, n_t))``.
    """
    t = np.ascontiguousarray(np.atleast_1d(np.asarray(t_s, dtype=float)))
    sun = np.ascontiguousarray(sun_position_eci_m(t))
    n_sat = elements.n_satellites
    r = np.empty((n_sat, t.size, 3)) if keep_positions else np.empty((0, 0, 3))
    f = np.empty((n_sat, t.size))
    uniform = ok.uniform_step_s(t) is not None
    _illumination_kernel(*orbit_arrays(elements), t, sun, uniform, r, f)
    return (r if keep_positions else None), f


#: Longest jump of the events kernel between two looks at the shadow, grid steps: the size of the
#: per-satellite table of rotations (``turn_*``, 16 bytes x 3 x 65 per satellite). A tuning
#: choice, not a physical bound: a LEO orbit's sunlit arc at 60 s steps is ~60 steps, so longer
#: jumps would rarely be taken; the jump the bounds allow is capped here.
MAX_JUMP = 64

#: Bound on the turning rate of the satellite-Sun line, rad/s: the Sun's apparent motion (at most
#: 2.1e-7 at perihelion) and the parallax of a satellite's motion (|v| / 1 AU < 1e-7), with margin.
AXIS_RATE_RAD_S = 1e-6


@numba.njit(cache=True, inline="always")
def _clearance(x, y, z, ux, uy, uz):  # pragma: no cover
    """Signed distance from (x, y, z) to the surface of the shadow half-cylinder
    ``{along < 0, |r_perp| < R_E}`` behind Earth about the unit vector (ux, uy, uz) toward the Sun,
    m: positive outside, negative inside; 1-Lipschitz in the position."""
    along = x * ux + y * uy + z * uz
    gap = np.sqrt(max(x * x + y * y + z * z - along * along, 0.0)) - R_EARTH_M
    if along < 0.0:
        return max(gap, along)
    if gap <= 0.0:
        return along
    return np.sqrt(along * along + gap * gap)


def _walk_bounds(el: MeanElements) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per satellite: a bound on the speed of orbit.state_eci's motion (m/s), the largest distance
    of that orbit from the mean circle (m) and the largest radius (m).

    The speed, term by term (the state's velocity is the exact derivative of its position): Kepler
    motion at the mean motion on an ellipse of eccentricity at most ``eps = e + |e_f|`` (at most
    ``a sqrt((1 + eps) / (1 - eps))`` per rad, the perigee speed; Vallado 4th ed. eq. 2-84), the
    perigee rotation ``argp_dot`` (the ellipse turning, plus ``argp_dot e_f dX/dk`` with
    ``|dX/dk| < 4 a / (1 - eps)^2``), the J2 radius term (factor ``1 + 4 |amp| / r_min``: the
    scale and its rate ``|amp| (2 u_dot + r_dot / r)``) and the node drift about the z axis; 1 % on
    top. The distance from the circle of radius ``a`` at the mean argument of latitude: the radius
    departs from ``a`` by at most ``a eps``, the true from the mean longitude by at most
    ``2 eps / (1 - eps)^2`` (the equation of the centre; Brouwer & Clemence 1961 ch. 2), and the J2
    radius term by ``|amp|``. ``tests/test_orbit.py`` checks both bounds on sampled orbits.
    """
    arr = orbit_arrays(el)
    raan_dot, argp_dot, m_dot = (
        arr.raan_dot_rad_s,
        arr.arg_perigee_dot_rad_s,
        arr.mean_anomaly_dot_rad_s,
    )
    e_f, amp = np.abs(arr.frozen_eccentricity), np.abs(arr.radius_amplitude_m)
    a = el.semi_major_axis_m
    eps = el.eccentricity + e_f
    r_max = a * (1.0 + eps) + amp
    r_min = a * (1.0 - eps) - amp
    in_plane = np.abs(m_dot) * a * np.sqrt((1.0 + eps) / (1.0 - eps)) + np.abs(argp_dot) * (
        r_max + 4.0 * a * e_f / (1.0 - eps) ** 2
    )
    speed = 1.01 * (in_plane * (1.0 + 4.0 * amp / r_min) + r_max * np.abs(raan_dot))
    off_circle = a * eps + 2.0 * a * eps / (1.0 - eps) ** 2 + amp
    return speed, off_circle, r_max


@numba.njit(cache=True, inline="always")
def _look(orbit, fast, ul, un, uw, dt, sun_k, unit_k, walk):  # pragma: no cover
    """The events kernel's look at one grid time: ``(in shadow, shadow function or NaN, time for
    which the sign is sure not to change (s))``; the exact shadow function (:func:`orbit_kernels.shadow_function_m`) is
    computed only when the bounds leave its sign open.

    A ``fast`` orbit is looked at on its mean circle: with ``s`` the cosine between the Earth-Sun
    line and the circle's unit position, the exact orbit is surely lit for ``s > s_out`` and surely
    dark for ``s < s_in`` (``walk`` = ``(s_out, s_in, curv, lam_dot)``, from
    :func:`eclipse_events_fast`), and ``s`` moves no faster than its rate now plus
    :data:`AXIS_RATE_RAD_S`, with ``|s''| < curv``: the time until it can reach the threshold
    follows from that parabola. Other orbits are looked at on the exact orbit: the shadow's
    clearance (:func:`_clearance`, ``walk`` = ``(slack, speed, ...)``) cannot close faster than
    the satellite moves."""
    ci, si, raan_dot = orbit[2], orbit[3], orbit[5]
    if fast:
        s_out, s_in, curv, lam_dot = walk
        ex, ey, ez = ok.node_to_eci(ul.real, ul.imag, ci, si, un.real, un.imag)
        fx, fy, fz = ok.node_to_eci(-ul.imag, ul.real, ci, si, un.real, un.imag)
        s = ex * unit_k[0] + ey * unit_k[1] + ez * unit_k[2]
        rate = lam_dot * (fx * unit_k[0] + fy * unit_k[1] + fz * unit_k[2]) + raan_dot * (
            ex * unit_k[1] - ey * unit_k[0]
        )
        if s > s_out:
            room, b = s - s_out, rate - AXIS_RATE_RAD_S
        elif s < s_in:
            room, b = s_in - s, -rate - AXIS_RATE_RAD_S
        else:
            x, y, z = ok.position(orbit, fast, ul, un, uw, dt)
            g = ok.shadow_function_m(x, y, z, sun_k[0], sun_k[1], sun_k[2])
            return g < 0.0, g, 0.0
        # Positive root of curv tau^2 / 2 - b tau - room, written without cancellation.
        q = np.sqrt(b * b + 2.0 * curv * room)
        tau = (b + q) / curv if b > 0.0 else 2.0 * room / (q - b)
        return s < s_in, np.nan, tau
    slack, speed = walk[0], walk[1]
    x, y, z = ok.position(orbit, fast, ul, un, uw, dt)
    c = _clearance(x, y, z, unit_k[0], unit_k[1], unit_k[2])
    if abs(c) > slack:
        return c < 0.0, np.nan, (abs(c) - slack) / speed
    g = ok.shadow_function_m(x, y, z, sun_k[0], sun_k[1], sun_k[2])
    return g < 0.0, g, 0.0


@numba.njit(cache=True, inline="always")
def _crossing(orbit, fast, ul, un, uw, t0, t1, g0, g1, sun0, sun1, epoch):  # pragma: no cover
    """Time of the shadow function's sign change between grid times ``t0`` (value ``g0``; the
    orbit's angles there are ``ul, un, uw`` as in :func:`orbit_kernels.position`) and ``t1`` (``g1``):
    Illinois (modified regula falsi; Dowell & Jarratt 1971) on the exact orbit, superlinear, the
    bracket always holding the root; stops when the shadow function, divided by its slope across
    the bracket, puts the root within 0.1 microsecond, or with a bracket below 1 microsecond."""
    raan_dot, argp_dot, m_dot = orbit[5], orbit[7], orbit[9]
    t_lo, t_hi = t0, t1
    g_lo, g_hi = g0, g1
    side = 0
    crossing = 0.5 * (t_lo + t_hi)
    for _ in range(60):
        crossing = (t_lo * g_hi - t_hi * g_lo) / (g_hi - g_lo)
        # Time per metre of the shadow function across the bracket (the Illinois halving only
        # lowers |g_hi - g_lo|, so this overestimates the distance to the root).
        per_m = (t_hi - t_lo) / abs(g_hi - g_lo)
        tau = crossing - t0
        frac = tau / (t1 - t0)
        if fast:
            ul_c = ul * ok.expi((m_dot + argp_dot) * tau)
            un_c = un * ok.expi(raan_dot * tau)
            uw_c = uw * ok.expi(argp_dot * tau)
        else:
            ul_c, un_c, uw_c = ul, un, uw
        xm, ym, zm = ok.position(orbit, fast, ul_c, un_c, uw_c, crossing - epoch)
        # The Sun moves 0.04 deg an hour: linear interpolation over one step is exact to ~1e-9
        # rad.
        sx = sun0[0] + frac * (sun1[0] - sun0[0])
        sy = sun0[1] + frac * (sun1[1] - sun0[1])
        sz = sun0[2] + frac * (sun1[2] - sun0[2])
        g_mid = ok.shadow_function_m(xm, ym, zm, sx, sy, sz)
        if (g_mid < 0.0) == (g_lo < 0.0):
            t_lo, g_lo = crossing, g_mid
            if side == -1:
                g_hi *= 0.5
            side = -1
        else:
            t_hi, g_hi = crossing, g_mid
            if side == 1:
                g_lo *= 0.5
            side = 1
        if t_hi - t_lo < 1e-6 or abs(g_mid) * per_m < 1e-7:
            break
    return crossing


@numba.njit(parallel=True, cache=True)
def _events_kernel(
    a,
    e,
    ci,
    si,
    raan0,
    raan_dot,
    argp0,
    argp_dot,
    m0,
    m_dot,
    epoch,
    e_f,
    amp,
    walk,
    turn_l,
    turn_n,
    turn_w,
    t,
    sun,
    sun_unit,
    open_entry,
    out_entry,
    out_exit,
    out_count,
):  # pragma: no cover
    n_t = t.shape[0]
    step = t[1] - t[0]
    cap = out_entry.shape[1]
    longest = turn_l.shape[1] - 1
    for j in numba.prange(a.shape[0]):
        orbit = ok.orbit_row(a, e, ci, si, raan0, raan_dot, argp0, argp_dot, m0, m_dot, e_f, amp, j)
        bounds = (walk[j, 0], walk[j, 1], walk[j, 2], walk[j, 3])
        # Near-circular orbits carry exp(i angle) of the mean argument of latitude, node and
        # perigee and jump along the grid by exact rotations (turn_*[j, m] = exp(i m x angle
        # step); rounding ~1e-16 a jump, reset every chunk): no trigonometric call per look.
        fast = e[j] < FAST_ECCENTRICITY
        dt0 = t[0] - epoch[j]
        ul, un, uw = ok.orbit_angles(orbit, dt0)
        neg_prev, g_prev, tau = _look(orbit, fast, ul, un, uw, dt0, sun[0], sun_unit[0], bounds)
        count = 0
        k = 0
        while True:
            # The grid times within tau of t[k] keep the sign of t[k]: skip them.
            room = tau / step
            if k + room >= n_t - 1:
                break
            skip = min(int(room), longest - 1)
            kn = k + skip + 1
            ul0, un0, uw0 = ul, un, uw
            if fast:
                ul = ul * turn_l[j, skip + 1]
                un = un * turn_n[j, skip + 1]
                uw = uw * turn_w[j, skip + 1]
            dt = t[kn] - epoch[j]
            neg, g, tau = _look(orbit, fast, ul, un, uw, dt, sun[kn], sun_unit[kn], bounds)
            if neg != neg_prev:
                # A sign change between t[kn - 1] and t[kn]: the exact shadow function at both.
                if fast:
                    ul0 = ul0 * turn_l[j, skip]
                    un0 = un0 * turn_n[j, skip]
                    uw0 = uw0 * turn_w[j, skip]
                if np.isnan(g):
                    x, y, z = ok.position(orbit, fast, ul, un, uw, dt)
                    g = ok.shadow_function_m(x, y, z, sun[kn, 0], sun[kn, 1], sun[kn, 2])
                if skip > 0 or np.isnan(g_prev):
                    dt_lo = t[kn - 1] - epoch[j]
                    x, y, z = ok.position(orbit, fast, ul0, un0, uw0, dt_lo)
                    g_prev = ok.shadow_function_m(
                        x, y, z, sun[kn - 1, 0], sun[kn - 1, 1], sun[kn - 1, 2]
                    )
                crossing = _crossing(
                    orbit,
                    fast,
                    ul0,
                    un0,
                    uw0,
                    t[kn - 1],
                    t[kn],
                    g_prev,
                    g,
                    sun[kn - 1],
                    sun[kn],
                    epoch[j],
                )
                if neg:
                    open_entry[j] = crossing
                elif count < cap:
                    out_entry[j, count] = open_entry[j]
                    out_exit[j, count] = crossing
                    count += 1
                    open_entry[j] = np.nan
            neg_prev, g_prev = neg, g
            k = kn
        out_count[j] = count


def _walk_parameters(el: MeanElements) -> Callable[[np.ndarray], np.ndarray]:
    """The events kernel's per-satellite look parameters, as a function of one chunk's Sun
    positions ``(n_t, 3)`` (what depends only on the orbits is computed once): it returns
    ``(s_out, s_in, curv, lam_dot)`` for near-circular orbits, ``(slack, speed, 0, 0)`` for the
    others (:func:`_look`), shape ``(n_sat, 4)``.

    The walk looks along the Earth-Sun line, the shadow function along the satellite-Sun line: at
    most ``theta = r_max / (d_min - r_max)`` rad apart. The exact position lies within ``off`` of
    the mean circle's (:func:`_walk_bounds`), so the exact ``along`` is within
    ``slack = off + (a + off) theta`` of ``a s``, and the satellite is lit when
    ``a s - slack > -sqrt((a - off)^2 - R_E^2)``, dark when ``a s + slack < -sqrt((a + off)^2 -
    R_E^2)``. The unit position on the circle turns at most at ``lam_dot + |raan_dot|`` and the
    Earth-Sun line at :data:`AXIS_RATE_RAD_S`, so ``|s''| < (lam_dot + |raan_dot| + AXIS)^2``.
    Looked at on the exact orbit, the clearance about the turning Earth-Sun line closes at most at
    the orbit's speed plus ``r_max x AXIS``.
    """
    speed, off, r_max = _walk_bounds(el)
    arr = orbit_arrays(el)
    raan_dot, argp_dot, m_dot = (
        arr.raan_dot_rad_s,
        arr.arg_perigee_dot_rad_s,
        arr.mean_anomaly_dot_rad_s,
    )
    a = el.semi_major_axis_m
    fast = el.eccentricity < FAST_ECCENTRICITY
    lam_dot = m_dot + argp_dot
    lit_edge = np.sqrt(np.maximum((a - off) ** 2 - R_EARTH_M**2, 0.0))
    dark_edge = np.sqrt((a + off) ** 2 - R_EARTH_M**2)
    curv = (np.abs(lam_dot) + np.abs(raan_dot) + AXIS_RATE_RAD_S) ** 2
    reach = speed + r_max * AXIS_RATE_RAD_S

    def for_chunk(sun: np.ndarray) -> np.ndarray:
        theta = r_max / (np.linalg.norm(sun, axis=1).min() - r_max)
        slack = np.where(fast, off + (a + off) * theta, r_max * theta)
        s_out = (slack - lit_edge) / a
        s_in = -(slack + dark_edge) / a
        circle = np.stack([s_out, s_in, curv, lam_dot], axis=1)
        exact = np.stack([slack, reach, 0.0 * a, 0.0 * a], axis=1)
        return np.ascontiguousarray(np.where(fast[:, None], circle, exact))

    return for_chunk


def eclipse_events_fast(
    elements: MeanElements,
    start_s: float,
    stop_s: float,
    step_s: float = 60.0,
    chunk_steps: int = 1440,
    sink=None,
) -> pd.DataFrame | None:
    """Eclipse entry/exit times of a whole fleet over a long interval, streamed in time chunks.

    Parameters
    ----------
    elements : MeanElements
    start_s, stop_s : float
        Interval, seconds since J2000 UTC.
    step_s : float
        Bracketing step, s (60 s finds every LEO eclipse; each crossing is then refined to
        ~1 microsecond on the exact orbit by the Illinois method). Grid times that provably
        cannot show a change of sign are skipped (:func:`_look`).
    chunk_steps : int
        Time steps per chunk; memory is O(n_sat x chunk_steps / orbit period).
    sink : callable, optional
        ``sink(df)`` receives each chunk's completed eclipses (for example a Parquet writer), and
        nothing is kept in memory; without it the events are returned as one DataFrame.

    Returns
    -------
    DataFrame or None
        Columns ``satellite``, ``entry_s`` (NaN for an eclipse under way at ``start_s``), ``exit_s``,
        ``duration_s``. An eclipse not over at ``stop_s`` is not reported.
    """
    if step_s <= 0 or stop_s <= start_s:
        raise ValueError("need step_s > 0 and stop_s > start_s")
    arrays = orbit_arrays(elements)
    walk_parameters = _walk_parameters(elements)
    turns = ok.angle_turn_table(arrays, step_s, MAX_JUMP)
    n_sat = elements.n_satellites
    grid = np.arange(start_s, stop_s + 0.5 * step_s, step_s)
    open_entry = np.full(n_sat, np.nan)
    orbits_per_chunk = (
        chunk_steps
        * step_s
        / float(np.min(2 * np.pi / mean_motion_rad_s(elements.semi_major_axis_m)))
    )
    cap = int(orbits_per_chunk) + 2
    parts = []
    for k in range(0, grid.size - 1, chunk_steps):
        t = np.ascontiguousarray(grid[k : k + chunk_steps + 1])
        sun = np.ascontiguousarray(sun_position_eci_m(t))
        out_entry = np.empty((n_sat, cap))
        out_exit = np.empty((n_sat, cap))
        count = np.zeros(n_sat, dtype=np.int64)
        _events_kernel(
            *arrays,
            walk_parameters(sun),
            *turns,
            t,
            sun,
            sun / np.linalg.norm(sun, axis=1)[:, None],
            open_entry,
            out_entry,
            out_exit,
            count,
        )
        mask = np.arange(cap)[None, :] < count[:, None]
        sat = np.broadcast_to(np.arange(n_sat)[:, None], mask.shape)[mask]
        df = pd.DataFrame({"satellite": sat, "entry_s": out_entry[mask], "exit_s": out_exit[mask]})
        df["duration_s"] = df["exit_s"] - df["entry_s"]
        if sink is not None:
            sink(df)
        else:
            parts.append(df)
    if sink is not None:
        return None
    events = pd.concat(parts, ignore_index=True)
    return events.sort_values(["satellite", "exit_s"], kind="stable").reset_index(drop=True)
