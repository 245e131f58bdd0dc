"""The crossover year of N design variants at once, each with its own Wright's-law inputs.

The model of :func:`orbitaldc.api.crossover` (docs/economics.md), vectorised over designs (a
study's variants; the api's one design): design ``i`` built in year ``y`` pays its launch price per kg and its satellite hardware cost
per W of BOL array power after Wright's-law learning (``economics.learning.price_in_year``, from
their values in the cost profile's ``base_year``), and the ground site's electricity follows its
compound trend; the crossover year is the first year in which the space cost per
accelerator-hour is at most the ground's. Every (design, year) pair is one row of the closure's
batch path, evaluated in slices of ``batch`` rows so that memory stays bounded.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import NamedTuple

import numpy as np

from orbitaldc.economics import learning

#: Learning inputs (cost-profile names) and the closure figure each one moves.
LEARNING_INPUTS = (
    "launch_learning_rate",
    "launch_mass_growth_per_year",
    "hardware_learning_rate",
    "hardware_production_growth_per_year",
    "electricity_price_trend_per_year",
)

#: The closure's columns the crossover needs from each design.
NEEDS = (
    "launch_price_effective_usd_per_kg",
    "satellite_hardware_cost_usd",
    "array_bol_power_w",
    "site_electricity_usd_per_kwh",
)

#: The closure's columns the crossover compares, year by year.
COSTS = ("cost_per_accelerator_hour_usd", "ground_cost_per_accelerator_hour_usd")

Closure = Callable[[Mapping[str, np.ndarray]], dict[str, np.ndarray]]


class Crossover(NamedTuple):
    """The crossover of N designs over Y years (see :func:`crossover_years`)."""

    #: First year with space <= ground, NaN where none of the years is; shape (N,).
    year: np.ndarray
    #: Cost per accelerator-hour (USD) of the design built each year, in orbit and on the
    #: ground; shape (N, Y).
    space: np.ndarray
    ground: np.ndarray
    #: The learned launch price (USD per kg launched) and satellite hardware cost (USD per W of
    #: BOL array power) of each year; shape (N, Y).
    launch_usd_per_kg: np.ndarray
    hardware_usd_per_w: np.ndarray


def crossover_years(
    profile: Mapping[str, float],
    closure: Closure,
    overrides: Mapping[str, np.ndarray],
    base: Mapping[str, np.ndarray],
    years: np.ndarray,
    rates: Mapping[str, np.ndarray] | None = None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Crossover year of each of N variants of ``spec``.

    Parameters
    ----------
    profile : mapping of str to float
        The design's cost-profile values (``closure.design.cost_profile``): ``base_year`` and
        every learning input not in ``rates``.
    closure : callable
        ``closure(overrides) -> columns``: the closure's batch path (with any fixed inputs),
        returning at least ``cost_per_accelerator_hour_usd`` and
        ``ground_cost_per_accelerator_hour_usd``.
    overrides : mapping of str to ndarray, shape (N,)
        The variants' closure overrides.
    base : mapping of str to ndarray, shape (N,)
        The variants' closure columns :data:`NEEDS` (as built in ``base_year``).
    years : ndarray of int, shape (Y,)
        Calendar years, ascending.
    rates : mapping of str to ndarray, shape (N,), optional
        Per-variant learning inputs (names of :data:`LEARNING_INPUTS`; fractions per doubling or
        per year).

    Returns
    -------
    Crossover
    """
    n = np.size(base["array_bol_power_w"])
    rate = {
        name: np.broadcast_to(
            np.asarray((rates or {}).get(name, profile[name]), dtype=float), (n,)
        )[:, None]
        for name in LEARNING_INPUTS
    }
    base_year = float(profile["base_year"])
    year = np.asarray(years, dtype=float)[None, :]
    launch = learning.price_in_year(
        year,
        np.asarray(base["launch_price_effective_usd_per_kg"])[:, None],
        base_year,
        rate["launch_learning_rate"],
        rate["launch_mass_growth_per_year"],
    )
    per_w = np.asarray(base["satellite_hardware_cost_usd"]) / np.asarray(base["array_bol_power_w"])
    hardware = learning.price_in_year(
        year,
        per_w[:, None],
        base_year,
        rate["hardware_learning_rate"],
        rate["hardware_production_growth_per_year"],
    )
    electricity = learning.compound(
        year,
        np.asarray(base["site_electricity_usd_per_kwh"])[:, None],
        base_year,
        rate["electricity_price_trend_per_year"],
    )
    n_years = year.shape[1]
    built = {k: np.repeat(np.asarray(v, dtype=float), n_years) for k, v in overrides.items()}
    built["price_per_kg_usd"] = launch.ravel()
    built["cost_per_watt_fixed"] = hardware.ravel()
    built["site_electricity_usd_per_kwh"] = electricity.ravel()
    costs = closure(built)
    space = costs["cost_per_accelerator_hour_usd"].reshape(n, n_years)
    ground = costs["ground_cost_per_accelerator_hour_usd"].reshape(n, n_years)
    wins = space <= ground
    first = np.argmax(wins, axis=1)
    crossover = np.where(wins.any(axis=1), np.asarray(years, dtype=float)[first], np.nan)
    return Crossover(crossover, space, ground, launch, hardware)
