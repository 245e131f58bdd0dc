"""Solar protons: the ESP mission fluence and the CREME96 worst-case event against independent
references.

References:
- ECSS-E-ST-10-04C Rev.1 (15 June 2020), Table I-4: ESP fluences computed by ECSS with the same
  NASA parameters (Table B-8) for 1-7 years and 50-99 % confidence.
- SPENVIS 4.6.13 runs published in github.com/tdloveless/me-radfx (HW/HW_02_Solutions), quiet
  magnetosphere: ``heo_spenvis_sef.txt`` (ESP-PSYCHIC total fluence, 2026-01-01 to 2028-01-01,
  2.00 solar-maximum years, 95 %; HEO 2,500 x 70,000 km, 28 deg), ``polar_leo_spenvis_sef.txt``
  (same model, 2026-01-01 to 2032-12-30, 3.00 solar-maximum years of 7, 95 %; 825 km, 98.8 deg)
  and ``heo_spenvis_sefflare.txt`` (CREME96 worst day, same HEO orbit). The files give the orbit
  fluence (flux) and SPENVIS's orbit-averaged attenuation factor per energy; the interplanetary
  value is their ratio.
- NOAA SWPC, "Solar Proton Events Affecting the Earth Environment, 1976-present": the October
  1989 event (start 19 Oct 13:05 UT) peaked at 40,000 pfu (>10 MeV, per cm^2 s sr) on 20 Oct.
"""

from __future__ import annotations

import numpy as np
import pytest

from orbitaldc.physics.radiation import geomagnetic, solar_events, solar_particles

# ECSS-E-ST-10-04C Rev.1 Table I-4, per cm^2: {energy: {confidence: (1, 2, 3, 5, 7 years)}}.
ECSS_TABLE_I4_YEARS = (1.0, 2.0, 3.0, 5.0, 7.0)
ECSS_TABLE_I4 = {
    1.0: {
        0.50: (6.37e10, 1.46e11, 2.32e11, 4.07e11, 5.83e11),
        0.75: (1.10e11, 2.23e11, 3.30e11, 5.39e11, 7.41e11),
        0.90: (1.81e11, 3.24e11, 4.54e11, 6.93e11, 9.20e11),
        0.95: (2.43e11, 4.06e11, 5.48e11, 8.06e11, 1.05e12),
        0.99: (4.23e11, 6.20e11, 7.83e11, 1.07e12, 1.33e12),
    },
    10.0: {
        0.50: (2.60e9, 7.07e9, 1.25e10, 2.52e10, 3.94e10),
        0.75: (7.55e9, 1.79e10, 2.90e10, 5.24e10, 7.63e10),
        0.90: (1.97e10, 4.11e10, 6.19e10, 1.01e11, 1.38e11),
        0.95: (3.51e10, 6.78e10, 9.75e10, 1.50e11, 1.97e11),
        0.99: (1.03e11, 1.73e11, 2.28e11, 3.15e11, 3.84e11),
    },
    30.0: {
        0.50: (3.26e8, 9.11e8, 1.65e9, 3.47e9, 5.62e9),
        0.75: (1.19e9, 2.93e9, 4.92e9, 9.33e9, 1.41e10),
        0.90: (3.79e9, 8.36e9, 1.31e10, 2.27e10, 3.23e10),
        0.95: (7.59e9, 1.57e10, 2.36e10, 3.87e10, 5.29e10),
        0.99: (2.80e10, 5.10e10, 7.10e10, 1.05e11, 1.34e11),
    },
    100.0: {
        0.50: (1.98e7, 5.58e7, 1.02e8, 2.18e8, 3.57e8),
        0.75: (8.59e7, 2.17e8, 3.70e8, 7.21e8, 1.11e9),
        0.90: (3.22e8, 7.34e8, 1.18e9, 2.12e9, 3.09e9),
        0.95: (7.09e8, 1.53e9, 2.36e9, 4.04e9, 5.71e9),
        0.99: (3.12e9, 6.01e9, 8.69e9, 1.36e10, 1.80e10),
    },
}

