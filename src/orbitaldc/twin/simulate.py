"""Step the whole fleet through time: orbit and shadow -> power -> battery -> thermal network.

The loop runs over time steps (vectorised over satellites), in chunks of one day; after each chunk
the state and that chunk's decimated time series are written atomically, so an interrupted run
resumes from its last finished chunk and gives byte-identical output.

Per step and satellite:

1. Array power ``A S(t) eta p f_T cos(theta) D(t) f_lit`` (``physics.solar_array``), with ``f_lit``
   the conical-shadow illuminated fraction (``physics.fleet_shadow``) and ``cos(theta)`` from the
   pointing (tracking error, or |sin beta| for a fixed array facing the orbit normal); the bus gets
   ``eta_sunlight_path`` of it.
2. Load = compute (nameplate x thermal throttle, or 0 in eclipse when the strategy sheds) + bus +
   heaters. The battery (``physics.battery``) takes the surplus or covers the deficit within its
   limits; any shortfall is taken from compute, never overdrawn.
3. Heat: compute node <- compute power and heaters; bus node <- bus load, conversion and battery
   losses; radiator <- Earth infrared and albedo on both faces (edge-on to the Sun) by position.
   One implicit step of the network (``physics.thermal``).
4. Junction = compute node + chip power x R_jc: above the limit the compute is throttled by 10 %
   per step, and recovers by 5 % per step once 3 K below it; below the loop's cold limit heaters
   run, drawn from the bus.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from orbitaldc.physics import battery, fleet_shadow, radiator, thermal
from orbitaldc.physics.constants import EARTH_ALBEDO, EARTH_OLR_W_M2
from orbitaldc.physics.orbit import j2_secular_rates
from orbitaldc.physics.sun import solar_irradiance_w_m2, sun_direction_eci
from orbitaldc.physics.timescale import seconds_since_j2000
from orbitaldc.report.io import write_atomic, write_json_atomic
from orbitaldc.twin.design import NODES, SatelliteDesign, design_from_summary
from orbitaldc.twin.fleet import fleet_elements

#: Time steps per chunk are one day; one sample in ``DECIMATE`` goes to the Parquet series.
DECIMATE = 5
_ACCUMULATORS = (
    "it_nominal_wh",
    "it_served_wh",
    "array_available_wh",
    "curtailed_wh",
    "load_served_wh",
    "battery_loss_wh",
    "heater_wh",
    "throttled_s",
    "discharged_wh",
    "bus_unserved_wh",
)


def _initial_state(design: SatelliteDesign, n_sat: int, t_rad_k: float) -> dict[str, np.ndarray]:
    state = {name: np.zeros(n_sat) for name in _ACCUMULATORS}
    state["energy_wh"] = np.full(n_sat, design.battery_wh)
    state["energy_start_wh"] = state["energy_wh"].copy()
    state["temp_k"] = np.tile([t_rad_k + 10.0, t_rad_k, t_rad_k + 5.0], (n_sat, 1))
    state["throttle"] = np.ones(n_sat)
    state["heater_w"] = np.zeros(n_sat)
    state["min_soc"] = np.ones(n_sat)
    state["max_temp_k"] = np.full((n_sat, 3), -np.inf)
    state["min_temp_k"] = np.full((n_sat, 3), np.inf)
    return state


def _step_chunk(design, elements, state, t, dt, start_s, decimate):
    """Advance ``state`` over the time grid ``t`` (shape (n_t,)); returns the decimated series."""
    n_sat = elements.n_satellites
    r, lit = fleet_shadow.positions_and_illumination(elements, t)
    sun_dir = sun_direction_eci(t)
    irradiance = solar_irradiance_w_m2(t)
    raan_dot, _, _ = j2_secular_rates(
        elements.semi_major_axis_m, elements.eccentricity, elements.inclination_rad
    )
    view = radiator.earth_view_factor_vertical_plate(design.altitude_m)
    face_area = design.radiator_area_m2 * design.radiator_sides
    earth_ir_w = design.radiator_emissivity * EARTH_OLR_W_M2 * view * face_area
    albedo_scale = design.radiator_absorptivity * EARTH_ALBEDO * view * face_area
    cap = np.array(design.capacity_j_per_k)
    cond = np.array(design.conductance_w_per_k)
    eps_area = design.eps_area_m2
    rows = []
    for k in range(t.size):
        if design.sun_tracking:
            pointing = np.full(n_sat, np.cos(design.pointing_error_rad))
        else:
            raan = elements.raan_rad + raan_dot * (t[k] - elements.epoch_s)
            si = np.sin(elements.inclination_rad)
            normal = np.stack(
                [si * np.sin(raan), -si * np.cos(raan), np.cos(elements.inclination_rad)], -1
            )
            pointing = np.abs(normal @ sun_dir[k])
        array_w = (
            design.array_area_m2
            * irradiance[k]
            * design.array_efficiency
            * design.array_packing
            * design.array_temp_factor
            * design.degradation(t[k] - start_s)
            * pointing
            * lit[:, k]
        )
        available_w = array_w * design.eta_sunlight_path
        eclipsed = lit[:, k] < 0.5
        it_demand = design.it_power_w * state["throttle"]
        if design.shed_in_eclipse:
            it_demand = np.where(eclipsed, 0.0, it_demand)
        load = it_demand + design.bus_power_w + state["heater_w"]
        b = battery.battery_step(
            state["energy_wh"],
            available_w - load,
            dt,
            design.battery_wh,
            design.battery_max_dod,
            design.battery_charge_efficiency,
            design.battery_discharge_efficiency,
        )
        it_served = np.clip(it_demand - b.shortfall_w, 0.0, None)
        bus_unserved = np.clip(b.shortfall_w - it_demand, 0.0, None)
        load_served = load - b.shortfall_w
        from_array = load_served + b.charge_w - b.discharge_w
        conversion_loss = from_array * (1.0 / design.eta_sunlight_path - 1.0)
        # Heat inputs per node: compute, radiator (environment), bus.
        r_hat = r[:, k] / np.linalg.norm(r[:, k], axis=-1, keepdims=True)
        sub_solar_cos = np.clip(r_hat @ sun_dir[k], 0.0, None)
        q = np.stack(
            [
                it_served + state["heater_w"],
                np.full(n_sat, earth_ir_w) + albedo_scale * irradiance[k] * sub_solar_cos,
                design.bus_power_w + conversion_loss + b.loss_wh * 3600.0 / dt,
            ],
            axis=-1,
        )
        temps = thermal.thermal_step(state["temp_k"], cap, cond, eps_area, q, dt)
        junction = (
            temps[:, 0]
            + design.chip_power_w * state["throttle"] * design.junction_to_coldplate_k_per_w
        )
        hot = junction > design.junction_max_k
        cool = junction < design.junction_max_k - 3.0
        state["throttle"] = np.where(
            hot,
            np.maximum(state["throttle"] - 0.1, 0.1),
            np.where(cool, np.minimum(state["throttle"] + 0.05, 1.0), state["throttle"]),
        )
        state["heater_w"] = np.clip(
            (design.heater_setpoint_k - temps[:, 0]) * cap[0] / dt, 0.0, design.heater_max_w
        )
        hours = dt / 3600.0
        state["it_nominal_wh"] += design.it_power_w * hours
        state["it_served_wh"] += it_served * hours
        state["array_available_wh"] += available_w * hours
        state["curtailed_wh"] += (available_w - from_array) * hours
        state["load_served_wh"] += load_served * hours
        state["battery_loss_wh"] += b.loss_wh
        state["heater_wh"] += state["heater_w"] * hours
        state["throttled_s"] += np.where(state["throttle"] < 1.0, dt, 0.0)
        state["discharged_wh"] += b.discharge_w * hours
        state["bus_unserved_wh"] += bus_unserved * hours
        state["energy_wh"] = b.energy_wh
        state["temp_k"] = temps
        soc = b.energy_wh / design.battery_wh
        state["min_soc"] = np.minimum(state["min_soc"], soc)
        state["max_temp_k"] = np.maximum(state["max_temp_k"], temps)
        state["min_temp_k"] = np.minimum(state["min_temp_k"], temps)
        if k % decimate == 0:
            rows.append(
                (
                    np.full(n_sat, t[k]),
                    np.arange(n_sat),
                    array_w,
                    load_served,
                    soc,
                    temps[:, 0],
                    temps[:, 1],
                    temps[:, 2],
                    junction,
                    state["throttle"].copy(),
                    lit[:, k],
                )
            )
    columns = (
        "t_s",
        "satellite",
        "array_w",
        "load_w",
        "state_of_charge",
        "compute_k",
        "radiator_k",
        "bus_k",
        "junction_k",
        "throttle",
        "illuminated",
    )
    return pd.DataFrame(
        {c: np.concatenate([row[i] for row in rows]) for i, c in enumerate(columns)}
    )


def _fingerprint(spec: Any, duration_s: float, step_s: float) -> str:
    text = json.dumps([spec.model_dump(mode="json"), duration_s, step_s, DECIMATE], sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def aggregates(
    state: dict[str, np.ndarray], design: SatelliteDesign, duration_s: float, step_s: float
) -> dict[str, Any]:
    """The ``twin{}`` figures of summary.json (docs/twin.md) from the accumulated state."""
    stored_wh = state["energy_wh"] - state["energy_start_wh"]
    # array -> bus = load + charge - discharge; stored = charge*eta_c - discharge/eta_d; so
    # array_in - curtailed - load - stored - losses must vanish.
    balance = (
        state["array_available_wh"]
        - state["curtailed_wh"]
        - state["load_served_wh"]
        - stored_wh
        - state["battery_loss_wh"]
    )
    scale = max(float(state["array_available_wh"].sum()), 1e-12)
    return {
        "duration_days": duration_s / 86400.0,
        "step_s": step_s,
        "satellites": int(state["energy_wh"].size),
        "delivered_compute_fraction": float(
            state["it_served_wh"].sum() / state["it_nominal_wh"].sum()
        ),
        "energy_curtailed_kwh": float(state["curtailed_wh"].sum() / 1e3),
        "min_state_of_charge": float(state["min_soc"].min()),
        "max_temperature_k": {
            n: float(state["max_temp_k"][:, i].max()) for i, n in enumerate(NODES)
        },
        "min_temperature_k": {
            n: float(state["min_temp_k"][:, i].min()) for i, n in enumerate(NODES)
        },
        "heater_energy_kwh": float(state["heater_wh"].sum() / 1e3),
        "hours_throttled": float(state["throttled_s"].mean() / 3600.0),
        "battery_cycles_max": float((state["discharged_wh"] / design.battery_wh).max()),
        "bus_energy_unserved_kwh": float(state["bus_unserved_wh"].sum() / 1e3),
        "energy_balance_error_rel": float(np.abs(balance).sum() / scale),
    }


def run_simulation(
    spec: Any,
    duration_s: float,
    step_s: float,
    out_dir: Path,
    progress: Callable[[int, int], None] | None = None,
    resume: bool = True,
) -> dict[str, Any]:
    """Simulate the fleet of ``spec`` for ``duration_s`` at ``step_s``; write series and plots.

    Writes ``out_dir/series/chunk_NNNN.parquet`` (decimated per-satellite series), the resumable
    state ``out_dir/state.npz`` with ``manifest.json``, and plots; returns the ``twin{}`` dict.
    """
    from orbitaldc import evaluate

    if step_s <= 0 or duration_s < step_s:
        raise ValueError("step_s must be positive and no longer than duration_s")
    if 86400.0 % step_s:
        raise ValueError(f"step_s must divide a day evenly (got {step_s} s)")
    out_dir = Path(out_dir)
    summary = evaluate(spec)
    design = design_from_summary(spec, summary)
    elements = fleet_elements(spec)
    start_s = float(seconds_since_j2000(spec.mission.start))
    steps_per_chunk = int(86400.0 // step_s)
    total_steps = int(round(duration_s / step_s))
    n_chunks = int(np.ceil(total_steps / steps_per_chunk))
    fingerprint = _fingerprint(spec, duration_s, step_s)
    manifest_path, state_path = out_dir / "manifest.json", out_dir / "state.npz"
    state = _initial_state(
        design, elements.n_satellites, summary["satellite"]["radiator_temperature_k"]
    )
    done = 0
    if resume and manifest_path.exists() and state_path.exists():
        manifest = json.loads(manifest_path.read_text())
        if manifest.get("fingerprint") == fingerprint:
            with np.load(state_path) as saved:
                state = {k: saved[k] for k in saved.files}
            done = int(manifest["chunks_done"])
    for chunk in range(done, n_chunks):
        first = chunk * steps_per_chunk
        count = min(steps_per_chunk, total_steps - first)
        t = start_s + (first + np.arange(count)) * step_s
        series = _step_chunk(design, elements, state, t, step_s, start_s, DECIMATE)
        write_atomic(
            out_dir / "series" / f"chunk_{chunk:04d}.parquet",
            lambda p, df=series: df.to_parquet(p, index=False, engine="pyarrow"),
        )

        def _save_state(p: Path) -> None:
            with open(p, "wb") as f:
                np.savez(f, **state)

        write_atomic(state_path, _save_state)
        write_json_atomic(
            manifest_path,
            {"fingerprint": fingerprint, "chunks_done": chunk + 1, "chunks_total": n_chunks},
        )
        if progress is not None:
            progress(first + count, total_steps)
    result = aggregates(state, design, duration_s, step_s)
    from orbitaldc.report.twin_report import write_twin_plots

    result["files"] = write_twin_plots(out_dir)
    return result
