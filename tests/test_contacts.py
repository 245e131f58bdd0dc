"""Ground contacts and user latency: against Skyfield, the frames module and closed forms."""

from __future__ import annotations

import datetime as dt
import warnings

import numpy as np
import pytest
from sgp4.api import WGS72, Satrec

from orbitaldc import catalog
from orbitaldc.physics import (
    constellation,
    contacts,
    events,
    frames,
    latency,
    orbit,
    timescale,
    tle,
)
from orbitaldc.physics.constants import C_M_S, R_EARTH_M

# The ISS TLE of Skyfield's documentation (epoch 2014-01-20).
ISS_TLE = (
    "1 25544U 98067A   14020.93268519  .00009878  00000-0  18200-3 0  5082",
    "2 25544  51.6498 109.4756 0003572  55.9686 274.8005 15.49815350868473",
)

#: Real stations the ISS (51.6 deg) passes over, with different masks (catalog ids).
SKYFIELD_STATIONS = ("esa-ogs-tenerife", "aws-ohio", "ksat-punta-arenas")


def _catalog_sites(ids):
    entries = [catalog.get("ground_stations", i) for i in ids]
    return contacts.Sites.from_degrees(
        [e.latitude_deg for e in entries],
        [e.longitude_deg for e in entries],
        [e.altitude_m for e in entries],
        [e.min_elevation_deg for e in entries],
    )


def _skyfield_rise_set(ids, sat, t0_s, t1_s):
    """Rise and set times (s since J2000 UTC) from Skyfield's ``EarthSatellite.find_events``."""
    api = pytest.importorskip("skyfield.api")
    skyfield_data = pytest.importorskip("skyfield_data")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # skyfield-data warns that its IERS file is old; unused
        load = api.Loader(skyfield_data.get_skyfield_data_path(), verbose=False)
        ts = load.timescale(builtin=True)
    earth_sat = api.EarthSatellite.from_satrec(sat, ts)

    def sky_time(t_s):
        when = timescale.to_datetime64(t_s).astype(dt.datetime).replace(tzinfo=dt.UTC)
        return ts.from_datetime(when)

    out = []
    for station_id in ids:
        e = catalog.get("ground_stations", station_id)
        topos = api.wgs84.latlon(e.latitude_deg, e.longitude_deg, elevation_m=e.altitude_m)
        t, kind = earth_sat.find_events(
            topos, sky_time(t0_s), sky_time(t1_s), altitude_degrees=e.min_elevation_deg
        )
        when = timescale.seconds_since_j2000(
            np.array([d.replace(tzinfo=None) for d in t.utc_datetime()], dtype="datetime64[us]")
        )
        out.append((when[kind == 0], when[kind == 2]))
    return out


@pytest.mark.parametrize("exact", [False, True], ids=["interpolated", "bisected"])
def test_contact_times_within_2_s_of_skyfield_find_events(exact):
    sat = Satrec.twoline2rv(*ISS_TLE, WGS72)
    tles = tle.TleSet(("ISS",), (sat,))
    t0 = (sat.jdsatepoch + sat.jdsatepochF - tle.JD_J2000) * 86400.0
    grid = t0 + np.arange(0.0, 2 * 86400.0 + 1, 10.0)
    r, _ = tle.propagate_sgp4(tles, grid)
    sites = _catalog_sites(SKYFIELD_STATIONS)

    def position_at(satellite, t_s):
        return tle.propagate_sgp4(tles, t_s)[0][0]

    ours = contacts.contact_windows(r, grid, sites, position_at if exact else None)
    reference = _skyfield_rise_set(SKYFIELD_STATIONS, sat, grid[0], grid[-1])
    n_passes = 0
    for station, (rise_ref, set_ref) in enumerate(reference):
        mine = ours.station == station
        rise, set_ = ours.rise_s[mine], ours.set_s[mine]
        rise, set_ = rise[np.isfinite(rise)], set_[np.isfinite(set_)]
        assert rise.size == rise_ref.size and set_.size == set_ref.size, station
        n_passes += rise.size
        worst = max(np.abs(rise - rise_ref).max(), np.abs(set_ - set_ref).max())
        # Skyfield brackets its rise/set to half a second (find_events' epsilon); the same SGP4
        # orbit is used on both sides, TEME -> Earth-fixed by GMST in both, and UT1 - UTC (< 0.1 s
        # in 2014) turns the station by < 50 m; linear interpolation adds up to ~1 s on grazing
        # passes (measured: 0.17 s worst, either way). The bound is 2 s.
        print(f"station {station}: {rise.size} passes, worst {worst:.3f} s")
        assert worst < 2.0, (station, worst)
    assert n_passes > 10