# SPENVIS ESP-PSYCHIC, 95 %: energy (MeV) -> (orbit integral fluence per cm^2, attenuation).
SPENVIS_ESP_HEO_2_YEARS = {
    1.0: (3.7295e11, 0.9030),
    5.0: (1.2308e11, 0.9030),
    10.0: (6.2487e10, 0.9030),
    20.0: (2.6530e10, 0.9030),
    32.0: (1.3129e10, 0.9030),
    50.0: (6.0758e9, 0.9030),
    63.0: (3.8917e9, 0.9030),
    100.0: (1.4497e9, 0.9030),
    200.0: (2.8137e8, 0.9133),
    400.0: (4.2615e7, 0.9350),
}
SPENVIS_ESP_POLAR_3_YEARS = {
    1.0: (1.1917e11, 0.2138),
    5.0: (4.0590e10, 0.2138),
    10.0: (2.1271e10, 0.2138),
    20.0: (9.3163e9, 0.2138),
    32.0: (4.6947e9, 0.2138),
    50.0: (2.2058e9, 0.2138),
    63.0: (1.4238e9, 0.2138),
    100.0: (5.4039e8, 0.2138),
    200.0: (1.1170e8, 0.2225),
    400.0: (1.8284e7, 0.2524),
}
# SPENVIS CREME96 worst day, HEO: energy (MeV) -> (orbit integral flux per m^2 sr s, attenuation).
SPENVIS_CREME96_WORST_DAY_HEO = {
    1.0: (6.4457e8, 0.9030),
    5.0: (2.2035e8, 0.9030),
    10.0: (1.0330e8, 0.9030),
    20.0: (3.8841e7, 0.9030),
    50.0: (6.9180e6, 0.9030),
    100.0: (1.3313e6, 0.9030),
}


def test_esp_reproduces_the_ecss_tabulated_fluences():
    """Table I-4 was computed by ECSS from the same parameters and equations: agreement to the
    table's three significant figures (rounding: 0.5 %; 1 % allowed)."""
    for energy, rows in ECSS_TABLE_I4.items():
        confidences = np.array(sorted(rows))
        for k, years in enumerate(ECSS_TABLE_I4_YEARS):
            got = solar_particles.esp_mission_fluence_per_cm2(
                np.array([energy]), years, confidences
            )[:, 0]
            want = np.array([rows[c][k] for c in confidences])
            np.testing.assert_allclose(got, want, rtol=0.01, err_msg=f">{energy} MeV, {years} yr")


@pytest.mark.parametrize(
    ("years", "reference"),
    [(2.0, SPENVIS_ESP_HEO_2_YEARS), (3.0, SPENVIS_ESP_POLAR_3_YEARS)],
)
def test_esp_against_spenvis_esp_psychic(years, reference):
    """SPENVIS 4.6.13 ESP-PSYCHIC (interplanetary = orbit fluence / attenuation) at 95 %.

    Measured ratio ours / SPENVIS: 0.95-0.98 at 1-100 MeV, 0.90-0.95 at 200-400 MeV. SPENVIS's
    ESP-PSYCHIC carries parameters a little above the ECSS 2002 set (its 2 and 3-year 10 MeV
    fluences are 2 % above ECSS Table I-4) and is read back through a 4-digit attenuation factor
    that varies with energy above 140 MeV; -15 %/+5 % bounds that, while a wrong year count
    (3 vs 2 years: x1.4 at 10 MeV) or the JPL-91 gap (x0.18) fails it."""
    energies = np.array(sorted(reference))
    want = np.array([f / a for f, a in (reference[e] for e in energies)])
    got = solar_particles.esp_mission_fluence_per_cm2(energies, years, 0.95)
    ratio = got / want
    assert np.all(ratio > 0.85) and np.all(ratio < 1.05), dict(
        zip(energies, ratio.round(3), strict=True)
    )


def test_esp_grows_with_years_confidence_and_falls_with_energy():
    e = np.geomspace(1.0, 500.0, 30)
    f = solar_particles.esp_mission_fluence_per_cm2(e, 3.0, [0.5, 0.9, 0.95, 0.99])
    assert np.all(np.diff(f, axis=0) > 0.0) and np.all(np.diff(f, axis=1) < 0.0)
    by_years = [solar_particles.esp_mission_fluence_per_cm2(e, t, 0.95) for t in (1, 2, 4, 7)]
    assert np.all(np.diff(np.array(by_years), axis=0) > 0.0)
    assert np.all(solar_particles.esp_mission_fluence_per_cm2(e, 0.0, 0.95) == 0.0)


