"""The library pipeline: every answer orbitaldc gives, as calls that do no I/O and return results.

The CLI, the reports, studies and the web app are thin callers of these functions::

    import orbitaldc
    spec = orbitaldc.load_spec("scenarios/suncatcher-81.toml")
    result = orbitaldc.run(spec)          # closure + radiation chain: what `orbitaldc run` writes
    result.summary["closes"], result.figures["mass_kg"], result.radiation.dose_depth

    sim = orbitaldc.simulate(spec, 86400.0 * 30, 60.0)   # the twin, lazily
    for chunk in sim.chunks():            # one simulated day each, with its resume state
        ...
    twin = sim.finish(chunk.resume_state) # twin{} figures and the per-satellite table

Layers: ``spec`` and ``catalog`` (inputs) -> ``physics`` (pure functions) -> ``fleet`` (spec to
orbits) -> ``closure``, ``economics``, ``radiation``, ``twin`` (engines) -> this module -> ``cli``
and ``report`` (edges). See docs/architecture.md.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

import numpy as np

from orbitaldc import catalog
from orbitaldc.closure import OVERRIDABLE, Closure, close_design, evaluate_batch
from orbitaldc.closure.capacity import capacity_of_areas
from orbitaldc.closure.design import cost_profile, design_arrays
from orbitaldc.economics import crossover as economics_crossover
from orbitaldc.economics import learning
from orbitaldc.economics import parity as parity_solver
from orbitaldc.fleet import OrbitYear, fleet_elements
from orbitaldc.fleet import orbit_year as _fleet_orbit_year
from orbitaldc.network import assess as network_assess
from orbitaldc.network import ground as network_ground
from orbitaldc.physics.constants import SECONDS_PER_YEAR
from orbitaldc.physics.timescale import seconds_since_j2000
from orbitaldc.radiation import OutsideRadiationModel, RadiationResult, assess
from orbitaldc.spec import DesignSpec
from orbitaldc.twin import simulate as twin
from orbitaldc.workload import assess as workload_assess
from orbitaldc.workload import execution as workload_execution
from orbitaldc.workload import plan as workload_plan

__all__ = [
    "OutsideRadiationModel",
    "Result",
    "Simulation",
    "assess_network",
    "links",
    "assess_radiation",
    "crossover",
    "orbit_year",
    "parity",
    "run",
    "simulate",
    "WorkloadRun",
    "run_workloads",
]


@dataclass(frozen=True)
class Result:
    """What ``orbitaldc run`` writes, as values.

    ``summary`` is the summary.json dict (with ``radiation{}`` when the chain ran: None when the
    orbit is outside the radiation model, with the reason in ``radiation_note``; absent when not
    asked for); ``figures`` the closure's full-precision figures; ``radiation`` the chain's full
    result (dose-depth curves, SAA map, degradation table, fault rates) or None.
    """

    spec: DesignSpec
    summary: dict[str, Any]
    figures: dict[str, float]
    radiation: RadiationResult | None = None
    radiation_note: str | None = None


def _satellite_mass_kg(spec: DesignSpec) -> Any:
    """The closed satellite mass (kg) as a function of the shielding thickness (m)."""

    def mass_kg(shielding_m: float) -> float:
        return float(evaluate_batch(spec, {"shielding_m": np.array([shielding_m])})["mass_kg"][0])

    return mass_kg


def assess_radiation(spec: DesignSpec, closure: Closure | None = None) -> RadiationResult:
    """The radiation chain of an orbital design (docs/radiation.md).

    ``closure`` is the design's closure (``orbitaldc.closure.close_design``), computed when not
    given. Raises :class:`OutsideRadiationModel` for an orbit outside the trapped-belt grid.
    """
    if spec.orbit is None:
        raise ValueError(f"{spec.mission.name} is a terrestrial design; it has no orbit to assess")
    closure = close_design(spec) if closure is None else closure
    return assess(
        spec,
        fleet_elements(spec),
        closure.summary["fleet"]["satellites"],
        _satellite_mass_kg(spec),
    )


def run(
    spec: DesignSpec, *, radiation: bool = True, network: bool = True, answers: bool = True
) -> Result:
    """Close a design and, for an orbital one, answer the economics questions (parity,
    crossover, capacity), run its radiation chain (``radiation``) and assess its network
    (``network``, when the spec has a [network] section). ``answers=False`` skips the parity,
    crossover and capacity blocks (a few dozen closures: the twin does not need them).

    Returns a :class:`Result` whose ``summary`` is summary.json.
    """
    closure = close_design(spec)
    summary = dict(closure.summary)
    result = Result(spec, summary, closure.figures)
    if spec.orbit is None:
        _with_network(spec, closure, summary, wanted=False)
        return result
    if not radiation:
        if answers:
            summary["economics"] = {**summary["economics"], **economics_answers(spec, closure)}
        _with_network(spec, closure, summary, network)
        return result
    try:
        rad = assess_radiation(spec, closure)
    except OutsideRadiationModel as exc:
        summary["radiation"] = None
        if answers:
            summary["economics"] = {**summary["economics"], **economics_answers(spec, closure)}
        _with_network(spec, closure, summary, network)
        return replace(result, radiation_note=str(exc))
    life = rad.summary["lifetime_years"]
    if life is not None and life < spec.mission.lifetime_s / SECONDS_PER_YEAR:
        # The chips reach their total-dose tolerance before the mission ends: the economics pay
        # for the fleet's rebuilds (economics.space).
        closure = close_design(spec, {"chip_life_years": life})
        summary = dict(closure.summary)
    summary["radiation"] = rad.summary
    if answers:
        summary["economics"] = {**summary["economics"], **economics_answers(spec, closure)}
    _with_network(spec, closure, summary, network, rad)
    return replace(result, summary=summary, figures=closure.figures, radiation=rad)


@dataclass(frozen=True)
class NetworkResult:
    """The network of a design (docs/network.md): one orbit of inter-satellite links (None for a
    fleet without a topology), one day of the ground segment, the station-keeping budget, and
    ``summary``, the ``network{}`` block of summary.json."""

    isl: network_assess.Isl | None
    ground: network_ground.Ground
    station_keeping: dict[str, float]
    summary: dict[str, Any]


def assess_network(spec: DesignSpec, closure: Closure | None = None) -> NetworkResult:
    """Links, ground segment and station-keeping of an orbital design with a ``[network]``
    section; ``closure`` is computed when not given."""
    if spec.orbit is None or spec.network is None:
        raise ValueError(
            f"{spec.mission.name}: the network figures need an orbital design with a [network] "
            "section (terminal, ground stations)"
        )
    closure = close_design(spec) if closure is None else closure
    elements = fleet_elements(spec)
    links = network_assess.isl(spec, elements)
    ground = network_ground.ground(spec, elements, float(seconds_since_j2000(spec.mission.start)))
    keeping = network_assess.station_keeping(spec, closure.figures)
    summary = {
        "terminal": spec.network.terminal,
        "terminals_per_satellite": spec.network.terminals_per_satellite,
        "isl": network_assess.isl_block(links),
        **network_ground.ground_block(ground),
        "station_keeping": {
            "delta_v_m_s_per_year": {
                k: keeping[k] for k in ("altitude_makeup", "differential_drag", "total")
            },
            "propellant_kg_per_year": keeping["propellant_kg_per_year"],
            "solar_activity": spec.network.solar_activity,
        },
    }
    return NetworkResult(links, ground, keeping, summary)


def links(spec: DesignSpec, t_s: Any) -> network_assess.Isl | None:
    """The fleet's inter-satellite links at the times ``t_s`` (s since J2000; e.g. the steps of a
    twin chunk, ``TwinChunk``'s series times): every link's length, state and capacity, and the
    all-reduce time of 1 GB, per step; None for a fleet without links. What the workload engine
    reads as the network's capacity over time."""
    if spec.network is None:
        raise ValueError(f"{spec.mission.name}: links need a [network] section with a terminal")
    return network_assess.isl(spec, fleet_elements(spec), np.asarray(t_s, dtype=float))


