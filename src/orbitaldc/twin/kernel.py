"""The twin's compiled step: orbit, shadow, faults, power, battery, thermal network and control.

One numba kernel runs parallel over satellites (``numba.prange``) with the time loop inside and
the satellite's state in locals, so nothing of shape (satellite, time) is ever materialised. Per
step (``t_k``, length ``dt``), for each satellite:

1. Position: the J2-secular orbit with the J3 frozen-eccentricity offset and the J2 short-period
   radius term, from the compiled primitives of ``physics.orbit_kernels`` (``position_eci``);
   near-circular orbits advance the mean argument of latitude, node and perigee with its stepper
   (``orbit_angles``, ``angle_turns``, ``position_from_angles``; re-anchored every chunk).
   Illuminated fraction ``f_lit``: ``orbit_kernels.illuminated_fraction`` (conical
   umbra/penumbra).
   This geometry is computed for a block of ``BLOCK`` steps ahead of the coupled physics.
2. Faults: the chunk's fault events (``twin.faults``) take chips offline; the offline fraction of
   the step is the overlap of each chip's outage with ``[t_k, t_k + dt)``.
3. Array: ``A S(t) D(t) eta p f_T(T_array) cos(theta) f_lit`` (``physics.solar_array``; SMAD eqs.
   11-5..11-9) with the cell temperature factor ``1 + c (T_array - T_ref)`` from the array node's
   temperature at the start of the step, ``cos(theta) = cos(pointing error)`` for a tracking array
   or ``|n_orbit . s|`` for a fixed array facing the orbit normal; the bus gets
   ``eta_sunlight_path`` of it.
4. Loads and battery: compute = nameplate x throttle x online fraction (0 in eclipse when the
   strategy sheds), plus bus and heaters; ``physics.battery.battery_step_scalar``; a shortfall is
   taken from compute, then from the heaters, then reported as unserved bus load, never overdrawn
   (only the heat of the loads actually powered enters the network).
5. Heat (W) into the nodes ``compute, coolant, radiator, array, bus``: compute served; heaters;
   Earth infrared ``eps OLR F A`` and albedo ``alpha a S F cos(zeta)`` on both radiator faces
   (edge-on to the Sun, ``F`` of a vertical plate); on the array, direct sunlight
   ``alpha_f S A cos(theta) f_lit`` minus the electrical power the bus draws from the cells, plus
   Earth infrared and albedo on each face with the face's tilted-plate view factor (a tracking
   array faces the Sun, so its front tilt from nadir has ``cos = -r.s``; a fixed array's faces are
   vertical); bus load, conversion and battery losses (Gilmore vol. I ch. 2 for the environment).
   Then one implicit step of the network (``physics.thermal.reduced_step``, written out for
   the two radiating nodes).
6. Control: junction = compute node + chip power x throttle x R_jc; above the limit compute is
   throttled by 10 % per step (to at least 10 %), recovering 5 % per step once 3 K below it; the
   coolant heaters supply what brings the loop back to its set point within one step, up to their
   capacity, from the next step on.

:func:`orbitaldc.twin.reference.step_chunk_reference` is the same model in numpy over satellites
(``battery_step``, ``thermal_step``), and the tests hold the kernel to it.
"""

from __future__ import annotations

from typing import NamedTuple

import numba
import numpy as np

from orbitaldc.physics import orbit_kernels as ok
from orbitaldc.physics import thermal
from orbitaldc.physics.battery import battery_step_scalar
from orbitaldc.physics.constants import EARTH_ALBEDO, EARTH_OLR_W_M2
from orbitaldc.physics.orbit import MeanElements
from orbitaldc.physics.sun import solar_irradiance_w_m2, sun_direction_eci, sun_position_eci_m
from orbitaldc.twin.design import ARRAY, BUS, COMPUTE, COOLANT, NODES, RADIATOR, SatelliteDesign
from orbitaldc.twin.faults import ChunkFaults

