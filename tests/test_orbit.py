"""Orbit engine: analytic cases, published figures, the SGP4 verification set, formations."""

from __future__ import annotations

import os
import re
from pathlib import Path

import numpy as np
import pytest
import sgp4

from orbitaldc.physics import (
    constellation,
    eclipse,
    formation,
    frames,
    orbit,
    orbit_kernels,
    timescale,
    tle,
)
from orbitaldc.physics.constants import R_EARTH_M

A_650 = R_EARTH_M + 650e3


def test_kepler_equation_residual():
    rng = np.random.default_rng(1)
    m = rng.uniform(0, 2 * np.pi, 10_000)
    e = rng.uniform(0, 0.9, 10_000)
    big_e = orbit.solve_kepler(m, e)
    assert np.max(np.abs(big_e - e * np.sin(big_e) - m)) < 1e-12


def test_published_period_and_sun_synchronous_inclination():
    # arXiv 2511.19468 sec. 2.2: 650 km -> 97.7 min (1 decimal), SSO 97.99 +- 0.05 deg.
    assert orbit.period_s(A_650) / 60 == pytest.approx(97.7, abs=0.05)
    assert np.degrees(orbit.sun_synchronous_inclination_rad(A_650)) == pytest.approx(
        97.99, abs=0.05
    )


def test_sun_synchronous_precession_follows_the_sun():
    inc = orbit.sun_synchronous_inclination_rad(A_650)
    raan_dot, _, _ = orbit.j2_secular_rates(A_650, 0.0, inc)
    # 360 deg per tropical year (365.2422 d), to the precision the constant is given.
    assert np.degrees(raan_dot) * 86400 * 365.2422 == pytest.approx(360.0, rel=1e-6)


def test_iss_nodal_regression():
    # ISS (about 400 km, 51.64 deg) regresses about 5.0 deg/day (Vallado 4th ed. fig. 9-10
    # and the ISS trajectory data); the first-order J2 rate is within 1 % of it.
    raan_dot, _, _ = orbit.j2_secular_rates(R_EARTH_M + 400e3, 0.0005, np.radians(51.64))
    assert np.degrees(raan_dot) * 86400 == pytest.approx(-5.0, rel=0.02)


def test_no_sun_synchronous_orbit_very_high():
    with pytest.raises(ValueError, match="no sun-synchronous orbit exists at altitude 8000 km"):
        orbit.sun_synchronous_inclination_rad(R_EARTH_M + 8000e3)


def test_circular_propagation_keeps_radius_and_inclination():
    # The J2-secular Keplerian core (the periodic terms are checked against SGP4 in
    # test_validate_skyfield.py::test_radius_profile_matches_sgp4).
    sats = constellation.walker_delta(12, 3, 1, 550e3, np.radians(53), epoch_s=0.0)
    r, _ = orbit.propagate(sats, np.linspace(0, 86400, 500), periodic_terms=False)
    assert np.allclose(np.linalg.norm(r, axis=-1), R_EARTH_M + 550e3, rtol=1e-12)
    # The highest latitude reached equals the inclination.
    lat = np.arcsin(r[..., 2] / np.linalg.norm(r, axis=-1))
    assert np.degrees(lat.max()) == pytest.approx(53.0, abs=0.01)


@pytest.mark.parametrize("ecc", [0.3, 0.001, 0.0])
def test_velocity_is_the_derivative_of_position(ecc):
    # With the periodic terms: the turning eccentricity vector about the J3 offset and the J2
    # radius term both enter the velocity (leaving out the first errs by ~1e-3 m/s here, the
    # second by metres per second).
    el = orbit.MeanElements(R_EARTH_M + 2000e3, ecc, 1.0, 0.5, 0.2, 0.0, 0.0)
    t = np.linspace(0, 20000, 300)
    h = 0.01
    r_plus, _ = orbit.propagate(el, t + h)
    r_minus, _ = orbit.propagate(el, t - h)
    _, v = orbit.propagate(el, t)
    numeric = (r_plus - r_minus) / (2 * h)
    # Central difference error ~ h^2 |r'''| / 6 ~ 1e-7 m/s; rounding ~1e-6 m/s.
    assert np.max(np.abs(v - numeric)) < 1e-4


