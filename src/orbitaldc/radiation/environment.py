"""Step 1, the environment: orbits sampled -> trapped protons and electrons, solar protons and
galactic cosmic rays through the geomagnetic cutoff, for each distinct shell of the fleet."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from orbitaldc.physics.constants import F_EARTH, R_EARTH_M, SECONDS_PER_YEAR
from orbitaldc.physics.orbit import MeanElements, propagate
from orbitaldc.physics.radiation import gcr, geomagnetic, solar_particles, trapped, trapped_grid
from orbitaldc.radiation.constants import (
    ESP_MIN_ACTIVE_YEARS,
    GCR_ENERGIES_MEV_PER_N,
    SAA_ENERGY_MEV,
    SAMPLE_DAYS,
    SAMPLE_STEP_S,
    SOLAR_ENERGIES_FROM_1_MEV,
    SOLAR_ENERGIES_MEV,
)
from orbitaldc.radiation.inputs import Inputs


class OutsideRadiationModel(ValueError):
    """The orbit leaves the altitudes the shipped AE8/AP8 grid covers (the chain cannot answer)."""


@dataclass(frozen=True)
class Environment:
    """The particle environment of each representative shell (shapes: ``shell`` first).

    ``shells`` ``(shell,)``: index in the fleet of each shell's representative satellite;
    ``t_s`` ``(time,)`` s since J2000 and ``r_eci_m`` ``(shell, time, 3)`` its samples; ``trapped``
    the AE8/AP8 pass (orbit-mean spectra, the >:data:`SAA_ENERGY_MEV` proton series, the cutoff
    histogram); ``solar_proton_integral_per_cm2_s`` ``(shell, energy)`` the mission-average solar
    proton flux at the orbit on ``solar_energies_mev``; ``gcr_differential_per_cm2_s_mev_per_n``
    ``(shell, element, energy)`` the cosmic rays at the orbit on
    :data:`GCR_ENERGIES_MEV_PER_N` and ``gcr_proton_integral_per_cm2_s`` ``(shell, energy)`` their
    protons as an integral spectrum. ``solar_active_years`` is the mission's solar-active time and
    ``solar_model_years`` the time the solar-proton model was given (the ESP one-year floor).
    """

    shells: np.ndarray
    t_s: np.ndarray
    r_eci_m: np.ndarray
    trapped: trapped.TrappedAlongOrbit
    proton_energies_mev: np.ndarray
    electron_energies_mev: np.ndarray
    solar_energies_mev: np.ndarray
    solar_proton_integral_per_cm2_s: np.ndarray
    solar_active_years: float
    solar_model_years: float
    gcr_differential_per_cm2_s_mev_per_n: np.ndarray
    gcr_proton_integral_per_cm2_s: np.ndarray


def representative_shells(el: MeanElements) -> np.ndarray:
    """Indices of one satellite per distinct shell (altitude to 1 km, e to 1e-3, i to 0.01 deg)."""
    key = np.stack(
        [
            np.round(el.semi_major_axis_m / 1e3),
            np.round(el.eccentricity * 1e3),
            np.round(np.degrees(el.inclination_rad) * 100.0),
        ],
        axis=-1,
    )
    _, index = np.unique(key, axis=0, return_index=True)
    return np.sort(index)


def subset(el: MeanElements, index: np.ndarray) -> MeanElements:
    """The satellites ``index`` of ``el``."""
    return MeanElements(
        semi_major_axis_m=el.semi_major_axis_m[index],
        eccentricity=el.eccentricity[index],
        inclination_rad=el.inclination_rad[index],
        raan_rad=el.raan_rad[index],
        arg_perigee_rad=el.arg_perigee_rad[index],
        mean_anomaly_rad=el.mean_anomaly_rad[index],
        epoch_s=el.epoch_s[index],
        plane=el.plane[index],
    )


def check_altitudes(r_eci_m: np.ndarray) -> None:
    """Raise :class:`OutsideRadiationModel` if any sample leaves the trapped grid's altitudes.

    The geodetic altitude lies within ``R_eq - R_polar`` (21.4 km, WGS-84) of the radius above the
    equatorial radius, so the test is made on the radius with that margin: conservative by
    design (an orbit grazing the edge is refused rather than extrapolated).
    """
    lo_km, hi_km = float(trapped_grid.ALT_KM[0]), float(trapped_grid.ALT_KM[-1])
    height_km = (np.linalg.norm(r_eci_m, axis=-1) - R_EARTH_M) / 1e3
    polar_km = R_EARTH_M * F_EARTH / 1e3  # R_eq - R_polar
    if height_km.min() < lo_km or height_km.max() - polar_km > hi_km:
        raise OutsideRadiationModel(
            f"radiation: the orbit spans {height_km.min():,.0f}-{height_km.max():,.0f} km; the "
            f"shipped AE8/AP8 grid covers {lo_km:,.0f}-{hi_km:,.0f} km, so the radiation chain "
            "cannot assess it (AE8/AP8 beyond LEO needs a wider grid)"
        )


def cutoff_edges_gv() -> np.ndarray:
    """Rigidity edges (GV) of the cutoff histogram: those of every solar-proton and cosmic-ray
    energy the chain uses, so its transmissions are exact
    (``geomagnetic.transmission_from_histogram``)."""
    return np.unique(
        np.concatenate(
            [
                geomagnetic.rigidity_gv(np.union1d(SOLAR_ENERGIES_MEV, SOLAR_ENERGIES_FROM_1_MEV)),
                geomagnetic.rigidity_gv(
                    GCR_ENERGIES_MEV_PER_N[None, :], gcr.A[:, None], gcr.Z[:, None]
                ).ravel(),
            ]
        )
    )


def transmission(
    along_orbit: trapped.TrappedAlongOrbit, energies_mev: np.ndarray, a: int = 1, z: int = 1
) -> np.ndarray:
    """Orbit-averaged geomagnetic transmission ``(shell, energy)`` of ions of mass number ``a`` and
    charge ``z`` at ``energies_mev`` (per nucleon), Earth shadow included, from the cutoff
    histogram of the trapped pass."""
    return geomagnetic.transmission_from_histogram(
        energies_mev, along_orbit.cutoff_edges_gv, along_orbit.cutoff_weights, a, z
    )


def sample_orbits(
    inputs: Inputs, elements: MeanElements
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The distinct shells of the fleet and their samples: ``(shells (shell,), t_s (time,),
    r_eci_m (shell, time, 3))`` over :data:`SAMPLE_DAYS` at :data:`SAMPLE_STEP_S` from the mission
    start (``physics.orbit.propagate``); raises :class:`OutsideRadiationModel` off the grid."""
    shells = representative_shells(elements)
    t = inputs.start_s + np.arange(0.0, SAMPLE_DAYS * 86400.0, SAMPLE_STEP_S)
    r_eci, _ = propagate(subset(elements, shells), t)
    check_altitudes(r_eci)
    return shells, t, r_eci


