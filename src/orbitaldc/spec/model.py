"""The design spec: frozen pydantic models with SI attributes and unit-string TOML keys.

TOML keys are the names a space engineer writes (``altitude = "650 km"``); the attributes carry the
SI unit in their name (``spec.orbit.altitude_m == 650000.0``). Every quantity must be written with
a unit; a bare number for a quantity is an error, because "650" could be km or m.
"""

from __future__ import annotations

import datetime as dt
import math
from functools import partial
from pathlib import Path
from typing import Annotated, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, model_validator

from orbitaldc.spec.units import parse_local_time_h, parse_quantity


def _quantity(dimension: str, value: object) -> float:
    if isinstance(value, bool) or not isinstance(value, str):
        raise ValueError(parse_error_hint(dimension, value))
    return parse_quantity(value, dimension)


def parse_error_hint(dimension: str, value: object) -> str:
    from orbitaldc.spec.units import DIMENSIONS

    example = DIMENSIONS[dimension][1]
    return f"a {dimension.replace('_', ' ')} needs a unit, written as a string like '{example}'; got {value!r}"


def Q(dimension: str):  # noqa: N802 - reads like a type in the models below
    """An SI float parsed from a unit string of the given dimension."""
    return Annotated[float, BeforeValidator(partial(_quantity, dimension))]


LocalTimeH = Annotated[
    float, BeforeValidator(lambda v: parse_local_time_h(v) if isinstance(v, str) else v)
]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Mission(_Model):
    """``[mission]``: name, lifetime, start date, deployment kind, random seed."""

    name: str = Field(min_length=1)
    lifetime_s: Q("time") = Field(alias="lifetime")
    start: dt.date = dt.date(2027, 1, 1)
    deployment: Literal["orbital", "terrestrial"] = "orbital"
    seed: int = Field(0, ge=0)

    @model_validator(mode="after")
    def _check(self) -> Mission:
        years = self.lifetime_s / (365.25 * 86400.0)
        if not 0.05 <= years <= 30.0:
            raise ValueError(
                f"lifetime: {years:.3g} yr is outside 0.05-30 yr; write it like '5 yr'"
            )
        if not 1990 <= self.start.year <= 2100:
            raise ValueError(f"start: {self.start} is outside 1990-2100")
        return self


class Orbit(_Model):
    """``[orbit]``: sun-synchronous (altitude, LTAN), circular (altitude, inclination) or TLE file."""

    type: Literal["sun-synchronous", "circular", "tle"]
    altitude_m: Q("length") | None = Field(None, alias="altitude")
    inclination_rad: Q("angle") | None = Field(None, alias="inclination")
    ltan_h: LocalTimeH | None = Field(None, alias="ltan")
    raan_rad: Q("angle") | None = Field(None, alias="raan")
    eccentricity: float = Field(0.0, ge=0.0, lt=0.1)
    tle_file: Path | None = None

    @model_validator(mode="after")
    def _check(self) -> Orbit:
        if self.type in ("sun-synchronous", "circular"):
            if self.altitude_m is None:
                raise ValueError(f"altitude: required for a {self.type} orbit, e.g. '650 km'")
            if not 160e3 <= self.altitude_m <= 36_000e3:
                raise ValueError(
                    f"altitude: {self.altitude_m / 1e3:.1f} km is outside 160-36,000 km "
                    "(below 160 km an orbit decays within days)"
                )
        if self.type == "sun-synchronous":
            if self.ltan_h is None:
                raise ValueError(
                    "ltan: required for a sun-synchronous orbit, e.g. '18:00' (dawn-dusk)"
                )
            if self.inclination_rad is not None:
                raise ValueError(
                    "inclination: a sun-synchronous orbit's inclination follows from its altitude; "
                    "remove it, or use type = 'circular'"
                )
        if self.type == "circular":
            if self.inclination_rad is None:
                raise ValueError("inclination: required for a circular orbit, e.g. '53 deg'")
            if not 0.0 <= self.inclination_rad <= math.pi:
                raise ValueError("inclination: must be between 0 and 180 deg")
        if self.type == "tle" and self.tle_file is None:
            raise ValueError("tle_file: required for type = 'tle'")
        return self


