"""Terrestrial data-center costs, the baseline every orbital design is compared with."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from orbitaldc.economics import costs
from orbitaldc.physics.constants import SECONDS_PER_YEAR

Arrays = Mapping[str, np.ndarray]


def terrestrial_costs(d: Arrays, n_acc: np.ndarray) -> dict[str, np.ndarray]:
    """Lifetime cost of ``n_acc`` accelerators in a terrestrial data center, over N designs.

    Same horizon as the space side (the mission's ``lifetime_s``): the facility capex is charged
    for the share of its own life the mission uses, the accelerators and hosts whole, energy at
    ``electricity price x PUE`` (``costs.energy_cost_usd_per_kw_year``) on the average IT power,
    and the site's opex fraction of the facility per year. Delivered accelerator-hours and
    PFLOP-days use the site's availability. ``d`` holds the flat design arrays of
    ``closure.design.design_arrays`` (site, accelerator and mission fields), shape ``(design,)``.
    Returns the ``ground_*`` arrays, SI and US dollars.
    """
    years = d["lifetime_s"] / SECONDS_PER_YEAR
    it_avg_w = n_acc * (d["acc_power_w"] * d["utilisation"] + d["acc_host_power_w"])
    it_peak_w = n_acc * (d["acc_power_w"] + d["acc_host_power_w"])
    facility_capex = d["site_facility_capex_usd_per_w"] * it_peak_w
    facility_share = facility_capex * np.minimum(years / d["site_facility_lifetime_years"], 1.0)
    accel_capex = n_acc * (d["acc_unit_cost_usd"] + d["acc_host_cost_usd"])
    energy_per_kw_year = costs.energy_cost_usd_per_kw_year(
        d["site_electricity_usd_per_kwh"], d["site_pue"]
    )
    energy_cost_year = energy_per_kw_year * it_avg_w / 1e3
    opex_year = energy_cost_year + d["site_opex_fraction_per_year"] * facility_capex
    total = facility_share + accel_capex + opex_year * years
    hours = n_acc * years * costs.HOURS_PER_YEAR * d["site_availability"]
    pflop_days = (
        n_acc * d["acc_flops"] * d["utilisation"] * d["site_availability"] * years * 365.25 / 1e15
    )
    energy_mwh = it_avg_w * d["site_pue"] * years * costs.HOURS_PER_YEAR / 1e6
    return {
        "ground_it_power_w": it_avg_w,
        "ground_facility_capex_usd": facility_capex,
        "ground_capex_usd": facility_capex + accel_capex,
        "ground_opex_usd_per_year": opex_year,
        "ground_lifetime_cost_usd": total,
        "ground_accelerator_hours": hours,
        "ground_cost_per_accelerator_hour_usd": total / hours,
        "ground_cost_per_pflop_day_usd": total / pflop_days,
        "ground_energy_cost_usd_per_kw_year": energy_per_kw_year,
        "ground_water_m3": energy_mwh / d["site_pue"] * d["site_water_m3_per_mwh"],
    }