@dataclass(frozen=True)
class Simulation:
    """A twin run, set up and not yet stepped: iterate :meth:`chunks`, then :meth:`finish`.

    ``result`` is the design's :class:`Result` (closure, and radiation chain when it drove the
    run); ``plan`` the twin's :class:`orbitaldc.twin.simulate.TwinPlan`.
    """

    result: Result
    plan: twin.TwinPlan

    def initial_resume_state(self) -> dict[str, np.ndarray]:
        """The resume state before the first chunk."""
        return twin.initial_resume_state(self.plan)

    def chunks(
        self, resume_state: Mapping[str, np.ndarray] | None = None, chunks_done: int = 0
    ) -> Iterator[twin.TwinChunk]:
        """Yield one :class:`~orbitaldc.twin.simulate.TwinChunk` per simulated day, from a stored
        resume state and its ``chunks_done`` when given."""
        return twin.run_chunks(self.plan, resume_state, chunks_done)

    def finish(self, resume_state: Mapping[str, np.ndarray]) -> twin.TwinResult:
        """``twin{}`` figures and per-satellite table from the last chunk's resume state."""
        return twin.finish(self.plan, resume_state)

    def run(self) -> twin.TwinResult:
        """Step the whole run in memory (series are dropped) and finish it."""
        state = self.initial_resume_state()
        for chunk in self.chunks(state):
            state = chunk.resume_state
        return self.finish(state)

    def summary(self, twin_result: twin.TwinResult) -> dict[str, Any]:
        """summary.json of a finished run: the design's summary plus ``twin{}``."""
        return {**self.result.summary, "twin": twin_result.summary}


