"""Power subsystem sizing: IT load, bus load, array area for end of life, battery capacity.

Sizing follows Wertz & Larson, *Space Mission Analysis and Design* (SMAD, 3rd ed., 1999),
sec. 11.4: the array must carry the sunlit load and recharge the battery for the eclipse load
through the two power paths (eq. 11-5), at end of life, at aphelion irradiance. All functions are
vectorised over designs, shape ``(design,)``.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike


def it_power_w(
    count: ArrayLike,
    accelerator_power_w: ArrayLike,
    utilisation: ArrayLike,
    host_power_w: ArrayLike,
    link_power_w: ArrayLike,
) -> np.ndarray:
    """Sustained IT load of one satellite, W: ``n (P_acc u + P_host + P_link)``."""
    return np.asarray(count) * (
        np.asarray(accelerator_power_w) * np.asarray(utilisation)
        + np.asarray(host_power_w)
        + np.asarray(link_power_w)
    )


def bus_power_w(it_power: ArrayLike, fixed_w: ArrayLike, fraction: ArrayLike) -> np.ndarray:
    """Housekeeping load, W: a fixed part (ADCS, avionics, TT&C) plus distribution overhead."""
    return np.asarray(fixed_w) + np.asarray(fraction) * np.asarray(it_power)


def required_array_power_w(
    load_sunlit_w: ArrayLike,
    load_eclipse_w: ArrayLike,
    sunlit_s: ArrayLike,
    eclipse_s: ArrayLike,
    eta_sunlight_path: ArrayLike,
    eta_eclipse_path: ArrayLike,
) -> np.ndarray:
    """Array output needed in sunlight, W (SMAD eq. 11-5).

    ``P_sa = (P_e T_e / X_e + P_d T_d / X_d) / T_d``, with ``X_e`` and ``X_d`` the efficiencies of
    the eclipse (array -> battery -> loads) and sunlight (array -> loads) paths.
    """
    t_d = np.asarray(sunlit_s, dtype=float)
    return (
        np.asarray(load_eclipse_w) * np.asarray(eclipse_s) / np.asarray(eta_eclipse_path)
        + np.asarray(load_sunlit_w) * t_d / np.asarray(eta_sunlight_path)
    ) / t_d


def allowed_depth_of_discharge(
    cycles_required: ArrayLike,
    max_dod: ArrayLike,
    reference_dod: ArrayLike,
    cycle_life_at_reference: ArrayLike,
    cycle_life_exponent: ArrayLike,
) -> np.ndarray:
    """Deepest discharge that still gives the required cycle life, 0..max_dod.

    Cycle life follows the inverse power law ``N(DoD) = N_ref (DoD_ref / DoD)^k`` (a Woehler-type
    fit used for Li-ion in LEO; e.g. Spotnitz, J. Power Sources 113 (2003) 72-80), solved for DoD at
    ``N = cycles_required`` and capped at the cell's hard limit.
    """
    cycles = np.maximum(np.asarray(cycles_required, dtype=float), 1.0)
    dod = np.asarray(reference_dod) * (np.asarray(cycle_life_at_reference) / cycles) ** (
        1.0 / np.asarray(cycle_life_exponent)
    )
    return np.minimum(dod, np.asarray(max_dod))


def battery_capacity_wh(
    eclipse_load_w: ArrayLike,
    eclipse_s: ArrayLike,
    depth_of_discharge: ArrayLike,
    discharge_efficiency: ArrayLike,
    reserve_load_w: ArrayLike,
    reserve_hours: ArrayLike,
    max_discharge_c_rate: ArrayLike,
    sunlit_s: ArrayLike = np.inf,
    charge_efficiency: ArrayLike = 1.0,
    max_charge_c_rate: ArrayLike = np.inf,
) -> np.ndarray:
    """Nameplate battery energy, Wh: the longest eclipse at the allowed depth of discharge.

    ``E = P_e T_e / (DoD eta_dis)`` (SMAD eq. 11-11 with one battery, no redundancy), never less
    than a safe-mode reserve of ``reserve_hours`` of ``reserve_load_w`` at the same DoD, never
    less than the eclipse load over the continuous discharge rate limit, ``P_e / C_dis`` (a short
    eclipse with a heavy load is sized by power, not energy; SMAD 3rd ed. section 11.4), and never
    less than the recharge power over the charge rate limit, ``P_ch / C_ch`` with
    ``P_ch = P_e T_e / (eta_dis eta_ch T_s)``: what the cells must accept to put the eclipse's
    energy back within the sunlit time ``T_s`` (the twin enforces both limits).
    """
    eclipse_wh = np.asarray(eclipse_load_w) * np.asarray(eclipse_s) / 3600.0
    reserve_wh = np.asarray(reserve_load_w) * np.asarray(reserve_hours)
    by_energy = np.maximum(eclipse_wh, reserve_wh) / (
        np.asarray(depth_of_discharge) * np.asarray(discharge_efficiency)
    )
    by_power = np.where(
        np.asarray(eclipse_s) > 0.0,
        np.asarray(eclipse_load_w) / np.asarray(max_discharge_c_rate),
        0.0,
    )
    with np.errstate(divide="ignore", invalid="ignore"):
        recharge_w = np.where(
            np.asarray(sunlit_s) > 0.0,
            eclipse_wh
            * 3600.0
            / (
                np.asarray(discharge_efficiency)
                * np.asarray(charge_efficiency)
                * np.asarray(sunlit_s)
            ),
            0.0,
        )
    by_charge = recharge_w / np.asarray(max_charge_c_rate)
    return np.maximum(np.maximum(by_energy, by_power), by_charge)
