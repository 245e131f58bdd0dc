"""The engines a study runs its designs through: the closure's batch path, and the twin.

An engine is called with the parameter values of N designs, shape ``(design, parameter)`` in the
parameters' units, and returns the study's outputs, ``{name: array (design,)}``:

- :class:`ClosureEngine`: ``orbitaldc.closure.evaluate_batch`` over the variants, in slices of
  ``batch`` designs (memory stays flat: only the kept columns outlive a slice), with the
  derived outputs ``failed_checks`` (how many of the closure's checks fail) and ``crossover_year``
  (``orbitaldc.study.crossover``);
- :class:`TwinEngine`: one time-domain twin per design (``orbitaldc.api.simulate``), the design's
  spec with the parameters set (:func:`with_values`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import partial
from typing import Any

import numpy as np

from orbitaldc.closure import evaluate_batch
from orbitaldc.closure.design import cost_profile
from orbitaldc.closure.kernel import CHECK_NAMES
from orbitaldc.economics import crossover
from orbitaldc.spec import DesignSpec
from orbitaldc.study.parameters import Target

#: Designs per ``evaluate_batch`` call: ~1.8 kB of columns per design, so ~90 MB a slice.
BATCH = 50_000


def split_values(
    targets: Sequence[Target], x: np.ndarray
) -> tuple[dict[str, np.ndarray], dict[str, np.ndarray]]:
    """``(overrides, learning)``: the closure overrides and the learning inputs of ``x``, shape
    ``(design, parameter)``."""
    overrides, rates = {}, {}
    for k, t in enumerate(targets):
        column = np.ascontiguousarray(x[:, k], dtype=float)
        if t.override is not None:
            overrides[t.override] = column
        else:
            rates[t.learning] = column
    return overrides, rates


@dataclass(frozen=True)
class ClosureEngine:
    """The closure over N variants of ``spec``; ``fixed`` inputs (e.g. the base design's
    dose-limited ``chip_life_years``) apply to every design unless a parameter sets them."""

    spec: DesignSpec
    targets: tuple[Target, ...]
    outputs: tuple[str, ...]
    fixed: Mapping[str, float] = field(default_factory=dict)
    years: tuple[int, int] = (2025, 2045)
    batch: int = BATCH

    def closure(
        self, overrides: Mapping[str, np.ndarray], keep: Sequence[str] | None = None
    ) -> dict[str, np.ndarray]:
        """``evaluate_batch`` with the fixed inputs, ``batch`` designs at a time; the columns
        ``keep`` (default: every column)."""
        n = max((np.size(v) for v in overrides.values()), default=1)
        parts: list[dict[str, np.ndarray]] = []
        for start in range(0, n, self.batch):
            part = {k: np.asarray(v)[start : start + self.batch] for k, v in overrides.items()}
            m = min(self.batch, n - start)
            for name, value in self.fixed.items():
                part.setdefault(name, np.full(m, value))
            if not part:
                # No override at all: one neutral one gives the slice its length.
                part["lifetime_s"] = np.full(m, float(self.spec.mission.lifetime_s))
            columns = evaluate_batch(self.spec, part)
            parts.append(columns if keep is None else {k: columns[k] for k in keep})
        if len(parts) == 1:
            return parts[0]
        return {k: np.concatenate([p[k] for p in parts]) for k in parts[0]}

    @property
    def profile(self) -> dict[str, float]:
        """The design's cost-profile values (base year and learning inputs of the crossover)."""
        return {k: v["value"] for k, v in cost_profile(self.spec).items()}

    def __call__(self, x: np.ndarray) -> dict[str, np.ndarray]:
        """The outputs of the N designs ``x``, shape ``(design, parameter)``."""
        overrides, rates = split_values(self.targets, x)
        n = x.shape[0]
        wanted = [o for o in self.outputs if o not in ("crossover_year", "failed_checks")]
        needs = [*wanted, *(f"ok_{c}" for c in CHECK_NAMES)]
        if "crossover_year" in self.outputs:
            needs += crossover.NEEDS
        costs = partial(self.closure, keep=crossover.COSTS)
        out: dict[str, list[np.ndarray]] = {name: [] for name in self.outputs}
        for start in range(0, n, self.batch):
            m = min(self.batch, n - start)
            rows = {k: v[start : start + m] for k, v in overrides.items()}
            if not rows:
                rows = {"lifetime_s": np.full(m, float(self.spec.mission.lifetime_s))}
            kept = self.closure(rows, keep=dict.fromkeys(needs))
            for name in wanted:
                out[name].append(np.asarray(kept[name], dtype=float))
            if "failed_checks" in self.outputs:
                failed = sum(1.0 - kept[f"ok_{c}"] for c in CHECK_NAMES)
                out["failed_checks"].append(np.asarray(failed, dtype=float))
            if "crossover_year" in self.outputs:
                years = np.arange(self.years[0], self.years[1] + 1)
                slice_rates = {k: v[start : start + m] for k, v in rates.items()}
                year = crossover.crossover_years(
                    self.profile, costs, rows, kept, years, slice_rates
                ).year
                out["crossover_year"].append(year)
        return {k: np.concatenate(v) for k, v in out.items()}


def with_values(spec: DesignSpec, targets: Sequence[Target], values: Sequence[float]) -> DesignSpec:
    """``spec`` with each target's spec attribute set to its value (in the target's unit).

    The copy is not validated again (the values are SI floats; a study checks its ranges).
    """
    for t, value in zip(targets, values, strict=True):
        if t.spec_field is None:
            raise ValueError(f"{t.path} is not a key of the design spec")
        si: Any = float(value) / t.from_si
        if t.integer:
            si = int(round(si))
        spec = _set(spec, t.spec_field, si)
    return spec


def _set(model: Any, path: tuple[str, ...], value: Any) -> Any:
    if len(path) == 1:
        return model.model_copy(update={path[0]: value})
    child = getattr(model, path[0])
    if child is None:
        raise ValueError(f"the design has no [{path[0]}] section to set {'.'.join(path)} in")
    return model.model_copy(update={path[0]: _set(child, path[1:], value)})


@dataclass(frozen=True)
class TwinEngine:
    """One twin per design: ``duration_s`` at ``step_s``, with the radiation chain driving the
    faults and the array degradation when ``radiation``."""

    spec: DesignSpec
    targets: tuple[Target, ...]
    outputs: tuple[str, ...]
    duration_s: float
    step_s: float
    radiation: bool = False

    def __call__(self, x: np.ndarray) -> dict[str, np.ndarray]:
        from orbitaldc import api

        out = {name: np.empty(x.shape[0]) for name in self.outputs}
        for i, row in enumerate(x):
            spec = with_values(self.spec, self.targets, row)
            sim = api.simulate(
                spec,
                self.duration_s,
                self.step_s,
                series_satellites=0,
                radiation=self.radiation,
            )
            figures = sim.run().summary
            for name in self.outputs:
                out[name][i] = float(figures[name])
        return out