def simulate(
    spec: DesignSpec,
    duration_s: float,
    step_s: float,
    *,
    series_satellites: int | str | Sequence[int] | None = None,
    radiation: bool = True,
    degradation_table: tuple[Sequence[float], Sequence[float]] | None = None,
    fault_rates_per_chip_s: Mapping[str, float] | None = None,
    fault_downtime_s: Mapping[str, float] | None = None,
) -> Simulation:
    """Set up the time-domain twin of ``spec`` (docs/twin.md); nothing is stepped until iterated.

    With ``radiation`` the radiation chain drives the array degradation and the chips' fault
    rates (unless given explicitly); an orbit outside the radiation model runs without it (the
    reason is in ``Simulation.result.radiation_note``). The closure runs once.
    """
    if spec.orbit is None:
        raise ValueError(
            f"{spec.mission.name} is a terrestrial design; there is nothing to simulate in orbit"
        )
    # The twin needs the closure and the radiation chain, not the economics answers or the
    # network figures (``orbitaldc run`` gives those).
    result = run(spec, radiation=radiation, network=False, answers=False)
    rad = result.radiation
    if rad is not None:
        if degradation_table is None:
            degradation_table = (rad.degradation_years, rad.degradation_factor)
        if fault_rates_per_chip_s is None:
            fault_rates_per_chip_s = rad.fault_rates_per_chip_s
            fault_downtime_s = rad.fault_downtime_s
    plan = twin.plan(
        spec,
        result.figures,
        fleet_elements(spec),
        duration_s,
        step_s,
        series_satellites=series_satellites,
        degradation_table=degradation_table,
        fault_rates_per_chip_s=fault_rates_per_chip_s,
        fault_downtime_s=fault_downtime_s,
    )
    return Simulation(result, plan)


