"""Learning curves and crossover years (economics/learning.py) against their closed forms."""

from __future__ import annotations

import datetime as dt
import json
import math
from pathlib import Path

import numpy as np
import pytest

import orbitaldc
from orbitaldc import api
from orbitaldc.closure import evaluate_batch
from orbitaldc.economics import learning

ROOT = Path(__file__).resolve().parents[1]


def test_80_percent_curve_multiplies_cost_by_0_8_per_doubling():
    # Wright (1936): an 80 % curve is a 20 % learning rate; the law is exact, so the tolerance is
    # floating-point rounding of the power law (a few ulp per doubling).
    assert learning.wright_exponent(0.2) == pytest.approx(math.log2(1 / 0.8), rel=1e-15)
    assert learning.unit_cost(2.0, 100.0, 0.2) == pytest.approx(80.0, rel=1e-14)
    assert learning.unit_cost(2.0**10, 100.0, 0.2) == pytest.approx(100.0 * 0.8**10, rel=1e-13)
    # A reference point other than the first unit: 500 units cost 30 -> 1000 units cost 24.
    assert learning.unit_cost(1000.0, 30.0, 0.2, cumulative0=500.0) == pytest.approx(
        24.0, rel=1e-14
    )


def test_no_learning_is_flat_and_invalid_rates_are_refused():
    assert np.all(learning.unit_cost(np.array([1.0, 10.0, 1e6]), 7.0, 0.0) == 7.0)
    with pytest.raises(ValueError, match="learning_rate"):
        learning.unit_cost(2.0, 1.0, 1.0)
    with pytest.raises(ValueError, match="learning_rate"):
        learning.wright_exponent(-0.1)


def test_cost_falls_monotonically_with_production_and_faster_with_more_learning():
    x = np.geomspace(1.0, 1e9, 200)
    slow = learning.unit_cost(x, 1.0, 0.1)
    fast = learning.unit_cost(x, 1.0, 0.3)
    assert np.all(np.diff(slow) < 0) and np.all(np.diff(fast) < 0)
    assert np.all(fast[1:] < slow[1:])


def test_cumulative_and_price_in_year():
    # Production growing 41.42 %/yr doubles every 2 years: after 10 years, 5 doublings, and a
    # 20 % learning rate gives 0.8^5 of the price (rounding-level tolerance).
    g = math.sqrt(2.0) - 1.0
    assert learning.cumulative(2035, 2025, 3.0, g) == pytest.approx(3.0 * 32.0, rel=1e-13)
    assert learning.price_in_year(2035, 1000.0, 2025, 0.2, g) == pytest.approx(
        1000.0 * 0.8**5, rel=1e-13
    )
    years = np.arange(2025, 2046)
    prices = learning.price_in_year(years, 1000.0, 2025, 0.2, 0.3)
    assert prices[0] == 1000.0 and np.all(np.diff(prices) < 0)


def test_compound_trend():
    assert learning.compound(2030, 0.08, 2025, 0.02) == pytest.approx(0.08 * 1.02**5, rel=1e-15)
    assert learning.compound(2020, 0.08, 2025, -0.5) == pytest.approx(0.08 * 32.0, rel=1e-15)


def test_crossover_of_two_exponentials_matches_closed_form():
    # space = S0 a^t, ground = G0 c^t (t = year - 2025): they meet at t* = ln(G0/S0) / ln(a/c), so
    # the first integer year with space <= ground is 2025 + ceil(t*).
    s0, a, g0, c = 30.0, 0.8, 2.0, 1.01
    years = np.arange(2025, 2061)
    t = years - 2025
    t_star = math.log(g0 / s0) / math.log(a / c)
    expected = 2025 + math.ceil(t_star)
    assert learning.crossover_year(years, s0 * a**t, g0 * c**t) == expected
    assert learning.crossover_year(years[:5], (s0 * a**t)[:5], (g0 * c**t)[:5]) is None


def test_crossover_counts_equality_and_skips_nan():
    years = np.array([2025, 2026, 2027])
    assert learning.crossover_year(years, [3.0, 2.0, 1.0], [2.0, 2.0, 2.0]) == 2026
    assert learning.crossover_year(years, [np.nan, 2.0, 1.0], [5.0, 1.0, 2.0]) == 2027
    with pytest.raises(ValueError, match="1-D of one length"):
        learning.crossover_year(years, [1.0, 2.0], [1.0, 2.0, 3.0])


def _spec(name: str):
    spec = orbitaldc.load_spec(ROOT / "scenarios" / f"{name}.toml")
    return spec.model_copy(
        update={"mission": spec.mission.model_copy(update={"start": dt.date(2027, 6, 10)})}
    )


def test_crossover_without_learning_reproduces_todays_design():
    # No learning, no trend: every year's design is the spec's; the hardware carried as cost per
    # BOL watt must give back the bottom-up cost (rounding-level tolerance).
    spec = _spec("suncatcher-81")
    out = api.crossover(
        spec, range(2025, 2028), launch_learning_rate=0.0, hardware_learning_rate=0.0
    )
    today = evaluate_batch(spec)
    np.testing.assert_allclose(
        out["space_cost_per_accelerator_hour_usd"],
        today["cost_per_accelerator_hour_usd"][0],
        rtol=1e-12,
    )
    assert out["years"] == [2025, 2026, 2027] and out["crossover_year"] is None
    json.dumps(out, allow_nan=False)


def test_launch_learning_follows_wrights_law_through_the_closure():
    # The space cost is affine in the launch price p: c(p) = c(0) + (c(p0) - c(0)) p / p0, so with
    # launch learning alone c(year) = c(0) + (c(p0) - c(0)) (1 + g)^(-b (year - 2025)).
    spec = _spec("starlink-v3-compute")
    lr, g = 0.2, 0.5
    out = api.crossover(
        spec, launch_learning_rate=lr, launch_growth_per_year=g, hardware_learning_rate=0.0
    )
    p0 = evaluate_batch(spec)["price_per_kg_usd"][0]
    c = evaluate_batch(spec, {"price_per_kg_usd": [0.0, p0]})["cost_per_accelerator_hour_usd"]
    t = np.array(out["years"]) - 2025
    expected = c[0] + (c[1] - c[0]) * (1 + g) ** (-learning.wright_exponent(lr) * t)
    # Affine in the price up to rounding: 1e-12 relative.
    np.testing.assert_allclose(out["space_cost_per_accelerator_hour_usd"], expected, rtol=1e-12)


def test_crossover_year_is_the_first_year_space_wins():
    # starcloud-5gw with fast hardware learning and a rising electricity price crosses the ground
    # inside 2025-2045 (its parity floor is below 1).
    out = api.crossover(
        _spec("starcloud-5gw"),
        hardware_learning_rate=0.3,
        hardware_growth_per_year=0.6,
        electricity_trend_per_year=0.03,
    )
    year = out["crossover_year"]
    assert year is not None and 2025 < year <= 2045
    space = np.array(out["space_cost_per_accelerator_hour_usd"])
    ground = np.array(out["ground_cost_per_accelerator_hour_usd"])
    i = out["years"].index(year)
    assert space[i] <= ground[i] and np.all(space[:i] > ground[:i])
