"""A parameter's spread: a distribution given by its inverse CDF, and the grid a sweep walks.

Every sampler of a study (grid, Latin hypercube, Monte Carlo, Saltelli, the optimiser's decision
space) draws points in the unit hypercube and maps each coordinate through :meth:`Distribution.ppf`,
so one mapping serves them all and a study's draws depend only on its seed.

Kinds (values in the parameter's unit):

- ``uniform``: ``low`` to ``high``; with ``scale = "log"`` log-uniform (``low > 0``);
- ``normal``: ``mean``, ``sd``; optionally truncated to ``[low, high]``;
- ``lognormal``: ``median`` and ``sigma`` (standard deviation of the natural log, so the P10-P90
  range is ``median * exp(+-1.2816 sigma)``); optionally truncated to ``[low, high]``;
- ``triangular``: ``low``, ``mode``, ``high``.

Truncation renormalises the CDF over ``[F(low), F(high)]`` (inverse-transform sampling of a
truncated distribution; Devroye, *Non-Uniform Random Variate Generation*, 1986, sec. II.2).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike
from scipy.special import ndtr, ndtri


@dataclass(frozen=True)
class Distribution:
    """One parameter's distribution; every value in the parameter's unit (NaN: not given)."""

    kind: str
    low: float = math.nan
    high: float = math.nan
    mode: float = math.nan
    mean: float = math.nan
    sd: float = math.nan
    median: float = math.nan
    sigma: float = math.nan
    scale: str = "linear"

    def ppf(self, u: ArrayLike) -> np.ndarray:
        """Inverse CDF at ``u`` in [0, 1), vectorised; shape of ``u``."""
        u = np.asarray(u, dtype=float)
        if self.kind == "uniform":
            if self.scale == "log":
                return self.low * (self.high / self.low) ** u
            return self.low + (self.high - self.low) * u
        if self.kind == "triangular":
            a, c, b = self.low, self.mode, self.high
            split = (c - a) / (b - a)
            with np.errstate(invalid="ignore"):
                left = a + np.sqrt(u * (b - a) * (c - a))
                right = b - np.sqrt((1.0 - u) * (b - a) * (b - c))
            return np.where(u < split, left, right)
        if self.kind == "normal":
            loc, width = self.mean, self.sd
        else:
            loc, width = math.log(self.median), self.sigma
        # u = 0 (probability 2^-53 per draw) would map to -inf: keep it a finite extreme.
        p = np.clip(self._truncated(u, loc, width), 1e-300, None)
        z = ndtri(p)
        x = loc + width * z
        return np.exp(x) if self.kind == "lognormal" else x

    def _truncated(self, u: np.ndarray, loc: float, width: float) -> np.ndarray:
        """``u`` mapped into ``[F(low), F(high)]`` of the (log-)normal CDF."""
        low, high = self.low, self.high
        if self.kind == "lognormal":
            low = math.log(low) if low > 0 else -math.inf
            high = math.log(high) if math.isfinite(high) else math.inf
        f_low = float(ndtr((low - loc) / width)) if math.isfinite(low) else 0.0
        f_high = float(ndtr((high - loc) / width)) if math.isfinite(high) else 1.0
        return f_low + (f_high - f_low) * u

    def bounds(self) -> tuple[float, float]:
        """``(low, high)``: the range a grid walks and an optimiser searches."""
        return self.low, self.high

    def grid(self, points: int) -> np.ndarray:
        """``points`` values from ``low`` to ``high`` (geometric for ``scale = "log"``)."""
        if self.scale == "log":
            return np.geomspace(self.low, self.high, points)
        return np.linspace(self.low, self.high, points)

    def median_value(self) -> float:
        """The distribution's median (the tornado chart's base point)."""
        return float(self.ppf(np.array(0.5)))


def check(d: Distribution) -> list[tuple[str, str]]:
    """Problems with ``d`` as ``(key, message)`` pairs (empty when it is usable)."""
    problems: list[tuple[str, str]] = []
    needs = {
        "uniform": ("low", "high"),
        "normal": ("mean", "sd"),
        "lognormal": ("median", "sigma"),
        "triangular": ("low", "mode", "high"),
    }[d.kind]
    for key in needs:
        if math.isnan(getattr(d, key)):
            problems.append((key, f"required for a {d.kind} distribution"))
    if problems:
        return problems
    if not math.isnan(d.low) and not math.isnan(d.high) and not d.low < d.high:
        problems.append(("high", f"must exceed low ({d.low:g}), got {d.high:g}"))
    if d.kind == "triangular" and not d.low <= d.mode <= d.high:
        problems.append(("mode", f"must lie in [low, high] = [{d.low:g}, {d.high:g}]"))
    if d.kind == "normal" and not d.sd > 0:
        problems.append(("sd", f"must be positive, got {d.sd:g}"))
    if d.kind == "lognormal":
        if not d.median > 0:
            problems.append(("median", f"must be positive, got {d.median:g}"))
        if not d.sigma > 0:
            problems.append(("sigma", f"must be positive, got {d.sigma:g}"))
    if d.scale == "log" and not d.low > 0:
        problems.append(("low", f"a log scale needs low > 0, got {d.low:g}"))
    return problems
