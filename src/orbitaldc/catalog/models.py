"""Catalog entry models: one frozen pydantic model per component kind.

Every entry carries ``source`` (paper, datasheet or URL: where the numbers come from), and, where a
value is an estimate, ``confidence`` and a ``note`` that says why and what the range is. Values are
SI-suffixed plain numbers (``power_w = 700.0``). ``extra="forbid"`` makes a typo in a data file
an error that names the field.
"""

from __future__ import annotations

import math
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

Confidence = Literal["measured", "datasheet", "published-estimate", "assumption"]


class Entry(BaseModel):
    """Fields every catalog entry has."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str
    name: str
    source: str = Field(min_length=8)
    confidence: Confidence = "datasheet"
    note: str = ""


class SingleEventEffect(BaseModel):
    """One single-event effect of a chip (or of its host), as measured in a beam test.

    The proton cross-section comes from ``dose_per_event_rad_si`` at ``test_energy_mev`` (whole-chip
    tests) or directly from ``proton_cross_section_cm2``; ``bendel_a_mev`` (onset) or
    ``proton_threshold_mev`` (step) sets its energy dependence. ``heavy_ion_*`` is a Weibull fit
    versus LET where one is published. ``recovery_s`` is the downtime of crash-type effects.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    kind: Literal["sdc", "uce", "sefi"]
    scope: Literal["chip", "host"] = "chip"
    dose_per_event_rad_si: float | None = Field(default=None, gt=0)
    proton_cross_section_cm2: float | None = Field(default=None, gt=0)
    test_energy_mev: float = Field(default=67.0, gt=0)
    bendel_a_mev: float | None = Field(default=None, gt=0)
    proton_threshold_mev: float = Field(default=10.0, ge=0)
    heavy_ion_saturation_cm2: float | None = Field(default=None, gt=0)
    heavy_ion_threshold_let: float | None = Field(default=None, ge=0)
    heavy_ion_width_let: float | None = Field(default=None, gt=0)
    heavy_ion_shape: float | None = Field(default=None, gt=0)
    recovery_s: float = Field(default=0.0, ge=0)
    source: str = Field(min_length=8)
    confidence: Confidence = "measured"
    note: str = ""

    @model_validator(mode="after")
    def _one_proton_cross_section(self) -> SingleEventEffect:
        if (self.dose_per_event_rad_si is None) == (self.proton_cross_section_cm2 is None):
            raise ValueError(
                "give exactly one of dose_per_event_rad_si and proton_cross_section_cm2"
            )
        weibull = (
            self.heavy_ion_saturation_cm2,
            self.heavy_ion_threshold_let,
            self.heavy_ion_width_let,
            self.heavy_ion_shape,
        )
        if any(v is not None for v in weibull) and any(v is None for v in weibull):
            raise ValueError("heavy_ion_*: give all four Weibull parameters or none")
        return self


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
    #: Accelerators sharing one host (CPU, DRAM): 8 in DGX/HGX H100, H200 and B200 systems
    #: (NVIDIA DGX user guides) and in Cloud TPU v6e hosts (Google Cloud TPU v6e documentation,
    #: "Chips per host: 8"); host-scope single-event effects are counted per host.
    chips_per_host: int = Field(8, ge=1)
    #: A public, dated rental price per accelerator-hour (on-demand or reserved; provider and
    #: date in ``cost_sources``), for renting rather than owning on the ground.
    rental_usd_per_hour: float | None = Field(default=None, gt=0)
    #: Where ``unit_cost_usd``, ``host_cost_usd`` and ``rental_usd_per_hour`` come from.
    cost_sources: str = ""
    # Radiation (optional: entries without test data stay valid; see docs/radiation.md).
    tid_onset_rad_si: float | None = Field(default=None, gt=0)
    tid_failure_rad_si: float | None = Field(default=None, gt=0)
    tid_tested_without_failure_rad_si: float | None = Field(default=None, gt=0)
    radiation_source: str = ""
    single_event_effects: tuple[SingleEventEffect, ...] = ()


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
    # Thermo-optical and thermal-mass data for the twin's array node. Defaults are typical of
    # triple-junction cells under ceria-doped cover glass on a black-painted CFRP/aluminium
    # honeycomb back (Gilmore, Spacecraft Thermal Control Handbook vol. I, 2nd ed., 2002, ch. 2
    # and appendix A: cells alpha 0.88-0.92, eps 0.80-0.85; black paint eps 0.85-0.90); the
    # specific heat is the mass-weighted mix of honeycomb/CFRP (~900) and Ge/GaAs cells (~330),
    # an assumption. Entries override them with their own sourced values.
    front_absorptivity: float = Field(0.91, gt=0, le=1)
    front_emissivity: float = Field(0.85, gt=0, le=1)
    back_absorptivity: float = Field(0.90, gt=0, le=1)
    back_emissivity: float = Field(0.88, gt=0, le=1)
    specific_heat_j_per_kg_k: float = Field(800.0, gt=100, lt=5000)


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
    #: Continuous rate limits in C (W per Wh of nameplate energy): the battery is sized for the
    #: eclipse power as well as the eclipse energy, and the twin never exceeds them.
    max_charge_c_rate: float = Field(gt=0, le=20)
    max_discharge_c_rate: float = Field(gt=0, le=20)
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
    #: Scale-out fabric (NICs, switches, optics) per accelerator, USD.
    networking_usd_per_accelerator: float | None = Field(default=None, ge=0)
    #: IT operations staff and hardware maintenance per MW of IT load per year, USD (facility
    #: O&M is ``opex_fraction_per_year``).
    staff_maintenance_usd_per_mw_year: float | None = Field(default=None, ge=0)
    #: Depreciation life of ground accelerators, years (hyperscalers' 10-K useful lives).
    chip_economic_life_years: float | None = Field(default=None, gt=0)
    #: Where the three figures above come from.
    cost_sources: str = ""