def test_eccentric_orbit_apsides():
    el = orbit.MeanElements(R_EARTH_M + 2000e3, 0.3, 1.0, 0.5, 0.2, 0.0, 0.0)
    t = np.linspace(0, orbit.period_s(R_EARTH_M + 2000e3), 20001)
    r, _ = orbit.propagate(el, t, periodic_terms=False)
    radius = np.linalg.norm(r, axis=-1)
    a = R_EARTH_M + 2000e3
    # Sampling 20,000 points per orbit resolves the apsides to ~1e-7 relative.
    assert radius.min() == pytest.approx(a * 0.7, rel=1e-6)
    assert radius.max() == pytest.approx(a * 1.3, rel=1e-6)


def test_walker_geometry():
    sats = constellation.walker_delta(24, 6, 2, 550e3, np.radians(53), epoch_s=0.0)
    assert sats.n_satellites == 24
    assert np.allclose(np.unique(np.round(np.degrees(sats.raan_rad), 6)), np.arange(0, 360, 60))
    # Phase offset between adjacent planes: F x 360 / T = 30 deg.
    assert np.degrees(sats.mean_anomaly_rad[4] - sats.mean_anomaly_rad[0]) == pytest.approx(30.0)
    with pytest.raises(ValueError, match="multiple of planes"):
        constellation.walker_delta(25, 6, 1, 550e3, 0.9, 0.0)


def test_ltan_sets_the_node_on_the_mean_sun():
    t0 = float(timescale.seconds_since_j2000(np.datetime64("2027-03-21T12:00")))
    sats = constellation.sun_synchronous_planes(2, 1, 650e3, [6.0, 18.0], t0)
    # The two planes of a dawn-dusk pair have nodes 180 deg apart.
    assert np.degrees(np.mod(sats.raan_rad[1] - sats.raan_rad[0], 2 * np.pi)) == pytest.approx(
        180.0
    )


def test_eclipse_limit_beta_at_650_km():
    # arXiv 2511.19468 sec. 2.2: eclipses only while |beta| < asin(R/(R+h)) = 65.2 deg at 650 km.
    assert eclipse.eclipse_fraction_from_beta(A_650, np.radians(65.0)) > 0
    assert eclipse.eclipse_fraction_from_beta(A_650, np.radians(65.4)) == 0


def test_illuminated_fraction_through_the_penumbra():
    sun = np.array([1.496e11, 0.0, 0.0])
    a = A_650
    u = np.radians(np.linspace(80, 120, 4001))  # the satellite moves from day into night
    r = np.stack([a * np.cos(u), a * np.sin(u), np.zeros_like(u)], -1)
    f = eclipse.illuminated_fraction(r, sun)
    assert f[0] == 1.0 and f[-1] == 0.0
    assert np.all(np.diff(f) <= 1e-12)  # monotone into shadow
    partial = (f > 0) & (f < 1)
    # The penumbra spans about the Sun's angular diameter (0.53 deg) of orbital arc.
    arc = np.degrees(u[partial].max() - u[partial].min())
    assert 0.45 < arc < 0.65
    # The Sun-centre boundary (shadow function zero) sits mid-penumbra: f ~ 0.5 there.
    g = eclipse.shadow_function(r, sun)
    k = np.argmin(np.abs(g))
    assert f[k] == pytest.approx(0.5, abs=0.02)