N_NODES = len(NODES)
#: Time steps whose geometry is computed ahead of the coupled physics, per satellite.
BLOCK = 64
#: The compute throttle controller (a model choice of this twin, step 6 above; not from a source):
#: above the junction limit the throttle drops by THROTTLE_DOWN a step, to at least
#: THROTTLE_FLOOR; once THROTTLE_BAND_K below the limit it recovers by THROTTLE_UP a step.
THROTTLE_DOWN = 0.1
THROTTLE_FLOOR = 0.1
THROTTLE_UP = 0.05
THROTTLE_BAND_K = 3.0
#: A satellite that sheds compute in eclipse does so while less than half the Sun's disc is seen.
SHED_BELOW_LIT = 0.5

#: Scalar parameters, in the order of the ``par`` vector the kernel takes.
PARAMETERS = (
    "it_power_w",
    "bus_power_w",
    "chip_power_w",
    "array_area_m2",
    "array_eta_packing",
    "array_temp_coeff_per_k",
    "array_reference_temperature_k",
    "pointing_cos",
    "sun_tracking",
    "eta_sunlight_path",
    "battery_wh",
    "battery_floor_wh",
    "eta_charge",
    "eta_discharge",
    "battery_max_charge_w",
    "battery_max_discharge_w",
    "shed_in_eclipse",
    "radiator_earth_ir_w",
    "radiator_albedo_w_per_w_m2",
    "array_front_absorptivity",
    "array_front_emissivity",
    "array_back_absorptivity",
    "array_back_emissivity",
    "junction_to_coldplate_k_per_w",
    "junction_max_k",
    "heater_setpoint_k",
    "heater_max_w",
    "dt_s",
)
(
    P_IT,
    P_BUS,
    P_CHIP,
    P_AREA,
    P_ETA_P,
    P_TCOEF,
    P_TREF,
    P_POINT,
    P_TRACK,
    P_ETA_PATH,
    P_BAT,
    P_FLOOR,
    P_ETA_C,
    P_ETA_D,
    P_CHG_MAX,
    P_DIS_MAX,
    P_SHED,
    P_RAD_IR,
    P_RAD_ALB,
    P_AF,
    P_EF,
    P_AB,
    P_EB,
    P_RJC,
    P_TJMAX,
    P_HSET,
    P_HMAX,
    P_DT,
) = range(len(PARAMETERS))

#: Per-satellite state carried from chunk to chunk (also saved in ``state.npz``).
STATE = (
    "energy_wh",
    "energy_start_wh",
    "throttle",
    "heater_w",
    "min_soc",
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
    "chip_s_lost",
    "it_lost_to_faults_wh",
    "junction_max_k",
    *(f"temp_{n}_k" for n in NODES),
    *(f"max_{n}_k" for n in NODES),
    *(f"min_{n}_k" for n in NODES),
)
S = {name: i for i, name in enumerate(STATE)}
(
    S_ENERGY,
    S_ENERGY0,
    S_THROTTLE,
    S_HEATER,
    S_MIN_SOC,
    S_IT_NOM,
    S_IT_SERVED,
    S_AVAIL,
    S_CURT,
    S_LOAD,
    S_BLOSS,
    S_HEATER_WH,
    S_THROT_S,
    S_DISCH,
    S_UNSERVED,
    S_CHIP_S,
    S_IT_LOST,
    S_TJMAX,
) = range(S["temp_compute_k"])
S_TEMP = S["temp_compute_k"]
S_TMAX = S_TEMP + N_NODES
S_TMIN = S_TMAX + N_NODES

#: Per-satellite figures of one chunk (one day), reduced over the fleet into the daily table.
DAILY = (
    "min_soc",
    "junction_max_k",
    "it_served_wh",
    "it_nominal_wh",
    *(f"max_{n}_k" for n in NODES),
    *(f"min_{n}_k" for n in NODES),
)
D_SOC, D_TJ, D_SERVED, D_NOM = range(4)
D_TMAX = 4
D_TMIN = D_TMAX + N_NODES

#: Columns of the decimated per-satellite series (after ``t_s`` and ``satellite``).
SERIES = (
    "array_w",
    "load_w",
    "state_of_charge",
    *(f"{n}_k" for n in NODES),
    "junction_k",
    "throttle",
    "illuminated",
    "compute_online",
)
C_ARRAY, C_LOAD, C_SOC = range(3)
C_TEMP = 3
C_TJ = C_TEMP + N_NODES
C_THROT, C_LIT, C_ONLINE = C_TJ + 1, C_TJ + 2, C_TJ + 3

