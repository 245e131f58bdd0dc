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


def capital_recovery_factor(rate: ArrayLike, years: ArrayLike) -> np.ndarray:
    """Capital recovery factor ``r (1 + r)^n / ((1 + r)^n - 1)``, 1/yr: the constant annual payment
    that repays 1 over ``years`` at the discount ``rate`` (Grant, Ireson & Leavenworth, *Principles
    of Engineering Economy*, 8th ed., ch. 4; NREL's LCOE definition). Written as
    ``r / (1 - exp(-n ln(1 + r)))`` with ``expm1``/``log1p`` so that it stays exact as
    ``r -> 0``, where it tends to ``1 / n`` (used at ``r = 0``)."""
    r = np.asarray(rate, dtype=float)
    n = np.asarray(years, dtype=float)
    zero = r == 0.0
    safe = np.where(zero, 1.0, r)
    return np.where(zero, 1.0 / n, safe / -np.expm1(-n * np.log1p(safe)))


def present_value_of_series(
    rate: ArrayLike, interval_years: ArrayLike, count: ArrayLike
) -> np.ndarray:
    """``sum_{k=1..count} (1 + r)^(-k L)``: present value of ``count`` unit payments every
    ``interval_years`` (``L``), the first one interval from now (a geometric series)."""
    r = np.asarray(rate, dtype=float)
    step = (1.0 + r) ** (-np.asarray(interval_years, dtype=float))
    k = np.asarray(count, dtype=float)
    near_one = np.abs(1.0 - step) < 1e-12
    ratio = np.where(near_one, 0.5, step)
    return np.where(near_one, k, ratio * (1.0 - ratio**k) / (1.0 - ratio))


def mean_working_fraction(
    annual_failure_rate: ArrayLike, spares_fraction: ArrayLike, years: ArrayLike
) -> np.ndarray:
    """Mean fraction of the nominal accelerators working over ``years`` when chips fail at a
    constant annual probability and are never repaired, with ``spares_fraction`` cold spares.

    Survival is ``(1 + s) exp(-lambda t)`` of the nominal count, capped at 1 while spares last
    (``lambda = -ln(1 - annual rate)``): the mean over ``[0, T]`` is ``(t* + (1 + s)/lambda
    (exp(-lambda t*) - exp(-lambda T))) / T`` with ``t* = min(ln(1 + s)/lambda, T)``.
    """
    q = np.asarray(annual_failure_rate, dtype=float)
    s = np.asarray(spares_fraction, dtype=float)
    big_t = np.asarray(years, dtype=float)
    lam = -np.log1p(-np.clip(q, 0.0, 1.0 - 1e-12))
    safe = np.where(lam > 0, lam, 1.0)
    t_star = np.minimum(np.log1p(s) / safe, big_t)
    tail = (1.0 + s) / safe * (np.exp(-safe * t_star) - np.exp(-safe * big_t))
    return np.where(lam > 0, (t_star + tail) / big_t, 1.0)