def test_gmst_vallado_example_3_5():
    # Vallado 4th ed. example 3-5: 1992-08-20 12:14 UT1 -> GMST 152.578787810 deg.
    t = timescale.seconds_since_j2000(np.datetime64("1992-08-20T12:14:00"))
    assert np.degrees(frames.gmst_rad(t)) == pytest.approx(152.578787810, abs=1e-6)


def test_geodetic_round_trip_and_overhead_elevation():
    rng = np.random.default_rng(2)
    lat = rng.uniform(-1.5, 1.5, 1000)
    lon = rng.uniform(-3.1, 3.1, 1000)
    alt = rng.uniform(0, 2e6, 1000)
    back = frames.ecef_to_geodetic(frames.geodetic_to_ecef(lat, lon, alt))
    assert np.max(np.abs(back[0] - lat)) < 1e-10
    assert np.max(np.abs(back[2] - alt)) < 1e-3
    overhead = frames.geodetic_to_ecef(0.7, 0.2, 550e3)
    el, _, rng_m = frames.elevation_azimuth_rad(overhead, 0.7, 0.2, 0.0)
    assert np.degrees(el) == pytest.approx(90.0, abs=1e-6)
    assert rng_m == pytest.approx(550e3, rel=1e-9)


def _rtn(r_sat, r_chief, v_chief):
    radial = r_chief / np.linalg.norm(r_chief, axis=-1, keepdims=True)
    normal = np.cross(r_chief, v_chief)
    normal /= np.linalg.norm(normal, axis=-1, keepdims=True)
    along = np.cross(normal, radial)
    d = r_sat - r_chief
    return np.sum(d * radial, -1), np.sum(d * along, -1)


def test_suncatcher_formation_matches_published_geometry():
    # arXiv 2511.19468 sec. 4.1: 81 satellites, R = 1 km, outermost eccentricity ~7.1e-5, all
    # inside +-R along-track and +-R/2 radial, neighbour distances between ~100 and ~200 m.
    chief = constellation.single(650e3, orbit.sun_synchronous_inclination_rad(A_650), 0.3, 0.0)
    sats = formation.hcw_cluster(chief, formation.suncatcher_lattice(1000.0))
    assert sats.n_satellites == 81
    assert sats.eccentricity.max() == pytest.approx(7.1e-5, abs=0.05e-5)
    t = np.linspace(0, orbit.period_s(A_650), 400)
    r, v = orbit.propagate(sats, t)
    rc, vc = orbit.propagate(chief, t)
    x, y = _rtn(r, rc, vc)
    # Curvilinear vs Cartesian along-track and the e^2 terms: a few metres of slack.
    assert np.abs(y).max() < 1000 + 5 and np.abs(x).max() < 500 + 5
    d = np.linalg.norm(r[:, None] - r[None, :], axis=-1)
    d[np.arange(81), np.arange(81)] = np.inf
    nearest = d.min(axis=1)  # (81, n_t)
    assert 95 < nearest.min() and nearest.max() < 205
    # A neighbour pair's distance swings between ~100 and ~200 m twice per orbit (four crossings
    # of its mean over one period).
    centre = int(np.argmin(sats.eccentricity))
    neighbour = int(np.argmin(np.where(np.arange(81) == centre, np.inf, d[centre, :, 0])))
    pair = d[centre, neighbour]
    assert pair.min() == pytest.approx(100.0, abs=5) and pair.max() == pytest.approx(200.0, abs=5)
    assert np.sum(np.diff(np.sign(pair - pair.mean())) != 0) == 4


