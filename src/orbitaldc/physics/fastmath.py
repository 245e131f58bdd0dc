"""Hand-written fast maths for numba kernels: ``atan2``, ``10**v`` (float64 and float32), ``ln``.

Each is a scalar ``numba.njit(inline="always")`` function, branch-free (selects, not branches) so
that a loop of calls vectorises, and each is tested against numpy (tests/test_radiation_environment.py)
to the accuracy stated with it. They replace libm calls in the hot loops of the compiled
trapped-particle pass (:mod:`orbitaldc.physics.radiation.trapped_kernel`) and the compiled
geodetic conversion (:mod:`orbitaldc.physics.geodetic`); their sources are cited where each is
defined. :data:`FASTMATH` is the set of floating-point freedoms those kernels compile with.
"""

from __future__ import annotations

import numba
import numpy as np

LN10 = float(np.log(10.0))

#: Floating-point freedoms the compiled path allows: fused multiply-add and a shared reciprocal
#: instead of repeated division (results move by ~1e-11 relative, far inside the 1e-5 the kernel
#: is held to against the numpy path, tested). No reassociation, which would undo the Cody-Waite
#: split below, and no assumption about NaN or infinity.
FASTMATH = {"contract", "arcp"}


# Cephes ``atan`` (S. L. Moshier, Cephes Math Library 2.8, atan.c): range reduction to
# |x| <= 0.66 and a (4, 5) rational approximation in x^2; relative error ~1e-16 (tests), about
# half the cost of libm's atan2 in the kernel.
_ATAN_P = (
    -8.750608600031904122785e-01,
    -1.615753718733365076637e01,
    -7.500855792314704667340e01,
    -1.228866684490136173410e02,
    -6.485021904942025371773e01,
)
_ATAN_Q = (
    2.485846490142306297962e01,
    1.650270098316988542046e02,
    4.328810604912902668951e02,
    4.853903996359136964868e02,
    1.945506571482613964425e02,
)
_ATAN_MOREBITS = 6.123233995736765886130e-17  # pi/2 - fl(pi/2)


@numba.njit(cache=True, inline="always", fastmath=FASTMATH, error_model="numpy")
def atan2(y, x):  # pragma: no cover - compiled
    """``atan2(y, x)`` in [-pi, pi] (within ~1e-16 rad of numpy's): Cephes atan.c on
    ``t = min(|x|, |y|) / max(|x|, |y|)``, reduced to ``(t - 1) / (t + 1)`` above 0.66 (formed
    from |x| and |y| directly, one division), then folded into the quadrant. Its cases are
    selects, not branches, so a loop of calls vectorises."""
    ax = abs(x)
    ay = abs(y)
    lo = min(ax, ay)
    hi = max(ax, ay)
    mid = lo > 0.66 * hi
    num = lo - hi if mid else lo
    den = lo + hi if mid else (hi if hi > 0.0 else 1.0)
    u = num / den
    z = u * u
    p = (((_ATAN_P[0] * z + _ATAN_P[1]) * z + _ATAN_P[2]) * z + _ATAN_P[3]) * z + _ATAN_P[4]
    q = ((((z + _ATAN_Q[0]) * z + _ATAN_Q[1]) * z + _ATAN_Q[2]) * z + _ATAN_Q[3]) * z + _ATAN_Q[4]
    a = u * z * p / q + u
    a = np.pi / 4 + (a + 0.5 * _ATAN_MOREBITS) if mid else a
    a = np.pi / 2 - a if ay > ax else a
    a = np.pi - a if x < 0.0 else a
    return -a if y < 0.0 else a


# 10**v as exp(v ln 10) with Cody & Waite (1980, *Software Manual for the Elementary Functions*)
# argument reduction: a = n ln2 + r, |r| <= ln2 / 2, ln2 split so n * _LN2_HI is exact; exp(r) by a
# degree-8 minimax polynomial (relative error < 8e-13 on |r| <= ln2 / 2: fitted by Lawson's
# iteratively reweighted least squares, Rice & Usow 1968, Math. Comp. 22, 118, in place of a
# Taylor series to r^13, five FMAs fewer); 2^n from the exponent bits. Branch-free, so the energy
# loop vectorises; within 1e-12 of np.exp (tests) for the table's -30 <= v <= 9: the tables are
# float32 log10 fluxes (their quantisation alone is ~3e-7 relative in flux) and AE8/AP8 are good to
# a factor ~2.
_LN2_HI = 6.93147180369123816490e-01
_LN2_LO = 1.90821492927058770002e-10
_INV_LN2 = 1.44269504088896338700e00
_EXP_POLY = (
    0.9999999999997623,
    0.9999999999806077,
    0.5000000000618725,
    0.16666666885576203,
    0.0416666642183942,
    0.008333267005978789,
    0.001388917880018276,
    0.0001991543652197979,
    2.472717933547384e-05,
)


