"""The compiled orbit primitives (physics.orbit_kernels) against the numpy references they match."""

from __future__ import annotations

import numba
import numpy as np
import pytest

from orbitaldc.physics import constellation, eclipse, orbit, sun, timescale
from orbitaldc.physics import orbit_kernels as ok
from orbitaldc.physics.constants import R_EARTH_M

T0 = float(timescale.seconds_since_j2000(np.datetime64("2027-03-20")))


@numba.njit(cache=True)
def _positions(arrays, t, fast_path):  # pragma: no cover - compiled test driver
    """Positions (n_sat, n_t, 3): position_eci, or position_from_angles on orbit_angles."""
    a, e, ci, si, raan0, raan_dot, argp0, argp_dot, m0, m_dot, epoch, e_f, amp = arrays
    out = np.empty((a.shape[0], t.shape[0], 3))
    for j in range(a.shape[0]):
        orbit_j = (
            a[j],
            e[j],
            ci[j],
            si[j],
            raan0[j],
            raan_dot[j],
            argp0[j],
            argp_dot[j],
            m0[j],
            m_dot[j],
            e_f[j],
            amp[j],
        )
        for k in range(t.shape[0]):
            dt = t[k] - epoch[j]
            if fast_path:
                ul, un, uw = ok.orbit_angles(orbit_j, dt)
                out[j, k, 0], out[j, k, 1], out[j, k, 2] = ok.position_from_angles(
                    orbit_j, ul, un, uw
                )
            else:
                out[j, k, 0], out[j, k, 1], out[j, k, 2] = ok.position_eci(orbit_j, dt)
    return out


@numba.njit(cache=True)
def _stepped(arrays, t0, step, n_t):  # pragma: no cover - compiled test driver
    """Positions (n_sat, n_t, 3) of near-circular orbits by the stepper from t0 on."""
    a, e, ci, si, raan0, raan_dot, argp0, argp_dot, m0, m_dot, epoch, e_f, amp = arrays
    out = np.empty((a.shape[0], n_t, 3))
    for j in range(a.shape[0]):
        orbit_j = (
            a[j],
            e[j],
            ci[j],
            si[j],
            raan0[j],
            raan_dot[j],
            argp0[j],
            argp_dot[j],
            m0[j],
            m_dot[j],
            e_f[j],
            amp[j],
        )
        ul, un, uw = ok.orbit_angles(orbit_j, t0 - epoch[j])
        tl, tn, tw = ok.angle_turns(orbit_j, step)
        for k in range(n_t):
            if k > 0:
                ul, un, uw = ul * tl, un * tn, uw * tw
            out[j, k, 0], out[j, k, 1], out[j, k, 2] = ok.position_from_angles(orbit_j, ul, un, uw)
    return out


@numba.njit(cache=True)
def _shadow(r, s):  # pragma: no cover - compiled test driver
    """illuminated_fraction and shadow_function_m for positions r (n, 3), Sun s (n, 3)."""
    f = np.empty(r.shape[0])
    g = np.empty(r.shape[0])
    for i in range(r.shape[0]):
        f[i] = ok.illuminated_fraction(r[i, 0], r[i, 1], r[i, 2], s[i, 0], s[i, 1], s[i, 2])
        g[i] = ok.shadow_function_m(r[i, 0], r[i, 1], r[i, 2], s[i, 0], s[i, 1], s[i, 2])
    return f, g


def _mixed_fleet():
    # Circular, near-circular (with and without mean eccentricity, up to the stepper's limit) and
    # eccentric orbits (the Newton branch of in_plane), LEO to MEO, all inclinations.
    a = R_EARTH_M + np.array([550e3, 650e3, 1200e3, 800e3, 2000e3, 400e3, 20000e3])
    inc = np.radians([53.0, 97.99, 30.0, 98.0, 63.4, 0.0, 55.0])
    e = np.array([0.0, 0.005, 0.0079, 0.05, 0.3, 0.0, 0.01])
    return orbit.MeanElements(a, e, inc, [0.3, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0], 1.0, 2.0, T0 - 3e3)


