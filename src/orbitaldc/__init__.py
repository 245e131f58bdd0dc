"""orbitaldc: physics-based design and simulation of orbital AI data centers.

The public entry points are :func:`orbitaldc.load_spec`, :func:`orbitaldc.evaluate` and
:func:`orbitaldc.evaluate_batch`; the physics lives in :mod:`orbitaldc.physics` as pure,
vectorised functions.
"""

__version__ = "0.1.0"