def test_hcw_elements_reproduce_the_analytic_solution():
    chief = constellation.single(650e3, 1.7, 0.0, 0.0)
    offsets = np.array([[300.0, 0.0], [0.0, 800.0], [-200.0, -400.0]])
    sats = formation.hcw_cluster(chief, offsets)
    # With J2 the relative ellipse turns at the perturbed mean-anomaly rate, not the Keplerian n
    # (a 4 mrad phase difference after 6,000 s); HCW is evaluated at that rate.
    _, _, n = orbit.j2_secular_rates(A_650, 0.0, 1.7)
    t = np.linspace(0, 6000, 50)
    r, v = orbit.propagate(sats, t)
    rc, vc = orbit.propagate(chief, t)
    x, y = _rtn(r, rc, vc)
    amp, phase = formation.hcw_amplitude_phase(offsets)
    x_hcw, y_hcw = formation.hcw_relative_state(amp, phase, n, t)
    # HCW is linear in e: errors of order a e^2 ~ 0.03 m plus J2 (same rates for all): < 1 m.
    assert np.max(np.abs(x - x_hcw)) < 1.0 and np.max(np.abs(y - y_hcw)) < 1.0


def _verification_cases():
    folder = Path(os.path.dirname(sgp4.__file__))
    tle_lines = (folder / "SGP4-VER.TLE").read_text().splitlines()
    out = (folder / "tcppver.out").read_text().splitlines()
    cases, current = {}, None
    for line in out:
        m = re.match(r"\s*(\d+) xx", line)
        if m:
            current = int(m.group(1))
            cases[current] = []
        elif current is not None and line.strip():
            cols = line.split()
            cases[current].append([float(c) for c in cols[:4]])
    tles = {}
    for k, line in enumerate(tle_lines):
        if line.startswith("1 "):
            tles[int(line[2:7])] = (line[:69], tle_lines[k + 1][:69])
    return cases, tles


def test_tle_ingestion_matches_the_sgp4_verification_output(tmp_path):
    # Official SGP4 verification (Vallado et al., AIAA 2006-6753): positions from tcppver.out.
    # Near-Earth cases only (orbits below 225 min period), where the positions agree to < 1 m
    # (the time split into Julian day and fraction costs ~1e-6 s, i.e. < 1 cm).
    cases, tles = _verification_cases()
    near_earth = [5, 6251, 8195, 28057, 22312, 28129]
    path = tmp_path / "ver.tle"
    path.write_text("\n".join(f"{tles[n][0]}\n{tles[n][1]}" for n in near_earth) + "\n")
    sats = tle.load_tle_file(path, check_checksums=False)
    for k, satnum in enumerate(near_earth):
        rows = np.array(cases[satnum])
        sat = sats.satrecs[k]
        epoch_s = (sat.jdsatepoch + sat.jdsatepochF - tle.JD_J2000) * 86400.0
        single = tle.TleSet((sats.names[k],), (sat,))
        r, _ = tle.propagate_sgp4(single, epoch_s + rows[:, 0] * 60.0)
        ok = np.all(np.isfinite(r[0]), axis=-1)
        assert np.max(np.abs(r[0][ok] / 1e3 - rows[ok, 1:4])) < 1e-3, satnum


def test_malformed_tle_names_the_line(tmp_path):
    bad = tmp_path / "bad.tle"
    bad.write_text("ISS\n1 25544U 98067A   24001.5 garbage\n")
    with pytest.raises(ValueError, match="line 2"):
        tle.load_tle_file(bad)


def test_tle_checksum_is_checked(tmp_path):
    line1 = "1 25544U 98067A   24001.50000000  .00016717  00000-0  10270-3 0  9005"
    line2 = "2 25544  51.6416 247.4627 0006703 130.5360 325.0288 15.50125391428208"
    path = tmp_path / "iss.tle"
    path.write_text(f"ISS (ZARYA)\n{line1}\n{line2}\n")
    with pytest.raises(ValueError, match="checksum"):
        tle.load_tle_file(path)
    sats = tle.load_tle_file(path, check_checksums=False)
    el = tle.mean_elements(sats)
    # The engine's along-track rate equals SGP4's secular rate for this satellite.
    _, argp_dot, m_dot = orbit.j2_secular_rates(
        el.semi_major_axis_m, el.eccentricity, el.inclination_rad
    )
    sat = sats.satrecs[0]
    assert (argp_dot + m_dot)[0] == pytest.approx((sat.mdot + sat.argpdot) / 60.0, rel=1e-12)
    assert (el.semi_major_axis_m[0] - R_EARTH_M) / 1e3 == pytest.approx(415, abs=15)
    assert np.degrees(el.inclination_rad[0]) == pytest.approx(51.6416)