def test_position_eci_equals_orbit_state_eci():
    # Same formulas in the same order: the difference is rounding of angles that grow to ~200 rad
    # over two days (2e-14 rad x 7e6 m = 1.5e-7 m), far below 1e-5 m.
    els = _mixed_fleet()
    t = T0 + np.linspace(0.0, 2 * 86400.0, 997)
    r, _ = orbit.propagate(els, t)
    ours = _positions(ok.orbit_arrays(els), t, False)
    assert np.max(np.abs(ours - r)) < 1e-5


def test_position_from_angles_and_the_stepper_equal_orbit_state_eci():
    # The stepper's path (no trigonometric call) for near-circular orbits: from the exact angles
    # (rounding as above), and stepped over a day of 60 s steps from one anchor (1,440 rotations
    # of rounding ~1e-16 rad each: below 1e-12 rad, 1e-5 m at 7,000 km).
    els = constellation.walker_delta(12, 3, 1, 550e3, np.radians(53.0), T0)
    els = orbit.MeanElements.concatenate(
        [els, orbit.MeanElements(R_EARTH_M + 800e3, 0.0079, 1.7, 0.5, 1.0, 2.0, T0 - 5e4)]
    )
    assert np.all(els.eccentricity < ok.FAST_ECCENTRICITY)
    t = T0 + np.arange(1440) * 60.0
    r, _ = orbit.propagate(els, t)
    arrays = ok.orbit_arrays(els)
    assert np.max(np.abs(_positions(arrays, t, True) - r)) < 1e-5
    assert np.max(np.abs(_stepped(arrays, t[0], 60.0, t.size) - r)) < 1e-5


def test_illuminated_fraction_and_shadow_function_match_eclipse():
    # Positions swept across the penumbra (a day of an equatorial orbit at the equinox, 1 s
    # steps) plus random ones: same formula as eclipse.illuminated_fraction, the shortcuts only
    # where the answer is exactly 0 or 1, so agreement to rounding, amplified at the penumbra's
    # edges: there arccos is taken near +-1, where a rounding of 1e-16 moves it by sqrt(2e-16),
    # 1.4e-8 rad, which is 1.4e-8 / pi = 4.5e-9 of the fraction (measured 4.8e-9): 1e-8.
    els = constellation.single(550e3, 0.0, 0.0, T0)
    t = T0 + np.arange(0.0, 86400.0, 1.0)
    r = orbit.propagate(els, t)[0][0]
    rng = np.random.default_rng(3)
    r = np.concatenate([r, rng.normal(size=(20000, 3)) * 7e6])
    r = r[np.linalg.norm(r, axis=1) > R_EARTH_M + 100e3]
    s = sun.sun_position_eci_m(np.resize(t, r.shape[0]))
    f, g = _shadow(np.ascontiguousarray(r), np.ascontiguousarray(s))
    ref = eclipse.illuminated_fraction(r, s)
    assert np.max(np.abs(f - ref)) < 1e-8
    assert np.any((ref > 0.0) & (ref < 1.0))
    # The Sun-centre shadow function (m) changes sign where eclipse.shadow_function (rad) does;
    # away from the boundary (1e-9 rad, a few mm at LEO) the signs agree exactly.
    angle = eclipse.shadow_function(r, s)
    clear = np.abs(angle) > 1e-9
    assert np.all((g[clear] < 0) == (angle[clear] < 0))
    assert np.any(angle < 0) and np.any(angle > 0)
    # Its value: distance from the Sun line minus R_E on the night side (cross product).
    u = (s - r) / np.linalg.norm(s - r, axis=1)[:, None]
    night = np.einsum("ij,ij->i", r, u) < 0
    perp = np.linalg.norm(np.cross(r, u), axis=1) - R_EARTH_M
    assert np.allclose(g[night], perp[night], rtol=0, atol=1e-6)


