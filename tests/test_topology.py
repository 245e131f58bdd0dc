"""Topology over time: the Suncatcher lattice, the +grid of a Walker shell, line of sight."""

from __future__ import annotations

import numpy as np
import pytest

from orbitaldc import catalog
from orbitaldc.network import topology
from orbitaldc.physics import constellation, formation, orbit
from orbitaldc.physics.constants import R_EARTH_M

ALTITUDE_M = 650e3
A_M = R_EARTH_M + ALTITUDE_M


@pytest.fixture(scope="module")
def suncatcher():
    """The 81-satellite Suncatcher cluster over one orbit (721 samples), and its times."""
    inclination = float(orbit.sun_synchronous_inclination_rad(A_M))
    chief = constellation.single(ALTITUDE_M, inclination, 0.3, 0.0)
    offsets = formation.lattice_offsets(81, 1000.0, "suncatcher")
    t = np.linspace(0.0, float(orbit.period_s(A_M)), 721)
    r, _ = orbit.propagate(formation.hcw_cluster(chief, offsets), t)
    return r, t, offsets


def _lattice_neighbours(r):
    """Pairs 100 m apart at t = 0: the radial neighbours of the lattice."""
    d0 = topology.pair_distances_m(r[:, :1])[:, :, 0]
    i, j = np.nonzero(np.triu(np.abs(d0 - 100.0) < 1.0, 1))
    return np.stack([i, j], axis=-1)


def test_suncatcher_neighbour_distances_oscillate_100_to_200_m_twice_per_orbit(suncatcher):
    # arXiv 2511.19468 sec. 4.1: nearest-neighbour distances oscillate between about 100 m and
    # 200 m twice per orbit. In HCW the lattice turns once per orbit in the (radial,
    # along-track / 2) plane, so a 100 m radial pitch becomes a 200 m along-track one after a
    # quarter orbit. The propagated orbits (J2, J3) must give 100 and 200 m to 1 m (the paper's
    # "about"; the model gives them to 0.02 m) with exactly two maxima per orbit.
    r, _, _ = suncatcher
    pairs = _lattice_neighbours(r)
    # Radial neighbours: 2 floor(sqrt(25 - j^2)) pairs in along-track row j, 10 + 2 (8+8+8+6).
    assert len(pairs) == 70
    d = topology.link_distance_m(r, pairs)
    np.testing.assert_allclose(d.min(axis=1), 100.0, atol=1.0)
    np.testing.assert_allclose(d.max(axis=1), 200.0, atol=1.0)
    peaks = (d[:, 1:-1] > d[:, :-2]) & (d[:, 1:-1] >= d[:, 2:])
    np.testing.assert_array_equal(peaks.sum(axis=1), 2)
    # The nearest neighbour of every satellite stays within the same 100-200 m band.
    nn = topology.nearest_neighbour_distance_m(r)
    assert nn.min() == pytest.approx(100.0, abs=1.0) and nn.max() == pytest.approx(200.0, abs=1.0)


def test_suncatcher_distances_follow_the_hcw_solution(suncatcher):
    # Independent reference: the analytic drift-free HCW ellipses (Clohessy & Wiltshire 1960).
    # Over one orbit the differential J2/J3 terms the propagator adds move 100-200 m baselines
    # by centimetres, so 0.5 m.
    r, t, offsets = suncatcher
    pairs = _lattice_neighbours(r)
    amplitude, phase = formation.hcw_amplitude_phase(offsets)
    x, y = formation.hcw_relative_state(amplitude, phase, float(orbit.mean_motion_rad_s(A_M)), t)
    hcw = np.hypot(x[pairs[:, 0]] - x[pairs[:, 1]], y[pairs[:, 0]] - y[pairs[:, 1]])
    np.testing.assert_allclose(topology.link_distance_m(r, pairs), hcw, atol=0.5)