def test_eclipse_events_pair_entries_and_exits():
    t0 = float(timescale.seconds_since_j2000(np.datetime64("2027-06-10")))
    sats = constellation.walker_delta(4, 2, 1, 550e3, np.radians(53), t0)
    t = t0 + np.arange(0, 86400, 60.0)
    r, v = orbit.propagate(sats, t)
    events = eclipse.eclipse_events(r, v, t)
    full = events.dropna(subset=["entry_s", "exit_s"])
    # In June one plane is above the beta limit; the other's 2 satellites see ~15 eclipses a day.
    counts = full.groupby("satellite").size()
    assert len(counts) >= 2 and counts.min() >= 14
    # Contacts are ordered: penumbra, centre, umbra ... umbra, centre, penumbra.
    ok = full.dropna()
    assert np.all(ok.penumbra_entry_s < ok.entry_s) and np.all(ok.entry_s < ok.umbra_entry_s)
    assert np.all(ok.umbra_exit_s < ok.exit_s) and np.all(ok.exit_s < ok.penumbra_exit_s)
    # Chunked streaming gives the same events as one pass.
    from functools import partial

    chunked = eclipse.eclipse_events_chunked(
        partial(orbit.propagate, sats), 4, t[0], t[-1], 60.0, 97
    )
    assert np.allclose(
        np.sort(chunked.entry_s.dropna()), np.sort(events.entry_s.dropna()), atol=1e-4
    )


def test_penumbra_crossing_at_zero_beta():
    # An equatorial orbit at the March equinox has beta ~ 0; the Sun's centre then moves across
    # Earth's limb at the orbital rate, so half the penumbra takes (Sun's angular radius) / n:
    # 0.2666 deg / (360 deg / 95.6 min) = 4.25 s at 550 km.
    t0 = float(timescale.seconds_since_j2000(np.datetime64("2027-03-20T12:00")))
    sats = constellation.single(550e3, 0.0, 0.0, t0)
    t = t0 + np.arange(0, 6 * 3600, 60.0)
    r, v = orbit.propagate(sats, t)
    ok = eclipse.eclipse_events(r, v, t).dropna()
    sun_radius_deg = np.degrees(np.arcsin(6.957e8 / 1.4898e11))  # Sun at ~0.9959 AU in March
    expected = sun_radius_deg / 360 * orbit.period_s(R_EARTH_M + 550e3)
    # The Sun-limb angle of an oblique crossing adds ~1 % at |beta| < 1 deg.
    assert (ok.entry_s - ok.penumbra_entry_s).median() == pytest.approx(expected, rel=0.02)


def test_annual_statistics_agree_with_the_propagated_year():
    # The closure's kernel (daily beta, closed-form shadow arc of the same orbit shape) against a
    # year of eclipse events root-found on orbit.propagate's orbit (compiled path, 60 s grid).
    t0 = float(timescale.seconds_since_j2000(np.datetime64("2027-01-01")))
    a = np.array([A_650, R_EARTH_M + 550e3, R_EARTH_M + 1200e3])
    inc = np.array([orbit.sun_synchronous_inclination_rad(A_650), np.radians(53), np.radians(30)])
    raan0 = np.array([orbit.raan_from_ltan_rad(18.0, t0), 1.0, 2.0])
    stats = eclipse.annual_eclipse_statistics(a, inc, raan0, t0, return_beta=True)
    from orbitaldc.physics import fleet_shadow

    els = orbit.MeanElements(a, 0.0, inc, raan0, 0.0, 0.0, t0)
    year = 365.25 * 86400.0
    ev = fleet_shadow.eclipse_events_fast(els, t0, t0 + year, 60.0)
    dark = ev.groupby("satellite").duration_s.sum().reindex(range(3), fill_value=0.0)
    longest = ev.groupby("satellite").duration_s.max()
    # Daily sampling of beta averages to < 5e-4 of the year; the longest eclipse is taken at the
    # refined smallest |beta| with the shadow's position in the orbit of the nearest day (the
    # radius there varies by ~1 km/day): measured 0.2-1.5 s.
    assert np.allclose(stats["sunlit_fraction_mean"], 1 - dark.to_numpy() / year, atol=5e-4)
    assert np.allclose(stats["max_eclipse_s"], longest.to_numpy(), atol=3.0)
    assert np.allclose(stats["beta_max_abs_rad"], np.abs(stats["beta_rad"]).max(axis=1), atol=1e-9)


