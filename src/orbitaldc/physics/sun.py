"""The Sun's geocentric direction and distance: the Astronomical Almanac low-precision series.

Source: *The Astronomical Almanac* (U.S. Naval Observatory / HM Nautical Almanac Office), section C,
"Low precision formulas for the Sun", also Meeus, *Astronomical Algorithms* (2nd ed.), ch. 25:
mean longitude ``L``, mean anomaly ``g``, ecliptic longitude ``lambda = L + 1.915 sin g + 0.020 sin 2g``,
obliquity ``eps = 23.439 - 4e-7 n`` (n in days from J2000), distance
``R = 1.00014 - 0.01671 cos g - 0.00014 cos 2g`` AU. Stated accuracy: 0.01 deg in direction from
1950 to 2050, in the mean equator and equinox of date (our ECI), and ~1e-4 AU (0.01 %) in distance.
The longitude includes the annual aberration (-20.5"), so this is the apparent direction, which is
the direction that matters for shadows and illumination.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from orbitaldc.physics.constants import AU_M, SOLAR_CONSTANT_W_M2


def _series(t_s: ArrayLike) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    n = np.asarray(t_s, dtype=float) / 86400.0
    mean_longitude = np.radians(280.460 + 0.9856474 * n)
    g = np.radians(357.528 + 0.9856003 * n)
    ecl_longitude = mean_longitude + np.radians(1.915 * np.sin(g) + 0.020 * np.sin(2 * g))
    obliquity = np.radians(23.439 - 4.0e-7 * n)
    distance_au = 1.00014 - 0.01671 * np.cos(g) - 0.00014 * np.cos(2 * g)
    return ecl_longitude, obliquity, distance_au


def sun_direction_eci(t_s: ArrayLike) -> np.ndarray:
    """Unit vector from Earth's centre to the Sun in ECI (mean of date), shape ``t_s.shape + (3,)``."""
    lam, eps, _ = _series(t_s)
    cos_lam = np.cos(lam)
    sin_lam = np.sin(lam)
    return np.stack([cos_lam, np.cos(eps) * sin_lam, np.sin(eps) * sin_lam], axis=-1)


def sun_distance_m(t_s: ArrayLike) -> np.ndarray:
    """Earth-Sun distance, m."""
    return _series(t_s)[2] * AU_M


def sun_position_eci_m(t_s: ArrayLike) -> np.ndarray:
    """Geocentric position of the Sun in ECI, m, shape ``t_s.shape + (3,)``."""
    lam, eps, r_au = _series(t_s)
    r = (r_au * AU_M)[..., None]
    return r * np.stack(
        [np.cos(lam), np.cos(eps) * np.sin(lam), np.sin(eps) * np.sin(lam)], axis=-1
    )


def sun_right_ascension_rad(t_s: ArrayLike) -> np.ndarray:
    """Right ascension of the Sun in the equator of date, rad in [0, 2 pi)."""
    d = sun_direction_eci(t_s)
    return np.mod(np.arctan2(d[..., 1], d[..., 0]), 2 * np.pi)


def mean_sun_right_ascension_rad(t_s: ArrayLike) -> np.ndarray:
    """Right ascension of the fictitious mean Sun, rad: the Sun's mean longitude ``L``.

    Local mean solar time, and so the LTAN of a sun-synchronous orbit, is measured from the mean
    Sun (Vallado, *Fundamentals of Astrodynamics*, 4th ed., sec. 3.5).
    """
    n = np.asarray(t_s, dtype=float) / 86400.0
    return np.mod(np.radians(280.460 + 0.9856474 * n), 2 * np.pi)


def solar_irradiance_w_m2(t_s: ArrayLike) -> np.ndarray:
    """Solar irradiance at Earth's distance on the date, W/m^2: ``S0 (AU / r)^2``."""
    return SOLAR_CONSTANT_W_M2 / _series(t_s)[2] ** 2
