"""The parity solver (economics/parity.py) and api.parity: analytic roots, the reasons for no
root, elasticities, and every default lever round-tripping through the closure."""

from __future__ import annotations

import datetime as dt
import json
import math
from pathlib import Path

import numpy as np
import pytest

import orbitaldc
from orbitaldc import api, closure
from orbitaldc.economics import parity

ROOT = Path(__file__).resolve().parents[1]
PRICE = parity.Lever("p", "price", "USD/kg", 1.0, 1e5, True)
LINEAR = parity.Lever("x", "fraction", "1", 0.0, 1.0, False)


def test_power_law_root_is_found_to_the_tolerance():
    # ratio = (x / 1234.5)^-0.7 is 1 at exactly x = 1234.5; the solver stops at |ln ratio| <= 1e-10,
    # i.e. x within 1e-10 / 0.7 relative.
    found = parity.find_parity(lambda x: (x / 1234.5) ** -0.7, PRICE)
    assert found.reason is None
    assert found.value == pytest.approx(1234.5, rel=2e-10)
    assert found.ratio_at_value == pytest.approx(1.0, abs=1e-10)


def test_levers_are_solved_together_in_few_calls():
    # Three levers, three analytic ratios, one batch per step: grid + a few refinement rounds.
    roots = np.array([3.0, 0.37, 42.0])
    slopes = np.array([-1.0, 2.0, -0.3])
    calls = []

    def ratio(idx, values):
        calls.append(len(values))
        x = np.where(np.array([True, False, True])[idx], values / roots[idx], values - roots[idx])
        return np.where(
            np.array([True, False, True])[idx], x ** slopes[idx], np.exp(slopes[idx] * x)
        )

    levers = [PRICE, LINEAR, parity.Lever("q", "q", "1", 1e-3, 1e3, True)]
    out = parity.solve_levers(ratio, levers)
    assert [p.reason for p in out] == [None, None, None]
    # Each root to 1e-9 relative: the solver's 1e-10 in ln ratio over slopes >= 0.3.
    np.testing.assert_allclose([p.value for p in out], roots, rtol=1e-9)
    assert len(calls) <= 6


def test_no_root_is_explained():
    above = parity.find_parity(lambda x: 2.0 + x / 1e5, PRICE)
    assert above.value is None and above.reason.startswith("no value in [1, 100000] USD/kg")
    assert "lowest ratio 2" in above.reason
    below = parity.find_parity(lambda x: 0.5 - x / 1e6, PRICE)
    flat = parity.find_parity(lambda x: 0.5 + 0.0 * x, PRICE)
    assert flat.value is None and "does not depend" in flat.reason
    assert below.value is None and below.reason.startswith("already below parity at every value")
    bowl = parity.find_parity(lambda x: 0.5 + 4.0 * (x - 0.5) ** 2, LINEAR)
    assert bowl.value is None and bowl.reason.startswith("ratio not monotonic in range")
    nowhere = parity.find_parity(lambda x: np.full_like(x, np.nan), LINEAR)
    assert nowhere.value is None and "not finite" in nowhere.reason


def test_a_step_across_parity_is_located_and_named():
    # A ratio that jumps from 1.5 to 0.5 at x = 0.3 (one launch fewer): the step is found to
    # rounding (the bracket shrinks to a few ulp) and the reason says it is a step.
    found = parity.find_parity(lambda x: np.where(x < 0.3, 1.5, 0.5), LINEAR)
    assert found.value == pytest.approx(0.3, abs=1e-12)
    assert "steps across parity" in found.reason


def test_non_finite_ratios_are_skipped():
    # No cost below x = 0.2 (NaN), root at 0.6: found from the finite part.
    found = parity.find_parity(lambda x: np.where(x < 0.2, np.nan, 1.6 - x), LINEAR)
    assert found.value == pytest.approx(0.6, rel=1e-9)


def test_elasticity_of_a_power_law_and_the_dominant_lever():
    # ratio = x0^-0.5 * x1^2: d ln r / d ln x is exactly the exponent; the central difference in
    # ln space is exact for a power law up to rounding (~1e-13 / 1e-3).
    exps = np.array([-0.5, 2.0, 0.0])
    current = [3.0, 0.2, math.nan]

    def ratio(idx, values):
        return (values / np.asarray(current)[idx]) ** exps[idx]

    e = parity.elasticities(ratio, current)
    np.testing.assert_allclose(e[:2], exps[:2], rtol=1e-9)
    assert np.isnan(e[2])
    assert parity.dominant_lever(["a", "b", "c"], e) == "b"
    assert parity.dominant_lever(["a"], [math.nan]) is None


def test_stacked_overrides_vary_one_lever_per_row():
    table = parity.stacked_overrides(["a", "b"], [1.0, 2.0], np.array([0, 1, 1]), [5.0, 6.0, 7.0])
    np.testing.assert_array_equal(table["a"], [5.0, 1.0, 1.0])
    np.testing.assert_array_equal(table["b"], [2.0, 6.0, 7.0])


def test_lever_range_is_checked():
    with pytest.raises(ValueError, match="low > 0 for a log range"):
        parity.Lever("p", "price", "USD/kg", 0.0, 1.0, True)


def _spec(name: str, electricity_usd_per_kwh: float | None = None):
    spec = orbitaldc.load_spec(ROOT / "scenarios" / f"{name}.toml")
    spec = spec.model_copy(
        update={"mission": spec.mission.model_copy(update={"start": dt.date(2027, 6, 10)})}
    )
    if electricity_usd_per_kwh is None:
        return spec
    terrestrial = spec.terrestrial.model_copy(
        update={"electricity_price_usd_per_j": electricity_usd_per_kwh / 3.6e6}
    )
    return spec.model_copy(update={"terrestrial": terrestrial})


