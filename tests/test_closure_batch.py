"""The closure's batch path: the blocked annual eclipse kernel against a plain numpy reference,
and the chunked, threaded ``evaluate_batch`` against the unchunked chain on full arrays."""

from __future__ import annotations

from pathlib import Path

import numba
import numpy as np
import pytest

import orbitaldc
from orbitaldc.closure import batch, design, kernel
from orbitaldc.physics import eclipse
from orbitaldc.physics.constants import R_EARTH_M, SECONDS_PER_YEAR
from orbitaldc.physics.orbit import (
    frozen_eccentricity,
    j2_secular_rates,
    raan_from_ltan_rad,
    short_period_radius_amplitude_m,
    sun_synchronous_inclination_rad,
)
from orbitaldc.physics.sun import sun_direction_eci

ROOT = Path(__file__).resolve().parents[1]
START_S = 8.2e8  # 2026


def _shadow_arc_reference(rho2, q, e_f, cos2, sx, sy):
    """Shadow fraction of one orbit (eclipse._shadow_arc's model) in numpy, with ``np.arccos``."""
    with np.errstate(divide="ignore", invalid="ignore"):
        inv_cos2 = 1.0 / cos2
        cx, cy = -sx * np.sqrt(inv_cos2), -sy * np.sqrt(inv_cos2)

        def eps(s):
            return -e_f * s + e_f * e_f * (s * s - 1.0) + q * (1.0 - 2.0 * s * s)

        def k2_of(e):
            return 1.0 - rho2 * (1.0 - e * (2.0 - e * (3.0 - 4.0 * e)))

        k2 = k2_of(eps(cy))
        cos_p = np.sqrt(k2 * inv_cos2)
        sin_p = np.sqrt(1.0 - cos_p * cos_p)
        mean_eps = 0.5 * (eps(cy * cos_p + cx * sin_p) + eps(cy * cos_p - cx * sin_p))
        cos_arc = np.sqrt(np.minimum(np.maximum(k2_of(mean_eps), 0.0) * inv_cos2, 1.0))
        lam_arc = 2.0 * np.arccos(cos_arc) - 4.0 * e_f * cy * sin_p
        f = np.maximum(lam_arc, 0.0) / (2.0 * np.pi)
    return np.where((cos2 > 0.0) & (k2 < cos2), f, 0.0)


def _annual_reference(a, inc, raan0, step_s=86400.0):
    """annual_eclipse_statistics' model in numpy: every daily sample kept as a (step, orbit)
    array, the node turned by ``np.exp(1j x)``, the extremes found with argmin/any."""
    dt = np.arange(0.0, SECONDS_PER_YEAR, step_s)
    sun = sun_direction_eci(START_S + dt)
    raan_dot, argp_dot, m_dot = j2_secular_rates(a, 0.0, inc)
    e_f = frozen_eccentricity(a, 0.0, inc)
    amp = short_period_radius_amplitude_m(a, 0.0, inc)
    rho2, q = (R_EARTH_M / a) ** 2, amp / a
    k2_min = 1.0 - (R_EARTH_M / (a * (1.0 - np.abs(e_f)) - np.abs(amp))) ** 2
    ci, si = np.cos(inc), np.sin(inc)
    node, turn = np.exp(1j * raan0), np.exp(1j * raan_dot * step_s)
    sx, sy, sb = (np.empty((dt.size, a.size)) for _ in range(3))
    for m, (x, y, z) in enumerate(sun):
        cn, sn = node.real, node.imag
        sx[m], sy[m] = x * cn + y * sn, ci * (y * cn - x * sn) + si * z
        sb[m] = si * (x * sn - y * cn) + ci * z
        node = node * turn
    cos2 = 1.0 - sb * sb
    f = np.where(k2_min < cos2, _shadow_arc_reference(rho2, q, e_f, cos2, sx, sy), 0.0)
    cols = np.arange(a.size)
    best = np.argmin(np.abs(sb), axis=0)
    b0 = sb[np.maximum(best - 1, 0), cols]
    b1 = sb[best, cols]
    b2 = sb[np.minimum(best + 1, dt.size - 1), cols]
    with np.errstate(divide="ignore", invalid="ignore"):
        curvature = b0 - 2.0 * b1 + b2
        vertex = b1 - 0.125 * (b2 - b0) ** 2 / curvature
    refined = np.where(
        (curvature != 0.0) & (np.abs(vertex) <= np.abs(b1)), np.abs(vertex), np.abs(b1)
    )
    crosses = np.any((sb[1:] < 0.0) != (sb[:-1] < 0.0), axis=0)
    sb_min = np.where(crosses, 0.0, refined)
    sxb, syb = sx[best, cols], sy[best, cols]
    scale = np.sqrt(1.0 - sb_min**2) / np.hypot(sxb, syb)
    f_vertex = _shadow_arc_reference(rho2, q, e_f, 1.0 - sb_min**2, sxb * scale, syb * scale)
    f_max = np.maximum(f.max(axis=0), f_vertex)
    period = 2.0 * np.pi / (m_dot + argp_dot)
    return {
        "sunlit_fraction_mean": 1.0 - f.sum(axis=0) / dt.size,
        "sunlit_fraction_min": 1.0 - f_max,
        "max_eclipse_s": f_max * period,
        "eclipse_orbits": (f > 0.0).sum(axis=0) * step_s / period,
        "beta_min_abs_rad": np.arcsin(np.minimum(sb_min, 1.0)),
        "beta_max_abs_rad": np.arcsin(np.minimum(np.abs(sb).max(axis=0), 1.0)),
    }


