"""Formations over time: nearest neighbours, separation, HCW against the J2 engine, J2 drift."""

import numpy as np
import pytest
from scipy.spatial import cKDTree

from orbitaldc.physics import constellation, formation, orbit
from orbitaldc.physics.constants import J2_EARTH, R_EARTH_M

A_650 = R_EARTH_M + 650e3
INC_650 = float(orbit.sun_synchronous_inclination_rad(A_650))
T_650 = float(orbit.period_s(A_650))


def _suncatcher():
    chief = constellation.single(650e3, INC_650, 0.3, 0.0)
    offsets = formation.lattice_offsets(81, 1000.0, "suncatcher")
    return chief, offsets, formation.hcw_cluster(chief, offsets)


def _anomalistic_rate():
    # The relative ellipse turns at the perturbed mean-anomaly rate (test_orbit's HCW test).
    return float(orbit.j2_secular_rates(A_650, 0.0, INC_650)[2])


def test_suncatcher_neighbour_distances_over_two_orbits():
    # arXiv 2511.19468 sec. 4.1: distances between lattice neighbours oscillate between ~100 and
    # ~200 m twice per orbit; every member stays inside +-R along-track, +-R/2 radial (R = 1 km).
    chief, offsets, sats = _suncatcher()
    t = np.linspace(0.0, 2 * T_650, 801)
    r, _ = orbit.propagate(sats, t)
    rc, vc = orbit.propagate(chief, t)
    rtn = formation.relative_rtn_m(r, rc[0], vc[0])
    # J3 frozen eccentricity x amplitude (1.05e-3 x 1 km) and J2 short-period terms: < 2 m.
    assert np.abs(rtn[..., 1]).max() < 1000 + 2 and np.abs(rtn[..., 0]).max() < 500 + 2
    # Lattice neighbours (100 m apart in the amplitude plane (x, y/2)): their distance is
    # 100 sqrt(cos^2 + 4 sin^2) of the ellipse angle, 100..200 m, two maxima per orbit.
    amp_plane = offsets * np.array([1.0, 0.5])
    sep = np.linalg.norm(amp_plane[:, None] - amp_plane[None], axis=-1)
    i, j = np.nonzero(np.triu(np.isclose(sep, 100.0)))
    pair = np.linalg.norm(r[i] - r[j], axis=-1)
    assert pair.min() == pytest.approx(100.0, abs=0.5) and pair.max() == pytest.approx(200.0, abs=1)
    crossings = np.sum(np.diff(np.sign(pair - 150.0), axis=1) != 0, axis=1)
    assert np.all(crossings == 8)  # four per orbit: two maxima and two minima
    # The nearest neighbour is the lattice neighbour near 0 and 90 deg and the diagonal one near
    # 45 deg: analytically the minimum over lattice vectors of the turned lattice, 100 m at the
    # turning points and at most 145.1 m in between (where 1 + 3 s^2 = 5 - 6 s c).
    nn = formation.nearest_neighbour_distance_m(r)
    low, high = formation.per_orbit_extrema(nn, t, T_650)
    assert low.shape == (81, 3)  # two orbits plus the closing sample
    theta = np.linspace(0, np.pi, 100001)
    vecs = np.array([[1, 0], [0, 1], [1, 1], [1, -1], [2, 1], [1, 2], [2, -1], [1, -2]]) * 100.0
    turned_x = vecs[:, :1] * np.cos(theta) - vecs[:, 1:] * np.sin(theta)
    turned_y = vecs[:, :1] * np.sin(theta) + vecs[:, 1:] * np.cos(theta)
    analytic_max = np.hypot(turned_x, 2 * turned_y).min(axis=0).max()
    assert analytic_max == pytest.approx(145.1, abs=0.05)
    ii, jj = np.rint(offsets[:, 0] / 100), np.rint(offsets[:, 1] / 200)
    interior = np.all([(ii + di) ** 2 + (jj + dj) ** 2 <= 25 for di, dj in vecs / 100], axis=0)
    interior &= np.all([(ii - di) ** 2 + (jj - dj) ** 2 <= 25 for di, dj in vecs / 100], axis=0)
    assert interior.sum() >= 9
    # Neighbour offsets differ by 100-200 m, so J3/J2 terms (~1e-3 of the offset) move a distance
    # by ~0.2 m; the 801-point sampling misses the peak by < 0.01 m.
    assert np.allclose(low[:, :2], 100.0, atol=0.3)
    assert np.allclose(high[interior, :2], analytic_max, atol=0.3)
    separation = formation.minimum_separation_m(r)
    assert separation.min() == pytest.approx(100.0, abs=0.3)
    assert separation.max() == pytest.approx(analytic_max, abs=0.3)
    # The analytic HCW positions give the same distances.
    amp, phase = formation.hcw_amplitude_phase(offsets)
    hcw = formation.hcw_relative_positions_m(amp, phase, _anomalistic_rate(), t)
    assert np.abs(formation.nearest_neighbour_distance_m(hcw) - nn).max() < 0.3


