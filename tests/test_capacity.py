"""Capacity of fixed hardware (closure/capacity.py): a hand-computed toy, and the closure's own
sized array and radiator giving back the design's accelerator count."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pytest

import orbitaldc
from orbitaldc.closure import capacity, evaluate_batch
from orbitaldc.closure.design import design_arrays

ROOT = Path(__file__).resolve().parents[1]


def _toy(shed: float) -> dict[str, np.ndarray]:
    return {
        "acc_power_w": np.array([1000.0]),
        "utilisation": np.array([0.8]),
        "acc_host_power_w": np.array([100.0]),
        "acc_link_power_w": np.array([50.0]),
        "bus_power_w": np.array([200.0]),
        "bus_power_fraction": np.array([0.05]),
        "eclipse_shed": np.array([shed]),
        "eta_sunlight_path": np.array([0.9]),
        "eta_eclipse_path": np.array([0.6]),
    }


ORBIT = {"max_eclipse_s": np.array([2000.0]), "nodal_period_s": np.array([6000.0])}


def test_toy_satellite_by_hand():
    # Per accelerator IT 1000 x 0.8 + 100 + 50 = 950 W; sunlit load L = 200 + 1.05 x 950 n.
    # Array (SMAD eq. 11-5, T_e = 2000 s, T_d = 4000 s): P = L (2000 / 0.6 + 4000 / 0.9) / 4000,
    # i.e. 388.89 + 1939.58 n W: 20 kW holds floor(10.11) = 10. Heat L / 0.9 = 222.22 + 1108.33 n
    # W: 10 kW rejects floor(8.82) = 8, so heat binds.
    sunlit_load = np.array([200.0, 997.5])
    array_line = sunlit_load * (2000 / 0.6 + 4000 / 0.9) / 4000
    out = capacity.capacity(_toy(0.0), ORBIT, 20_000.0, 10_000.0)
    # Exact arithmetic on a few floats: rounding-level tolerance.
    np.testing.assert_allclose(
        [out["array_fixed_w"][0], out["array_per_accelerator_w"][0]], array_line, rtol=1e-12
    )
    np.testing.assert_allclose(
        [out["heat_fixed_w"][0], out["heat_per_accelerator_w"][0]], sunlit_load / 0.9, rtol=1e-12
    )
    assert out["accelerators_by_power"][0] == 10 and out["accelerators_by_heat"][0] == 8
    assert out["accelerators"][0] == 8 and out["binding"][0] == "heat"
    # Shedding compute in eclipse: the eclipse load is the bus alone, 200 + 47.5 n, so the array
    # line is 388.89 + (47.5 x 2000 / 0.6 + 997.5 x 4000 / 0.9) / 4000 n = 1147.92 n: 17 fit.
    shed = capacity.capacity(_toy(1.0), ORBIT, array_eol_power_w=20_000.0)
    assert shed["accelerators_by_power"][0] == 17 and np.isinf(shed["accelerators_by_heat"][0])
    assert shed["binding"][0] == "power"


def test_too_small_for_the_bus_and_nothing_given():
    assert capacity.capacity(_toy(0.0), ORBIT, 100.0, 100.0)["accelerators"][0] == 0
    with pytest.raises(ValueError, match="array_eol_power_w, radiator_rejection_w or both"):
        capacity.capacity(_toy(0.0), ORBIT)


def _spec(name: str):
    spec = orbitaldc.load_spec(ROOT / "scenarios" / f"{name}.toml")
    return spec.model_copy(
        update={"mission": spec.mission.model_copy(update={"start": dt.date(2027, 6, 10)})}
    )


@pytest.mark.parametrize("name", ["suncatcher-81", "starcloud-5gw", "new-glenn-node"])
def test_closed_design_gives_back_its_count(name):
    # The closure sized array and radiator for exactly `count` accelerators: fed back, they must
    # support at least count and fewer than count + 1, both limits binding.
    counts = np.array([1.0, 4.0, 17.0, 250.0])
    design = design_arrays(_spec(name), {"count": counts})
    fig = evaluate_batch(_spec(name), {"count": counts})
    out = capacity.capacity(design, fig, fig["array_eol_power_w"], fig["radiator_rejection_w"])
    np.testing.assert_array_equal(out["accelerators_by_power"], counts)
    np.testing.assert_array_equal(out["accelerators_by_heat"], counts)
    assert list(out["binding"]) == ["both"] * 4
    # Twice the array: power no longer limits, the radiator does.
    twice = capacity.capacity(
        design, fig, 2.0 * fig["array_eol_power_w"], fig["radiator_rejection_w"]
    )
    assert np.all(twice["accelerators_by_power"] > counts)
    np.testing.assert_array_equal(twice["accelerators"], counts)
    assert list(twice["binding"]) == ["heat"] * 4


def test_fixed_array_area_agrees_with_the_closure_check():
    # A satellite with a fixed array: the closure's own array check passes at the capacity and
    # fails one accelerator above it.
    spec = _spec("suncatcher-81")
    sized = evaluate_batch(spec)
    area = 3.3 * float(sized["array_area_m2"][0])
    sat = spec.satellite
    fixed = spec.model_copy(
        update={
            "satellite": sat.model_copy(
                update={"power": sat.power.model_copy(update={"array_area_m2": area})}
            )
        }
    )
    cap = capacity.capacity_of_areas(design_arrays(spec), sized, array_area_m2=area)
    n = cap["accelerators"][0]
    assert n > sized["count"][0] and cap["binding"][0] == "power"
    check = evaluate_batch(fixed, {"count": np.array([n, n + 1])})
    np.testing.assert_array_equal(check["ok_array_area"], [1.0, 0.0])


def test_radiator_area_capacity_uses_the_net_flux():
    fig = evaluate_batch(_spec("suncatcher-81"))
    design = design_arrays(_spec("suncatcher-81"))
    out = capacity.capacity_of_areas(design, fig, radiator_area_m2=fig["radiator_area_m2"])
    assert out["accelerators"][0] == fig["count"][0] and out["binding"][0] == "heat"
