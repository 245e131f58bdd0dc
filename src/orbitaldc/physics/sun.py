"""The Sun's geocentric direction and distance: a low-precision solar theory.

Source: Meeus, *Astronomical Algorithms* (2nd ed., 1998), ch. 25, "Solar coordinates, low
accuracy" (the Astronomical Almanac's low-precision formulas with their secular terms): geometric
mean longitude ``L0``, mean anomaly ``M``, equation of the centre ``C``, radius vector from the
eccentricity, mean obliquity (Meeus eq. 22.2, Laskar's polynomial truncated). Documented accuracy
0.01 deg; measured against Skyfield/DE421 over 2025-2040: max 0.0089 deg, mean 0.0027 deg
(docs/validation.md). The
longitude includes the annual aberration, so this is the apparent direction (the one that casts
shadows), in the mean equator and equinox of date (our ECI).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from orbitaldc.physics.constants import AU_M, SOLAR_CONSTANT_W_M2


def _series(t_s: ArrayLike) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Apparent ecliptic longitude (mean equinox of date), mean obliquity (rad), distance (AU)."""
    t = np.asarray(t_s, dtype=float) / (36525.0 * 86400.0)  # Julian centuries from J2000
    mean_longitude = 280.46646 + 36000.76983 * t + 0.0003032 * t**2
    g = np.radians(357.52911 + 35999.05029 * t - 0.0001537 * t**2)
    ecc = 0.016708634 - 0.000042037 * t - 0.0000001267 * t**2
    centre = (
        (1.914602 - 0.004817 * t - 0.000014 * t**2) * np.sin(g)
        + (0.019993 - 0.000101 * t) * np.sin(2 * g)
        + 0.000289 * np.sin(3 * g)
    )
    true_anomaly = g + np.radians(centre)
    # Annual aberration -20.4898" / R (Meeus eq. 25.10); nutation is not applied (mean of date).
    distance_au = 1.000001018 * (1 - ecc**2) / (1 + ecc * np.cos(true_anomaly))
    ecl_longitude = np.radians(mean_longitude + centre - 20.4898 / 3600.0 / distance_au)
    obliquity = np.radians(23.4392911 - 0.0130042 * t - 1.64e-7 * t**2 + 5.04e-7 * t**3)
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
    t = np.asarray(t_s, dtype=float) / (36525.0 * 86400.0)
    return np.mod(np.radians(280.46646 + 36000.76983 * t + 0.0003032 * t**2), 2 * np.pi)


def solar_irradiance_w_m2(t_s: ArrayLike) -> np.ndarray:
    """Solar irradiance at Earth's distance on the date, W/m^2: ``S0 (AU / r)^2``."""
    return SOLAR_CONSTANT_W_M2 / _series(t_s)[2] ** 2
