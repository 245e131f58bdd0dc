"""Battery state of charge over one time step, vectorised over satellites.

Energy bookkeeping (SMAD 3rd ed. sec. 11.4): charging stores ``eta_charge x P_in x dt``, a discharge
of ``P_out`` for ``dt`` draws ``P_out x dt / eta_discharge`` from the cells. The state of charge
stays between the depth-of-discharge floor and full; power is limited by the charge and discharge
rate limits. What the battery cannot supply is returned as a shortfall (the caller throttles or
sheds load by its strategy), what it cannot absorb as curtailment: nothing is silently overdrawn.
Every return value is an array of shape ``(satellite,)``; energies in Wh, powers in W, time in s.
"""

from __future__ import annotations

from dataclasses import dataclass

import numba
import numpy as np
from numpy.typing import ArrayLike


@dataclass(frozen=True)
class BatteryStep:
    """Result of :func:`battery_step`, each field shape ``(satellite,)``.

    Attributes
    ----------
    energy_wh
        State of charge after the step, Wh.
    charge_w
        Power taken from the bus into the battery (before charge losses), W.
    discharge_w
        Power the battery delivers to the bus (after discharge losses), W.
    shortfall_w
        Part of the requested discharge the battery could not deliver, W.
    curtailed_w
        Part of the offered surplus the battery could not absorb, W.
    loss_wh
        Energy dissipated as heat in the cells during the step, Wh.
    """

    energy_wh: np.ndarray
    charge_w: np.ndarray
    discharge_w: np.ndarray
    shortfall_w: np.ndarray
    curtailed_w: np.ndarray
    loss_wh: np.ndarray


def battery_step(
    energy_wh: ArrayLike,
    net_power_w: ArrayLike,
    dt_s: float,
    capacity_wh: ArrayLike,
    max_depth_of_discharge: ArrayLike,
    charge_efficiency: ArrayLike,
    discharge_efficiency: ArrayLike,
    max_charge_w: ArrayLike = np.inf,
    max_discharge_w: ArrayLike = np.inf,
) -> BatteryStep:
    """Advance the state of charge by ``dt_s`` given the bus's net power.

    Parameters
    ----------
    energy_wh : array_like, shape (satellite,)
        Stored energy at the start of the step, Wh.
    net_power_w : array_like, shape (satellite,)
        Array power minus load on the bus, W: positive offers a surplus to charge, negative asks
        the battery for power.
    dt_s : float
        Step, s.
    capacity_wh, max_depth_of_discharge, charge_efficiency, discharge_efficiency : array_like
        Nameplate energy, deepest allowed discharge (0..1) and the two efficiencies.
    max_charge_w, max_discharge_w : array_like
        Rate limits at the bus, W.
    """
    e0 = np.asarray(energy_wh, dtype=float)
    p = np.asarray(net_power_w, dtype=float)
    cap = np.asarray(capacity_wh, dtype=float)
    floor = cap * (1.0 - np.asarray(max_depth_of_discharge, dtype=float))
    eta_c = np.asarray(charge_efficiency, dtype=float)
    eta_d = np.asarray(discharge_efficiency, dtype=float)
    hours = dt_s / 3600.0

    offered = np.clip(p, 0.0, None)
    room_w = np.clip(cap - e0, 0.0, None) / (eta_c * hours)
    charge = np.minimum(np.minimum(offered, room_w), max_charge_w)
    asked = np.clip(-p, 0.0, None)
    available_w = np.clip(e0 - floor, 0.0, None) * eta_d / hours
    discharge = np.minimum(np.minimum(asked, available_w), max_discharge_w)

    energy = e0 + (charge * eta_c - discharge / eta_d) * hours
    loss = (charge * (1.0 - eta_c) + discharge * (1.0 / eta_d - 1.0)) * hours
    return BatteryStep(
        energy_wh=np.clip(energy, floor, cap),
        charge_w=charge,
        discharge_w=discharge,
        shortfall_w=asked - discharge,
        curtailed_w=offered - charge,
        loss_wh=loss,
    )


@numba.njit(cache=True, inline="always")
def battery_step_scalar(
    energy_wh,
    net_power_w,
    hours,
    capacity_wh,
    floor_wh,
    eta_c,
    eta_d,
    max_charge_w,
    max_discharge_w,
):  # pragma: no cover - compiled; tested equal to battery_step
    """:func:`battery_step` for one battery, compiled for the twin's kernel (``hours = dt/3600``,
    ``floor_wh = capacity x (1 - max DoD)``). Returns ``(energy_wh, charge_w, discharge_w,
    shortfall_w, curtailed_w, loss_wh)`` with the same operations, divisions by the constant
    parameters written as products with their reciprocals (which the compiler hoists out of the
    caller's time loop), so results agree with :func:`battery_step` to an ulp."""
    offered = max(net_power_w, 0.0)
    room_w = max(capacity_wh - energy_wh, 0.0) * (1.0 / (eta_c * hours))
    charge = min(min(offered, room_w), max_charge_w)
    asked = max(-net_power_w, 0.0)
    available_w = max(energy_wh - floor_wh, 0.0) * (eta_d / hours)
    discharge = min(min(asked, available_w), max_discharge_w)
    inv_eta_d = 1.0 / eta_d
    energy = energy_wh + (charge * eta_c - discharge * inv_eta_d) * hours
    loss = (charge * (1.0 - eta_c) + discharge * (inv_eta_d - 1.0)) * hours
    energy = min(max(energy, floor_wh), capacity_wh)
    return energy, charge, discharge, asked - discharge, offered - charge, loss


def equivalent_full_cycles(energy_wh: ArrayLike, capacity_wh: ArrayLike) -> np.ndarray:
    """Equivalent full cycles of a state-of-charge history: energy discharged / capacity.

    ``energy_wh`` has shape ``(satellite, time)``; returns ``(satellite,)``. For the one charge and
    one discharge per orbit of LEO this equals the depth-weighted cycle count that cycle-life data
    are quoted in (e.g. 5,000 eclipses at 30 % DoD are 1,500 equivalent full cycles).
    """
    e = np.asarray(energy_wh, dtype=float)
    discharged = np.clip(-np.diff(e, axis=-1), 0.0, None).sum(axis=-1)
    return discharged / np.asarray(capacity_wh, dtype=float)
