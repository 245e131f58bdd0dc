"""Step the whole fleet through time: orbit and shadow -> power -> battery -> thermal network.

The run is cut into chunks of one day. Each chunk precomputes what every satellite shares (Sun
position and irradiance per step, the array degradation at that mission time, the chunk's fault
events) and calls the compiled kernel (:mod:`orbitaldc.twin.kernel`, the model is described
there and in docs/twin.md), which advances every satellite in parallel. After each chunk the state,
the decimated series of the selected satellites and the daily fleet table are written atomically,
so an interrupted run resumes from its last finished chunk and gives byte-identical output.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from orbitaldc.fleet import fleet_elements
from orbitaldc.physics.timescale import seconds_since_j2000
from orbitaldc.report.io import write_atomic, write_json_atomic
from orbitaldc.twin import faults as fault_events
from orbitaldc.twin import kernel as kn
from orbitaldc.twin.design import (
    NODES,
    SatelliteDesign,
    check_degradation_table,
    degradation_factor,
    design_from_summary,
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


def _daily_row(t0: float, daily: np.ndarray) -> list[float]:
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


def _satellite_table(state: np.ndarray, design: SatelliteDesign) -> pd.DataFrame:
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


def run_simulation(
    spec: Any,
    duration_s: float,
    step_s: float,
    out_dir: Path,
    progress: Callable[[int, int], None] | None = None,
    resume: bool = True,
    *,
    series_satellites: int | str | Sequence[int] | None = None,
    degradation_table: tuple[Sequence[float], Sequence[float]] | None = None,
    fault_rates_per_chip_s: Mapping[str, float] | None = None,
    fault_downtime_s: Mapping[str, float] | None = None,
    plots: bool = True,
) -> dict[str, Any]:
    """Simulate the fleet of ``spec`` for ``duration_s`` at ``step_s``; write series and plots.

    Parameters
    ----------
    spec : DesignSpec
    duration_s, step_s : float
        Simulated time and step, s; the step must divide a day.
    out_dir : Path
        Output folder; a run found there with the same inputs is resumed (``resume=True``).
    progress : callable, optional
        ``progress(steps_done, steps_total)`` after each chunk.
    series_satellites : int, "all" or sequence of int, optional
        Satellites whose decimated series are written (default: 5 spread over the fleet).
    degradation_table : (years, remaining_factor), optional
        Array output factor versus mission time, interpolated linearly (e.g. from the radiation
        engine); default the catalog's ``(1 - degradation_per_year)^years``.
    fault_rates_per_chip_s : mapping kind -> rate per chip per second, optional
        Poisson fault rates (``twin.faults``); drawn from ``spec.mission.seed`` and the chunk.
    fault_downtime_s : mapping kind -> seconds, optional
        Downtime a fault of that kind takes the chip offline for; missing kinds are only counted.
    plots : bool
        Write the PNG plots at the end.

    Writes ``out_dir/series/chunk_NNNN.parquet``, ``daily.parquet``, ``satellites.parquet``, the
    resumable ``state.npz`` with ``manifest.json``, and plots; returns the ``twin{}`` dict.
    """
    from orbitaldc import evaluate

    if step_s <= 0 or duration_s < step_s:
        raise ValueError("step_s must be positive and no longer than duration_s")
    if 86400.0 % step_s:
        raise ValueError(f"step_s must divide a day evenly (got {step_s} s)")
    table = check_degradation_table(degradation_table)
    model = fault_events.fault_model(fault_rates_per_chip_s, fault_downtime_s)
    out_dir = Path(out_dir)
    summary = evaluate(spec)
    design = design_from_summary(spec, summary)
    elements = fleet_elements(spec)
    n_sat = elements.n_satellites
    selected = select_series_satellites(series_satellites, n_sat)
    start_s = float(seconds_since_j2000(spec.mission.start))
    steps_per_chunk = int(86400.0 // step_s)
    total_steps = int(round(duration_s / step_s))
    n_chunks = int(np.ceil(total_steps / steps_per_chunk))
    options = {
        "series_satellites": selected.tolist(),
        "degradation_table": None if table is None else [v.tolist() for v in table],
        "fault_rates_per_chip_s": dict(fault_rates_per_chip_s or {}),
        "fault_downtime_s": dict(fault_downtime_s or {}),
    }
    fingerprint = _fingerprint(spec, duration_s, step_s, options)
    manifest_path, state_path = out_dir / "manifest.json", out_dir / "state.npz"
    kinds = model.kinds if model is not None else ()
    saved = {
        "state": kn.initial_state(design, n_sat, summary["satellite"]["radiator_temperature_k"]),
        "chip_start": np.zeros((n_sat, design.accelerators)),
        "chip_until": np.zeros((n_sat, design.accelerators)),
        "fault_counts": np.zeros(len(kinds), dtype=np.int64),
        "daily": np.empty((0, len(DAILY_COLUMNS))),
    }
    done = 0
    if resume and manifest_path.exists() and state_path.exists():
        manifest = json.loads(manifest_path.read_text())
        if manifest.get("fingerprint") == fingerprint:
            with np.load(state_path) as stored:
                saved = {k: stored[k] for k in stored.files}
            done = int(manifest["chunks_done"])
    for chunk in range(done, n_chunks):
        first = chunk * steps_per_chunk
        count = min(steps_per_chunk, total_steps - first)
        t = start_s + (first + np.arange(count)) * step_s
        chunk_faults = fault_events.draw_chunk_faults(
            model, n_sat, design.accelerators, t[0], count * step_s, spec.mission.seed, chunk
        )
        saved["fault_counts"] = saved["fault_counts"] + chunk_faults.counts.sum(axis=0)
        degradation = degradation_factor(
            years_since_start(t, start_s), design.array_degradation_per_year, table
        )
        inputs = kn.chunk_inputs(t, degradation, chunk_faults)
        series, daily = kn.step_chunk(
            design,
            elements,
            saved["state"],
            saved["chip_start"],
            saved["chip_until"],
            inputs,
            step_s,
            selected,
            DECIMATE,
            NEWTON_ITERATIONS,
        )
        saved["daily"] = np.vstack([saved["daily"], _daily_row(t[0], daily)])
        frame = _series_frame(t, selected, series)
        write_atomic(
            out_dir / "series" / f"chunk_{chunk:04d}.parquet",
            lambda p, df=frame: df.to_parquet(p, index=False, engine="pyarrow"),
        )
        daily_frame = pd.DataFrame(saved["daily"], columns=list(DAILY_COLUMNS))
        write_atomic(
            out_dir / "daily.parquet",
            lambda p, df=daily_frame: df.to_parquet(p, index=False, engine="pyarrow"),
        )

        def _save_state(p: Path) -> None:
            with open(p, "wb") as f:
                np.savez(f, **saved)

        write_atomic(state_path, _save_state)
        write_json_atomic(
            manifest_path,
            {"fingerprint": fingerprint, "chunks_done": chunk + 1, "chunks_total": n_chunks},
        )
        if progress is not None:
            progress(first + count, total_steps)
    state = saved["state"]
    counts = {k: int(c) for k, c in zip(kinds, saved["fault_counts"], strict=True)}
    result = aggregates(state, design, duration_s, step_s, counts)
    table_frame = _satellite_table(state, design)
    write_atomic(
        out_dir / "satellites.parquet",
        lambda p: table_frame.to_parquet(p, index=False, engine="pyarrow"),
    )
    result["files"] = []
    if plots:
        from orbitaldc.report.twin_report import write_twin_plots

        result["files"] = write_twin_plots(out_dir)
    return result