@numba.njit(cache=True, inline="always", fastmath=FASTMATH, error_model="numpy")
def pow10(v):  # pragma: no cover - compiled
    """``10 ** v`` for -300 < v < 300 (see above)."""
    a = v * LN10
    n = np.floor(a * _INV_LN2 + 0.5)
    r = (a - n * _LN2_HI) - n * _LN2_LO
    c = _EXP_POLY
    p = c[8]
    p = p * r + c[7]
    p = p * r + c[6]
    p = p * r + c[5]
    p = p * r + c[4]
    p = p * r + c[3]
    p = p * r + c[2]
    p = p * r + c[1]
    p = p * r + c[0]
    return p * np.int64((np.int64(n) + 1023) << 52).view(np.float64)


# ln(v) for the table cell, table-driven as in Tang (1990, ACM TOMS 16, 378) and glibc's log.c
# (Szabolcs Nagy, 2018), in place of a libm call per sample: v's bits minus those of 0.75 split
# v = 2^k z with z in [0.75, 1.5); the top 7 mantissa bits of the difference pick one of 128
# buckets (64 of width 1/256 below 1, 64 of width 1/128 from 1), each with c = 1 / invc at its
# midpoint (c = 1 exactly for [1, 1 + 1/128), so ln 1 = 0 and values just below 1 keep their
# sign); ln v = k ln2 - ln(invc) + ln(1 + r), r = z invc - 1 (one FMA), |r| < 1/128, ln(1 + r) by
# its Taylor series to r^6 (first omitted term |r|^7 / 7 < 3e-16). Absolute error ~1e-16 in ln v,
# ~1e-14 of a 0.01-wide ln L cell (tested against np.log). Branch-free, so the kernel's ln L loop
# vectorises (with a gather for the table): the fused pass ~7 % faster than a libm log per sample,
# and ~5 % faster than np.log in the same vectorised loop (measured, benchmarks/bench_radiation.py).
_LOG_OFF = int(np.float64(0.75).view(np.int64))


def _log_table() -> np.ndarray:
    tmp = np.arange(128, dtype=np.int64) << 45
    z_lo = (tmp + _LOG_OFF).view(np.float64)
    z_hi = (tmp + (1 << 45) + _LOG_OFF).view(np.float64)
    c = np.where(z_lo == 1.0, 1.0, 0.5 * (z_lo + z_hi))
    invc = 1.0 / c
    return np.ascontiguousarray(np.stack([invc, -np.log(invc)], axis=-1))


_LOG_TAB = _log_table()
_LN2 = float(np.log(2.0))


@numba.njit(cache=True, inline="always", fastmath=FASTMATH, error_model="numpy")
def ln(v):  # pragma: no cover - compiled
    """``ln(v)`` for a positive normal float (see above)."""
    ix = np.float64(v).view(np.int64)
    tmp = ix - _LOG_OFF
    k = tmp >> 52
    b = (tmp >> 45) & 127
    z = np.int64(ix - (k << 52)).view(np.float64)
    r = z * _LOG_TAB[b, 0] - 1.0
    p = -1.0 / 6.0
    p = p * r + 0.2
    p = p * r - 0.25
    p = p * r + 1.0 / 3.0
    p = p * r - 0.5
    p = p * r * r + r
    return k * _LN2 + _LOG_TAB[b, 1] + p


# The spectra in single precision: 10**v for float32 v, as pow10 but with log10(2) split for
# float32 (n * _LOG10_2_HI exact for |n| < 2^11) and 10**r on |r| <= log10(2) / 2 by a degree-6
# polynomial fitted as _EXP_POLY is (relative error 1.9e-9, below float32's 6e-8 rounding). The
# tables are float32 log10 fluxes already; blending their four corners and raising 10 to the result
# in float32 moves a flux by < 2e-6 relative (tested against the float64 numpy path to 1e-5), and
# doubles the energies per vector (8 in an AVX2 register): the spectra are the kernel's largest
# cost. Sums over samples stay in float64.
_LOG10_2_HI = np.float32(1233.0 / 4096.0)
_LOG10_2_LO = np.float32(np.log10(2.0) - 1233.0 / 4096.0)
_INV_LOG10_2 = np.float32(1.0 / np.log10(2.0))
_POW10_POLY_F32 = tuple(
    np.float32(c)
    for c in (
        1.0000000005511482,
        2.3025851766678795,
        2.650948637795939,
        2.0346484932500335,
        1.1712986733094826,
        0.5420681542772867,
        0.2062290340934574,
    )
)
_HALF_F32 = np.float32(0.5)


@numba.njit(cache=True, inline="always", fastmath=FASTMATH, error_model="numpy")
def pow10_f32(v):  # pragma: no cover - compiled
    """``10 ** v`` in float32 for -37 < v < 38 (see above)."""
    n = np.floor(v * _INV_LOG10_2 + _HALF_F32)
    r = (v - n * _LOG10_2_HI) - n * _LOG10_2_LO
    c = _POW10_POLY_F32
    p = c[6]
    p = p * r + c[5]
    p = p * r + c[4]
    p = p * r + c[3]
    p = p * r + c[2]
    p = p * r + c[1]
    p = p * r + c[0]
    return p * np.int32((np.int32(n) + 127) << 23).view(np.float32)
