"""The numpy reference path of the trapped-particle model: trilinear ``(1/L, u)`` at geodetic
points, then bilinear ``log10`` flux in ``(ln L, u)`` (see :mod:`.trapped`). The compiled orbit
pass (:mod:`.trapped_kernel`) is held to it to 1e-5 (tests); maps and spot values use it directly.
"""

from __future__ import annotations

import numpy as np

from orbitaldc.physics.radiation.trapped_grid import LOG10_FLOOR
from orbitaldc.physics.radiation.trapped_tables import load_grid


def field_numpy(lat_rad, lon_rad, alt_m, epoch: int) -> tuple[np.ndarray, np.ndarray]:
    """Trilinear ``1/L`` and ``u`` at geodetic points (numpy; shapes broadcast)."""
    g = load_grid()
    lat_d = np.degrees(lat_rad)
    lon_d = np.mod(np.degrees(lon_rad) - g.lon0_deg, 360.0)
    x = lon_d / g.lon_step_deg
    i0 = np.floor(x).astype(np.intp) % g.n_lon
    wx = x - np.floor(x)
    i1 = (i0 + 1) % g.n_lon
    y = np.clip((lat_d - g.lat0_deg) / g.lat_step_deg, 0.0, g.inv_l.shape[2] - 1.0)
    j0 = np.minimum(np.floor(y).astype(np.intp), g.inv_l.shape[2] - 2)
    wy = y - j0
    h = np.asarray(alt_m, dtype=float) / 1e3
    k0 = np.clip(np.searchsorted(g.alt_km, h, side="right") - 1, 0, g.alt_km.size - 2)
    wz = np.clip((h - g.alt_km[k0]) / (g.alt_km[k0 + 1] - g.alt_km[k0]), 0.0, 1.0)
    out = []
    for field in (g.inv_l[epoch], g.u[epoch]):
        v = 0.0
        for ii, fx in ((i0, 1.0 - wx), (i1, wx)):
            for jj, fy in ((j0, 1.0 - wy), (j0 + 1, wy)):
                for kk, fz in ((k0, 1.0 - wz), (k0 + 1, wz)):
                    v = v + fx * fy * fz * field[ii, jj, kk]
        out.append(np.asarray(v, dtype=float))
    return out[0], out[1]


def log10_flux_numpy(inv_l: np.ndarray, u: np.ndarray, table: np.ndarray) -> np.ndarray:
    """Bilinear ``log10`` flux in ``(ln L, u)``, shape ``inv_l.shape + (n_energy,)``."""
    g = load_grid()
    ln_l = -np.log(np.clip(inv_l, 1e-6, None))
    x = ln_l / g.ln_l_step
    y = np.maximum(u, 0.0) / g.u_step
    outside = (x < 0.0) | (x >= g.n_ln_l - 1) | (y >= g.n_u - 1)
    x = np.clip(x, 0.0, g.n_ln_l - 1.000001)
    y = np.clip(y, 0.0, g.n_u - 1.000001)
    i = x.astype(np.intp)
    j = y.astype(np.intp)
    wx = (x - i)[..., None]
    wy = (y - j)[..., None]
    v = (
        (1 - wx) * (1 - wy) * table[i, j]
        + wx * (1 - wy) * table[i + 1, j]
        + (1 - wx) * wy * table[i, j + 1]
        + wx * wy * table[i + 1, j + 1]
    )
    return np.where(outside[..., None], LOG10_FLOOR, v)