#: Columns of the optional per-step output (``step_chunk(..., per_step=True)``), for the
#: workload engine: the IT power served as a fraction of the nameplate (the compute delivered),
#: the illuminated fraction and the fraction of the chips online.
STEP_OUT = ("served_fraction", "illuminated", "compute_online")
O_SERVED, O_LIT, O_ONLINE = range(len(STEP_OUT))


def parameters(design: SatelliteDesign, dt_s: float) -> np.ndarray:
    """The ``par`` vector of the kernel (``PARAMETERS`` order), SI."""
    face_area = design.radiator_area_m2 * design.radiator_sides
    view = design.radiator_view_factor
    values = {
        "it_power_w": design.it_power_w,
        "bus_power_w": design.bus_power_w,
        "chip_power_w": design.chip_power_w,
        "array_area_m2": design.array_area_m2,
        "array_eta_packing": design.array_efficiency * design.array_packing,
        "array_temp_coeff_per_k": design.array_temp_coeff_per_k,
        "array_reference_temperature_k": design.array_reference_temperature_k,
        "pointing_cos": float(np.cos(design.pointing_error_rad)),
        "sun_tracking": float(design.sun_tracking),
        "eta_sunlight_path": design.eta_sunlight_path,
        "battery_wh": design.battery_wh,
        "battery_floor_wh": design.battery_wh * (1.0 - design.battery_max_dod),
        "eta_charge": design.battery_charge_efficiency,
        "eta_discharge": design.battery_discharge_efficiency,
        "battery_max_charge_w": design.battery_max_charge_w,
        "battery_max_discharge_w": design.battery_max_discharge_w,
        "shed_in_eclipse": float(design.shed_in_eclipse),
        "radiator_earth_ir_w": design.radiator_emissivity * EARTH_OLR_W_M2 * view * face_area,
        "radiator_albedo_w_per_w_m2": design.radiator_absorptivity
        * EARTH_ALBEDO
        * view
        * face_area,
        "array_front_absorptivity": design.array_front_absorptivity,
        "array_front_emissivity": design.array_front_emissivity,
        "array_back_absorptivity": design.array_back_absorptivity,
        "array_back_emissivity": design.array_back_emissivity,
        "junction_to_coldplate_k_per_w": design.junction_to_coldplate_k_per_w,
        "junction_max_k": design.junction_max_k,
        "heater_setpoint_k": design.heater_setpoint_k,
        "heater_max_w": design.heater_max_w,
        "dt_s": dt_s,
    }
    return np.array([values[name] for name in PARAMETERS])


def initial_state(design: SatelliteDesign, n_sat: int, radiator_k: float) -> np.ndarray:
    """State at the mission start, shape ``(satellite, len(STATE))``: full batteries, nodes near
    the closure's radiator temperature, the array at the catalog's operating temperature."""
    state = np.zeros((n_sat, len(STATE)))
    state[:, S_ENERGY] = state[:, S_ENERGY0] = design.battery_wh
    state[:, S_THROTTLE] = 1.0
    state[:, S_MIN_SOC] = 1.0
    state[:, S_TJMAX] = -np.inf
    # Start values only (no source needed: the network relaxes to its own equilibrium within the
    # first orbits, and day 1's extremes include that transient): compute and coolant 10 and 5 K
    # above the radiator (the reference design rules' cold-plate and loop differences, 5 K each),
    # the bus 5 K above it.
    temps = np.empty(N_NODES)
    temps[COMPUTE], temps[COOLANT], temps[RADIATOR] = (
        radiator_k + 10.0,
        radiator_k + 5.0,
        radiator_k,
    )
    temps[ARRAY], temps[BUS] = design.array_operating_temperature_k, radiator_k + 5.0
    state[:, S_TEMP : S_TEMP + N_NODES] = temps
    state[:, S_TMAX : S_TMAX + N_NODES] = -np.inf
    state[:, S_TMIN : S_TMIN + N_NODES] = np.inf
    return state


@numba.njit(cache=True, inline="always")
def _view(table, cos_tilt):  # pragma: no cover - compiled
    """Linear interpolation in the view-factor table on the uniform grid [-1, 1]."""
    x = (cos_tilt + 1.0) * (table.shape[0] - 1) * 0.5
    i = min(max(int(x), 0), table.shape[0] - 2)
    w = x - i
    return table[i] + w * (table[i + 1] - table[i])


