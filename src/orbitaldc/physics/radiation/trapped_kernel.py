"""The compiled trapped-particle pass: ECI -> ECEF -> geodetic -> field -> table cell -> spectra,
with the geomagnetic cutoff histogram, in one numba kernel parallel over satellites (see
:mod:`.trapped` for the model, its accuracy and its speed). :func:`run_orbit_kernel` validates the
inputs and runs it; :mod:`.trapped` holds the public calls.
"""

from __future__ import annotations

import numba
import numpy as np

from orbitaldc.physics.constants import R_EARTH_M
from orbitaldc.physics.fastmath import FASTMATH, ln, pow10, pow10_f32
from orbitaldc.physics.frames import gmst_rad
from orbitaldc.physics.geodetic import ecef_to_geodetic_kernel
from orbitaldc.physics.radiation import geomagnetic
from orbitaldc.physics.radiation.trapped_screen import (
    COARSE_N_LAT,
    COARSE_N_LON,
    COARSE_N_R,
    coarse_screen,
    live_cells,
)
from orbitaldc.physics.radiation.trapped_tables import ZERO_BELOW_LOG10, epoch_index, load_grid

_ZERO_BELOW_F32 = np.float32(ZERO_BELOW_LOG10)


@numba.njit(cache=True, inline="always", fastmath=FASTMATH, error_model="numpy")
def _cell(
    lat,
    lon,
    h_km,
    lon_per_rad,
    lon_off,
    n_lon,
    lat_per_rad,
    lat_off,
    n_lat,
    alt_km,
    inv_dalt,
    alt_lut,
):  # pragma: no cover
    """Corner indices and weights of the field-grid cell holding a point (lon from atan2, in
    [-pi, pi]; cells per radian and the first node's offset in cells precomputed, so no division;
    the altitude cell from a 1 km lookup table, then one step to the exact node)."""
    x = lon * lon_per_rad - lon_off
    i0 = int(x)
    wx = x - i0
    if i0 >= n_lon:
        i0 -= n_lon
    i1 = i0 + 1
    if i1 >= n_lon:
        i1 -= n_lon
    y = min(max(lat * lat_per_rad - lat_off, 0.0), n_lat - 1.0)
    j0 = min(int(y), n_lat - 2)
    wy = y - j0
    k0 = alt_lut[min(int(h_km - alt_km[0]), alt_lut.size - 1)]
    if k0 < alt_km.size - 2 and h_km >= alt_km[k0 + 1]:
        k0 += 1
    wz = min(max((h_km - alt_km[k0]) * inv_dalt[k0], 0.0), 1.0)
    return i0, i1, wx, j0, wy, k0, wz


@numba.njit(cache=True, inline="always", fastmath=FASTMATH, error_model="numpy")
def _tri(f, q, i0, i1, wx, j0, wy, k0, wz):  # pragma: no cover - compiled
    """Trilinear blend of component ``q`` of ``f`` (lon, lat, alt, 2)."""
    return (1 - wx) * (
        (1 - wy) * ((1 - wz) * f[i0, j0, k0, q] + wz * f[i0, j0, k0 + 1, q])
        + wy * ((1 - wz) * f[i0, j0 + 1, k0, q] + wz * f[i0, j0 + 1, k0 + 1, q])
    ) + wx * (
        (1 - wy) * ((1 - wz) * f[i1, j0, k0, q] + wz * f[i1, j0, k0 + 1, q])
        + wy * ((1 - wz) * f[i1, j0 + 1, k0, q] + wz * f[i1, j0 + 1, k0 + 1, q])
    )


@numba.njit(cache=True, inline="always", fastmath=FASTMATH, error_model="numpy")
def _table_cell(inv_l, x, u, inv_u_step, n_ln_l, n_u):  # pragma: no cover - compiled
    """Indices and weights in the (ln L, u) table, given ``x = ln L / step``, or ``ok = False``
    outside the trapped region."""
    y = max(u, 0.0) * inv_u_step
    if inv_l <= 1e-6 or x < 0.0 or x >= n_ln_l - 1 or y >= n_u - 1:
        return False, 0, 0.0, 0, 0.0
    i = int(x)
    j = int(y)
    return True, i, x - i, j, y - j