def test_esp_bad_input_names_the_argument():
    with pytest.raises(ValueError, match="energies_mev"):
        solar_particles.esp_mission_fluence_per_cm2(np.array([0.5]), 1.0)
    with pytest.raises(ValueError, match="energies_mev"):
        solar_particles.esp_mission_fluence_per_cm2(np.array([600.0]), 1.0)
    with pytest.raises(ValueError, match="active_years"):
        solar_particles.esp_mission_fluence_per_cm2(np.array([10.0]), -1.0)
    with pytest.raises(ValueError, match="confidence"):
        solar_particles.esp_mission_fluence_per_cm2(np.array([10.0]), 1.0, 0.3)


def test_creme96_worst_day_matches_spenvis():
    """Our integral of the ECSS Table B-11 differential flux against SPENVIS's own CREME96 worst-day
    integral (interplanetary = orbit flux / attenuation). Measured 0.983-0.996. SPENVIS integrates
    on its 0.1-500 MeV output grid and stops at 500 MeV (its >400 MeV values fall well below a
    power-law tail), so only energies whose flux lies mostly below 500 MeV are compared; 3 %
    covers a trapezoid-versus-power-law quadrature, while a missing 4 pi (x12.6) or the m^2/cm^2
    factor fails it."""
    energies = np.array(sorted(SPENVIS_CREME96_WORST_DAY_HEO))
    want = np.array([f / a for f, a in (SPENVIS_CREME96_WORST_DAY_HEO[e] for e in energies)])
    got = solar_events.creme96_integral_flux_per_cm2_s(energies, "worst_day")
    per_m2_sr = got / (4.0 * np.pi * 1e-4)
    np.testing.assert_allclose(per_m2_sr, want, rtol=0.03)


def test_creme96_peak_matches_the_october_1989_goes_peak():
    """CREME96's peak five minutes comes from the October 1989 events; NOAA lists their >10 MeV
    GOES peak as 40,000 pfu. Measured 43,100 (x1.08); 30 % allows for the GOES channel response
    corrections CREME96 applied."""
    got = solar_events.creme96_integral_flux_per_cm2_s(np.array([10.0]), "peak_5min")[0]
    assert got / (4.0 * np.pi) == pytest.approx(4.0e4, rel=0.3)


def test_creme96_cases_are_ordered_and_spectra_fall():
    """Peak > worst day > worst week up to 500 MeV; above ~1 GeV the published worst-week table
    exceeds the worst day (ECSS Tables B-11, B-12: 5.40e-4 vs 3.40e-4 at 10 GeV), so the order is
    asserted where the tables have it."""
    e = np.geomspace(1.0, 500.0, 40)
    peak, day, week = (
        solar_events.creme96_integral_flux_per_cm2_s(e, c) for c in solar_events.CASES
    )
    assert np.all(peak > day) and np.all(day > week)
    assert np.all(np.diff(peak) < 0.0)
    with pytest.raises(ValueError, match="case"):
        solar_events.creme96_integral_flux_per_cm2_s(e, "worst_year")
    with pytest.raises(ValueError, match="energies_mev"):
        solar_events.creme96_integral_flux_per_cm2_s(np.array([0.5]), "worst_day")


def test_peak_transmission_is_the_least_shielded_sample():
    """Three samples, cutoffs 1, 5, 10 GV with shadow factors 0.6, 0.7, 0.8: a 6 GV proton reaches
    the first two, so its best sample has 0.7; a 0.5 GV one reaches none; 20 GV all (0.8)."""
    rigidity = np.array([0.5, 6.0, 20.0])
    energies = geomagnetic.kinetic_energy_mev_per_n(rigidity)
    cutoff = np.array([1.0, 5.0, 10.0])
    shadow = np.array([0.6, 0.7, 0.8])
    got = geomagnetic.peak_transmission(energies, cutoff, shadow)
    np.testing.assert_allclose(got, [0.0, 0.7, 0.8])
    mean = geomagnetic.orbit_transmission(energies, cutoff, shadow)
    assert np.all(got >= mean)