#: Floating-point freedoms the kernel allows the compiler: fused multiply-add, reciprocal instead
#: of division, reassociation (about 15 % faster; results stay within ~1e-12 of the numpy reference,
#: tested). No assumption about NaN or infinity is allowed, so those keep their IEEE meaning.
FASTMATH = {"contract", "arcp", "reassoc"}


@numba.njit(parallel=True, cache=True, fastmath=FASTMATH)
def twin_kernel(
    a,
    e,
    ci,
    si,
    raan0,
    raan_dot,
    argp0,
    argp_dot,
    m0,
    m_dot,
    epoch,
    e_f,
    amp,
    t,
    sun,
    sun_unit,
    irradiance,
    degradation,
    par,
    view_table,
    c_dt,
    k_rad,
    a_inv,
    p,
    s0,
    q,
    newton_iterations,
    ev_offsets,
    ev_time,
    ev_chip,
    ev_down,
    chip_start,
    chip_until,
    state,
    series_row,
    decimate,
    series,
    daily,
    demand,
    step_out,
):  # pragma: no cover - compiled; tested equal to the numpy reference
    """The fused step over (satellite, time); see the module docstring and ``step_chunk``.

    The node temperatures, accumulators and extremes live in scalar locals for the whole chunk
    (no aliasing stores on the per-step dependency chain). The thermal solve is
    ``physics.thermal.reduced_step`` written out for the twin's network, whose radiating nodes
    are (radiator, array) and linear nodes (compute, coolant, bus) (``step_chunk`` checks).
    """
    n_t = t.shape[0]
    step_s = par[P_DT]
    hours = step_s / 3600.0
    inv_hours = 1.0 / hours
    n_chips = chip_until.shape[1]
    inv_chip_dt = 1.0 / (n_chips * step_s)
    inv_eta = 1.0 / par[P_ETA_PATH]
    loss_factor = inv_eta - 1.0
    inv_bat = 1.0 / par[P_BAT]
    it_w, bus_w, area = par[P_IT], par[P_BUS], par[P_AREA]
    tracking, shed = par[P_TRACK] > 0.0, par[P_SHED] > 0.0
    # network operators (radiating r = radiator, array; linear l = compute, coolant, bus)
    cdt_c, cdt_l, cdt_r, cdt_a, cdt_b = (
        c_dt[COMPUTE],
        c_dt[COOLANT],
        c_dt[RADIATOR],
        c_dt[ARRAY],
        c_dt[BUS],
    )
    k_r, k_a = k_rad[RADIATOR], k_rad[ARRAY]
    s00, s01, s10, s11 = s0[0, 0], s0[0, 1], s0[1, 0], s0[1, 1]
    per_step = step_out.shape[1] == n_t
    for j in numba.prange(a.shape[0]):
        tc = state[j, S_TEMP + COMPUTE]
        tl = state[j, S_TEMP + COOLANT]
        tr = state[j, S_TEMP + RADIATOR]
        ta = state[j, S_TEMP + ARRAY]
        tb = state[j, S_TEMP + BUS]
        hi_c = hi_l = hi_r = hi_a = hi_b = -np.inf
        lo_c = lo_l = lo_r = lo_a = lo_b = np.inf
        d_soc, d_tj, d_served, d_nom = 1.0, -np.inf, 0.0, 0.0
        acc_avail = acc_curt = acc_load = acc_bloss = acc_heater = acc_throt = 0.0
        acc_disch = acc_unserved = acc_chip = acc_lost = 0.0
        stored_wh = state[j, S_ENERGY]
        throttle = state[j, S_THROTTLE]
        heater = state[j, S_HEATER]
        ptr, ev_end = ev_offsets[j], ev_offsets[j + 1]
        busy_until = -np.inf
        for chip in range(n_chips):
            busy_until = max(busy_until, chip_until[j, chip])
        # Near-circular orbits on a uniform grid: orbit_kernels' stepper (exact angles at the
        # chunk's start, one rotation a step, rounding ~1e-16 rad per step).
        orbit = ok.orbit_row(a, e, ci, si, raan0, raan_dot, argp0, argp_dot, m0, m_dot, e_f, amp, j)
        fast = e[j] < ok.FAST_ECCENTRICITY
        ul, un, uw = ok.orbit_angles(orbit, t[0] - epoch[j])
        turn_l, turn_n, turn_w = ok.angle_turns(orbit, step_s)
        row = series_row[j]
        lit_b = np.empty(BLOCK)
        sub_b = np.empty(BLOCK)
        point_b = np.empty(BLOCK)
        # Geometry (independent of the state) for a block of steps first, then the coupled
        # physics over the block: the geometry then pipelines instead of waiting on the
        # step-to-step thermal and battery dependency chain.
        for blk in range(0, n_t, BLOCK):
            nb = min(BLOCK, n_t - blk)
            for i_b in range(nb):
                k_t = blk + i_b
                # 1. orbit and shadow
                if fast:
                    if k_t > 0:
                        ul, un, uw = ul * turn_l, un * turn_n, uw * turn_w
                    rx, ry, rz = ok.position_from_angles(orbit, ul, un, uw)
                else:
                    dt_k = t[k_t] - epoch[j]
                    rx, ry, rz = ok.position_eci(orbit, dt_k)
                    un = ok.expi(raan0[j] + raan_dot[j] * dt_k)
                cn, sn = un.real, un.imag
                sux, suy, suz = sun_unit[k_t, 0], sun_unit[k_t, 1], sun_unit[k_t, 2]
                sub_cos = (rx * sux + ry * suy + rz * suz) / np.sqrt(rx * rx + ry * ry + rz * rz)
                # On the day side (sub-solar cosine above |r| / |r_sun| ~ 5e-5, with margin) the
                # satellite is in front of Earth along the Sun line: illuminated_fraction returns
                # exactly 1.
                if sub_cos > 1e-3:
                    lit = 1.0
                else:
                    lit = ok.illuminated_fraction(rx, ry, rz, sun[k_t, 0], sun[k_t, 1], sun[k_t, 2])
                if tracking:
                    point_b[i_b] = par[P_POINT]
                else:
                    # |sin beta|: the Sun's component along the orbit normal.
                    point_b[i_b] = abs(ok.eci_to_node(sux, suy, suz, ci[j], si[j], cn, sn)[2])
                lit_b[i_b] = lit
                sub_b[i_b] = sub_cos
            for i_b in range(nb):
                k_t = blk + i_b
                lit, sub_cos, pointing = lit_b[i_b], sub_b[i_b], point_b[i_b]
                irr = irradiance[k_t]
                # 2. faults: outages overlapping [t_k, t_k + step_s)
                t0, t1 = t[k_t], t[k_t] + step_s
                while ptr < ev_end and ev_time[ptr] < t1:
                    chip = ev_chip[ptr]
                    te, end = ev_time[ptr], ev_time[ptr] + ev_down[ptr]
                    if chip_until[j, chip] <= te:
                        chip_start[j, chip] = te
                        chip_until[j, chip] = end
                    elif end > chip_until[j, chip]:
                        chip_until[j, chip] = end
                    busy_until = max(busy_until, chip_until[j, chip])
                    ptr += 1
                lost_s = 0.0
                if busy_until > t0:
                    for chip in range(n_chips):
                        overlap = min(chip_until[j, chip], t1) - max(chip_start[j, chip], t0)
                        if overlap > 0.0:
                            lost_s += overlap
                offline = lost_s * inv_chip_dt
                # 3. array
                cos_front = -sub_cos if tracking else 0.0
                temp_factor = max(1.0 + par[P_TCOEF] * (ta - par[P_TREF]), 0.0)
                array_w = (
                    area * irr * degradation[k_t] * par[P_ETA_P] * temp_factor * pointing * lit
                )
                available = array_w * par[P_ETA_PATH]
                # 4. loads and battery
                it_demand = it_w * throttle * (1.0 - offline) * demand[j]
                if shed and lit < SHED_BELOW_LIT:
                    it_demand = 0.0
                load = it_demand + bus_w + heater
                stored_wh, charge_w, discharge_w, shortfall, _, loss_wh = battery_step_scalar(
                    stored_wh,
                    available - load,
                    hours,
                    par[P_BAT],
                    par[P_FLOOR],
                    par[P_ETA_C],
                    par[P_ETA_D],
                    par[P_CHG_MAX],
                    par[P_DIS_MAX],
                )
                it_served = max(it_demand - shortfall, 0.0)
                beyond_it = max(shortfall - it_demand, 0.0)
                heater_served = max(heater - beyond_it, 0.0)
                unserved = max(beyond_it - heater, 0.0)
                load_served = load - shortfall
                from_array = load_served + charge_w - discharge_w
                # 5. heat and the network
                f_front = _view(view_table, cos_front)
                f_back = _view(view_table, -cos_front)
                sun_side = max(sub_cos, 0.0)
                q_r = par[P_RAD_IR] + par[P_RAD_ALB] * irr * sun_side
                q_a = (
                    par[P_AF] * irr * area * pointing * lit
                    - from_array * inv_eta
                    + area * EARTH_OLR_W_M2 * (par[P_EF] * f_front + par[P_EB] * f_back)
                    + area
                    * EARTH_ALBEDO
                    * irr
                    * sun_side
                    * (par[P_AF] * f_front + par[P_AB] * f_back)
                )
                # bus load actually served (a shortfall beyond compute and heaters is unserved)
                q_b = bus_w - unserved + from_array * loss_factor + loss_wh * inv_hours
                b0 = cdt_c * tc + it_served
                b1 = cdt_l * tl + heater_served
                b2 = cdt_b * tb + q_b
                y0 = cdt_r * tr + q_r - (p[0, 0] * b0 + p[0, 1] * b1 + p[0, 2] * b2)
                y1 = cdt_a * ta + q_a - (p[1, 0] * b0 + p[1, 1] * b1 + p[1, 2] * b2)
                x0, x1 = tr, ta
                for _ in range(newton_iterations):
                    r3, a3 = x0 * x0 * x0, x1 * x1 * x1
                    m00 = s00 + 4.0 * k_r * r3
                    m11 = s11 + 4.0 * k_a * a3
                    z0 = y0 + 3.0 * k_r * r3 * x0
                    z1 = y1 + 3.0 * k_a * a3 * x1
                    det_inv = 1.0 / (m00 * m11 - s01 * s10)
                    x0, x1 = (m11 * z0 - s01 * z1) * det_inv, (m00 * z1 - s10 * z0) * det_inv
                tc = (
                    a_inv[0, 0] * b0
                    + a_inv[0, 1] * b1
                    + a_inv[0, 2] * b2
                    - q[0, 0] * x0
                    - q[0, 1] * x1
                )
                tl = (
                    a_inv[1, 0] * b0
                    + a_inv[1, 1] * b1
                    + a_inv[1, 2] * b2
                    - q[1, 0] * x0
                    - q[1, 1] * x1
                )
                tb = (
                    a_inv[2, 0] * b0
                    + a_inv[2, 1] * b1
                    + a_inv[2, 2] * b2
                    - q[2, 0] * x0
                    - q[2, 1] * x1
                )
                tr, ta = x0, x1
                # 6. control (this k_t's heater and throttle are booked first)
                acc_heater += heater_served * hours
                if throttle < 1.0:
                    acc_throt += step_s
                throttle_used = throttle
                junction = tc + par[P_CHIP] * throttle * par[P_RJC]
                if junction > par[P_TJMAX]:
                    throttle = max(throttle - THROTTLE_DOWN, THROTTLE_FLOOR)
                elif junction < par[P_TJMAX] - THROTTLE_BAND_K:
                    throttle = min(throttle + THROTTLE_UP, 1.0)
                heater = min(max((par[P_HSET] - tl) * cdt_l, 0.0), par[P_HMAX])
                # bookkeeping
                d_nom += it_w * hours
                d_served += it_served * hours
                acc_avail += available * hours
                acc_curt += (available - from_array) * hours
                acc_load += load_served * hours
                acc_bloss += loss_wh
                acc_disch += discharge_w * hours
                acc_unserved += unserved * hours
                acc_chip += lost_s
                acc_lost += it_w * offline * hours
                soc = stored_wh * inv_bat
                d_soc = min(d_soc, soc)
                d_tj = max(d_tj, junction)
                hi_c, lo_c = max(hi_c, tc), min(lo_c, tc)
                hi_l, lo_l = max(hi_l, tl), min(lo_l, tl)
                hi_r, lo_r = max(hi_r, tr), min(lo_r, tr)
                hi_a, lo_a = max(hi_a, ta), min(lo_a, ta)
                hi_b, lo_b = max(hi_b, tb), min(lo_b, tb)
                if per_step:
                    step_out[j, k_t, O_SERVED] = it_served / it_w
                    step_out[j, k_t, O_LIT] = lit
                    step_out[j, k_t, O_ONLINE] = 1.0 - offline
                if row >= 0 and k_t % decimate == 0:
                    sample = k_t // decimate
                    series[row, sample, C_ARRAY] = array_w
                    series[row, sample, C_LOAD] = load_served
                    series[row, sample, C_SOC] = soc
                    series[row, sample, C_TEMP + COMPUTE] = tc
                    series[row, sample, C_TEMP + COOLANT] = tl
                    series[row, sample, C_TEMP + RADIATOR] = tr
                    series[row, sample, C_TEMP + ARRAY] = ta
                    series[row, sample, C_TEMP + BUS] = tb
                    series[row, sample, C_TJ] = junction
                    series[row, sample, C_THROT] = throttle_used
                    series[row, sample, C_LIT] = lit
                    series[row, sample, C_ONLINE] = 1.0 - offline
        state[j, S_ENERGY] = stored_wh
        state[j, S_THROTTLE] = throttle
        state[j, S_HEATER] = heater
        state[j, S_IT_NOM] += d_nom
        state[j, S_IT_SERVED] += d_served
        state[j, S_AVAIL] += acc_avail
        state[j, S_CURT] += acc_curt
        state[j, S_LOAD] += acc_load
        state[j, S_BLOSS] += acc_bloss
        state[j, S_HEATER_WH] += acc_heater
        state[j, S_THROT_S] += acc_throt
        state[j, S_DISCH] += acc_disch
        state[j, S_UNSERVED] += acc_unserved
        state[j, S_CHIP_S] += acc_chip
        state[j, S_IT_LOST] += acc_lost
        state[j, S_MIN_SOC] = min(state[j, S_MIN_SOC], d_soc)
        state[j, S_TJMAX] = max(state[j, S_TJMAX], d_tj)
        temps = (tc, tl, tr, ta, tb)
        his = (hi_c, hi_l, hi_r, hi_a, hi_b)
        los = (lo_c, lo_l, lo_r, lo_a, lo_b)
        for node_i in range(N_NODES):
            state[j, S_TEMP + node_i] = temps[node_i]
            state[j, S_TMAX + node_i] = max(state[j, S_TMAX + node_i], his[node_i])
            state[j, S_TMIN + node_i] = min(state[j, S_TMIN + node_i], los[node_i])
            daily[j, D_TMAX + node_i] = his[node_i]
            daily[j, D_TMIN + node_i] = los[node_i]
        daily[j, D_SOC] = d_soc
        daily[j, D_TJ] = d_tj
        daily[j, D_SERVED] = d_served
        daily[j, D_NOM] = d_nom


