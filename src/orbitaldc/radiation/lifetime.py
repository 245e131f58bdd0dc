"""Step 3, lifetime: years to the accelerator's total-dose tolerance, and the shielding (and the
satellite mass with it) that makes the mission lifetime with the radiation design margin."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from orbitaldc.physics.constants import SECONDS_PER_YEAR
from orbitaldc.physics.radiation import damage, dose
from orbitaldc.radiation.constants import RADIATION_DESIGN_MARGIN
from orbitaldc.radiation.dose_depth import DoseDepth
from orbitaldc.radiation.inputs import Inputs


@dataclass(frozen=True)
class Lifetime:
    """``tolerance_rad_si``: the accelerator's total-dose onset (``None`` when the catalog has no
    data, and then every other field is ``None``); ``lifetime_years`` to reach it behind the design
    shielding; ``shielding_needed_m`` for the mission with :data:`RADIATION_DESIGN_MARGIN`
    (``None`` when the thickest curve point is not enough); ``satellite_mass_kg`` the closed
    satellite mass with that shielding (``None`` without a mass model or a solution)."""

    tolerance_rad_si: float | None
    lifetime_years: float | None
    shielding_needed_m: float | None
    satellite_mass_kg: float | None


def lifetime(
    inputs: Inputs,
    dose_depth: DoseDepth,
    satellite_mass_kg: Callable[[float], float] | None = None,
) -> Lifetime:
    """Step 3 (``physics.radiation.damage``: ``lifetime_years``, ``shielding_for_lifetime_g_cm2``)
    on the worst shell's dose-depth curve; ``satellite_mass_kg(shielding_m) -> kg`` is the
    caller's mass model (the closure)."""
    tolerance = inputs.accelerator.tid_onset_rad_si
    if tolerance is None:
        return Lifetime(None, None, None, None)
    years = float(
        damage.lifetime_years(dose_depth.total_at_shielding / SECONDS_PER_YEAR, tolerance)
    )
    needed = float(
        damage.shielding_for_lifetime_g_cm2(
            dose_depth.areal_mass_g_cm2,
            dose_depth.total_rad_si_per_year[dose_depth.worst_shell] / SECONDS_PER_YEAR,
            tolerance,
            inputs.lifetime_years,
            design_margin=RADIATION_DESIGN_MARGIN,
        )
    )
    if not np.isfinite(needed):
        return Lifetime(tolerance, years, None, None)
    needed_m = float(dose.thickness_m(needed))
    mass = None if satellite_mass_kg is None else float(satellite_mass_kg(needed_m))
    return Lifetime(tolerance, years, needed_m, mass)