def test_acos_unit_is_arccos_to_two_ulp():
    # fdlibm's approximation is within 1 ulp; with the final rounding 2 ulp (4.4e-16 relative)
    # of numpy's arccos, itself within 1 ulp, over [0, 1] and at its ends.
    x = np.concatenate([np.linspace(0.0, 1.0, 200_001), [0.5, np.nextafter(0.5, 1.0), 1.0]])
    ours = np.array([eclipse._acos_unit(v) for v in x])
    ref = np.arccos(x)
    assert ours[-1] == 0.0
    assert np.all(np.abs(ours - ref) <= 2.0 * np.spacing(ref))


def test_blocked_annual_kernel_equals_the_numpy_reference():
    # 700 orbits (five blocks and a partial one) of every kind: LEO to 2,000 km, prograde,
    # polar and retrograde, sun-synchronous at dawn-dusk (some never in shadow). Against the independent reference the
    # fractions and extremes agree to 1e-12 relative (measured 5e-16: the arccos ulps through
    # the shadow arc), the eclipse counts exactly.
    rng = np.random.default_rng(7)
    n = 700
    a = R_EARTH_M + rng.uniform(300e3, 2000e3, n)
    inc = rng.uniform(0.0, np.pi, n)
    raan0 = rng.uniform(0.0, 2.0 * np.pi, n)
    inc[:100] = sun_synchronous_inclination_rad(a[:100])
    raan0[:100] = raan_from_ltan_rad(18.0, START_S)
    ours = eclipse.annual_eclipse_statistics(a, inc, raan0, START_S)
    ref = _annual_reference(a, inc, raan0)
    assert np.any(ours["max_eclipse_s"] == 0.0) and np.any(ours["max_eclipse_s"] > 0.0)
    np.testing.assert_array_equal(ours["eclipse_orbits"], ref["eclipse_orbits"])
    for name in ref:
        np.testing.assert_allclose(ours[name], ref[name], rtol=1e-12, atol=1e-15, err_msg=name)


@pytest.fixture(scope="module")
def spec():
    return orbitaldc.load_spec(ROOT / "scenarios" / "suncatcher-81.toml")


def _variants(spec, n, seed):
    """Overrides of n designs: altitude, radiator temperature, launch price (NaN: per flight),
    chip life (NaN: the design life), satellite count, discount rate."""
    rng = np.random.default_rng(seed)
    price = rng.uniform(100.0, 5000.0, n)
    price[rng.random(n) < 0.3] = np.nan
    life = rng.uniform(0.5, 8.0, n)
    life[rng.random(n) < 0.5] = np.nan
    return {
        "altitude_m": rng.uniform(450e3, 1400e3, n),
        "radiator_temperature_k": rng.uniform(200.0, 420.0, n),
        "price_per_kg_usd": price,
        "chip_life_years": life,
        "satellites": np.round(rng.uniform(1.0, 200.0, n)),
        "discount_rate": rng.uniform(0.0, 0.12, n),
    }