def solar_protons_per_cm2_s(inputs: Inputs, t_sep: np.ndarray) -> tuple[np.ndarray, float, float]:
    """Mission-average solar-proton integral flux at the orbit ``(shell, energy)`` per cm^2 per s
    (ESP or JPL-91 at the spec's confidence over the solar-active years, through the orbit's
    transmission ``t_sep``), the mission's solar-active years and the years given to the model.
    JPL-91 draws from ``numpy.random.default_rng(inputs.seed)``."""
    e = inputs.solar_energies_mev
    active_years = solar_particles.solar_active_years(inputs.start_year, inputs.lifetime_years)
    if inputs.esp:
        sep_years = max(active_years, ESP_MIN_ACTIVE_YEARS)
        fluence = solar_particles.esp_mission_fluence_per_cm2(
            e, sep_years, inputs.solar_proton_confidence
        )
    else:
        sep_years = active_years
        fluence = solar_particles.mission_fluence_per_cm2(
            e,
            active_years,
            inputs.solar_proton_confidence,
            rng=np.random.default_rng(inputs.seed),
        )
    flux = geomagnetic.attenuate_integral_spectrum(
        e, np.broadcast_to(fluence, t_sep.shape), t_sep
    ) / (inputs.lifetime_years * SECONDS_PER_YEAR)
    return flux, active_years, sep_years


def environment(inputs: Inputs, elements: MeanElements) -> Environment:
    """Step 1: sample the fleet's distinct shells, then the trapped spectra, the >10 MeV series and
    the geomagnetic cutoff histogram in one compiled pass (``trapped.trapped_along_orbit``), the
    solar protons and the force-field cosmic rays through that cutoff."""
    shells, t, r_eci = sample_orbits(inputs, elements)
    env = trapped.trapped_along_orbit(
        r_eci,
        t,
        inputs.proton_phase,
        inputs.electron_phase,
        inputs.field_epoch,
        series_energy_mev=SAA_ENERGY_MEV,
        cutoff_edges_gv=cutoff_edges_gv(),
    )
    solar_p, active_years, sep_years = solar_protons_per_cm2_s(
        inputs, transmission(env, inputs.solar_energies_mev)
    )
    gcr_free = gcr.gcr_spectra(GCR_ENERGIES_MEV_PER_N, inputs.gcr_phi_mv)
    gcr_at_orbit = np.stack(
        [
            gcr_free[k] * transmission(env, GCR_ENERGIES_MEV_PER_N, int(gcr.A[k]), int(gcr.Z[k]))
            for k in range(gcr_free.shape[0])
        ],
        axis=1,
    )
    return Environment(
        shells=shells,
        t_s=t,
        r_eci_m=r_eci,
        trapped=env,
        proton_energies_mev=trapped.energies_mev("p"),
        electron_energies_mev=trapped.energies_mev("e"),
        solar_energies_mev=inputs.solar_energies_mev,
        solar_proton_integral_per_cm2_s=solar_p,
        solar_active_years=active_years,
        solar_model_years=sep_years,
        gcr_differential_per_cm2_s_mev_per_n=gcr_at_orbit,
        gcr_proton_integral_per_cm2_s=gcr.integral_from_differential(
            GCR_ENERGIES_MEV_PER_N, gcr_at_orbit[:, 0]
        ),
    )
