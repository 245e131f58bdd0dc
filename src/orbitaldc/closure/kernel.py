"""The closure chain: orbit -> power -> thermal -> mass -> launch -> economics, over N designs.

:func:`close` takes the flat design arrays built by :mod:`orbitaldc.closure.design` (every value
SI, shape ``(design,)``) and returns flat result arrays of the same length. It is the one code
path behind both :func:`orbitaldc.evaluate` (N = 1) and :func:`orbitaldc.evaluate_batch`.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from orbitaldc.closure import launch, mass, power, thermal
from orbitaldc.closure.orbit_figures import orbit_figures
from orbitaldc.economics import ground, space
from orbitaldc.physics import radiator, solar_array, stationkeeping
from orbitaldc.physics.constants import G0_M_S2, SECONDS_PER_YEAR, SOLAR_CONSTANT_W_M2

Arrays = Mapping[str, np.ndarray]


def _orbital_power(d: Arrays, o: Arrays) -> dict[str, np.ndarray]:
    it = power.it_power_w(
        d["count"], d["acc_power_w"], d["utilisation"], d["acc_host_power_w"], d["acc_link_power_w"]
    )
    bus = power.bus_power_w(it, d["bus_power_w"], d["bus_power_fraction"])
    load_sun = it + bus
    load_ecl = np.where(d["eclipse_shed"] > 0, bus, load_sun)
    eclipse_s = o["max_eclipse_s"]
    # The eclipse is a fraction of the nodal period (J2), so is the sunlit arc that recharges.
    sunlit_s = o["nodal_period_s"] - eclipse_s
    p_required = power.required_array_power_w(
        load_sun, load_ecl, sunlit_s, eclipse_s, d["eta_sunlight_path"], d["eta_eclipse_path"]
    )
    years = d["lifetime_s"] / SECONDS_PER_YEAR
    temp_f = solar_array.temperature_factor(
        d["array_operating_temperature_k"],
        d["array_temperature_coefficient_per_k"],
        d["array_reference_temperature_k"],
    )
    degr = solar_array.degradation_factor(years, d["array_degradation_per_year"])
    tracking = d["pointing_tracking"] > 0
    point = np.where(
        tracking,
        solar_array.pointing_factor("sun-tracking", d["pointing_error_rad"], o["beta_min_abs_rad"]),
        solar_array.pointing_factor("fixed", d["pointing_error_rad"], o["beta_min_abs_rad"]),
    )
    per_m2_bol = solar_array.array_power_w(
        1.0, SOLAR_CONSTANT_W_M2, d["array_efficiency_bol"], d["array_packing_factor"], 1.0, temp_f
    )
    per_m2_eol = solar_array.array_power_w(
        1.0,
        solar_array.aphelion_irradiance_w_m2(),
        d["array_efficiency_bol"],
        d["array_packing_factor"],
        point,
        temp_f,
        degr,
    )
    fixed_area = d["array_area_m2_fixed"]
    with np.errstate(divide="ignore", invalid="ignore"):
        area = np.where(np.isnan(fixed_area), p_required / per_m2_eol, fixed_area)
    cycles = o["eclipse_orbits_per_year"] * years
    dod = power.allowed_depth_of_discharge(
        cycles,
        d["battery_max_dod"],
        d["battery_reference_dod"],
        d["battery_cycle_life_at_reference"],
        d["battery_cycle_life_exponent"],
    )
    battery_wh = power.battery_capacity_wh(
        load_ecl,
        eclipse_s,
        dod,
        d["battery_discharge_efficiency"],
        bus,
        d["min_battery_hours"],
        d["battery_max_discharge_c_rate"],
        sunlit_s,
        d["battery_charge_efficiency"],
        d["battery_max_charge_c_rate"],
    )
    return {
        "it_power_w": it,
        "bus_power_w": bus,
        "load_sunlit_w": load_sun,
        "load_eclipse_w": load_ecl,
        "array_required_power_w": p_required,
        "array_pointing_factor": point,
        "array_area_m2": area,
        "array_bol_power_w": area * per_m2_bol,
        "array_eol_power_w": area * per_m2_eol,
        "battery_max_dod": dod,
        "battery_cycles_required": cycles,
        "battery_wh": battery_wh,
    }


def _orbital_thermal(d: Arrays, o: Arrays, p: Arrays) -> dict[str, np.ndarray]:
    heat = p["load_sunlit_w"] / d["eta_sunlight_path"]
    altitude = d["altitude_m"]
    net = radiator.net_rejection_flux_w_m2(
        d["radiator_temperature_k"],
        d["radiator_emissivity_eol"],
        d["radiator_absorptivity_eol"],
        altitude,
        o["beta_min_abs_rad"],
        d["radiator_sides"],
        d["radiator_fin_efficiency"],
    )
    fixed = d["radiator_area_m2_fixed"]
    area = np.where(np.isnan(fixed), thermal.radiator_area_m2(heat, net), fixed)
    chip_w = d["acc_power_w"] * d["utilisation"]
    t_j = thermal.junction_temperature_k(
        d["radiator_temperature_k"],
        d["coolant_loop_delta_t_k"],
        d["coldplate_delta_t_k"],
        chip_w,
        d["acc_junction_to_coldplate_k_per_w"],
    )
    return {
        "heat_load_w": heat,
        "radiator_net_flux_w_per_m2": net,
        "radiator_area_m2": area,
        "radiator_rejection_w": np.where(
            net > 0.0, net * np.where(np.isfinite(area), area, 0.0), 0.0
        ),
        "junction_temperature_k": t_j,
    }


def _propellant_fraction(d: Arrays) -> np.ndarray:
    """Fraction of the launch mass that is station-keeping propellant for the mission.

    The delta-v of holding the altitude against drag and, in a cluster, the members against their
    differential drag (``physics.stationkeeping``; NRLMSISE-00 density at the spec's solar
    activity, computed for the activities present only; none above the table's 1,000 km), over
    the lifetime, through Tsiolkovsky: ``1 - exp(-dv / (Isp g0))``. Zero without a ``[network]``
    section.
    """
    index = np.asarray(d["solar_activity_index"]).astype(int)
    per_year = 0.0
    for i, activity in enumerate(stationkeeping.SOLAR_ACTIVITY):
        if np.any(index == i):
            hold = stationkeeping.hold_delta_v_m_s_per_year(
                d["altitude_m"], d["drag_area_per_mass_m2_kg"], d["ballistic_spread"], activity
            )
            per_year = np.where(index == i, sum(hold), per_year)
    years = d["lifetime_s"] / SECONDS_PER_YEAR
    dv = per_year * years * d["station_keeping"]
    return -np.expm1(-dv / (d["isp_s"] * G0_M_S2))


def _orbital_mass(d: Arrays, p: Arrays, t: Arrays) -> dict[str, np.ndarray]:
    n = d["count"]
    m_compute = n * (d["acc_mass_kg"] + d["acc_host_mass_kg"])
    m_array = p["array_area_m2"] * d["array_areal_density_kg_per_m2"]
    m_radiator = (
        np.where(np.isfinite(t["radiator_area_m2"]), t["radiator_area_m2"], 0.0)
        * d["radiator_areal_density_kg_per_m2"]
    )
    m_battery = p["battery_wh"] / d["battery_specific_energy_wh_per_kg"]
    enclosed = n * d["acc_volume_m3"] / d["compute_enclosure_fill_fraction"]
    m_shield = mass.shielding_mass_kg(enclosed, d["shielding_m"], d["aluminium_density_kg_per_m3"])
    subsystems = m_compute + m_array + m_radiator + m_battery + m_shield + d["bus_fixed_mass_kg"]
    propellant = _propellant_fraction(d)
    fraction = (
        d["structure_mass_fraction"]
        + d["harness_mass_fraction"]
        + d["adcs_propulsion_mass_fraction"]
        + propellant
    )
    bottom_up = mass.closed_mass_kg(subsystems, fraction)
    total = np.where(np.isnan(d["mass_kg_fixed"]), bottom_up, d["mass_kg_fixed"])
    with np.errstate(divide="ignore", invalid="ignore"):
        total = np.where(
            np.isnan(d["specific_power_fixed"]),
            total,
            p["array_bol_power_w"] / d["specific_power_fixed"],
        )
    return {
        "mass_compute_kg": m_compute,
        "mass_array_kg": m_array,
        "mass_radiator_kg": m_radiator,
        "mass_battery_kg": m_battery,
        "mass_shielding_kg": m_shield,
        "mass_bus_fixed_kg": d["bus_fixed_mass_kg"],
        "mass_structure_kg": bottom_up * d["structure_mass_fraction"],
        "mass_harness_kg": bottom_up * d["harness_mass_fraction"],
        "mass_adcs_propulsion_kg": bottom_up * d["adcs_propulsion_mass_fraction"],
        "mass_propellant_kg": bottom_up * propellant,
        "mass_bottom_up_kg": bottom_up,
        "mass_fraction_scaling": fraction,
        "mass_kg": total,
    }


def _orbital_launch(d: Arrays, m: Arrays) -> dict[str, np.ndarray]:
    payload = launch.payload_to_altitude_kg(
        d["lv_payload_kg"], d["lv_reference_altitude_m"], d["altitude_m"], d["lv_upper_stage_isp_s"]
    )
    by_mass, by_volume = launch.satellites_per_launch(
        payload,
        m["mass_kg"],
        d["lv_fairing_volume_m3"],
        d["fairing_packing_efficiency"],
        d["stowed_density_kg_per_m3"],
    )
    per_launch = np.minimum(by_mass, by_volume)
    sats = d["satellites"]
    with np.errstate(divide="ignore", invalid="ignore"):
        launches = np.where(per_launch >= 1, np.ceil(sats / np.maximum(per_launch, 1)), np.inf)
    return {
        "lv_payload_to_orbit_kg": payload,
        "satellites_per_launch_by_mass": by_mass,
        "satellites_per_launch_by_volume": by_volume,
        "satellites_per_launch": per_launch,
        "launches": launches,
        **space.launch_costs({**d, "lv_payload_to_orbit_kg": payload}, m["mass_kg"], launches),
    }


def _checks(
    d: Arrays, o: Arrays, p: Arrays, t: Arrays, m: Arrays, lv: Arrays
) -> dict[str, np.ndarray]:
    """Pass/fail arrays (1.0 = pass) and their margins; names are the ``checks`` keys."""
    emitted = (
        d["radiator_sides"]
        * d["radiator_fin_efficiency"]
        * radiator.emitted_flux_w_m2(d["radiator_temperature_k"], d["radiator_emissivity_eol"])
    )
    array_fixed = ~np.isnan(d["array_area_m2_fixed"])
    radiator_fixed = ~np.isnan(d["radiator_area_m2_fixed"])
    mass_fixed = ~np.isnan(d["mass_kg_fixed"]) | ~np.isnan(d["specific_power_fixed"])
    return {
        "ok_radiator_flux": (t["radiator_net_flux_w_per_m2"] > 0).astype(float),
        "margin_radiator_flux": t["radiator_net_flux_w_per_m2"] / emitted,
        "ok_radiator_temperature": (
            d["radiator_temperature_k"] <= d["radiator_max_temperature_k"]
        ).astype(float),
        "margin_radiator_temperature_k": d["radiator_max_temperature_k"]
        - d["radiator_temperature_k"],
        "ok_junction": (t["junction_temperature_k"] <= d["acc_junction_max_k"]).astype(float),
        "margin_junction_k": d["acc_junction_max_k"] - t["junction_temperature_k"],
        "ok_array_pointing": (p["array_pointing_factor"] > 0.05).astype(float),
        "ok_array_area": np.where(
            array_fixed, p["array_eol_power_w"] >= p["array_required_power_w"], True
        ).astype(float),
        "margin_array_power": p["array_eol_power_w"] / p["array_required_power_w"] - 1.0,
        "ok_radiator_area": np.where(
            radiator_fixed, t["radiator_rejection_w"] >= t["heat_load_w"], True
        ).astype(float),
        "margin_radiator_heat": t["radiator_rejection_w"] / t["heat_load_w"] - 1.0,
        "ok_mass_closure": np.isfinite(m["mass_bottom_up_kg"]).astype(float),
        "ok_mass_budget": np.where(mass_fixed, m["mass_kg"] >= m["mass_bottom_up_kg"], True).astype(
            float
        ),
        # inf - inf (a design no mass closes) is NaN: null in summary.json.
        "margin_mass_kg": np.subtract(
            m["mass_kg"],
            m["mass_bottom_up_kg"],
            where=np.isfinite(m["mass_bottom_up_kg"]),
            out=np.full(
                np.broadcast_shapes(np.shape(m["mass_kg"]), np.shape(m["mass_bottom_up_kg"])),
                np.nan,
            ),
        ),
        "ok_launch_fit": (lv["satellites_per_launch"] >= 1).astype(float),
    }


CHECK_NAMES = (
    "radiator_flux",
    "radiator_temperature",
    "junction",
    "array_pointing",
    "array_area",
    "radiator_area",
    "mass_closure",
    "mass_budget",
    "launch_fit",
)


def orbit_of(d: Arrays) -> dict[str, np.ndarray]:
    """The orbit figures (:func:`orbitaldc.closure.orbit_figures.orbit_figures`) of orbital
    designs ``d``: the one compiled, parallel step of the closure, run once for a whole batch."""
    return orbit_figures(
        d["altitude_m"], d["inclination_rad"], d["raan0_rad"], float(np.ravel(d["start_s"])[0])
    )


def close(d: Arrays, orbit: Arrays | None = None) -> dict[str, np.ndarray]:
    """Size N designs at once.

    Parameters
    ----------
    d : mapping of str to float or ndarray, shape (design,)
        The design inputs of :func:`orbitaldc.closure.design.design_inputs`: arrays for the values
        that differ between designs, floats for those the designs share (the full arrays of
        ``design_arrays`` work too, at N times the cost for the shared ones).
    orbit : mapping of str to ndarray, shape (design,), optional
        The orbit figures of orbital designs (:func:`orbit_of`), when the caller has them.

    Returns
    -------
    dict of float or ndarray, shape (design,)
        Every intermediate and final figure, SI; ``closes`` is 1.0 where every check passes. A
        figure that depends only on shared inputs is computed once: a float or shape (1,).
    """
    if np.all(d["orbital"]):
        o = orbit_of(d) if orbit is None else orbit
        p = _orbital_power(d, o)
        t = _orbital_thermal(d, o, p)
        m = _orbital_mass(d, p, t)
        lv = _orbital_launch(d, m)
        g = ground.terrestrial_costs(d, d["satellites"] * d["count"])
        # A design that fits no vehicle has an infinite launch cost: its costs are inf or NaN
        # (null in summary.json) and its launch_fit check fails.
        with np.errstate(invalid="ignore", divide="ignore"):
            e = space.orbital_costs(d, o, p, t, m, lv, g)
        c = _checks(d, o, p, t, m, lv)
        closes = np.ones_like(d["altitude_m"])
        for name in CHECK_NAMES:
            closes = closes * c[f"ok_{name}"]
        return {**o, **p, **t, **m, **lv, **g, **e, **c, "closes": closes}
    if not np.any(d["orbital"]):
        n_acc = np.floor(d["ground_it_power_w_target"] / (d["acc_power_w"] + d["acc_host_power_w"]))
        g = ground.terrestrial_costs(d, n_acc)
        return {**g, "ground_accelerators": n_acc, "closes": np.ones_like(n_acc)}
    raise ValueError("a batch mixes orbital and terrestrial designs; evaluate them separately")
