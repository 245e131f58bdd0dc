"""Studies (issue 14): the study spec, samplers, Monte Carlo against a closed form, Sobol'
indices of the Ishigami function, the optimiser on known optima, the batch crossover year."""

from __future__ import annotations

import itertools
import math
import tomllib
from pathlib import Path

import numpy as np
import pytest
from scipy import stats

import orbitaldc
from orbitaldc import api, study
from orbitaldc.closure import OVERRIDABLE
from orbitaldc.closure.design import cost_profile, design_arrays
from orbitaldc.economics import crossover
from orbitaldc.spec import SpecError, parse_spec
from orbitaldc.study import analysis, engines, parameters, sampling
from orbitaldc.study.distributions import Distribution
from orbitaldc.study.optimize import nsga2
from orbitaldc.study.spec import TWIN_OUTPUTS, parse_study

ROOT = Path(__file__).resolve().parents[1]
SCENARIOS = ROOT / "scenarios"


def _design(name: str):
    return orbitaldc.load_spec(SCENARIOS / f"{name}.toml")


def _study(design, parameter: list[dict], **sections) -> study.Study:
    data = {"study": {"name": "t", "design": "x.toml", **sections.pop("study", {})}}
    data["parameter"] = parameter
    data.update(sections)
    return parse_study(data, design)


# ---------------------------------------------------------------------------- the study spec


def _problems(design, parameter, **sections) -> list[tuple[str, str]]:
    with pytest.raises(SpecError) as err:
        _study(design, parameter, **sections)
    return err.value.problems


def test_unknown_path_key_and_output_name_the_field_with_a_hint():
    d = _design("suncatcher-81")
    ((path, message),) = _problems(
        d, [{"path": "launch.price_per_kgg", "low": "1 USD/kg", "high": "2 USD/kg"}]
    )
    assert path == "parameter.0.path"
    assert "did you mean 'launch.price_per_kg'" in message
    ((path, message),) = _problems(
        d, [{"path": "orbit.altitude", "low": "500 km", "high": "600 km"}], study={"sed": 1}
    )
    assert path == "study.sed" and "did you mean 'seed'" in message
    ((path, message),) = _problems(
        d,
        [{"path": "orbit.altitude", "low": "500 km", "high": "600 km"}],
        study={"outputs": ["mass_kgg"]},
    )
    assert path == "study.outputs.0" and "did you mean 'mass_kg'" in message


def test_quantities_need_their_unit_and_plain_values_refuse_one():
    d = _design("suncatcher-81")
    ((path, message),) = _problems(d, [{"path": "orbit.altitude", "low": 500, "high": "600 km"}])
    assert path == "parameter.0.low" and "needs a unit" in message
    ((path, message),) = _problems(
        d, [{"path": "economics.discount_rate", "low": "3 %", "high": 0.1}]
    )
    assert path == "parameter.0.low" and "plain number" in message
    ((path, message),) = _problems(
        d, [{"path": "orbit.altitude", "distribution": "lognormal", "median": "600 km"}]
    )
    assert path == "parameter.0.sigma" and "required" in message


def test_learning_inputs_need_the_crossover_and_twins_need_spec_keys():
    d = _design("starlink-v3-compute")
    ((path, message),) = _problems(
        d, [{"path": "economics.launch_learning_rate", "low": 0.1, "high": 0.2}]
    )
    assert path == "parameter" and "crossover_year" in message
    ((path, message),) = _problems(
        d,
        [{"path": "satellite.power.array.efficiency_bol", "low": 0.2, "high": 0.3}],
        study={"engine": "twin", "outputs": ["delivered_compute_fraction"]},
    )
    assert path == "parameter" and "twin" in message


