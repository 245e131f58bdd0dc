"""What must be true: the value of a cost lever at which space costs what the ground costs.

The ratio of the space to the ground cost per accelerator-hour is a function of each lever (launch
price, satellite hardware cost, electricity price, lifetime...). :func:`solve_levers` finds, for
several levers at once, the lever value where ``ratio == 1``, or None with the reason: it brackets
the root on a grid over each lever's search range (log spacing for prices and other positive
scale quantities, linear otherwise), then narrows every bracket together by multisection with a
secant step (regula falsi on ``ln ratio``), each round one call of the ratio function for all
levers. A design's whole parity block (grid, three or four refinement rounds, elasticities) costs
a handful of vectorised closure calls.

The ratio function is supplied by the caller (in practice a closure over
``orbitaldc.closure.evaluate_batch``); :func:`stacked_overrides` builds the one override table in
which each lever varies in its own rows while the others keep their current value. This module
knows nothing of the closure: it is pure numpy.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from orbitaldc.physics.constants import SECONDS_PER_YEAR

#: ``ratio(lever_index, values)``: the space/ground cost ratio with lever ``lever_index[i]`` set to
#: ``values[i]`` (every other lever at its current value), for all i in one call; shapes ``(n,)``.
BatchRatio = Callable[[np.ndarray, np.ndarray], np.ndarray]


@dataclass(frozen=True)
class Lever:
    """A numeric design input the parity solver may move.

    ``name`` is the closure's override name (``orbitaldc.closure.design.OVERRIDABLE``), in its
    unit ``unit``; the search runs over ``[low, high]``, log-spaced when ``log`` (``low > 0``).
    """

    name: str
    label: str
    unit: str
    low: float
    high: float
    log: bool

    def __post_init__(self) -> None:
        if not self.low < self.high or (self.log and self.low <= 0.0):
            raise ValueError(
                f"lever {self.name!r}: the search range needs low < high (and low > 0 for a log "
                f"range), got [{self.low}, {self.high}] with log={self.log}"
            )


#: The default levers of ``economics.parity{}``, all overridable in the closure today. Ranges are
#: wide on purpose (a parity value far outside today's figures is itself the answer): prices from
#: a floor near zero to well above any list price, physical inputs over their physical range.
DEFAULT_LEVERS: tuple[Lever, ...] = (
    Lever("price_per_kg_usd", "launch price", "USD/kg", 1.0, 1e5, True),
    Lever("lv_price_usd", "launch price per flight", "USD", 1e4, 1e10, True),
    Lever("structure_cost_usd_per_kg", "satellite structure cost", "USD/kg", 1.0, 1e6, True),
    Lever("electronics_cost_usd_per_kg", "satellite electronics cost", "USD/kg", 1.0, 1e7, True),
    Lever("cost_per_watt_fixed", "satellite hardware cost", "USD/W", 1e-3, 1e4, True),
    Lever("specific_power_fixed", "satellite specific power (array)", "W/kg", 1.0, 2000.0, True),
    Lever("acc_unit_cost_usd", "accelerator price", "USD", 10.0, 1e7, True),
    Lever("discount_rate", "discount rate", "1/yr", 0.0, 0.5, False),
    Lever(
        "operations_cost_usd_per_satellite_year",
        "operations cost",
        "USD/(satellite yr)",
        1.0,
        1e8,
        True,
    ),
    Lever("accelerator_annual_failure_rate", "accelerator failure rate", "1/yr", 0.0, 0.9, False),
    Lever("site_electricity_usd_per_kwh", "ground electricity price", "USD/kWh", 1e-3, 100.0, True),
    Lever("site_pue", "ground PUE", "1", 1.0, 5.0, False),
    Lever(
        "lifetime_s", "mission lifetime", "s", 0.25 * SECONDS_PER_YEAR, 30 * SECONDS_PER_YEAR, True
    ),
    Lever("acc_power_w", "accelerator power", "W", 10.0, 1e5, True),
    Lever("utilisation", "accelerator utilisation", "1", 0.01, 1.0, False),
    Lever("array_efficiency_bol", "solar cell efficiency (BOL)", "1", 0.02, 0.7, False),
    Lever(
        "battery_specific_energy_wh_per_kg",
        "battery specific energy",
        "Wh/kg",
        20.0,
        2000.0,
        True,
    ),
    Lever("satellite_annual_failure_rate", "satellite failure rate", "1/yr", 0.0, 0.5, False),
)

#: Overrides that make launch and the satellite hardware free: the parity floor's premises for
#: the closure's cost model today (launch is mass x $/kg; the hardware is cost-per-watt x BOL
#: array power when ``cost_per_watt_fixed`` is set). The cost model's owner keeps this in step.
PARITY_FLOOR_OVERRIDES: Mapping[str, float] = {"price_per_kg_usd": 0.0, "cost_per_watt_fixed": 0.0}

#: Relative step of the central difference of the elasticity: the truncation error is
#: O(step^2) ~ 1e-6 relative and the rounding error O(eps / step) ~ 1e-13 for a smooth ratio.
ELASTICITY_STEP = 1e-3


@dataclass(frozen=True)
class Parity:
    """One lever's parity: ``value`` (lever unit) where the ratio is 1, or None; the ratio there;
    ``reason`` says why there is no value, or qualifies one (a step across 1), else None."""

    value: float | None
    ratio_at_value: float | None
    reason: str | None


def stacked_overrides(
    names: Sequence[str],
    current: Sequence[float],
    lever_index: np.ndarray,
    values: np.ndarray,
) -> dict[str, np.ndarray]:
    """One override table for many levers: row i sets lever ``lever_index[i]`` to ``values[i]``
    and every other lever to its ``current`` value. Returns ``{name: array (n,)}``."""
    idx = np.asarray(lever_index)
    vals = np.asarray(values, dtype=float)
    return {
        name: np.where(idx == k, vals, float(now))
        for k, (name, now) in enumerate(zip(names, current, strict=True))
    }


def _to_t(x: np.ndarray, log: np.ndarray) -> np.ndarray:
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(log, np.log(np.where(log, x, 1.0)), x)


def _to_x(t: np.ndarray, log: np.ndarray) -> np.ndarray:
    return np.where(log, np.exp(np.where(log, t, 0.0)), t)


def _log_ratio(ratio: BatchRatio, idx: np.ndarray, t: np.ndarray, log: np.ndarray) -> np.ndarray:
    r = np.asarray(ratio(idx, _to_x(t, log[idx])), dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        g = np.log(r)
    return np.where(np.isfinite(g), g, np.nan)


def _classify(lever: Lever, x: np.ndarray, g: np.ndarray) -> tuple[int, int, str | None]:
    """Indices (i, j) of the single bracket of a sign change of ``g`` between consecutive finite
    points, or (-1, -1) and why there is none."""
    ok = np.flatnonzero(~np.isnan(g))
    where = f"[{lever.low:.6g}, {lever.high:.6g}] {lever.unit}"
    if ok.size == 0:
        return -1, -1, f"ratio not finite anywhere in {where}"
    above = g[ok] > 0.0
    changes = np.flatnonzero(above[1:] != above[:-1])
    r = np.exp(g[ok])
    if np.ptp(g[ok]) < 1e-12:
        return -1, -1, f"the design's cost does not depend on this lever (ratio {r[0]:.4g})"
    if changes.size == 0 and above.all():
        i = int(np.argmin(r))
        return (
            -1,
            -1,
            (
                f"no value in {where} reaches parity (lowest ratio {r[i]:.4g} at {x[ok][i]:.6g} "
                f"{lever.unit})"
            ),
        )
    if changes.size == 0:
        i = int(np.argmax(r))
        return (
            -1,
            -1,
            (
                f"already below parity at every value in {where} (highest ratio {r[i]:.4g} at "
                f"{x[ok][i]:.6g} {lever.unit})"
            ),
        )
    if changes.size > 1:
        return (
            -1,
            -1,
            f"ratio not monotonic in range: crosses parity {changes.size} times in {where}",
        )
    return int(ok[changes[0]]), int(ok[changes[0] + 1]), None


def solve_levers(
    ratio: BatchRatio,
    levers: Sequence[Lever],
    *,
    grid_points: int = 65,
    section_points: int = 16,
    rtol: float = 1e-10,
    max_rounds: int = 12,
) -> list[Parity]:
    """Parity value of each lever, all levers in one batch per step.

    Parameters
    ----------
    ratio : BatchRatio
        ``ratio(lever_index, values)``, vectorised (see :data:`BatchRatio`); a non-positive or
        non-finite ratio marks a value where the design has no cost (skipped).
    levers : sequence of Lever
    grid_points : int
        Bracketing grid per lever (log or linear over ``[low, high]``): one call.
    section_points : int
        Interior points per bracket and refinement round (plus the secant point): one call each.
    rtol : float
        Converged when ``|ln ratio| <= rtol`` at the secant point (ratio 1 within ``rtol``
        relative).
    max_rounds : int
        Refinement rounds; a bracket that shrinks to rounding width without converging is a step
        of the ratio across 1 (e.g. one more launch): its value is returned with the reason.

    Returns
    -------
    list of Parity, one per lever
    """
    k = len(levers)
    log = np.array([lv.log for lv in levers], dtype=bool)
    lo = _to_t(np.array([lv.low for lv in levers], dtype=float), log)
    hi = _to_t(np.array([lv.high for lv in levers], dtype=float), log)
    frac = np.linspace(0.0, 1.0, grid_points)
    t_grid = lo[:, None] + (hi - lo)[:, None] * frac[None, :]
    idx = np.repeat(np.arange(k), grid_points)
    g_grid = _log_ratio(ratio, idx, t_grid.ravel(), log).reshape(k, grid_points)

    out: list[Parity | None] = [None] * k
    ta, tb, ga, gb = (np.full(k, np.nan) for _ in range(4))
    for j, lever in enumerate(levers):
        i, nxt, reason = _classify(lever, _to_x(t_grid[j], log[j]), g_grid[j])
        if i < 0:
            out[j] = Parity(None, None, reason)
            continue
        ta[j], tb[j], ga[j], gb[j] = t_grid[j, i], t_grid[j, nxt], g_grid[j, i], g_grid[j, nxt]
        if ga[j] == 0.0 or gb[j] == 0.0:
            t0 = ta[j] if ga[j] == 0.0 else tb[j]
            out[j] = Parity(float(_to_x(t0, log[j])), 1.0, None)

    inner = np.linspace(0.0, 1.0, section_points + 2)[1:-1]
    for _ in range(max_rounds):
        active = np.array([p is None for p in out], dtype=bool)
        if not active.any():
            break
        a = np.flatnonzero(active)
        secant = ta[a] - ga[a] * (tb[a] - ta[a]) / (gb[a] - ga[a])
        t_new = np.concatenate(
            [ta[a][:, None] + (tb[a] - ta[a])[:, None] * inner[None, :], secant[:, None]], axis=1
        )
        g_new = _log_ratio(ratio, np.repeat(a, t_new.shape[1]), t_new.ravel(), log).reshape(
            t_new.shape
        )
        for row, j in enumerate(a):
            if abs(g_new[row, -1]) <= rtol:
                out[j] = Parity(
                    float(_to_x(t_new[row, -1], log[j])), float(np.exp(g_new[row, -1])), None
                )
                continue
            t_all = np.concatenate([[ta[j]], t_new[row], [tb[j]]])
            g_all = np.concatenate([[ga[j]], g_new[row], [gb[j]]])
            order = np.argsort(t_all)
            t_all, g_all = t_all[order], g_all[order]
            keep = ~np.isnan(g_all)
            t_all, g_all = t_all[keep], g_all[keep]
            change = np.flatnonzero((g_all[1:] > 0.0) != (g_all[:-1] > 0.0))[0]
            ta[j], tb[j] = t_all[change], t_all[change + 1]
            ga[j], gb[j] = g_all[change], g_all[change + 1]
            if tb[j] - ta[j] <= 4.0 * np.finfo(float).eps * max(1.0, abs(ta[j]), abs(tb[j])):
                out[j] = _step(levers[j], ta[j], tb[j], ga[j], gb[j], log[j])
    for j in np.flatnonzero([p is None for p in out]):
        out[j] = _step(levers[j], ta[j], tb[j], ga[j], gb[j], log[j])
    return [p for p in out if p is not None]


def _step(lever: Lever, ta: float, tb: float, ga: float, gb: float, log: bool) -> Parity:
    """The ratio steps across 1 inside ``[ta, tb]`` without reaching it smoothly."""
    x = float(_to_x(np.array(0.5 * (ta + tb)), np.array(log)))
    return Parity(
        x,
        None,
        f"ratio steps across parity at {x:.6g} {lever.unit} (from {np.exp(ga):.6g} to "
        f"{np.exp(gb):.6g}): it is discontinuous there",
    )


def find_parity(
    ratio: Callable[[np.ndarray], np.ndarray], lever: Lever, **options: float
) -> Parity:
    """Parity of one lever: ``ratio(values)`` is the cost ratio at each of ``values`` (vectorised).
    ``options`` are those of :func:`solve_levers`."""
    return solve_levers(lambda _idx, values: ratio(values), [lever], **options)[0]


def elasticities(
    ratio: BatchRatio, current: Sequence[float], step: float = ELASTICITY_STEP
) -> np.ndarray:
    """``d ln(ratio) / d ln(value)`` of each lever at its current value, shape ``(lever,)``.

    Central difference at ``value (1 +- step)``, all levers in one call of ``ratio``. NaN where
    the current value is zero or not set (NaN), or the ratio is not positive and finite there.
    """
    x = np.asarray(current, dtype=float)
    k = x.size
    idx = np.tile(np.arange(k), 2)
    values = np.concatenate([x * (1.0 + step), x * (1.0 - step)])
    good = np.isfinite(values) & (values != 0.0)
    r = np.full(2 * k, np.nan)
    if good.any():
        r[good] = np.asarray(ratio(idx[good], values[good]), dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        g = np.log(r)
    e = (g[:k] - g[k:]) / (np.log1p(step) - np.log1p(-step))
    return np.where(np.isfinite(e), e, np.nan)


def dominant_lever(names: Sequence[str], elasticity: Sequence[float]) -> str | None:
    """The lever with the largest ``|elasticity|`` (None if no elasticity is finite)."""
    e = np.abs(np.asarray(elasticity, dtype=float))
    if not np.isfinite(e).any():
        return None
    return names[int(np.nanargmax(e))]


def parity_floor(
    ratio_of_overrides: Callable[[Mapping[str, np.ndarray]], np.ndarray],
    overrides: Mapping[str, float] = PARITY_FLOOR_OVERRIDES,
) -> np.ndarray:
    """The cost ratio with launch and satellite hardware free (``overrides``, default
    :data:`PARITY_FLOOR_OVERRIDES`): above 1, no launch or hardware price reaches parity.

    ``ratio_of_overrides`` maps ``{name: array (1,)}`` to the ratio of each design, shape
    ``(design,)``.
    """
    return np.asarray(
        ratio_of_overrides({name: np.array([v], dtype=float) for name, v in overrides.items()}),
        dtype=float,
    )