class ChunkInputs(NamedTuple):
    """What one chunk's step needs besides the state: per-step Sun and degradation, faults."""

    t: np.ndarray  # (n_t,) s since J2000
    sun_m: np.ndarray  # (n_t, 3) Sun position, ECI, m
    sun_unit: np.ndarray  # (n_t, 3) unit vector to the Sun
    irradiance_w_m2: np.ndarray  # (n_t,)
    degradation: np.ndarray  # (n_t,) remaining array output factor
    faults: ChunkFaults


def chunk_inputs(t_s: np.ndarray, degradation: np.ndarray, faults: ChunkFaults) -> ChunkInputs:
    """Sun vectors and irradiance for the chunk's time grid, computed once for the whole fleet."""
    t = np.ascontiguousarray(t_s, dtype=float)
    return ChunkInputs(
        t,
        np.ascontiguousarray(sun_position_eci_m(t)),
        np.ascontiguousarray(sun_direction_eci(t)),
        np.ascontiguousarray(solar_irradiance_w_m2(t)),
        np.ascontiguousarray(degradation, dtype=float),
        faults,
    )


class Prepared(NamedTuple):
    """What :func:`step_chunk` derives from the design, fleet and step alone (reused across
    chunks by a caller that steps the same fleet many times, e.g. the workload time loop)."""

    orbit: tuple
    par: np.ndarray
    view_table: np.ndarray
    ops: thermal.ReducedOperators
    q: np.ndarray