def test_spec_paths_land_on_the_closure_input_of_that_key():
    # Independent of the table: every spec key the study can set, read from a real design spec
    # (SI) and scaled to the target's unit, is the value the closure's design arrays hold.
    for name in ("suncatcher-81", "starlink-v3-compute"):
        spec = _design(name)
        d = design_arrays(spec)
        for t in parameters.SPEC_PATHS:
            node = spec
            for key in t.spec_field:
                node = getattr(node, key)
            if node is None:
                continue
            assert t.override in OVERRIDABLE
            assert d[t.override][0] == pytest.approx(float(node) * t.from_si, rel=1e-12), t.path
    for t in parameters.targets().values():
        assert (t.override in OVERRIDABLE) != (t.learning is not None), t.path


def test_electricity_price_is_read_in_usd_per_kwh():
    d = _design("suncatcher-81")
    s = _study(
        d, [{"path": "terrestrial.electricity_price", "low": "0.05 USD/kWh", "high": "0.2 USD/kWh"}]
    )
    dist = s.spec.parameter[0].distribution_of()
    assert (dist.low, dist.high) == pytest.approx((0.05, 0.2), rel=1e-12)


# ---------------------------------------------------------------------------- samplers


def test_inverse_cdfs_match_scipy():
    # scipy.stats is the independent reference for every inverse CDF.
    u = np.linspace(0.001, 0.999, 501)
    cases = [
        (Distribution("uniform", low=2.0, high=5.0), stats.uniform(2.0, 3.0)),
        (Distribution("uniform", low=10.0, high=1000.0, scale="log"), stats.loguniform(10, 1000)),
        (Distribution("normal", mean=3.0, sd=0.5), stats.norm(3.0, 0.5)),
        (
            Distribution("normal", mean=3.0, sd=0.5, low=2.5, high=4.0),
            stats.truncnorm(-1.0, 2.0, loc=3.0, scale=0.5),
        ),
        (Distribution("lognormal", median=200.0, sigma=0.6), stats.lognorm(0.6, scale=200.0)),
        (
            Distribution("triangular", low=1.0, mode=2.0, high=5.0),
            stats.triang(0.25, loc=1.0, scale=4.0),
        ),
    ]
    for dist, ref in cases:
        np.testing.assert_allclose(dist.ppf(u), ref.ppf(u), rtol=1e-10, err_msg=dist.kind)


def test_latin_hypercube_has_one_point_per_stratum_and_grid_rows_follow_c_order():
    x = sampling.latin_hypercube(50, 3, seed=1, chunk=4)
    for k in range(3):
        assert sorted(np.floor(x[:, k] * 50).astype(int)) == list(range(50))
    axes = [np.array([1.0, 2.0]), np.array([10.0, 20.0, 30.0]), np.array([5.0])]
    rows = sampling.grid_rows(np.arange(6), axes)
    assert rows.tolist() == [list(p) for p in itertools.product(*axes)]
    assert not np.array_equal(x, sampling.latin_hypercube(50, 3, seed=1, chunk=5))
    np.testing.assert_array_equal(x, sampling.latin_hypercube(50, 3, seed=1, chunk=4))


# ---------------------------------------------------------------------------- Monte Carlo


