"""Independent validation of the orbit engine against Skyfield (DE421, offline) and SGP4.

Skyfield is loaded from the skyfield-data package, so nothing is downloaded. The numbers these
tests measure are recorded in docs/validation.md.
"""

from __future__ import annotations

import warnings
from functools import partial

import numpy as np
import pytest
from sgp4.api import WGS72, Satrec

from orbitaldc.physics import eclipse, orbit, sun, timescale, tle
from orbitaldc.physics.constants import MU_EARTH_M3_S2, R_EARTH_M

skyfield_api = pytest.importorskip("skyfield.api")
skyfield_data = pytest.importorskip("skyfield_data")
from skyfield.nutationlib import iau2000b_radians  # noqa: E402
from skyfield.searchlib import find_discrete  # noqa: E402


@pytest.fixture(scope="module")
def sky():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # skyfield-data warns that its IERS file is old; unused
        load = skyfield_api.Loader(skyfield_data.get_skyfield_data_path(), verbose=False)
        ts = load.timescale(builtin=True)
        eph = load("de421.bsp")
    return ts, eph


def _sky_time(ts, t_s):
    jd = tle.JD_J2000 + np.asarray(t_s, dtype=float) / 86400.0
    return ts.ut1_jd(jd)


def _sunlit_year(earth_sat, eph, ts, t_s):
    """Skyfield's ``is_sunlit`` at many times, a month of samples at a time, IAU 2000B nutation.

    Skyfield's default IAU 2000A nutation (1365 series terms) holds ~20 kB per time: a year at
    60 s took 11.7 GB and 40 s in one call. IAU 2000B (what Skyfield's own almanac searches use)
    is within 1 mas of 2000A, 3 cm at the satellite, 5 us of eclipse timing; a year's 525,960
    samples came out identical.
    """
    lit = []
    for chunk in np.array_split(t_s, max(1, t_s.size // 43200)):
        t = _sky_time(ts, chunk)
        t._nutation_angles_radians = iau2000b_radians(t)
        lit.append(earth_sat.at(t).is_sunlit(eph))
    return np.concatenate(lit)


def test_sun_direction_within_0p01_deg_2025_to_2040(sky):
    ts, eph = sky
    t_s = (
        timescale.seconds_since_j2000(np.datetime64("2025-01-01"))
        + np.arange(0, 16 * 365.25, 5) * 86400
    )
    t = _sky_time(ts, t_s)
    apparent = eph["earth"].at(t).observe(eph["sun"]).apparent()
    # Skyfield gives GCRS; rotate to the mean equator and equinox of date (N^T M = P B).
    true_of_date = np.einsum("ij...,j...->i...", t.M, apparent.position.au)
    mean_of_date = np.einsum("ji...,j...->i...", t.N, true_of_date)
    ref = (mean_of_date / np.linalg.norm(mean_of_date, axis=0)).T
    ours = sun.sun_direction_eci(t_s)
    error_deg = np.degrees(np.arccos(np.clip(np.sum(ref * ours, axis=1), -1, 1)))
    # The Almanac series is documented to 0.01 deg for 1950-2050.
    assert error_deg.max() < 0.01, error_deg.max()


def _satrec(a_m, inc_rad, raan_rad, epoch_s, ecc=1e-4, argp=0.0, mean_anomaly=0.0):
    """An SGP4 orbit whose mean radius over a day equals ``a_m`` (the same physical orbit).

    SGP4's Brouwer semi-major axis is not its mean radius (they differ by ~4 km at 650 km SSO);
    our engine's circular orbit has radius ``a_m``, so the reference is matched on mean radius.
    """
    epoch_days_1949 = (tle.JD_J2000 + epoch_s / 86400.0) - 2433281.5
    n_rad_min = np.sqrt(MU_EARTH_M3_S2 / a_m**3) * 60.0
    minutes = np.linspace(0.0, 1440.0, 3000)
    for _ in range(4):
        sat = Satrec()
        sat.sgp4init(
            WGS72,
            "i",
            99999,
            epoch_days_1949,
            0.0,
            0.0,
            0.0,
            ecc,
            argp,
            inc_rad,
            mean_anomaly,
            n_rad_min,
            raan_rad,
        )
        _, r, _ = sat.sgp4_array(
            np.full(minutes.size, sat.jdsatepoch), sat.jdsatepochF + minutes / 1440.0
        )
        n_rad_min *= (np.linalg.norm(r, axis=1).mean() * 1e3 / a_m) ** 1.5
    return sat


ORBITS = {
    # name: (altitude m, inclination rad or None for SSO, RAAN rule, start date)
    "dawn-dusk SSO 650 km, June": (650e3, None, 18.0, "2027-06-18"),
    "53 deg shell 550 km": (550e3, np.radians(53.0), 1.0, "2027-06-10"),
    "equatorial 550 km": (550e3, 0.0, 0.0, "2027-03-20"),
}


@pytest.mark.parametrize("name", list(ORBITS))
def test_eclipse_events_within_2_s_of_skyfield(sky, name):
    ts, eph = sky
    alt, inc, rule, date = ORBITS[name]
    t0 = float(timescale.seconds_since_j2000(np.datetime64(date)))
    a = R_EARTH_M + alt
    if inc is None:
        inc = float(orbit.sun_synchronous_inclination_rad(a))
        raan = float(orbit.raan_from_ltan_rad(rule, t0))
    else:
        raan = rule
    sat = _satrec(a, inc, raan, t0)
    duration = 3 * 86400.0
    grid = t0 + np.arange(0, duration + 1, 60.0)
    tles = tle.TleSet(("test",), (sat,))
    ours = eclipse.eclipse_events(*tle.propagate_sgp4(tles, grid), grid)
    ours_times = np.sort(np.r_[ours.entry_s.dropna(), ours.exit_s.dropna()])

    earth_sat = skyfield_api.EarthSatellite.from_satrec(sat, ts)

    def sunlit(t):
        return earth_sat.at(t).is_sunlit(eph)

    sunlit.step_days = 60.0 / 86400.0
    times, _ = find_discrete(
        _sky_time(ts, t0), _sky_time(ts, t0 + duration), sunlit, epsilon=1e-3 / 86400
    )
    ref = np.sort((times.ut1 - tle.JD_J2000) * 86400.0)
    assert ref.size > 20 and ours_times.size == ref.size
    worst = np.max(np.abs(ours_times - ref))
    print(f"{name}: {ref.size} events, worst difference {worst:.3f} s")
    # Our Sun (0.01 deg), TEME vs mean-of-date (< 20") and aberration move the boundary by well
    # under a second; the bound is 2 s.
    assert worst < 2.0, worst


ANNUAL = {
    # name: (altitude, inclination or None for SSO, longest-eclipse tolerance in s)
    # Both at the 5 s. The dawn-dusk SSO's longest eclipse happens at |beta| ~ 58.6 deg,
    # 6.6 deg from the beta limit, where the duration changes by 1.7 s per km of orbit radius: it
    # needs the J3 eccentricity offset (radius 7.4 km higher over the south, where the June
    # eclipses are) and the J2 radius term (+-1.5 km) that SGP4 also carries (without them: 5.9 s).
    # What is left: our Sun (0.01 deg of beta = 0.7 s here), SGP4's node rate (0.33 deg/yr off
    # sun-synchronous: < 0.2 s at the June minimum) and the J2 along-track/node terms we omit.
    "dawn-dusk SSO 650 km": (650e3, None, 5.0),
    "53 deg shell 550 km": (550e3, np.radians(53.0), 5.0),
}


@pytest.mark.parametrize("name", list(ANNUAL))
def test_annual_sunlit_fraction_and_longest_eclipse_against_skyfield(sky, name):
    ts, eph = sky
    alt, inc, tolerance_s = ANNUAL[name]
    t0 = float(timescale.seconds_since_j2000(np.datetime64("2027-01-01")))
    a = R_EARTH_M + alt
    raan = float(orbit.raan_from_ltan_rad(18.0, t0)) if inc is None else 0.5
    inc = float(orbit.sun_synchronous_inclination_rad(a)) if inc is None else inc
    ours = eclipse.annual_eclipse_statistics(a, inc, raan, t0)

    sat = _satrec(a, inc, raan, t0)
    earth_sat = skyfield_api.EarthSatellite.from_satrec(sat, ts)
    grid = t0 + np.arange(0, 365.25 * 86400, 60.0)
    lit = _sunlit_year(earth_sat, eph, ts, grid)
    ref_fraction = lit.mean()
    # 0.2 % is the bound; 60 s sampling of a year adds < 1e-4 of noise.
    assert ours["sunlit_fraction_mean"][0] == pytest.approx(ref_fraction, rel=2e-3)

    # Longest eclipse: refine Skyfield's events over the 3 days around the darkest sample day.
    dark = (~lit).reshape(-1)[: (grid.size // 1440) * 1440].reshape(-1, 1440).sum(axis=1)
    day = int(np.argmax(dark))
    start = t0 + max(day - 1, 0) * 86400.0

    def sunlit(t):
        return earth_sat.at(t).is_sunlit(eph)

    sunlit.step_days = 60.0 / 86400.0
    times, values = find_discrete(
        _sky_time(ts, start), _sky_time(ts, start + 3 * 86400), sunlit, epsilon=1e-3 / 86400
    )
    t_ev = (times.ut1 - tle.JD_J2000) * 86400.0
    entries = t_ev[~values.astype(bool)]
    exits = t_ev[values.astype(bool)]
    durations = [exits[exits > e][0] - e for e in entries if np.any(exits > e)]
    print(
        f"{name}: longest eclipse ours {ours['max_eclipse_s'][0]:.1f} s, Skyfield "
        f"{max(durations):.1f} s; sunlit fraction {ours['sunlit_fraction_mean'][0]:.5f} vs "
        f"{ref_fraction:.5f}"
    )
    assert ours["max_eclipse_s"][0] == pytest.approx(max(durations), abs=tolerance_s)


@pytest.mark.parametrize(
    ("alt", "inc"), [(650e3, None), (550e3, np.radians(53.0))], ids=["SSO 650 km", "53 deg 550 km"]
)
def test_j2_propagator_against_sgp4(alt, inc):
    a = R_EARTH_M + alt
    inc = float(orbit.sun_synchronous_inclination_rad(a)) if inc is None else inc
    t0 = float(timescale.seconds_since_j2000(np.datetime64("2027-01-01")))
    sat = _satrec(a, inc, 0.7, t0, ecc=1e-4)
    el = tle.mean_elements(tle.TleSet(("x",), (sat,)))
    t = t0 + np.array([0.0, 86400.0, 7 * 86400.0])
    r_j2, _ = orbit.propagate(el, t)
    r_sgp4, v_sgp4 = tle.propagate_sgp4(tle.TleSet(("x",), (sat,)), t)
    d = r_j2[0] - r_sgp4[0]
    radial = np.sum(d * r_sgp4[0], -1) / np.linalg.norm(r_sgp4[0], axis=-1)
    normal = np.cross(r_sgp4[0], v_sgp4[0])
    normal /= np.linalg.norm(normal, axis=-1, keepdims=True)
    cross = np.sum(d * normal, -1)
    along_dir = np.cross(normal, r_sgp4[0] / np.linalg.norm(r_sgp4[0], axis=-1, keepdims=True))
    along = np.abs(np.sum(d * along_dir, -1))
    # Our model lacks SGP4's along-track, node and inclination short-period J2 terms and its
    # J2^2/J4 nodal-rate details. Radially it differs by a constant: tle.mean_elements matches
    # SGP4's along-track rate, which puts our mean radius 4.4 km below SGP4's at 650 km SSO
    # (test_radius_profile_matches_sgp4 shows the shape agrees to tens of metres). Radial and
    # cross-track stay within 15 km (cross-track 15 km = 0.12 deg of orbit plane, negligible for
    # beta and eclipses); along-track within 5 km after a week (measured ~1 km): 0.7 s of eclipse
    # timing, no change in durations or sunlit fractions.
    assert np.all(np.abs(radial) < 15e3) and np.all(np.abs(cross) < 15e3)
    assert along[1] < 5e3 and along[2] < 5e3
    print(
        f"J2 vs SGP4 after 1 d / 7 d: along-track {along[1] / 1e3:.1f} / {along[2] / 1e3:.1f} km, "
        f"radial {radial[1] / 1e3:.2f} / {radial[2] / 1e3:.2f} km, "
        f"cross-track {cross[1] / 1e3:.2f} / {cross[2] / 1e3:.2f} km"
    )


@pytest.mark.parametrize(
    ("alt", "inc"), [(650e3, None), (550e3, np.radians(53.0))], ids=["SSO 650 km", "53 deg 550 km"]
)
def test_radius_profile_matches_sgp4(alt, inc):
    # SGP4 (Brouwer theory) carries the J3 long-period eccentricity and the J2 short-period radius
    # term; our radius along the orbit must follow its shape (up to the constant offset of the
    # mean-radius convention, see test_j2_propagator_against_sgp4). Without the two terms the
    # shape differs by 5.3 km rms (8.9 km worst); with them we measured 16 m rms. 100 m of radius
    # is 0.17 s of eclipse at the worst geometry (1.7 s/km near the beta limit).
    a = R_EARTH_M + alt
    inc = float(orbit.sun_synchronous_inclination_rad(a)) if inc is None else inc
    t0 = float(timescale.seconds_since_j2000(np.datetime64("2027-01-01")))
    tles = tle.TleSet(("x",), (_satrec(a, inc, 0.7, t0, ecc=1e-4),))
    t = t0 + np.arange(0.0, 7 * 86400.0, 30.0)
    ours = np.linalg.norm(orbit.propagate(tle.mean_elements(tles), t)[0][0], axis=-1)
    ref = np.linalg.norm(tle.propagate_sgp4(tles, t)[0][0], axis=-1)
    shape = (ours - ref) - np.mean(ours - ref)
    print(f"radius shape vs SGP4: {shape.std():.0f} m rms, {np.abs(shape).max():.0f} m worst")
    assert shape.std() < 100.0 and np.abs(shape).max() < 300.0


def test_chunked_events_against_sgp4_positions_cost_nothing_in_accuracy():
    # The same orbit through SGP4 and through the J2 engine gives eclipse durations within a
    # second: durations depend on the plane and altitude, which both models share.
    t0 = float(timescale.seconds_since_j2000(np.datetime64("2027-06-10")))
    a = R_EARTH_M + 550e3
    sat = _satrec(a, np.radians(53), 1.0, t0)
    tles = tle.TleSet(("x",), (sat,))
    el = tle.mean_elements(tles)
    ev_sgp4 = eclipse.eclipse_events_chunked(partial(tle.propagate_sgp4, tles), 1, t0, t0 + 86400)
    ev_j2 = eclipse.eclipse_events_chunked(partial(orbit.propagate, el), 1, t0, t0 + 86400)
    d1 = ev_sgp4.duration_s.dropna().to_numpy()
    d2 = ev_j2.duration_s.dropna().to_numpy()
    n = min(d1.size, d2.size)
    assert n >= 14
    assert np.max(np.abs(d1[:n] - d2[:n])) < 5.0