def prepare(design: SatelliteDesign, elements: MeanElements, dt_s: float) -> Prepared:
    """The kernel's fixed inputs for ``design``, ``elements`` and ``dt_s`` (see :class:`Prepared`)."""
    ops = thermal.reduced_operators(
        design.capacity_j_per_k, design.conductance_w_per_k, design.eps_area_m2, dt_s
    )
    if tuple(ops.radiating) != (RADIATOR, ARRAY) or tuple(ops.linear) != (COMPUTE, COOLANT, BUS):
        raise ValueError(
            "the compiled twin needs exactly the radiator and the array radiating to space "
            f"(got radiating nodes {[NODES[i] for i in ops.radiating]}); check radiator_area_m2 "
            "and array_area_m2 are positive"
        )
    return Prepared(
        tuple(ok.orbit_arrays(elements)),
        parameters(design, dt_s),
        design.view_factor_table(),
        ops,
        np.ascontiguousarray(ops.q),
    )


def step_chunk(
    design: SatelliteDesign,
    elements: MeanElements,
    state: np.ndarray,
    chip_start: np.ndarray,
    chip_until: np.ndarray,
    inputs: ChunkInputs,
    dt_s: float,
    series_satellites: np.ndarray,
    decimate: int,
    newton_iterations: int = 2,
    demand: np.ndarray | None = None,
    per_step: bool = False,
    prepared: Prepared | None = None,
) -> tuple[np.ndarray, ...]:
    """Advance ``state`` (and the chips' outage arrays) over one chunk with the compiled kernel.

    Returns ``(series, daily)``: the decimated series of ``series_satellites``, shape
    ``(len(series_satellites), ceil(n_t / decimate), len(SERIES))``, and the chunk's
    per-satellite figures, shape ``(satellite, len(DAILY))``.

    ``demand`` (satellite,), in [0, 1], is the fraction of each satellite's compute that its work
    asks for over the chunk (the workload scheduler's decision; default 1, flat out): the IT load
    is ``nameplate x throttle x online x demand``, so power and heat follow the work done.
    ``per_step`` adds a third array, ``(satellite, n_t, len(STEP_OUT))``, per step.
    ``prepared`` (:func:`prepare` of the same design, elements and step) skips re-deriving the
    fixed inputs.
    """
    n_sat, n_t = elements.n_satellites, inputs.t.size
    if prepared is None:
        prepared = prepare(design, elements, dt_s)
    ops = prepared.ops
    row = np.full(n_sat, -1, dtype=np.int64)
    row[series_satellites] = np.arange(series_satellites.size)
    series = np.empty((series_satellites.size, -(-n_t // decimate), len(SERIES)))
    daily = np.empty((n_sat, len(DAILY)))
    if demand is None:
        demand = np.ones(n_sat)
    demand = np.ascontiguousarray(demand, dtype=float)
    if demand.shape != (n_sat,) or not np.all((demand >= 0.0) & (demand <= 1.0)):
        raise ValueError(f"demand must hold {n_sat} fractions in [0, 1]")
    step_out = np.empty((n_sat, n_t if per_step else 0, len(STEP_OUT)))
    f = inputs.faults
    twin_kernel(
        *prepared.orbit,
        inputs.t,
        inputs.sun_m,
        inputs.sun_unit,
        inputs.irradiance_w_m2,
        inputs.degradation,
        prepared.par,
        prepared.view_table,
        ops.c_dt,
        ops.k_rad,
        ops.a_inv,
        ops.p,
        ops.s0,
        prepared.q,
        int(newton_iterations),
        f.offsets,
        f.time_s,
        f.chip,
        f.downtime_s,
        chip_start,
        chip_until,
        state,
        row,
        int(decimate),
        series,
        daily,
        demand,
        step_out,
    )
    return (series, daily, step_out) if per_step else (series, daily)