def test_monte_carlo_percentiles_and_verdict_against_the_closed_form():
    # Starcloud at $2/W of satellite hardware, the chips lasting the mission: the cost ratio is
    # affine and increasing in the launch price p (launch cost = mass x p), so with p lognormal
    # (median m, sigma s) the ratio's quantiles are ratio(m exp(s z_q)) and
    # P(space beats ground) = Phi((ln p* - ln m) / s), p* the break-even price.
    data = tomllib.loads((SCENARIOS / "starcloud-5gw.toml").read_text())
    data["satellite"]["cost_per_watt"] = "2 USD/W"
    design = parse_spec(data)
    m, s, n = 200.0, 0.6, 20_000
    st = _study(
        design,
        [
            {
                "path": "launch.price_per_kg",
                "distribution": "lognormal",
                "median": f"{m} USD/kg",
                "sigma": s,
            }
        ],
        study={"radiation": False, "chunk": 5000, "outputs": ["space_to_ground_cost_ratio"]},
        montecarlo={"samples": n},
    )
    result = study.monte_carlo(st)
    ratio = orbitaldc.evaluate_batch(design, {"price_per_kg_usd": np.array([0.0, 100.0, 400.0])})
    a, r100, r400 = ratio["space_to_ground_cost_ratio"]
    b = (r100 - a) / 100.0
    assert r400 == pytest.approx(a + 400.0 * b, rel=1e-12)  # affine, as the closed form needs
    p_star = (1.0 - a) / b
    expected = stats.norm.cdf((math.log(p_star) - math.log(m)) / s)
    got = result.digest["p_space_beats_ground"]
    # Binomial standard error sqrt(P (1 - P) / n) ~ 0.0033: 4 of them.
    assert abs(got - expected) < 4.0 * math.sqrt(expected * (1 - expected) / n)
    assert 0.3 < expected < 0.9
    pct = result.digest["percentiles"]["space_to_ground_cost_ratio"]
    for q in (10, 50, 90):
        z = stats.norm.ppf(q / 100.0)
        closed = a + b * m * math.exp(s * z)
        # Standard error of a sample quantile: sqrt(q (1 - q) / n) / pdf, in ln p (pdf of the
        # normal at z, times s), through the affine ratio's slope; 4 standard errors.
        se_ln_p = math.sqrt(q / 100 * (1 - q / 100) / n) * s / stats.norm.pdf(z)
        tol = 4.0 * se_ln_p * b * m * math.exp(s * z)
        assert abs(pct[f"p{q}"] - closed) < tol, q


def test_crossover_year_of_the_batch_equals_the_api():
    # The batch crossover at the base design (N = 1, the profile's learning) against
    # orbitaldc.api.crossover, which costs one design the same way.
    spec = _design("starlink-v3-compute")
    fixed = {"chip_life_years": 4.0}
    years = np.arange(2025, 2061)
    ref = api.crossover(spec, years.tolist(), fixed=fixed)
    engine = engines.ClosureEngine(spec, (), ("crossover_year",), fixed)
    base = engine.closure({}, keep=crossover.NEEDS)
    profile = {k: v["value"] for k, v in cost_profile(spec).items()}
    year, space, ground, _, _ = crossover.crossover_years(
        profile, lambda o: engine.closure(o, keep=crossover.COSTS), {}, base, years
    )
    # Same elementwise formulas: rounding noise only.
    np.testing.assert_allclose(space[0], ref["space_cost_per_accelerator_hour_usd"], rtol=1e-12)
    np.testing.assert_allclose(ground[0], ref["ground_cost_per_accelerator_hour_usd"], rtol=1e-12)
    assert (None if np.isnan(year[0]) else int(year[0])) == ref["crossover_year"]
    many = engine(np.empty((3, 0)))["crossover_year"]
    np.testing.assert_array_equal(many, np.repeat(year, 3))


# ---------------------------------------------------------------------------- Sobol' indices


def test_sobol_indices_of_the_ishigami_function():
    # Ishigami & Homma (1990), a = 7, b = 0.1, x_i ~ U(-pi, pi): analytic variances (Sobol' &
    # Levitan 1999; Saltelli et al., Global Sensitivity Analysis: The Primer, 2008, sec. 4.5).
    a, b = 7.0, 0.1
    v1 = 0.5 * (1 + b * math.pi**4 / 5) ** 2
    v2 = a**2 / 8
    v13 = b**2 * math.pi**8 * (1 / 18 - 1 / 50)
    v = v1 + v2 + v13
    s1 = np.array([v1, v2, 0.0]) / v
    st = np.array([v1 + v13, v2, v13]) / v

    def ishigami(x):
        y = np.sin(x[:, 0]) + a * np.sin(x[:, 1]) ** 2 + b * x[:, 2] ** 4 * np.sin(x[:, 0])
        return {"y": y}

    dists = [Distribution("uniform", low=-math.pi, high=math.pi)] * 3
    got = analysis.sobol_indices(ishigami, dists, base=2**13, seed=5)["y"]
    # With N = 8192 base points the estimators' standard errors are ~0.01 (SALib's 95 %
    # bootstrap half-widths below are ~0.02): 0.03 is three standard errors.
    np.testing.assert_allclose(got["S1"], s1, atol=0.03)
    np.testing.assert_allclose(got["ST"], st, atol=0.03)
    assert np.all(got["S1_conf"] < 0.05) and np.all(got["ST_conf"] < 0.05)


