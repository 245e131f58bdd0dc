"""Ground contacts of whole fleets: elevation above stations, contact windows, capacity per day.

A satellite is in contact with a station while its elevation is above the station's mask. The
elevation's sine, less the sine of the mask (the *margin*), is computed for every (satellite,
station, time) by a compiled kernel, parallel over satellites, in chunks of satellites and time
that keep memory bounded; the windows are then found by the project's one event finder
(:func:`orbitaldc.physics.events.find_intervals`, one series per (satellite, station) pair) and
stitched across time chunks. Chunks are short in time (15 min at 10 s) so that only the few
percent of pairs with a sample above the mask in a chunk are written and searched: 10,000
satellites x 50 stations x 1 day at 10 s take ~15 s on 2 cores (benchmarks/bench_contacts.py).

Geometry: ECI (mean of date) is rotated to ECEF by GMST and the elevation is taken from the
WGS-84 geodetic normal at the site, as :func:`orbitaldc.physics.frames.elevation_azimuth_rad`
(Vallado 4th ed. alg. 27) does; the elevation is geometric (no refraction, like Skyfield's
``find_events``).

Accuracy of rise and set times:

- :func:`fleet_contact_windows` (orbits from :class:`~orbitaldc.physics.orbit.MeanElements`)
  refines every crossing by bisection on the exact orbit (``orbit.state_eci``'s position), to
  ``time_tolerance_s`` (1 ms by default), unless ``exact=False`` (then as below).
- :func:`contact_windows` (positions given, e.g. SGP4) interpolates the margin linearly between
  samples unless ``position_at`` is given (then bisection as above). Linear interpolation errs by
  about ``margin'' step^2 / (8 margin')``: for a 550 km shell at a 10 s step, measured against
  the bisection, 0.03 s median, 0.23 s 99th percentile, up to ~1 s for grazing passes (under
  ~30 s long) whose peak barely clears the mask.

A pass shorter than the step that rises and sets between two samples is missed (the finder's
grid rule): a 10 s step misses only passes that peak within ~0.01 deg of a LEO station's mask.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numba
import numpy as np
import pandas as pd
from numpy.typing import ArrayLike

from orbitaldc.physics import events, frames
from orbitaldc.physics import orbit_kernels as ok
from orbitaldc.physics.orbit import MeanElements
from orbitaldc.physics.orbit_kernels import FAST_ECCENTRICITY, orbit_arrays

#: Elements per chunk of the (satellite, station, time) margin array: 2^22 float64 = 34 MB.
CHUNK_ELEMENTS = 2**22

#: Samples per time chunk: with a few minutes per chunk (15 min at 10 s), a (satellite, station)
#: pair has a sample above the mask in few chunks, and only those rows are searched.
CHUNK_STEPS = 90

#: Rise and set times are bisected on the exact orbit to this, s.
TIME_TOLERANCE_S = 1e-3

SECONDS_PER_DAY = 86400.0


@dataclass(frozen=True)
class Sites:
    """Ground sites, each field an array of shape ``(n_station,)``.

    ``latitude_rad`` (geodetic, WGS-84, positive north), ``longitude_rad`` (positive east),
    ``altitude_m`` (above the ellipsoid) and ``min_elevation_rad`` (the mask).
    """

    latitude_rad: np.ndarray
    longitude_rad: np.ndarray
    altitude_m: np.ndarray
    min_elevation_rad: np.ndarray

    def __post_init__(self) -> None:
        names = ("latitude_rad", "longitude_rad", "altitude_m", "min_elevation_rad")
        arrays = np.broadcast_arrays(
            *(np.atleast_1d(np.asarray(getattr(self, k), dtype=float)) for k in names)
        )
        for name, value in zip(names, arrays, strict=True):
            if value.ndim != 1:
                raise ValueError(f"{name}: expected shape (n_station,), got {value.shape}")
            object.__setattr__(self, name, np.ascontiguousarray(value))

    @classmethod
    def from_degrees(
        cls,
        latitude_deg: ArrayLike,
        longitude_deg: ArrayLike,
        altitude_m: ArrayLike = 0.0,
        min_elevation_deg: ArrayLike = 0.0,
    ) -> Sites:
        """Sites from geodetic latitude and longitude and the mask in degrees."""
        return cls(
            np.radians(latitude_deg),
            np.radians(longitude_deg),
            np.asarray(altitude_m, dtype=float),
            np.radians(min_elevation_deg),
        )

    @property
    def n_stations(self) -> int:
        """Number of sites."""
        return int(self.latitude_rad.size)

    @property
    def ecef_m(self) -> np.ndarray:
        """Site positions, ECEF, m, shape ``(n_station, 3)``."""
        return np.ascontiguousarray(
            frames.geodetic_to_ecef(self.latitude_rad, self.longitude_rad, self.altitude_m)
        )

    @property
    def up(self) -> np.ndarray:
        """Unit geodetic normals (local zenith), ECEF, shape ``(n_station, 3)``."""
        cl = np.cos(self.latitude_rad)
        return np.ascontiguousarray(
            np.stack(
                [
                    cl * np.cos(self.longitude_rad),
                    cl * np.sin(self.longitude_rad),
                    np.sin(self.latitude_rad),
                ],
                axis=1,
            )
        )

    @property
    def sin_mask(self) -> np.ndarray:
        """Sine of each site's elevation mask, shape ``(n_station,)``."""
        return np.ascontiguousarray(np.sin(self.min_elevation_rad))


