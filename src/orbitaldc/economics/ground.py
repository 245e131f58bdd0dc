"""Terrestrial data-center costs, the baseline every orbital design is compared with.

Owning and renting, side by side, on the horizon and availability definition of the space side:

- **Owning**: accelerators, hosts and networking are bought per accelerator and recovered over
  their own economic life (``ground_chip_economic_life_years``), the facility over its life, both
  with the capital recovery factor at the ``discount_rate`` (``costs.capital_recovery_factor``);
  energy is ``electricity price x PUE`` on the average IT power; staff and maintenance per MW of
  IT; the site's opex fraction of the facility. The cost per accelerator-hour is the levelised
  annual cost over the hours delivered in a year.
- **Renting**: a public, dated cloud price per accelerator-hour (accelerator catalog
  ``rental_usd_per_hour``), NaN when the catalog has none.

Availability is the same definition as in orbit: the accelerators' own availability (training
interruptions) times the site's (facility uptime).
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from orbitaldc.economics import costs
from orbitaldc.physics.constants import SECONDS_PER_YEAR

Arrays = Mapping[str, np.ndarray]


def terrestrial_costs(d: Arrays, n_acc: np.ndarray) -> dict[str, np.ndarray]:
    """Cost of ``n_acc`` accelerators in a terrestrial data center, over N designs.

    ``d`` holds the flat design arrays of ``closure.design.design_arrays`` (site, accelerator,
    mission and cost-profile fields), shape ``(design,)``. Returns the ``ground_*`` arrays, SI and
    US dollars; ``ground_lifetime_cost_usd`` is the levelised annual cost times the horizon.
    """
    years = d["lifetime_s"] / SECONDS_PER_YEAR
    rate = d["discount_rate"]
    it_avg_w = n_acc * (d["acc_power_w"] * d["utilisation"] + d["acc_host_power_w"])
    it_peak_w = n_acc * (d["acc_power_w"] + d["acc_host_power_w"])
    facility_capex = d["site_facility_capex_usd_per_w"] * it_peak_w
    per_acc = (
        d["acc_unit_cost_usd"] + d["acc_host_cost_usd"] + d["ground_networking_usd_per_accelerator"]
    )
    accel_capex = n_acc * per_acc
    chip_life = d["ground_chip_economic_life_years"]
    accel_year = accel_capex * costs.capital_recovery_factor(rate, chip_life)
    facility_year = facility_capex * costs.capital_recovery_factor(
        rate, d["site_facility_lifetime_years"]
    )
    capital_year = accel_year + facility_year
    energy_per_kw_year = costs.energy_cost_usd_per_kw_year(
        d["site_electricity_usd_per_kwh"], d["site_pue"]
    )
    energy_cost_year = energy_per_kw_year * it_avg_w / 1e3
    staff_year = d["ground_staff_maintenance_usd_per_mw_year"] * it_peak_w / 1e6
    facility_opex_year = d["site_opex_fraction_per_year"] * facility_capex
    opex_year = energy_cost_year + facility_opex_year + staff_year
    availability = d["site_availability"] * d["accelerator_availability"]
    hours_year = n_acc * costs.HOURS_PER_YEAR * availability
    annual = capital_year + opex_year
    pflop_days_year = n_acc * d["acc_flops"] * d["utilisation"] * availability * 365.25 / 1e15
    energy_mwh = it_avg_w * d["site_pue"] * years * costs.HOURS_PER_YEAR / 1e6
    rental = d["acc_rental_usd_per_hour"]
    parts = {
        "accelerators": accel_year,
        "facility": facility_year + facility_opex_year,
        "energy": energy_cost_year,
        "staff_maintenance": staff_year,
    }
    return {
        **{f"ground_part_{k}_usd_per_hour": v / hours_year for k, v in parts.items()},
        "ground_it_power_w": it_avg_w,
        "ground_facility_capex_usd": facility_capex,
        "ground_capex_usd": facility_capex + accel_capex,
        "ground_capital_usd_per_year": capital_year,
        "ground_opex_usd_per_year": opex_year,
        "ground_annual_cost_usd": annual,
        "ground_lifetime_cost_usd": annual * years,
        "ground_availability": availability,
        "ground_accelerator_hours": hours_year * years,
        "ground_cost_per_accelerator_hour_usd": annual / hours_year,
        "ground_cost_per_pflop_day_usd": annual / pflop_days_year,
        "ground_rental_cost_per_accelerator_hour_usd": rental,
        "ground_rental_cost_per_pflop_day_usd": rental
        * 24.0
        / (d["acc_flops"] * d["utilisation"] / 1e15),
        "ground_energy_cost_usd_per_kw_year": energy_per_kw_year,
        "ground_water_m3": energy_mwh / d["site_pue"] * d["site_water_m3_per_mwh"],
    }