def test_compiled_fleet_kernels_equal_the_numpy_path():
    from orbitaldc.physics import fleet_shadow, sun

    t0 = float(timescale.seconds_since_j2000(np.datetime64("2027-06-10")))
    circular = constellation.walker_delta(20, 4, 1, 550e3, np.radians(53), t0)
    chief = constellation.single(650e3, orbit.sun_synchronous_inclination_rad(A_650), 1.0, t0)
    cluster = formation.hcw_cluster(chief, formation.suncatcher_lattice(1000.0)[:10])
    sats = orbit.MeanElements.concatenate([circular, cluster])
    t = t0 + np.arange(0, 86400, 60.0)
    r_fast, f_fast = fleet_shadow.positions_and_illumination(sats, t)
    r, v = orbit.propagate(sats, t)
    f = eclipse.illuminated_fraction(r, sun.sun_position_eci_m(t)[None])
    assert np.max(np.abs(r_fast - r)) < 1e-3  # same formulas, compiled: < 1 mm
    assert np.max(np.abs(f_fast - f)) < 1e-8
    fast = fleet_shadow.eclipse_events_fast(sats, t[0], t[-1]).dropna()
    ref = eclipse.eclipse_events(r, v, t).dropna(subset=["entry_s", "exit_s"])
    assert len(fast) == len(ref)
    fast = fast.sort_values(["satellite", "entry_s"]).reset_index(drop=True)
    ref = ref.sort_values(["satellite", "entry_s"]).reset_index(drop=True)
    # Exact-orbit root vs Hermite-interpolated root: both sub-millisecond.
    assert np.max(np.abs(fast.entry_s - ref.entry_s)) < 1e-3
    assert np.max(np.abs(fast.exit_s - ref.exit_s)) < 1e-3


def _mixed_fleet(t0):
    # Near-circular (walked on the mean circle by the events kernel, with and without a mean
    # eccentricity) and eccentric orbits (walked on the exact orbit), LEO to MEO.
    a = R_EARTH_M + np.array([550e3, 650e3, 1200e3, 800e3, 2000e3, 400e3])
    inc = np.radians([53.0, 97.99, 30.0, 98.0, 63.4, 0.0])
    e = np.array([0.0, 0.005, 0.0079, 0.05, 0.3, 0.0])
    return orbit.MeanElements(
        a, e, inc, [0.3, 1.0, 2.0, 3.0, 4.0, 5.0], [0, 1, 2, 3, 4, 5], 1.0, t0
    )


