"""The per-satellite parameters the twin steps with, from a spec, its closure and the catalogs.

Everything is SI. The thermal network has five nodes (``NODES``):

- ``compute``: accelerators, hosts and their cold plates;
- ``coolant``: the pumped loop's fluid and lines (heaters act here);
- ``radiator``: the panels, radiating both faces to space;
- ``array``: the solar array, absorbing sunlight, albedo and Earth infrared, radiating from both
  faces; its temperature sets the cells' temperature coefficient;
- ``bus``: avionics, power electronics, battery.

Conductances chain compute -> coolant -> radiator <- bus: the cold-plate and loop conductances
carry the design compute heat across the closure's cold-plate and loop temperature rises, so at
steady state the twin reproduces the closure's radiator and junction temperatures (tested). The
array is thermally isolated from the bus (a deployed array on booms or a drive mechanism conducts
a few W/K at most against the hundreds of W/K it radiates; Gilmore, *Spacecraft Thermal Control
Handbook* vol. I, 2nd ed., ch. 6 treats arrays as radiatively decoupled).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import ArrayLike

from orbitaldc import catalog
from orbitaldc.physics import radiator, solar_array, thermal
from orbitaldc.physics.constants import SECONDS_PER_YEAR

#: Specific heat used for the metallic lumped masses, J/(kg K): aluminium 6061 (ASM Handbook
#: vol. 2: 896).
SPECIFIC_HEAT_J_PER_KG_K = 896.0
#: Specific heat of the coolant, J/(kg K): saturated liquid ammonia near 0-20 C (NIST Chemistry
#: WebBook, fluid properties of ammonia: 4.6-4.8 kJ/(kg K)).
COOLANT_SPECIFIC_HEAT_J_PER_KG_K = 4700.0
#: Coolant inventory per watt of design compute heat, kg/W (assumption: 5 kg per kW; the ISS
#: external loops reject 35 kW each and carry ammonia charges of a few hundred kg, NASA ISS EATCS
#: overview, so a few kg per kW is the right order).
COOLANT_KG_PER_W = 5e-3
#: Temperature rise the bus node runs above the radiator at its design load, K (assumption).
BUS_TO_RADIATOR_DELTA_T_K = 10.0
#: Coldest the coolant loop may get before heaters run, K (ammonia loops are kept above ~-40 C
#: for pumps and seals; Gilmore vol. I ch. 12; assumption for a generic loop).
COOLANT_HEATER_SETPOINT_K = 243.15
#: Heater capacity as a fraction of the design compute power (assumption).
HEATER_FRACTION_OF_IT = 0.2
#: Samples of the tilted-plate Earth view factor table over cos(tilt) in [-1, 1]; linear
#: interpolation on it is within 2e-5 of the exact factor (tested).
VIEW_TABLE_SIZE = 2001

NODES = ("compute", "coolant", "radiator", "array", "bus")
COMPUTE, COOLANT, RADIATOR, ARRAY, BUS = range(5)


@dataclass(frozen=True)
class SatelliteDesign:
    """Scalar parameters shared by every satellite of a fleet (one design), SI."""

    it_power_w: float
    bus_power_w: float
    chip_power_w: float
    accelerators: int
    array_area_m2: float
    array_efficiency: float
    array_packing: float
    array_temp_coeff_per_k: float
    array_reference_temperature_k: float
    array_operating_temperature_k: float
    array_degradation_per_year: float
    array_front_absorptivity: float
    array_front_emissivity: float
    array_back_absorptivity: float
    array_back_emissivity: float
    pointing_error_rad: float
    sun_tracking: bool
    eta_sunlight_path: float
    battery_wh: float
    battery_max_dod: float
    battery_charge_efficiency: float
    battery_discharge_efficiency: float
    battery_max_charge_w: float
    battery_max_discharge_w: float
    shed_in_eclipse: bool
    radiator_area_m2: float
    radiator_sides: float
    radiator_fin_efficiency: float
    radiator_emissivity: float
    radiator_absorptivity: float
    capacity_j_per_k: tuple[float, ...]
    conductance_w_per_k: tuple[tuple[float, ...], ...]
    junction_to_coldplate_k_per_w: float
    junction_max_k: float
    heater_setpoint_k: float
    heater_max_w: float
    altitude_m: float
    lifetime_s: float

    @property
    def eps_area_m2(self) -> np.ndarray:
        """Emissivity x radiating area per node toward space, m^2 (radiator and array only)."""
        eps_a = np.zeros(len(NODES))
        eps_a[RADIATOR] = (
            self.radiator_emissivity
            * self.radiator_area_m2
            * self.radiator_sides
            * self.radiator_fin_efficiency
        )
        eps_a[ARRAY] = (self.array_front_emissivity + self.array_back_emissivity) * (
            self.array_area_m2
        )
        return eps_a

    def view_factor_table(self) -> np.ndarray:
        """Earth view factor of one array face on a uniform grid of cos(tilt from nadir) in
        [-1, 1] (``VIEW_TABLE_SIZE`` points) at the design altitude (Howell B-30)."""
        return thermal.earth_view_factor_plate(
            self.altitude_m, np.linspace(-1.0, 1.0, VIEW_TABLE_SIZE)
        )

    @property
    def radiator_view_factor(self) -> float:
        """Earth view factor of one radiator face, kept edge-on to the Sun (Howell B-30, 90 deg)."""
        return float(radiator.earth_view_factor_vertical_plate(self.altitude_m))


def degradation_factor(
    years: ArrayLike,
    degradation_per_year: float,
    table: tuple[ArrayLike, ArrayLike] | None = None,
) -> np.ndarray:
    """Remaining array output after ``years`` of mission, 0..1.

    With ``table = (years, remaining_factor)`` (for example the radiation engine's
    displacement-damage curve) the factor is interpolated linearly and held at the end values
    outside the table; without it, the catalog's ``(1 - d)^years`` (SMAD 3rd ed. eq. 11-6).
    """
    y = np.asarray(years, dtype=float)
    if table is None:
        return solar_array.degradation_factor(y, degradation_per_year)
    t_years, factor = (np.asarray(v, dtype=float) for v in table)
    return np.interp(y, t_years, factor)


def check_degradation_table(table: Any) -> tuple[np.ndarray, np.ndarray] | None:
    """Validate a ``(years, remaining_factor)`` table; returns it as float arrays."""
    if table is None:
        return None
    try:
        t_years, factor = (np.asarray(v, dtype=float) for v in table)
    except (TypeError, ValueError):
        raise ValueError(
            "degradation_table must be a pair (years, remaining_factor) of equal-length arrays"
        ) from None
    if t_years.ndim != 1 or t_years.shape != factor.shape or t_years.size < 1:
        raise ValueError(
            "degradation_table: years and remaining_factor must be 1-D and of equal length"
        )
    if not (np.all(np.isfinite(t_years)) and np.all(np.diff(t_years) > 0)):
        raise ValueError("degradation_table: years must be finite and strictly increasing")
    if not (np.all(np.isfinite(factor)) and np.all(factor >= 0) and np.all(factor <= 1)):
        raise ValueError("degradation_table: remaining_factor must lie in [0, 1]")
    return t_years, factor


def design_from_closure(spec: Any, figures: Mapping[str, float]) -> SatelliteDesign:
    """Build the twin's parameters from a spec and its closure's full-precision figures.

    ``figures`` is ``orbitaldc.closure.close_design(spec).figures`` (SI floats named as the
    columns of ``evaluate_batch``), never the rounded summary.json.
    """
    sat, s = spec.satellite, figures
    acc = catalog.get("accelerators", sat.compute.accelerator)
    arr = catalog.get("solar_arrays", sat.power.array)
    bat = catalog.get("batteries", sat.power.battery)
    rad = catalog.get("radiators", sat.thermal.radiator)
    rules = catalog.design_rules()
    breakdown = {
        "compute": s["mass_compute_kg"],
        "shielding": s["mass_shielding_kg"],
        "radiator": s["mass_radiator_kg"],
        "solar_array": s["mass_array_kg"],
        "structure": s["mass_structure_kg"],
        "bus_avionics": s["mass_bus_fixed_kg"],
        "battery": s["mass_battery_kg"],
    }
    compute_heat = s["it_power_w"]
    capacity = (
        SPECIFIC_HEAT_J_PER_KG_K * (breakdown["compute"] + 0.5 * breakdown["shielding"]),
        COOLANT_SPECIFIC_HEAT_J_PER_KG_K * COOLANT_KG_PER_W * compute_heat,
        SPECIFIC_HEAT_J_PER_KG_K * max(breakdown["radiator"], 1.0),
        arr.specific_heat_j_per_kg_k * max(breakdown["solar_array"], 0.1),
        SPECIFIC_HEAT_J_PER_KG_K
        * (breakdown["structure"] + breakdown["bus_avionics"] + breakdown["battery"]),
    )
    # The floors (1 kg, 0.1 kg, 1e-3 K, 1 W) only keep capacities and conductances positive for a
    # degenerate design (no radiator or array mass, zero temperature difference); a closed design
    # never reaches them.
    g = np.zeros((len(NODES), len(NODES)))
    g[COMPUTE, COOLANT] = compute_heat / max(rules.coldplate_delta_t_k, 1e-3)
    g[COOLANT, RADIATOR] = compute_heat / max(rules.coolant_loop_delta_t_k, 1e-3)
    g[BUS, RADIATOR] = max(s["heat_load_w"] - compute_heat, 1.0) / BUS_TO_RADIATOR_DELTA_T_K
    g = g + g.T
    return SatelliteDesign(
        it_power_w=s["it_power_w"],
        bus_power_w=s["bus_power_w"],
        chip_power_w=acc.power_w * sat.compute.utilisation,
        accelerators=sat.compute.count,
        array_area_m2=s["array_area_m2"],
        array_efficiency=arr.efficiency_bol,
        array_packing=arr.packing_factor,
        array_temp_coeff_per_k=arr.temperature_coefficient_per_k,
        array_reference_temperature_k=arr.reference_temperature_k,
        array_operating_temperature_k=arr.operating_temperature_k,
        array_degradation_per_year=arr.degradation_per_year,
        array_front_absorptivity=arr.front_absorptivity,
        array_front_emissivity=arr.front_emissivity,
        array_back_absorptivity=arr.back_absorptivity,
        array_back_emissivity=arr.back_emissivity,
        pointing_error_rad=rules.pointing_error_rad,
        sun_tracking=sat.power.pointing == "sun-tracking",
        eta_sunlight_path=rules.eta_sunlight_path,
        battery_wh=s["battery_wh"],
        battery_max_dod=s["battery_max_dod"],
        battery_charge_efficiency=bat.charge_efficiency,
        battery_discharge_efficiency=bat.discharge_efficiency,
        battery_max_charge_w=bat.max_charge_c_rate * s["battery_wh"],
        battery_max_discharge_w=bat.max_discharge_c_rate * s["battery_wh"],
        shed_in_eclipse=sat.power.eclipse_strategy == "shed",
        radiator_area_m2=s["radiator_area_m2"],
        radiator_sides=float(rad.sides),
        radiator_fin_efficiency=rad.fin_efficiency,
        radiator_emissivity=rad.emissivity_eol,
        radiator_absorptivity=rad.absorptivity_eol,
        capacity_j_per_k=capacity,
        conductance_w_per_k=tuple(tuple(float(x) for x in row) for row in g),
        junction_to_coldplate_k_per_w=acc.junction_to_coldplate_k_per_w,
        junction_max_k=acc.junction_max_k,
        heater_setpoint_k=COOLANT_HEATER_SETPOINT_K,
        heater_max_w=HEATER_FRACTION_OF_IT * s["it_power_w"],
        altitude_m=s["altitude_m"],
        lifetime_s=spec.mission.lifetime_s,
    )


def years_since_start(t_s: ArrayLike, start_s: float) -> np.ndarray:
    """Mission time in Julian years since ``start_s``."""
    return (np.asarray(t_s, dtype=float) - start_s) / SECONDS_PER_YEAR
