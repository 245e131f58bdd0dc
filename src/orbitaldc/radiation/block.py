"""Step 7, the block: the ``radiation{}`` summary of summary.json from the steps' results."""

from __future__ import annotations

from typing import Any

import numpy as np

from orbitaldc.radiation.array_damage import ArrayDamage
from orbitaldc.radiation.constants import RADIATION_DESIGN_MARGIN, SAA_ENERGY_MEV, SAMPLE_DAYS
from orbitaldc.radiation.dose_depth import DoseDepth
from orbitaldc.radiation.environment import Environment
from orbitaldc.radiation.inputs import Inputs
from orbitaldc.radiation.lifetime import Lifetime
from orbitaldc.radiation.saa import SaaDay
from orbitaldc.radiation.shielded import Shielded
from orbitaldc.radiation.single_events import SingleEvents


def model_notes(inputs: Inputs, env: Environment) -> dict[str, str]:
    """The ``model{}`` entries: which model and which choice each figure comes from."""
    active, modelled = env.solar_active_years, env.solar_model_years
    return {
        "trapped": f"AP8 {inputs.proton_phase.upper()} protons, AE8 "
        f"{inputs.electron_phase.upper()} electrons (NASA AE8/AP8 via radbelt), placed by the "
        f"IGRF {inputs.field_epoch:.0f} field; AE8/AP8 are quoted to ~2x (Vette 1991)",
        "solar_protons": (
            "ESP (Xapsos et al. 2000; NASA 2002 parameters, ECSS-E-ST-10-04C Table B-8)"
            if inputs.esp
            else "JPL-91"
        )
        + f", {inputs.solar_proton_confidence:.0%} confidence, {modelled:.2f} solar-active years"
        + (f" ({active:.2f} in the mission, one-year floor)" if modelled > active else ""),
        "solar_proton_model": inputs.solar_proton_model,
        "solar_event": "CREME96 worst case (Tylka et al. 1997; ECSS-E-ST-10-04C Tables B-10, "
        "B-11), protons only: peak 5 minutes at the orbit's least-shielded sample, worst day "
        "through the orbit-averaged cutoff transmission",
        "cosmic_rays": f"Burger et al. 2000 LIS, force field phi = {inputs.gcr_phi_mv:.0f} MV",
        "dose": f"SHIELDOSE-2-type, {inputs.shielding_geometry} geometry, aluminium shield, "
        "silicon target",
        "geomagnetic": "Stormer vertical cutoff, centred dipole (IGRF-13), Earth shadow",
    }


def block(
    inputs: Inputs,
    env: Environment,
    dose_depth: DoseDepth,
    life: Lifetime,
    array: ArrayDamage,
    shielded: Shielded,
    events: SingleEvents,
    day: SaaDay,
) -> dict[str, Any]:
    """Step 7: the ``radiation{}`` block (docs/radiation.md), per satellite of the worst shell
    unless named ``fleet``."""
    d = dose_depth
    trapped_here = d.trapped_at_shielding
    other = d.other_epoch_trapped_rad_si_per_year
    k10 = int(np.argmin(np.abs(shielded.event_energies_mev - SAA_ENERGY_MEV)))
    return {
        "model": model_notes(inputs, env),
        "shells_assessed": int(env.shells.size),
        "sample_days": SAMPLE_DAYS,
        "shielding_mm": inputs.shielding_m * 1e3,
        "shielding_g_cm2": d.shielding_g_cm2,
        "dose_rad_si_per_year": {"total": d.total_at_shielding, **d.at_shielding},
        "trapped_dose_field_spread": {
            "other_field_epoch": inputs.other_field_epoch,
            "trapped_rad_si_per_year": other,
            "ratio": float(other / trapped_here) if trapped_here > 0 else None,
        },
        "mission_years": inputs.lifetime_years,
        "mission_dose_rad_si": d.total_at_shielding * inputs.lifetime_years,
        "tid_tolerance_rad_si": life.tolerance_rad_si,
        "lifetime_years": life.lifetime_years,
        "lifetime_limited": None
        if life.lifetime_years is None
        else bool(life.lifetime_years < inputs.lifetime_years),
        "design_margin": RADIATION_DESIGN_MARGIN,
        "shielding_for_lifetime_mm": None
        if life.shielding_needed_m is None
        else life.shielding_needed_m * 1e3,
        "satellite_mass_with_that_shielding_kg": life.satellite_mass_kg,
        "array_remaining_factor_eol": float(array.remaining_factor[-1]),
        "array_remaining_factor_catalog_eol": array.catalog_factor_eol,
        "saa": day.summary(),
        "see": events.block,
        "solar_event": {
            "flux_above_10mev_interplanetary_per_cm2_s": {
                case: float(j[k10]) for case, j in shielded.event_free_per_cm2_s.items()
            },
            "flux_above_10mev_at_orbit_per_cm2_s": {
                case: float(j[k10]) for case, j in shielded.event_at_orbit_per_cm2_s.items()
            },
        },
    }
