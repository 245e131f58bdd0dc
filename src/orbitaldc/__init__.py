"""orbitaldc: physics-based design and simulation of orbital AI data centers.

Quick start::

    import orbitaldc
    spec = orbitaldc.load_spec("scenarios/suncatcher-81.toml")
    summary = orbitaldc.evaluate(spec)          # the summary.json dict
    print(summary["closes"], summary["satellite"]["mass_kg"])

The physics lives in :mod:`orbitaldc.physics` as pure, vectorised functions. The top-level names
are imported lazily so that ``import orbitaldc.physics.sun`` stays light.
"""

from __future__ import annotations

from typing import Any

__version__ = "0.1.0"
__all__ = ["DesignSpec", "SpecError", "evaluate", "evaluate_batch", "load_spec", "__version__"]

_LAZY = {
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