def test_node_frame_rotation_and_beta():
    # eci_to_node is the inverse of node_to_eci, and the Sun's normal component is sin(beta) of
    # eclipse.beta_angle_rad (same rotation written twice: rounding only).
    rng = np.random.default_rng(5)
    inc, raan = rng.uniform(0, np.pi, 50), rng.uniform(0, 2 * np.pi, 50)
    s = sun.sun_direction_eci(T0 + rng.uniform(0, 3e7, 50))
    ci, si, cn, sn = np.cos(inc), np.sin(inc), np.cos(raan), np.sin(raan)
    for i in range(50):
        x, y, z = ok.eci_to_node(*s[i], ci[i], si[i], cn[i], sn[i])
        back = ok.node_to_eci(x, y, ci[i], si[i], cn[i], sn[i])
        assert np.allclose(back, s[i], atol=1e-15 + abs(z))  # the in-plane part
        assert z == pytest.approx(np.sin(eclipse.beta_angle_rad(inc[i], raan[i], s[i])), abs=1e-15)
        assert np.hypot(np.hypot(x, y), z) == pytest.approx(1.0, abs=1e-15)


def test_expi_and_the_turn_table():
    # Taylor branches against numpy's exp(i x): both to ~1 ulp.
    x = np.concatenate([np.linspace(-1.0, 1.0, 2001), [0.02, -0.02, 0.25, -0.25]])
    ours = np.array([ok.expi(v) for v in x])
    assert np.max(np.abs(ours - np.exp(1j * x))) < 3e-16
    arrays = ok.orbit_arrays(_mixed_fleet())
    turns = ok.angle_turn_table(arrays, 60.0, 8)
    one = ok.angle_turns(tuple(np.asarray(arrays)[[0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 11, 12], 2]), 60.0)
    assert np.allclose([turns[i][2, 1] for i in range(3)], one, rtol=0, atol=1e-15)
    assert np.allclose(turns[0][:, 8], turns[0][:, 1] ** 8, rtol=0, atol=1e-14)


def test_uniform_step():
    t = T0 + np.arange(100) * 60.0
    assert ok.uniform_step_s(t) == 60.0
    assert ok.uniform_step_s(t + np.r_[np.zeros(5), 1e-7, np.zeros(94)]) == 60.0  # rounding
    assert ok.uniform_step_s(np.r_[t, t[-1] + 30.0]) is None
    assert ok.uniform_step_s(t[:1]) is None


def test_fast_paths_stay_in_the_series_branch_of_the_kepler_solve():
    # The compiled kernels' fast (rotation) paths call in_plane with lam = 0 and so rely on its
    # series branch, |e vector| < 0.01: e < FAST_ECCENTRICITY plus the J3 offset e_f, whose
    # largest value (J3 / 2 J2 at p = R_E, polar) is 1.17e-3 (ok.FAST_ECCENTRICITY).
    a = np.linspace(R_EARTH_M, R_EARTH_M + 40_000e3, 400)
    e = np.linspace(0.0, ok.FAST_ECCENTRICITY, 9)[:, None]
    inc = np.linspace(0.0, np.pi, 37)[:, None, None]
    e_f = np.abs(orbit.frozen_eccentricity(a, e, inc))
    assert e_f.max() < 1.2e-3
    assert (e + e_f).max() < 0.01


def test_orbit_row_is_the_kernels_tuple():
    # Every fleet kernel builds satellite j's orbit with orbit_row from orbit_arrays' columns; it
    # must be the per-satellite row of those arrays in ORBIT_FIELDS order (without the epoch).
    el = constellation.walker_delta(6, 3, 1, 550e3, np.radians(53.0), 0.0)
    arrays = ok.orbit_arrays(el)

    @numba.njit
    def row(a, e, ci, si, raan0, raan_dot, argp0, argp_dot, m0, m_dot, epoch, e_f, amp, j):
        return ok.orbit_row(a, e, ci, si, raan0, raan_dot, argp0, argp_dot, m0, m_dot, e_f, amp, j)

    names = list(ok.ORBIT_FIELDS)
    for j in range(6):
        got = row(*arrays, j)
        expect = tuple(float(getattr(arrays, n)[j]) for n in names)
        assert got == expect