@numba.njit(cache=True, inline="always")
def _margin(x, y, z, site, up, sin_mask, s):  # pragma: no cover - compiled
    """``sin(elevation) - sin_mask[s]`` of the ECEF point ``(x, y, z)`` (m) from site ``s``."""
    dx, dy, dz = x - site[s, 0], y - site[s, 1], z - site[s, 2]
    along = dx * up[s, 0] + dy * up[s, 1] + dz * up[s, 2]
    return along / np.sqrt(dx * dx + dy * dy + dz * dz) - sin_mask[s]


@numba.njit(cache=True, inline="always", error_model="numpy")
def _fill_row(ecef, site, up, sin_mask, keep_all, out, seen):  # pragma: no cover - compiled
    """``out[s, k]`` = the margin of ECEF point ``ecef[:, k]`` (shape ``(3, n_t)``, m) from site
    ``s``, computed in a buffer by a contiguous loop the compiler vectorises; ``seen[s]`` says
    whether any sample is above the mask. Unless ``keep_all``, only the rows seen are written
    (the others are never read: no window can lie in them)."""
    buf = np.empty(ecef.shape[1])
    for s in range(site.shape[0]):
        sx, sy, sz = site[s, 0], site[s, 1], site[s, 2]
        ux, uy, uz = up[s, 0], up[s, 1], up[s, 2]
        m = sin_mask[s]
        high = -np.inf
        for k in range(ecef.shape[1]):
            dx, dy, dz = ecef[0, k] - sx, ecef[1, k] - sy, ecef[2, k] - sz
            buf[k] = (dx * ux + dy * uy + dz * uz) / np.sqrt(dx * dx + dy * dy + dz * dz) - m
            high = max(high, buf[k])
        seen[s] = high > 0.0
        if keep_all or seen[s]:
            out[s, :] = buf


@numba.njit(parallel=True, cache=True)
def _positions_margin_kernel(
    r, cos_g, sin_g, site, up, sin_mask, keep_all, out, seen
):  # pragma: no cover
    n_t = r.shape[1]
    for j in numba.prange(r.shape[0]):
        ecef = np.empty((3, n_t))
        for k in range(n_t):
            ecef[0, k] = cos_g[k] * r[j, k, 0] + sin_g[k] * r[j, k, 1]
            ecef[1, k] = -sin_g[k] * r[j, k, 0] + cos_g[k] * r[j, k, 1]
            ecef[2, k] = r[j, k, 2]
        _fill_row(ecef, site, up, sin_mask, keep_all, out[j], seen[j])


@numba.njit(parallel=True, cache=True)
def _fleet_margin_kernel(
    a,
    e,
    ci,
    si,
    raan0,
    raan_dot,
    argp0,
    argp_dot,
    m0,
    m_dot,
    epoch,
    e_f,
    amp,
    t,
    uniform,
    cos_g,
    sin_g,
    site,
    up,
    sin_mask,
    keep_all,
    out,
    seen,
):  # pragma: no cover
    n_t = t.shape[0]
    step = t[1] - t[0] if n_t > 1 else 0.0
    for j in numba.prange(a.shape[0]):
        orbit = ok.orbit_row(a, e, ci, si, raan0, raan_dot, argp0, argp_dot, m0, m_dot, e_f, amp, j)
        # Near-circular orbits on a uniform grid: orbit_kernels' grid walk (one rotation a step).
        fast = uniform and e[j] < FAST_ECCENTRICITY
        turns = ok.angle_turns(orbit, step)
        state = (turns[0], turns[1], turns[2], 0)
        ecef = np.empty((3, n_t))
        for k in range(n_t):
            x, y, z, state = ok.walk_position(orbit, fast, turns, t, k, epoch[j], step, state)
            ecef[0, k] = cos_g[k] * x + sin_g[k] * y
            ecef[1, k] = -sin_g[k] * x + cos_g[k] * y
            ecef[2, k] = z
        _fill_row(ecef, site, up, sin_mask, keep_all, out[j], seen[j])