def test_elevation_margin_matches_frames_look_angles():
    rng = np.random.default_rng(7)
    n_sat, n_t = 4, 50
    direction = rng.normal(size=(n_sat, n_t, 3))
    direction /= np.linalg.norm(direction, axis=2, keepdims=True)
    r = direction * (R_EARTH_M + rng.uniform(300e3, 2000e3, size=(n_sat, n_t, 1)))
    t = rng.uniform(0.0, 1e9, n_t)
    sites = contacts.Sites.from_degrees([78.23, -33.9], [15.41, 151.2], [450.0, 50.0], [5, 10])
    margin = contacts.elevation_margin(r, t, sites)
    for s in range(sites.n_stations):
        el, _, _ = frames.elevation_azimuth_rad(
            frames.eci_to_ecef(r, t),
            sites.latitude_rad[s],
            sites.longitude_rad[s],
            sites.altitude_m[s],
        )
        # The same formula (geodetic normal, GMST): rounding only.
        np.testing.assert_allclose(margin[:, s] + sites.sin_mask[s], np.sin(el), atol=1e-12)


def test_fleet_windows_equal_the_numpy_orbit_and_do_not_depend_on_chunks():
    sats = constellation.walker_delta(40, 5, 1, 550e3, np.radians(53.0), epoch_s=8.0e8)
    sites = _catalog_sites(("esa-ogs-tenerife", "aws-sydney", "ksat-troll", "aws-singapore"))
    start, stop, step = 8.0e8, 8.0e8 + 86400.0, 10.0
    fleet = contacts.fleet_contact_windows(sats, start, stop, step, sites)
    grid = np.arange(start, stop + 0.5 * step, step)
    r, _ = orbit.propagate(sats, grid)

    def position_at(satellite, t_s):
        el = [
            getattr(sats, k)[satellite]
            for k in (
                "semi_major_axis_m",
                "eccentricity",
                "inclination_rad",
                "raan_rad",
                "arg_perigee_rad",
                "mean_anomaly_rad",
                "epoch_s",
            )
        ]
        return orbit.state_eci(*el, t_s)[0]

    reference = contacts.contact_windows(r, grid, sites, position_at)
    assert fleet.satellite.size == reference.satellite.size > 100
    np.testing.assert_array_equal(fleet.station, reference.station)
    # Both bisect the same brackets to 1 ms on positions equal to < 1e-5 m
    # (tests/test_orbit_kernels): a time differs by at most the tolerance.
    np.testing.assert_allclose(fleet.rise_s, reference.rise_s, atol=1e-3)
    np.testing.assert_allclose(fleet.set_s, reference.set_s, atol=1e-3)
    # One satellite and 70 s per chunk: every window spans several chunks and is stitched.
    small = contacts.fleet_contact_windows(
        sats, start, stop, step, sites, chunk_steps=7, chunk_elements=1
    )
    np.testing.assert_array_equal(small.satellite, fleet.satellite)
    np.testing.assert_array_equal(small.station, fleet.station)
    np.testing.assert_allclose(small.rise_s, fleet.rise_s, atol=1e-3)
    np.testing.assert_allclose(small.set_s, fleet.set_s, atol=1e-3)


def _hand_windows():
    # Two stations over one day; station 0 has overlapping windows (satellites 0 and 1).
    return contacts.ContactWindows(
        satellite=np.array([0, 0, 1, 1]),
        station=np.array([0, 1, 0, 1]),
        rise_s=np.array([np.nan, 1000.0, 200.0, 5000.0]),
        set_s=np.array([600.0, 1400.0, 900.0, np.nan]),
        start_s=0.0,
        stop_s=86400.0,
        n_satellites=2,
        n_stations=2,
    )


def test_capacity_is_rate_times_contact_seconds():
    w = _hand_windows()
    contact = w.contact_s_per_day()
    # Open ends clip to the interval: station 0: 600 + 700; station 1: 400 + 81,400.
    np.testing.assert_allclose(contact, [1300.0, 81800.0])
    np.testing.assert_allclose(w.pair_contact_s(), [[600.0, 400.0], [700.0, 81400.0]])
    rate = np.array([2e9, 1e10])
    cloud_free = np.array([np.nan, 0.6])
    volume = contacts.capacity_bits_per_day(contact, rate, cloud_free)
    np.testing.assert_allclose(volume, [2e9 * 1300.0, 1e10 * 81800.0 * 0.6])


def test_covered_time_is_the_union_of_windows():
    w = _hand_windows()
    # Reference: the union measured on a 0.5 s grid (exact for these whole-second ends).
    t = np.arange(0.0, 86400.0, 0.5) + 0.25
    rise, set_ = w.clipped()
    inside = (t[None, :] > rise[:, None]) & (t[None, :] < set_[:, None])
    for station in range(2):
        covered = inside[w.station == station].any(axis=0).sum() * 0.5
        assert w.covered_s_per_day()[station] == pytest.approx(covered)
    assert w.covered_s_per_day()[0] == pytest.approx(900.0)


