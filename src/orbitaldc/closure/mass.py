"""Satellite mass roll-up: compute, array, radiator, battery, shielding, structure and bus.

Structure, harness and ADCS/propulsion scale with the satellite's dry mass as fractions (SMAD 3rd
ed., table 10-31 and appendix A: structure ~20-25 % of dry mass), so the total is the fixed point of
``m = m_sub + f m``; it is solved exactly, ``m = m_sub / (1 - f)``, which is what iterating the
roll-up to convergence gives. Vectorised over designs.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike


def shielding_mass_kg(
    enclosed_volume_m3: ArrayLike, thickness_m: ArrayLike, density_kg_m3: ArrayLike
) -> np.ndarray:
    """Mass of a cubic aluminium-equivalent shell of ``thickness_m`` around the compute, kg.

    The compute (accelerators with their host share) is taken as a cube of ``enclosed_volume_m3``;
    the shell is ``rho ((L + 2t)^3 - L^3)``. A cube maximises neither nor minimises area: it is the
    first-order enclosure used in spot-shielding trade studies.
    """
    side = np.cbrt(np.asarray(enclosed_volume_m3, dtype=float))
    t = np.asarray(thickness_m, dtype=float)
    return np.asarray(density_kg_m3) * ((side + 2.0 * t) ** 3 - side**3)


def closed_mass_kg(subsystem_mass_kg: ArrayLike, scaling_fraction: ArrayLike) -> np.ndarray:
    """Total dry mass from the subsystem masses and the mass fractions that scale with it, kg.

    Returns ``inf`` where the fractions add to 1 or more (no mass closes).
    """
    f = np.asarray(scaling_fraction, dtype=float)
    with np.errstate(divide="ignore"):
        return np.where(
            f < 1.0, np.asarray(subsystem_mass_kg) / np.where(f < 1.0, 1.0 - f, 1.0), np.inf
        )
