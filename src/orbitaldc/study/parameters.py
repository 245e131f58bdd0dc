"""What a study may vary: every parameter path, the closure input it moves, its unit.

A parameter is addressed by its path in the design spec (``launch.price_per_kg``,
``orbit.altitude``), through a catalog id the spec names (``satellite.power.array.efficiency_bol``:
the ``efficiency_bol`` of the solar array the spec picks), or in the cost profile
(``economics.discount_rate``, ``economics.launch_learning_rate``). :func:`resolve` maps a path to a
:class:`Target`: the closure's batch override it sets (``orbitaldc.closure.OVERRIDABLE``), the
unit of its values, the unit-string dimension a study spec writes it in, the spec attribute a
time-domain (twin) study changes, or the Wright's-law input of the crossover year it feeds.

Values inside a study are in the target's ``unit`` (the override's unit, e.g. USD/kWh for the
ground electricity price); a unit string is parsed once, when the study spec is read.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from functools import cache

from orbitaldc import catalog
from orbitaldc.closure import OVERRIDABLE
from orbitaldc.closure.design import PROFILE_ARRAY_NAMES, PROFILE_TIME_VALUES

#: Seconds of energy in a kWh: the spec writes the electricity price in USD/J (SI), the closure
#: takes USD/kWh.
J_PER_KWH = 3.6e6


@dataclass(frozen=True)
class Target:
    """Where a parameter path lands.

    ``override``: the closure batch input (None for a learning input); ``unit``: the unit of the
    parameter's values; ``dimension``: the unit-string dimension of ``orbitaldc.spec.units``
    (None: a plain number in ``unit``); ``from_si``: factor from the parsed SI value to ``unit``;
    ``spec_field``: attribute path in :class:`~orbitaldc.spec.DesignSpec` (SI) that a twin study
    sets, or None; ``learning``: the crossover input it sets, or None; ``integer``: values are
    rounded to whole numbers.
    """

    path: str
    unit: str
    override: str | None = None
    dimension: str | None = None
    from_si: float = 1.0
    spec_field: tuple[str, ...] | None = None
    learning: str | None = None
    integer: bool = False


def _spec(
    path: str,
    override: str,
    unit: str,
    dimension: str | None,
    field: tuple[str, ...],
    from_si: float = 1.0,
    integer: bool = False,
) -> Target:
    return Target(path, unit, override, dimension, from_si, field, None, integer)


#: Paths of the design spec's own keys: ``(path, override, unit, dimension, spec attribute)``.
SPEC_PATHS: tuple[Target, ...] = (
    _spec("mission.lifetime", "lifetime_s", "s", "time", ("mission", "lifetime_s")),
    _spec("orbit.altitude", "altitude_m", "m", "length", ("orbit", "altitude_m")),
    _spec(
        "constellation.satellites",
        "satellites",
        "1",
        None,
        ("constellation", "satellites"),
        integer=True,
    ),
    _spec(
        "satellite.compute.count",
        "count",
        "1",
        None,
        ("satellite", "compute", "count"),
        integer=True,
    ),
    _spec(
        "satellite.compute.utilisation",
        "utilisation",
        "1",
        None,
        ("satellite", "compute", "utilisation"),
    ),
    _spec(
        "satellite.thermal.radiator_temperature",
        "radiator_temperature_k",
        "K",
        "temperature",
        ("satellite", "thermal", "radiator_temperature_k"),
    ),
    _spec(
        "satellite.structure.shielding",
        "shielding_m",
        "m",
        "length",
        ("satellite", "structure", "shielding_m"),
    ),
    _spec("satellite.mass", "mass_kg_fixed", "kg", "mass", ("satellite", "mass_kg")),
    _spec(
        "satellite.cost_per_watt",
        "cost_per_watt_fixed",
        "USD/W",
        "price_per_power",
        ("satellite", "cost_per_watt_usd_per_w"),
    ),
    _spec(
        "satellite.power.specific_power",
        "specific_power_fixed",
        "W/kg",
        "specific_power",
        ("satellite", "power", "specific_power_w_per_kg"),
    ),
    _spec(
        "launch.price_per_kg",
        "price_per_kg_usd",
        "USD/kg",
        "price_per_mass",
        ("launch", "price_per_kg_usd"),
    ),
    _spec(
        "terrestrial.electricity_price",
        "site_electricity_usd_per_kwh",
        "USD/kWh",
        "price_per_energy",
        ("terrestrial", "electricity_price_usd_per_j"),
        from_si=J_PER_KWH,
    ),
    _spec("terrestrial.pue", "site_pue", "1", None, ("terrestrial", "pue")),
)

#: Catalog values reached through the id the spec names: ``(spec key of the id, catalog field,
#: override, unit)``. A study moves them in the closure only (the twin reads its catalog entries).
CATALOG_PATHS: tuple[tuple[str, str, str, str], ...] = (
    ("satellite.compute.accelerator", "power_w", "acc_power_w", "W"),
    ("satellite.compute.accelerator", "unit_cost_usd", "acc_unit_cost_usd", "USD"),
    ("satellite.compute.accelerator", "rental_usd_per_hour", "acc_rental_usd_per_hour", "USD/h"),
    ("satellite.power.array", "efficiency_bol", "array_efficiency_bol", "1"),
    ("satellite.power.array", "degradation_per_year", "array_degradation_per_year", "1/yr"),
    (
        "satellite.power.battery",
        "specific_energy_wh_per_kg",
        "battery_specific_energy_wh_per_kg",
        "Wh/kg",
    ),
    ("satellite.thermal.radiator", "emissivity_eol", "radiator_emissivity_eol", "1"),
    ("satellite.thermal.radiator", "absorptivity_eol", "radiator_absorptivity_eol", "1"),
    ("launch.vehicle", "price_usd", "lv_price_usd", "USD"),
    ("terrestrial.site", "facility_capex_usd_per_w", "site_facility_capex_usd_per_w", "USD/W"),
    (
        "terrestrial.site",
        "networking_usd_per_accelerator",
        "ground_networking_usd_per_accelerator",
        "USD",
    ),
    (
        "terrestrial.site",
        "chip_economic_life_years",
        "ground_chip_economic_life_years",
        "yr",
    ),
)

#: Cost-profile values that set a Wright's-law input of the crossover year, by the name of the
#: input in :func:`orbitaldc.economics.crossover.crossover_years`.
LEARNING = tuple(name for name in PROFILE_TIME_VALUES if name != "base_year")


@cache
def targets() -> dict[str, Target]:
    """Every parameter path a study may name, with its :class:`Target`."""
    out = {t.path: t for t in SPEC_PATHS}
    for key, field, override, unit in CATALOG_PATHS:
        out[f"{key}.{field}"] = Target(f"{key}.{field}", unit, override)
    profile = next(iter(catalog.cost_profiles().values()))
    for name in type(profile).model_fields:
        value = getattr(profile, name)
        if not hasattr(value, "unit"):
            continue
        path = f"economics.{name}"
        array_name = PROFILE_ARRAY_NAMES.get(name, name)
        if name in LEARNING:
            out[path] = Target(path, value.unit, learning=name)
        elif array_name in OVERRIDABLE:
            out[path] = Target(path, value.unit, override=array_name)
    return out


def _profile_values_not_overridable() -> list[str]:
    profile = next(iter(catalog.cost_profiles().values()))
    return [
        f"economics.{name}"
        for name in type(profile).model_fields
        if hasattr(getattr(profile, name), "unit") and f"economics.{name}" not in targets()
    ]


def resolve(path: str) -> Target:
    """The :class:`Target` of ``path``; raises ``ValueError`` naming the valid paths (with a
    "did you mean" hint) for an unknown one."""
    known = targets()
    if path in known:
        return known[path]
    if path in _profile_values_not_overridable():
        raise ValueError(
            f"{path!r} is a cost-profile value the closure's batch path cannot vary; "
            f"economics paths it can: {', '.join(p for p in known if p.startswith('economics.'))}"
        )
    hint = difflib.get_close_matches(path, list(known), n=1, cutoff=0.5)
    raise ValueError(
        f"unknown parameter path {path!r}"
        + (f"; did you mean {hint[0]!r}?" if hint else "")
        + f" (valid: {', '.join(known)})"
    )
