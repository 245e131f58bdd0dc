"""The economics (docs/economics.md): cost relations against their formulas and independent sums,
launch per flight, chip life and attrition, both sides costed alike, the cost profiles."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path

import numpy as np
import pytest

import orbitaldc
from orbitaldc import catalog
from orbitaldc.economics import costs
from orbitaldc.physics.constants import SECONDS_PER_YEAR
from orbitaldc.spec import SpecError, parse_spec

ROOT = Path(__file__).resolve().parents[1]


def _data(name: str) -> dict:
    return tomllib.loads((ROOT / "scenarios" / f"{name}.toml").read_text())


def test_capital_recovery_factor_repays_the_capital():
    # Definition, independent of the closed form: the present value of n payments of CRF is 1.
    for r, n in [(0.07, 5.0), (0.03, 20.0), (0.15, 1.0)]:
        crf = float(costs.capital_recovery_factor(r, n))
        pv = sum(crf / (1 + r) ** t for t in range(1, int(n) + 1))
        assert pv == pytest.approx(1.0, rel=1e-12)
    # r -> 0: straight-line recovery 1/n, and continuous: CRF = 1/n + r (n + 1) / (2 n) + O(r^2).
    assert float(costs.capital_recovery_factor(0.0, 4.0)) == 0.25
    assert float(costs.capital_recovery_factor(2e-9, 4.0)) == pytest.approx(
        0.25 + 2e-9 * 5 / 8, rel=1e-14
    )


def test_present_value_of_a_series_is_the_explicit_sum():
    for r, interval, count in [(0.07, 2.7, 3), (0.0, 1.0, 4), (0.1, 0.5, 0)]:
        explicit = sum((1 + r) ** (-k * interval) for k in range(1, count + 1))
        assert float(costs.present_value_of_series(r, interval, count)) == pytest.approx(
            explicit, abs=1e-12
        )


@pytest.mark.parametrize(
    "rate,spares,years", [(0.091, 0.0, 5.0), (0.091, 0.1, 5.0), (0.3, 0.5, 3.0)]
)
def test_mean_working_fraction_against_numerical_integration(rate, spares, years):
    # Exponential survival (1 + s) exp(-lambda t), capped at 1 while spares last, averaged by a
    # fine trapezoid: the closed form must agree to the quadrature's error (~1e-9 at 2e5 points).
    lam = -np.log1p(-rate)
    t = np.linspace(0.0, years, 200_001)
    working = np.minimum(1.0, (1.0 + spares) * np.exp(-lam * t))
    numeric = np.trapezoid(working, t) / years
    assert float(costs.mean_working_fraction(rate, spares, years)) == pytest.approx(
        numeric, abs=1e-8
    )
    assert float(costs.mean_working_fraction(0.0, spares, years)) == 1.0


def test_launch_is_priced_per_flight():
    # suncatcher-81 flies as many Falcon 9s as its 81 satellites need (payload to 650 km SSO and
    # fairing volume), each at the $69.75 M list price (SpaceX Capabilities & Services 2024,
    # launchers.toml), not its mass times $/kg.
    s = orbitaldc.evaluate(orbitaldc.load_spec(ROOT / "scenarios" / "suncatcher-81.toml"))
    lv = s["launch"]
    assert lv["pricing"] == "per-flight"
    assert lv["launches"] == np.ceil(81 / lv["satellites_per_launch"]) >= 3
    assert lv["cost_usd"] == pytest.approx(lv["launches"] * 69.75e6)
    # The effective price per kg launched: the flights' cost over the fleet's mass (rounded).
    assert lv["price_usd_per_kg"] == pytest.approx(
        lv["cost_usd"] / (s["fleet"]["mass_t"] * 1e3), rel=1e-4
    )


def test_a_light_payload_flies_rideshare():
    spec = orbitaldc.load_spec(ROOT / "scenarios" / "starcloud-1.toml")
    s = orbitaldc.evaluate(spec)
    price = catalog.cost_profile("heritage").rideshare_price_usd_per_kg.value
    assert s["launch"]["pricing"] == "rideshare"
    # The summary's mass is rounded to 0.01 kg.
    assert s["launch"]["cost_usd"] == pytest.approx(s["satellite"]["mass_kg"] * price, rel=1e-4)


def test_chips_dying_at_year_3_of_5_cost_more_than_chips_that_last():
    spec = orbitaldc.load_spec(ROOT / "scenarios" / "suncatcher-81.toml")
    b = orbitaldc.evaluate_batch(spec, {"chip_life_years": [3.0, np.nan, 5.0]})
    assert list(b["fleet_rebuilds"]) == [1.0, 0.0, 0.0]
    assert b["cost_per_accelerator_hour_usd"][0] > 1.3 * b["cost_per_accelerator_hour_usd"][1]
    assert b["cost_per_accelerator_hour_usd"][1] == b["cost_per_accelerator_hour_usd"][2]


def test_the_verdict_names_chips_that_die_early():
    # starcloud-5gw's chips reach their dose limit after ~2.7 of 10 years (radiation chain).
    result = orbitaldc.run(orbitaldc.load_spec(ROOT / "scenarios" / "starcloud-5gw.toml"))
    e = result.summary["economics"]
    assert e["chip_life_years"] == pytest.approx(
        result.radiation.summary["lifetime_years"], abs=1e-3
    )
    assert e["fleet_rebuilds"] == 3
    assert any("rebuilt" in note for note in e["notes"])
    # parity and crossover are priced with the same short-lived chips.
    assert e["crossover"]["space_cost_per_accelerator_hour_usd"][0] == pytest.approx(
        e["cost_per_accelerator_hour_usd"], rel=1e-4
    )
    assert e["parity"]["ratio"] == pytest.approx(e["space_to_ground_cost_ratio"], rel=1e-4)


def test_levelised_cost_at_zero_discount_is_lifetime_cost_over_lifetime_hours():
    spec = orbitaldc.load_spec(ROOT / "scenarios" / "starlink-v3-compute.toml")
    b = orbitaldc.evaluate_batch(spec, {"discount_rate": [0.0]})
    space = b["lifetime_cost_usd"][0] / b["accelerator_hours"][0]
    ground = b["ground_lifetime_cost_usd"][0] / b["ground_accelerator_hours"][0]
    assert b["cost_per_accelerator_hour_usd"][0] == pytest.approx(space, rel=1e-9)
    assert b["ground_cost_per_accelerator_hour_usd"][0] == pytest.approx(ground, rel=1e-9)


def test_ground_chips_are_recovered_over_their_own_life_not_the_missions():
    # A 1-year and a 5-year mission buy the same ground accelerator-hour.
    spec = orbitaldc.load_spec(ROOT / "scenarios" / "starcloud-1.toml")
    b = orbitaldc.evaluate_batch(
        spec, {"lifetime_s": [1.0 * SECONDS_PER_YEAR, 5.0 * SECONDS_PER_YEAR]}
    )
    g = b["ground_cost_per_accelerator_hour_usd"]
    assert g[0] == pytest.approx(g[1], rel=1e-12)


def test_both_sides_share_the_availability_definition():
    spec = orbitaldc.load_spec(ROOT / "scenarios" / "suncatcher-81.toml")
    b = orbitaldc.evaluate_batch(spec)
    rules = catalog.design_rules()
    site = catalog.get("terrestrial_sites", spec.terrestrial.site)
    assert b["ground_availability"][0] == pytest.approx(
        site.availability * rules.accelerator_availability
    )


def test_summary_records_the_profile_and_every_value_with_its_source():
    data = _data("suncatcher-81")
    data["economics"] = {"profile": "heritage", "discount_rate": 0.03}
    s = orbitaldc.evaluate(parse_spec(data))
    prof = s["economics"]["profile"]
    assert prof["name"] == "heritage"
    for name, v in prof["values"].items():
        assert v["source"], name
    assert prof["values"]["discount_rate"] == {
        "value": 0.03,
        "unit": prof["values"]["discount_rate"]["unit"],
        "source": "spec override",
        "date": None,
    }
    assert s["economics"]["discount_rate"] == 0.03
    json.dumps(s, allow_nan=False)


def test_bad_economics_are_named():
    data = _data("suncatcher-81")
    data["economics"] = {"profile": "heritgae"}
    with pytest.raises(
        SpecError,
        match="economics.profile: unknown cost profile 'heritgae'; did you mean 'heritage'",
    ):
        parse_spec(data)
    data["economics"] = {"profile": "heritage", "discount_rat": 0.05}
    with pytest.raises(SpecError, match="economics.discount_rat: .*did you mean 'discount_rate'"):
        parse_spec(data)
    data["economics"] = {"discount_rate": "5 %"}
    with pytest.raises(SpecError, match="discount_rate: a cost override is a plain number"):
        parse_spec(data)


def test_every_reference_scenario_states_its_profile_and_the_proponent_uses_the_papers():
    for path in sorted((ROOT / "scenarios").glob("*.toml")):
        assert "profile" in tomllib.loads(path.read_text()).get("economics", {}), path.name
    spec = orbitaldc.load_spec(ROOT / "scenarios" / "suncatcher-81-proponent.toml")
    s = orbitaldc.evaluate(spec)
    assert s["economics"]["profile"]["name"] == "suncatcher-2035"
    # arXiv 2511.19468 sec. 4.4: launch at $200/kg, Starlink v2 mini specific power.
    assert s["launch"]["pricing"] == "per-kg" and s["launch"]["price_usd_per_kg"] == 200.0
    assert s["satellite"]["array_specific_power_w_per_kg"] == pytest.approx(48.7, rel=1e-6)


def test_space_breakdown_adds_up_to_the_cost_per_hour():
    s = orbitaldc.evaluate(orbitaldc.load_spec(ROOT / "scenarios" / "starlink-v3-compute.toml"))
    e = s["economics"]
    parts = e["cost_breakdown_usd_per_accelerator_hour"]
    assert sum(parts.values()) == pytest.approx(e["cost_per_accelerator_hour_usd"], rel=1e-3)
    g = e["terrestrial"]
    assert sum(g["cost_breakdown_usd_per_accelerator_hour"].values()) == pytest.approx(
        g["cost_per_accelerator_hour_usd"], rel=1e-3
    )


def test_capacity_of_a_fixed_array_is_reported():
    # A fixed array of half the closed area carries about half the accelerators (power binds).
    spec = orbitaldc.load_spec(ROOT / "scenarios" / "suncatcher-81.toml")
    closed = orbitaldc.evaluate(spec)["satellite"]["array_area_m2"]
    data = _data("suncatcher-81")
    data["satellite"]["power"]["array_area"] = f"{closed / 2:.3f} m^2"
    s = orbitaldc.run(parse_spec(data), radiation=False).summary
    cap = s["economics"]["capacity"]
    assert cap["binding"] == "power"
    assert cap["accelerators"] == cap["accelerators_by_power"] < 4
    assert s["closes"] is False  # 4 accelerators do not fit that array
