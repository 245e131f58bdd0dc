"""The dashboard's sliders: the assumptions that decide a verdict, re-evaluated through the closure.

Each :class:`Lever` is one closure input (:data:`orbitaldc.closure.OVERRIDABLE`) shown in the
unit people quote it in. :func:`evaluate` closes a design with the levers moved (one
``close_design`` call, a millisecond), adds the crossover year (one batch call) and, when asked,
the parity of every lever (a handful of batch calls). The radiation chain, which no lever moves,
runs once per design (:class:`Base`): as in :func:`orbitaldc.api.run`, a dose-limited chip life
shorter than the mission enters the closure as ``chip_life_years``.

The satellite's hardware cost per kg is not a closure input: it enters as the cost per W of
array power that gives it, ``usd_per_kg x mass / P_BOL``, with the mass and power of the design
as the other levers leave it (the mass does not depend on any cost).
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from orbitaldc import api, catalog
from orbitaldc.closure import close_design
from orbitaldc.physics.constants import SECONDS_PER_YEAR
from orbitaldc.report import figures
from orbitaldc.report.charts import to_plotly
from orbitaldc.report.html_report import headline
from orbitaldc.spec import DesignSpec

#: The closure input the satellite's cost per kg is expressed through.
COST_PER_WATT = "cost_per_watt_fixed"


@dataclass(frozen=True)
class Lever:
    """A slider: ``name`` in the API, ``override`` the closure input it sets, ``per_unit`` SI
    units per displayed unit; the slider's default range ``[low, high]`` in displayed units
    (widened to take the design's own value), ``log`` for a logarithmic slider; the values a
    request may set, ``[least, most]``; ``space_only`` for levers of an orbital design; and the
    closure figure that holds the design's value (``figure``, or the ratio ``figure / divisor``)."""

    name: str
    label: str
    unit: str
    override: str
    low: float
    high: float
    least: float
    most: float
    figure: str
    divisor: str | None = None
    per_unit: float = 1.0
    log: bool = True
    space_only: bool = False


LEVERS: tuple[Lever, ...] = (
    Lever(
        "launch_price_usd_per_kg", "launch price", "$/kg", "price_per_kg_usd",
        low=10.0, high=20_000.0, least=0.0, most=1e6,
        figure="launch_price_effective_usd_per_kg", space_only=True,
    ),
    Lever(
        "satellite_usd_per_kg", "satellite hardware", "$/kg", COST_PER_WATT,
        low=50.0, high=500_000.0, least=0.0, most=1e7,
        figure="satellite_hardware_cost_usd", divisor="mass_kg", space_only=True,
    ),
    Lever(
        "specific_power_w_per_kg", "specific power", "W/kg", "specific_power_fixed",
        low=2.0, high=500.0, least=0.1, most=5_000.0,
        figure="array_bol_power_w", divisor="mass_kg", space_only=True,
    ),
    Lever(
        "chip_power_w", "chip power", "W", "acc_power_w",
        low=20.0, high=3_000.0, least=1.0, most=1e5, figure="acc_power_w",
    ),
    Lever(
        "chip_price_usd", "chip price", "$", "acc_unit_cost_usd",
        low=100.0, high=200_000.0, least=0.0, most=1e7, figure="acc_unit_cost_usd",
    ),
    Lever(
        "electricity_usd_per_kwh", "electricity price (ground)", "$/kWh",
        "site_electricity_usd_per_kwh",
        low=0.01, high=0.5, least=0.0, most=10.0, figure="site_electricity_usd_per_kwh",
    ),
    Lever(
        "lifetime_years", "mission lifetime", "yr", "lifetime_s",
        low=0.5, high=20.0, least=0.05, most=30.0, figure="lifetime_s",
        per_unit=SECONDS_PER_YEAR, log=False,
    ),
    Lever(
        "discount_rate", "discount rate", "1/yr", "discount_rate",
        low=0.0, high=0.25, least=0.0, most=1.0, figure="discount_rate", log=False,
    ),
)  # fmt: skip
BY_NAME = {lv.name: lv for lv in LEVERS}


@dataclass(frozen=True)
class Base:
    """A design's evaluation that no lever changes: its spec and ``api.run`` result."""

    spec: DesignSpec
    result: api.Result

    @property
    def orbital(self) -> bool:
        return self.spec.orbit is not None

    @property
    def chip_life_years(self) -> float | None:
        """The radiation chain's dose-limited chip life, years (None without the chain)."""
        r = self.result.summary.get("radiation")
        return None if not r else r.get("lifetime_years")


def base(spec: DesignSpec) -> Base:
    """Run the design once (closure, radiation chain, network, economics answers)."""
    return Base(spec, api.run(spec))


def _value(lever: Lever, figures_: Mapping[str, float]) -> float:
    value = float(figures_[lever.figure])
    if lever.divisor is not None:
        value /= float(figures_[lever.divisor])
    return value / lever.per_unit


def definitions(b: Base) -> list[dict[str, Any]]:
    """The sliders of a design: name, label, unit, range, scale and the design's value."""
    out = []
    for lv in LEVERS:
        if lv.space_only and not b.orbital:
            continue
        value = _value(lv, b.result.figures)
        low, high = lv.low, lv.high
        if value > 0:
            low, high = min(low, value / 2.0), max(high, value * 2.0)
        out.append(
            {
                "name": lv.name,
                "label": lv.label,
                "unit": lv.unit,
                "low": low,
                "high": high,
                "log": lv.log,
                "value": value,
            }
        )
    return out


def profiles() -> list[dict[str, str]]:
    """The cost profiles a design can be priced with (id, name, description)."""
    return [
        {"id": pid, "name": p.name, "description": p.description}
        for pid, p in catalog.cost_profiles().items()
    ]


def _with_profile(spec: DesignSpec, profile: str | None) -> DesignSpec:
    if profile is None or profile == spec.economics.profile:
        return spec
    catalog.cost_profile(profile)
    economics = spec.economics.model_copy(update={"profile": profile})
    return spec.model_copy(update={"economics": economics})


def overrides(
    b: Base, spec: DesignSpec, levers: Mapping[str, float]
) -> tuple[dict[str, float], float | None]:
    """The closure overrides (SI) of moved levers, with the dose-limited chip life when it is
    shorter than the (possibly moved) mission; and the satellite $/kg asked for, if any."""
    unknown = [n for n in levers if n not in BY_NAME]
    if unknown:
        raise ValueError(f"levers.{unknown[0]}: unknown lever (levers: {', '.join(BY_NAME)})")
    fixed: dict[str, float] = {}
    usd_per_kg = None
    for name, value in levers.items():
        lv = BY_NAME[name]
        if lv.space_only and not b.orbital:
            raise ValueError(f"levers.{name}: a terrestrial design has no {lv.label}")
        if not lv.least <= value <= lv.most:
            raise ValueError(
                f"levers.{name}: {value!r} {lv.unit} is outside {lv.least:g}-{lv.most:g} {lv.unit}"
            )
        if lv.override == COST_PER_WATT:
            usd_per_kg = float(value)
        else:
            fixed[lv.override] = float(value) * lv.per_unit
    life = b.chip_life_years
    mission_s = fixed.get("lifetime_s", spec.mission.lifetime_s)
    if life is not None and life < mission_s / SECONDS_PER_YEAR:
        fixed["chip_life_years"] = life
    return fixed, usd_per_kg


def evaluate(
    b: Base,
    levers: Mapping[str, float] | None = None,
    profile: str | None = None,
    *,
    parity: bool = False,
) -> dict[str, Any]:
    """Close the design with ``levers`` moved (displayed units) and the cost ``profile``; returns
    the verdict, the closure's summary with the crossover (and parity), the lever values and the
    charts (plotly JSON), with the time the closure took. The summary holds what the levers move
    (the closure and the economics); ``radiation{}``, ``network{}`` and ``workload[]`` are those
    of the design as run (``/api/specs/{id}/summary.json``)."""
    start = time.perf_counter()
    spec = _with_profile(b.spec, profile)
    fixed, usd_per_kg = overrides(b, spec, levers or {})
    closure = close_design(spec, fixed)
    if usd_per_kg is not None:
        f = closure.figures
        fixed[COST_PER_WATT] = usd_per_kg * f["mass_kg"] / f["array_bol_power_w"]
        closure = close_design(spec, fixed)
    closure_ms = (time.perf_counter() - start) * 1e3
    summary = dict(closure.summary)
    economics = dict(summary["economics"])
    if b.orbital:
        when = api.crossover(spec, fixed=fixed)
        economics["crossover_year"] = when["crossover_year"]
        economics["crossover"] = when
        if parity:
            economics["parity"] = api.parity(spec, fixed=fixed)
    summary["economics"] = economics
    charts = [
        figures.cost_waterfall_chart(summary, spec),
        figures.mass_chart(summary, spec),
        figures.crossover_chart(summary),
        figures.parity_chart(summary) if parity else None,
    ]
    values = {
        lv.name: _value(lv, closure.figures) for lv in LEVERS if b.orbital or not lv.space_only
    }
    return {
        "scenario": summary["scenario"],
        "closes": bool(summary["closes"]),
        "reasons": list(summary["reasons"]),
        "headline": headline(summary),
        "ratio": economics.get("space_to_ground_cost_ratio"),
        "cost_per_accelerator_hour_usd": economics.get("cost_per_accelerator_hour_usd"),
        "ground_cost_per_accelerator_hour_usd": economics["terrestrial"][
            "cost_per_accelerator_hour_usd"
        ],
        "crossover_year": economics.get("crossover_year"),
        "profile": spec.economics.profile,
        "levers": values,
        "summary": summary,
        "charts": {c.key: to_plotly(c) for c in charts if c is not None},
        "timing_ms": {
            "closure": closure_ms,
            "total": (time.perf_counter() - start) * 1e3,
        },
    }
