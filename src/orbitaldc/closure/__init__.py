"""Closed-form, first-order design closure: does the design close, what does it weigh and cost.

:func:`evaluate` sizes one spec and returns the ``summary.json`` dict; :func:`evaluate_batch`
sizes N variants of a spec in one vectorised call and returns flat arrays.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
from numpy.typing import ArrayLike

from orbitaldc.closure.design import OVERRIDABLE, design_arrays
from orbitaldc.closure.kernel import close
from orbitaldc.closure.summary import build_summary
from orbitaldc.spec import DesignSpec

__all__ = ["OVERRIDABLE", "evaluate", "evaluate_batch"]


def evaluate(spec: DesignSpec) -> dict[str, Any]:
    """Close one design and return its ``summary.json`` structure (see docs/summary.md)."""
    design = design_arrays(spec)
    return build_summary(spec, design, close(design))


def evaluate_batch(
    spec: DesignSpec, overrides: Mapping[str, ArrayLike] | None = None
) -> dict[str, np.ndarray]:
    """Close N variants of ``spec`` in one vectorised call.

    Parameters
    ----------
    spec : DesignSpec
        The base design.
    overrides : mapping of str to array_like, optional
        Per-design values, all of length N, for any name in
        :data:`orbitaldc.closure.design.OVERRIDABLE` (SI units), e.g.
        ``{"altitude_m": np.linspace(500e3, 1200e3, 1000)}``.

    Returns
    -------
    dict of str to ndarray, shape (N,)
        Every input and result of the closure; ``closes`` is 1.0 where the design closes. Pass it
        to ``pandas.DataFrame`` for a table.
    """
    design = design_arrays(spec, overrides)
    return {**design, **close(design)}