class Constellation(_Model):
    """``[constellation]``: how many satellites and how they are arranged."""

    satellites: int = Field(ge=1, le=1_000_000)
    layout: Literal["single", "cluster", "walker"] = "single"
    cluster_radius_m: Q("length") | None = Field(None, alias="cluster_radius")
    lattice: Literal["suncatcher", "square", "hex", "user"] = "square"
    lattice_offsets_m: list[tuple[Q("length"), Q("length")]] | None = Field(
        None, alias="lattice_offsets"
    )
    planes: int | None = Field(None, ge=1)
    phasing: int = Field(0, ge=0)

    @model_validator(mode="after")
    def _check(self) -> Constellation:
        if self.layout == "single" and self.satellites != 1:
            raise ValueError(
                f"satellites: layout 'single' has 1 satellite, got satellites = {self.satellites}; "
                "use 'cluster' or 'walker'"
            )
        if self.layout == "cluster":
            if self.cluster_radius_m is None:
                raise ValueError("cluster_radius: required for layout 'cluster', e.g. '1 km'")
            if not 10.0 <= self.cluster_radius_m <= 100e3:
                raise ValueError("cluster_radius: must be between 10 m and 100 km")
            if self.lattice == "user":
                if self.lattice_offsets_m is None or len(self.lattice_offsets_m) != self.satellites:
                    raise ValueError(
                        "lattice_offsets: lattice 'user' needs one [radial, along-track] offset "
                        f'per satellite ({self.satellites}), e.g. ["0 m", "200 m"]'
                    )
            elif self.lattice_offsets_m is not None:
                raise ValueError("lattice_offsets: only for lattice = 'user'")
            if self.lattice == "suncatcher" and self.satellites != 81:
                raise ValueError(
                    f"lattice: 'suncatcher' is the paper's 81-satellite lattice, got satellites = "
                    f"{self.satellites}; use 'square' or 'hex'"
                )
        if self.layout == "walker":
            if self.planes is None:
                raise ValueError("planes: required for layout 'walker'")
            if self.satellites % self.planes:
                raise ValueError(
                    f"planes: {self.satellites} satellites do not divide evenly into "
                    f"{self.planes} planes"
                )
            if self.phasing >= self.planes:
                raise ValueError(f"phasing: Walker F must be 0..planes-1 ({self.planes - 1})")
        return self


class Compute(_Model):
    """``[satellite.compute]``: accelerator catalog id, count per satellite, utilisation."""

    accelerator: str
    count: int = Field(ge=1, le=100_000)
    utilisation: float = Field(0.8, gt=0.0, le=1.0)


class PowerSystem(_Model):
    """``[satellite.power]``: array and battery technologies, strategy, optional fixed sizes."""

    array: str
    battery: str
    eclipse_strategy: Literal["battery", "shed"] = "battery"
    pointing: Literal["sun-tracking", "fixed"] = "sun-tracking"
    array_area_m2: Q("area") | None = Field(None, alias="array_area", gt=0)
    specific_power_w_per_kg: Q("specific_power") | None = Field(None, alias="specific_power", gt=0)


class ThermalSystem(_Model):
    """``[satellite.thermal]``: radiator technology, temperature, optional fixed area."""

    radiator: str
    radiator_temperature_k: Q("temperature") = Field(alias="radiator_temperature")
    radiator_area_m2: Q("area") | None = Field(None, alias="radiator_area", gt=0)

    @model_validator(mode="after")
    def _check(self) -> ThermalSystem:
        if not 200.0 <= self.radiator_temperature_k <= 600.0:
            raise ValueError(
                f"radiator_temperature: {self.radiator_temperature_k:.1f} K is outside 200-600 K"
            )
        return self


class Structure(_Model):
    """``[satellite.structure]``: aluminium-equivalent shielding around the compute."""

    shielding_m: Q("length") = Field(0.0, alias="shielding", ge=0.0, le=0.2)


