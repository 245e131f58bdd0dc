"""Costs over time: Wright's-law learning, cumulative production, compound price trends, and the
first year in which a design built that year beats the ground.

Wright's law (T. P. Wright, "Factors affecting the cost of airplanes", J. Aeronautical Sciences 3
(1936) 122-128): the unit cost falls by a constant fraction, the *learning rate*, each time the
cumulative production doubles, ``c(x) = c0 (x / x0)^-b`` with ``b = -log2(1 - learning_rate)``.
An "80 % curve" (Wright's airframes) is ``learning_rate = 0.2``: doubling the cumulative production
multiplies the unit cost by 0.8. All functions are vectorised and broadcast over their arguments;
years are calendar years (float or int), costs in any currency unit (the result has the unit of
the reference cost).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike


def wright_exponent(learning_rate: ArrayLike) -> np.ndarray:
    """Wright's-law exponent ``b = -log2(1 - learning_rate)``, dimensionless (0 for no learning).

    ``learning_rate`` is the fractional cost reduction per doubling of cumulative production,
    in [0, 1).
    """
    lr = np.asarray(learning_rate, dtype=float)
    if np.any((lr < 0.0) | (lr >= 1.0)):
        raise ValueError(f"learning_rate must be in [0, 1), got {learning_rate!r}")
    return -np.log2(1.0 - lr)


def unit_cost(
    cumulative: ArrayLike,
    cost0: ArrayLike,
    learning_rate: ArrayLike,
    cumulative0: ArrayLike = 1.0,
) -> np.ndarray:
    """Unit cost at cumulative production ``cumulative`` (Wright 1936).

    ``c = cost0 (cumulative / cumulative0)^-b``: ``cost0`` is the cost of the unit at cumulative
    production ``cumulative0`` (the first unit's cost with the default ``cumulative0 = 1``).
    Cumulative production in any consistent unit (units, kg launched, W built).
    """
    b = wright_exponent(learning_rate)
    ratio = np.asarray(cumulative, dtype=float) / np.asarray(cumulative0, dtype=float)
    return np.asarray(cost0, dtype=float) * ratio ** (-b)


def compound(
    year: ArrayLike, value0: ArrayLike, base_year: ArrayLike, rate_per_year: ArrayLike
) -> np.ndarray:
    """A quantity growing at a constant compound rate: ``value0 (1 + rate)^(year - base_year)``.

    A price trend (e.g. an electricity price rising 2 %/yr, ``rate_per_year = 0.02``; a negative
    rate falls) or a cumulative production forecast.
    """
    years = np.asarray(year, dtype=float) - np.asarray(base_year, dtype=float)
    return np.asarray(value0, dtype=float) * (1.0 + np.asarray(rate_per_year, dtype=float)) ** years


def cumulative(
    year: ArrayLike, base_year: ArrayLike, cumulative0: ArrayLike, growth_per_year: ArrayLike
) -> np.ndarray:
    """Cumulative production in ``year``, forecast to grow at ``growth_per_year`` (fraction/yr)
    from ``cumulative0`` in ``base_year`` (exponential growth: the annual production grows at the
    same rate)."""
    return compound(year, cumulative0, base_year, growth_per_year)


def price_in_year(
    year: ArrayLike,
    price0: ArrayLike,
    base_year: ArrayLike,
    learning_rate: ArrayLike,
    growth_per_year: ArrayLike,
) -> np.ndarray:
    """Price in ``year`` of a product priced ``price0`` in ``base_year``, learning at
    ``learning_rate`` per doubling while its cumulative production grows at ``growth_per_year``.

    :func:`unit_cost` at :func:`cumulative`; the base cumulative production cancels:
    ``price0 (1 + growth)^(-b (year - base_year))``.
    """
    x = cumulative(year, base_year, 1.0, growth_per_year)
    return unit_cost(x, price0, learning_rate, 1.0)


def crossover_year(years: ArrayLike, space_cost: ArrayLike, ground_cost: ArrayLike) -> int | None:
    """First of ``years`` (integers, ascending) in which ``space_cost <= ground_cost``, else None.

    ``space_cost`` and ``ground_cost`` have shape ``(year,)`` (e.g. cost per accelerator-hour of
    the design built that year); a year where either is NaN never counts.
    """
    y = np.asarray(years)
    space = np.asarray(space_cost, dtype=float)
    ground = np.asarray(ground_cost, dtype=float)
    if not (y.shape == space.shape == ground.shape and y.ndim == 1):
        raise ValueError(
            f"years, space_cost and ground_cost must be 1-D of one length, got shapes "
            f"{y.shape}, {space.shape}, {ground.shape}"
        )
    hits = np.flatnonzero(space <= ground)
    return int(y[hits[0]]) if hits.size else None