@numba.njit(parallel=True, cache=True)
def _fleet_margin_points_kernel(
    a,
    e,
    ci,
    si,
    raan0,
    raan_dot,
    argp0,
    argp_dot,
    m0,
    m_dot,
    epoch,
    e_f,
    amp,
    sat,
    station,
    t,
    cos_g,
    sin_g,
    site,
    up,
    sin_mask,
    out,
):  # pragma: no cover
    for i in numba.prange(sat.shape[0]):
        j = sat[i]
        orbit = ok.orbit_row(a, e, ci, si, raan0, raan_dot, argp0, argp_dot, m0, m_dot, e_f, amp, j)
        x, y, z = ok.position_eci(orbit, t[i] - epoch[j])
        xe = cos_g[i] * x + sin_g[i] * y
        ye = -sin_g[i] * x + cos_g[i] * y
        out[i] = _margin(xe, ye, z, site, up, sin_mask, station[i])


def _iterations(step_s: float, tolerance_s: float) -> int:
    """Bisection halvings that bring a bracket of ``step_s`` to ``tolerance_s``
    (:func:`orbitaldc.physics.events.bisect_crossings` ends within ``step / 2^(n + 1)``)."""
    return max(1, int(np.ceil(np.log2(max(step_s, tolerance_s) / tolerance_s))) - 1)