@dataclass(frozen=True)
class WorkloadRun:
    """The workload time loop of a design, set up and not yet stepped (docs/workloads.md).

    ``plans`` maps each policy run to its :class:`orbitaldc.workload.plan.WorkloadPlan`:
    the spec's ``[scheduler] policy`` first, then its ``baseline`` (same faults, same seed).
    Iterate :meth:`chunks` per policy (one simulated day each, with its resume state), then
    :meth:`finish` with every policy's last resume state.
    """

    result: Result
    plans: dict[str, workload_plan.WorkloadPlan]
    cost_per_accelerator_hour_usd: float

    @property
    def policies(self) -> list[str]:
        return list(self.plans)

    def chunks(
        self,
        policy: str,
        resume_state: Mapping[str, np.ndarray] | None = None,
        chunks_done: int = 0,
    ) -> Iterator[workload_execution.WorkloadChunk]:
        """One :class:`~orbitaldc.workload.execution.WorkloadChunk` per day of ``policy``'s run."""
        return workload_execution.run_chunks(self.plans[policy], resume_state, chunks_done)

    def finish(self, states: Mapping[str, Mapping[str, np.ndarray]]) -> dict[str, Any]:
        """``workload_run{}`` of summary.json from each policy's last resume state."""
        names = self.policies
        runs = {
            n: workload_execution.finish(
                self.plans[n], states[n], self.cost_per_accelerator_hour_usd
            )
            for n in names
        }
        first = self.plans[names[0]]
        out: dict[str, Any] = {
            "duration_days": first.twin.duration_s / 86400.0,
            "step_s": first.twin.step_s,
            "cadence_s": first.cadence_steps * first.twin.step_s,
            **runs[names[0]],
            "baseline": None,
            "gains": None,
        }
        if len(names) > 1:
            base = runs[names[1]]
            out["baseline"] = base
            out["gains"] = workload_execution.gains(runs[names[0]], base)
        return out

    def run_states(self) -> dict[str, dict[str, np.ndarray]]:
        """Step every policy's whole run in memory: each policy's last resume state (its
        timeline and events included)."""
        states = {}
        for name in self.policies:
            state = workload_execution.initial_resume_state(self.plans[name])
            for chunk in self.chunks(name):
                state = chunk.resume_state
            states[name] = state
        return states

    def run(self) -> dict[str, Any]:
        """Step every policy's whole run in memory and finish."""
        return self.finish(self.run_states())


def run_workloads(
    spec: DesignSpec,
    duration_s: float,
    step_s: float = 60.0,
    *,
    policy: str | None = None,
    baseline: str | None = None,
    radiation: bool = True,
) -> WorkloadRun:
    """Set up the workload time loop of ``spec`` over ``duration_s`` at the twin's ``step_s``:
    its ``[[workload]]`` jobs and services on the twin, under ``[scheduler] policy`` (or
    ``policy``) and, for comparison, its ``baseline`` (or ``baseline``; ``"none"`` to skip).

    The radiation chain (when the orbit is inside its model) gives the chips' fault rates; the
    economics the in-orbit attrition and the cost per accelerator-hour. Nothing is stepped until
    iterated.
    """
    if not spec.workload:
        raise ValueError(f"{spec.mission.name} declares no [[workload]] (docs/workloads.md)")
    sim = simulate(spec, duration_s, step_s, series_satellites=0, radiation=radiation)
    figures = sim.result.figures
    main = policy or spec.scheduler.policy
    other = baseline or spec.scheduler.baseline
    first = workload_plan.plan(
        spec, sim.plan, float(figures.get("accelerator_annual_failure_rate", 0.0)), main
    )
    plans = {main: first}
    if other != "none" and other != main:
        plans[other] = workload_plan.with_policy(first, other)
    cost = sim.result.summary["economics"]["cost_per_accelerator_hour_usd"]
    return WorkloadRun(sim.result, plans, float(cost) if cost is not None else float("nan"))


def orbit_year(spec: DesignSpec, duration_s: float = SECONDS_PER_YEAR) -> OrbitYear:
    """Beta angle and eclipses per plane over the mission's first year (``orbitaldc orbit``)."""
    if spec.orbit is None:
        raise ValueError(f"{spec.mission.name} is a terrestrial design; it has no orbit")
    start_s = float(seconds_since_j2000(spec.mission.start))
    return _fleet_orbit_year(fleet_elements(spec), start_s, duration_s)


