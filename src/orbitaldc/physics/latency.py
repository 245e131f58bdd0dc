"""Latency from user cities to a fleet: a fibre leg to a ground station, a vacuum leg up.

The one-way latency of a user in a city at a time is the best path over stations and satellites:
the fibre from the city to a ground station (great-circle distance x a route factor, at the
speed of light in fibre ``c / n_g``) plus the slant range from that station to the nearest
satellite above its mask, at ``c``. Queueing, processing and the inter-satellite legs are not
counted: this is the floor a ground-to-fleet round trip (twice this) cannot beat.

Sources: the group index of standard single-mode fibre, 1.4682 at 1550 nm (Corning SMF-28 Ultra
datasheet); the route factor 1.5 is an assumption (terrestrial fibre runs along roads and
rights of way; Bozkurt et al., "Why is the Internet so slow?!", PAM 2017, measured inflations of
this order over the geodesic for US fibre conduits); the mean Earth radius is IUGG's
R1 = 6,371,008.8 m (Moritz, Geodetic Reference System 1980).
"""

from __future__ import annotations

import numba
import numpy as np
from numpy.typing import ArrayLike

from orbitaldc.physics.constants import C_M_S
from orbitaldc.physics.contacts import Sites
from orbitaldc.physics.frames import gmst_rad

#: Group index of standard single-mode fibre at 1550 nm (Corning SMF-28 Ultra datasheet).
FIBRE_GROUP_INDEX = 1.4682

#: Fibre route length over great-circle distance (assumption; see the module docstring).
FIBRE_ROUTE_FACTOR = 1.5

#: IUGG mean Earth radius R1, m (Moritz, Geodetic Reference System 1980).
MEAN_EARTH_RADIUS_M = 6_371_008.8

#: User cities for latency maps: geodetic latitude and longitude of the city centre, deg
#: (GeoNames, geonames.org, rounded to 0.01 deg).
USER_CITIES: dict[str, tuple[float, float]] = {
    "New York": (40.71, -74.01),
    "Los Angeles": (34.05, -118.24),
    "Sao Paulo": (-23.55, -46.63),
    "London": (51.51, -0.13),
    "Frankfurt": (50.11, 8.68),
    "Lagos": (6.45, 3.40),
    "Johannesburg": (-26.20, 28.04),
    "Mumbai": (19.08, 72.88),
    "Singapore": (1.29, 103.85),
    "Tokyo": (35.69, 139.69),
    "Sydney": (-33.87, 151.21),
}


def great_circle_m(
    lat1_rad: ArrayLike, lon1_rad: ArrayLike, lat2_rad: ArrayLike, lon2_rad: ArrayLike
) -> np.ndarray:
    """Great-circle distance on the mean sphere (haversine), m; arguments broadcast."""
    lat1, lat2 = np.asarray(lat1_rad, dtype=float), np.asarray(lat2_rad, dtype=float)
    dlat = lat2 - lat1
    dlon = np.asarray(lon2_rad, dtype=float) - np.asarray(lon1_rad, dtype=float)
    h = np.sin(dlat / 2) ** 2 + np.cos(lat1) * np.cos(lat2) * np.sin(dlon / 2) ** 2
    return 2.0 * MEAN_EARTH_RADIUS_M * np.arcsin(np.sqrt(np.clip(h, 0.0, 1.0)))


def fibre_delay_s(
    distance_m: ArrayLike,
    route_factor: float = FIBRE_ROUTE_FACTOR,
    group_index: float = FIBRE_GROUP_INDEX,
) -> np.ndarray:
    """One-way delay of a fibre route over a great-circle distance, s:
    ``distance x route_factor x group_index / c``."""
    return np.asarray(distance_m, dtype=float) * route_factor * group_index / C_M_S


def city_fibre_delay_s(
    city_lat_rad: ArrayLike,
    city_lon_rad: ArrayLike,
    sites: Sites,
    route_factor: float = FIBRE_ROUTE_FACTOR,
) -> np.ndarray:
    """Fibre delay from each city to each site, s, shape ``(n_city, n_station)``."""
    lat = np.atleast_1d(np.asarray(city_lat_rad, dtype=float))[:, None]
    lon = np.atleast_1d(np.asarray(city_lon_rad, dtype=float))[:, None]
    distance = great_circle_m(lat, lon, sites.latitude_rad[None, :], sites.longitude_rad[None, :])
    return fibre_delay_s(distance, route_factor)