class Satellite(_Model):
    """``[satellite]``: subsystems, plus top-down overrides of derived quantities."""

    compute: Compute
    power: PowerSystem
    thermal: ThermalSystem
    structure: Structure = Structure()
    mass_kg: Q("mass") | None = Field(None, alias="mass", gt=0)
    cost_per_watt_usd_per_w: Q("price_per_power") | None = Field(None, alias="cost_per_watt", gt=0)


class Launch(_Model):
    """``[launch]``: vehicle catalog id and an optional price override."""

    vehicle: str
    price_per_kg_usd: Q("price_per_mass") | None = Field(None, alias="price_per_kg", gt=0)


class Terrestrial(_Model):
    """``[terrestrial]``: the ground site the design is compared with (or, for a terrestrial
    deployment, the campus itself)."""

    site: str
    accelerator: str | None = None
    it_power_w: Q("power") | None = Field(None, alias="it_power", gt=0)
    electricity_price_usd_per_j: Q("price_per_energy") | None = Field(
        None, alias="electricity_price", gt=0
    )
    pue: float | None = Field(None, ge=1.0, le=3.0)


class Radiation(_Model):
    """``[radiation]``: environment choices for the radiation chain (every key optional).

    ``solar_cycle`` selects the AE8/AP8 model phase and the cosmic-ray modulation: ``"min"``,
    ``"max"``, or ``"worst"`` (default), which takes AP8 MIN for protons and AE8 MAX for electrons
    and solar-minimum cosmic rays, the worst case per species that ECSS-E-ST-10-04C (2008, trapped
    radiation clause) recommends for design. ``solar_proton_model`` is the solar-proton mission
    fluence model: ``"esp"`` (default; ESP with the NASA 2002 parameters of ECSS-E-ST-10-04C, the
    model that standard requires) or ``"jpl91"`` (Feynman et al. 1993; ~5x lower 10-30 MeV
    fluence). ``solar_proton_confidence`` is the confidence level of that fluence (0.95 is the
    usual design level). ``shielding_geometry``
    is where the dose is quoted: the centre of a solid aluminium sphere (the ECSS and SPENVIS
    convention) or behind a slab. ``cover_glass`` is the solar cells' coverglass thickness.
    ``trapped_field`` is the geomagnetic field that places the AE8/AP8 maps: ``"model-epoch"``
    (IGRF 1970, close to the fields the maps were built with: the SPENVIS/ECSS practice and the
    default) or ``"current"`` (IGRF 2025: today's SAA position, ~2x higher LEO proton flux).
    """

    solar_cycle: Literal["min", "max", "worst"] = "worst"
    solar_proton_model: Literal["esp", "jpl91"] = "esp"
    solar_proton_confidence: float = Field(0.95, ge=0.5, le=0.99)
    shielding_geometry: Literal["sphere", "slab"] = "sphere"
    cover_glass_m: Q("length") = Field(100e-6, alias="cover_glass", gt=0.0, le=0.01)
    trapped_field: Literal["model-epoch", "current"] = "model-epoch"


class Economics(_Model):
    """``[economics]``: the cost profile (``catalog/data/cost_profiles.toml``) and overrides.

    ``profile`` names a sourced bundle of every cost assumption; any other key overrides one value
    of it, in the unit its name carries (``discount_rate = 0.05``,
    ``structure_cost_usd_per_kg = 2000``). Unknown names are reported with the valid ones.
    """

    profile: str = "mass-produced"
    overrides: dict[str, float] = Field(default_factory=dict)

    @model_validator(mode="before")
    @classmethod
    def _collect(cls, data: object) -> object:
        if not isinstance(data, dict):
            return data
        known = {"profile", "overrides"}
        extra = {k: v for k, v in data.items() if k not in known}
        out = {k: v for k, v in data.items() if k in known}
        if extra:
            bad = [
                k for k, v in extra.items() if isinstance(v, bool) or not isinstance(v, int | float)
            ]
            if bad:
                raise ValueError(
                    f"{bad[0]}: a cost override is a plain number in the unit its name carries, "
                    f"got {extra[bad[0]]!r}"
                )
            out["overrides"] = {
                **out.get("overrides", {}),
                **{k: float(v) for k, v in extra.items()},
            }
        return out

    @model_validator(mode="after")
    def _check(self) -> Economics:
        for name, value in self.overrides.items():
            if not math.isfinite(value) or value < 0:
                raise ValueError(f"{name}: must be a finite, non-negative number, got {value}")
        return self