def _json_float(x: float | None) -> float | None:
    return None if x is None or not np.isfinite(x) else float(x)


def parity(
    spec: DesignSpec,
    levers: Sequence[str | parity_solver.Lever] | None = None,
    fixed: Mapping[str, float] | None = None,
) -> dict[str, Any]:
    """What must be true for space to cost what the ground costs (``economics.parity{}``).

    For each lever (default :data:`orbitaldc.economics.parity.DEFAULT_LEVERS`; a name picks a
    default lever, a :class:`~orbitaldc.economics.parity.Lever` sets its own range) the value at
    which the closure's ``space_to_ground_cost_ratio`` is 1, all other inputs as in ``spec``, or
    None with the reason, and whether the design still closes there; each lever's elasticity
    ``d ln ratio / d ln value`` at the design; the dominant lever (largest ``|elasticity|``); and
    the parity floor, the ratio with free launch and free satellite hardware. Values are in the lever's unit (its closure override name);
    the dict is JSON-safe (None, never NaN). A handful of ``evaluate_batch`` calls in all.
    """
    if spec.orbit is None:
        raise ValueError(f"{spec.mission.name} is a terrestrial design; it has no space cost")
    table = {lv.name: lv for lv in parity_solver.DEFAULT_LEVERS}
    chosen = [
        lv if isinstance(lv, parity_solver.Lever) else table.get(lv, lv)
        for lv in (levers if levers is not None else parity_solver.DEFAULT_LEVERS)
    ]
    for lv in chosen:
        if not isinstance(lv, parity_solver.Lever) or lv.name not in OVERRIDABLE:
            name = lv.name if isinstance(lv, parity_solver.Lever) else lv
            raise ValueError(
                f"parity lever {name!r} is not an overridable closure input "
                f"(overridable: {', '.join(OVERRIDABLE)})"
            )
    names = [lv.name for lv in chosen]
    base = _batch(spec, fixed)
    current = [float(base[name][0]) for name in names]

    def ratio(lever_index: np.ndarray, values: np.ndarray) -> np.ndarray:
        overrides = parity_solver.stacked_overrides(names, current, lever_index, values)
        return _batch(spec, fixed, overrides)["space_to_ground_cost_ratio"]

    def ratio_of_overrides(overrides: Mapping[str, np.ndarray]) -> np.ndarray:
        return _batch(spec, fixed, overrides)["space_to_ground_cost_ratio"]

    solved = parity_solver.solve_levers(ratio, chosen)
    elasticity = parity_solver.elasticities(ratio, current)
    floor = parity_solver.parity_floor(ratio_of_overrides)
    found = [j for j, p in enumerate(solved) if p.value is not None]
    closes = [None] * len(chosen)
    if found:
        at_value = _batch(
            spec,
            fixed,
            parity_solver.stacked_overrides(
                names, current, np.array(found), np.array([solved[j].value for j in found])
            ),
        )["closes"]
        for j, ok in zip(found, at_value, strict=True):
            closes[j] = bool(ok)
    return {
        "ratio": _json_float(base["space_to_ground_cost_ratio"][0]),
        "levers": {
            lv.name: {
                "label": lv.label,
                "value": p.value,
                "current": _json_float(now),
                "unit": lv.unit,
                "range": [lv.low, lv.high],
                "ratio_at_value": p.ratio_at_value,
                "reason": p.reason,
                "closes_at_value": ok,
            }
            for lv, p, now, ok in zip(chosen, solved, current, closes, strict=True)
        },
        "dominant_lever": parity_solver.dominant_lever(names, elasticity),
        "elasticities": {name: _json_float(e) for name, e in zip(names, elasticity, strict=True)},
        "parity_floor": _json_float(floor[0]),
    }


