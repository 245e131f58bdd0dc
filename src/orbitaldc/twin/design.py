"""The per-satellite parameters the twin steps with, from a spec, its closure and the catalogs.

Everything is SI. The thermal network has three nodes: ``compute`` (accelerators, hosts and their
cold plates), ``radiator`` (the panels, radiating to space) and ``bus`` (avionics, power
electronics, battery). The pumped loop between compute and radiator is given the conductance that
carries the design heat load across the closure's loop and cold-plate temperature rises, so the
twin and the closure describe the same hardware.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from orbitaldc import catalog
from orbitaldc.physics.constants import SECONDS_PER_YEAR

#: Specific heat used for the lumped masses, J/(kg K): aluminium 6061 (ASM Handbook vol. 2, 896).
SPECIFIC_HEAT_J_PER_KG_K = 896.0
#: Temperature rise the bus node runs above the radiator at its design load, K (assumption).
BUS_TO_RADIATOR_DELTA_T_K = 10.0
#: Coldest the coolant loop may get before heaters run, K (ammonia loops are kept above ~-40 C
#: for pumps and seals; Gilmore vol. I ch. 12; assumption for a generic loop).
COMPUTE_HEATER_SETPOINT_K = 243.15

NODES = ("compute", "radiator", "bus")


@dataclass(frozen=True)
class SatelliteDesign:
    """Scalar parameters shared by every satellite of a fleet (one design)."""

    it_power_w: float
    bus_power_w: float
    chip_power_w: float
    accelerators: int
    array_area_m2: float
    array_efficiency: float
    array_packing: float
    array_temp_factor: float
    array_degradation_per_year: float
    pointing_error_rad: float
    sun_tracking: bool
    eta_sunlight_path: float
    battery_wh: float
    battery_max_dod: float
    battery_charge_efficiency: float
    battery_discharge_efficiency: float
    shed_in_eclipse: bool
    radiator_area_m2: float
    radiator_sides: float
    radiator_fin_efficiency: float
    radiator_emissivity: float
    radiator_absorptivity: float
    capacity_j_per_k: tuple[float, float, float]
    conductance_w_per_k: tuple[tuple[float, float, float], ...]
    junction_to_coldplate_k_per_w: float
    junction_max_k: float
    heater_setpoint_k: float
    heater_max_w: float
    altitude_m: float
    lifetime_s: float

    @property
    def eps_area_m2(self) -> np.ndarray:
        """Emissivity x radiating area per node, m^2 (only the radiator sees space)."""
        return np.array(
            [
                0.0,
                self.radiator_emissivity
                * self.radiator_area_m2
                * self.radiator_sides
                * self.radiator_fin_efficiency,
                0.0,
            ]
        )

    def degradation(self, t_since_start_s: float) -> float:
        """Array output factor after ``t`` seconds of mission, ``(1 - d)^years``."""
        return (1.0 - self.array_degradation_per_year) ** (t_since_start_s / SECONDS_PER_YEAR)


def design_from_summary(spec: Any, summary: dict[str, Any]) -> SatelliteDesign:
    """Build the twin's parameters from a spec and its closure summary (``orbitaldc.evaluate``)."""
    sat, s = spec.satellite, summary["satellite"]
    acc = catalog.get("accelerators", sat.compute.accelerator)
    arr = catalog.get("solar_arrays", sat.power.array)
    bat = catalog.get("batteries", sat.power.battery)
    rad = catalog.get("radiators", sat.thermal.radiator)
    rules = catalog.design_rules()
    n = sat.compute.count
    breakdown = s["mass_breakdown_kg"]
    c_compute = SPECIFIC_HEAT_J_PER_KG_K * (breakdown["compute"] + 0.5 * breakdown["shielding"])
    c_radiator = SPECIFIC_HEAT_J_PER_KG_K * max(breakdown["radiator"], 1.0)
    c_bus = SPECIFIC_HEAT_J_PER_KG_K * (
        breakdown["structure"] + breakdown["bus_avionics"] + breakdown["battery"]
    )
    compute_heat = s["it_power_w"]
    g_loop = compute_heat / (rules.coolant_loop_delta_t_k + rules.coldplate_delta_t_k)
    bus_heat = s["heat_load_w"] - compute_heat
    g_bus = max(bus_heat, 1.0) / BUS_TO_RADIATOR_DELTA_T_K
    conductance = ((0.0, g_loop, 0.0), (g_loop, 0.0, g_bus), (0.0, g_bus, 0.0))
    temp_factor = 1.0 + arr.temperature_coefficient_per_k * (
        arr.operating_temperature_k - arr.reference_temperature_k
    )
    return SatelliteDesign(
        it_power_w=s["it_power_w"],
        bus_power_w=s["bus_power_w"],
        chip_power_w=acc.power_w * sat.compute.utilisation,
        accelerators=n,
        array_area_m2=s["array_area_m2"],
        array_efficiency=arr.efficiency_bol,
        array_packing=arr.packing_factor,
        array_temp_factor=temp_factor,
        array_degradation_per_year=arr.degradation_per_year,
        pointing_error_rad=rules.pointing_error_rad,
        sun_tracking=sat.power.pointing == "sun-tracking",
        eta_sunlight_path=rules.eta_sunlight_path,
        battery_wh=s["battery_wh"],
        battery_max_dod=s["battery_max_dod"],
        battery_charge_efficiency=bat.charge_efficiency,
        battery_discharge_efficiency=bat.discharge_efficiency,
        shed_in_eclipse=sat.power.eclipse_strategy == "shed",
        radiator_area_m2=s["radiator_area_m2"],
        radiator_sides=float(rad.sides),
        radiator_fin_efficiency=rad.fin_efficiency,
        radiator_emissivity=rad.emissivity_eol,
        radiator_absorptivity=rad.absorptivity_eol,
        capacity_j_per_k=(c_compute, c_radiator, c_bus),
        conductance_w_per_k=conductance,
        junction_to_coldplate_k_per_w=acc.junction_to_coldplate_k_per_w,
        junction_max_k=acc.junction_max_k,
        heater_setpoint_k=COMPUTE_HEATER_SETPOINT_K,
        heater_max_w=0.2 * s["it_power_w"],
        altitude_m=summary["orbit"]["altitude_km"] * 1e3,
        lifetime_s=spec.mission.lifetime_s,
    )