def _gmst_cos_sin(t_s: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    theta = frames.gmst_rad(t_s)
    return np.ascontiguousarray(np.cos(theta)), np.ascontiguousarray(np.sin(theta))


def elevation_margin(r_eci_m: ArrayLike, t_s: ArrayLike, sites: Sites) -> np.ndarray:
    """``sin(elevation) - sin(mask)`` of every satellite above every site at every time.

    Parameters
    ----------
    r_eci_m : array_like, shape (n_sat, n_t, 3)
        Positions, ECI of date (or TEME, whose difference is below 20"), m.
    t_s : array_like, shape (n_t,)
        Times, seconds since J2000 UTC (UTC standing in for UT1 in GMST, as :mod:`frames`).
    sites : Sites

    Returns
    -------
    ndarray, shape (n_sat, n_station, n_t)
        Positive while the satellite is above the site's mask. Add ``sites.sin_mask[:, None]``
        for the sine of the elevation.
    """
    r = np.asarray(r_eci_m, dtype=float)
    t = np.atleast_1d(np.asarray(t_s, dtype=float))
    if r.ndim != 3 or r.shape[1:] != (t.size, 3):
        raise ValueError(f"r_eci_m: expected shape (n_sat, {t.size}, 3), got {r.shape}")
    out = np.empty((r.shape[0], sites.n_stations, t.size))
    seen = np.empty((r.shape[0], sites.n_stations), dtype=bool)
    args = (sites.ecef_m, sites.up, sites.sin_mask, True, out, seen)
    _positions_margin_kernel(r, *_gmst_cos_sin(t), *args)
    return out


@dataclass(frozen=True)
class ContactWindows:
    """Contacts of ``n_satellites`` satellites with ``n_stations`` stations over
    ``[start_s, stop_s]``, one entry per window, arrays of shape ``(window,)`` sorted by satellite,
    station and time.

    ``rise_s`` is NaN for a window under way at ``start_s``, ``set_s`` for one not over at
    ``stop_s`` (seconds since J2000 UTC).
    """

    satellite: np.ndarray
    station: np.ndarray
    rise_s: np.ndarray
    set_s: np.ndarray
    start_s: float
    stop_s: float
    n_satellites: int
    n_stations: int

    @property
    def duration_s(self) -> np.ndarray:
        """``set_s - rise_s``, s (NaN for a window cut by the interval)."""
        return self.set_s - self.rise_s

    @property
    def days(self) -> float:
        """Length of the interval, days."""
        return (self.stop_s - self.start_s) / SECONDS_PER_DAY

    def clipped(self) -> tuple[np.ndarray, np.ndarray]:
        """Rise and set times with the open ends at ``start_s`` and ``stop_s``, s."""
        return np.nan_to_num(self.rise_s, nan=self.start_s), np.nan_to_num(
            self.set_s, nan=self.stop_s
        )

    def pair_contact_s(self) -> np.ndarray:
        """Time in contact of each (satellite, station) pair within the interval, s, shape
        ``(n_satellites, n_stations)``."""
        rise, set_ = self.clipped()
        pair = self.satellite * self.n_stations + self.station
        total = np.bincount(
            pair, weights=set_ - rise, minlength=self.n_satellites * self.n_stations
        )
        return total.reshape(self.n_satellites, self.n_stations)

    def contact_s_per_day(self) -> np.ndarray:
        """Contact time per day of each station summed over satellites (every pass served, as
        by as many antennas as satellites in view), s/day, shape ``(n_stations,)``."""
        rise, set_ = self.clipped()
        total = np.bincount(self.station, weights=set_ - rise, minlength=self.n_stations)
        return total / self.days

    def covered_s_per_day(self) -> np.ndarray:
        """Time per day during which each station sees at least one satellite (the union of its
        windows: what one antenna, switching between satellites, can use), s/day, shape
        ``(n_stations,)``."""
        rise, set_ = self.clipped()
        # Offset each station's times into its own span so one sort and one running maximum
        # (the union sweep) serve all stations: relative times stay below 1e8 s (3 years).
        span = 2.0 * (self.stop_s - self.start_s) + 1.0
        lo = rise - self.start_s + self.station * span
        hi = set_ - self.start_s + self.station * span
        order = np.argsort(lo, kind="stable")
        lo, hi, station = lo[order], hi[order], self.station[order]
        reach = np.maximum.accumulate(hi)
        before = np.r_[-np.inf, reach[:-1]]
        # Each window adds the part of it beyond everything that started before it.
        new = np.clip(hi - np.maximum(lo, before), 0.0, None)
        return np.bincount(station, weights=new, minlength=self.n_stations) / self.days

    def to_frame(self) -> pd.DataFrame:
        """The windows as a DataFrame: ``satellite``, ``station``, ``rise_s``, ``set_s``,
        ``duration_s``."""
        return pd.DataFrame(
            {
                "satellite": self.satellite,
                "station": self.station,
                "rise_s": self.rise_s,
                "set_s": self.set_s,
                "duration_s": self.duration_s,
            }
        )


def capacity_bits_per_day(
    seconds_per_day: ArrayLike,
    rate_bps: ArrayLike,
    cloud_free_probability: ArrayLike | None = None,
) -> np.ndarray:
    """Data volume per day, bit/day: ``rate x contact seconds x cloud-free probability``.

    Parameters
    ----------
    seconds_per_day : array_like, shape (n_station,)
        Contact time per day (:meth:`ContactWindows.contact_s_per_day` for one antenna per
        satellite in view, :meth:`ContactWindows.covered_s_per_day` for one antenna).
    rate_bps : array_like, shape (n_station,)
        Link rate during contact (downlink or uplink), bit/s.
    cloud_free_probability : array_like, optional
        Fraction of the time an optical site has a cloud-free line of sight (its climatology,
        taken as independent of the pass times); NaN or omitted for RF sites (weather margin
        is in the rate).
    """
    volume = np.asarray(seconds_per_day, dtype=float) * np.asarray(rate_bps, dtype=float)
    if cloud_free_probability is None:
        return volume
    p = np.asarray(cloud_free_probability, dtype=float)
    return volume * np.where(np.isnan(p), 1.0, p)


MarginFill = Callable[[int, int, int, int], np.ndarray]
Refine = Callable[[np.ndarray, np.ndarray], np.ndarray]


def _stream_windows(
    n_sat: int,
    sites: Sites,
    grid: np.ndarray,
    fill: MarginFill,
    refine_for: Callable[[int], Refine | None],
    chunk_steps: int,
    chunk_elements: int,
    iterations: int,
) -> ContactWindows:
    """Windows from margins computed chunk by chunk.

    ``fill(j0, j1, k0, k1)`` returns the margin of satellites ``j0:j1`` at ``grid[k0:k1]``,
    ``(j1 - j0, n_station, k1 - k0)``, and which (satellite, station) rows have a sample above
    the mask, ``(j1 - j0, n_station)`` (the other rows may be unwritten); ``refine_for(j0)`` the
    refine callback for that satellite chunk (series = ``satellite_in_chunk x n_station +
    station``). Only the rows with a sample above the mask go to the event finder: with time
    chunks a fraction of an orbit long, a few percent of the pairs. Consecutive time chunks share
    one sample, so a window open at the end of one chunk is under way at the start of the next,
    and the two halves are joined.
    """
    n_st, n_t = sites.n_stations, grid.size
    t_chunk = int(min(n_t, max(2, chunk_steps + 1)))
    sat_chunk = int(max(1, min(n_sat, chunk_elements // (n_st * t_chunk))))
    parts: list[tuple[np.ndarray, ...]] = []
    for j0 in range(0, n_sat, sat_chunk):
        j1 = min(n_sat, j0 + sat_chunk)
        refine = refine_for(j0)
        carry = np.full((j1 - j0) * n_st, np.nan)
        for k0 in range(0, n_t - 1, t_chunk - 1):
            k1 = min(n_t, k0 + t_chunk)
            margin, seen = fill(j0, j1, k0, k1)
            rows = np.flatnonzero(seen)
            values = margin.reshape((j1 - j0) * n_st, k1 - k0)[rows]
            refine_rows = None
            if refine is not None:

                def refine_rows(series, trial_s, refine=refine, rows=rows):
                    return refine(rows[series], trial_s)

            iv = events.find_intervals(grid[k0:k1], values, 0.0, True, refine_rows, iterations)
            series = rows[iv.series]
            rise = iv.start_s.copy()
            if k0 > 0:
                under_way = np.isnan(rise)
                rise[under_way] = carry[series[under_way]]
            keep = np.ones(rise.size, dtype=bool)
            if k1 < n_t:
                open_ = np.isnan(iv.stop_s)
                carry[series[open_]] = rise[open_]
                keep = ~open_
            series = series[keep]
            parts.append((j0 + series // n_st, series % n_st, rise[keep], iv.stop_s[keep]))
    if parts:
        sat, station, rise, set_ = (np.concatenate(p) for p in zip(*parts, strict=True))
    else:
        sat = station = np.zeros(0, dtype=int)
        rise = set_ = np.zeros(0)
    order = np.lexsort((np.nan_to_num(rise, nan=-np.inf), station, sat))
    return ContactWindows(
        sat[order],
        station[order],
        rise[order],
        set_[order],
        float(grid[0]),
        float(grid[-1]),
        n_sat,
        n_st,
    )


def contact_windows(
    r_eci_m: ArrayLike,
    t_s: ArrayLike,
    sites: Sites,
    position_at: Callable[[np.ndarray, np.ndarray], np.ndarray] | None = None,
    time_tolerance_s: float = TIME_TOLERANCE_S,
    chunk_steps: int = CHUNK_STEPS,
    chunk_elements: int = CHUNK_ELEMENTS,
) -> ContactWindows:
    """Contact windows of satellites given by their positions (e.g. SGP4, ``tle.propagate_sgp4``).

    Parameters
    ----------
    r_eci_m : array_like, shape (n_sat, n_t, 3)
        Positions, ECI of date or TEME, m.
    t_s : array_like, shape (n_t,)
        Increasing times, seconds since J2000 UTC.
    sites : Sites
    position_at : callable, optional
        ``position_at(satellite, t_s) -> r_eci_m`` (arrays of shape ``(n,)`` -> ``(n, 3)``):
        the position of the given satellites at the given times. With it every crossing is
        bisected on the exact elevation to ``time_tolerance_s``; without it the margin is
        interpolated linearly (accuracy in the module docstring).
    time_tolerance_s : float
        Bisection tolerance, s (with ``position_at``).
    chunk_steps, chunk_elements : int
        Samples per time chunk, and margin array elements per chunk over (satellite, station,
        time): memory ~ 8 bytes x ``chunk_elements`` x 2.
    """
    r = np.asarray(r_eci_m, dtype=float)
    t = np.atleast_1d(np.asarray(t_s, dtype=float))
    if r.ndim != 3 or r.shape[1:] != (t.size, 3):
        raise ValueError(f"r_eci_m: expected shape (n_sat, {t.size}, 3), got {r.shape}")
    site, up, sin_mask = sites.ecef_m, sites.up, sites.sin_mask
    cos_g, sin_g = _gmst_cos_sin(t)
    n_st = sites.n_stations

    def fill(j0: int, j1: int, k0: int, k1: int) -> tuple[np.ndarray, np.ndarray]:
        out = np.empty((j1 - j0, n_st, k1 - k0))
        seen = np.empty((j1 - j0, n_st), dtype=bool)
        args = (cos_g[k0:k1], sin_g[k0:k1], site, up, sin_mask, False, out, seen)
        _positions_margin_kernel(r[j0:j1, k0:k1], *args)
        return out, seen

    def refine_for(j0: int) -> Refine | None:
        if position_at is None:
            return None

        def refine(series: np.ndarray, trial_s: np.ndarray) -> np.ndarray:
            station = series % n_st
            r_ecef = frames.eci_to_ecef(position_at(j0 + series // n_st, trial_s), trial_s)
            rho = r_ecef - site[station]
            up_component = np.einsum("ij,ij->i", rho, up[station])
            return up_component / np.linalg.norm(rho, axis=1) - sin_mask[station]

        return refine

    iterations = _iterations(float(np.max(np.diff(t), initial=0.0)), time_tolerance_s)
    return _stream_windows(
        r.shape[0], sites, t, fill, refine_for, chunk_steps, chunk_elements, iterations
    )


def fleet_contact_windows(
    elements: MeanElements,
    start_s: float,
    stop_s: float,
    step_s: float,
    sites: Sites,
    exact: bool = True,
    time_tolerance_s: float = TIME_TOLERANCE_S,
    chunk_steps: int = CHUNK_STEPS,
    chunk_elements: int = CHUNK_ELEMENTS,
) -> ContactWindows:
    """Contact windows of a whole fleet, positions from the compiled orbit (``orbit.state_eci``'s
    model: J2 secular, J3 offset, J2 short-period radius), never materialised.

    Parameters
    ----------
    elements : MeanElements
        ``n_sat`` satellites.
    start_s, stop_s : float
        Interval, seconds since J2000 UTC.
    step_s : float
        Sampling step, s (10 s finds every LEO pass clearing the mask by more than ~0.01 deg).
    sites : Sites
    exact : bool
        Bisect each crossing on the exact orbit to ``time_tolerance_s`` (default), or
        interpolate the margin linearly between samples (faster; accuracy in the module
        docstring).
    time_tolerance_s : float
        Bisection tolerance, s.
    chunk_steps, chunk_elements : int
        Samples per time chunk, and margin array elements per chunk over (satellite, station,
        time): memory ~ 8 bytes x ``chunk_elements`` x 2 (the default: ~70 MB).
    """
    if step_s <= 0 or stop_s <= start_s:
        raise ValueError("need step_s > 0 and stop_s > start_s")
    grid = np.arange(start_s, stop_s + 0.5 * step_s, step_s)
    arrays = orbit_arrays(elements)
    site, up, sin_mask = sites.ecef_m, sites.up, sites.sin_mask
    cos_g, sin_g = _gmst_cos_sin(grid)
    n_st = sites.n_stations

    def fill(j0: int, j1: int, k0: int, k1: int) -> tuple[np.ndarray, np.ndarray]:
        t = np.ascontiguousarray(grid[k0:k1])
        out = np.empty((j1 - j0, n_st, k1 - k0))
        seen = np.empty((j1 - j0, n_st), dtype=bool)
        orbit = tuple(np.ascontiguousarray(v[j0:j1]) for v in arrays)
        args = (cos_g[k0:k1], sin_g[k0:k1], site, up, sin_mask, False, out, seen)
        _fleet_margin_kernel(*orbit, t, True, *args)
        return out, seen

    def refine_for(j0: int) -> Refine | None:
        if not exact:
            return None

        def refine(series: np.ndarray, trial_s: np.ndarray) -> np.ndarray:
            sat = np.ascontiguousarray(j0 + series // n_st)
            station = np.ascontiguousarray(series % n_st)
            trial = np.ascontiguousarray(trial_s, dtype=float)
            out = np.empty(trial.size)
            cos_t, sin_t = _gmst_cos_sin(trial)
            args = (sat, station, trial, cos_t, sin_t, site, up, sin_mask, out)
            _fleet_margin_points_kernel(*arrays, *args)
            return out

        return refine

    iterations = _iterations(step_s, time_tolerance_s)
    return _stream_windows(
        elements.n_satellites,
        sites,
        grid,
        fill,
        refine_for,
        chunk_steps,
        chunk_elements,
        iterations,
    )
