"""Closed-form, first-order design closure: does the design close, what does it weigh and cost.

:func:`evaluate` sizes one spec and returns the ``summary.json`` dict; :func:`evaluate_batch`
(:mod:`orbitaldc.closure.batch`) sizes N variants of a spec in one vectorised call and returns
flat arrays.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from orbitaldc.closure.batch import evaluate_batch
from orbitaldc.closure.design import OVERRIDABLE, design_inputs
from orbitaldc.closure.kernel import close
from orbitaldc.closure.summary import build_summary, design_row
from orbitaldc.spec import DesignSpec

__all__ = ["OVERRIDABLE", "Closure", "close_design", "evaluate", "evaluate_batch"]


@dataclass(frozen=True)
class Closure:
    """One design closed: its full-precision figures and its ``summary.json`` structure.

    ``figures`` holds every input and result of the closure as SI floats (the names of
    :func:`evaluate_batch`'s columns); ``summary`` is the rounded public dict (docs/summary.md).
    Engines downstream (the twin, the radiation chain) read ``figures``, never the rounded summary.
    """

    figures: dict[str, float]
    summary: dict[str, Any]


def close_design(spec: DesignSpec, overrides: Mapping[str, float] | None = None) -> Closure:
    """Close one design: full-precision figures and the ``summary.json`` dict, in one pass.

    ``overrides`` replaces inputs by name (:data:`OVERRIDABLE`, SI), e.g. the radiation chain's
    dose-limited ``chip_life_years``.
    """
    arrays = {k: np.array([v], dtype=float) for k, v in (overrides or {}).items()}
    design, _ = design_inputs(spec, arrays)
    results = close(design)
    return Closure(design_row(design, results), build_summary(spec, design, results))


def evaluate(spec: DesignSpec) -> dict[str, Any]:
    """Close one design and return its ``summary.json`` structure (see docs/summary.md)."""
    return close_design(spec).summary