def test_cluster_links_respect_terminals_and_close_dwdm(suncatcher):
    r, _, _ = suncatcher
    links, up = topology.nearest_neighbour_links(r, 4)
    per_satellite = np.stack(
        [np.bincount(links[up[:, k]].ravel(), minlength=81) for k in range(up.shape[1])]
    )
    assert per_satellite.max() <= 4 and per_satellite.min() >= 1
    series = topology.link_series(r, links, catalog.get("terminals", "suncatcher-dwdm"), up)
    # Every up link is 100-200 m long: deep in the near field, all 24 x 400G channels close.
    assert np.all(series.capacity_bps[series.up] == 9.6e12)
    assert np.all(series.capacity_bps[~series.up] == 0.0)
    assert np.all(topology.bisection_bandwidth_bps(r, series) >= 9.6e12)


def test_bisection_of_a_ladder():
    # Independent reference by hand: a 4 x 2 ladder (100 m rungs along x, 50 m apart in y) has
    # its long axis along x; the cut between x = 100 and x = 200 m crosses the two rails' middle
    # links and no rung: 2 x 1 Tbps.
    x = np.repeat([0.0, 100.0, 200.0, 300.0], 2)
    y = np.tile([0.0, 50.0], 4)
    r = np.stack([A_M + x, y, np.zeros(8)], axis=-1)[:, None, :]
    rails = [(k, k + 2) for k in range(6)]
    rungs = [(k, k + 1) for k in range(0, 8, 2)]
    links = np.array(rails + rungs)
    ones = np.ones((len(links), 1))
    series = topology.LinkSeries(links, ones, ones.astype(bool), 1e12 * ones)
    assert topology.bisection_bandwidth_bps(r, series)[0] == pytest.approx(2e12)
    np.testing.assert_array_equal(topology.bisection_sides(r)[:, 0], x >= 200.0)


def test_plus_grid_of_a_walker_shell():
    # A 12 x 12 Walker delta (F = 0): four links per satellite; in-plane links are chords of
    # 1/12 of the circle, 2 a sin(pi / 12), at every time (the pure J2-secular orbit keeps the
    # radius exactly a; 1e-9 relative is float rounding); at t = 0 slot 0 of every plane sits on
    # the equator, where the cross-plane chord is 2 a sin(pi / 12) (node spacing 30 deg).
    n_planes, per_plane = 12, 12
    n = n_planes * per_plane
    sats = constellation.walker_delta(n, n_planes, 0, 550e3, np.radians(53.0), 0.0)
    a = R_EARTH_M + 550e3
    t = np.linspace(0.0, float(orbit.period_s(a)), 97)
    r, _ = orbit.propagate(sats, t, periodic_terms=False)
    links = topology.plus_grid_links(n_planes, per_plane)
    np.testing.assert_array_equal(np.bincount(links.ravel(), minlength=n), 4)
    d = topology.link_distance_m(r, links)
    in_plane = d[: n_planes * per_plane]
    np.testing.assert_allclose(in_plane, 2 * a * np.sin(np.pi / per_plane), rtol=1e-9)
    cross = d[n_planes * per_plane :]
    slot0 = np.arange(n_planes) * per_plane
    assert np.all(np.isin(slot0, links[n_planes * per_plane :, 0]))
    np.testing.assert_allclose(cross[::per_plane, 0], 2 * a * np.sin(np.pi / n_planes), rtol=1e-9)
    series = topology.link_series(r, links, catalog.get("terminals", "starlink-laser"))
    assert series.up.all() and np.all(series.capacity_bps > 0)
    # With 8 a plane the in-plane chord (45 deg) dips to a cos(22.5 deg) = 6,401 km from the
    # centre, below R_E + 80 km: every in-plane link of such a sparse shell is blocked.
    sparse = constellation.walker_delta(48, 6, 0, 550e3, np.radians(53.0), 0.0)
    r_sparse, _ = orbit.propagate(sparse, t[:5], periodic_terms=False)
    sparse_links = topology.plus_grid_links(6, 8)[:48]
    terminal = catalog.get("terminals", "starlink-laser")
    assert not topology.link_series(r_sparse, sparse_links, terminal).up.any()
    # Without the wrap (a Walker star's seam), the edge planes keep three links a satellite.
    open_grid = topology.plus_grid_links(n_planes, per_plane, wrap_planes=False)
    counts = np.bincount(open_grid.ravel(), minlength=n).reshape(n_planes, per_plane)
    np.testing.assert_array_equal(counts[[0, -1]], 3)
    np.testing.assert_array_equal(counts[1:-1], 4)