@numba.njit(cache=True, inline="always", fastmath=FASTMATH, error_model="numpy")
def _accumulate(table, n_live, i, j, w00, w10, w01, w11, acc):  # pragma: no cover - compiled
    """Add the interpolated integral spectrum of one sample to ``acc``: the first
    ``n_live[i, j]`` energies in one branch-free (vectorised) loop, in float32 (``table`` and the
    weights are float32; see :func:`pow10_f32`); above them all four corners are zero (see
    ``TrappedGrid.live_energies``), so the sample adds nothing there."""
    for k in range(n_live[i, j]):
        v = (
            w00 * table[i, j, k]
            + w10 * table[i + 1, j, k]
            + w01 * table[i, j + 1, k]
            + w11 * table[i + 1, j + 1, k]
        )
        acc[k] += pow10_f32(v) if v > _ZERO_BELOW_F32 else np.float32(0.0)


#: Satellites per parallel work item of :func:`_orbit_kernel`: its scratch arrays are allocated
#: once per item (per satellite, the allocations cost ~2 % of the kernel).
_SAT_BLOCK = 16
#: The spectra's float32 partial sums cover time blocks of 2**_PARTIAL_SHIFT samples (32) before
#: joining the float64 totals: rounding <= 31 x 6e-8 = 1.9e-6 relative (worst case), and blocks
#: fixed in time, not in the count of samples with a flux, so the sums do not depend on which other
#: tables share the pass (tested: one pass equals the separate calls).
_PARTIAL_SHIFT = 5


