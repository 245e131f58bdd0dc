"""The twin's step in plain numpy (vectorised over satellites, a Python loop over time).

This is the reference the compiled kernel (:mod:`orbitaldc.twin.kernel`) is tested against: the
same model, step for step, written with the numpy building blocks ``orbit``/``eclipse`` (through
``fleet_shadow.positions_and_illumination``), ``battery.battery_step``,
``thermal.thermal_step`` (full dense solve) and ``np.interp``. It loops over time in Python and
is meant for tests and small fleets.
"""

from __future__ import annotations

import numpy as np

from orbitaldc.physics import battery, fleet_shadow, solar_array, thermal
from orbitaldc.physics.constants import EARTH_ALBEDO, EARTH_OLR_W_M2
from orbitaldc.physics.orbit import MeanElements, j2_secular_rates
from orbitaldc.twin import kernel as kn
from orbitaldc.twin.design import ARRAY, BUS, COMPUTE, COOLANT, NODES, RADIATOR, SatelliteDesign


def step_chunk_reference(
    design: SatelliteDesign,
    elements: MeanElements,
    state: np.ndarray,
    chip_start: np.ndarray,
    chip_until: np.ndarray,
    inputs: kn.ChunkInputs,
    dt_s: float,
    series_satellites: np.ndarray,
    decimate: int,
    newton_iterations: int = 2,
    demand: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Same contract as :func:`orbitaldc.twin.kernel.step_chunk`, built from ``design`` and the
    physics modules directly (not from the kernel's ``parameters``, which it checks)."""
    demand = np.ones(elements.n_satellites) if demand is None else np.asarray(demand, float)
    face_area = design.radiator_area_m2 * design.radiator_sides
    view = design.radiator_view_factor
    radiator_earth_ir_w = design.radiator_emissivity * EARTH_OLR_W_M2 * view * face_area
    radiator_albedo = design.radiator_absorptivity * EARTH_ALBEDO * view * face_area
    t = inputs.t
    n_sat, n_t, n_nodes = elements.n_satellites, t.size, len(NODES)
    hours = dt_s / 3600.0
    r, lit_all = fleet_shadow.positions_and_illumination(elements, t)
    raan_dot, _, _ = j2_secular_rates(
        elements.semi_major_axis_m, elements.eccentricity, elements.inclination_rad
    )
    cap = np.array(design.capacity_j_per_k)
    cond = np.array(design.conductance_w_per_k)
    eps_area = design.eps_area_m2
    table = design.view_factor_table()
    grid = np.linspace(-1.0, 1.0, table.size)
    f = inputs.faults
    ev_sat = np.repeat(np.arange(n_sat), np.diff(f.offsets))
    order = np.argsort(f.time_s, kind="stable")
    next_event = 0
    s = state
    d_tmax = np.full((n_sat, n_nodes), -np.inf)
    d_tmin = np.full((n_sat, n_nodes), np.inf)
    d_soc = np.ones(n_sat)
    d_tj = np.full(n_sat, -np.inf)
    d_served = np.zeros(n_sat)
    d_nom = np.zeros(n_sat)
    series = np.empty((series_satellites.size, -(-n_t // decimate), len(kn.SERIES)))
    si, ci = np.sin(elements.inclination_rad), np.cos(elements.inclination_rad)
    for k in range(n_t):
        lit = lit_all[:, k]
        s_hat = inputs.sun_unit[k]
        r_hat = r[:, k] / np.linalg.norm(r[:, k], axis=-1, keepdims=True)
        sub_cos = r_hat @ s_hat
        t0, t1 = t[k], t[k] + dt_s
        while next_event < order.size and f.time_s[order[next_event]] < t1:
            i = order[next_event]
            j, c, te = ev_sat[i], f.chip[i], f.time_s[i]
            if chip_until[j, c] <= te:
                chip_start[j, c], chip_until[j, c] = te, te + f.downtime_s[i]
            else:
                chip_until[j, c] = max(chip_until[j, c], te + f.downtime_s[i])
            next_event += 1
        overlap = np.minimum(chip_until, t1) - np.maximum(chip_start, t0)
        lost_s = np.where(overlap > 0.0, overlap, 0.0).sum(axis=1)
        offline = lost_s / (chip_until.shape[1] * dt_s)
        if design.sun_tracking:
            pointing = np.full(n_sat, np.cos(design.pointing_error_rad))
            cos_front = -sub_cos
        else:
            raan = elements.raan_rad + raan_dot * (t[k] - elements.epoch_s)
            normal = np.stack([si * np.sin(raan), -si * np.cos(raan), ci], -1)
            pointing = np.abs(normal @ s_hat)
            cos_front = np.zeros(n_sat)
        temp = s[:, kn.S_TEMP : kn.S_TEMP + n_nodes]
        temp_factor = np.clip(
            solar_array.temperature_factor(
                temp[:, ARRAY], design.array_temp_coeff_per_k, design.array_reference_temperature_k
            ),
            0.0,
            None,
        )
        array_w = (
            design.array_area_m2
            * inputs.irradiance_w_m2[k]
            * inputs.degradation[k]
            * (design.array_efficiency * design.array_packing)
            * temp_factor
            * pointing
            * lit
        )
        available = array_w * design.eta_sunlight_path
        throttle = s[:, kn.S_THROTTLE].copy()
        heater = s[:, kn.S_HEATER].copy()
        it_demand = design.it_power_w * throttle * (1.0 - offline) * demand
        if design.shed_in_eclipse:
            it_demand = np.where(lit < kn.SHED_BELOW_LIT, 0.0, it_demand)
        load = it_demand + design.bus_power_w + heater
        b = battery.battery_step(
            s[:, kn.S_ENERGY],
            available - load,
            dt_s,
            design.battery_wh,
            design.battery_max_dod,
            design.battery_charge_efficiency,
            design.battery_discharge_efficiency,
            design.battery_max_charge_w,
            design.battery_max_discharge_w,
        )
        it_served = np.clip(it_demand - b.shortfall_w, 0.0, None)
        beyond_it = np.clip(b.shortfall_w - it_demand, 0.0, None)
        heater_served = np.clip(heater - beyond_it, 0.0, None)
        unserved = np.clip(beyond_it - heater, 0.0, None)
        load_served = load - b.shortfall_w
        from_array = load_served + b.charge_w - b.discharge_w
        f_front = np.interp(cos_front, grid, table)
        f_back = np.interp(-cos_front, grid, table)
        sun_side = np.clip(sub_cos, 0.0, None)
        irr = inputs.irradiance_w_m2[k]
        q = np.empty((n_sat, n_nodes))
        q[:, COMPUTE] = it_served
        q[:, COOLANT] = heater_served
        q[:, RADIATOR] = radiator_earth_ir_w + radiator_albedo * irr * sun_side
        a_f, a_b = design.array_front_absorptivity, design.array_back_absorptivity
        e_f, e_b = design.array_front_emissivity, design.array_back_emissivity
        area = design.array_area_m2
        q[:, ARRAY] = (
            a_f * irr * area * pointing * lit
            - from_array / design.eta_sunlight_path
            + area * EARTH_OLR_W_M2 * (e_f * f_front + e_b * f_back)
            + area * EARTH_ALBEDO * irr * sun_side * (a_f * f_front + a_b * f_back)
        )
        q[:, BUS] = (
            design.bus_power_w
            - unserved
            + from_array * (1.0 / design.eta_sunlight_path - 1.0)
            + b.loss_wh / hours
        )
        temps = thermal.thermal_step(temp, cap, cond, eps_area, q, dt_s, newton_iterations)
        s[:, kn.S_HEATER_WH] += heater_served * hours
        s[:, kn.S_THROT_S] += np.where(throttle < 1.0, dt_s, 0.0)
        junction = temps[:, COMPUTE] + design.chip_power_w * throttle * (
            design.junction_to_coldplate_k_per_w
        )
        hot = junction > design.junction_max_k
        cool = junction < design.junction_max_k - kn.THROTTLE_BAND_K
        s[:, kn.S_THROTTLE] = np.where(
            hot,
            np.maximum(throttle - kn.THROTTLE_DOWN, kn.THROTTLE_FLOOR),
            np.where(cool, np.minimum(throttle + kn.THROTTLE_UP, 1.0), throttle),
        )
        s[:, kn.S_HEATER] = np.clip(
            (design.heater_setpoint_k - temps[:, COOLANT]) * cap[COOLANT] / dt_s,
            0.0,
            design.heater_max_w,
        )
        s[:, kn.S_IT_NOM] += design.it_power_w * hours
        s[:, kn.S_IT_SERVED] += it_served * hours
        s[:, kn.S_AVAIL] += available * hours
        s[:, kn.S_CURT] += (available - from_array) * hours
        s[:, kn.S_LOAD] += load_served * hours
        s[:, kn.S_BLOSS] += b.loss_wh
        s[:, kn.S_DISCH] += b.discharge_w * hours
        s[:, kn.S_UNSERVED] += unserved * hours
        s[:, kn.S_CHIP_S] += lost_s
        s[:, kn.S_IT_LOST] += design.it_power_w * offline * hours
        s[:, kn.S_ENERGY] = b.energy_wh
        s[:, kn.S_TEMP : kn.S_TEMP + n_nodes] = temps
        soc = b.energy_wh / design.battery_wh
        d_soc = np.minimum(d_soc, soc)
        d_tj = np.maximum(d_tj, junction)
        d_served += it_served * hours
        d_nom += design.it_power_w * hours
        d_tmax = np.maximum(d_tmax, temps)
        d_tmin = np.minimum(d_tmin, temps)
        if k % decimate == 0:
            sel = series_satellites
            kk = k // decimate
            series[:, kk, kn.C_ARRAY] = array_w[sel]
            series[:, kk, kn.C_LOAD] = load_served[sel]
            series[:, kk, kn.C_SOC] = soc[sel]
            series[:, kk, kn.C_TEMP : kn.C_TEMP + n_nodes] = temps[sel]
            series[:, kk, kn.C_TJ] = junction[sel]
            series[:, kk, kn.C_THROT] = throttle[sel]
            series[:, kk, kn.C_LIT] = lit[sel]
            series[:, kk, kn.C_ONLINE] = 1.0 - offline[sel]
    s[:, kn.S_MIN_SOC] = np.minimum(s[:, kn.S_MIN_SOC], d_soc)
    s[:, kn.S_TJMAX] = np.maximum(s[:, kn.S_TJMAX], d_tj)
    s[:, kn.S_TMAX : kn.S_TMAX + n_nodes] = np.maximum(
        s[:, kn.S_TMAX : kn.S_TMAX + n_nodes], d_tmax
    )
    s[:, kn.S_TMIN : kn.S_TMIN + n_nodes] = np.minimum(
        s[:, kn.S_TMIN : kn.S_TMIN + n_nodes], d_tmin
    )
    daily = np.empty((n_sat, len(kn.DAILY)))
    daily[:, kn.D_SOC] = d_soc
    daily[:, kn.D_TJ] = d_tj
    daily[:, kn.D_SERVED] = d_served
    daily[:, kn.D_NOM] = d_nom
    daily[:, kn.D_TMAX : kn.D_TMAX + n_nodes] = d_tmax
    daily[:, kn.D_TMIN : kn.D_TMIN + n_nodes] = d_tmin
    return series, daily
