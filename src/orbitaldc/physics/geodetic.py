"""Compiled WGS-84 geodetic conversion for numba kernels.

:func:`ecef_to_geodetic_kernel` is the scalar, compiled twin of
:func:`orbitaldc.physics.frames.ecef_to_geodetic`, its numpy reference, which it is tested
against (tests/test_radiation_environment.py).
"""

from __future__ import annotations

import numba
import numpy as np

from orbitaldc.physics.constants import F_EARTH, R_EARTH_M
from orbitaldc.physics.fastmath import FASTMATH, atan2

#: Binomial series of sqrt(1 - w): 1, -1/2, -1/8, -1/16, -5/128, -7/256, -21/1024.
_SQRT1M_SERIES = (1.0, -0.5, -0.125, -0.0625, -5.0 / 128.0, -7.0 / 256.0, -21.0 / 1024.0)


@numba.njit(cache=True, inline="always", fastmath=FASTMATH, error_model="numpy")
def ecef_to_geodetic_kernel(x, y, z):  # pragma: no cover - compiled
    """WGS-84 geodetic latitude, longitude (rad, -pi..pi) and height (m) of one ECEF point (m).

    One Bowring (1976) step, with the sines and cosines taken from the atan2 arguments instead of
    trig calls, and the height along the normal, ``p cos(lat) + z sin(lat) - a^2 / N`` (Bowring
    1985, Survey Review 28, 202), which is insensitive to first order to the latitude's error and
    needs no division. Against :func:`orbitaldc.physics.frames.ecef_to_geodetic` (two steps,
    < 1e-12 rad): the single step's latitude error grows with height, < 1e-9 rad below 1,000 km
    and < 4e-9 rad (2.5 cm) at 2,500 km; longitude to 1e-15 rad; height to 1e-8 m (tested).
    Scalar, for calls inside numba kernels (``inline="always"``)."""
    a = R_EARTH_M
    f = F_EARTH
    b = a * (1.0 - f)
    e2 = f * (2.0 - f)
    ep2 = e2 / (1.0 - e2)
    p = np.sqrt(x * x + y * y)
    za = z * a
    pb = p * b
    inv_q = 1.0 / np.sqrt(za * za + pb * pb)
    st = za * inv_q
    ct = pb * inv_q
    num = z + ep2 * b * st * st * st
    den = p - e2 * a * ct * ct * ct
    inv_hyp = 1.0 / np.sqrt(num * num + den * den)
    sl = num * inv_hyp
    cl = den * inv_hyp
    # a / N = sqrt(1 - w) by its binomial series: w <= e2 < 0.0067, so the first omitted term,
    # 33/2048 w^7, is < 1e-17 relative.
    w = e2 * sl * sl
    c = _SQRT1M_SERIES
    a_over_n = ((((((c[6] * w + c[5]) * w + c[4]) * w + c[3]) * w + c[2]) * w + c[1]) * w) + 1.0
    h = p * cl + z * sl - a * a_over_n
    return atan2(num, den), atan2(y, x), h
