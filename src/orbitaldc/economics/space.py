"""Orbital fleet costs: hardware, launch, ground segment, insurance, failures, cost per hour."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from orbitaldc.economics import costs
from orbitaldc.physics.constants import SECONDS_PER_YEAR

Arrays = Mapping[str, np.ndarray]


def orbital_costs(
    d: Arrays, o: Arrays, p: Arrays, t: Arrays, m: Arrays, lv: Arrays, g: Arrays
) -> dict[str, np.ndarray]:
    """Lifetime cost and cost per delivered hour of an orbital fleet, over N designs.

    Satellite hardware is bottom-up (array $/W, radiator $/m^2, battery $/Wh, bus $/kg, plus an
    integration fraction) unless the spec fixes ``cost_per_watt``; capex adds accelerators, the
    launches, the ground segment and insurance; expected satellite failures
    (``costs.expected_failures``) are replaced at hardware plus launch cost. The break-even launch
    price solves the linear lifetime cost for the ground's cost per accelerator-hour
    (``costs.breakeven_launch_price_usd_per_kg``).

    Inputs are the closure's stage arrays, all shape ``(design,)``: ``d`` design, ``o`` orbit
    figures, ``p`` power, ``t`` thermal, ``m`` mass, ``lv`` launch, ``g`` the terrestrial costs
    of :func:`orbitaldc.economics.ground.terrestrial_costs` for the same accelerators.
    """
    years = d["lifetime_s"] / SECONDS_PER_YEAR
    sats = d["satellites"]
    n = d["count"]
    bus_like_mass = (
        m["mass_structure_kg"]
        + m["mass_harness_kg"]
        + m["mass_adcs_propulsion_kg"]
        + m["mass_bus_fixed_kg"]
        + m["mass_shielding_kg"]
    )
    radiator_area = np.where(np.isfinite(t["radiator_area_m2"]), t["radiator_area_m2"], 0.0)
    bottom_up_hw = (
        d["array_cost_usd_per_w"] * p["array_bol_power_w"]
        + d["radiator_cost_usd_per_m2"] * radiator_area
        + d["battery_cost_usd_per_wh"] * p["battery_wh"]
        + d["bus_cost_usd_per_kg"] * bus_like_mass
    ) * (1.0 + d["integration_cost_fraction"])
    sat_hw = np.where(
        np.isnan(d["cost_per_watt_fixed"]),
        bottom_up_hw,
        d["cost_per_watt_fixed"] * p["array_bol_power_w"],
    )
    sat_accel = n * (d["acc_unit_cost_usd"] + d["acc_host_cost_usd"])
    per_sat_launch = m["mass_kg"] * d["price_per_kg_usd"]
    insurance = d["insurance_fraction"] * sats * (sat_hw + sat_accel + per_sat_launch)
    ground_segment = d["ground_cost_usd_per_year"] * years
    capex = sats * (sat_hw + sat_accel) + lv["launch_cost_usd"] + ground_segment + insurance
    opex_year = sats * d["operations_cost_usd_per_satellite_year"]
    failures = costs.expected_failures(sats, d["satellite_annual_failure_rate"], years)
    replacement_no_launch = failures * (sat_hw + sat_accel)
    replacement_launch = failures * per_sat_launch
    total = capex + opex_year * years + replacement_no_launch + replacement_launch

    delivered = np.where(d["eclipse_shed"] > 0, o["sunlit_fraction_mean"], 1.0)
    availability = d["accelerator_availability"] * delivered
    n_acc = sats * n
    hours = n_acc * years * costs.HOURS_PER_YEAR * availability
    pflop_days = n_acc * d["acc_flops"] * d["utilisation"] * availability * years * 365.25 / 1e15
    cost_hour = total / hours
    # Lifetime cost is linear in the launch price: C(p) = C0 + M_eff p, where M_eff counts the
    # first launches, the replacements and the insured launch value.
    launch_mass_eff = m["mass_kg"] * (sats * (1.0 + d["insurance_fraction"]) + failures)
    breakeven = costs.breakeven_launch_price_usd_per_kg(
        total - launch_mass_eff * d["price_per_kg_usd"],
        launch_mass_eff,
        hours,
        g["ground_cost_per_accelerator_hour_usd"],
    )
    return {
        "satellite_hardware_cost_usd": sat_hw,
        "satellite_accelerator_cost_usd": sat_accel,
        "ground_segment_cost_usd": ground_segment,
        "insurance_cost_usd": insurance,
        "capex_usd": capex,
        "opex_usd_per_year": opex_year,
        "expected_failures": failures,
        "replacement_cost_usd": replacement_no_launch + replacement_launch,
        "lifetime_cost_usd": total,
        "delivered_fraction": delivered,
        "accelerator_hours": hours,
        "pflop_days": pflop_days,
        "launched_power_price_usd_per_kw_year": costs.launched_power_price_usd_per_kw_year(
            m["mass_kg"], p["array_bol_power_w"], d["price_per_kg_usd"], years
        ),
        "cost_per_accelerator_hour_usd": cost_hour,
        "cost_per_pflop_day_usd": total / pflop_days,
        "space_to_ground_cost_ratio": cost_hour / g["ground_cost_per_accelerator_hour_usd"],
        "breakeven_launch_price_usd_per_kg": breakeven,
    }