def test_nearest_neighbour_against_kdtree_and_chunking():
    rng = np.random.default_rng(7)
    pts = rng.normal(scale=500.0, size=(40, 25, 3)) + 7e6  # ECI-like magnitudes
    nn = formation.nearest_neighbour_distance_m(pts)
    # A block of 40 x 40 x 3 x 16 bytes holds one time step: 25 chunks, same result.
    small = formation.nearest_neighbour_distance_m(pts, block_bytes=40 * 40 * 3 * 16)
    np.testing.assert_array_equal(nn, small)
    for k in range(pts.shape[1]):
        d, _ = cKDTree(pts[:, k]).query(pts[:, k], k=2)
        np.testing.assert_allclose(nn[:, k], d[:, 1], rtol=1e-12)
    assert np.all(np.isinf(formation.nearest_neighbour_distance_m(pts[:1])))


def test_per_orbit_extrema_of_a_sine():
    t = np.linspace(0.0, 3.0, 3001)
    values = np.stack([np.sin(2 * np.pi * t), 2 + np.cos(2 * np.pi * t)])
    low, high = formation.per_orbit_extrema(values, t, 1.0)
    assert low.shape == (2, 4)  # three periods and the closing sample
    np.testing.assert_allclose(low[:, :3], [[-1] * 3, [1] * 3], atol=1e-5)
    np.testing.assert_allclose(high[:, :3], [[1] * 3, [3] * 3], atol=1e-5)


@pytest.mark.parametrize("periodic_terms, tolerance_m", [(False, 0.25), (True, 1.5)])
def test_hcw_against_the_propagated_orbits_over_one_orbit(periodic_terms, tolerance_m):
    # HCW is linear in e about a circular chief. Without periodic terms the residual is the
    # chief-frame tilt by the nodal drift (raan_dot / n ~ 2e-4 rad x 1 km = 0.2 m cross-track)
    # and e^2 terms (a e^2 = 0.04 m). With them the chief is no longer circular: the J3 frozen
    # eccentricity e_f = 1.05e-3 times the 1 km offsets adds ~1.1 m, the J2 short-period radius
    # term ~0.3 m: 1.5 m.
    chief, offsets, sats = _suncatcher()
    n = _anomalistic_rate()
    t = np.linspace(0.0, 2 * np.pi / n, 400)
    r, _ = orbit.propagate(sats, t, periodic_terms)
    rc, vc = orbit.propagate(chief, t, periodic_terms)
    rtn = formation.relative_rtn_m(r, rc[0], vc[0])
    amp, phase = formation.hcw_amplitude_phase(offsets)
    hcw = formation.hcw_relative_positions_m(amp, phase, n, t)
    error = np.linalg.norm(rtn - hcw, axis=-1).max()
    assert error < tolerance_m
    assert error > 0.5 * tolerance_m  # the stated causes are really there


