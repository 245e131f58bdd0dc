"""Earth-fixed frames: GMST rotation, geodetic coordinates, look angles from ground sites.

ECI (mean of date) is rotated to ECEF about the z axis by Greenwich mean sidereal time (IAU 1982
expression, Vallado 4th ed. eq. 3-47, with UTC standing in for UT1); polar motion (< 0.5") and the
equation of the equinoxes (< 1.2") are neglected, a few tens of metres on the ground. Geodetic
coordinates are on the WGS-84 ellipsoid (Bowring's inverse with two iterations, < 1e-12 rad to 2,000 km altitude).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from orbitaldc.physics.constants import F_EARTH, R_EARTH_M


def gmst_rad(t_s: ArrayLike) -> np.ndarray:
    """Greenwich mean sidereal time, rad in [0, 2 pi) (IAU 1982; Vallado 4th ed. eq. 3-47)."""
    t = np.asarray(t_s, dtype=float)
    tu = t / (36525.0 * 86400.0)
    seconds = (
        67310.54841 + (876600.0 * 3600.0 + 8640184.812866) * tu + 0.093104 * tu**2 - 6.2e-6 * tu**3
    )
    return np.mod(np.radians(seconds / 240.0), 2 * np.pi)


def eci_to_ecef(r_eci_m: ArrayLike, t_s: ArrayLike) -> np.ndarray:
    """Rotate ECI positions to ECEF: ``R_z(GMST) r``. ``t_s`` broadcasts against ``r[..., 0]``."""
    r = np.asarray(r_eci_m, dtype=float)
    theta = gmst_rad(t_s)
    c, s = np.cos(theta), np.sin(theta)
    return np.stack(
        [c * r[..., 0] + s * r[..., 1], -s * r[..., 0] + c * r[..., 1], r[..., 2]], axis=-1
    )


def ecef_to_geodetic(r_ecef_m: ArrayLike) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """WGS-84 geodetic latitude (rad), longitude (rad, -pi..pi) and height (m) of ECEF points."""
    r = np.asarray(r_ecef_m, dtype=float)
    x, y, z = r[..., 0], r[..., 1], r[..., 2]
    a = R_EARTH_M
    b = a * (1.0 - F_EARTH)
    e2 = F_EARTH * (2.0 - F_EARTH)
    ep2 = e2 / (1.0 - e2)
    p = np.hypot(x, y)
    theta = np.arctan2(z * a, p * b)
    lat = np.arctan2(z + ep2 * b * np.sin(theta) ** 3, p - e2 * a * np.cos(theta) ** 3)
    # A second Bowring step from the improved reduced latitude: error < 1e-12 rad to 2,000 km.
    theta = np.arctan2((1.0 - F_EARTH) * np.sin(lat), np.cos(lat))
    lat = np.arctan2(z + ep2 * b * np.sin(theta) ** 3, p - e2 * a * np.cos(theta) ** 3)
    n = a / np.sqrt(1.0 - e2 * np.sin(lat) ** 2)
    cos_lat = np.cos(lat)
    with np.errstate(divide="ignore", invalid="ignore"):
        h = np.where(np.abs(cos_lat) > 1e-10, p / cos_lat - n, np.abs(z) - b)
    return lat, np.arctan2(y, x), h


def geodetic_to_ecef(lat_rad: ArrayLike, lon_rad: ArrayLike, alt_m: ArrayLike) -> np.ndarray:
    """ECEF position of WGS-84 geodetic coordinates, m, shape ``(..., 3)``."""
    lat = np.asarray(lat_rad, dtype=float)
    lon = np.asarray(lon_rad, dtype=float)
    h = np.asarray(alt_m, dtype=float)
    e2 = F_EARTH * (2.0 - F_EARTH)
    n = R_EARTH_M / np.sqrt(1.0 - e2 * np.sin(lat) ** 2)
    return np.stack(
        [
            (n + h) * np.cos(lat) * np.cos(lon),
            (n + h) * np.cos(lat) * np.sin(lon),
            (n * (1.0 - e2) + h) * np.sin(lat),
        ],
        axis=-1,
    )


def subsatellite_point(
    r_eci_m: ArrayLike, t_s: ArrayLike
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Geodetic latitude, longitude (rad) and altitude (m) under each ECI position at ``t_s``."""
    return ecef_to_geodetic(eci_to_ecef(r_eci_m, t_s))


def elevation_azimuth_rad(
    r_sat_ecef_m: ArrayLike, site_lat_rad: float, site_lon_rad: float, site_alt_m: float = 0.0
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Elevation, azimuth (rad, from north through east) and range (m) of satellites from a site.

    Topocentric south-east-zenith rotation of Vallado 4th ed. alg. 27.
    """
    site = geodetic_to_ecef(site_lat_rad, site_lon_rad, site_alt_m)
    rho = np.asarray(r_sat_ecef_m, dtype=float) - site
    sl, cl = np.sin(site_lat_rad), np.cos(site_lat_rad)
    so, co = np.sin(site_lon_rad), np.cos(site_lon_rad)
    east = -so * rho[..., 0] + co * rho[..., 1]
    north = -sl * co * rho[..., 0] - sl * so * rho[..., 1] + cl * rho[..., 2]
    up = cl * co * rho[..., 0] + cl * so * rho[..., 1] + sl * rho[..., 2]
    rng = np.sqrt(east**2 + north**2 + up**2)
    return np.arcsin(up / rng), np.mod(np.arctan2(east, north), 2 * np.pi), rng