def test_event_walk_bounds_hold_on_sampled_orbits():
    # The compiled events kernel skips grid times on two bounds (fleet_shadow._walk_bounds): the
    # speed of orbit.propagate's motion and, for near-circular orbits, its distance from the mean
    # circle. A missed eclipse would follow from either being exceeded, so check both over a day
    # sampled every second (the bounds are analytic maxima with margin, not fits).
    from orbitaldc.physics import fleet_shadow

    t0 = float(timescale.seconds_since_j2000(np.datetime64("2027-06-10")))
    els = _mixed_fleet(t0)
    t = t0 + np.arange(0, 86400, 1.0)
    r, v = orbit.propagate(els, t)
    speed, off, r_max = fleet_shadow._walk_bounds(els)
    assert np.all(np.linalg.norm(v, axis=-1).max(axis=1) < speed)
    assert np.all(np.linalg.norm(r, axis=-1).max(axis=1) < r_max + 1e-6)
    raan_dot, argp_dot, m_dot = orbit.j2_secular_rates(
        els.semi_major_axis_m, els.eccentricity, els.inclination_rad
    )
    dt = t - t0
    lam = (els.mean_anomaly_rad + els.arg_perigee_rad)[:, None] + (m_dot + argp_dot)[:, None] * dt
    node = els.raan_rad[:, None] + raan_dot[:, None] * dt
    ci = np.cos(els.inclination_rad)[:, None]
    si = np.sin(els.inclination_rad)[:, None]
    circle = els.semi_major_axis_m[:, None, None] * np.stack(
        [
            np.cos(lam) * np.cos(node) - np.sin(lam) * np.sin(node) * ci,
            np.cos(lam) * np.sin(node) + np.sin(lam) * np.cos(node) * ci,
            np.sin(lam) * si,
        ],
        axis=-1,
    )
    fast = els.eccentricity < orbit_kernels.FAST_ECCENTRICITY
    assert np.all(np.linalg.norm(r - circle, axis=-1).max(axis=1)[fast] < off[fast] + 1e-6)


def test_compiled_events_of_eccentric_orbits_equal_the_numpy_path():
    # Both ways of walking the grid (mean circle, exact orbit) against the numpy reference.
    from orbitaldc.physics import fleet_shadow

    t0 = float(timescale.seconds_since_j2000(np.datetime64("2027-03-20")))
    els = _mixed_fleet(t0)
    t = t0 + np.arange(0, 2 * 86400, 60.0)
    r, v = orbit.propagate(els, t)
    fast = fleet_shadow.eclipse_events_fast(els, t[0], t[-1]).dropna()
    ref = eclipse.eclipse_events(r, v, t).dropna(subset=["entry_s", "exit_s"])
    assert len(fast) == len(ref) and set(ref.satellite) == set(range(6))
    fast = fast.sort_values(["satellite", "entry_s"]).reset_index(drop=True)
    ref = ref.sort_values(["satellite", "entry_s"]).reset_index(drop=True)
    assert np.all(fast.satellite == ref.satellite)
    assert np.max(np.abs(fast.entry_s - ref.entry_s)) < 1e-3
    assert np.max(np.abs(fast.exit_s - ref.exit_s)) < 1e-3


def test_fast_events_do_not_depend_on_the_chunking():
    # Chunks of 37 steps (shorter than some eclipses: an eclipse can span a whole chunk, carried
    # to the next) against one chunk: the same eclipses; the times differ only by the kernel's
    # re-anchoring of the angles at each chunk (rounding, far below 1e-6 s).
    from orbitaldc.physics import fleet_shadow

    t0 = float(timescale.seconds_since_j2000(np.datetime64("2027-03-20")))
    els = _mixed_fleet(t0)
    start, stop = t0 + 1234.0, t0 + 2 * 86400.0
    one = fleet_shadow.eclipse_events_fast(els, start, stop, 60.0, chunk_steps=10_000)
    many = fleet_shadow.eclipse_events_fast(els, start, stop, 60.0, chunk_steps=37)
    assert len(one) > 50 and np.array_equal(one.satellite, many.satellite)
    assert np.array_equal(one.entry_s.isna(), many.entry_s.isna())
    assert np.allclose(one.entry_s, many.entry_s, rtol=0, atol=1e-6, equal_nan=True)
    assert np.allclose(one.exit_s, many.exit_s, rtol=0, atol=1e-6)