class GroundStation(Entry):
    """A ground station site.

    ``downlink_rate_bps``/``uplink_rate_bps`` are the data rates of one contact (space to ground
    and ground to space, bit/s); ``cloud_free_probability`` is the fraction of the time an optical
    site has a cloud-free line of sight (required for ``kind = "optical"``, unused for RF).
    """

    latitude_deg: float = Field(ge=-90, le=90)
    longitude_deg: float = Field(ge=-180, le=360)
    altitude_m: float
    min_elevation_deg: float = Field(ge=0, lt=90)
    cost_usd_per_year: float = Field(ge=0)
    kind: Literal["rf", "optical"]
    downlink_rate_bps: float | None = Field(default=None, gt=0)
    uplink_rate_bps: float | None = Field(default=None, gt=0)
    cloud_free_probability: float | None = Field(default=None, ge=0, le=1)

    @model_validator(mode="after")
    def _optical_sites_have_weather(self) -> GroundStation:
        if self.kind == "optical" and self.cloud_free_probability is None:
            raise ValueError(
                "cloud_free_probability: an optical site needs its cloud-free line-of-sight "
                "probability (0..1, from a climatology or labelled as an assumption)"
            )
        return self


class Terminal(Entry):
    """An inter-satellite link terminal, optical (DWDM channels) or RF (Shannon capacity).

    Inputs of :mod:`orbitaldc.physics.links`. Optical: ``wavelength_m``, the Gaussian truncation
    ratio (aperture radius over the beam's 1/e^2 radius), transmit and receive optics
    efficiencies, and ``max_channels`` channels of ``channel_rate_bps`` each needing
    ``channel_sensitivity_w`` received. RF: ``frequency_hz``, ``bandwidth_hz`` and the system
    ``noise_temperature_k``; ``tx_efficiency`` and ``rx_efficiency`` are then the antenna aperture
    efficiencies. Both ends of a link are taken to carry the same terminal. ``mass_kg``,
    ``power_w`` (electrical) and ``cost_usd`` are per terminal, left out where neither a source
    nor a labelled assumption exists (``cost_sources`` says where they come from).
    """

    kind: Literal["optical", "rf"]
    aperture_diameter_m: float = Field(gt=0)
    tx_power_w: float = Field(gt=0)
    tx_efficiency: float = Field(1.0, gt=0, le=1)
    rx_efficiency: float = Field(1.0, gt=0, le=1)
    pointing_jitter_rad: float = Field(0.0, ge=0)
    other_losses_db: float = Field(0.0, ge=0)
    max_range_m: float | None = Field(default=None, gt=0)
    # Optical.
    wavelength_m: float | None = Field(default=None, gt=0, lt=1e-4)
    truncation_ratio: float = Field(1.0, gt=0)
    channel_rate_bps: float | None = Field(default=None, gt=0)
    max_channels: int = Field(1, ge=1)
    channel_sensitivity_w: float | None = Field(default=None, gt=0)
    # RF.
    frequency_hz: float | None = Field(default=None, gt=0)
    bandwidth_hz: float | None = Field(default=None, gt=0)
    noise_temperature_k: float | None = Field(default=None, gt=0)
    # Budget figures.
    mass_kg: float | None = Field(default=None, gt=0)
    power_w: float | None = Field(default=None, gt=0)
    cost_usd: float | None = Field(default=None, gt=0)
    cost_sources: str = ""

    @model_validator(mode="after")
    def _fields_of_its_kind(self) -> Terminal:
        needed = {
            "optical": ("wavelength_m", "channel_rate_bps", "channel_sensitivity_w"),
            "rf": ("frequency_hz", "bandwidth_hz", "noise_temperature_k"),
        }[self.kind]
        missing = [name for name in needed if getattr(self, name) is None]
        if missing:
            raise ValueError(f"a {self.kind} terminal needs {', '.join(missing)}")
        return self


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
    ground_stations_per_cluster: float = Field(ge=0)
    coldplate_delta_t_k: float = Field(ge=0)
    coolant_loop_delta_t_k: float = Field(ge=0)
    accelerator_availability: float = Field(gt=0, le=1)
    default_utilisation: float = Field(gt=0, le=1)
    min_battery_hours_bus_only: float = Field(ge=0)
    compute_enclosure_fill_fraction: float = Field(gt=0, le=1)
    sources: dict[str, str]
    notes: dict[str, str] = {}


