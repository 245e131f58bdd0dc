"""Flatten a spec and its catalog entries into the SI design arrays the closure kernel sizes.

:func:`design_arrays` resolves every catalog id once, then broadcasts each scalar to ``(design,)``
and applies ``overrides`` (arrays of length N keyed by the names in :data:`OVERRIDABLE`), so a sweep
over N variants of one spec costs one catalog lookup and one vectorised kernel call.
"""

from __future__ import annotations

import difflib
import math
from collections.abc import Mapping

import numpy as np
from numpy.typing import ArrayLike

from orbitaldc import catalog
from orbitaldc.catalog.models import CostValue
from orbitaldc.fleet import fleet_elements, orbit_plane
from orbitaldc.physics import orbit as orbit_engine
from orbitaldc.physics import timescale
from orbitaldc.physics.constants import R_EARTH_M, SECONDS_PER_YEAR
from orbitaldc.spec import DesignSpec

#: Design rules copied from the catalog into the arrays (names identical in both).
RULES = (
    "bus_power_w",
    "bus_power_fraction",
    "eta_sunlight_path",
    "eta_eclipse_path",
    "pointing_error_rad",
    "structure_mass_fraction",
    "harness_mass_fraction",
    "adcs_propulsion_mass_fraction",
    "bus_fixed_mass_kg",
    "aluminium_density_kg_per_m3",
    "stowed_density_kg_per_m3",
    "fairing_packing_efficiency",
    "coldplate_delta_t_k",
    "coolant_loop_delta_t_k",
    "accelerator_availability",
    "compute_enclosure_fill_fraction",
)


def _orbit_geometry(spec: DesignSpec) -> tuple[float, float, float]:
    """Altitude (m), inclination (rad) and RAAN at mission start (rad) of the design's orbit: the
    analytic orbit's plane, or the median shell of a TLE fleet."""
    assert spec.orbit is not None
    if spec.orbit.type != "tle":
        return orbit_plane(spec)
    elements = fleet_elements(spec)
    return (
        float(np.median(elements.semi_major_axis_m)) - R_EARTH_M,
        float(np.median(elements.inclination_rad)),
        float(elements.raan_rad[0]),
    )


def _accelerator(d: dict[str, float], acc: object) -> None:
    d["acc_power_w"] = acc.power_w
    d["acc_flops"] = acc.flops[acc.default_precision]
    d["acc_host_power_w"] = acc.host_power_w
    d["acc_link_power_w"] = acc.link_power_w
    d["acc_mass_kg"] = acc.mass_kg
    d["acc_host_mass_kg"] = acc.host_mass_kg
    d["acc_volume_m3"] = acc.volume_m3
    d["acc_unit_cost_usd"] = acc.unit_cost_usd
    d["acc_host_cost_usd"] = acc.host_cost_usd
    d["acc_rental_usd_per_hour"] = _or_nan(acc.rental_usd_per_hour)
    d["acc_junction_max_k"] = acc.junction_max_k
    d["acc_junction_to_coldplate_k_per_w"] = acc.junction_to_coldplate_k_per_w


def _site(d: dict[str, float], spec: DesignSpec) -> None:
    t = spec.terrestrial
    site = catalog.get("terrestrial_sites", t.site)
    d["site_electricity_usd_per_kwh"] = (
        t.electricity_price_usd_per_j * 3.6e6
        if t.electricity_price_usd_per_j is not None
        else site.electricity_usd_per_kwh
    )
    d["site_pue"] = t.pue if t.pue is not None else site.pue
    d["site_facility_capex_usd_per_w"] = site.facility_capex_usd_per_w
    d["site_facility_lifetime_years"] = site.facility_lifetime_years
    d["site_water_m3_per_mwh"] = site.water_m3_per_mwh
    d["site_opex_fraction_per_year"] = site.opex_fraction_per_year
    d["site_availability"] = site.availability
    # A (user) site without these figures leaves them uncosted and recovers its chips over the
    # mission, as the closure did before they existed.
    d["ground_networking_usd_per_accelerator"] = site.networking_usd_per_accelerator or 0.0
    d["ground_staff_maintenance_usd_per_mw_year"] = site.staff_maintenance_usd_per_mw_year or 0.0
    d["ground_chip_economic_life_years"] = (
        site.chip_economic_life_years or spec.mission.lifetime_s / SECONDS_PER_YEAR
    )


