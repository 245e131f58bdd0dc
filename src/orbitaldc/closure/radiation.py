"""The radiation chain of a design: environment along its orbits -> dose -> lifetime -> error rates.

The standard chain SPENVIS and OMERE users know, built from the pure functions of
:mod:`orbitaldc.physics.radiation`:

1. **Orbits**: the fleet's distinct shells (one representative satellite per distinct altitude,
   eccentricity and inclination: satellites of one shell see the same environment over time) are
   propagated for :data:`SAMPLE_DAYS` days at :data:`SAMPLE_STEP_S` (``physics.orbit.propagate``).
2. **Environment**: AE8/AP8 trapped protons and electrons averaged along those samples
   (``trapped.orbit_average``); ESP (or JPL-91) solar-proton mission fluence at the spec's
   confidence level over the solar-active years of the mission, and galactic cosmic rays
   (force-field modulated), both through the geomagnetic cutoff sampled along the same orbits
   (``geomagnetic``).
3. **Dose**: dose-depth curves in silicon behind aluminium for each source (``dose``), at the
   spec's shielding geometry, and the dose at the spec's shielding.
4. **Lifetime**: years to the accelerator's total-dose tolerance, and the shielding that makes the
   mission lifetime with the radiation design margin :data:`RADIATION_DESIGN_MARGIN`.
5. **Solar array**: displacement damage behind the cover glass -> remaining power versus time
   (``damage``), the table the twin interpolates.
6. **Single events**: every effect the accelerator catalog lists, rate per device from its proton
   cross-section over the shielded proton spectrum (trapped + solar + cosmic-ray protons), and from
   its heavy-ion Weibull over the cosmic-ray LET spectrum where one is published (``see``); a time
   series along one day of the orbit shows the SAA peaks. The same cross-sections over the
   CREME96 worst-case solar event (``solar_events``) give the rates during the peak five minutes
   (at the orbit's least-shielded point) and the worst day (orbit-averaged transmission).

The worst representative shell (highest total dose) is reported; all figures are per satellite
unless named ``fleet``. Randomness (the JPL-91 Monte Carlo; ESP is closed-form) comes from
``mission.seed``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from orbitaldc import catalog
from orbitaldc.physics import frames
from orbitaldc.physics.constants import F_EARTH, R_EARTH_M, SECONDS_PER_YEAR
from orbitaldc.physics.orbit import MeanElements, propagate
from orbitaldc.physics.radiation import (
    damage,
    dose,
    gcr,
    geomagnetic,
    see,
    solar_events,
    solar_particles,
    trapped,
    trapped_grid,
)
from orbitaldc.physics.timescale import seconds_since_j2000

#: Days of orbit sampled for the orbit averages, and the step. Seven days at 30 s put ~100 orbits
#: through the SAA region at longitudes spread by the Earth's rotation. Measured (AP8 MIN, >10 MeV,
#: against 28 days): 650 km dawn-dusk SSO 0.007 % off after 7 days (0.17 % after 1 day); 53 deg
#: Starlink-like shell 0.14 % (1.5 % after 1 day).
SAMPLE_DAYS = 7.0
SAMPLE_STEP_S = 30.0
#: Radiation design margin on total dose: 2, the margin radiation-hardness-assurance standards
#: commonly require between a part's tolerance and the predicted mission dose (ECSS-Q-ST-60-15C,
#: RDM >= 2 for total ionising dose; the same value is NASA/GSFC practice).
RADIATION_DESIGN_MARGIN = 2.0
#: Aluminium thicknesses of the dose-depth curve, m (0.05 mm to 50 mm, as SPENVIS tabulates).
THICKNESS_GRID_M = np.geomspace(0.05e-3, 50e-3, 41)
#: Energy grid for the cosmic-ray spectra and their LET conversion, MeV per nucleon (10 GeV/n top:
#: the PSTAR-based range tables end there; the integral above it is carried by the top bin).
GCR_ENERGIES_MEV_PER_N = np.geomspace(10.0, 1e4, 91)
#: LET grid of the integral LET spectrum, MeV cm^2/mg (silicon).
LET_GRID_MEV_CM2_MG = np.geomspace(1e-3, 120.0, 80)
#: Threshold defining the SAA passes: >10 MeV protons above 1 per cm^2 per s (our convention: at
#: 400-800 km this contour encloses the AP8 anomaly and nothing else; see ``saa_map.png``).
SAA_ENERGY_MEV = 10.0
SAA_THRESHOLD_PER_CM2_S = 1.0
#: Solar-proton energies used for the proton single-event and dose integrals with JPL-91, MeV (the
#: model starts at 10 MeV).
SOLAR_ENERGIES_MEV = np.geomspace(10.0, 400.0, 40)
#: The same from 1 MeV, for ESP (which starts there) and the worst-case solar event, MeV; the same
#: spacing (25 per decade).
SOLAR_ENERGIES_FROM_1_MEV = np.geomspace(1.0, 400.0, 66)
#: The ECSS-E-ST-10-04C 9.2.2.2b floor on the solar-active time given to ESP: missions with less
#: than a year of it take the one-year fluence (as SPENVIS does), years.
ESP_MIN_ACTIVE_YEARS = 1.0

#: IGRF epoch of each ``radiation.trapped_field`` choice (the two epochs the trapped grid ships).
FIELD_EPOCH = {"model-epoch": 1970.0, "current": 2025.0}

SOURCES = ("trapped_protons", "trapped_electrons", "bremsstrahlung", "solar_protons")


class OutsideRadiationModel(ValueError):
    """The orbit leaves the altitudes the shipped AE8/AP8 grid covers (the chain cannot answer)."""


@dataclass(frozen=True)
class RadiationResult:
    """What the chain computes for one design (per satellite of the worst shell)."""

    summary: dict[str, Any]
    thickness_m: np.ndarray
    dose_rad_si_per_year: dict[str, np.ndarray]
    proton_energies_mev: np.ndarray
    trapped_proton_integral_per_cm2_s: np.ndarray
    electron_energies_mev: np.ndarray
    trapped_electron_integral_per_cm2_s: np.ndarray
    solar_proton_integral_per_cm2_s: np.ndarray
    degradation_years: np.ndarray
    degradation_factor: np.ndarray
    series_t_s: np.ndarray
    series_r_eci_m: np.ndarray
    series_flux_10mev_per_cm2_s: np.ndarray
    series_see_per_device_per_s: dict[str, np.ndarray]
    proton_phase: str = "min"
    field_epoch: float = 1970.0
    fault_rates_per_chip_s: dict[str, float] = field(default_factory=dict)
    fault_downtime_s: dict[str, float] = field(default_factory=dict)
    solar_energies_mev: np.ndarray = field(default_factory=lambda: SOLAR_ENERGIES_MEV)


def _subset(el: MeanElements, index: np.ndarray) -> MeanElements:
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


def _model_phases(solar_cycle: str) -> tuple[str, str, float]:
    """(AP8 phase, AE8 phase, cosmic-ray modulation potential MV) for ``radiation.solar_cycle``."""
    if solar_cycle == "worst":
        return "min", "max", gcr.PHI_SOLAR_MIN_MV
    if solar_cycle == "min":
        return "min", "min", gcr.PHI_SOLAR_MIN_MV
    return "max", "max", gcr.PHI_SOLAR_MAX_MV


def _check_altitudes(r_eci_m: np.ndarray) -> None:
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


def _cross_section_fn(effect: Any):
    """sigma(E) in cm^2 per device for one catalog single-event effect (``see``)."""
    if effect.proton_cross_section_cm2 is not None:
        sigma = effect.proton_cross_section_cm2
    else:
        sigma = float(
            see.cross_section_from_dose_per_event_cm2(
                effect.dose_per_event_rad_si, effect.test_energy_mev
            )
        )

    def sigma_cm2(energy_mev: np.ndarray) -> np.ndarray:
        return see.proton_cross_section_cm2(
            energy_mev,
            sigma,
            test_energy_mev=effect.test_energy_mev,
            bendel_a_mev=effect.bendel_a_mev,
            threshold_mev=effect.proton_threshold_mev,
        )

    return sigma_cm2


def _satellite_mass_with_shielding(spec: Any, shielding_m: float) -> float:
    """The closed satellite mass (kg) with ``shielding_m`` of aluminium around the compute."""
    from orbitaldc import evaluate_batch

    return float(evaluate_batch(spec, {"shielding_m": np.array([shielding_m])})["mass_kg"][0])


def _see_series(
    r_ecef_m, ap8, epoch, shielding_g_cm2, geometry, sigma_fns, shielded, energies
) -> dict[str, np.ndarray]:
    """Single-event rate per device along ECEF positions ``r_ecef_m`` (one satellite): trapped
    protons sample by sample (the SAA peaks) plus the solar and cosmic-ray protons' orbit
    average."""
    lat, lon, alt = frames.ecef_to_geodetic(r_ecef_m)
    e_p = trapped.energies_mev("p")
    local = trapped.integral_flux_per_cm2_s(lat, lon, alt, "p", ap8, epoch)
    local = dose.shielded_integral_spectrum(e_p, local, shielding_g_cm2, "proton", geometry)
    out = {}
    for name, fn in sigma_fns.items():
        background = sum(
            float(see.proton_see_rate_per_s(energies[src], shielded[src], fn))
            for src in ("solar", "gcr")
        )
        out[name] = see.proton_see_rate_per_s(e_p, local, fn) + background
    return out


def assess(spec: Any, summary: dict[str, Any] | None = None) -> RadiationResult:
    """Run the radiation chain for an orbital design spec; ``summary`` is its closure (optional).

    Returns a :class:`RadiationResult` whose ``summary`` is the ``radiation{}`` block of
    summary.json (docs/radiation.md).
    """
    from orbitaldc import evaluate
    from orbitaldc.fleet import fleet_elements

    if spec.orbit is None or spec.satellite is None:
        raise ValueError("radiation: a terrestrial design has no orbit to assess")
    summary = evaluate(spec) if summary is None else summary
    rad = spec.radiation
    acc = catalog.get("accelerators", spec.satellite.compute.accelerator)
    ap8, ae8, phi_mv = _model_phases(rad.solar_cycle)
    epoch, other_epoch = (
        FIELD_EPOCH[rad.trapped_field],
        FIELD_EPOCH["current" if rad.trapped_field == "model-epoch" else "model-epoch"],
    )
    lifetime_years = spec.mission.lifetime_s / SECONDS_PER_YEAR
    start_s = float(seconds_since_j2000(spec.mission.start))
    rng = np.random.default_rng(spec.mission.seed)
    esp = rad.solar_proton_model == "esp"
    solar_e = SOLAR_ENERGIES_FROM_1_MEV if esp else SOLAR_ENERGIES_MEV

    # 1. Orbits of the distinct shells.
    elements = fleet_elements(spec)
    reps = representative_shells(elements)
    shells = _subset(elements, reps)
    t = start_s + np.arange(0.0, SAMPLE_DAYS * 86400.0, SAMPLE_STEP_S)
    r_eci, _ = propagate(shells, t)
    _check_altitudes(r_eci)

    # 2. Environment: trapped spectra, the >10 MeV series and the geomagnetic cutoff histogram in
    # one compiled pass; its edges are the rigidities of every solar-proton and cosmic-ray energy,
    # so the transmissions are exact (``geomagnetic.transmission_from_histogram``).
    e_p = trapped.energies_mev("p")
    e_e = trapped.energies_mev("e")
    edges = np.unique(
        np.concatenate(
            [
                geomagnetic.rigidity_gv(np.union1d(SOLAR_ENERGIES_MEV, SOLAR_ENERGIES_FROM_1_MEV)),
                geomagnetic.rigidity_gv(
                    GCR_ENERGIES_MEV_PER_N[None, :], gcr.A[:, None], gcr.Z[:, None]
                ).ravel(),
            ]
        )
    )
    env = trapped.trapped_along_orbit(
        r_eci, t, ap8, ae8, epoch, series_energy_mev=SAA_ENERGY_MEV, cutoff_edges_gv=edges
    )
    trapped_p, trapped_e = env.proton_mean_per_cm2_s, env.electron_mean_per_cm2_s

    def transmission(energies: np.ndarray, a: int = 1, z: int = 1) -> np.ndarray:
        return geomagnetic.transmission_from_histogram(
            energies, env.cutoff_edges_gv, env.cutoff_weights, a, z
        )

    active_years = solar_particles.solar_active_years(
        spec.mission.start.year + (spec.mission.start.timetuple().tm_yday - 1) / 365.25,
        lifetime_years,
    )
    if esp:
        sep_years = max(active_years, ESP_MIN_ACTIVE_YEARS)
        sep_fluence = solar_particles.esp_mission_fluence_per_cm2(
            solar_e, sep_years, rad.solar_proton_confidence
        )
    else:
        sep_years = active_years
        sep_fluence = solar_particles.mission_fluence_per_cm2(
            solar_e, active_years, rad.solar_proton_confidence, rng=rng
        )
    t_sep = transmission(solar_e)
    solar_p = geomagnetic.attenuate_integral_spectrum(
        solar_e, np.broadcast_to(sep_fluence, t_sep.shape), t_sep
    ) / (lifetime_years * SECONDS_PER_YEAR)
    gcr_diff = gcr.gcr_spectra(GCR_ENERGIES_MEV_PER_N, phi_mv)
    gcr_at_orbit = np.stack(
        [
            gcr_diff[k] * transmission(GCR_ENERGIES_MEV_PER_N, int(gcr.A[k]), int(gcr.Z[k]))
            for k in range(gcr_diff.shape[0])
        ],
        axis=1,
    )  # (shell, element, energy)
    gcr_protons = gcr.integral_from_differential(GCR_ENERGIES_MEV_PER_N, gcr_at_orbit[:, 0])

    # 3. Dose-depth per source, rad(Si)/yr, shape (shell, thickness).
    thickness_m = np.unique(
        np.append(THICKNESS_GRID_M, max(spec.satellite.structure.shielding_m, 1e-6))
    )
    g_cm2 = dose.areal_mass_g_cm2(thickness_m)
    geometry = rad.shielding_geometry
    per_year = {
        "trapped_protons": dose.dose_depth_rad_si_per_s(e_p, trapped_p, "proton", g_cm2, geometry),
        "trapped_electrons": dose.dose_depth_rad_si_per_s(
            e_e, trapped_e, "electron", g_cm2, geometry
        ),
        "bremsstrahlung": dose.dose_depth_rad_si_per_s(
            e_e, trapped_e, "bremsstrahlung", g_cm2, geometry
        ),
        "solar_protons": dose.dose_depth_rad_si_per_s(solar_e, solar_p, "proton", g_cm2, geometry),
    }
    per_year = {k: v * SECONDS_PER_YEAR for k, v in per_year.items()}
    total = sum(per_year.values())
    shielding_g_cm2 = float(dose.areal_mass_g_cm2(max(spec.satellite.structure.shielding_m, 1e-6)))
    k_shield = int(np.argmin(np.abs(g_cm2 - shielding_g_cm2)))
    worst = int(np.argmax(total[:, k_shield]))
    at_shield = {k: float(v[worst, k_shield]) for k, v in per_year.items()}
    dose_total = float(total[worst, k_shield])
    # The same trapped dose with the other field epoch: the model spread, stated, not hidden.
    env_other = trapped.trapped_along_orbit(
        r_eci[worst : worst + 1], t, ap8, ae8, other_epoch, series_energy_mev=None
    )
    other = (
        sum(
            dose.dose_depth_rad_si_per_s(energies, spectrum, kind, shielding_g_cm2, geometry)[0, 0]
            for energies, spectrum, kind in (
                (e_p, env_other.proton_mean_per_cm2_s, "proton"),
                (e_e, env_other.electron_mean_per_cm2_s, "electron"),
                (e_e, env_other.electron_mean_per_cm2_s, "bremsstrahlung"),
            )
        )
        * SECONDS_PER_YEAR
    )
    trapped_here = (
        at_shield["trapped_protons"] + at_shield["trapped_electrons"] + at_shield["bremsstrahlung"]
    )

    # 4. Lifetime against the accelerator's total-dose tolerance.
    tolerance = acc.tid_onset_rad_si
    lifetime = None
    shield_needed_m = None
    shield_mass_kg = None
    if tolerance is not None:
        lifetime = float(damage.lifetime_years(dose_total / SECONDS_PER_YEAR, tolerance))
        needed = float(
            damage.shielding_for_lifetime_g_cm2(
                g_cm2,
                total[worst] / SECONDS_PER_YEAR,
                tolerance,
                lifetime_years,
                design_margin=RADIATION_DESIGN_MARGIN,
            )
        )
        if np.isfinite(needed):
            shield_needed_m = float(dose.thickness_m(needed))
            shield_mass_kg = _satellite_mass_with_shielding(spec, shield_needed_m)

    # 5. Solar array: displacement damage behind the cover glass (front) and the substrate (back).
    cover_g_cm2 = rad.cover_glass_m * 100.0 * damage.COVER_GLASS_DENSITY_G_CM3
    ddd_rate = (
        damage.displacement_damage_dose_rate_mev_per_g_s(
            e_p, trapped_p[worst], "proton", cover_glass_g_cm2=cover_g_cm2
        )
        + damage.displacement_damage_dose_rate_mev_per_g_s(
            e_e, trapped_e[worst], "electron", cover_glass_g_cm2=cover_g_cm2
        )
        + damage.displacement_damage_dose_rate_mev_per_g_s(
            solar_e, solar_p[worst], "proton", cover_glass_g_cm2=cover_g_cm2
        )
    )
    years = np.linspace(0.0, lifetime_years, 41)
    curve = damage.ARRAY_CELL_CURVE.get(spec.satellite.power.array, "gainp-gaas-ge-3j")
    deg_years, deg_factor = damage.power_factor_table(float(ddd_rate), years, curve=curve)

    # 6. Single-event effects: protons (trapped + solar + cosmic-ray) behind the shielding.
    shielded = {
        "trapped": dose.shielded_integral_spectrum(
            e_p, trapped_p[worst], shielding_g_cm2, "proton", geometry
        ),
        "solar": dose.shielded_integral_spectrum(
            solar_e, solar_p[worst], shielding_g_cm2, "proton", geometry
        ),
        "gcr": dose.shielded_integral_spectrum(
            GCR_ENERGIES_MEV_PER_N, gcr_protons[worst], shielding_g_cm2, "proton", geometry
        ),
    }
    energies = {"trapped": e_p, "solar": solar_e, "gcr": GCR_ENERGIES_MEV_PER_N}
    # Worst-case solar event (CREME96): the peak five minutes at the orbit's least-shielded sample
    # (the peak may fall on a polar-cap pass), the worst day through the orbit-averaged
    # transmission (a day spans ~15 orbits); both behind the same shielding.
    event_e = SOLAR_ENERGIES_FROM_1_MEV
    r_ecef_worst = frames.eci_to_ecef(r_eci[worst], t)
    radius_worst = np.linalg.norm(r_ecef_worst, axis=-1)
    t_event = {
        "peak_5min": geomagnetic.peak_transmission(
            event_e,
            geomagnetic.stormer_vertical_cutoff_gv(
                geomagnetic.dipole_magnetic_latitude_rad(r_ecef_worst), radius_worst
            ),
            geomagnetic.earth_shadow_factor(radius_worst),
        ),
        "worst_day": transmission(event_e)[worst],
    }
    event_free = {
        case: solar_events.creme96_integral_flux_per_cm2_s(event_e, case) for case in t_event
    }
    event_at_orbit = {
        case: geomagnetic.attenuate_integral_spectrum(event_e, event_free[case], t_case)
        for case, t_case in t_event.items()
    }
    k10 = int(np.argmin(np.abs(event_e - SAA_ENERGY_MEV)))
    event_shielded = {
        case: dose.shielded_integral_spectrum(event_e, j, shielding_g_cm2, "proton", geometry)
        for case, j in event_at_orbit.items()
    }
    let_spectrum = see.let_spectrum_si(
        gcr.Z,
        gcr.A,
        GCR_ENERGIES_MEV_PER_N,
        gcr_at_orbit[worst],
        shielding_g_cm2,
        LET_GRID_MEV_CM2_MG,
    )
    n_sat = int(summary["fleet"]["satellites"] or elements.n_satellites)
    chips = spec.satellite.compute.count
    hosts = int(np.ceil(chips / acc.chips_per_host))
    see_block: dict[str, Any] = {}
    sigma_fns = {}
    fault_rates: dict[str, float] = {}
    downtime: dict[str, float] = {}
    for effect in acc.single_event_effects:
        name = effect.kind if effect.scope == "chip" else f"host_{effect.kind}"
        sigma_fn = _cross_section_fn(effect)
        sigma_fns[name] = sigma_fn
        by_source = {
            src: float(see.proton_see_rate_per_s(energies[src], spec_, sigma_fn))
            for src, spec_ in shielded.items()
        }
        heavy = 0.0
        if effect.heavy_ion_saturation_cm2 is not None:
            heavy = float(
                see.heavy_ion_rate_per_s(
                    LET_GRID_MEV_CM2_MG,
                    let_spectrum,
                    effect.heavy_ion_saturation_cm2,
                    effect.heavy_ion_threshold_let,
                    effect.heavy_ion_width_let,
                    effect.heavy_ion_shape,
                )
            )
        rate = sum(by_source.values()) + heavy
        # During the event its protons replace the mission-average solar protons; trapped
        # protons (orbit average) and cosmic rays continue.
        background = by_source["trapped"] + by_source["gcr"] + heavy
        event_rate = {
            case: float(see.proton_see_rate_per_s(event_e, j, sigma_fn)) + background
            for case, j in event_shielded.items()
        }
        devices = chips if effect.scope == "chip" else hosts
        # Each chip sees its own events and its host's (a host crash takes all its chips down),
        # so the twin's per-chip outage rate is the device rate for both scopes.
        fault_rates[name] = rate
        downtime[name] = effect.recovery_s
        see_block[name] = {
            "kind": effect.kind,
            "scope": effect.scope,
            "per_device_per_day": rate * 86400.0,
            "per_satellite_per_day": rate * devices * 86400.0,
            "per_fleet_per_day": rate * devices * n_sat * 86400.0,
            "fraction_trapped": by_source["trapped"] / rate if rate > 0 else None,
            "fraction_heavy_ion": heavy / rate if rate > 0 else None,
            "recovery_s": effect.recovery_s,
            "confidence": effect.confidence,
            "peak_solar_event_per_chip_per_day": event_rate["peak_5min"] * 86400.0,
            "worst_day_solar_event_per_chip_per_day": event_rate["worst_day"] * 86400.0,
        }

    # SAA: >10 MeV flux and the single-event rates along one day of the worst shell.
    day = t[: int(86400.0 / SAMPLE_STEP_S)]
    flux10 = env.proton_series_per_cm2_s[worst, : day.size]
    passes = trapped.saa_passes(day, flux10, SAA_THRESHOLD_PER_CM2_S)
    series_see = _see_series(
        r_ecef_worst[: day.size],
        ap8,
        epoch,
        shielding_g_cm2,
        geometry,
        sigma_fns,
        shielded,
        energies,
    )
    in_saa = flux10 > SAA_THRESHOLD_PER_CM2_S
    saa_share = float(flux10[in_saa].sum() / flux10.sum()) if flux10.sum() > 0 else 0.0

    block = {
        "model": {
            "trapped": f"AP8 {ap8.upper()} protons, AE8 {ae8.upper()} electrons (NASA AE8/AP8 via "
            f"radbelt), placed by the IGRF {epoch:.0f} field; AE8/AP8 are quoted to ~2x "
            "(Vette 1991)",
            "solar_protons": (
                "ESP (Xapsos et al. 2000; NASA 2002 parameters, ECSS-E-ST-10-04C Table B-8)"
                if esp
                else "JPL-91"
            )
            + f", {rad.solar_proton_confidence:.0%} confidence, {sep_years:.2f} solar-active years"
            + (
                f" ({active_years:.2f} in the mission, one-year floor)"
                if sep_years > active_years
                else ""
            ),
            "solar_proton_model": rad.solar_proton_model,
            "solar_event": "CREME96 worst case (Tylka et al. 1997; ECSS-E-ST-10-04C Tables B-10, "
            "B-11), protons only: peak 5 minutes at the orbit's least-shielded sample, worst day "
            "through the orbit-averaged cutoff transmission",
            "cosmic_rays": f"Burger et al. 2000 LIS, force field phi = {phi_mv:.0f} MV",
            "dose": f"SHIELDOSE-2-type, {geometry} geometry, aluminium shield, silicon target",
            "geomagnetic": "Stormer vertical cutoff, centred dipole (IGRF-13), Earth shadow",
        },
        "shells_assessed": int(reps.size),
        "sample_days": SAMPLE_DAYS,
        "shielding_mm": spec.satellite.structure.shielding_m * 1e3,
        "shielding_g_cm2": shielding_g_cm2,
        "dose_rad_si_per_year": {"total": dose_total, **at_shield},
        "trapped_dose_field_spread": {
            "other_field_epoch": other_epoch,
            "trapped_rad_si_per_year": float(other),
            "ratio": float(other / trapped_here) if trapped_here > 0 else None,
        },
        "mission_years": lifetime_years,
        "mission_dose_rad_si": dose_total * lifetime_years,
        "tid_tolerance_rad_si": tolerance,
        "lifetime_years": lifetime,
        "lifetime_limited": None if lifetime is None else bool(lifetime < lifetime_years),
        "design_margin": RADIATION_DESIGN_MARGIN,
        "shielding_for_lifetime_mm": None if shield_needed_m is None else shield_needed_m * 1e3,
        "satellite_mass_with_that_shielding_kg": shield_mass_kg,
        "array_remaining_factor_eol": float(deg_factor[-1]),
        "array_remaining_factor_catalog_eol": float(
            (1.0 - catalog.get("solar_arrays", spec.satellite.power.array).degradation_per_year)
            ** lifetime_years
        ),
        "saa": {
            "passes_per_day": int(passes.entry_t_s.size),
            "mean_pass_min": float(np.mean(passes.exit_t_s - passes.entry_t_s) / 60.0)
            if passes.entry_t_s.size
            else 0.0,
            "peak_flux_10mev_per_cm2_s": float(flux10.max()),
            "fraction_of_10mev_fluence": saa_share,
        },
        "see": see_block,
        "solar_event": {
            "flux_above_10mev_interplanetary_per_cm2_s": {
                case: float(j[k10]) for case, j in event_free.items()
            },
            "flux_above_10mev_at_orbit_per_cm2_s": {
                case: float(j[k10]) for case, j in event_at_orbit.items()
            },
        },
    }
    return RadiationResult(
        summary=block,
        thickness_m=thickness_m,
        dose_rad_si_per_year={k: v[worst] for k, v in per_year.items()},
        proton_energies_mev=e_p,
        trapped_proton_integral_per_cm2_s=trapped_p[worst],
        electron_energies_mev=e_e,
        trapped_electron_integral_per_cm2_s=trapped_e[worst],
        solar_proton_integral_per_cm2_s=solar_p[worst],
        degradation_years=deg_years,
        degradation_factor=np.asarray(deg_factor),
        series_t_s=day,
        series_r_eci_m=r_eci[worst, : day.size],
        series_flux_10mev_per_cm2_s=flux10,
        series_see_per_device_per_s=series_see,
        proton_phase=ap8,
        field_epoch=epoch,
        fault_rates_per_chip_s=fault_rates,
        fault_downtime_s=downtime,
        solar_energies_mev=solar_e,
    )
