"""orbitaldc: physics-based design and simulation of orbital AI data centers.

Quick start::

    import orbitaldc
    spec = orbitaldc.load_spec("scenarios/suncatcher-81.toml")
    result = orbitaldc.run(spec)                # what `orbitaldc run` writes, as values
    print(result.summary["closes"], result.figures["mass_kg"])
    summary = orbitaldc.evaluate(spec)          # the closure alone: the summary.json dict

The pipeline (:mod:`orbitaldc.api`): ``run``, ``simulate``, ``assess_radiation``, ``orbit_year``.

The physics lives in :mod:`orbitaldc.physics` as pure, vectorised functions. The top-level names
are imported lazily so that ``import orbitaldc.physics.sun`` stays light.
"""

from __future__ import annotations

from typing import Any

__version__ = "0.1.0"
__all__ = [
    "DesignSpec",
    "SpecError",
    "assess_radiation",
    "evaluate",
    "evaluate_batch",
    "load_spec",
    "orbit_year",
    "run",
    "simulate",
    "__version__",
]

_LAZY = {
    "run": "orbitaldc.api",
    "simulate": "orbitaldc.api",
    "assess_radiation": "orbitaldc.api",
    "orbit_year": "orbitaldc.api",
    "evaluate": "orbitaldc.closure",
    "evaluate_batch": "orbitaldc.closure",
    "load_spec": "orbitaldc.spec",
    "DesignSpec": "orbitaldc.spec",
    "SpecError": "orbitaldc.spec",
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'orbitaldc' has no attribute {name!r}")