def test_line_of_sight():
    r = np.array([A_M, 0.0, 0.0])
    # Antipodal satellites: the line passes through Earth's centre.
    assert not topology.line_of_sight_clear(r, -r)
    assert topology.segment_min_radius_m(r, -r) == pytest.approx(0.0, abs=1e-6)
    assert topology.line_of_sight_clear(r, r + [0.0, 1000.0, 0.0])
    # Both ends beyond the tangent point: the nearest point is an end.
    assert topology.segment_min_radius_m(r, 1.5 * r) == pytest.approx(A_M)
    # Two satellites at radius a, central angle phi: the chord's nearest point is at
    # a cos(phi / 2), so the link clears R_E + 80 km up to phi_max = 2 acos((R_E + 80 km) / a),
    # where the chord is the two tangent legs (max_line_of_sight_range_m).
    phi_max = 2 * np.arccos((R_EARTH_M + 80e3) / A_M)
    at = [
        A_M * np.array([np.cos(phi), np.sin(phi), 0.0])
        for phi in (phi_max * (1 - 1e-6), phi_max * (1 + 1e-6))
    ]
    assert topology.line_of_sight_clear(r, at[0]) and not topology.line_of_sight_clear(r, at[1])
    chord = 2 * A_M * np.sin(phi_max / 2)
    assert topology.max_line_of_sight_range_m(A_M, A_M) == pytest.approx(chord, rel=1e-12)
    # A blocked link carries nothing.
    positions = np.stack([r, -r, at[0]])[:, None, :]
    series = topology.link_series(
        positions, np.array([[0, 1], [0, 2]]), catalog.get("terminals", "rf-ka-isl")
    )
    np.testing.assert_array_equal(series.up[:, 0], [False, True])
    assert series.capacity_bps[0, 0] == 0.0 and series.capacity_bps[1, 0] > 0.0


def test_terminal_range_limit():
    # The Starlink terminal closes 100 Gbps at 5,400 km (its reported range) and is cut beyond.
    starlink = catalog.get("terminals", "starlink-laser")
    capacity = topology.link_capacity_bps(starlink, [1.0e6, 5.4e6, 5.5e6])
    np.testing.assert_array_equal(capacity, [200e9, 100e9, 0.0])


def test_cluster_links_against_a_python_matching():
    # Independent reference: the greedy matching written as a plain loop over sorted pairs with
    # Python sets, on a random 30-satellite cloud at 5 times; the compiled kernel must agree
    # link for link (distances are distinct with probability 1, so the order is unambiguous).
    rng = np.random.default_rng(7)
    r = np.array([A_M, 0.0, 0.0]) + rng.normal(0.0, 500.0, size=(30, 5, 3))
    links, up = topology.nearest_neighbour_links(r, 3)
    for k in range(5):
        d = {(a, b): np.linalg.norm(r[a, k] - r[b, k]) for a in range(30) for b in range(a + 1, 30)}
        used, chosen = dict.fromkeys(range(30), 0), set()
        for a, b in sorted(d, key=d.get):
            if used[a] < 3 and used[b] < 3:
                chosen.add((a, b))
                used[a] += 1
                used[b] += 1
        assert {tuple(p) for p in links[up[:, k]].tolist()} == chosen