def scalar_design(spec: DesignSpec) -> dict[str, float]:
    """Every input of the closure for one spec, as SI scalars (NaN marks "not fixed by the user")."""
    rules = catalog.design_rules()
    d: dict[str, float] = {
        "lifetime_s": spec.mission.lifetime_s,
        "start_s": float(timescale.seconds_since_j2000(spec.mission.start)),
    }
    _site(d, spec)
    if spec.mission.deployment == "terrestrial":
        assert spec.terrestrial.it_power_w is not None
        _accelerator(d, catalog.get("accelerators", spec.accelerator_id))
        d["orbital"] = 0.0
        d["ground_it_power_w_target"] = spec.terrestrial.it_power_w
        d["utilisation"] = rules.default_utilisation
        d["accelerator_availability"] = rules.accelerator_availability
        _economics(d, spec)
        return d
    sat, con, lv_spec = spec.satellite, spec.constellation, spec.launch
    assert sat is not None and con is not None and lv_spec is not None
    d["orbital"] = 1.0
    d["altitude_m"], d["inclination_rad"], d["raan0_rad"] = _orbit_geometry(spec)
    d["satellites"] = float(con.satellites)
    d["count"] = float(sat.compute.count)
    d["utilisation"] = sat.compute.utilisation
    _accelerator(d, catalog.get("accelerators", sat.compute.accelerator))

    arr = catalog.get("solar_arrays", sat.power.array)
    d["array_efficiency_bol"] = arr.efficiency_bol
    d["array_reference_temperature_k"] = arr.reference_temperature_k
    d["array_temperature_coefficient_per_k"] = arr.temperature_coefficient_per_k
    d["array_operating_temperature_k"] = arr.operating_temperature_k
    d["array_degradation_per_year"] = arr.degradation_per_year
    d["array_packing_factor"] = arr.packing_factor
    d["array_areal_density_kg_per_m2"] = arr.areal_density_kg_per_m2
    d["array_cost_usd_per_w"] = arr.cost_usd_per_w
    d["array_area_m2_fixed"] = _or_nan(sat.power.array_area_m2)
    d["pointing_tracking"] = 1.0 if sat.power.pointing == "sun-tracking" else 0.0
    d["eclipse_shed"] = 1.0 if sat.power.eclipse_strategy == "shed" else 0.0

    bat = catalog.get("batteries", sat.power.battery)
    d["battery_specific_energy_wh_per_kg"] = bat.specific_energy_wh_per_kg
    d["battery_max_dod"] = bat.max_depth_of_discharge
    d["battery_reference_dod"] = bat.reference_depth_of_discharge
    d["battery_cycle_life_at_reference"] = bat.cycle_life_at_reference
    d["battery_cycle_life_exponent"] = bat.cycle_life_exponent
    d["battery_discharge_efficiency"] = bat.discharge_efficiency
    d["battery_max_discharge_c_rate"] = bat.max_discharge_c_rate
    d["battery_charge_efficiency"] = bat.charge_efficiency
    d["battery_max_charge_c_rate"] = bat.max_charge_c_rate
    d["battery_cost_usd_per_wh"] = bat.cost_usd_per_wh
    d["min_battery_hours"] = rules.min_battery_hours_bus_only

    rad = catalog.get("radiators", sat.thermal.radiator)
    d["radiator_temperature_k"] = sat.thermal.radiator_temperature_k
    d["radiator_emissivity_eol"] = rad.emissivity_eol
    d["radiator_absorptivity_eol"] = rad.absorptivity_eol
    d["radiator_areal_density_kg_per_m2"] = rad.areal_density_kg_per_m2
    d["radiator_fin_efficiency"] = rad.fin_efficiency
    d["radiator_sides"] = float(rad.sides)
    d["radiator_max_temperature_k"] = rad.max_temperature_k
    d["radiator_cost_usd_per_m2"] = rad.cost_usd_per_m2
    d["radiator_area_m2_fixed"] = _or_nan(sat.thermal.radiator_area_m2)

    d["shielding_m"] = sat.structure.shielding_m
    d["mass_kg_fixed"] = _or_nan(sat.mass_kg)
    d["specific_power_fixed"] = _or_nan(sat.power.specific_power_w_per_kg)
    d["cost_per_watt_fixed"] = _or_nan(sat.cost_per_watt_usd_per_w)

    lv = catalog.get("launchers", lv_spec.vehicle)
    polar = d["inclination_rad"] > math.radians(60.0)
    d["lv_payload_kg"] = lv.payload_sso_kg if polar else lv.payload_leo_kg
    d["lv_reference_altitude_m"] = lv.reference_altitude_m
    d["lv_upper_stage_isp_s"] = lv.upper_stage_isp_s
    d["lv_fairing_volume_m3"] = lv.fairing_volume_m3
    d["lv_price_usd"] = lv.price_usd
    d["ground_stations"] = rules.ground_stations_per_cluster
    gs = catalog.load("ground_stations")
    d["ground_segment_lease_usd_per_year"] = float(
        np.mean([s.cost_usd_per_year for s in gs.values()])
    )
    for name in RULES:
        d[name] = float(getattr(rules, name))
    _economics(d, spec)
    _network(d, spec)
    d["chip_life_years"] = math.nan  # the design life, unless the radiation chain says less
    if lv_spec.price_per_kg_usd is not None:
        d["price_per_kg_usd"] = lv_spec.price_per_kg_usd
    return d


