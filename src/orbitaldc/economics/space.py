"""Orbital fleet costs: hardware, launch, operations, ground segment, insurance, failures,
accelerator attrition and chip lifetime, levelised to a cost per delivered accelerator-hour.

Every price comes from the design's cost profile (``catalog/data/cost_profiles.toml``, spec
``[economics]``), each value with its source and date (docs/economics.md).

- **Hardware** per satellite: structure, harness and shielding at ``structure_cost_usd_per_kg``;
  bus avionics, ADCS and propulsion at ``electronics_cost_usd_per_kg``; the array per BOL watt,
  the battery per Wh, the radiator per m^2, the optical terminals per unit; integration as a
  fraction on top of these component costs. A spec ``cost_per_watt`` replaces the whole.
- **Accelerators** on board, with the profile's cold spares.
- **Launch** per flight: the number of vehicles (payload to the operating orbit and fairing
  volume) times the vehicle's price, or rideshare per kg when the whole fleet is below a fraction of
  one vehicle, or a flat price per kg of satellite when the profile or the spec sets one.
- **Operations** per satellite-year, scaled with satellite mass; **ground-segment leases** per
  year (opex); **insurance** on launch plus first year.
- **Failures**: satellites lost at the profile's annual rate are rebuilt and relaunched;
  accelerators fail at their own annual rate and are never repaired (the cold spares stand in
  until they run out), so the delivered hours shrink; when the chips' life (dose-limited or the
  design life) is shorter than the mission, the fleet is rebuilt and relaunched at the end of
  each chip life.
- **Cost of capital**: the up-front cost and the present value of the replacements are
  levelised with the capital recovery factor at ``discount_rate``; the cost per accelerator-hour
  is the levelised annual cost over the hours delivered in a mean year, the same definition as
  the ground's (``economics.ground``).
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from orbitaldc.economics import costs
from orbitaldc.physics.constants import SECONDS_PER_YEAR

Arrays = Mapping[str, np.ndarray]


def launch_costs(d: Arrays, mass_kg: np.ndarray, launches: np.ndarray) -> dict[str, np.ndarray]:
    """Launch cost of the fleet, $: per flight, rideshare or a flat price per kg.

    ``launches`` is the number of vehicles the fleet needs (``closure.launch``); the vehicle's
    price per flight is ``lv_price_usd``. A fleet lighter than ``rideshare_max_vehicle_fraction``
    of one vehicle's payload to the orbit flies rideshare at ``rideshare_price_usd_per_kg``. A
    finite ``price_per_kg_usd`` (spec ``launch.price_per_kg`` or the profile's
    ``launch_price_usd_per_kg``) prices the launched satellite mass per kg instead.
    """
    fleet_mass = d["satellites"] * mass_kg
    rideshare = fleet_mass < d["rideshare_max_vehicle_fraction"] * d["lv_payload_to_orbit_kg"]
    per_flight = np.where(
        rideshare, fleet_mass * d["rideshare_price_usd_per_kg"], launches * d["lv_price_usd"]
    )
    flat = np.isfinite(d["price_per_kg_usd"])
    cost = np.where(flat, fleet_mass * d["price_per_kg_usd"], per_flight)
    with np.errstate(divide="ignore", invalid="ignore"):
        effective = cost / fleet_mass
    return {
        "launch_cost_usd": cost,
        "launch_rideshare": (rideshare & ~flat).astype(float),
        "launch_price_effective_usd_per_kg": effective,
    }


def orbital_costs(
    d: Arrays, o: Arrays, p: Arrays, t: Arrays, m: Arrays, lv: Arrays, g: Arrays
) -> dict[str, np.ndarray]:
    """Lifetime cost and cost per delivered hour of an orbital fleet, over N designs.

    Inputs are the closure's stage arrays, all shape ``(design,)``: ``d`` design (with the cost
    profile's values), ``o`` orbit figures, ``p`` power, ``t`` thermal, ``m`` mass, ``lv`` launch
    (with ``launch_cost_usd`` from :func:`launch_costs`), ``g`` the terrestrial costs of
    :func:`orbitaldc.economics.ground.terrestrial_costs` for the same accelerators.
    """
    years = d["lifetime_s"] / SECONDS_PER_YEAR
    rate = d["discount_rate"]
    sats = d["satellites"]
    n = d["count"]
    structure_kg = m["mass_structure_kg"] + m["mass_harness_kg"] + m["mass_shielding_kg"]
    electronics_kg = m["mass_adcs_propulsion_kg"] + m["mass_bus_fixed_kg"]
    radiator_area = np.where(np.isfinite(t["radiator_area_m2"]), t["radiator_area_m2"], 0.0)
    components = {
        "structure": d["structure_cost_usd_per_kg"] * structure_kg,
        "electronics": d["electronics_cost_usd_per_kg"] * electronics_kg,
        "solar_array": d["array_cost_usd_per_w"] * p["array_bol_power_w"],
        "battery": d["battery_cost_usd_per_wh"] * p["battery_wh"],
        "radiator": d["radiator_cost_usd_per_m2"] * radiator_area,
        "optical_terminals": d["optical_terminal_cost_usd"] * d["optical_terminals_per_satellite"],
    }
    bottom_up_hw = sum(components.values()) * (1.0 + d["integration_cost_fraction"])
    sat_hw = np.where(
        np.isnan(d["cost_per_watt_fixed"]),
        bottom_up_hw,
        d["cost_per_watt_fixed"] * p["array_bol_power_w"],
    )
    sat_accel = n * (1.0 + d["spares_fraction"]) * (d["acc_unit_cost_usd"] + d["acc_host_cost_usd"])
    per_sat_launch = lv["launch_cost_usd"] / sats
    fleet_build = sats * (sat_hw + sat_accel) + lv["launch_cost_usd"]
    # A design that fits no vehicle costs an infinite launch; zero insurance of it is zero.
    with np.errstate(invalid="ignore"):
        insurance = np.where(
            d["insurance_fraction"] > 0, d["insurance_fraction"] * fleet_build, 0.0
        )
    capex = fleet_build + insurance

    ops_scale = (m["mass_kg"] / d["operations_reference_mass_kg"]) ** d["operations_mass_exponent"]
    operations_year = sats * d["operations_cost_usd_per_satellite_year"] * ops_scale
    ground_segment_year = d["ground_stations"] * d["ground_segment_lease_usd_per_year"]
    opex_year = operations_year + ground_segment_year

    # Chips die at the end of their life (dose-limited or the design life): the fleet is rebuilt
    # and relaunched ceil(years / life) - 1 times within the mission.
    chip_life = np.where(
        np.isnan(d["chip_life_years"]), years, np.minimum(d["chip_life_years"], years)
    )
    rebuilds = np.ceil(years / chip_life - 1e-9) - 1.0
    rebuild_cost = rebuilds * capex
    rebuild_pv = costs.present_value_of_series(rate, chip_life, rebuilds) * capex
    failures = costs.expected_failures(sats, d["satellite_annual_failure_rate"], years)
    per_sat_replacement = (sat_hw + sat_accel + per_sat_launch) * (1.0 + d["insurance_fraction"])
    replacement = failures * per_sat_replacement
    # Failures arrive evenly over the mission: their present value is the annuity of their rate.
    replacement_pv = replacement / years / costs.capital_recovery_factor(rate, years)
    total = capex + opex_year * years + replacement + rebuild_cost
    crf = costs.capital_recovery_factor(rate, years)
    annual = (capex + replacement_pv + rebuild_pv) * crf + opex_year

    delivered = np.where(d["eclipse_shed"] > 0, o["sunlit_fraction_mean"], 1.0)
    working = costs.mean_working_fraction(
        d["accelerator_annual_failure_rate"], d["spares_fraction"], chip_life
    )
    availability = d["accelerator_availability"] * delivered * working
    n_acc = sats * n
    hours_year = n_acc * costs.HOURS_PER_YEAR * availability
    pflop_days_year = n_acc * d["acc_flops"] * d["utilisation"] * availability * 365.25 / 1e15
    cost_hour = annual / hours_year
    # The levelised cost is linear in the price per kg of launched mass: A(p) = A0 + M_eff p
    # (first launches, rebuilds, replacements and the insured launch value, all levelised).
    fleet_mass = sats * m["mass_kg"]
    launch_share = (1.0 + d["insurance_fraction"]) * (
        fleet_mass * (1.0 + costs.present_value_of_series(rate, chip_life, rebuilds))
        + failures * m["mass_kg"] / years / crf
    )
    mass_eff = launch_share * crf
    breakeven = costs.breakeven_launch_price_usd_per_kg(
        annual - mass_eff * lv["launch_price_effective_usd_per_kg"],
        mass_eff,
        hours_year,
        g["ground_cost_per_accelerator_hour_usd"],
    )
    # The levelised annual cost by part (insurance folded into what it insures).
    build_factor = (
        (1.0 + d["insurance_fraction"])
        * crf
        * (1.0 + costs.present_value_of_series(rate, chip_life, rebuilds))
    )
    parts = {
        "satellite_hardware": sats * sat_hw * build_factor,
        "accelerators": sats * sat_accel * build_factor,
        "launch": lv["launch_cost_usd"] * build_factor,
        "failures": replacement_pv * crf,
        "operations": operations_year,
        "ground_segment": ground_segment_year,
    }
    out = {f"hardware_{k}_cost_usd": v for k, v in components.items()}
    out.update({f"space_part_{k}_usd_per_hour": v / hours_year for k, v in parts.items()})
    out.update(
        {
            "satellite_hardware_cost_usd": sat_hw,
            "satellite_accelerator_cost_usd": sat_accel,
            "ground_segment_cost_usd": ground_segment_year * years,
            "operations_cost_usd_per_year": operations_year,
            "insurance_cost_usd": insurance,
            "capex_usd": capex,
            "opex_usd_per_year": opex_year,
            "expected_failures": failures,
            "chip_life_years": chip_life,
            "fleet_rebuilds": rebuilds,
            "replacement_cost_usd": replacement + rebuild_cost,
            "lifetime_cost_usd": total,
            "annual_cost_usd": annual,
            "delivered_fraction": delivered,
            "accelerator_working_fraction": working,
            "accelerator_hours": hours_year * years,
            "pflop_days": pflop_days_year * years,
            "launched_power_price_usd_per_kw_year": costs.launched_power_price_usd_per_kw_year(
                m["mass_kg"], p["array_bol_power_w"], lv["launch_price_effective_usd_per_kg"], years
            ),
            "cost_per_accelerator_hour_usd": cost_hour,
            "cost_per_pflop_day_usd": annual / pflop_days_year,
            "space_to_ground_cost_ratio": cost_hour / g["ground_cost_per_accelerator_hour_usd"],
            "space_to_rental_cost_ratio": cost_hour
            / g["ground_rental_cost_per_accelerator_hour_usd"],
            "breakeven_launch_price_usd_per_kg": breakeven,
        }
    )
    return out