def test_hcw_drifts_from_the_j2_orbits_by_the_differential_j2_rate():
    # Over 10,000 orbits (1.9 years) the members leave their HCW slots along-track by the
    # differential secular J2 drift (second order in e: up to 0.49 mm per orbit, 4.9 m here).
    # The orbit-mean along-track offset isolates it from the periodic residual of the test above;
    # it matches to 3 mm without periodic terms, 0.15 m with them (J3 couples to the perigee).
    chief, offsets, sats = _suncatcher()
    n = _anomalistic_rate()
    drift = formation.along_track_drift_m_per_orbit(sats, chief)
    assert np.abs(drift).max() == pytest.approx(4.93e-4, rel=0.01)
    amp, phase = formation.hcw_amplitude_phase(offsets)
    for periodic_terms, tolerance_m in ((False, 0.01), (True, 0.25)):
        mean_offset = []
        for start in (0, 10_000):
            t = (start + np.linspace(0.0, 1.0, 400, endpoint=False)) * 2 * np.pi / n
            r, _ = orbit.propagate(sats, t, periodic_terms)
            rc, vc = orbit.propagate(chief, t, periodic_terms)
            rtn = formation.relative_rtn_m(r, rc[0], vc[0])
            hcw = formation.hcw_relative_positions_m(amp, phase, n, t)
            mean_offset.append((rtn - hcw)[..., 1].mean(axis=1))
        growth = mean_offset[1] - mean_offset[0]
        assert np.abs(growth - 10_000 * drift).max() < tolerance_m


def test_differential_j2_rates_are_second_order_in_eccentricity():
    # Same a and i, circular chief: expanding Vallado eqs. 9-41/9-42 in e gives
    # d raan_dot = 2 e^2 raan_dot, d argp_dot = 2 e^2 argp_dot and
    # d M_dot = 1.5 e^2 (M_dot - n) (the J2 part only), up to e^4 ~ 2.5e-17 relative; d M_dot
    # also carries the rounding of M_dot itself (1.07e-3 rad/s x 2.2e-16 = 2.4e-19 rad/s).
    chief, _, sats = _suncatcher()
    d_raan, d_argp, d_m = formation.differential_j2_rates(sats, chief)
    raan_dot, argp_dot, m_dot = orbit.j2_secular_rates(A_650, 0.0, INC_650)
    n = float(orbit.mean_motion_rad_s(A_650))
    e2 = sats.eccentricity**2
    np.testing.assert_allclose(d_raan, 2 * e2 * raan_dot, rtol=1e-6, atol=1e-25)
    np.testing.assert_allclose(d_argp, 2 * e2 * argp_dot, rtol=1e-6, atol=1e-25)
    np.testing.assert_allclose(d_m, 1.5 * e2 * (m_dot - n), rtol=1e-6, atol=2.5e-19)
    assert np.all(formation.along_track_drift_m_per_orbit(chief, chief) == 0.0)


def test_differential_j2_rates_against_the_linear_partials():
    # Finite differences of orbit.j2_secular_rates (a deputy 10 m higher and 1e-5 rad more
    # inclined) against the analytic partial derivatives of the rates (circular orbit):
    # d/da: -3.5 x (J2 part) / a, plus -1.5 n / a for M_dot; d/di from the sin^2 i factors.
    # Second-order terms are (da/a)^2 ~ 2e-12 and di^2 ~ 1e-10: a 1e-4 relative tolerance.
    chief = constellation.single(650e3, INC_650, 0.3, 0.0)
    da, di = np.array([10.0, 0.0, 10.0]), np.array([0.0, 1e-5, 1e-5])
    deputy = orbit.MeanElements(A_650 + da, 0.0, INC_650 + di, 0.3, 0.0, 0.0, 0.0)
    d_raan, d_argp, d_m = formation.differential_j2_rates(deputy, chief)
    n = float(orbit.mean_motion_rad_s(A_650))
    k = n * J2_EARTH * (R_EARTH_M / A_650) ** 2
    s, c = np.sin(INC_650), np.cos(INC_650)
    raan_dot, argp_dot, m_dot = -1.5 * k * c, 0.75 * k * (4 - 5 * s * s), 0.75 * k * (2 - 3 * s * s)
    expect_raan = -3.5 * raan_dot / A_650 * da + 1.5 * k * s * di
    expect_argp = -3.5 * argp_dot / A_650 * da - 7.5 * k * s * c * di
    expect_m = (-1.5 * n - 3.5 * m_dot) / A_650 * da - 4.5 * k * s * c * di
    np.testing.assert_allclose(d_raan, expect_raan, rtol=1e-4)
    np.testing.assert_allclose(d_argp, expect_argp, rtol=1e-4)
    np.testing.assert_allclose(d_m, expect_m, rtol=1e-4)
    # Cross-track: a sin i d raan_dot.
    np.testing.assert_allclose(
        formation.cross_track_drift_rate_m_s(deputy, chief), A_650 * s * expect_raan, rtol=1e-4
    )
