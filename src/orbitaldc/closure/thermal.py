"""Thermal sizing: radiator area at temperature, and the chip-to-radiator temperature chain.

The radiator rejects the whole dissipated load at its temperature, net of the absorbed Earth
infrared and albedo for its orientation, in the hot case (smallest |beta| of the year, where the
albedo load is highest) with end-of-life optical properties (Gilmore, *Spacecraft Thermal Control
Handbook* vol. I, 2nd ed., ch. 2 and 5). Vectorised over designs.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike


def radiator_area_m2(heat_w: ArrayLike, net_flux_w_m2: ArrayLike) -> np.ndarray:
    """Panel area that rejects ``heat_w``, m^2; ``inf`` where the net flux is not positive."""
    q = np.asarray(net_flux_w_m2, dtype=float)
    with np.errstate(divide="ignore"):
        return np.where(q > 0.0, np.asarray(heat_w) / np.where(q > 0.0, q, 1.0), np.inf)


def junction_temperature_k(
    radiator_temperature_k: ArrayLike,
    coolant_loop_delta_t_k: ArrayLike,
    coldplate_delta_t_k: ArrayLike,
    chip_power_w: ArrayLike,
    junction_to_coldplate_k_per_w: ArrayLike,
) -> np.ndarray:
    """Accelerator junction temperature, K: radiator + loop + cold plate + ``P R_jc`` rises."""
    return (
        np.asarray(radiator_temperature_k)
        + np.asarray(coolant_loop_delta_t_k)
        + np.asarray(coldplate_delta_t_k)
        + np.asarray(chip_power_w) * np.asarray(junction_to_coldplate_k_per_w)
    )