def parity_batch(
    spec: DesignSpec,
    overrides: Mapping[str, Any],
    levers: Sequence[str] | None = None,
    fixed: Mapping[str, float] | None = None,
) -> dict[str, Any]:
    """The parity value of each lever for N variants of ``spec`` at once (a sweep's parity).

    ``overrides`` are the variants (``evaluate_batch`` overrides, arrays of length N). Every
    (variant, lever) pair is one problem of :func:`orbitaldc.economics.parity.solve_levers`, so
    the whole table costs the same handful of batch calls as one design's parity, each call N x L
    times longer. Returns ``{"levers": [names], "value": (N, L) float array (NaN: no parity),
    "reason": N lists of L reasons or None}``.
    """
    if spec.orbit is None:
        raise ValueError(f"{spec.mission.name} is a terrestrial design; it has no space cost")
    table = {lv.name: lv for lv in parity_solver.DEFAULT_LEVERS}
    names = list(levers) if levers is not None else list(table)
    unknown = [n for n in names if n not in table]
    if unknown:
        raise ValueError(f"parity lever {unknown[0]!r} has no default range; use parity()")
    variants = {k: np.atleast_1d(np.asarray(v, dtype=float)) for k, v in overrides.items()}
    n = max((v.size for v in variants.values()), default=1)
    base = _batch(spec, fixed, variants)
    current = np.stack([base[name] for name in names], axis=1)  # (N, L)
    problems = [table[name] for _ in range(n) for name in names]
    n_lev = len(names)

    def ratio(problem: np.ndarray, values: np.ndarray) -> np.ndarray:
        design, lever = np.divmod(np.asarray(problem), n_lev)
        rows = {k: v[design] for k, v in variants.items()}
        for k, name in enumerate(names):
            rows[name] = np.where(lever == k, values, current[design, k])
        return _batch(spec, fixed, rows)["space_to_ground_cost_ratio"]

    solved = parity_solver.solve_levers(ratio, problems)
    value = np.array([np.nan if p.value is None else p.value for p in solved]).reshape(n, n_lev)
    reasons = [[p.reason for p in solved[i * n_lev : (i + 1) * n_lev]] for i in range(n)]
    return {"levers": names, "value": value, "reason": reasons}


def crossover(
    spec: DesignSpec,
    years: Sequence[int] = range(2025, 2046),
    *,
    base_year: int | None = None,
    launch_learning_rate: float | None = None,
    launch_growth_per_year: float | None = None,
    hardware_learning_rate: float | None = None,
    hardware_growth_per_year: float | None = None,
    electricity_trend_per_year: float | None = None,
    fixed: Mapping[str, float] | None = None,
) -> dict[str, Any]:
    """When does space win: the design built each year, its cost against the ground's.

    The spec's launch price and satellite hardware cost are those of ``base_year``; each year's
    design pays them after Wright's-law learning (:func:`orbitaldc.economics.learning.
    price_in_year`: ``learning_rate`` = cost reduction per doubling of cumulative production,
    which grows at ``growth_per_year``), and the ground site's electricity follows a compound
    trend. The satellite hardware enters as its cost per W of BOL array power (the closure's
    ``cost_per_watt_fixed``), which carries the whole bottom-up hardware cost of the base design.
    Every learning and trend value not given comes from the design's cost profile (sourced,
    docs/economics_sources.md). The launch price learns from the design's effective price per kg
    of launched satellite (per flight, rideshare or per kg). All years in one ``evaluate_batch``
    call.

    Returns ``years``, ``space_cost_per_accelerator_hour_usd``,
    ``ground_cost_per_accelerator_hour_usd``, the learned ``launch_price_usd_per_kg`` and
    ``satellite_hardware_usd_per_w``, and ``crossover_year`` (first year with space <= ground,
    or None); JSON-safe.
    """
    if spec.orbit is None:
        raise ValueError(f"{spec.mission.name} is a terrestrial design; it has no space cost")
    profile = {k: float(v["value"]) for k, v in cost_profile(spec).items()}
    if base_year is not None:
        profile["base_year"] = float(base_year)
    given = {
        "launch_learning_rate": launch_learning_rate,
        "launch_mass_growth_per_year": launch_growth_per_year,
        "hardware_learning_rate": hardware_learning_rate,
        "hardware_production_growth_per_year": hardware_growth_per_year,
        "electricity_price_trend_per_year": electricity_trend_per_year,
    }
    rates = {k: np.array([v]) for k, v in given.items() if v is not None}
    year = np.asarray(list(years), dtype=float)
    learned = economics_crossover.crossover_years(
        profile,
        lambda rows: _batch(spec, fixed, rows),
        {},
        _batch(spec, fixed),
        year.astype(int),
        rates,
    )
    space, ground = learned.space[0], learned.ground[0]
    launch_price, hardware = learned.launch_usd_per_kg[0], learned.hardware_usd_per_w[0]
    return {
        "years": [int(y) for y in year],
        "space_cost_per_accelerator_hour_usd": [_json_float(c) for c in space],
        "ground_cost_per_accelerator_hour_usd": [_json_float(c) for c in ground],
        "launch_price_usd_per_kg": [_json_float(c) for c in launch_price],
        "satellite_hardware_usd_per_w": [_json_float(c) for c in hardware],
        "crossover_year": learning.crossover_year(year.astype(int), space, ground),
    }


