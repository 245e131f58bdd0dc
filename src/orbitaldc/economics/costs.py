"""Cost relations for space and ground compute, vectorised over designs.

Definitions follow Google, "Towards a future space-based, highly scalable AI infrastructure system
design", arXiv 2511.19468 (2025), sec. 4.4: the *launched power price* is
``(satellite mass / power) x launch price per kg / lifetime`` in $/kW/year, and terrestrial power
cost is ``electricity price x PUE x hours per year``.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

#: Hours in a Julian year (365.25 d x 24 h).
HOURS_PER_YEAR = 8766.0


def launched_power_price_usd_per_kw_year(
    satellite_mass_kg: ArrayLike,
    power_w: ArrayLike,
    price_usd_per_kg: ArrayLike,
    lifetime_years: ArrayLike,
) -> np.ndarray:
    """Launch cost per kW of satellite power per year of life, $/kW/yr (arXiv 2511.19468 Table 1)."""
    return (
        np.asarray(satellite_mass_kg)
        / (np.asarray(power_w) / 1e3)
        * np.asarray(price_usd_per_kg)
        / np.asarray(lifetime_years)
    )


def energy_cost_usd_per_kw_year(price_usd_per_kwh: ArrayLike, pue: ArrayLike) -> np.ndarray:
    """Cost of powering 1 kW of IT for a year on the ground, $/kW/yr: ``price x PUE x 8766 h``."""
    return np.asarray(price_usd_per_kwh) * np.asarray(pue) * HOURS_PER_YEAR


def expected_failures(
    satellites: ArrayLike, annual_failure_rate: ArrayLike, years: ArrayLike
) -> np.ndarray:
    """Expected satellites lost over ``years`` at a constant annual failure probability."""
    return np.asarray(satellites) * (
        1.0 - (1.0 - np.asarray(annual_failure_rate)) ** np.asarray(years)
    )


def breakeven_launch_price_usd_per_kg(
    cost_without_launch_usd: ArrayLike,
    launched_mass_kg: ArrayLike,
    delivered_hours: ArrayLike,
    target_cost_per_hour_usd: ArrayLike,
) -> np.ndarray:
    """Launch price per kg at which the space cost per delivered hour equals the target, $/kg.

    The lifetime cost is linear in the launch price, ``C(p) = C0 + M p``, so the break-even price is
    solved in closed form: ``p* = (c_target H - C0) / M``. Negative values mean no launch price,
    not even free launch, reaches the target; they are returned as NaN.
    """
    price = (
        np.asarray(target_cost_per_hour_usd) * np.asarray(delivered_hours)
        - np.asarray(cost_without_launch_usd)
    ) / np.asarray(launched_mass_kg)
    return np.where(price >= 0.0, price, np.nan)