@pytest.fixture(scope="module")
def near_parity():
    """starlink-v3-compute compared with a ground site paying $4/kWh: space is 0.90x the
    ground, so every default lever reaches parity inside its range."""
    spec = _spec("starlink-v3-compute", 4.0)
    return spec, api.parity(spec)


def test_every_default_lever_round_trips_through_the_closure(near_parity):
    spec, block = near_parity
    assert set(block["levers"]) == {lv.name for lv in parity.DEFAULT_LEVERS}
    for name, lever in block["levers"].items():
        if name == "lv_price_usd":
            # The scenario prices launch per kg (Starship premise): the price per flight is idle.
            assert "does not depend" in lever["reason"]
            continue
        if name == "lifetime_s" and lever["reason"] is not None:
            # The cost per hour is U-shaped in the lifetime: short lives pay the capital over few
            # years, long ones lose the unrepaired accelerators (attrition). Two crossings are a
            # true answer, and the solver must say so rather than pick one.
            assert lever["reason"].startswith("ratio not monotonic"), lever["reason"]
            continue
        assert lever["reason"] is None, (name, lever["reason"])
        ratio = closure.evaluate_batch(spec, {name: [lever["value"]]})["space_to_ground_cost_ratio"]
        # The round-trip criterion: ratio 1 within 1e-6 at the solved value.
        assert ratio[0] == pytest.approx(1.0, rel=1e-6), name
        assert isinstance(lever["closes_at_value"], bool)


def test_parity_block_is_json_safe_and_cheap(monkeypatch):
    calls = []
    real = api.evaluate_batch

    def counting(spec, overrides=None):
        calls.append(overrides)
        return real(spec, overrides)

    monkeypatch.setattr(api, "evaluate_batch", counting)
    block = api.parity(_spec("suncatcher-81"))
    json.dumps(block, allow_nan=False)
    # design + grid + refinement rounds + elasticities + floor + closes check: a handful.
    assert len(calls) <= 10
    launch = block["levers"]["price_per_kg_usd"]
    assert launch["value"] is None and launch["reason"].startswith("no value in")
    assert launch["current"] is None  # priced per flight: no price per kg is set
    assert block["levers"]["lv_price_usd"]["current"] == 69.75e6
    assert block["levers"]["cost_per_watt_fixed"]["current"] is None
    assert block["elasticities"]["cost_per_watt_fixed"] is None


def test_parity_floor_is_free_launch_and_hardware():
    spec = _spec("suncatcher-81")
    block = api.parity(spec, ["price_per_kg_usd"])
    free = closure.evaluate_batch(spec, {"price_per_kg_usd": [0.0], "cost_per_watt_fixed": [0.0]})
    assert block["parity_floor"] == free["space_to_ground_cost_ratio"][0]
    # Free hardware on top of free launch can only lower the ratio.
    free_launch = closure.evaluate_batch(spec, {"price_per_kg_usd": [0.0]})
    assert block["parity_floor"] < free_launch["space_to_ground_cost_ratio"][0]


def test_electricity_elasticity_matches_the_affine_ground_cost():
    # The ground cost per hour is affine in the electricity price e, G(e) = G0 + G1 e, and the
    # space cost does not depend on it, so d ln ratio / d ln e = -G1 e / G(e) exactly; the central
    # difference's truncation error is O(1e-6) relative.
    spec = _spec("suncatcher-81")
    block = api.parity(spec, ["site_electricity_usd_per_kwh"])
    e = block["levers"]["site_electricity_usd_per_kwh"]["current"]
    g = closure.evaluate_batch(spec, {"site_electricity_usd_per_kwh": [0.0, e]})
    g0, ge = g["ground_cost_per_accelerator_hour_usd"]
    assert block["elasticities"]["site_electricity_usd_per_kwh"] == pytest.approx(
        -(ge - g0) / ge, rel=1e-5
    )
    assert block["dominant_lever"] == "site_electricity_usd_per_kwh"


def test_unknown_lever_and_terrestrial_design_are_refused():
    with pytest.raises(ValueError, match="'warp_factor' is not an overridable"):
        api.parity(_spec("suncatcher-81"), ["warp_factor"])
    with pytest.raises(ValueError, match="terrestrial design"):
        api.parity(orbitaldc.load_spec(ROOT / "scenarios" / "texas-campus.toml"))


def test_parity_of_a_sweep_equals_each_designs_parity():
    # Three variants of one design (satellite counts): the batch solver must give, per variant,
    # what the one-design solver gives for that variant's spec.
    spec = _spec("starlink-v3-compute", 4.0)
    sats = np.array([2000.0, 4000.0, 8000.0])
    levers = ["site_electricity_usd_per_kwh", "acc_unit_cost_usd"]
    table = api.parity_batch(spec, {"satellites": sats}, levers)
    assert table["value"].shape == (3, 2)
    for i, count in enumerate(sats):
        con = spec.constellation.model_copy(update={"satellites": int(count)})
        one = api.parity(spec.model_copy(update={"constellation": con}), levers)
        for k, name in enumerate(levers):
            expect = one["levers"][name]["value"]
            if expect is None:
                assert np.isnan(table["value"][i, k])
            else:
                assert table["value"][i, k] == pytest.approx(expect, rel=1e-6)
