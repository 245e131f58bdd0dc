"""Step 2, dose: dose-depth curves per source for every shell, the worst shell, and the dose at the
design shielding (with the other field epoch's trapped dose, the model spread stated)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from orbitaldc.physics.constants import SECONDS_PER_YEAR
from orbitaldc.physics.radiation import dose, trapped
from orbitaldc.radiation.constants import SOURCES, THICKNESS_GRID_M
from orbitaldc.radiation.environment import Environment
from orbitaldc.radiation.inputs import Inputs


@dataclass(frozen=True)
class DoseDepth:
    """Ionising dose in silicon behind aluminium, rad(Si) per year.

    ``thickness_m`` ``(thickness,)``: :data:`THICKNESS_GRID_M` with the design shielding added;
    ``areal_mass_g_cm2`` the same in g/cm^2; ``rad_si_per_year`` ``{source: (shell, thickness)}``
    over :data:`SOURCES`; ``worst_shell`` the shell with the highest total at the shielding (the one
    reported), ``shielding_index`` the curve point nearest the shielding (``shielding_g_cm2``);
    ``at_shielding`` ``{source: rad(Si)/yr}`` and ``total_at_shielding`` for the worst shell;
    ``other_epoch_trapped_rad_si_per_year`` its trapped dose with ``inputs.other_field_epoch``.
    """

    thickness_m: np.ndarray
    areal_mass_g_cm2: np.ndarray
    rad_si_per_year: dict[str, np.ndarray]
    shielding_g_cm2: float
    shielding_index: int
    worst_shell: int
    at_shielding: dict[str, float]
    total_at_shielding: float
    other_epoch_trapped_rad_si_per_year: float

    @property
    def total_rad_si_per_year(self) -> np.ndarray:
        """Sum over sources, ``(shell, thickness)``."""
        return sum(self.rad_si_per_year.values())

    @property
    def trapped_at_shielding(self) -> float:
        """Trapped protons, electrons and their bremsstrahlung at the shielding, rad(Si)/yr."""
        d = self.at_shielding
        return d["trapped_protons"] + d["trapped_electrons"] + d["bremsstrahlung"]


def shielding_g_cm2(inputs: Inputs) -> float:
    """Areal mass of the design shielding, g/cm^2 (1 um at least: the curves start above zero)."""
    return float(dose.areal_mass_g_cm2(max(inputs.shielding_m, 1e-6)))


def dose_depth(inputs: Inputs, env: Environment) -> DoseDepth:
    """Step 2: SHIELDOSE-2-type dose-depth curves (``physics.radiation.dose``) of the trapped
    protons, electrons, their bremsstrahlung and the solar protons, in the spec's geometry."""
    thickness_m = np.unique(np.append(THICKNESS_GRID_M, max(inputs.shielding_m, 1e-6)))
    g_cm2 = dose.areal_mass_g_cm2(thickness_m)
    geometry = inputs.shielding_geometry
    e_p, e_e = env.proton_energies_mev, env.electron_energies_mev
    trapped_p = env.trapped.proton_mean_per_cm2_s
    trapped_e = env.trapped.electron_mean_per_cm2_s
    per_s = {
        "trapped_protons": dose.dose_depth_rad_si_per_s(e_p, trapped_p, "proton", g_cm2, geometry),
        "trapped_electrons": dose.dose_depth_rad_si_per_s(
            e_e, trapped_e, "electron", g_cm2, geometry
        ),
        "bremsstrahlung": dose.dose_depth_rad_si_per_s(
            e_e, trapped_e, "bremsstrahlung", g_cm2, geometry
        ),
        "solar_protons": dose.dose_depth_rad_si_per_s(
            env.solar_energies_mev, env.solar_proton_integral_per_cm2_s, "proton", g_cm2, geometry
        ),
    }
    per_year = {k: per_s[k] * SECONDS_PER_YEAR for k in SOURCES}
    total = sum(per_year.values())
    shield = shielding_g_cm2(inputs)
    k = int(np.argmin(np.abs(g_cm2 - shield)))
    worst = int(np.argmax(total[:, k]))
    return DoseDepth(
        thickness_m=thickness_m,
        areal_mass_g_cm2=g_cm2,
        rad_si_per_year=per_year,
        shielding_g_cm2=shield,
        shielding_index=k,
        worst_shell=worst,
        at_shielding={s: float(v[worst, k]) for s, v in per_year.items()},
        total_at_shielding=float(total[worst, k]),
        other_epoch_trapped_rad_si_per_year=other_epoch_trapped_dose(inputs, env, worst, shield),
    )


def other_epoch_trapped_dose(
    inputs: Inputs, env: Environment, shell: int, shielding: float
) -> float:
    """Trapped dose (rad(Si)/yr) of ``shell`` behind ``shielding`` g/cm^2 with the trapped maps
    placed by ``inputs.other_field_epoch``: the field-epoch spread, stated, not hidden."""
    other = trapped.trapped_along_orbit(
        env.r_eci_m[shell : shell + 1],
        env.t_s,
        inputs.proton_phase,
        inputs.electron_phase,
        inputs.other_field_epoch,
        series_energy_mev=None,
    )
    e_p, e_e = env.proton_energies_mev, env.electron_energies_mev
    geometry = inputs.shielding_geometry
    return float(
        sum(
            dose.dose_depth_rad_si_per_s(energies, spectrum, kind, shielding, geometry)[0, 0]
            for energies, spectrum, kind in (
                (e_p, other.proton_mean_per_cm2_s, "proton"),
                (e_e, other.electron_mean_per_cm2_s, "electron"),
                (e_e, other.electron_mean_per_cm2_s, "bremsstrahlung"),
            )
        )
        * SECONDS_PER_YEAR
    )
