"""Ground contacts of a whole fleet (issue 12).

Contact windows of 10,000 satellites (a 550 km, 53 deg Walker shell) with 50 stations over one day
sampled at 10 s, every crossing bisected on the exact orbit, in (satellite, station) pairs per
second, against Skyfield's ``EarthSatellite.find_events`` for the same stations, measured in the
same run on a small sample of pairs and extrapolated to all pairs (goal: >= 50x faster). The
stations are the catalog's (28) and, to make 50, sites on a Fibonacci lattice between 60 S and
60 N. Memory is bounded by the chunks of :func:`orbitaldc.physics.contacts.fleet_contact_windows`.
"""

from __future__ import annotations

import resource
import time
import warnings

import numpy as np
from sgp4.api import WGS72, Satrec

from orbitaldc import catalog
from orbitaldc.physics import constellation, contacts, timescale, tle
from orbitaldc.physics.constants import MU_EARTH_M3_S2

N_STATIONS = 50


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def _stations(n: int) -> contacts.Sites:
    entries = list(catalog.load("ground_stations").values())[:n]
    extra = n - len(entries)
    # Fibonacci lattice in sin(latitude) between 60 S and 60 N: evenly spread extra sites.
    k = np.arange(extra) + 0.5
    lat = np.degrees(np.arcsin(np.sin(np.radians(60.0)) * (2 * k / max(extra, 1) - 1)))
    lon = np.mod(k * 137.50776405 + 180.0, 360.0) - 180.0
    return contacts.Sites.from_degrees(
        np.r_[[e.latitude_deg for e in entries], lat],
        np.r_[[e.longitude_deg for e in entries], lon],
        np.r_[[e.altitude_m for e in entries], np.zeros(extra)],
        np.r_[[e.min_elevation_deg for e in entries], np.full(extra, 10.0)],
    )


def _satrec(sats, j: int, epoch_s: float) -> Satrec:
    s = Satrec()
    s.sgp4init(
        WGS72,
        "i",
        j,
        tle.JD_J2000 + epoch_s / 86400.0 - 2433281.5,
        0.0,
        0.0,
        0.0,
        1e-4,
        0.0,
        sats.inclination_rad[j],
        sats.mean_anomaly_rad[j],
        np.sqrt(MU_EARTH_M3_S2 / sats.semi_major_axis_m[j] ** 3) * 60.0,
        sats.raan_rad[j],
    )
    return s


def _skyfield_seconds_per_pair(sats, sites, epoch_s: float, n_pairs: int) -> float | None:
    """Mean wall time of one ``find_events`` call (one satellite, one station, one day)."""
    try:
        from skyfield import api
        from skyfield_data import get_skyfield_data_path
    except ImportError:
        return None
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # skyfield-data warns that its IERS file is old; unused
        ts = api.Loader(get_skyfield_data_path(), verbose=False).timescale(builtin=True)
    t0 = ts.ut1_jd(tle.JD_J2000 + epoch_s / 86400.0)
    t1 = ts.ut1_jd(tle.JD_J2000 + epoch_s / 86400.0 + 1.0)
    rng = np.random.default_rng(1)
    pairs = zip(
        rng.integers(0, sats.n_satellites, n_pairs),
        rng.integers(0, sites.n_stations, n_pairs),
        strict=True,
    )
    jobs = []
    for j, s in pairs:
        sat = api.EarthSatellite.from_satrec(_satrec(sats, int(j), epoch_s), ts)
        topos = api.wgs84.latlon(
            np.degrees(sites.latitude_rad[s]),
            np.degrees(sites.longitude_rad[s]),
            elevation_m=sites.altitude_m[s],
        )
        jobs.append((sat, topos, float(np.degrees(sites.min_elevation_rad[s]))))
    sat, topos, mask = jobs[0]
    sat.find_events(topos, t0, t1, altitude_degrees=mask)  # warm-up outside the timing
    start = time.perf_counter()
    for sat, topos, mask in jobs:
        sat.find_events(topos, t0, t1, altitude_degrees=mask)
    return (time.perf_counter() - start) / n_pairs


def main(argv: list[str] | None = None) -> None:
    quick = bool(argv and "--quick" in argv)
    n_sat = 1_000 if quick else 10_000
    n_sample = 5 if quick else 20
    epoch = float(timescale.seconds_since_j2000(np.datetime64("2027-06-01")))
    sats = constellation.walker_delta(n_sat, 50, 1, 550e3, np.radians(53.0), epoch)
    sites = _stations(N_STATIONS)
    step = 10.0
    contacts.fleet_contact_windows(sats, epoch, epoch + 600.0, step, sites)  # compile

    start = time.perf_counter()
    windows = contacts.fleet_contact_windows(sats, epoch, epoch + 86400.0, step, sites)
    t_ours = time.perf_counter() - start
    n_pairs = n_sat * sites.n_stations
    n_samples = n_pairs * (int(86400.0 / step) + 1)
    print(
        f"contacts: {n_sat:,} satellites x {sites.n_stations} stations x 1 day at {step:.0f} s "
        f"({n_samples:.2e} elevation samples): {t_ours:.1f} s, {windows.satellite.size:,} windows, "
        f"{n_pairs / t_ours:,.0f} pairs/s"
    )
    covered = windows.covered_s_per_day()
    print(
        f"  stations' covered time: median {np.median(covered) / 3600:.1f} h/day, contact time "
        f"summed over satellites: median {np.median(windows.contact_s_per_day()) / 3600:.0f} h/day"
    )

    per_pair = _skyfield_seconds_per_pair(sats, sites, epoch, n_sample)
    if per_pair is None:
        print("Skyfield baseline: skyfield / skyfield-data not installed, skipped")
    else:
        t_sky = per_pair * n_pairs
        print(
            f"Skyfield find_events, {n_sample} sampled pairs: {per_pair * 1e3:.1f} ms/pair, "
            f"{1 / per_pair:,.1f} pairs/s; all {n_pairs:,} pairs extrapolated: {t_sky:,.0f} s"
        )
        print(f"ratio: {t_sky / t_ours:,.0f}x faster than Skyfield per pair (goal >= 50x)")
    print(f"peak memory (RSS) of the whole benchmark: {_peak_rss_mb():,.0f} MB")


if __name__ == "__main__":
    import sys

    main(sys.argv[1:])
