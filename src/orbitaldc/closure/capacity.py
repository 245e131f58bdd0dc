"""Capacity of fixed hardware: how many accelerators a given array and radiator support.

The closure sizes the array and the radiator for a chosen accelerator count; this is the inverse
question the critics ask: with the array's end-of-life power and the radiator's heat rejection
fixed, how many accelerators fit, limited by power and by heat, and which limit binds.

Both budgets are affine in the accelerator count ``n`` under the closure's own definitions
(:mod:`orbitaldc.closure.power`, SMAD 3rd ed. sec. 11.4, and the thermal stage of
:mod:`orbitaldc.closure.kernel`): the IT load is ``n`` times one accelerator's IT power
(:func:`~orbitaldc.closure.power.it_power_w`), the bus adds a fixed part and a fraction of it
(:func:`~orbitaldc.closure.power.bus_power_w`), the eclipse load is the bus alone when compute is
shed in eclipse, the array must supply :func:`~orbitaldc.closure.power.required_array_power_w`
over the nodal period's sunlit arc, and the radiator rejects the sunlit load over the sunlight
power path's efficiency. Each budget is evaluated at ``n = 0`` and ``n = 1`` with those functions,
which gives its fixed part and its slope. Vectorised over designs, shape ``(design,)``.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
from numpy.typing import ArrayLike

from orbitaldc.closure import power

#: A count within this relative distance below an integer is that integer: hardware the closure
#: sized for exactly n accelerators supports n despite floating-point rounding.
COUNT_RTOL = 1e-9


def _budgets_w(
    d: Mapping[str, ArrayLike], o: Mapping[str, ArrayLike], count: float
) -> tuple[np.ndarray, np.ndarray]:
    """Array power required and heat load (W) of ``count`` accelerators, closure definitions."""
    it = power.it_power_w(
        count, d["acc_power_w"], d["utilisation"], d["acc_host_power_w"], d["acc_link_power_w"]
    )
    bus = power.bus_power_w(it, d["bus_power_w"], d["bus_power_fraction"])
    load_sun = it + bus
    load_ecl = np.where(np.asarray(d["eclipse_shed"]) > 0, bus, load_sun)
    eclipse_s = np.asarray(o["max_eclipse_s"], dtype=float)
    sunlit_s = np.asarray(o["nodal_period_s"], dtype=float) - eclipse_s
    array_w = power.required_array_power_w(
        load_sun, load_ecl, sunlit_s, eclipse_s, d["eta_sunlight_path"], d["eta_eclipse_path"]
    )
    return array_w, load_sun / np.asarray(d["eta_sunlight_path"])


def budget_lines(d: Mapping[str, ArrayLike], o: Mapping[str, ArrayLike]) -> dict[str, np.ndarray]:
    """Fixed part and per-accelerator slope (W) of the array power required and the heat load.

    ``d`` holds the closure's design arrays (``orbitaldc.closure.design.design_arrays``: the
    accelerator's powers, the bus rules ``bus_power_w`` and ``bus_power_fraction``,
    ``eclipse_shed`` and the two path efficiencies); ``o`` the orbit figures ``max_eclipse_s`` and
    ``nodal_period_s`` (an ``evaluate_batch`` result has them; not its ``bus_power_w``, which is
    the closed bus load, not the rule's fixed part). Returns ``array_fixed_w``,
    ``array_per_accelerator_w``, ``heat_fixed_w``, ``heat_per_accelerator_w``, shape ``(design,)``.
    """
    array0, heat0 = _budgets_w(d, o, 0.0)
    array1, heat1 = _budgets_w(d, o, 1.0)
    return {
        "array_fixed_w": array0,
        "array_per_accelerator_w": array1 - array0,
        "heat_fixed_w": heat0,
        "heat_per_accelerator_w": heat1 - heat0,
    }


def accelerators_within(
    available_w: ArrayLike, fixed_w: ArrayLike, per_accelerator_w: ArrayLike
) -> np.ndarray:
    """Whole accelerators whose budget ``fixed + n per_accelerator`` fits in ``available_w``.

    ``floor((available - fixed) / per_accelerator)``, 0 where even the fixed part does not fit,
    within :data:`COUNT_RTOL` of the next integer counted as it; NaN where ``available_w`` is NaN.
    """
    n = (np.asarray(available_w, dtype=float) - np.asarray(fixed_w)) / np.asarray(per_accelerator_w)
    return np.maximum(np.floor(n + COUNT_RTOL * np.maximum(np.abs(n), 1.0)), 0.0)


def capacity(
    d: Mapping[str, ArrayLike],
    o: Mapping[str, ArrayLike],
    array_eol_power_w: ArrayLike | None = None,
    radiator_rejection_w: ArrayLike | None = None,
) -> dict[str, np.ndarray]:
    """Accelerators per satellite that a fixed array and/or radiator support, and which binds.

    Parameters
    ----------
    d, o : mapping of str to array_like, shape (design,)
        Design arrays and orbit figures (see :func:`budget_lines`).
    array_eol_power_w : array_like, optional
        The array's end-of-life output in sunlight at aphelion, W (the closure's
        ``array_eol_power_w``). Without it, power does not limit.
    radiator_rejection_w : array_like, optional
        The radiator's net heat rejection in the hot case, W (the closure's
        ``radiator_rejection_w``). Without it, heat does not limit.

    Returns
    -------
    dict
        ``accelerators_by_power``, ``accelerators_by_heat`` (inf when that hardware is not given),
        ``accelerators`` (the smaller), ``binding`` (``"power"``, ``"heat"`` or ``"both"``) and the
        lines of :func:`budget_lines`; shape ``(design,)``.
    """
    if array_eol_power_w is None and radiator_rejection_w is None:
        raise ValueError("capacity needs array_eol_power_w, radiator_rejection_w or both")
    lines = budget_lines(d, o)
    shape = np.shape(lines["array_fixed_w"])
    by_power = (
        np.full(shape, np.inf)
        if array_eol_power_w is None
        else accelerators_within(
            array_eol_power_w, lines["array_fixed_w"], lines["array_per_accelerator_w"]
        )
    )
    by_heat = (
        np.full(shape, np.inf)
        if radiator_rejection_w is None
        else accelerators_within(
            radiator_rejection_w, lines["heat_fixed_w"], lines["heat_per_accelerator_w"]
        )
    )
    binding = np.where(by_power < by_heat, "power", np.where(by_heat < by_power, "heat", "both"))
    return {
        **lines,
        "accelerators_by_power": by_power,
        "accelerators_by_heat": by_heat,
        "accelerators": np.minimum(by_power, by_heat),
        "binding": binding,
    }


def capacity_of_areas(
    d: Mapping[str, ArrayLike],
    figures: Mapping[str, ArrayLike],
    array_area_m2: ArrayLike | None = None,
    radiator_area_m2: ArrayLike | None = None,
) -> dict[str, np.ndarray]:
    """:func:`capacity` of a fixed array area and/or radiator area, m^2.

    ``d`` are the design arrays (see :func:`budget_lines`), ``figures`` the closure's result for
    them (``evaluate_batch``): the array's end-of-life output per m^2
    (``array_eol_power_w / array_area_m2``, independent of the count) and the radiator's net
    rejection flux (``radiator_net_flux_w_per_m2``; a panel with no positive net flux rejects
    nothing) convert the areas to power and heat.
    """
    array_w = radiator_w = None
    if array_area_m2 is not None:
        per_m2 = np.asarray(figures["array_eol_power_w"]) / np.asarray(figures["array_area_m2"])
        array_w = np.asarray(array_area_m2, dtype=float) * per_m2
    if radiator_area_m2 is not None:
        flux = np.maximum(np.asarray(figures["radiator_net_flux_w_per_m2"], dtype=float), 0.0)
        radiator_w = np.asarray(radiator_area_m2, dtype=float) * flux
    return capacity(d, figures, array_w, radiator_w)
