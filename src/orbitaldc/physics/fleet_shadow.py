"""Compiled fleet kernels: orbit.propagate's orbit fused with Earth's shadow, (satellite, time).

The numpy functions of :mod:`orbitaldc.physics.orbit` and :mod:`orbitaldc.physics.eclipse` are the
reference; for mega-constellations over a year they are too slow and too memory-hungry, so these
numba kernels compute the same quantities in one pass per satellite without materialising
(satellite, time, 3) arrays. Tests check them against the numpy path (positions to < 1 mm,
illuminated fraction to 1e-9, event times to 1e-3 s).

Eclipse events here use the Sun-centre criterion of Skyfield's ``is_sunlit``: the satellite is in
shadow when the segment from it to the Sun's centre passes within Earth's equatorial radius. The
shadow function ``h = |r_perp| - R_E`` (where ``r_perp`` is the satellite position's component
normal to the direction to the Sun, counted only on the night side) changes sign exactly there.
"""

from __future__ import annotations

import numba
import numpy as np
import pandas as pd
from numpy.typing import ArrayLike

from orbitaldc.physics.constants import J2_EARTH, R_EARTH_M, R_SUN_M
from orbitaldc.physics.orbit import (
    J3_EARTH,
    MeanElements,
    frozen_eccentricity,
    j2_secular_rates,
    mean_motion_rad_s,
    short_period_radius_amplitude_m,
)
from orbitaldc.physics.sun import sun_position_eci_m


@numba.njit(cache=True, inline="always")
def _sincos_small(d):  # pragma: no cover
    """sin and cos of |d| <= 0.02 rad by Taylor series, exact to double precision (d^9 / 9!)."""
    d2 = d * d
    sin_d = d * (1.0 - d2 / 6.0 * (1.0 - d2 / 20.0 * (1.0 - d2 / 42.0)))
    cos_d = 1.0 - d2 / 2.0 * (1.0 - d2 / 12.0 * (1.0 - d2 / 30.0 * (1.0 - d2 / 56.0)))
    return sin_d, cos_d


@numba.njit(cache=True, inline="always")
def _in_plane(a, k, h, beta, lam, cos_lam, sin_lam, amp):  # pragma: no cover
    """Node-frame position (X, Y) of orbit.state_eci: equinoctial Kepler plus the J2 radius term.

    For an eccentricity vector shorter than 0.01 (every LEO constellation), ``F - lambda`` is
    below 0.01 rad and is found from the given ``cos_lam, sin_lam`` with :func:`_sincos_small`,
    without a trigonometric call; otherwise ``F`` is solved with sin and cos, as in
    ``orbit.solve_kepler_equinoctial``. Both give F to ~1e-15 rad.
    """
    if k * k + h * h < 1e-4:
        # Second-order start (Lagrange inversion, error < e^3), one Newton step (error < e^7 <
        # 1e-14 rad), and sin/cos of F carried through that step to second order (error < 1e-18).
        g = k * sin_lam - h * cos_lam
        d = g * (1.0 + k * cos_lam + h * sin_lam)
        sin_d, cos_d = _sincos_small(d)
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
def _to_eci(x, y, ci, si, cn, sn):  # pragma: no cover
    """Node-frame (X, Y) to ECI for inclination (ci, si) and node (cn, sn)."""
    return x * cn - y * sn * ci, x * sn + y * cn * ci, y * si


@numba.njit(cache=True, inline="always")
def _position_zonal(
    a, e, ci, si, raan0, raan_dot, argp0, argp_dot, m0, m_dot, e_f, amp, dt
):  # pragma: no cover
    """ECI position of orbit.state_eci (J2 secular, J3 eccentricity offset ``e_f``, J2 radius
    term of amplitude ``amp``) at ``dt`` seconds after the epoch, m."""
    raan = raan0 + raan_dot * dt
    lam = np.fmod(m0 + argp0 + (m_dot + argp_dot) * dt, 2.0 * np.pi)
    if e == 0.0:
        k, h = 0.0, e_f
    else:
        argp = argp0 + argp_dot * dt
        k, h = e * np.cos(argp), e * np.sin(argp) + e_f
    beta = 1.0 / (1.0 + np.sqrt(1.0 - k * k - h * h))
    x, y = _in_plane(a, k, h, beta, lam, np.cos(lam), np.sin(lam), amp)
    return _to_eci(x, y, ci, si, np.cos(raan), np.sin(raan))