class Network(_Model):
    """``[network]``: inter-satellite link terminals, ground stations and the user, for the
    network figures (docs/network.md). Without this section summary.json's ``network`` is null.

    ``terminal`` is a ``terminals`` catalog id (none: no inter-satellite links, e.g. a single
    satellite); ``ground_stations`` catalog ids (default: every
    station of the catalog); the user (latency) sits at ``user_latitude``/``user_longitude``
    (default Dallas, Texas: 32.78 N, 96.80 W, next to the terrestrial baseline);
    ``solar_activity`` picks the density column for drag; ``drag_area_per_mass`` is the
    satellites' ``C_D A / m`` and ``ballistic_spread`` the fraction by which members' values
    differ; ``isp`` the thrusters' specific impulse.
    """

    terminal: str | None = None
    terminals_per_satellite: int = Field(4, ge=1, le=16)
    ground_stations: list[str] | None = None
    user_latitude_rad: Q("angle") = Field(math.radians(32.78), alias="user_latitude")
    user_longitude_rad: Q("angle") = Field(math.radians(-96.80), alias="user_longitude")
    solar_activity: Literal["low", "moderate", "high"] = "moderate"
    drag_area_per_mass_m2_kg: float = Field(0.044, gt=0, le=1.0, alias="drag_area_per_mass")
    ballistic_spread: float = Field(0.05, ge=0, le=1.0)
    isp_s: Q("time") = Field(1500.0, alias="isp", gt=0)


class Region(_Model):
    """One region of an inference service's users: ``name``, ``longitude`` (its local time and
    where its users are), ``latitude`` (default ``[network] user_latitude``) and ``share`` of the
    mean request rate (shares are normalised)."""

    name: str = Field(min_length=1)
    longitude_rad: Q("angle") = Field(alias="longitude")
    latitude_rad: Q("angle") | None = Field(None, alias="latitude")
    share: float = Field(gt=0)


class Scheduler(_Model):
    """``[scheduler]``: the workload time loop's policy (``greedy`` or ``aware``), the baseline it
    is compared with on the same run (``none`` to skip), and its ``cadence`` (a multiple of the
    twin's step; docs/workloads.md)."""

    policy: Literal["greedy", "aware"] = "aware"
    baseline: Literal["greedy", "aware", "none"] = "greedy"
    cadence_s: Q("time") = Field(600.0, alias="cadence", gt=0)