#: Solar activities of the station-keeping density table, in the order of
#: ``solar_activity_index`` (``physics.stationkeeping.SOLAR_ACTIVITY``).
SOLAR_ACTIVITIES = ("low", "moderate", "high")


def _network(d: dict[str, float], spec: DesignSpec) -> None:
    """The ``[network]`` section's hardware into the design: the link terminals' mass and power
    join the bus (every consumer of the bus figures sees them), their count and price the
    economics; the station-keeping inputs for the propellant the closure carries. Without the
    section: no terminals beyond the cost profile's and no propellant."""
    net = spec.network
    d["station_keeping"] = 0.0 if net is None else 1.0
    d["drag_area_per_mass_m2_kg"] = 0.0 if net is None else net.drag_area_per_mass_m2_kg
    d["solar_activity_index"] = (
        1.0 if net is None else float(SOLAR_ACTIVITIES.index(net.solar_activity))
    )
    cluster = spec.constellation is not None and spec.constellation.layout == "cluster"
    d["ballistic_spread"] = net.ballistic_spread if net is not None and cluster else 0.0
    d["isp_s"] = 1500.0 if net is None else net.isp_s
    d["isl_terminals"] = 0.0
    if net is None or net.terminal is None:
        return
    terminal = catalog.get("terminals", net.terminal)
    count = float(net.terminals_per_satellite)
    d["isl_terminals"] = count
    d["bus_power_w"] += count * (terminal.power_w or 0.0)
    d["bus_fixed_mass_kg"] += count * (terminal.mass_kg or 0.0)
    d["optical_terminals_per_satellite"] = count
    if terminal.cost_usd is not None:
        d["optical_terminal_cost_usd"] = terminal.cost_usd


#: Cost-profile value names whose design-array name differs.
PROFILE_ARRAY_NAMES = {
    "solar_array_cost_usd_per_w": "array_cost_usd_per_w",
    "launch_price_usd_per_kg": "price_per_kg_usd",
}
#: Cost-profile values that only the time studies use (not inputs of one closure).
PROFILE_TIME_VALUES = (
    "launch_learning_rate",
    "hardware_learning_rate",
    "launch_mass_growth_per_year",
    "hardware_production_growth_per_year",
    "base_year",
    "electricity_price_trend_per_year",
)


def cost_profile(spec: DesignSpec) -> dict[str, dict[str, object]]:
    """The design's cost assumptions: every value of its profile, with the spec's overrides,
    as ``{name: {"value", "unit", "source", "date"}}`` (an override's source says so)."""
    entry = catalog.cost_profile(spec.economics.profile)
    values = {
        name: {"value": v.value, "unit": v.unit, "source": v.source, "date": v.date}
        for name in type(entry).model_fields
        if isinstance(v := getattr(entry, name), CostValue)
    }
    fields = type(entry).model_fields
    for name, value in spec.economics.overrides.items():
        if name not in fields or name in ("id", "name", "description"):
            hint = difflib.get_close_matches(name, list(values), n=1)
            raise ValueError(
                f"economics.{name}: not a value of a cost profile"
                + (f"; did you mean {hint[0]!r}?" if hint else "")
            )
        unit = values[name]["unit"] if name in values else "as its name says"
        values[name] = {"value": value, "unit": unit, "source": "spec override", "date": None}
    return values


def _economics(d: dict[str, float], spec: DesignSpec) -> None:
    """The cost profile's values into the design arrays, and the ground's per-site and
    per-accelerator prices (NaN where the catalog has none)."""
    d["price_per_kg_usd"] = math.nan
    for name, v in cost_profile(spec).items():
        if name not in PROFILE_TIME_VALUES:
            d[PROFILE_ARRAY_NAMES.get(name, name)] = float(v["value"])


