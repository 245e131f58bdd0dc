"""Step the whole fleet through time: orbit and shadow -> power -> battery -> thermal network.

:func:`plan` fixes a run (design from the closure's full-precision figures, fleet elements,
chunking, fault model and a fingerprint of every input); :func:`run_chunks` then yields one
:class:`TwinChunk` per day of simulated time. Each chunk precomputes what every satellite shares
(Sun position and irradiance per step, the array degradation at that mission time, the chunk's
fault events) and calls the compiled kernel (:mod:`orbitaldc.twin.kernel`, the model is described
there and in docs/twin.md), which advances every satellite in parallel. Nothing here reads or
writes a file: each chunk carries its *resume state* (per-satellite state, chip outages, fault
counts, daily rows), so a caller that stores it (``orbitaldc.report.twin_store``) can resume an
interrupted run from its last finished chunk with byte-identical output. :func:`finish` turns the
final resume state into the ``twin{}`` figures and the per-satellite table.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from orbitaldc.physics.orbit import MeanElements
from orbitaldc.physics.timescale import seconds_since_j2000
from orbitaldc.twin import faults as fault_events
from orbitaldc.twin import kernel as kn
from orbitaldc.twin.design import (
    NODES,
    SatelliteDesign,
    check_degradation_table,
    degradation_factor,
    design_from_closure,
    years_since_start,
)

#: One sample in ``DECIMATE`` steps goes to the Parquet series.
DECIMATE = 5
#: Satellites whose series are written when the caller does not choose (spread over the fleet).
DEFAULT_SERIES_SATELLITES = 5
#: Newton linearisations of the T^4 term per thermal step (``physics.thermal.thermal_step``).
NEWTON_ITERATIONS = 2
#: Columns of ``daily.parquet``: one row per chunk (day) over the whole fleet.
DAILY_COLUMNS = (
    "t_s",
    "min_state_of_charge",
    "delivered_compute_fraction",
    "max_junction_k",
    *(f"max_{n}_k" for n in NODES),
    *(f"min_{n}_k" for n in NODES),
)


def select_series_satellites(choice: int | str | Sequence[int] | None, n_sat: int) -> np.ndarray:
    """Indices of the satellites whose decimated series are written.

    ``None``: ``DEFAULT_SERIES_SATELLITES`` spread evenly over the fleet (always including
    satellite 0); an int N: N spread evenly; ``"all"``: every satellite; a sequence: those indices.
    """
    if choice is None:
        choice = DEFAULT_SERIES_SATELLITES
    if isinstance(choice, str):
        if choice != "all":
            raise ValueError(f"series_satellites must be an int, 'all' or indices, got {choice!r}")
        return np.arange(n_sat, dtype=np.int64)
    if isinstance(choice, int | np.integer):
        if choice < 0:
            raise ValueError(f"series_satellites must be >= 0, got {choice}")
        count = min(int(choice), n_sat)
        return np.unique(np.linspace(0, n_sat - 1, count).round().astype(np.int64))
    chosen = np.asarray(choice, dtype=np.int64).ravel()
    if chosen.size and (chosen.min() < 0 or chosen.max() >= n_sat):
        raise ValueError(f"series_satellites: indices must lie in 0..{n_sat - 1}")
    return np.unique(chosen)


def _fingerprint(spec: Any, duration_s: float, step_s: float, options: dict[str, Any]) -> str:
    text = json.dumps(
        [spec.model_dump(mode="json"), duration_s, step_s, DECIMATE, NEWTON_ITERATIONS, options],
        sort_keys=True,
    )
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def aggregates(
    state: np.ndarray,
    design: SatelliteDesign,
    duration_s: float,
    step_s: float,
    fault_counts: Mapping[str, int] | None = None,
) -> dict[str, Any]:
    """The ``twin{}`` figures of summary.json (docs/twin.md) from the accumulated state."""
    col = {name: state[:, i] for i, name in enumerate(kn.STATE)}
    stored_wh = col["energy_wh"] - col["energy_start_wh"]
    # array -> bus = load + charge - discharge; stored = charge*eta_c - discharge/eta_d; so
    # array_in - curtailed - load - stored - losses must vanish.
    balance = (
        col["array_available_wh"]
        - col["curtailed_wh"]
        - col["load_served_wh"]
        - stored_wh
        - col["battery_loss_wh"]
    )
    scale = max(float(col["array_available_wh"].sum()), 1e-12)
    nominal = float(col["it_nominal_wh"].sum())
    return {
        "duration_days": duration_s / 86400.0,
        "step_s": step_s,
        "satellites": int(state.shape[0]),
        "delivered_compute_fraction": float(col["it_served_wh"].sum() / nominal),
        "energy_curtailed_kwh": float(col["curtailed_wh"].sum() / 1e3),
        "min_state_of_charge": float(col["min_soc"].min()),
        "max_temperature_k": {n: float(col[f"max_{n}_k"].max()) for n in NODES},
        "min_temperature_k": {n: float(col[f"min_{n}_k"].min()) for n in NODES},
        "max_junction_temperature_k": float(col["junction_max_k"].max()),
        "heater_energy_kwh": float(col["heater_wh"].sum() / 1e3),
        "hours_throttled": float(col["throttled_s"].mean() / 3600.0),
        "battery_cycles_max": float((col["discharged_wh"] / design.battery_wh).max()),
        "bus_energy_unserved_kwh": float(col["bus_unserved_wh"].sum() / 1e3),
        "energy_balance_error_rel": float(np.abs(balance).sum() / scale),
        "fault_events": dict(fault_counts or {}),
        "compute_lost_to_faults_fraction": float(col["it_lost_to_faults_wh"].sum() / nominal),
        "chip_hours_lost_to_faults": float(col["chip_s_lost"].sum() / 3600.0),
    }


def daily_row(t0: float, daily: np.ndarray) -> list[float]:
    """One row of the daily table (:data:`DAILY_COLUMNS`) from a chunk's per-satellite figures
    (the kernel's ``daily``)."""
    n = len(NODES)
    return [
        t0,
        float(daily[:, kn.D_SOC].min()),
        float(daily[:, kn.D_SERVED].sum() / daily[:, kn.D_NOM].sum()),
        float(daily[:, kn.D_TJ].max()),
        *daily[:, kn.D_TMAX : kn.D_TMAX + n].max(axis=0).tolist(),
        *daily[:, kn.D_TMIN : kn.D_TMIN + n].min(axis=0).tolist(),
    ]


def _series_frame(t: np.ndarray, satellites: np.ndarray, series: np.ndarray) -> pd.DataFrame:
    """Time-major rows: every selected satellite at the first decimated time, then the next."""
    t_dec = t[::DECIMATE]
    n_sel = satellites.size
    flat = series.transpose(1, 0, 2).reshape(t_dec.size * n_sel, len(kn.SERIES))
    frame = {"t_s": np.repeat(t_dec, n_sel), "satellite": np.tile(satellites, t_dec.size)}
    frame.update({c: flat[:, i] for i, c in enumerate(kn.SERIES)})
    return pd.DataFrame(frame)


def satellite_table(state: np.ndarray, design: SatelliteDesign) -> pd.DataFrame:
    """Per-satellite figures over the run (``satellites.parquet``)."""
    col = {name: state[:, i] for i, name in enumerate(kn.STATE)}
    table = {
        "satellite": np.arange(state.shape[0]),
        "delivered_compute_fraction": col["it_served_wh"] / col["it_nominal_wh"],
        "min_state_of_charge": col["min_soc"],
        "max_junction_k": col["junction_max_k"],
        "hours_throttled": col["throttled_s"] / 3600.0,
        "heater_energy_kwh": col["heater_wh"] / 1e3,
        "battery_cycles": col["discharged_wh"] / design.battery_wh,
        "chip_hours_lost_to_faults": col["chip_s_lost"] / 3600.0,
    }
    for n in NODES:
        table[f"max_{n}_k"] = col[f"max_{n}_k"]
        table[f"min_{n}_k"] = col[f"min_{n}_k"]
    return pd.DataFrame(table)


#: Arrays of the resume state, in the order they are stored.
RESUME_KEYS = ("state", "chip_start", "chip_until", "fault_counts", "daily")


@dataclass(frozen=True)
class TwinPlan:
    """Everything fixed for one twin run (no arrays are stepped yet).

    ``fingerprint`` hashes the spec, duration, step and every option: a stored resume state is
    only valid for a run with the same fingerprint.
    """

    spec: Any
    design: SatelliteDesign
    elements: MeanElements
    duration_s: float
    step_s: float
    selected: np.ndarray
    start_s: float
    steps_per_chunk: int
    total_steps: int
    n_chunks: int
    degradation_table: tuple[np.ndarray, np.ndarray] | None
    fault_model: fault_events.FaultModel | None
    initial_radiator_k: float
    fingerprint: str

    @property
    def fault_kinds(self) -> tuple[str, ...]:
        return self.fault_model.kinds if self.fault_model is not None else ()


@dataclass(frozen=True)
class TwinChunk:
    """One simulated day: its decimated series, the daily table so far and the resume state.

    ``series`` has one row per selected satellite per decimated step (time-major);
    ``resume_state`` maps :data:`RESUME_KEYS` to arrays (the run continues from it, see
    :func:`run_chunks`); ``chunks_done`` counts finished chunks including this one.
    """

    index: int
    chunks_done: int
    steps_done: int
    series: pd.DataFrame
    resume_state: dict[str, np.ndarray]

    @property
    def daily(self) -> pd.DataFrame:
        """The fleet's daily table up to and including this chunk (``daily.parquet``)."""
        return pd.DataFrame(self.resume_state["daily"], columns=list(DAILY_COLUMNS))


@dataclass(frozen=True)
class TwinResult:
    """A finished run: the ``twin{}`` figures of summary.json and the per-satellite table."""

    summary: dict[str, Any]
    satellites: pd.DataFrame


def plan(
    spec: Any,
    figures: Mapping[str, float],
    elements: MeanElements,
    duration_s: float,
    step_s: float,
    *,
    series_satellites: int | str | Sequence[int] | None = None,
    degradation_table: tuple[Sequence[float], Sequence[float]] | None = None,
    fault_rates_per_chip_s: Mapping[str, float] | None = None,
    fault_downtime_s: Mapping[str, float] | None = None,
) -> TwinPlan:
    """Fix a twin run of ``spec`` for ``duration_s`` at ``step_s``.

    Parameters
    ----------
    spec : DesignSpec
    figures : mapping
        The closure's full-precision figures (``orbitaldc.closure.close_design(spec).figures``).
    elements : MeanElements
        The fleet (``orbitaldc.fleet.fleet_elements(spec)``).
    duration_s, step_s : float
        Simulated time and step, s; the step must divide a day.
    series_satellites : int, "all" or sequence of int, optional
        Satellites whose decimated series are kept (default: 5 spread over the fleet).
    degradation_table : (years, remaining_factor), optional
        Array output factor versus mission time, interpolated linearly (e.g. from the radiation
        chain); default the catalog's ``(1 - degradation_per_year)^years``.
    fault_rates_per_chip_s : mapping kind -> rate per chip per second, optional
        Poisson fault rates (``twin.faults``); drawn from ``spec.mission.seed`` and the chunk.
    fault_downtime_s : mapping kind -> seconds, optional
        Downtime a fault of that kind takes the chip offline for; missing kinds are only counted.
    """
    if step_s <= 0 or duration_s < step_s:
        raise ValueError("step_s must be positive and no longer than duration_s")
    if 86400.0 % step_s:
        raise ValueError(f"step_s must divide a day evenly (got {step_s} s)")
    table = check_degradation_table(degradation_table)
    model = fault_events.fault_model(fault_rates_per_chip_s, fault_downtime_s)
    selected = select_series_satellites(series_satellites, elements.n_satellites)
    steps_per_chunk = int(86400.0 // step_s)
    total_steps = int(round(duration_s / step_s))
    options = {
        "series_satellites": selected.tolist(),
        "degradation_table": None if table is None else [v.tolist() for v in table],
        "fault_rates_per_chip_s": dict(fault_rates_per_chip_s or {}),
        "fault_downtime_s": dict(fault_downtime_s or {}),
    }
    return TwinPlan(
        spec=spec,
        design=design_from_closure(spec, figures),
        elements=elements,
        duration_s=duration_s,
        step_s=step_s,
        selected=selected,
        start_s=float(seconds_since_j2000(spec.mission.start)),
        steps_per_chunk=steps_per_chunk,
        total_steps=total_steps,
        n_chunks=int(np.ceil(total_steps / steps_per_chunk)),
        degradation_table=table,
        fault_model=model,
        initial_radiator_k=float(figures["radiator_temperature_k"]),
        fingerprint=_fingerprint(spec, duration_s, step_s, options),
    )


def initial_resume_state(p: TwinPlan) -> dict[str, np.ndarray]:
    """The resume state before the first chunk."""
    n_sat, chips = p.elements.n_satellites, p.design.accelerators
    return {
        "state": kn.initial_state(p.design, n_sat, p.initial_radiator_k),
        "chip_start": np.zeros((n_sat, chips)),
        "chip_until": np.zeros((n_sat, chips)),
        "fault_counts": np.zeros(len(p.fault_kinds), dtype=np.int64),
        "daily": np.empty((0, len(DAILY_COLUMNS))),
    }


def check_resume_state(p: TwinPlan, resume: Mapping[str, np.ndarray]) -> dict[str, np.ndarray]:
    """Validate a stored resume state against the plan's shapes; returns it as a dict."""
    fresh = initial_resume_state(p)
    missing = [k for k in RESUME_KEYS if k not in resume]
    if missing:
        raise ValueError(f"resume state lacks {', '.join(missing)}")
    for key in ("state", "chip_start", "chip_until", "fault_counts"):
        if np.shape(resume[key]) != fresh[key].shape:
            raise ValueError(
                f"resume state {key!r} has shape {np.shape(resume[key])}, expected "
                f"{fresh[key].shape} for this run"
            )
    return {k: np.asarray(resume[k]) for k in RESUME_KEYS}


def run_chunks(
    p: TwinPlan,
    resume_state: Mapping[str, np.ndarray] | None = None,
    chunks_done: int = 0,
) -> Iterator[TwinChunk]:
    """Step the fleet chunk by chunk, yielding each finished :class:`TwinChunk`.

    ``resume_state`` and ``chunks_done`` continue a run from a stored chunk (the
    ``resume_state`` of the chunk that made ``chunks_done``); the default starts afresh. A run
    resumed this way yields exactly what the uninterrupted run yields from that chunk on (the
    fault draws are seeded per chunk).
    """
    if not 0 <= chunks_done <= p.n_chunks:
        raise ValueError(f"chunks_done must lie in 0..{p.n_chunks}, got {chunks_done}")
    saved = (
        initial_resume_state(p)
        if resume_state is None or chunks_done == 0
        else check_resume_state(p, resume_state)
    )
    n_sat = p.elements.n_satellites
    for chunk in range(chunks_done, p.n_chunks):
        first = chunk * p.steps_per_chunk
        count = min(p.steps_per_chunk, p.total_steps - first)
        t = chunk_times(p, chunk)
        carry, series, daily, counts = step_satellites(p, chunk, saved, 0, n_sat, p.selected)
        saved = {
            **carry,
            "fault_counts": saved["fault_counts"] + counts,
            "daily": np.vstack([saved["daily"], daily_row(t[0], daily)]),
        }
        yield TwinChunk(
            index=chunk,
            chunks_done=chunk + 1,
            steps_done=first + count,
            series=_series_frame(t, p.selected, series),
            resume_state=saved,
        )


def chunk_times(p: TwinPlan, chunk: int) -> np.ndarray:
    """The step times of chunk ``chunk``, s since J2000."""
    first = chunk * p.steps_per_chunk
    count = min(p.steps_per_chunk, p.total_steps - first)
    return p.start_s + (first + np.arange(count)) * p.step_s


def step_satellites(
    p: TwinPlan,
    chunk: int,
    carry: Mapping[str, np.ndarray],
    first: int,
    end: int,
    selected: np.ndarray | None = None,
) -> tuple[dict[str, np.ndarray], np.ndarray, np.ndarray, np.ndarray]:
    """Advance satellites ``first..end-1`` through chunk ``chunk``.

    ``carry`` holds their ``state``, ``chip_start`` and ``chip_until`` (rows of those
    satellites); the fault events are drawn for the whole fleet from ``(seed, chunk)`` and each
    satellite takes its own, so a fleet stepped in blocks sees exactly the faults of one run.
    ``selected`` are fleet indices whose series are kept (none by default). Returns the new
    carry, the series, the per-satellite daily figures (``kernel.DAILY``) and the chunk's fault
    counts of these satellites by kind.
    """
    t = chunk_times(p, chunk)
    fleet_faults = fault_events.draw_chunk_faults(
        p.fault_model,
        p.elements.n_satellites,
        p.design.accelerators,
        t[0],
        t.size * p.step_s,
        p.spec.mission.seed,
        chunk,
    )
    mine = fault_events.satellites(fleet_faults, first, end)
    degradation = degradation_factor(
        years_since_start(t, p.start_s), p.design.array_degradation_per_year, p.degradation_table
    )
    state = np.array(carry["state"], copy=True)
    chip_start = np.array(carry["chip_start"], copy=True)
    chip_until = np.array(carry["chip_until"], copy=True)
    elements = (
        p.elements
        if (first, end) == (0, p.elements.n_satellites)
        else p.elements.take(slice(first, end))
    )
    rows = np.empty(0, dtype=np.int64) if selected is None else np.asarray(selected) - first
    series, daily = kn.step_chunk(
        p.design,
        elements,
        state,
        chip_start,
        chip_until,
        kn.chunk_inputs(t, degradation, mine),
        p.step_s,
        rows,
        DECIMATE,
        NEWTON_ITERATIONS,
    )
    carry = {"state": state, "chip_start": chip_start, "chip_until": chip_until}
    return carry, series, daily, mine.counts.sum(axis=0)


def finish(p: TwinPlan, resume_state: Mapping[str, np.ndarray]) -> TwinResult:
    """The ``twin{}`` figures and per-satellite table from the last chunk's resume state."""
    state = np.asarray(resume_state["state"])
    counts = {k: int(c) for k, c in zip(p.fault_kinds, resume_state["fault_counts"], strict=True)}
    return TwinResult(
        aggregates(state, p.design, p.duration_s, p.step_s, counts),
        satellite_table(state, p.design),
    )