@numba.njit(cache=True, inline="always")
def _position(a, e, ci, si, raan0, raan_dot, argp0, argp_dot, m0, m_dot, n, dt):  # pragma: no cover
    """:func:`_position_zonal` with the zonal terms of orbit.frozen_eccentricity and
    orbit.short_period_radius_amplitude_m computed here (``n`` is unused, kept for callers)."""
    p = a * (1.0 - e * e)
    e_f = -0.5 * (J3_EARTH / J2_EARTH) * R_EARTH_M / p * si
    amp = 0.25 * J2_EARTH * R_EARTH_M * R_EARTH_M * si * si / p
    return _position_zonal(a, e, ci, si, raan0, raan_dot, argp0, argp_dot, m0, m_dot, e_f, amp, dt)


@numba.njit(cache=True, inline="always")
def _fraction(x, y, z, sx, sy, sz):  # pragma: no cover
    """Conical illuminated fraction (same formula as eclipse.illuminated_fraction).

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
def _shadow(x, y, z, sx, sy, sz):  # pragma: no cover
    """Sun-centre shadow function: negative inside the shadow, m."""
    tx, ty, tz = sx - x, sy - y, sz - z
    d = np.sqrt(tx * tx + ty * ty + tz * tz)
    ux, uy, uz = tx / d, ty / d, tz / d
    along = x * ux + y * uy + z * uz
    if along >= 0.0:
        return np.sqrt(x * x + y * y + z * z)
    px, py, pz = x - along * ux, y - along * uy, z - along * uz
    return np.sqrt(px * px + py * py + pz * pz) - R_EARTH_M


def _rates(el: MeanElements) -> tuple[np.ndarray, ...]:
    raan_dot, argp_dot, m_dot = j2_secular_rates(
        el.semi_major_axis_m, el.eccentricity, el.inclination_rad
    )
    return (
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
        mean_motion_rad_s(el.semi_major_axis_m),
        el.epoch_s,
    )


def _zonal(el: MeanElements) -> tuple[np.ndarray, np.ndarray]:
    """Per-satellite J3 eccentricity offset and J2 short-period radius amplitude (m)."""
    args = (el.semi_major_axis_m, el.eccentricity, el.inclination_rad)
    return frozen_eccentricity(*args), short_period_radius_amplitude_m(*args)


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
    n,
    epoch,
    e_f,
    amp,
    t,
    sun,
    r_out,
    f_out,
):  # pragma: no cover
    for j in numba.prange(a.shape[0]):
        for k in range(t.shape[0]):
            x, y, z = _position_zonal(
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
                t[k] - epoch[j],
            )
            if r_out.shape[0] > 0:
                r_out[j, k, 0] = x
                r_out[j, k, 1] = y
                r_out[j, k, 2] = z
            f_out[j, k] = _fraction(x, y, z, sun[k, 0], sun[k, 1], sun[k, 2])


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
    _illumination_kernel(*_rates(elements), *_zonal(elements), t, sun, r, f)
    return (r if keep_positions else None), f


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
    n,
    epoch,
    e_f,
    amp,
    t,
    sun,
    open_entry,
    out_entry,
    out_exit,
    out_count,
):  # pragma: no cover
    n_t = t.shape[0]
    cap = out_entry.shape[1]
    step = t[1] - t[0]
    for j in numba.prange(a.shape[0]):
        count = 0
        x, y, z = _position_zonal(
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
            t[0] - epoch[j],
        )
        g_prev = _shadow(x, y, z, sun[0, 0], sun[0, 1], sun[0, 2])
        # Near-circular orbits on a uniform grid: advance the mean argument of latitude, the node
        # and the perigee by rotation recurrences (exact angles, rounding ~1e-16 per step, reset
        # every chunk); _in_plane then needs no trigonometric call (|e vector| < 0.01).
        fast = e[j] < 0.008
        dt0 = t[0] - epoch[j]
        lam = m0[j] + argp0[j] + (m_dot[j] + argp_dot[j]) * dt0
        node = raan0[j] + raan_dot[j] * dt0
        argp = argp0[j] + argp_dot[j] * dt0
        cl, sl = np.cos(lam), np.sin(lam)
        cn, sn = np.cos(node), np.sin(node)
        cw, sw = np.cos(argp), np.sin(argp)
        dl = (argp_dot[j] + m_dot[j]) * step
        dn = raan_dot[j] * step
        dw = argp_dot[j] * step
        cdl, sdl = np.cos(dl), np.sin(dl)
        cdn, sdn = np.cos(dn), np.sin(dn)
        cdw, sdw = np.cos(dw), np.sin(dw)
        kk, hh = e[j] * cw, e[j] * sw + e_f[j]
        beta = 1.0 / (1.0 + np.sqrt(1.0 - kk * kk - hh * hh))
        for k in range(1, n_t):
            if fast:
                cl, sl = cl * cdl - sl * sdl, sl * cdl + cl * sdl
                cn, sn = cn * cdn - sn * sdn, sn * cdn + cn * sdn
                if e[j] != 0.0:
                    cw, sw = cw * cdw - sw * sdw, sw * cdw + cw * sdw
                    kk, hh = e[j] * cw, e[j] * sw + e_f[j]
                    beta = 1.0 / (1.0 + np.sqrt(1.0 - kk * kk - hh * hh))
                xp, yp = _in_plane(a[j], kk, hh, beta, 0.0, cl, sl, amp[j])
                x, y, z = _to_eci(xp, yp, ci[j], si[j], cn, sn)
            else:
                x, y, z = _position_zonal(
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
                    t[k] - epoch[j],
                )
            g = _shadow(x, y, z, sun[k, 0], sun[k, 1], sun[k, 2])
            if (g < 0.0) != (g_prev < 0.0):
                # Illinois (modified regula falsi) on the exact orbit: superlinear, and the
                # bracket always holds the root; stops below 1 microsecond.
                t_lo, t_hi = t[k - 1], t[k]
                g_lo, g_hi = g_prev, g
                side = 0
                crossing = 0.5 * (t_lo + t_hi)
                for _ in range(60):
                    crossing = (t_lo * g_hi - t_hi * g_lo) / (g_hi - g_lo)
                    frac = (crossing - t[k - 1]) / (t[k] - t[k - 1])
                    xm, ym, zm = _position_zonal(
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
                        crossing - epoch[j],
                    )
                    # The Sun moves 0.04 deg an hour: linear interpolation over one step is exact
                    # to ~1e-9 rad.
                    sx = sun[k - 1, 0] + frac * (sun[k, 0] - sun[k - 1, 0])
                    sy = sun[k - 1, 1] + frac * (sun[k, 1] - sun[k - 1, 1])
                    sz = sun[k - 1, 2] + frac * (sun[k, 2] - sun[k - 1, 2])
                    g_mid = _shadow(xm, ym, zm, sx, sy, sz)
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
                    if t_hi - t_lo < 1e-6 or g_mid == 0.0:
                        break
                if g < 0.0:
                    open_entry[j] = crossing
                elif count < cap:
                    out_entry[j, count] = open_entry[j]
                    out_exit[j, count] = crossing
                    count += 1
                    open_entry[j] = np.nan
            g_prev = g
        out_count[j] = count


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
        < 1 microsecond on the exact orbit by the Illinois method).
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
    rates = _rates(elements)
    zonal = _zonal(elements)
    n_sat = elements.n_satellites
    grid = np.arange(start_s, stop_s + 0.5 * step_s, step_s)
    open_entry = np.full(n_sat, np.nan)
    orbits_per_chunk = chunk_steps * step_s / float(np.min(2 * np.pi / rates[10]))
    cap = int(orbits_per_chunk) + 2
    parts = []
    for k in range(0, grid.size - 1, chunk_steps):
        t = np.ascontiguousarray(grid[k : k + chunk_steps + 1])
        sun = np.ascontiguousarray(sun_position_eci_m(t))
        out_entry = np.empty((n_sat, cap))
        out_exit = np.empty((n_sat, cap))
        count = np.zeros(n_sat, dtype=np.int64)
        _events_kernel(*rates, *zonal, t, sun, open_entry, out_entry, out_exit, count)
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
