"""Which samples the compiled trapped-particle pass can skip: the field-grid cells where no table
has a flux (:func:`live_cells`) and a coarse screen over cheap ECEF coordinates that finds samples
in such cells before their geodetic point is computed (:func:`coarse_screen`). Both are exact
(conservative bounds): a skipped sample has zero flux (tests).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from orbitaldc.physics.constants import F_EARTH, R_EARTH_M
from orbitaldc.physics.radiation.trapped_tables import ZERO_BELOW_LOG10, load_grid


@lru_cache(maxsize=16)
def live_cells(epoch: int, keys: tuple) -> np.ndarray:
    """Field-grid cells (lon, lat, alt) ``uint8`` where a sample can have a nonzero flux in any
    table of ``keys``: inside a cell the trilinear ``(1/L, u)`` is a convex blend of the 8 corners,
    so the table cells it can reach lie in the corners' bounding box (widened by 1e-6 of a node
    step for rounding); a cell is dead when every table node there is zero at the lowest energy
    (then, spectra being non-increasing, at all). Exact: the kernel skips only zero samples."""
    g = load_grid()
    f = g.field[epoch]
    corners = []
    for fi in (f, np.roll(f, -1, axis=0)):
        for fj in (fi[:, :-1], fi[:, 1:]):
            corners.extend((fj[:, :, :-1], fj[:, :, 1:]))
    c = np.stack(corners)
    inv_l_lo, inv_l_hi = c[..., 0].min(axis=0), c[..., 0].max(axis=0)
    u_lo, u_hi = c[..., 1].min(axis=0), c[..., 1].max(axis=0)
    eps = 1e-6
    with np.errstate(divide="ignore"):
        x_lo = -np.log(np.maximum(inv_l_hi, 1e-300)) / g.ln_l_step - eps
        x_hi = (
            np.where(inv_l_lo > 1e-6, -np.log(np.maximum(inv_l_lo, 1e-300)) / g.ln_l_step, np.inf)
            + eps
        )
    y_lo = np.maximum(u_lo, 0.0) / g.u_step - eps
    y_hi = np.maximum(u_hi, 0.0) / g.u_step + eps
    reachable = (inv_l_hi > 1e-6) & (x_hi >= 0.0) & (x_lo < g.n_ln_l - 1) & (y_lo < g.n_u - 1)
    i_lo = np.clip(np.floor(x_lo), 0, g.n_ln_l - 1).astype(np.intp)
    i_hi = np.clip(np.floor(np.minimum(x_hi, g.n_ln_l)) + 1, 0, g.n_ln_l - 1).astype(np.intp)
    j_lo = np.clip(np.floor(y_lo), 0, g.n_u - 1).astype(np.intp)
    j_hi = np.clip(np.floor(y_hi) + 1, 0, g.n_u - 1).astype(np.intp)
    live_node = np.zeros((g.n_ln_l, g.n_u), dtype=np.int64)
    for key in keys:
        live_node |= g.tables[key][..., 0] > ZERO_BELOW_LOG10
    area = np.zeros((g.n_ln_l + 1, g.n_u + 1), dtype=np.int64)
    area[1:, 1:] = live_node.cumsum(axis=0).cumsum(axis=1)
    count = (
        area[i_hi + 1, j_hi + 1] - area[i_lo, j_hi + 1] - area[i_hi + 1, j_lo] + area[i_lo, j_lo]
    )
    return np.ascontiguousarray(reachable & (count > 0), dtype=np.uint8)


# Coarse screen: most samples of a low orbit lie in dead field cells (measured: 60 % of a 550 km,
# 53 deg shell's samples), and locating them needs the geodetic point (two atan2, four divisions,
# four square roots). The screen is a table over cheap coordinates of the ECEF position, each
# coarse cell marked 1 when some point in it may land in a live field cell (or outside the grid's
# altitudes), computed from rigorous bounds, so samples it marks 0 are dead and skip the geodetic
# step; those it marks 1 take the exact path. The coordinates: the "diamond angle" of (x, y),
# d = 1 - x / (|x| + |y|) for y >= 0 and 3 + x / (|x| + |y|) below, which increases with longitude
# from 0 to 4 (no atan2); sin of the geocentric latitude; r^2.

#: Coarse bins: diamond angle (128 over [0, 4): <= 2.8 deg of longitude), sin(geocentric latitude)
#: (128 over [-1, 1]) and r^2 (48 over the grid's radii, plus one below and one above).
COARSE_N_LON = 128
COARSE_N_LAT = 128
COARSE_N_R = 48
#: Largest geodetic minus geocentric latitude above the WGS-84 ellipsoid, rad (at the surface at
#: 45 deg, 0.1924 deg; it shrinks with height), with 1 % margin.
_GEODETIC_MINUS_GEOCENTRIC_MAX_RAD = 1.01 * float(
    np.max(
        (lat := np.linspace(0.0, np.pi / 2, 100_001))
        - np.arctan((1.0 - F_EARTH) ** 2 * np.tan(lat))
    )
)


def _diamond_to_lon_rad(d: np.ndarray) -> np.ndarray:
    """Longitude (rad, in [-pi, pi)) of the diamond angle ``d`` in [0, 4]."""
    tx = np.where(d <= 2.0, 1.0 - d, d - 3.0)
    ty = np.where(d <= 2.0, 1.0 - np.abs(tx), -(1.0 - np.abs(tx)))
    return np.arctan2(ty, tx)


@dataclass(frozen=True)
class CoarseScreen:
    mask: np.ndarray  # uint8 (n_lon_bins * n_lat_bins * (n_r + 2)), flat
    lon_bins_per_unit: float  # per unit of diamond angle
    lat_bins_per_unit: float  # per unit of sin(latitude) + 1
    r2_lo_m2: float
    r_bins_per_m2: float


@lru_cache(maxsize=16)
def coarse_screen(epoch: int, keys: tuple) -> CoarseScreen:
    """The coarse screen for :func:`live_cells` ``(epoch, keys)`` (see above): for each coarse
    cell, bounds on the kernel's field-cell indices of any point in it, then whether that box of
    field cells holds a live one. Bounds: longitude exactly from the diamond bin; geodetic latitude
    from the geocentric one, same sign and at most :data:`_GEODETIC_MINUS_GEOCENTRIC_MAX_RAD`
    larger in magnitude; height between ``r - a`` (the ellipsoid lies inside the sphere of radius
    a) and ``r - rho(lat_c)`` (the ellipsoid point on the same radius is no nearer than the foot
    of the normal), with ``rho`` taken at the bin's largest |latitude|. Everything widened by
    1e-6 rad or 10 m for the kernel's rounding and its one-step Bowring geodetic point (< 4e-9 rad,
    < 3 cm). The polar bins (where (x, y) may be ~0) are always marked."""
    g = load_grid()
    live = live_cells(epoch, keys)
    n_lon, n_lat_c, n_alt_c = live.shape
    a = R_EARTH_M
    b = a * (1.0 - F_EARTH)
    eps_rad = 1e-6
    eps_km = 0.01
    # Longitude: field-cell columns i0 (as the kernel: x = lon / step - lon0 / step, wrapped).
    d = np.arange(COARSE_N_LON + 1) * (4.0 / COARSE_N_LON)
    lon_edges = _diamond_to_lon_rad(d)
    lo = lon_edges[:-1]
    hi = np.where(lon_edges[1:] <= lo, lon_edges[1:] + 2.0 * np.pi, lon_edges[1:])
    lon_per_rad = np.degrees(1.0) / g.lon_step_deg
    lon_off = g.lon0_deg / g.lon_step_deg
    i_lo = np.floor((lo - eps_rad) * lon_per_rad - lon_off).astype(np.int64)
    i_hi = np.floor((hi + eps_rad) * lon_per_rad - lon_off).astype(np.int64)
    i_start = np.mod(i_lo, n_lon)
    i_end = i_start + (i_hi - i_lo)  # inclusive, < 2 n_lon
    # Latitude: field-cell rows j0.
    s_edges = np.linspace(-1.0, 1.0, COARSE_N_LAT + 1)
    lat_c_lo = np.arcsin(s_edges[:-1])
    lat_c_hi = np.arcsin(s_edges[1:])
    delta = _GEODETIC_MINUS_GEOCENTRIC_MAX_RAD
    lat_lo = lat_c_lo - np.where(lat_c_lo < 0.0, delta, 0.0) - eps_rad
    lat_hi = lat_c_hi + np.where(lat_c_hi > 0.0, delta, 0.0) + eps_rad
    lat_per_rad = np.degrees(1.0) / g.lat_step_deg
    lat_off = g.lat0_deg / g.lat_step_deg
    n_lat = g.inv_l.shape[2]

    def row(lat: np.ndarray) -> np.ndarray:
        y = np.clip(lat * lat_per_rad - lat_off, 0.0, n_lat - 1.0)
        return np.minimum(np.floor(y), n_lat - 2).astype(np.int64)

    j_lo, j_hi = row(lat_lo), row(lat_hi)
    # Radius: field-cell layers k0; r^2 bins between the lowest and highest radii the grid spans.
    r2_lo = (b + g.alt_km[0] * 1e3) ** 2
    r2_hi = (a + g.alt_km[-1] * 1e3) ** 2
    r2_edges = np.linspace(r2_lo, r2_hi, COARSE_N_R + 1)
    r_lo = np.sqrt(r2_edges[:-1])
    r_hi = np.sqrt(r2_edges[1:])
    abs_lat_max = np.maximum(np.abs(lat_c_lo), np.abs(lat_c_hi))
    rho = a * b / np.sqrt((b * np.cos(abs_lat_max)) ** 2 + (a * np.sin(abs_lat_max)) ** 2)
    h_lo_km = np.broadcast_to((r_lo - a) / 1e3 - eps_km, (COARSE_N_LAT, COARSE_N_R))
    h_hi_km = (r_hi[None, :] - rho[:, None]) / 1e3 + eps_km
    outside = (h_lo_km < g.alt_km[0]) | (h_hi_km > g.alt_km[-1])

    def layer(h: np.ndarray) -> np.ndarray:
        k = np.searchsorted(g.alt_km, h, side="right") - 1
        return np.clip(k, 0, g.alt_km.size - 2).astype(np.int64)

    k_lo, k_hi = layer(h_lo_km), layer(h_hi_km)
    # Live field cells in each box: 3-D prefix sums over the live mask, longitude doubled for wrap.
    doubled = np.concatenate([live, live], axis=0).astype(np.int64)
    area = np.zeros((2 * n_lon + 1, n_lat_c + 1, n_alt_c + 1), dtype=np.int64)
    area[1:, 1:, 1:] = doubled.cumsum(0).cumsum(1).cumsum(2)
    i0, i1 = i_start[:, None, None], i_end[:, None, None] + 1
    j0, j1 = j_lo[None, :, None], j_hi[None, :, None] + 1
    k0, k1 = k_lo[None, :, :], k_hi[None, :, :] + 1
    count = (
        area[i1, j1, k1]
        - area[i0, j1, k1]
        - area[i1, j0, k1]
        - area[i1, j1, k0]
        + area[i0, j0, k1]
        + area[i0, j1, k0]
        + area[i1, j0, k0]
        - area[i0, j0, k0]
    )
    inner = (count > 0) | outside[None, :, :]
    inner[:, [0, -1], :] = True  # polar bins
    mask = np.ones((COARSE_N_LON, COARSE_N_LAT, COARSE_N_R + 2), dtype=np.uint8)
    mask[:, :, 1:-1] = inner
    return CoarseScreen(
        mask=mask.reshape(-1),
        lon_bins_per_unit=COARSE_N_LON / 4.0,
        lat_bins_per_unit=COARSE_N_LAT / 2.0,
        r2_lo_m2=r2_lo,
        r_bins_per_m2=COARSE_N_R / (r2_hi - r2_lo),
    )