@numba.njit(parallel=True, cache=True, fastmath=FASTMATH, error_model="numpy")
def _orbit_kernel(
    r,
    cos_gmst,
    sin_gmst,
    lon_per_rad,
    lon_off,
    n_lon,
    lat_per_rad,
    lat_off,
    n_lat,
    alt_km,
    inv_dalt,
    alt_lut,
    field,
    live,
    inv_ln_l_step,
    n_ln_l,
    inv_u_step,
    n_u,
    table_a,
    table_b,
    live_a,
    live_b,
    k_series,
    dipole_axis,
    cutoff_scale,
    shadow_radius,
    cut_edges,
    coarse,
    c_lon_per_unit,
    c_lat_per_unit,
    c_r2_lo,
    c_r_per_m2,
    mean_a,
    mean_b,
    series_out,
    cutoff_weights,
):  # pragma: no cover - compiled
    """One geometry pass per sample (ECI -> ECEF -> geodetic -> field -> table cell), then: the
    time-mean spectrum of ``table_a`` into ``mean_a`` and of ``table_b`` into ``mean_b`` (each
    skipped when its output has zero columns), ``table_a`` at energy index ``k_series`` into
    ``series_out`` (skipped when ``k_series < 0``), and the Stormer cutoff's shadow-weighted
    histogram on ``cut_edges`` into ``cutoff_weights`` (skipped when it has zero columns).
    Samples in field cells that ``live`` marks dead (zero flux everywhere) stop after the cutoff.
    Both tables share the (ln L, u) nodes."""
    n_sat, n_t = r.shape[0], r.shape[1]
    c_n_lon, c_n_lat, c_n_r = COARSE_N_LON, COARSE_N_LAT, COARSE_N_R + 2
    do_a = mean_a.shape[1] > 0
    do_b = mean_b.shape[1] > 0
    n_bins = cutoff_weights.shape[1]
    n_edges = cut_edges.size
    top_step = 1
    while top_step * 2 <= n_edges:
        top_step *= 2
    mx, my, mz = dipole_axis[0], dipole_axis[1], dipole_axis[2]
    h_lo = alt_km[0]
    h_hi = alt_km[alt_km.size - 1]
    bad = 0
    n_blocks = (n_sat + _SAT_BLOCK - 1) // _SAT_BLOCK
    for blk in numba.prange(n_blocks):
        acc_a = np.empty(mean_a.shape[1])
        acc_b = np.empty(mean_b.shape[1])
        part_a = np.zeros(mean_a.shape[1], dtype=np.float32)
        part_b = np.zeros(mean_b.shape[1], dtype=np.float32)
        x_t = np.empty(n_t)
        y_t = np.empty(n_t)
        z_t = np.empty(n_t)
        rc_t = np.empty(n_t)
        shadow_t = np.empty(n_t)
        cidx_t = np.empty(n_t, dtype=np.int64)
        t_cand = np.empty(n_t, dtype=np.int64)
        lat_t = np.empty(n_t)
        lon_t = np.empty(n_t)
        h_km_t = np.empty(n_t)
        cell_i = np.empty(n_t, dtype=np.int64)
        cell_j = np.empty(n_t, dtype=np.int64)
        cell_t = np.empty(n_t, dtype=np.int64)
        wt = np.empty((n_t, 4), dtype=np.float32)
        il_t = np.empty(n_t)
        u_t = np.empty(n_t)
        x_live = np.empty(n_t)
        t_live = np.empty(n_t, dtype=np.int64)
        # Satellites blk, blk + n_blocks, ...: each thread's share mixes all planes and phases
        # (contiguous blocks gave one thread more SAA time: 8 % slower, measured).
        for s in range(blk, n_sat, n_blocks):
            acc_a[:] = 0.0
            acc_b[:] = 0.0
            # Pass 1, branch-free so it vectorises over time: ECEF position (its own loop: fused
            # with the rest, the strided loads of r keep the vectorised loop ~3x slower), the
            # Stormer cutoff at the dipole latitude (geomagnetic.stormer_vertical_cutoff_gv,
            # cos^2 written as 1 - sin^2), the shadow weight (geomagnetic.earth_shadow_factor),
            # the geodetic point.
            for t in range(n_t):
                x_t[t] = cos_gmst[t] * r[s, t, 0] + sin_gmst[t] * r[s, t, 1]
                y_t[t] = -sin_gmst[t] * r[s, t, 0] + cos_gmst[t] * r[s, t, 1]
                z_t[t] = r[s, t, 2]
            # Pass 1b, the same: the cutoff (one division serves 1/r^2 and the diamond angle's
            # 1/(|x| + |y|)) and its shadow weight, and the sample's coarse-screen cell (see
            # trapped_screen.coarse_screen); its clamps are NaN-safe, so a non-finite position lands in the
            # always-marked bin 0 and is counted outside the grid by the exact path.
            for t in range(n_t):
                x = x_t[t]
                y = y_t[t]
                z = z_t[t]
                r2 = x * x + y * y + z * z
                q1 = abs(x) + abs(y)
                q1 = q1 if q1 > 1.0 else 1.0
                d_inv = 1.0 / (r2 * q1)
                inv_r2 = d_inv * q1
                rm = x * mx + y * my + z * mz
                cos2 = max(1.0 - rm * rm * inv_r2, 0.0)
                rc_t[t] = cutoff_scale * cos2 * cos2 * inv_r2
                sh2 = min(shadow_radius * shadow_radius * inv_r2, 1.0)
                shadow_t[t] = 0.5 * (1.0 + np.sqrt(1.0 - sh2))
                tx = x * (d_inv * r2)
                fb = ((1.0 - tx) if y >= 0.0 else (3.0 + tx)) * c_lon_per_unit
                fb = fb if fb >= 0.0 else 0.0
                fs = (z * np.sqrt(inv_r2) + 1.0) * c_lat_per_unit
                fs = fs if fs >= 0.0 else 0.0
                fr = (r2 - c_r2_lo) * c_r_per_m2 + 1.0
                fr = fr if fr >= 0.0 else 0.0
                ib = min(int(fb), c_n_lon - 1)
                jb = min(int(fs), c_n_lat - 1)
                kb = min(int(fr), c_n_r - 1)
                cidx_t[t] = (ib * c_n_lat + jb) * c_n_r + kb
            # Pass 2, per sample: cutoff histogram; the n_c samples the coarse screen keeps are
            # compacted (in place, n_c <= t) for pass 2a.
            b = 0  # cutoff bucket: number of edges <= rc
            n_c = 0
            for t in range(n_t):
                if n_bins > 0:
                    rc = rc_t[t]
                    if t == 0:  # binary search
                        step = top_step
                        while step > 0:
                            if b + step <= n_edges and cut_edges[b + step - 1] <= rc:
                                b += step
                            step //= 2
                    else:  # rc moves smoothly along the orbit: walk from the previous bucket
                        while b < n_edges and cut_edges[b] <= rc:
                            b += 1
                        while b > 0 and cut_edges[b - 1] > rc:
                            b -= 1
                    cutoff_weights[s, b] += shadow_t[t]
                x_t[n_c] = x_t[t]
                y_t[n_c] = y_t[t]
                z_t[n_c] = z_t[t]
                t_cand[n_c] = t
                n_c += coarse[cidx_t[t]]
            # Pass 2a, branch-free so it vectorises: the geodetic point of those samples.
            for q in range(n_c):
                lat, lon, h = ecef_to_geodetic_kernel(x_t[q], y_t[q], z_t[q])
                lat_t[q] = lat
                lon_t[q] = lon
                h_km_t[q] = h * 1e-3
            # Pass 2b, per kept sample: outside the grid?, field cell; the n_live samples in live
            # cells keep 1/L and u.
            m = 0
            n_live = 0
            for q in range(n_c):
                lat = lat_t[q]
                lon = lon_t[q]
                h_km = h_km_t[q]
                if not (h_lo <= h_km <= h_hi):
                    bad += 1
                    continue
                i0, i1, wx, j0, wy, k0, wz = _cell(
                    lat,
                    lon,
                    h_km,
                    lon_per_rad,
                    lon_off,
                    n_lon,
                    lat_per_rad,
                    lat_off,
                    n_lat,
                    alt_km,
                    inv_dalt,
                    alt_lut,
                )
                if live[i0, j0, k0] == 0:
                    continue
                il_t[n_live] = _tri(field, 0, i0, i1, wx, j0, wy, k0, wz)
                u_t[n_live] = _tri(field, 1, i0, i1, wx, j0, wy, k0, wz)
                t_live[n_live] = t_cand[q]
                n_live += 1
            # Pass 2b, branch-free so it vectorises: ln L of the live samples.
            for q in range(n_live):
                x_live[q] = -ln(max(il_t[q], 1e-300)) * inv_ln_l_step
            # Pass 2c: table cells; the m samples with a flux keep their cell and corner weights
            # for pass 3.
            for q in range(n_live):
                t = t_live[q]
                ok, i, fx, j, fy = _table_cell(il_t[q], x_live[q], u_t[q], inv_u_step, n_ln_l, n_u)
                if not ok:
                    continue
                w00 = (1 - fx) * (1 - fy)
                w10 = fx * (1 - fy)
                w01 = (1 - fx) * fy
                w11 = fx * fy
                if k_series >= 0:
                    v = (
                        w00 * table_a[i, j, k_series]
                        + w10 * table_a[i + 1, j, k_series]
                        + w01 * table_a[i, j + 1, k_series]
                        + w11 * table_a[i + 1, j + 1, k_series]
                    )
                    if v > ZERO_BELOW_LOG10:
                        series_out[s, t] = pow10(v)
                cell_i[m] = i
                cell_j[m] = j
                cell_t[m] = t
                wt[m, 0] = w00
                wt[m, 1] = w10
                wt[m, 2] = w01
                wt[m, 3] = w11
                m += 1
            # Pass 3, the spectra of those samples in time order (the same sums, bit for bit, as
            # when they were blended inside pass 2): kept apart from pass 2's scalar, branchy
            # work, the vectorised energy loops make the whole kernel ~15 % faster (measured).
            for q in range(m):
                i = cell_i[q]
                j = cell_j[q]
                w00 = wt[q, 0]
                w10 = wt[q, 1]
                w01 = wt[q, 2]
                w11 = wt[q, 3]
                if do_a:
                    _accumulate(table_a, live_a, i, j, w00, w10, w01, w11, part_a)
                if do_b:
                    _accumulate(table_b, live_b, i, j, w00, w10, w01, w11, part_b)
                if q == m - 1 or (cell_t[q + 1] >> _PARTIAL_SHIFT) != (cell_t[q] >> _PARTIAL_SHIFT):
                    for k in range(part_a.size):
                        acc_a[k] += part_a[k]
                        part_a[k] = 0.0
                    for k in range(part_b.size):
                        acc_b[k] += part_b[k]
                        part_b[k] = 0.0
            for k in range(acc_a.size):
                mean_a[s, k] = acc_a[k] / n_t
            for k in range(acc_b.size):
                mean_b[s, k] = acc_b[k] / n_t
            for k in range(n_bins):
                cutoff_weights[s, k] /= n_t
    return bad