def _assert_columns_equal(ours, ref):
    assert list(ours) == list(ref)
    for name, expected in ref.items():
        got = ours[name]
        assert got.shape == np.shape(expected) and got.dtype == np.float64, name
        # Shared inputs are computed once as numpy floats instead of N times in arrays: a
        # transcendental of a numpy float and of an array element may differ by an ulp (measured:
        # 3.4e-16 on the battery's depth of discharge, nothing else). 1e-14 leaves room for a
        # subtraction; 1e-15 absolute for the margins whose exact value is 0.
        np.testing.assert_allclose(got, expected, rtol=1e-14, atol=1e-15, err_msg=name)


def test_chunked_threaded_batch_equals_the_unchunked_chain(spec, monkeypatch):
    # Four chunks over two threads against the chain run once on the full (N,) arrays of every
    # input, as evaluate_batch did before it chunked.
    monkeypatch.setattr(batch, "CHUNK_DESIGNS", 2500)
    overrides = _variants(spec, 9000, seed=3)
    full = design.design_arrays(spec, overrides)
    ref = {**full, **kernel.close(full)}
    ours = orbitaldc.evaluate_batch(spec, overrides)
    assert ours["closes"].min() == 0.0 and ours["closes"].max() == 1.0
    _assert_columns_equal(ours, ref)


def test_batch_values_do_not_depend_on_the_thread_count(spec, monkeypatch):
    monkeypatch.setattr(batch, "CHUNK_DESIGNS", 1000)
    overrides = _variants(spec, 3000, seed=4)
    results = []
    for threads in (1, 2):
        previous = numba.get_num_threads()
        numba.set_num_threads(min(threads, numba.config.NUMBA_NUM_THREADS))
        try:
            results.append(orbitaldc.evaluate_batch(spec, overrides))
        finally:
            numba.set_num_threads(previous)
    for name, column in results[0].items():
        np.testing.assert_array_equal(column, results[1][name], err_msg=name)


def test_terrestrial_batch_equals_the_unchunked_chain(monkeypatch):
    monkeypatch.setattr(batch, "CHUNK_DESIGNS", 700)
    texas = orbitaldc.load_spec(ROOT / "scenarios" / "texas-campus.toml")
    rng = np.random.default_rng(5)
    overrides = {
        "site_pue": rng.uniform(1.05, 1.6, 2000),
        "site_electricity_usd_per_kwh": rng.uniform(0.02, 0.3, 2000),
    }
    full = design.design_arrays(texas, overrides)
    _assert_columns_equal(
        orbitaldc.evaluate_batch(texas, overrides), {**full, **kernel.close(full)}
    )


def test_shared_columns_are_read_only_views(spec, monkeypatch):
    # Only altitude varies: an input no override touches (the lifetime), and a result that depends
    # on such inputs only (the ground's cost per hour), are one value broadcast to N designs; what
    # depends on altitude is stored per design, across chunks.
    monkeypatch.setattr(batch, "CHUNK_DESIGNS", 40)
    out = orbitaldc.evaluate_batch(spec, {"altitude_m": np.linspace(500e3, 1200e3, 100)})
    one = orbitaldc.closure.close_design(spec).figures
    for name in ("lifetime_s", "ground_cost_per_accelerator_hour_usd"):
        assert out[name].shape == (100,) and not out[name].flags.writeable
        assert np.all(out[name] == one[name])
    for name in ("altitude_m", "mass_kg", "max_eclipse_s"):
        assert out[name].flags.writeable and np.unique(out[name]).size > 50


def test_outputs_selects_columns(spec):
    overrides = _variants(spec, 50, seed=6)
    every = orbitaldc.evaluate_batch(spec, overrides)
    some = orbitaldc.evaluate_batch(spec, overrides, outputs=["mass_kg", "closes", "altitude_m"])
    assert list(some) == ["mass_kg", "closes", "altitude_m"]
    for name, column in some.items():
        np.testing.assert_array_equal(column, every[name])
    with pytest.raises(ValueError, match="did you mean 'mass_kg'"):
        orbitaldc.evaluate_batch(spec, overrides, outputs=["mass_kgs"])


def test_scalar_path_equals_a_batch_row(spec):
    # evaluate() closes one design through the same chain; its full-precision figures are the
    # batch's first row exactly when the batch shares the same inputs.
    figures = orbitaldc.closure.close_design(spec).figures
    row = orbitaldc.evaluate_batch(spec, {"altitude_m": np.full(3, figures["altitude_m"])})
    for name, value in figures.items():
        assert row[name][0] == pytest.approx(value, rel=1e-15, abs=0.0, nan_ok=True), name
