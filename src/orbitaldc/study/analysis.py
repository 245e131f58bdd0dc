"""What a study's rows say: percentiles and probabilities, break-even lines, the crossover-year
distribution, Sobol' indices and tornado bars. Pure functions of arrays; JSON-safe results.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

import numpy as np

from orbitaldc.study import sampling
from orbitaldc.study.distributions import Distribution
from orbitaldc.study.runner import json_float

#: The percentiles a Monte Carlo digest reports (P10, P50, P90).
PERCENTILES = (10.0, 50.0, 90.0)
#: The closure's verdict column: space costs less than the ground where it is below 1.
RATIO = "space_to_ground_cost_ratio"


def percentiles(values: np.ndarray, q: Sequence[float] = PERCENTILES) -> dict[str, Any]:
    """``{"p10", "p50", "p90", "mean", "finite"}`` of the finite ``values`` (numpy's default
    linear interpolation between order statistics); None where no value is finite."""
    v = np.asarray(values, dtype=float)
    ok = v[np.isfinite(v)]
    out: dict[str, Any] = {f"p{int(p)}": None for p in q}
    out["mean"] = None
    out["finite"] = int(ok.size)
    if ok.size:
        for p, x in zip(q, np.percentile(ok, q), strict=True):
            out[f"p{int(p)}"] = json_float(x)
        out["mean"] = json_float(ok.mean())
    return out


def verdict(columns: Mapping[str, np.ndarray]) -> dict[str, Any]:
    """``p_closes`` and ``p_space_beats_ground`` (the design closes and its cost ratio is below
    1) over the rows, when those columns are there."""
    out: dict[str, Any] = {}
    closes = np.asarray(columns["closes"]) > 0.5 if "closes" in columns else None
    if closes is not None:
        out["p_closes"] = float(closes.mean())
    if RATIO in columns:
        ratio = np.asarray(columns[RATIO], dtype=float)
        with np.errstate(invalid="ignore"):
            beats = ratio < 1.0
        if closes is not None:
            beats &= closes
        out["p_space_beats_ground"] = float(beats.mean())
    return out


def breakeven_line(
    x: np.ndarray, y: np.ndarray, ratio: np.ndarray, log_y: bool = False
) -> list[float | None]:
    """For each ``x[i]``, the ``y`` at which ``ratio[i, :]`` first crosses 1 (linear
    interpolation of ``ln ratio`` in ``y``, or in ``ln y`` when ``log_y``), None where it does not
    cross; ``ratio`` has shape ``(len(x), len(y))``."""
    t = np.log(y) if log_y else np.asarray(y, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        g = np.log(np.asarray(ratio, dtype=float))
    out: list[float | None] = []
    for row in g:
        ok = np.isfinite(row)
        crossing = np.flatnonzero(ok[:-1] & ok[1:] & ((row[:-1] > 0) != (row[1:] > 0)))
        if crossing.size == 0:
            out.append(None)
            continue
        j = crossing[0]
        t0 = t[j] - row[j] * (t[j + 1] - t[j]) / (row[j + 1] - row[j])
        out.append(json_float(np.exp(t0) if log_y else t0))
    return out


def crossover_distribution(years: np.ndarray, first: int, last: int) -> dict[str, Any]:
    """The crossover year over the samples: P10/P50/P90 (a sample without a crossover by
    ``last`` counts as later than every year: a percentile that falls there is None), the
    fraction crossed by each year (the CDF) and the fraction that never crosses in range."""
    y = np.asarray(years, dtype=float)
    later = np.where(np.isnan(y), np.inf, y)
    out: dict[str, Any] = {}
    for p in PERCENTILES:
        v = np.percentile(later, p, method="inverted_cdf")
        out[f"p{int(p)}"] = int(v) if np.isfinite(v) else None
    calendar = np.arange(first, last + 1)
    out["years"] = calendar.tolist()
    out["fraction_crossed_by_year"] = [float((later <= c).mean()) for c in calendar]
    out["fraction_never"] = float(np.isnan(y).mean())
    return out


def sobol_analyze(
    y: np.ndarray, d: int, seed: int, num_resamples: int = 200
) -> dict[str, np.ndarray] | None:
    """First-order and total Sobol' indices (with 95 % bootstrap half-widths) of the model
    values ``y`` on Saltelli's points (:func:`orbitaldc.study.sampling.saltelli`, no second
    order), by SALib's estimators (Saltelli et al., Comput. Phys. Commun. 181 (2010) 259-270,
    for S1; Jansen 1999 for ST). None if a value is not finite (the estimators need them all).
    Returns ``{"S1", "S1_conf", "ST", "ST_conf"}``, each of shape ``(parameter,)``."""
    from SALib.analyze import sobol

    y = np.asarray(y, dtype=float)
    if not np.all(np.isfinite(y)):
        return None
    problem = {"num_vars": d, "names": [f"x{k}" for k in range(d)], "bounds": [[0.0, 1.0]] * d}
    if np.ptp(y) == 0.0:
        zero = np.zeros(d)
        return {"S1": zero, "S1_conf": zero, "ST": zero, "ST_conf": zero}
    s = sobol.analyze(
        problem,
        y,
        calc_second_order=False,
        num_resamples=num_resamples,
        conf_level=0.95,
        print_to_console=False,
        # SALib takes a seed of 0 for "none" and would bootstrap from numpy's global generator.
        seed=seed + 1,
    )
    return {k: np.asarray(s[k], dtype=float) for k in ("S1", "S1_conf", "ST", "ST_conf")}


def sobol_indices(
    model: Callable[[np.ndarray], Mapping[str, np.ndarray]],
    distributions: Sequence[Distribution],
    base: int,
    seed: int,
) -> dict[str, dict[str, np.ndarray] | None]:
    """Sobol' indices of every output of ``model`` (values ``(row, parameter)`` -> ``{output:
    (row,)}``) over independent inputs with ``distributions``: Saltelli's ``base (D + 2)``
    points, mapped through each inverse CDF, then :func:`sobol_analyze` per output."""
    d = len(distributions)
    unit = sampling.saltelli(base, d, seed)
    x = np.stack([dist.ppf(unit[:, k]) for k, dist in enumerate(distributions)], axis=1)
    out = model(x)
    return {name: sobol_analyze(y, d, seed) for name, y in out.items()}


def tornado_points(
    distributions: Sequence[Distribution], low: float, high: float
) -> tuple[np.ndarray, np.ndarray]:
    """The tornado chart's designs: row 0 every parameter at its median; rows ``1 + 2k`` and
    ``2 + 2k`` parameter k at its ``low`` and ``high`` quantile, the others at their medians.
    Returns ``(unit points, shape (1 + 2D, D); quantiles used)``."""
    d = len(distributions)
    unit = np.full((1 + 2 * d, d), 0.5)
    for k in range(d):
        unit[1 + 2 * k, k] = low
        unit[2 + 2 * k, k] = high
    return unit, np.array([low, high])


def tornado_bars(names: Sequence[str], x: np.ndarray, y: np.ndarray) -> dict[str, Any]:
    """Bars of the tornado chart from the outputs ``y`` at :func:`tornado_points`: the base
    value and, per parameter, its low and high values and the output there, sorted by swing
    ``|y(high) - y(low)|``, largest first."""
    bars = [
        {
            "parameter": name,
            "low": json_float(x[1 + 2 * k, k]),
            "high": json_float(x[2 + 2 * k, k]),
            "output_at_low": json_float(y[1 + 2 * k]),
            "output_at_high": json_float(y[2 + 2 * k]),
            "swing": json_float(abs(y[2 + 2 * k] - y[1 + 2 * k])),
        }
        for k, name in enumerate(names)
    ]
    bars.sort(key=lambda b: -1.0 if b["swing"] is None else b["swing"], reverse=True)
    return {"base": json_float(y[0]), "bars": bars}
