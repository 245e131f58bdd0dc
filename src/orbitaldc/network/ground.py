"""The ground segment of a design: contacts, data volume to and from the ground, user latency.

For the spec's ground stations (``[network] ground_stations``, default every catalog station),
one day of the whole fleet's contact windows (:func:`orbitaldc.physics.contacts.
fleet_contact_windows`, on the project's event finder), the data a day can carry down and up
(one antenna per station, switching between the satellites in view: its covered time x its
rate, x the cloud-free probability for an optical site; :func:`physics.contacts.
capacity_bits_per_day`), and the one-way latency from the user to the fleet over the best
station (fibre leg plus vacuum leg; :mod:`orbitaldc.physics.latency`), median and 95th
percentile over the day.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from orbitaldc import catalog
from orbitaldc.physics import contacts, latency, orbit
from orbitaldc.physics.orbit import MeanElements

#: Sampling step of the contact search, s (every LEO pass clearing the mask by > ~0.01 deg).
CONTACT_STEP_S = 10.0
#: Sampling step of the latency over the day, s.
LATENCY_STEP_S = 120.0
#: Positions held at once for the latency, elements (satellite x time x 3; ~100 MB).
LATENCY_CHUNK_ELEMENTS = 12_000_000


@dataclass(frozen=True)
class Ground:
    """One day of the ground segment: the stations' ids and sites, their contact windows, the
    data per day down and up per station (bit/day), the slant range from each station to its
    nearest satellite in view over the day (m, (station, time), inf when none) and the user's
    latency (s, (time,))."""

    stations: list[str]
    sites: contacts.Sites
    windows: contacts.ContactWindows
    downlink_bits_per_day: np.ndarray
    uplink_bits_per_day: np.ndarray
    latency_t_s: np.ndarray
    slant_range_m: np.ndarray
    latency_s: np.ndarray

    def latency_map_s(self, latitude_rad: np.ndarray, longitude_rad: np.ndarray) -> np.ndarray:
        """Median one-way latency over the day from users at the given points, s, shape of the
        points (NaN where no path exists all day)."""
        lat, lon = np.broadcast_arrays(latitude_rad, longitude_rad)
        fibre = latency.city_fibre_delay_s(lat.ravel(), lon.ravel(), self.sites)
        stats = latency.latency_statistics_s(latency.user_latency_s(fibre, self.slant_range_m))
        return stats["median_s"].reshape(lat.shape)


def stations(spec: Any) -> list[str]:
    """The design's ground-station ids (the spec's list, or the whole catalog)."""
    chosen = spec.network.ground_stations
    return list(chosen) if chosen is not None else list(catalog.load("ground_stations"))


def _rate(values: list[float | None]) -> np.ndarray:
    return np.array([0.0 if v is None else v for v in values], dtype=float)


def station_sites(spec: Any) -> contacts.Sites:
    """The design's ground stations as sites (position and elevation mask)."""
    entries = [catalog.get("ground_stations", i) for i in stations(spec)]
    return contacts.Sites.from_degrees(
        [e.latitude_deg for e in entries],
        [e.longitude_deg for e in entries],
        [e.altitude_m for e in entries],
        [e.min_elevation_deg for e in entries],
    )


def ground(spec: Any, elements: MeanElements, start_s: float) -> Ground:
    """One day of contacts, data volume and user latency for the fleet from ``start_s``."""
    ids = stations(spec)
    entries = [catalog.get("ground_stations", i) for i in ids]
    sites = station_sites(spec)
    # Linear interpolation of the elevation margin: 0.03 s median, ~1 s worst (grazing passes)
    # against bisection on the exact orbit at a 10 s step (physics.contacts), far below what a
    # day's contact minutes need.
    windows = contacts.fleet_contact_windows(
        elements, start_s, start_s + 86400.0, CONTACT_STEP_S, sites, exact=False
    )
    covered = windows.covered_s_per_day()
    cloud = np.array(
        [np.nan if e.cloud_free_probability is None else e.cloud_free_probability for e in entries]
    )
    down = contacts.capacity_bits_per_day(
        covered, _rate([e.downlink_rate_bps for e in entries]), cloud
    )
    up = contacts.capacity_bits_per_day(covered, _rate([e.uplink_rate_bps for e in entries]), cloud)
    net = spec.network
    fibre = latency.city_fibre_delay_s(net.user_latitude_rad, net.user_longitude_rad, sites)
    t = start_s + np.arange(0.0, 86400.0, LATENCY_STEP_S)
    per_chunk = max(1, LATENCY_CHUNK_ELEMENTS // (3 * elements.n_satellites))
    ranges = np.empty((sites.n_stations, t.size))
    for k in range(0, t.size, per_chunk):
        r, _ = orbit.propagate(elements, t[k : k + per_chunk])
        ranges[:, k : k + per_chunk] = latency.nearest_slant_range_m(r, t[k : k + per_chunk], sites)
    best = latency.user_latency_s(fibre, ranges)[0]
    return Ground(ids, sites, windows, down, up, t, ranges, best)


def ground_block(result: Ground) -> dict[str, Any]:
    """The ground figures of ``network{}``: stations, contact minutes per day (union over the
    fleet, summed over stations), data down and up per day (TB), and the user's latency (ms,
    median and 95th percentile over the times a path exists, and the fraction of the day one
    does)."""
    stats = latency.latency_statistics_s(result.latency_s[None, :])

    def ms(value: np.ndarray) -> float | None:
        v = float(value[0])
        return None if not np.isfinite(v) else v * 1e3

    return {
        "ground_stations": len(result.stations),
        "contact_minutes_per_day": float(result.windows.covered_s_per_day().sum() / 60.0),
        "downlink_tb_per_day": float(result.downlink_bits_per_day.sum() / 8e12),
        "uplink_tb_per_day": float(result.uplink_bits_per_day.sum() / 8e12),
        "latency_ms": {
            "median": ms(stats["median_s"]),
            "p95": ms(stats["p95_s"]),
            "served_fraction": float(stats["served_fraction"][0]),
        },
    }