def _batch(
    spec: DesignSpec,
    fixed: Mapping[str, float] | None,
    overrides: Mapping[str, Any] | None = None,
) -> dict[str, np.ndarray]:
    """``evaluate_batch`` with ``fixed`` inputs (e.g. the dose-limited chip life) under every
    row's ``overrides``."""
    overrides = dict(overrides or {})
    n = max((np.size(v) for v in overrides.values()), default=1)
    for name, value in (fixed or {}).items():
        overrides.setdefault(name, np.full(n, value, dtype=float))
    return evaluate_batch(spec, overrides)


def _or(value: float | None, default: float) -> float:
    return float(default if value is None else value)


def _with_network(
    spec: DesignSpec,
    closure: Closure,
    summary: dict[str, Any],
    wanted: bool = True,
    radiation: RadiationResult | None = None,
) -> None:
    """``network{}`` of an orbital design (null without a [network] section) and
    ``workload[]`` (the spec's jobs and services, in orbit and on the ground)."""
    net = assess_network(spec, closure) if wanted and spec.network is not None else None
    if wanted:
        summary["network"] = None if net is None else net.summary
    if not spec.workload:
        return
    latency = None
    if net is not None and net.summary["latency_ms"]["median"] is not None:
        latency = net.summary["latency_ms"]["median"] / 1e3
    summary["workload"] = workload_assess.workload_block(
        spec,
        summary,
        catalog.get("accelerators", spec.accelerator_id),
        None if net is None else net.isl,
        latency,
        None if radiation is None else radiation.fault_rates_per_chip_s,
        closure.figures.get("accelerator_annual_failure_rate", 0.0),
    )


def economics_answers(spec: DesignSpec, closure: Closure) -> dict[str, Any]:
    """The questions beyond one cost figure, for summary.json's ``economics``: ``parity{}`` (what
    must be true), ``crossover{}`` and ``crossover_year`` (when), and, for a spec that fixes the
    array or radiator area, ``capacity{}`` (how many accelerators that hardware carries)."""
    life = closure.figures["chip_life_years"]
    fixed = None if np.isnan(life) else {"chip_life_years": life}
    out: dict[str, Any] = {"parity": parity(spec, fixed=fixed)}
    when = crossover(spec, fixed=fixed)
    out["crossover_year"] = when["crossover_year"]
    out["crossover"] = when
    sat = spec.satellite
    if sat is not None and (
        sat.power.array_area_m2 is not None or sat.thermal.radiator_area_m2 is not None
    ):
        d = design_arrays(spec)
        figures = {k: np.array([v]) for k, v in closure.figures.items()}
        fits = capacity_of_areas(d, figures, sat.power.array_area_m2, sat.thermal.radiator_area_m2)
        out["capacity"] = {
            k: (v if isinstance(v, str) else _json_float(v))
            for k, v in ((k, np.asarray(v).ravel()[0]) for k, v in fits.items())
        }
    return out
