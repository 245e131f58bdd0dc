"""Step 5, transport: the worst shell's proton spectra behind the design shielding (trapped, solar,
cosmic-ray, and the CREME96 worst-case solar event) and its cosmic-ray LET spectrum, which the
single-event rates integrate."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from orbitaldc.physics import frames
from orbitaldc.physics.radiation import gcr, geomagnetic, see, solar_events, transport
from orbitaldc.radiation.constants import (
    GCR_ENERGIES_MEV_PER_N,
    LET_GRID_MEV_CM2_MG,
    SOLAR_ENERGIES_FROM_1_MEV,
)
from orbitaldc.radiation.dose_depth import DoseDepth
from orbitaldc.radiation.environment import Environment, transmission
from orbitaldc.radiation.inputs import Inputs

#: The two CREME96 worst-case solar event cases the chain reports.
EVENT_CASES = ("peak_5min", "worst_day")


@dataclass(frozen=True)
class Shielded:
    """Integral proton spectra (per cm^2 per s) of the worst shell behind the shielding.

    ``energies_mev`` and ``protons_per_cm2_s``: ``{"trapped", "solar", "gcr"}`` mission-average
    sources; ``event_energies_mev`` and, per :data:`EVENT_CASES`, the CREME96 event in
    interplanetary space (``event_free_per_cm2_s``), at the orbit (``event_at_orbit_per_cm2_s``)
    and behind the shielding (``event_shielded_per_cm2_s``); ``let_per_cm2_s`` on
    :data:`LET_GRID_MEV_CM2_MG`, the cosmic-ray ions above each LET in Si; ``r_ecef_m``
    ``(time, 3)`` the worst shell's samples in ECEF.
    """

    energies_mev: dict[str, np.ndarray]
    protons_per_cm2_s: dict[str, np.ndarray]
    event_energies_mev: np.ndarray
    event_free_per_cm2_s: dict[str, np.ndarray]
    event_at_orbit_per_cm2_s: dict[str, np.ndarray]
    event_shielded_per_cm2_s: dict[str, np.ndarray]
    let_per_cm2_s: np.ndarray
    r_ecef_m: np.ndarray


def event_transmission(env: Environment, shell: int, r_ecef_m: np.ndarray) -> dict[str, np.ndarray]:
    """Geomagnetic transmission of the CREME96 event's protons for each case: the peak five
    minutes at the orbit's least-shielded sample (it may fall on a polar-cap pass), the worst day
    through the orbit-averaged transmission (a day spans ~15 orbits)."""
    radius = np.linalg.norm(r_ecef_m, axis=-1)
    e = SOLAR_ENERGIES_FROM_1_MEV
    return {
        "peak_5min": geomagnetic.peak_transmission(
            e,
            geomagnetic.stormer_vertical_cutoff_gv(
                geomagnetic.dipole_magnetic_latitude_rad(r_ecef_m), radius
            ),
            geomagnetic.earth_shadow_factor(radius),
        ),
        "worst_day": transmission(env.trapped, e)[shell],
    }


def shielded_spectra(inputs: Inputs, env: Environment, dose_depth: DoseDepth) -> Shielded:
    """Step 5: CSDA transport of the worst shell's spectra through the design shielding
    (``physics.radiation.transport.shielded_integral_spectrum``, ``see.let_spectrum_si``)."""
    w = dose_depth.worst_shell
    shield = dose_depth.shielding_g_cm2
    geometry = inputs.shielding_geometry

    def behind(energies: np.ndarray, integral: np.ndarray) -> np.ndarray:
        return transport.shielded_integral_spectrum(energies, integral, shield, "proton", geometry)

    energies = {
        "trapped": env.proton_energies_mev,
        "solar": env.solar_energies_mev,
        "gcr": GCR_ENERGIES_MEV_PER_N,
    }
    free = {
        "trapped": env.trapped.proton_mean_per_cm2_s[w],
        "solar": env.solar_proton_integral_per_cm2_s[w],
        "gcr": env.gcr_proton_integral_per_cm2_s[w],
    }
    r_ecef = frames.eci_to_ecef(env.r_eci_m[w], env.t_s)
    e = SOLAR_ENERGIES_FROM_1_MEV
    event_free = {
        case: solar_events.creme96_integral_flux_per_cm2_s(e, case) for case in EVENT_CASES
    }
    event_at_orbit = {
        case: geomagnetic.attenuate_integral_spectrum(e, event_free[case], t_case)
        for case, t_case in event_transmission(env, w, r_ecef).items()
    }
    return Shielded(
        energies_mev=energies,
        protons_per_cm2_s={src: behind(energies[src], j) for src, j in free.items()},
        event_energies_mev=e,
        event_free_per_cm2_s=event_free,
        event_at_orbit_per_cm2_s=event_at_orbit,
        event_shielded_per_cm2_s={case: behind(e, j) for case, j in event_at_orbit.items()},
        let_per_cm2_s=see.let_spectrum_si(
            gcr.Z,
            gcr.A,
            GCR_ENERGIES_MEV_PER_N,
            env.gcr_differential_per_cm2_s_mev_per_n[w],
            shield,
            LET_GRID_MEV_CM2_MG,
        ),
        r_ecef_m=r_ecef,
    )