class Workload(_Model):
    """``[[workload]]``: a training job or an inference service on the fleet (docs/workloads.md).

    Both: ``name``, ``parameters`` (model parameters), ``precision`` (a key of the accelerator's
    ``flops``), ``bytes_per_parameter`` (weights as stored, 2 for BF16). Training: ``tokens``,
    ``batch_tokens`` (global batch, tokens per step), ``mfu`` (model-FLOPs utilisation; default
    the sourced reference of ``workload.training``), ``overlap`` (fraction of the step's compute
    that hides its gradient all-reduce), ``checkpoint_bandwidth`` (per satellite or ground host
    group, to local storage), ``restart`` (time to restore and resume). Inference:
    ``requests_per_second`` (mean), ``tokens_in``, ``tokens_out``, ``latency_target``, ``batch``
    (concurrent requests per model replica).

    The time loop (``orbitaldc workload --days``) also reads: training ``data_parallel``,
    ``tensor_parallel`` (inside a satellite), ``pipeline_parallel`` (across satellites),
    ``microbatches`` per step, ``hidden_size`` (default from ``parameters``), ``spares``
    (satellites held in reserve) and ``on_failure`` (``reshard`` onto spares or fewer replicas,
    or ``wait`` for the failed member); both kinds ``satellites`` (how many the workload may use;
    default: inference what its peak needs, training the rest); inference ``regions`` (users by
    longitude and share; default one region at ``[network] user_longitude``), ``peak_to_mean``
    and ``peak_hour_local`` of the diurnal request profile.
    """

    kind: Literal["training", "inference"]
    name: str = Field(min_length=1)
    parameters: float = Field(gt=0)
    precision: str = "bf16"
    bytes_per_parameter: float = Field(2.0, gt=0, le=8)
    tokens: float | None = Field(None, gt=0)
    batch_tokens: float = Field(4e6, gt=0)
    mfu: float | None = Field(None, gt=0, le=1)
    overlap: float = Field(0.5, ge=0, le=1)
    checkpoint_bandwidth_bytes_per_s: Q("data_rate") = Field(
        2e9, alias="checkpoint_bandwidth", gt=0
    )
    restart_s: Q("time") = Field(600.0, alias="restart", ge=0)
    requests_per_second: float | None = Field(None, gt=0)
    tokens_in: int = Field(1000, ge=1)
    tokens_out: int = Field(250, ge=1)
    latency_target_s: Q("time") = Field(10.0, alias="latency_target", gt=0)
    batch: int = Field(32, ge=1, le=4096)
    # The time loop (docs/workloads.md, "Execution"): parallelism, placement, failures, demand.
    data_parallel: int | None = Field(None, ge=1)
    tensor_parallel: int | None = Field(None, ge=1)
    pipeline_parallel: int = Field(1, ge=1)
    microbatches: int = Field(8, ge=1)
    hidden_size: int | None = Field(None, ge=1)
    satellites: int | None = Field(None, ge=1)
    spares: int = Field(0, ge=0)
    on_failure: Literal["reshard", "wait"] = "reshard"
    regions: list[Region] | None = None
    peak_to_mean: float = Field(1.5, ge=1.0, le=2.0)
    peak_hour_local: float = Field(20.0, ge=0.0, lt=24.0)

    @model_validator(mode="after")
    def _check(self) -> Workload:
        if self.kind == "training" and self.tokens is None:
            raise ValueError("tokens: a training job needs the tokens it trains on, e.g. 1.4e12")
        if self.kind == "inference" and self.requests_per_second is None:
            raise ValueError("requests_per_second: an inference service needs its mean load")
        return self


class DesignSpec(_Model):
    """A whole design: the root of a spec TOML file."""

    mission: Mission
    orbit: Orbit | None = None
    constellation: Constellation | None = None
    satellite: Satellite | None = None
    launch: Launch | None = None
    terrestrial: Terrestrial
    radiation: Radiation = Radiation()
    economics: Economics = Economics()
    network: Network | None = None
    workload: list[Workload] = Field(default_factory=list)
    scheduler: Scheduler = Scheduler()

    @model_validator(mode="after")
    def _check(self) -> DesignSpec:
        if self.mission.deployment == "orbital":
            missing = [
                name
                for name in ("orbit", "constellation", "satellite", "launch")
                if getattr(self, name) is None
            ]
            if missing:
                raise ValueError(
                    f"{missing[0]}: an orbital design needs the section(s) "
                    + ", ".join(f"[{m}]" for m in missing)
                )
        else:
            if self.terrestrial.accelerator is None or self.terrestrial.it_power_w is None:
                raise ValueError(
                    "terrestrial: a terrestrial deployment needs accelerator and it_power"
                )
        return self

    @property
    def accelerator_id(self) -> str:
        """The accelerator catalog id the design uses (satellite's, else the terrestrial one)."""
        if self.satellite is not None:
            return self.satellite.compute.accelerator
        assert self.terrestrial.accelerator is not None
        return self.terrestrial.accelerator
