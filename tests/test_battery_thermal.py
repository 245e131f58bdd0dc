"""Battery and thermal-network building blocks of the twin: conservation and analytic cases."""

from __future__ import annotations

import numpy as np
import pytest

from orbitaldc.physics import battery, thermal
from orbitaldc.physics.constants import R_EARTH_M, STEFAN_BOLTZMANN


def test_battery_conserves_energy_over_many_orbits():
    rng = np.random.default_rng(3)
    n, steps, dt = 50, 2000, 60.0
    cap = rng.uniform(500, 5000, n)
    e = cap * 0.9
    bus_in = stored = lost = delivered = 0.0
    e_start = e.sum()
    for k in range(steps):
        p = np.where((k % 95) < 35, -rng.uniform(100, 2000, n), rng.uniform(0, 3000, n))
        s = battery.battery_step(e, p, dt, cap, 0.8, 0.96, 0.97, max_charge_w=2500.0)
        bus_in += s.charge_w.sum() * dt / 3600
        delivered += s.discharge_w.sum() * dt / 3600
        lost += s.loss_wh.sum()
        e = s.energy_wh
    stored = e.sum() - e_start
    # In = stored + out + losses, to rounding (1e-9 relative is the bar).
    assert bus_in - delivered - lost == pytest.approx(stored, rel=1e-9, abs=1e-6)


def test_battery_never_goes_below_the_depth_of_discharge_floor():
    cap = np.array([1000.0])
    s = battery.battery_step(np.array([250.0]), np.array([-5000.0]), 600.0, cap, 0.8, 0.95, 0.95)
    # Only 50 Wh above the 200 Wh floor: 50 Wh x 0.95 over 600 s = 285 W delivered.
    assert s.energy_wh[0] == pytest.approx(200.0)
    assert s.discharge_w[0] == pytest.approx(50 * 0.95 * 3600 / 600)
    assert s.shortfall_w[0] == pytest.approx(5000.0 - s.discharge_w[0])


def test_battery_full_curtails_surplus():
    s = battery.battery_step(np.array([995.0]), np.array([3000.0]), 60.0, 1000.0, 0.8, 0.9, 0.9)
    assert s.energy_wh[0] == pytest.approx(1000.0)
    assert s.charge_w[0] == pytest.approx(5.0 / 0.9 * 60)  # 5 Wh of room through 90 % charging
    assert s.curtailed_w[0] == pytest.approx(3000.0 - s.charge_w[0])


def test_equivalent_full_cycles():
    # Three orbits discharging 30 % of capacity each: 0.9 equivalent full cycles.
    e = np.array([[1000, 700, 1000, 700, 1000, 700, 1000.0]])
    assert battery.equivalent_full_cycles(e, 1000.0)[0] == pytest.approx(0.9)


def test_two_node_relaxation_matches_the_exponential():
    # Two equal capacities joined by G: the difference decays as exp(-2 G t / C).
    c, g = 1000.0, 2.0
    tau = c / (2 * g)
    t = np.array([[350.0, 300.0]])
    dt = tau / 1000
    for _ in range(1000):
        t = thermal.thermal_step(t, [c, c], [[0, g], [g, 0]], [0, 0], [[0, 0]], dt)
    # Backward Euler's error after one tau at dt = tau/1000 is ~ dt/(2 tau) = 5e-4 relative.
    assert t[0, 0] - t[0, 1] == pytest.approx(50 * np.exp(-1.0), rel=1e-3)
    assert t.sum() == pytest.approx(650.0, rel=1e-12)  # energy conserved exactly


def test_huge_steps_stay_stable_and_monotone():
    t = np.array([[350.0, 300.0]])
    out = thermal.thermal_step(t, [1000, 1000], [[0, 2], [2, 0]], [0, 0], [[0, 0]], 1e7)
    assert 300 < out[0, 1] <= out[0, 0] < 350


def test_radiative_cooling_matches_the_closed_form():
    # C dT/dt = -eps sigma A T^4  ->  T(t) = (T0^-3 + 3 eps sigma A t / C)^(-1/3).
    c, eps_a, t0 = 5000.0, 0.8, 400.0
    t = np.array([[t0]])
    dt, n = 10.0, 600
    for _ in range(n):
        t = thermal.thermal_step(t, [c], [[0.0]], [eps_a], [[0.0]], dt)
    exact = (t0**-3 + 3 * eps_a * STEFAN_BOLTZMANN * dt * n / c) ** (-1 / 3)
    # First-order implicit scheme with dt = 10 s on a ~10^4 s time constant: < 1e-3 relative.
    assert t[0, 0] == pytest.approx(exact, rel=1e-3)


def test_steady_state_radiator_balance():
    # A chip (no radiation) feeding a radiator through 50 W/K: the radiator settles where
    # eps sigma A T^4 = Q, the chip Q/G above it.
    q, g, eps_a = 2000.0, 50.0, 2.0 * 0.85 * 3.0
    ss = thermal.steady_state([[0, g], [g, 0]], [0.0, eps_a], [[q, 0.0]])
    t_rad = (q / (STEFAN_BOLTZMANN * eps_a)) ** 0.25
    assert ss[0, 1] == pytest.approx(t_rad, rel=1e-10)
    assert ss[0, 0] - ss[0, 1] == pytest.approx(q / g, rel=1e-10)
    # The implicit stepper lands on the same steady state.
    t = np.full((1, 2), 280.0)
    for _ in range(200):
        t = thermal.thermal_step(t, [2e4, 5e4], [[0, g], [g, 0]], [0, eps_a], [[q, 0]], 600.0)
    assert np.allclose(t, ss, rtol=1e-6)


