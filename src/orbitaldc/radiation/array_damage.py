"""Step 4, array damage: displacement damage behind the cover glass -> the solar array's remaining
power versus mission time (the table the twin interpolates)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from orbitaldc.physics.radiation import damage
from orbitaldc.radiation.constants import ARRAY_TABLE_POINTS
from orbitaldc.radiation.dose_depth import DoseDepth
from orbitaldc.radiation.environment import Environment
from orbitaldc.radiation.inputs import Inputs


@dataclass(frozen=True)
class ArrayDamage:
    """``years`` ``(n,)`` from 0 to the mission lifetime and ``remaining_factor`` ``(n,)``, P/P0 of
    the worst shell; ``catalog_factor_eol``: the catalog's flat yearly degradation over the
    mission, for comparison."""

    years: np.ndarray
    remaining_factor: np.ndarray
    catalog_factor_eol: float


def array_damage(inputs: Inputs, env: Environment, dose_depth: DoseDepth) -> ArrayDamage:
    """Step 4: NRL displacement-damage-dose method (``physics.radiation.damage``) on the worst
    shell's trapped protons, electrons and solar protons, front face behind the cover glass."""
    w = dose_depth.worst_shell
    cover = inputs.cover_glass_g_cm2
    ddd_rate = (
        damage.displacement_damage_dose_rate_mev_per_g_s(
            env.proton_energies_mev,
            env.trapped.proton_mean_per_cm2_s[w],
            "proton",
            cover_glass_g_cm2=cover,
        )
        + damage.displacement_damage_dose_rate_mev_per_g_s(
            env.electron_energies_mev,
            env.trapped.electron_mean_per_cm2_s[w],
            "electron",
            cover_glass_g_cm2=cover,
        )
        + damage.displacement_damage_dose_rate_mev_per_g_s(
            env.solar_energies_mev,
            env.solar_proton_integral_per_cm2_s[w],
            "proton",
            cover_glass_g_cm2=cover,
        )
    )
    years = np.linspace(0.0, inputs.lifetime_years, ARRAY_TABLE_POINTS)
    years, factor = damage.power_factor_table(float(ddd_rate), years, curve=inputs.array_curve)
    return ArrayDamage(
        years=years,
        remaining_factor=np.asarray(factor),
        catalog_factor_eol=float(
            (1.0 - inputs.array_degradation_per_year) ** inputs.lifetime_years
        ),
    )
