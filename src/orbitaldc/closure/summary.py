"""Turn one design's closure arrays into the ``summary.json`` structure and its verdict.

The keys are public API (documented in docs/summary.md): extend them, never rename or drop one
without a deprecation note in CHANGELOG.md.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import numpy as np

from orbitaldc.closure.kernel import CHECK_NAMES
from orbitaldc.physics.constants import R_EARTH_M, SECONDS_PER_YEAR
from orbitaldc.physics.radiator import emitted_flux_w_m2
from orbitaldc.spec import DesignSpec

#: Version of the summary.json layout; bumped when keys are added.
SCHEMA_VERSION = "1.0"


def _f(value: Any, digits: int | None = None) -> float | None:
    """A JSON-safe float: NaN and infinities become None."""
    x = float(value)
    if not math.isfinite(x):
        return None
    return round(x, digits) if digits is not None else x


def _reason(name: str, spec: DesignSpec, r: Mapping[str, float]) -> str:
    sat = spec.satellite
    assert sat is not None
    t_rad = r["radiator_temperature_k"]
    if name == "radiator_flux":
        emitted = (
            emitted_flux_w_m2(t_rad, r["radiator_emissivity_eol"]) * r["radiator_fin_efficiency"]
        )
        absorbed = emitted - r["radiator_net_flux_w_per_m2"] / r["radiator_sides"]
        return (
            f"radiator: at {t_rad:.0f} K each face emits {emitted:.0f} W/m^2 but absorbs "
            f"{absorbed:.0f} W/m^2 of Earth infrared and albedo, so it rejects no heat; raise "
            "satellite.thermal.radiator_temperature or choose a coating with lower absorptivity"
        )
    if name == "radiator_temperature":
        return (
            f"radiator: {t_rad:.0f} K is above the {sat.thermal.radiator} limit of "
            f"{r['radiator_max_temperature_k']:.0f} K"
        )
    if name == "junction":
        return (
            f"thermal chain: with the radiator at {t_rad:.0f} K the {sat.compute.accelerator} "
            f"junctions reach {r['junction_temperature_k']:.0f} K, above their "
            f"{r['acc_junction_max_k']:.0f} K limit; lower satellite.thermal.radiator_temperature"
        )
    if name == "array_pointing":
        return (
            f"power: a fixed array facing the orbit normal sees the Sun at |beta| down to "
            f"{math.degrees(r['beta_min_abs_rad']):.1f} deg and produces almost nothing then; "
            "use pointing = 'sun-tracking'"
        )
    if name == "array_area":
        return (
            f"power: the fixed array_area of {r['array_area_m2']:.1f} m^2 gives "
            f"{r['array_eol_power_w'] / 1e3:.1f} kW at end of life, below the "
            f"{r['array_required_power_w'] / 1e3:.1f} kW needed"
        )
    if name == "radiator_area":
        return (
            f"thermal: the fixed radiator_area of {r['radiator_area_m2']:.1f} m^2 rejects "
            f"{r['radiator_rejection_w'] / 1e3:.1f} kW, below the {r['heat_load_w'] / 1e3:.1f} kW load"
        )
    if name == "mass_closure":
        return (
            "mass: structure, harness and ADCS/propulsion fractions add to "
            f"{r['mass_fraction_scaling']:.2f} of the satellite, so no mass closes"
        )
    if name == "mass_budget":
        return (
            f"mass: the fixed mass of {r['mass_kg']:.0f} kg is below the bottom-up subsystem "
            f"mass of {r['mass_bottom_up_kg']:.0f} kg"
        )
    if name == "launch_fit":
        return (
            f"launch: one satellite of {r['mass_kg']:.0f} kg does not fit the "
            f"{spec.launch.vehicle if spec.launch else ''} ({r['lv_payload_to_orbit_kg']:.0f} kg "
            f"to {r['altitude_m'] / 1e3:.0f} km, fairing {r['lv_fairing_volume_m3']:.0f} m^3)"
        )
    raise KeyError(name)


def design_row(
    design: Mapping[str, np.ndarray], results: Mapping[str, np.ndarray], index: int = 0
) -> dict[str, float]:
    """Every input and result of design ``index`` of a closure run at full precision, SI floats
    (results win where a name is both an input and a result)."""
    return {**_row(design, index), **_row(results, index)}


def _row(arrays: Mapping[str, np.ndarray], index: int) -> dict[str, float]:
    return {k: float(np.asarray(v).reshape(-1)[index]) for k, v in arrays.items()}


SPACE_PARTS = (
    "satellite_hardware",
    "accelerators",
    "launch",
    "failures",
    "operations",
    "ground_segment",
)
GROUND_PARTS = ("accelerators", "facility", "energy", "staff_maintenance")


def _profile_block(spec: DesignSpec) -> dict[str, Any]:
    """The cost profile that priced the design: its name and every value with its source."""
    from orbitaldc.closure.design import cost_profile

    return {"name": spec.economics.profile, "values": cost_profile(spec)}


def _economic_notes(r: Mapping[str, float], years: float) -> list[str]:
    """What a reader of the cost figures must know: chips that die early, attrition."""
    notes = []
    if r["fleet_rebuilds"] > 0:
        notes.append(
            f"the accelerators last {r['chip_life_years']:.1f} of the mission's {years:.1f} years "
            f"(total-dose limit or design life): the fleet is rebuilt and relaunched "
            f"{int(r['fleet_rebuilds'])} time(s)"
        )
    if r["accelerator_working_fraction"] < 0.99:
        notes.append(
            f"in-orbit accelerator failures (never repaired) leave "
            f"{r['accelerator_working_fraction']:.1%} of the nominal accelerators working on average"
        )
    return notes


def _terrestrial_block(r: Mapping[str, float]) -> dict[str, Any]:
    return {
        "availability": _f(r["ground_availability"], 5),
        "annual_cost_usd": _f(r["ground_annual_cost_usd"], 0),
        "rental_cost_per_accelerator_hour_usd": _f(
            r["ground_rental_cost_per_accelerator_hour_usd"], 4
        ),
        "rental_cost_per_pflop_day_usd": _f(r["ground_rental_cost_per_pflop_day_usd"], 2),
        "cost_breakdown_usd_per_accelerator_hour": {
            k: _f(r[f"ground_part_{k}_usd_per_hour"], 5) for k in GROUND_PARTS
        },
        "cost_per_accelerator_hour_usd": _f(r["ground_cost_per_accelerator_hour_usd"], 4),
        "cost_per_pflop_day_usd": _f(r["ground_cost_per_pflop_day_usd"], 2),
        "energy_cost_usd_per_kw_year": _f(r["ground_energy_cost_usd_per_kw_year"], 1),
        "capex_usd": _f(r["ground_capex_usd"], 0),
        "opex_usd_per_year": _f(r["ground_opex_usd_per_year"], 0),
        "lifetime_cost_usd": _f(r["ground_lifetime_cost_usd"], 0),
        "it_power_mw": _f(r["ground_it_power_w"] / 1e6, 4),
        "water_m3": _f(r["ground_water_m3"], 0),
    }


def build_summary(
    spec: DesignSpec,
    design: Mapping[str, np.ndarray],
    results: Mapping[str, np.ndarray],
    index: int = 0,
) -> dict[str, Any]:
    """The ``summary.json`` dict for design ``index`` of a closure run."""
    r = design_row(design, results, index)
    years = r["lifetime_s"] / SECONDS_PER_YEAR
    base = {"schema_version": SCHEMA_VERSION, "scenario": spec.mission.name}
    if spec.mission.deployment == "terrestrial":
        n_acc = r["ground_accelerators"]
        return {
            **base,
            "deployment": "terrestrial",
            "closes": True,
            "reasons": [],
            "orbit": None,
            "satellite": None,
            "fleet": {
                "satellites": 0,
                "accelerators": int(n_acc),
                "it_power_mw": _f(r["ground_it_power_w"] / 1e6, 3),
                "peak_pflops": _f(n_acc * r["acc_flops"] / 1e15, 1),
                "mass_t": None,
            },
            "launch": None,
            "economics": {
                "capex_usd": _f(r["ground_capex_usd"], 0),
                "opex_usd_per_year": _f(r["ground_opex_usd_per_year"], 0),
                "lifetime_years": years,
                "launched_power_price_usd_per_kw_year": None,
                "cost_per_accelerator_hour_usd": _f(r["ground_cost_per_accelerator_hour_usd"], 4),
                "cost_per_pflop_day_usd": _f(r["ground_cost_per_pflop_day_usd"], 2),
                "terrestrial": _terrestrial_block(r),
                "space_to_ground_cost_ratio": None,
                "breakeven_launch_price_usd_per_kg": None,
                "profile": _profile_block(spec),
                "discount_rate": _f(r["discount_rate"], 6),
            },
        }
    assert spec.satellite is not None and spec.launch is not None
    failed = [name for name in CHECK_NAMES if r[f"ok_{name}"] < 0.5]
    checks = {
        "radiator_net_flux_fraction": _f(r["margin_radiator_flux"], 4),
        "radiator_temperature_margin_k": _f(r["margin_radiator_temperature_k"], 2),
        "junction_temperature_k": _f(r["junction_temperature_k"], 2),
        "junction_margin_k": _f(r["margin_junction_k"], 2),
        "array_power_margin": _f(r["margin_array_power"], 4),
        "radiator_heat_margin": _f(r["margin_radiator_heat"], 4),
        "mass_margin_kg": _f(r["margin_mass_kg"], 1),
        "failed": failed,
    }
    count = int(r["count"])
    sats = int(r["satellites"])
    mass = r["mass_kg"]
    return {
        **base,
        "deployment": "orbital",
        "closes": not failed,
        "reasons": [_reason(name, spec, r) for name in failed],
        "checks": checks,
        "orbit": {
            "type": spec.orbit.type if spec.orbit else None,
            "altitude_km": _f(r["altitude_m"] / 1e3, 3),
            "inclination_deg": _f(math.degrees(r["inclination_rad"]), 4),
            "period_min": _f(r["period_s"] / 60.0, 3),
            "sunlit_fraction_mean": _f(r["sunlit_fraction_mean"], 5),
            "sunlit_fraction_min": _f(r["sunlit_fraction_min"], 5),
            "max_eclipse_min": _f(r["max_eclipse_s"] / 60.0, 3),
            "eclipse_orbits_per_year": _f(r["eclipse_orbits_per_year"], 1),
            "beta_min_abs_deg": _f(math.degrees(r["beta_min_abs_rad"]), 3),
            "beta_max_abs_deg": _f(math.degrees(r["beta_max_abs_rad"]), 3),
            "semi_major_axis_km": _f((R_EARTH_M + r["altitude_m"]) / 1e3, 3),
        },
        "satellite": {
            "accelerators": count,
            "accelerator": spec.satellite.compute.accelerator,
            "it_power_w": _f(r["it_power_w"], 1),
            "bus_power_w": _f(r["bus_power_w"], 1),
            "heat_load_w": _f(r["heat_load_w"], 1),
            "array_required_power_w": _f(r["array_required_power_w"], 1),
            "array_area_m2": _f(r["array_area_m2"], 3),
            "array_bol_power_w": _f(r["array_bol_power_w"], 1),
            "array_eol_power_w": _f(r["array_eol_power_w"], 1),
            "battery_wh": _f(r["battery_wh"], 1),
            "battery_max_dod": _f(r["battery_max_dod"], 4),
            "battery_cycles_required": _f(r["battery_cycles_required"], 0),
            "radiator_area_m2": _f(r["radiator_area_m2"], 3),
            "radiator_net_flux_w_per_m2": _f(r["radiator_net_flux_w_per_m2"], 2),
            "radiator_temperature_k": _f(r["radiator_temperature_k"], 2),
            "junction_temperature_k": _f(r["junction_temperature_k"], 2),
            "mass_kg": _f(mass, 2),
            "mass_breakdown_kg": {
                "compute": _f(r["mass_compute_kg"], 2),
                "solar_array": _f(r["mass_array_kg"], 2),
                "radiator": _f(r["mass_radiator_kg"], 2),
                "battery": _f(r["mass_battery_kg"], 2),
                "shielding": _f(r["mass_shielding_kg"], 2),
                "structure": _f(r["mass_structure_kg"], 2),
                "harness": _f(r["mass_harness_kg"], 2),
                "adcs_propulsion": _f(r["mass_adcs_propulsion_kg"], 2),
                "bus_avionics": _f(r["mass_bus_fixed_kg"], 2),
                "propellant": _f(r["mass_propellant_kg"], 3),
            },
            "mass_bottom_up_kg": _f(r["mass_bottom_up_kg"], 2),
            "specific_power_w_per_kg": _f(r["array_bol_power_w"] / mass, 3),
            "array_specific_power_w_per_kg": _f(r["array_bol_power_w"] / mass, 3),
            "it_specific_power_w_per_kg": _f(r["it_power_w"] / mass, 3),
            "hardware_cost_usd": _f(r["satellite_hardware_cost_usd"], 0),
        },
        "fleet": {
            "satellites": sats,
            "accelerators": sats * count,
            "it_power_mw": _f(sats * r["it_power_w"] / 1e6, 4),
            "peak_pflops": _f(sats * count * r["acc_flops"] / 1e15, 2),
            "mass_t": _f(sats * mass / 1e3, 3),
        },
        "launch": {
            "vehicle": spec.launch.vehicle,
            "payload_to_orbit_kg": _f(r["lv_payload_to_orbit_kg"], 0),
            "satellites_per_launch": _f(r["satellites_per_launch"], 0),
            "satellites_per_launch_by_mass": _f(r["satellites_per_launch_by_mass"], 0),
            "satellites_per_launch_by_volume": _f(r["satellites_per_launch_by_volume"], 0),
            "launches": _f(r["launches"], 0),
            "price_usd_per_kg": _f(r["launch_price_effective_usd_per_kg"], 2),
            "pricing": "per-kg"
            if math.isfinite(r["price_per_kg_usd"])
            else ("rideshare" if r["launch_rideshare"] > 0.5 else "per-flight"),
            "price_per_flight_usd": _f(r["lv_price_usd"], 0),
            "cost_usd": _f(r["launch_cost_usd"], 0),
        },
        "economics": {
            "capex_usd": _f(r["capex_usd"], 0),
            "opex_usd_per_year": _f(r["opex_usd_per_year"], 0),
            "lifetime_years": years,
            "replacement_cost_usd": _f(r["replacement_cost_usd"], 0),
            "expected_failures": _f(r["expected_failures"], 2),
            "lifetime_cost_usd": _f(r["lifetime_cost_usd"], 0),
            "delivered_fraction": _f(r["delivered_fraction"], 5),
            "launched_power_price_usd_per_kw_year": _f(
                r["launched_power_price_usd_per_kw_year"], 1
            ),
            "cost_per_accelerator_hour_usd": _f(r["cost_per_accelerator_hour_usd"], 4),
            "cost_per_pflop_day_usd": _f(r["cost_per_pflop_day_usd"], 2),
            "terrestrial": _terrestrial_block(r),
            "space_to_ground_cost_ratio": _f(r["space_to_ground_cost_ratio"], 4),
            "breakeven_launch_price_usd_per_kg": _f(r["breakeven_launch_price_usd_per_kg"], 2),
            "space_to_rental_cost_ratio": _f(r["space_to_rental_cost_ratio"], 4),
            "annual_cost_usd": _f(r["annual_cost_usd"], 0),
            "discount_rate": _f(r["discount_rate"], 6),
            "chip_life_years": _f(r["chip_life_years"], 3),
            "fleet_rebuilds": int(r["fleet_rebuilds"]),
            "accelerator_working_fraction": _f(r["accelerator_working_fraction"], 5),
            "cost_breakdown_usd_per_accelerator_hour": {
                k: _f(r[f"space_part_{k}_usd_per_hour"], 5) for k in SPACE_PARTS
            },
            "notes": _economic_notes(r, years),
            "profile": _profile_block(spec),
        },
    }