def test_bad_network_inputs_are_named():
    with pytest.raises(ValueError, match="symmetric"):
        thermal.laplacian([[0, 1], [2, 0]])
    with pytest.raises(ValueError, match="capacity_j_per_k"):
        thermal.thermal_step([[300.0]], [0.0], [[0.0]], [1.0], [[0.0]], 60.0)


def test_compiled_battery_step_equals_the_numpy_step():
    # The kernel's scalar battery against battery_step over random states and powers, including
    # both limits (full and floor): equal to an ulp (reciprocals instead of divisions).
    rng = np.random.default_rng(11)
    n = 2000
    cap = rng.uniform(500, 5000, n)
    e0 = cap * rng.uniform(0.15, 1.0, n)
    p = rng.uniform(-20000, 20000, n)
    ref = battery.battery_step(e0, p, 60.0, cap, 0.8, 0.95, 0.97)
    got = np.array(
        [
            battery.battery_step_scalar(
                e0[i], p[i], 60.0 / 3600.0, cap[i], cap[i] * 0.2, 0.95, 0.97, np.inf, np.inf
            )
            for i in range(n)
        ]
    )
    for k, field in enumerate(
        ("energy_wh", "charge_w", "discharge_w", "shortfall_w", "curtailed_w", "loss_wh")
    ):
        np.testing.assert_allclose(got[:, k], getattr(ref, field), rtol=1e-13, atol=1e-9)


def test_reduced_step_equals_the_dense_implicit_step():
    # Schur complement on the non-radiating nodes against thermal_step's dense solve, on random
    # networks with two radiating nodes (one of them isolated, like the twin's array): rounding.
    rng = np.random.default_rng(5)
    for _ in range(5):
        g = np.triu(rng.uniform(0, 80, (5, 5)), 1)
        g[3, :] = 0.0
        g = g + g.T
        c = rng.uniform(1e4, 2e5, 5)
        eps_a = np.array([0.0, 0.0, 40.0, 9.0, 0.0])
        t0 = rng.uniform(200, 360, (8, 5))
        q = rng.uniform(0, 5000, (8, 5))
        ops = thermal.reduced_operators(c, g, eps_a, 60.0)
        np.testing.assert_allclose(
            thermal.reduced_step(t0, q, ops),
            thermal.thermal_step(t0, c, g, eps_a, q, 60.0),
            rtol=1e-12,
        )
    with pytest.raises(ValueError, match="capacity_j_per_k"):
        thermal.reduced_operators([1.0, -1.0], np.zeros((2, 2)), [1.0, 0.0], 60.0)


def _view_factor_by_quadrature(altitude_m, cos_tilt, n=1500):
    """Midpoint quadrature of cos(theta)/pi over the hemisphere directions that hit Earth.

    Directions at polar angle theta from the plate normal (tilted from nadir by acos(cos_tilt))
    and azimuth phi about it; one hits Earth when its nadir component exceeds cos of the Earth
    disc's angular radius, sqrt(1 - (R / (R + h))^2).
    """
    sin_tilt = np.sqrt(1.0 - cos_tilt**2)
    th = (np.arange(n) + 0.5) / n * np.pi / 2
    ph = (np.arange(2 * n) + 0.5) / (2 * n) * 2 * np.pi
    nadir = np.cos(th)[:, None] * cos_tilt - np.sin(th)[:, None] * np.cos(ph) * sin_tilt
    hits = nadir > np.sqrt(1.0 - (R_EARTH_M / (R_EARTH_M + altitude_m)) ** 2)
    weight = np.cos(th) * np.sin(th) * (np.pi / 2 / n) * (np.pi / n) / np.pi
    return float((weight[:, None] * hits).sum())


def test_tilted_plate_view_factor_matches_howell_cases_and_quadrature():
    h = 650e3
    # Howell's catalog closed forms at 650 km, worked by hand from H = (R + h) / R = 1.1019106:
    # facing nadir (B-29) 1 / H^2 = 0.823583; edge-on (B-30 at 90 deg) (atan(1 / sqrt(H^2 - 1)) -
    # sqrt(H^2 - 1) / H^2) / pi = 0.240691. Six digits: 5e-7.
    assert thermal.earth_view_factor_plate(h, 1.0) == pytest.approx(0.823583, abs=5e-7)
    assert thermal.earth_view_factor_plate(h, 0.0) == pytest.approx(0.240691, abs=5e-7)
    assert thermal.earth_view_factor_plate(h, -1.0) == 0.0
    # Independent reference: direct quadrature over the hemisphere (1500 x 3000 midpoints: the
    # Earth-disc boundary error is ~1e-5 absolute where the boundary cuts the grid obliquely;
    # facing nadir it runs along a grid line and the error is 5.5e-5, so that case is the
    # closed form's above).
    for c in (0.9, 0.5, 0.2, 0.0, -0.2, -0.35):
        assert thermal.earth_view_factor_plate(h, c) == pytest.approx(
            _view_factor_by_quadrature(h, c), abs=2e-5
        )


def test_view_factor_table_interpolates_within_2e_5():
    from orbitaldc.twin.design import VIEW_TABLE_SIZE

    h = 550e3
    grid = np.linspace(-1.0, 1.0, VIEW_TABLE_SIZE)
    table = thermal.earth_view_factor_plate(h, grid)
    x = np.random.default_rng(2).uniform(-1, 1, 20000)
    err = np.abs(np.interp(x, grid, table) - thermal.earth_view_factor_plate(h, x))
    assert err.max() < 2e-5
