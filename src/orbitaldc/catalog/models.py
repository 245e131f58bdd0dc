"""Catalog entry models: one frozen pydantic model per component kind.

Every entry carries ``source`` (paper, datasheet or URL: where the numbers come from), and, where a
value is an estimate, ``confidence`` and a ``note`` that says why and what the range is. Values are
SI-suffixed plain numbers (``power_w = 700.0``). ``extra="forbid"`` makes a typo in a data file
an error that names the field.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

Confidence = Literal["measured", "datasheet", "published-estimate", "assumption"]


class Entry(BaseModel):
    """Fields every catalog entry has."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str
    name: str
    source: str = Field(min_length=8)
    confidence: Confidence = "datasheet"
    note: str = ""


class Accelerator(Entry):
    """An AI accelerator with its per-accelerator share of host, links and packaging."""

    power_w: float = Field(gt=0)
    flops: dict[str, float]
    default_precision: str = "bf16"
    memory_bytes: float = Field(gt=0)
    memory_bandwidth_bytes_per_s: float = Field(gt=0)
    mass_kg: float = Field(gt=0)
    host_power_w: float = Field(ge=0)
    host_mass_kg: float = Field(ge=0)
    unit_cost_usd: float = Field(gt=0)
    host_cost_usd: float = Field(ge=0)
    junction_max_k: float = Field(gt=273)
    junction_to_coldplate_k_per_w: float = Field(ge=0)
    volume_m3: float = Field(gt=0)
    link_power_w: float = Field(ge=0)


class SolarArray(Entry):
    """A solar array technology (cells on their substrate and deployment structure)."""

    efficiency_bol: float = Field(gt=0, lt=0.5)
    reference_temperature_k: float = 301.15
    temperature_coefficient_per_k: float = Field(lt=0, gt=-0.01)
    operating_temperature_k: float = Field(gt=200, lt=450)
    degradation_per_year: float = Field(ge=0, lt=0.2)
    packing_factor: float = Field(gt=0, le=1)
    areal_density_kg_per_m2: float = Field(gt=0)
    specific_power_w_per_kg: float = Field(gt=0)
    cost_usd_per_w: float = Field(gt=0)
    stowed_volume_m3_per_m2: float = Field(gt=0)


class Radiator(Entry):
    """A radiator panel technology with its coating."""

    areal_density_kg_per_m2: float = Field(gt=0)
    emissivity_bol: float = Field(gt=0, le=1)
    emissivity_eol: float = Field(gt=0, le=1)
    absorptivity_bol: float = Field(gt=0, le=1)
    absorptivity_eol: float = Field(gt=0, le=1)
    max_temperature_k: float = Field(gt=250)
    fin_efficiency: float = Field(gt=0, le=1)
    cost_usd_per_m2: float = Field(gt=0)
    sides: int = Field(ge=1, le=2)
    stowed_volume_m3_per_m2: float = Field(gt=0)


class Battery(Entry):
    """A rechargeable battery technology, at pack level."""

    specific_energy_wh_per_kg: float = Field(gt=0)
    max_depth_of_discharge: float = Field(gt=0, le=1)
    reference_depth_of_discharge: float = Field(gt=0, le=1)
    cycle_life_at_reference: float = Field(gt=0)
    cycle_life_exponent: float = Field(gt=0)
    charge_efficiency: float = Field(gt=0, le=1)
    discharge_efficiency: float = Field(gt=0, le=1)
    cost_usd_per_wh: float = Field(gt=0)


class Launcher(Entry):
    """A launch vehicle."""

    payload_leo_kg: float = Field(gt=0)
    payload_sso_kg: float = Field(gt=0)
    reference_altitude_m: float = Field(gt=0)
    fairing_diameter_m: float = Field(gt=0)
    fairing_height_m: float = Field(gt=0)
    fairing_volume_m3: float = Field(gt=0)
    price_usd: float = Field(gt=0)
    price_usd_per_kg: float = Field(gt=0)
    reusable: bool
    status: Literal["operational", "in-development"]
    upper_stage_isp_s: float = Field(gt=0)


class TerrestrialSite(Entry):
    """A terrestrial data-center site: power price, efficiency and facility costs."""

    electricity_usd_per_kwh: float = Field(gt=0)
    pue: float = Field(ge=1, le=3)
    facility_capex_usd_per_w: float = Field(gt=0)
    facility_lifetime_years: float = Field(gt=0)
    water_m3_per_mwh: float = Field(ge=0)
    opex_fraction_per_year: float = Field(ge=0, lt=1)
    availability: float = Field(gt=0, le=1)


class GroundStation(Entry):
    """A ground station site."""

    latitude_deg: float = Field(ge=-90, le=90)
    longitude_deg: float = Field(ge=-180, le=360)
    altitude_m: float
    min_elevation_deg: float = Field(ge=0, lt=90)
    cost_usd_per_year: float = Field(ge=0)
    kind: Literal["rf", "optical"]


class DesignRules(BaseModel):
    """Sourced defaults the closure uses; ``sources`` and ``notes`` name where each comes from."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    bus_power_w: float = Field(ge=0)
    bus_power_fraction: float = Field(ge=0, lt=1)
    eta_sunlight_path: float = Field(gt=0, le=1)
    eta_eclipse_path: float = Field(gt=0, le=1)
    pointing_error_rad: float = Field(ge=0, lt=1.5)
    structure_mass_fraction: float = Field(ge=0, lt=1)
    harness_mass_fraction: float = Field(ge=0, lt=1)
    adcs_propulsion_mass_fraction: float = Field(ge=0, lt=1)
    bus_fixed_mass_kg: float = Field(ge=0)
    aluminium_density_kg_per_m3: float = Field(gt=0)
    stowed_density_kg_per_m3: float = Field(gt=0)
    fairing_packing_efficiency: float = Field(gt=0, le=1)
    bus_cost_usd_per_kg: float = Field(ge=0)
    integration_cost_fraction: float = Field(ge=0)
    operations_cost_usd_per_satellite_year: float = Field(ge=0)
    insurance_fraction: float = Field(ge=0, lt=1)
    satellite_annual_failure_rate: float = Field(ge=0, lt=1)
    ground_stations_per_cluster: float = Field(ge=0)
    coldplate_delta_t_k: float = Field(ge=0)
    coolant_loop_delta_t_k: float = Field(ge=0)
    accelerator_availability: float = Field(gt=0, le=1)
    default_utilisation: float = Field(gt=0, le=1)
    min_battery_hours_bus_only: float = Field(ge=0)
    compute_enclosure_fill_fraction: float = Field(gt=0, le=1)
    sources: dict[str, str]
    notes: dict[str, str] = {}


KIND_MODELS: dict[str, type[Entry]] = {
    "accelerators": Accelerator,
    "solar_arrays": SolarArray,
    "radiators": Radiator,
    "batteries": Battery,
    "launchers": Launcher,
    "terrestrial_sites": TerrestrialSite,
    "ground_stations": GroundStation,
}