class CostValue(BaseModel):
    """One value of a cost profile with its unit, source and the year (or month) it is for."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    value: float
    unit: str = Field(min_length=1)
    source: str = Field(min_length=8)
    date: str = Field(pattern=r"^\d{4}(-\d{2})?$")

    @field_validator("value")
    @classmethod
    def _finite(cls, value: float) -> float:
        if not math.isfinite(value):
            raise ValueError("must be finite")
        return value


#: Values that are fractions: each must lie in [0, 1).
COST_FRACTIONS: tuple[str, ...] = (
    "integration_cost_fraction",
    "insurance_fraction",
    "rideshare_max_vehicle_fraction",
    "satellite_annual_failure_rate",
    "accelerator_annual_failure_rate",
    "spares_fraction",
    "discount_rate",
    "launch_learning_rate",
    "hardware_learning_rate",
)
#: Real trends per year, which may be negative: each must lie in (-1, 1).
COST_TRENDS: tuple[str, ...] = ("electricity_price_trend_per_year",)


class CostProfile(BaseModel):
    """A named, sourced bundle of every cost assumption (``cost_profiles.toml``).

    Each value is a :class:`CostValue`: dollars in USD of ``base_year``, rates real and per
    year. Fractions (``COST_FRACTIONS``) lie in [0, 1); trends (``COST_TRENDS``) in (-1, 1);
    every other value is non-negative. ``launch_price_usd_per_kg`` is set only by profiles
    that price launch per kg instead of per flight.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str
    name: str
    description: str = Field(min_length=20)
    structure_cost_usd_per_kg: CostValue
    electronics_cost_usd_per_kg: CostValue
    solar_array_cost_usd_per_w: CostValue
    battery_cost_usd_per_wh: CostValue
    radiator_cost_usd_per_m2: CostValue
    integration_cost_fraction: CostValue
    operations_cost_usd_per_satellite_year: CostValue
    operations_reference_mass_kg: CostValue
    operations_mass_exponent: CostValue
    ground_segment_lease_usd_per_year: CostValue
    optical_terminal_cost_usd: CostValue
    optical_terminals_per_satellite: CostValue
    insurance_fraction: CostValue
    rideshare_price_usd_per_kg: CostValue
    rideshare_max_vehicle_fraction: CostValue
    launch_price_usd_per_kg: CostValue | None = None
    satellite_annual_failure_rate: CostValue
    accelerator_annual_failure_rate: CostValue
    spares_fraction: CostValue
    discount_rate: CostValue
    launch_learning_rate: CostValue
    hardware_learning_rate: CostValue
    launch_mass_growth_per_year: CostValue
    hardware_production_growth_per_year: CostValue
    base_year: CostValue
    electricity_price_trend_per_year: CostValue

    @model_validator(mode="after")
    def _in_range(self) -> CostProfile:
        for field in type(self).model_fields:
            item = getattr(self, field)
            if not isinstance(item, CostValue):
                continue
            if field in COST_FRACTIONS and not 0 <= item.value < 1:
                raise ValueError(f"{field}: {item.value} is not a fraction in [0, 1)")
            if field in COST_TRENDS and not -1 < item.value < 1:
                raise ValueError(f"{field}: {item.value} is not a trend in (-1, 1)")
            if field not in COST_TRENDS and item.value < 0:
                raise ValueError(f"{field}: {item.value} must be non-negative")
        return self

    def values(self) -> dict[str, CostValue]:
        """The profile's values by name (unset optional ones left out)."""
        return {
            field: getattr(self, field)
            for field in type(self).model_fields
            if isinstance(getattr(self, field), CostValue)
        }


KIND_MODELS: dict[str, type[Entry]] = {
    "accelerators": Accelerator,
    "solar_arrays": SolarArray,
    "radiators": Radiator,
    "batteries": Battery,
    "launchers": Launcher,
    "terrestrial_sites": TerrestrialSite,
    "ground_stations": GroundStation,
    "terminals": Terminal,
}