def test_tornado_bars_are_sorted_by_swing():
    dists = [Distribution("uniform", low=0.0, high=1.0)] * 2
    unit, _ = analysis.tornado_points(dists, 0.1, 0.9)
    x = np.stack([d.ppf(unit[:, k]) for k, d in enumerate(dists)], axis=1)
    y = 1.0 * x[:, 0] + 5.0 * x[:, 1]
    bars = analysis.tornado_bars(["a", "b"], x, y)
    assert [b["parameter"] for b in bars["bars"]] == ["b", "a"]
    assert bars["bars"][0]["swing"] == pytest.approx(5.0 * 0.8)
    assert bars["base"] == pytest.approx(3.0)


# ---------------------------------------------------------------------------- the optimiser


def test_nsga2_finds_the_constrained_front_of_a_toy_problem():
    # f1 = x, f2 = 1 - sqrt(x) + y on [0, 1]^2 (ZDT1's shape); the design "closes" for
    # x >= 0.25. Known front: y = 0, x in [0.25, 1], f2 = 1 - sqrt(f1).
    def model(generation, u):
        x, y = u[:, 0], u[:, 1]
        return {"f1": x, "f2": 1.0 - np.sqrt(x) + y, "closes": (x >= 0.25).astype(float)}

    front = nsga2(model, 2, [("min", "f1"), ("min", "f2")], population=40, generations=60, seed=3)
    x, y = front.unit[:, 0], front.unit[:, 1]
    assert np.all(x >= 0.25)
    assert np.all(y < 0.02)  # a GA's residual spread; the optimum is y = 0
    assert x.min() < 0.27 and x.max() > 0.95
    np.testing.assert_allclose(
        front.objectives[:, 1], 1 - np.sqrt(front.objectives[:, 0]), atol=0.02
    )
    assert front.evaluated == 40 * 60


def test_optimize_finds_the_hottest_radiator_the_junction_allows():
    # The lightest Starlink V3 design over the radiator temperature: mass falls as the radiator
    # runs hotter (smaller area), until the accelerators' junction limit,
    # T* = T_j,max - dT_loop - dT_coldplate - P_chip u R_jc (closure check), makes it fail.
    spec = _design("starlink-v3-compute")
    d = design_arrays(spec)
    t_star = (
        d["acc_junction_max_k"][0]
        - d["coolant_loop_delta_t_k"][0]
        - d["coldplate_delta_t_k"][0]
        - d["acc_power_w"][0] * d["utilisation"][0] * d["acc_junction_to_coldplate_k_per_w"][0]
    )
    st = _study(
        spec,
        [
            {
                "path": "satellite.thermal.radiator_temperature",
                "low": "280 K",
                "high": f"{t_star + 40} K",
            }
        ],
        study={"radiation": False, "outputs": ["mass_kg"]},
        optimize={"objectives": ["min mass_kg"], "population": 16, "generations": 30},
    )
    result = study.optimize(st)
    (best,) = result.digest["front"]
    # 0.5 K of a 90 K range: the GA's resolution after 30 generations at the constraint edge.
    assert t_star - 0.5 < best["satellite.thermal.radiator_temperature"] <= t_star
    assert result.digest["evaluated"] == 16 * 30


def test_twin_outputs_are_scalar_figures_of_the_twin():
    spec = _design("suncatcher-prototype")
    sim = orbitaldc.simulate(spec, 86400.0, 60.0, radiation=False, series_satellites=0)
    figures = sim.run().summary
    for name in TWIN_OUTPUTS:
        assert isinstance(figures[name], float), name