@numba.njit(parallel=True, cache=True)
def _nearest_range_kernel(r, cos_g, sin_g, site, up, sin_mask, out):  # pragma: no cover
    n_sat, n_st = r.shape[0], site.shape[0]
    # Parallel over time: each time reduces over all satellites (a minimum), so no two threads
    # write the same element.
    for k in numba.prange(r.shape[1]):
        for s in range(n_st):
            out[s, k] = np.inf
        for j in range(n_sat):
            x = cos_g[k] * r[j, k, 0] + sin_g[k] * r[j, k, 1]
            y = -sin_g[k] * r[j, k, 0] + cos_g[k] * r[j, k, 1]
            z = r[j, k, 2]
            for s in range(n_st):
                dx, dy, dz = x - site[s, 0], y - site[s, 1], z - site[s, 2]
                d2 = dx * dx + dy * dy + dz * dz
                along = dx * up[s, 0] + dy * up[s, 1] + dz * up[s, 2]
                if along > sin_mask[s] * np.sqrt(d2) and d2 < out[s, k] * out[s, k]:
                    out[s, k] = np.sqrt(d2)


def nearest_slant_range_m(r_eci_m: ArrayLike, t_s: ArrayLike, sites: Sites) -> np.ndarray:
    """Slant range from each site to its nearest satellite above the mask, m, shape
    ``(n_station, n_t)``; ``inf`` where no satellite is above the mask.

    ``r_eci_m`` ``(n_sat, n_t, 3)`` (m, ECI of date) at times ``t_s`` ``(n_t,)`` (s since J2000
    UTC). The elevation test is :func:`orbitaldc.physics.contacts.elevation_margin`'s.
    """
    r = np.asarray(r_eci_m, dtype=float)
    t = np.atleast_1d(np.asarray(t_s, dtype=float))
    if r.ndim != 3 or r.shape[1:] != (t.size, 3):
        raise ValueError(f"r_eci_m: expected shape (n_sat, {t.size}, 3), got {r.shape}")
    theta = gmst_rad(t)
    out = np.empty((sites.n_stations, t.size))
    args = (np.cos(theta), np.sin(theta), sites.ecef_m, sites.up, sites.sin_mask, out)
    _nearest_range_kernel(r, *args)
    return out


def user_latency_s(fibre_s: ArrayLike, slant_range_m: ArrayLike) -> np.ndarray:
    """Best one-way latency from each city to the fleet at each time, s, shape ``(n_city, n_t)``.

    ``fibre_s`` ``(n_city, n_station)`` (:func:`city_fibre_delay_s`), ``slant_range_m``
    ``(n_station, n_t)`` (:func:`nearest_slant_range_m`): the minimum over stations of
    ``fibre + range / c``; ``inf`` when no station sees a satellite.
    """
    fibre = np.asarray(fibre_s, dtype=float)
    vacuum = np.asarray(slant_range_m, dtype=float) / C_M_S
    return np.min(fibre[:, :, None] + vacuum[None, :, :], axis=1)


def latency_statistics_s(latency_s: ArrayLike) -> dict[str, np.ndarray]:
    """Median and 95th percentile over time of the latency ``(n_city, n_t)`` (s, over the times
    a path exists; NaN for a city never served) and the fraction of times served, each
    ``(n_city,)``."""
    lat = np.asarray(latency_s, dtype=float)
    served = np.isfinite(lat)
    finite = np.where(served, lat, np.nan)
    never = ~served.any(axis=1)
    finite[never] = 0.0  # nanpercentile of an all-NaN row warns; those rows are NaN below
    median, p95 = np.nanpercentile(finite, [50.0, 95.0], axis=1)
    median[never] = np.nan
    p95[never] = np.nan
    return {"median_s": median, "p95_s": p95, "served_fraction": served.mean(axis=1)}


__all__ = [
    "FIBRE_GROUP_INDEX",
    "FIBRE_ROUTE_FACTOR",
    "MEAN_EARTH_RADIUS_M",
    "USER_CITIES",
    "city_fibre_delay_s",
    "fibre_delay_s",
    "great_circle_m",
    "latency_statistics_s",
    "nearest_slant_range_m",
    "user_latency_s",
]