def run_orbit_kernel(
    r_eci_m, t_s, field_epoch, key_a, key_b, k_series, mean_a, mean_b, cut_edges=None
):
    """Validate inputs, run :func:`_orbit_kernel` on the tables ``key_a`` and ``key_b``
    ((species, solar) pairs); returns ``(mean_a, mean_b, series, cutoff_weights)``."""
    g = load_grid()
    r = np.ascontiguousarray(r_eci_m, dtype=float)
    t = np.asarray(t_s, dtype=float)
    if r.ndim != 3 or r.shape[-1] != 3:
        raise ValueError("r_eci_m: need ECI positions of shape (satellite, time, 3) in metres")
    if t.shape != (r.shape[1],):
        raise ValueError(f"t_s: need shape ({r.shape[1]},) to match r_eci_m's time axis")
    if r.shape[1] == 0:
        raise ValueError("t_s: need at least one time sample")
    e = epoch_index(field_epoch)
    table_a, table_b = g.kernel_tables[key_a], g.kernel_tables[key_b]
    n_a, n_b = g.tables[key_a].shape[2], g.tables[key_b].shape[2]
    keys = (key_a, key_b) if mean_b else (key_a,)
    live = live_cells(e, keys)
    coarse = coarse_screen(e, keys)
    n_sat = r.shape[0]
    out_a = np.zeros((n_sat, table_a.shape[2] if mean_a else 0))
    out_b = np.zeros((n_sat, table_b.shape[2] if mean_b else 0))
    series = np.zeros((n_sat, r.shape[1]) if k_series >= 0 else (n_sat, 0))
    edges = np.zeros(0) if cut_edges is None else cut_edges
    weights = np.zeros((n_sat, 0 if cut_edges is None else edges.size + 1))
    g10, g11, h11 = geomagnetic.IGRF13_2020_G10_G11_H11_NT
    axis = -np.array([g11, h11, g10]) / np.sqrt(g10 * g10 + g11 * g11 + h11 * h11)
    theta = gmst_rad(t)
    bad = _orbit_kernel(
        r,
        np.cos(theta),
        np.sin(theta),
        np.degrees(1.0) / g.lon_step_deg,
        g.lon0_deg / g.lon_step_deg,
        g.n_lon,
        np.degrees(1.0) / g.lat_step_deg,
        g.lat0_deg / g.lat_step_deg,
        g.inv_l.shape[2],
        g.alt_km,
        1.0 / np.diff(g.alt_km),
        g.alt_lut,
        g.field[e],
        live,
        1.0 / g.ln_l_step,
        g.n_ln_l,
        1.0 / g.u_step,
        g.n_u,
        table_a,
        table_b,
        g.live_energies[key_a],
        g.live_energies[key_b],
        k_series,
        axis,
        0.25 * geomagnetic.STORMER_CONSTANT_GV * geomagnetic.IGRF_REFERENCE_RADIUS_M**2,
        R_EARTH_M + geomagnetic.SHADOW_ATMOSPHERE_M,
        edges,
        coarse.mask,
        coarse.lon_bins_per_unit,
        coarse.lat_bins_per_unit,
        coarse.r2_lo_m2,
        coarse.r_bins_per_m2,
        out_a,
        out_b,
        series,
        weights,
    )
    if bad:
        raise ValueError(
            f"r_eci_m: {bad} samples lie outside the trapped grid's "
            f"{g.alt_km[0]:g}-{g.alt_km[-1]:g} km altitude range"
        )
    return (
        np.ascontiguousarray(out_a[:, :n_a]),
        np.ascontiguousarray(out_b[:, :n_b]),
        series,
        weights,
    )