def _or_nan(value: float | None) -> float:
    return math.nan if value is None else float(value)


#: Design-array names that :func:`design_arrays` accepts as overrides (SI units).
OVERRIDABLE = (
    "altitude_m",
    "lifetime_s",
    "satellites",
    "count",
    "utilisation",
    "radiator_temperature_k",
    "shielding_m",
    "price_per_kg_usd",
    "acc_power_w",
    "array_efficiency_bol",
    "array_degradation_per_year",
    "radiator_emissivity_eol",
    "radiator_absorptivity_eol",
    "battery_specific_energy_wh_per_kg",
    "site_electricity_usd_per_kwh",
    "site_pue",
    "mass_kg_fixed",
    "cost_per_watt_fixed",
    "satellite_annual_failure_rate",
    "specific_power_fixed",
    "lv_price_usd",
    "acc_unit_cost_usd",
    "acc_rental_usd_per_hour",
    "chip_life_years",
    "discount_rate",
    "structure_cost_usd_per_kg",
    "electronics_cost_usd_per_kg",
    "array_cost_usd_per_w",
    "integration_cost_fraction",
    "operations_cost_usd_per_satellite_year",
    "optical_terminal_cost_usd",
    "insurance_fraction",
    "accelerator_annual_failure_rate",
    "spares_fraction",
    "ground_chip_economic_life_years",
    "ground_networking_usd_per_accelerator",
    "site_facility_capex_usd_per_w",
)


#: Overridable names for which NaN means "not set" (the closure then sizes or prices it itself:
#: ``price_per_kg_usd`` NaN prices launch per flight).
NAN_MEANS_UNSET = (
    *(name for name in OVERRIDABLE if name.endswith("_fixed")),
    "price_per_kg_usd",
    "acc_rental_usd_per_hour",
    "chip_life_years",
)


def design_inputs(
    spec: DesignSpec, overrides: Mapping[str, ArrayLike] | None = None
) -> tuple[dict[str, np.float64 | np.ndarray], int]:
    """The closure's inputs for ``spec`` with optional per-design overrides, and their count N.

    Like :func:`design_arrays`, but a value the overrides leave alone stays one float (a numpy
    float) shared by every design, so the closure computes what depends only on the spec once per
    batch, not N times (numpy broadcasting does the rest). Overridden values are arrays of shape
    ``(N,)``.
    """
    base = scalar_design(spec)
    overrides = dict(overrides or {})
    lengths = {np.size(v) for v in overrides.values()}
    if len(lengths) > 1:
        raise ValueError(f"overrides must all have the same length, got lengths {sorted(lengths)}")
    n = lengths.pop() if lengths else 1
    for name in overrides:
        if name not in OVERRIDABLE:
            hint = difflib.get_close_matches(name, OVERRIDABLE, n=1)
            extra = f"; did you mean '{hint[0]}'?" if hint else ""
            raise ValueError(
                f"cannot override {name!r}{extra} (overridable: {', '.join(OVERRIDABLE)})"
            )
    inputs: dict[str, np.float64 | np.ndarray] = {k: np.float64(v) for k, v in base.items()}
    for name, values in overrides.items():
        values = np.asarray(values, dtype=float).reshape(n)
        if not np.all(np.isfinite(values)) and name not in NAN_MEANS_UNSET:
            raise ValueError(f"override {name!r} contains NaN or infinite values")
        inputs[name] = values
    if (
        "altitude_m" in overrides
        and spec.orbit is not None
        and spec.orbit.type == "sun-synchronous"
    ):
        inputs["inclination_rad"] = orbit_engine.sun_synchronous_inclination_rad(
            R_EARTH_M + inputs["altitude_m"]
        )
    return inputs, n


def design_arrays(
    spec: DesignSpec, overrides: Mapping[str, ArrayLike] | None = None
) -> dict[str, np.ndarray]:
    """The closure's input arrays for ``spec``, with optional per-design overrides.

    Parameters
    ----------
    spec : DesignSpec
        The base design.
    overrides : mapping, optional
        ``{name: array}`` with names from :data:`OVERRIDABLE` (SI units) and every array the same
        length N. Changing ``altitude_m`` of a sun-synchronous design recomputes its inclination.

    Returns
    -------
    dict of str to ndarray, shape (N,)
    """
    inputs, n = design_inputs(spec, overrides)
    return {k: np.broadcast_to(np.asarray(v, dtype=float), (n,)).copy() for k, v in inputs.items()}