def test_latency_of_a_satellite_at_zenith_is_altitude_over_c():
    altitude = 550e3
    sites = contacts.Sites.from_degrees([0.0, 45.0], [0.0, 90.0], [0.0, 0.0], [10.0, 10.0])
    t = np.array([0.0])
    # A satellite straight above station 0 (ECEF along its normal), rotated back to ECI.
    up_ecef = sites.up[0] * (R_EARTH_M + altitude)
    theta = frames.gmst_rad(t)[0]
    c, s = np.cos(theta), np.sin(theta)
    r_eci = np.array([[[c * up_ecef[0] - s * up_ecef[1], s * up_ecef[0] + c * up_ecef[1], 0.0]]])
    slant = latency.nearest_slant_range_m(r_eci, t, sites)
    assert slant[0, 0] == pytest.approx(altitude, abs=1e-6)
    assert np.isinf(slant[1, 0])  # on the other side of the Earth
    # A user at station 0 (no fibre) sees altitude / c; one in a city 1,000 km away adds the
    # fibre leg at c / 1.4682 over 1.5 x 1,000 km.
    fibre = latency.fibre_delay_s(np.array([[0.0, 0.0], [1e6, 0.0]]))
    fibre[:, 1] = 1.0  # station 1 is far
    lat = latency.user_latency_s(fibre, slant)
    np.testing.assert_allclose(
        lat[:, 0], [altitude / C_M_S, altitude / C_M_S + 1.5e6 * 1.4682 / C_M_S]
    )
    stats = latency.latency_statistics_s(np.array([[1.0, 2.0, np.inf, 3.0], [np.inf] * 4]))
    np.testing.assert_allclose(stats["median_s"], [2.0, np.nan])
    np.testing.assert_allclose(stats["served_fraction"], [0.75, 0.0])


def test_great_circle_quarter_meridian():
    # Pole to equator on the mean sphere is a quarter of its circumference.
    d = latency.great_circle_m(np.pi / 2, 0.0, 0.0, 1.0)
    assert d == pytest.approx(np.pi / 2 * latency.MEAN_EARTH_RADIUS_M, rel=1e-12)


def test_nearest_slant_range_matches_a_brute_force_minimum():
    sats = constellation.walker_delta(60, 6, 1, 550e3, np.radians(53.0), epoch_s=0.0)
    t = np.arange(0.0, 3600.0, 60.0)
    r, _ = orbit.propagate(sats, t)
    sites = _catalog_sites(("esa-ogs-tenerife", "aws-ohio"))
    nearest = latency.nearest_slant_range_m(r, t, sites)
    margin = contacts.elevation_margin(r, t, sites)
    rng = np.linalg.norm(frames.eci_to_ecef(r, t)[:, None] - sites.ecef_m[None, :, None], axis=3)
    brute = np.where(margin > 0, rng, np.inf).min(axis=0)
    np.testing.assert_allclose(nearest, brute, rtol=1e-12)
    assert np.isfinite(nearest).mean() > 0.2


def test_catalog_optical_sites_carry_cloud_free_probability():
    stations = catalog.load("ground_stations")
    assert len(stations) >= 25
    for s in stations.values():
        assert s.downlink_rate_bps is not None and s.uplink_rate_bps is not None, s.id
        if s.kind == "optical":
            assert 0.0 < s.cloud_free_probability < 1.0, s.id


def test_chunked_windows_equal_one_finder_call_on_the_whole_margin_array():
    sats = constellation.walker_delta(12, 3, 1, 800e3, np.radians(70.0), epoch_s=0.0)
    t = np.arange(0.0, 43200.0 + 1, 20.0)
    r, _ = orbit.propagate(sats, t)
    sites = _catalog_sites(("ksat-svalbard", "nict-koganei", "aws-cape-town"))
    ours = contacts.contact_windows(r, t, sites, chunk_steps=50, chunk_elements=2000)
    # Reference: the event finder once over every (satellite, station) row and every sample.
    margin = contacts.elevation_margin(r, t, sites)
    ref = events.find_intervals(t, margin.reshape(-1, t.size))
    np.testing.assert_array_equal(ours.satellite, ref.series // 3)
    np.testing.assert_array_equal(ours.station, ref.series % 3)
    # Linear interpolation of the same samples: equal to rounding.
    np.testing.assert_allclose(ours.rise_s, ref.start_s, rtol=0, atol=1e-6)
    np.testing.assert_allclose(ours.set_s, ref.stop_s, rtol=0, atol=1e-6)
    assert ref.series.size > 30
