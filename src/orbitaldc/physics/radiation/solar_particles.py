"""Solar energetic protons: mission-integrated fluence at 1 AU with a confidence level (ESP, JPL-91).

Two models of the fluence a mission collects over its solar-active years:

- **ESP** (Xapsos et al. 1999, NASA/TP-1999-209763; Xapsos et al. 2000, IEEE Trans. Nucl. Sci. 47,
  486, "Probability model for cumulative solar proton event fluences"), the model
  ECSS-E-ST-10-04C 9.2.2.2a requires: :func:`esp_mission_fluence_per_cm2`. The fluence of one
  solar-active year above ``E`` is lognormal with mean ``Phi_mean(E)`` and relative variance
  ``Phi_RV(E)`` (ECSS-E-ST-10-04C Rev.1, 15 June 2020, annex I.2.2); a sum of ``T`` independent
  years is taken as lognormal with mean ``T Phi_mean`` and relative variance ``Phi_RV / T``
  (eqs. I-3, I-4), so the fluence not exceeded with probability ``c`` is
  ``exp(mu + sigma z_c)`` with ``sigma^2 = ln(1 + Phi_RV / T)``, ``mu = ln(T Phi_mean) -
  sigma^2 / 2`` (eqs. B-10 to B-12) and ``z_c`` the standard-normal quantile: closed form, no
  random numbers. Parameters: the NASA update of 14 Nov. 2002, ECSS-E-ST-10-04C Rev.1 Table B-8
  (:data:`ESP_MEAN_FLUENCE_PER_CM2`, :data:`ESP_RELATIVE_VARIANCE`, >1 to >100 MeV; Table B-7 in
  the 2008 issue); above 100 MeV the >100 MeV quantile scaled by Table B-9 to 300 MeV
  (:data:`ESP_ABOVE_100_MEV`), then by the SPENVIS ESP-PSYCHIC shape to 500 MeV
  (:data:`ABOVE_100_MEV_SHAPE`, which matches Table B-9 within 0.5 % where they overlap).
- **JPL-91** (below): :func:`mission_fluence_per_cm2`.

The rest of this docstring describes JPL-91.

The JPL-91 model (Feynman et al. 1993, J. Geophys. Res. 98(A8), 13281; ECSS-E-ST-10-04C annex
I.2.3): during the solar-active years events arrive as a Poisson process of ``w`` events per year,
and the log10 of each event's integral fluence above ``E`` is normal with mean ``mu(E)`` and
standard deviation ``sigma(E)``. The fluence not exceeded with probability ``confidence`` over
``active_years`` is the quantile of the compound (Poisson-sum of lognormals) distribution, which
JPL-91 itself evaluates by Monte Carlo; so does :func:`mission_fluence_per_cm2` (a seeded
generator, 200,000 missions by default: the 95 % quantile is reproducible to ~1 %).

Parameters (:data:`JPL91_LOG10_FLUENCE_MEAN`, :data:`JPL91_LOG10_FLUENCE_SIGMA`): log10 event
fluence 8.27 +- 0.59 (>10 MeV), 7.28 +- 0.75 (>30 MeV), 6.63 +- 0.95 (>60 MeV), 5.77 +- 1.24
(>100 MeV) per cm^2, as tabulated from Feynman et al. (1993) in Wertz & Larson (1999), *Space
Mission Analysis and Design*, 3rd ed., sec. 8.1. The event rate ``w = 6.15`` per active year is
Feynman et al.'s value as recalled (not re-checked against the paper here: assumption). Rosenqvist
et al. (2005, J. Spacecraft Rockets 42, 1077) showed these parameters underestimate the fluence
of cycles 21-23; ECSS now prefers ESP (above).

Energy coverage: 10-100 MeV from the model. Above 100 MeV the spectrum is continued with the
shape of ESP-PSYCHIC, ``J(>E)/J(>100 MeV)`` (:data:`ABOVE_100_MEV_SHAPE`; ECSS extends ESP above
100 MeV the same way, by scaling the >100 MeV fluence), taken from a SPENVIS 4.6.13 ESP-PSYCHIC
95 % run (2 active years, interplanetary: the orbit file's fluence divided by its attenuation
factor; github.com/tdloveless/me-radfx, HW/HW_02_Solutions/heo_spenvis_sef.txt). JPL-91's own
>100 MeV distribution is too wide to extrapolate (a 60-100 MeV power law overshoots ESP-PSYCHIC
by 3x at 200 MeV and 12x at 400 MeV). Below 10 MeV the model says nothing;
:func:`mission_fluence_per_cm2` refuses such energies rather than invent them (for dose behind
more than ~0.7 mm of aluminium they do not matter: the CSDA range of a 10 MeV proton in Al is
0.17 g/cm^2, NIST PSTAR).

Against that SPENVIS ESP-PSYCHIC output (95 %, 2 and 3 active years, interplanetary), this JPL-91
gives 0.17-0.18x at >10 and >32 MeV, 0.4x at >63 MeV and 0.8x at >100 MeV: ESP-PSYCHIC's
10-30 MeV fluence is ~5.6x higher. The cause is not established here: the two models rest on
different event sets, Rosenqvist et al. found JPL-91 low, and the event rate is recalled. ESP
(:func:`esp_mission_fluence_per_cm2`) comes within 2-10 % of those SPENVIS figures; with
JPL-91, treat the 10-60 MeV solar fluence as a lower estimate (it matters for thin shields and
solar cells, far less behind ~10 mm Al, where >60 MeV protons dominate the solar dose).

Solar minimum: JPL-91 and ESP put all events in the 7 active years of each 11-year cycle and none
in the 4 quiet years; pass only the active years (:func:`solar_active_years`). ECSS-E-ST-10-04C
9.2.2.2 b: for missions shorter than a year use one year (conservative); the function follows the
Poisson model for any duration and leaves that choice to the caller.

Fluences are omnidirectional, per cm^2, in interplanetary space at 1 AU; apply
``geomagnetic.orbit_transmission`` / ``attenuate_integral_spectrum`` for an Earth orbit.
"""

from __future__ import annotations

from statistics import NormalDist

import numpy as np
from numpy.typing import ArrayLike

#: Threshold energies of the JPL-91 event-fluence distributions, MeV.
JPL91_ENERGIES_MEV = np.array([10.0, 30.0, 60.0, 100.0])
#: Mean of log10(event fluence per cm^2) above each threshold (Feynman et al. 1993 via SMAD).
JPL91_LOG10_FLUENCE_MEAN = np.array([8.27, 7.28, 6.63, 5.77])
#: Standard deviation of log10(event fluence) (same source).
JPL91_LOG10_FLUENCE_SIGMA = np.array([0.59, 0.75, 0.95, 1.24])
#: Mean number of events per solar-active year (Feynman et al. 1993; assumption, see docstring).
JPL91_EVENTS_PER_ACTIVE_YEAR = 6.15
#: ESP-PSYCHIC integral spectrum above 100 MeV relative to >100 MeV (SPENVIS 4.6.13, 95 %, two
#: active years, fluence / attenuation factor; see the module docstring): energies (MeV), ratios.
ABOVE_100_MEV_SHAPE = (
    np.array([100.0, 120.0, 140.0, 160.0, 200.0, 250.0, 320.0, 400.0, 500.0]),
    np.array([1.0, 0.6662, 0.4637, 0.3344, 0.1919, 0.1073, 0.05375, 0.02839, 0.01497]),
)
#: Highest energy served, MeV.
MAX_ENERGY_MEV = 500.0
#: ESP threshold energies, MeV (ECSS-E-ST-10-04C Rev.1, 15 June 2020, Table B-8).
ESP_ENERGIES_MEV = np.array(
    [1.0, 3.0, 5.0, 7.0, 10.0, 15.0, 20.0, 25.0, 30.0, 35.0, 40.0, 45.0, 50.0, 55.0, 60.0, 70.0]
    + [80.0, 90.0, 100.0]
)
#: ESP mean fluence of one solar-active year above each threshold, per cm^2 at 1 AU (``Phi_mean``;
#: NASA parameters of 14 Nov. 2002, ECSS-E-ST-10-04C Rev.1 Table B-8).
ESP_MEAN_FLUENCE_PER_CM2 = np.array(
    [8.877e10, 3.297e10, 1.973e10, 1.371e10, 9.089e9, 5.476e9, 3.707e9, 2.687e9, 2.034e9]
    + [1.589e9, 1.273e9, 1.038e9, 8.602e8, 7.215e8, 6.117e8, 4.518e8, 3.431e8, 2.665e8, 2.109e8]
)
#: ESP relative variance (variance / mean^2) of the one-year fluence (``Phi_RV``; same table).
ESP_RELATIVE_VARIANCE = np.array(
    [0.940, 3.038, 5.250, 7.575, 11.239, 17.675, 24.351, 31.126, 37.889, 44.572, 51.130]
    + [57.504, 63.674, 69.642, 75.368, 86.122, 95.852, 104.635, 112.465]
)
#: ESP above 100 MeV: ``phi(>E) / phi(>100 MeV)`` at the same confidence (ECSS-E-ST-10-04C Rev.1
#: Table B-9, to 300 MeV); energies (MeV), ratios.
ESP_ABOVE_100_MEV = (
    np.array([100.0, 125.0, 150.0, 175.0, 200.0, 225.0, 250.0, 275.0, 300.0]),
    np.array([1.0, 0.603, 0.390, 0.267, 0.191, 0.141, 0.107, 0.0823, 0.0647]),
)
#: Solar cycle 25 maximum, decimal year (13-month smoothed sunspot number peaked in late 2024,
#: SILSO/NOAA; assumption: 2024.8). Active phase: 2.5 years before to 4.5 years after maximum,
#: the 7-year convention of Feynman et al. (1993); cycles repeat every 11 years (assumption).
CYCLE_25_MAXIMUM_YEAR = 2024.8
CYCLE_LENGTH_YEARS = 11.0
ACTIVE_BEFORE_MAX_YEARS = 2.5
ACTIVE_AFTER_MAX_YEARS = 4.5


def solar_active_years(start_year: float, duration_years: float) -> float:
    """Years of the mission ``[start_year, start_year + duration_years]`` in solar-active phases.

    Active phases run from 2.5 years before to 4.5 years after each solar maximum
    (``CYCLE_25_MAXIMUM_YEAR + 11 k``); decimal years.
    """
    if not (duration_years >= 0.0) or not np.isfinite(start_year):
        raise ValueError("duration_years: must be >= 0 and start_year finite")
    end = start_year + duration_years
    k = np.arange(
        np.floor((start_year - CYCLE_25_MAXIMUM_YEAR) / CYCLE_LENGTH_YEARS) - 1,
        np.ceil((end - CYCLE_25_MAXIMUM_YEAR) / CYCLE_LENGTH_YEARS) + 2,
    )
    maxima = CYCLE_25_MAXIMUM_YEAR + CYCLE_LENGTH_YEARS * k
    lo = np.maximum(maxima - ACTIVE_BEFORE_MAX_YEARS, start_year)
    hi = np.minimum(maxima + ACTIVE_AFTER_MAX_YEARS, end)
    return float(np.sum(np.clip(hi - lo, 0.0, None)))


def _quantiles_at_thresholds(
    active_years: float, confidence: np.ndarray, rng: np.random.Generator, n_missions: int
) -> np.ndarray:
    """Monte Carlo quantiles ``(n_confidence, 4)`` of the mission fluence at the JPL-91 thresholds.

    One standard-normal draw per event serves all four thresholds (an event large at 10 MeV is
    large at 100 MeV), and each event's fluence is capped at its value at the lower thresholds,
    so each simulated mission has a non-increasing integral spectrum.
    """
    n_events = rng.poisson(JPL91_EVENTS_PER_ACTIVE_YEAR * active_years, size=n_missions)
    mission = np.repeat(np.arange(n_missions), n_events)
    z = rng.standard_normal(mission.size)
    totals = np.empty((JPL91_ENERGIES_MEV.size, n_missions))
    log10_cap = np.full(mission.size, np.inf)
    for k in range(JPL91_ENERGIES_MEV.size):
        # An integral spectrum cannot rise with energy: the wider >60 and >100 MeV distributions
        # would otherwise give some events more protons above 100 MeV than above 60 MeV.
        log10_cap = np.minimum(
            log10_cap, JPL91_LOG10_FLUENCE_MEAN[k] + JPL91_LOG10_FLUENCE_SIGMA[k] * z
        )
        totals[k] = np.bincount(mission, weights=10.0**log10_cap, minlength=n_missions)
    return np.quantile(totals, confidence, axis=1, method="linear").reshape(confidence.size, -1)


def _check_energies(energies_mev: ArrayLike, low_mev: float, model: str) -> np.ndarray:
    e = np.asarray(energies_mev, dtype=float)
    if e.ndim != 1 or e.size == 0 or np.any(~np.isfinite(e)):
        raise ValueError("energies_mev: need a 1-D array of finite energies")
    if np.any(e < low_mev) or np.any(e > MAX_ENERGY_MEV):
        raise ValueError(f"energies_mev: {model} covers {low_mev:g}-{MAX_ENERGY_MEV:g} MeV")
    return e


def _check_years_confidence(active_years: float, confidence: ArrayLike) -> np.ndarray:
    if not (np.isfinite(active_years) and active_years >= 0.0):
        raise ValueError("active_years: must be a finite number of years >= 0")
    c = np.asarray(confidence, dtype=float)
    if np.any(~((c >= 0.5) & (c <= 0.999))):
        raise ValueError("confidence: must lie in [0.5, 0.999]")
    return c


def mission_fluence_per_cm2(
    energies_mev: ArrayLike,
    active_years: float,
    confidence: ArrayLike = 0.95,
    rng: np.random.Generator | None = None,
    n_missions: int = 200_000,
) -> np.ndarray:
    """Solar-proton integral fluence (per cm^2, omnidirectional, 1 AU) not exceeded with
    probability ``confidence`` over ``active_years`` of solar-active time (JPL-91).

    ``energies_mev`` ``(n,)`` within 10-500 MeV; ``confidence`` scalar or ``(c,)`` in [0.5, 0.999];
    returns ``(n,)`` or ``(c, n)``. Between the thresholds the quantile spectrum is interpolated
    log-log; above 100 MeV it follows the ESP-PSYCHIC shape (:data:`ABOVE_100_MEV_SHAPE`).
    ``rng`` defaults to ``numpy.random.default_rng(0)`` so results are reproducible.
    """
    e = _check_energies(energies_mev, float(JPL91_ENERGIES_MEV[0]), "JPL-91")
    c = _check_years_confidence(active_years, confidence)
    if n_missions < 1000:
        raise ValueError("n_missions: need at least 1,000 simulated missions")
    rng = np.random.default_rng(0) if rng is None else rng
    q = _quantiles_at_thresholds(float(active_years), c.reshape(-1), rng, int(n_missions))
    # Quantile spectrum on the JPL-91 thresholds plus the ESP-PSYCHIC shape above 100 MeV.
    shape_e, shape_r = ABOVE_100_MEV_SHAPE
    grid_e = np.concatenate([JPL91_ENERGIES_MEV, shape_e[1:]])
    grid_q = np.concatenate([q, q[:, -1:] * shape_r[None, 1:]], axis=1)
    log_e = np.log(grid_e)
    log_q = np.log(np.maximum(grid_q, 1e-300))
    x = np.log(e)
    k = np.clip(np.searchsorted(log_e, x, side="right") - 1, 0, log_e.size - 2)
    w = (x - log_e[k]) / (log_e[k + 1] - log_e[k])
    out = np.exp(log_q[:, k] * (1.0 - w) + log_q[:, k + 1] * w)
    out = np.where(grid_q[:, k] > 0.0, out, 0.0)
    return out.reshape(e.shape) if c.ndim == 0 else out


def _esp_grid() -> tuple[np.ndarray, np.ndarray]:
    """ESP energies and the ratio ``phi(>E) / phi(>100 MeV)`` above 100 MeV (Table B-9, then the
    ESP-PSYCHIC shape beyond its last row, 300 MeV)."""
    table_e, table_r = ESP_ABOVE_100_MEV
    shape_e, shape_r = ABOVE_100_MEV_SHAPE
    beyond = shape_e > table_e[-1]
    return (
        np.concatenate([table_e[1:], shape_e[beyond]]),
        np.concatenate([table_r[1:], shape_r[beyond]]),
    )


def esp_mission_fluence_per_cm2(
    energies_mev: ArrayLike, active_years: float, confidence: ArrayLike = 0.95
) -> np.ndarray:
    """Solar-proton integral fluence (per cm^2, omnidirectional, 1 AU) not exceeded with
    probability ``confidence`` over ``active_years`` of solar-active time (ESP).

    ``energies_mev`` ``(n,)`` within 1-500 MeV; ``confidence`` scalar or ``(c,)`` in [0.5, 0.999];
    returns ``(n,)`` or ``(c, n)``, as :func:`mission_fluence_per_cm2`. The lognormal quantile of
    ECSS-E-ST-10-04C eqs. B-10 to B-12 at each Table B-8 threshold (module docstring), interpolated
    log-log between thresholds; above 100 MeV the >100 MeV quantile times the Table B-9 ratios.
    Deterministic (closed form). ``active_years = 0`` gives zero; ECSS-E-ST-10-04C 9.2.2.2b asks
    for one year when the mission has less, a choice left to the caller.
    """
    e = _check_energies(energies_mev, float(ESP_ENERGIES_MEV[0]), "ESP")
    c = _check_years_confidence(active_years, confidence)
    cs = c.reshape(-1)
    if active_years == 0.0:
        out = np.zeros((cs.size, e.size))
        return out.reshape(e.shape) if c.ndim == 0 else out
    t = float(active_years)
    sigma2 = np.log1p(ESP_RELATIVE_VARIANCE / t)
    mu = np.log(t * ESP_MEAN_FLUENCE_PER_CM2) - 0.5 * sigma2
    z = np.array([NormalDist().inv_cdf(float(ci)) for ci in cs])
    log_q = mu[None, :] + np.sqrt(sigma2)[None, :] * z[:, None]
    above_e, above_r = _esp_grid()
    grid_e = np.log(np.concatenate([ESP_ENERGIES_MEV, above_e]))
    grid_q = np.concatenate([log_q, log_q[:, -1:] + np.log(above_r)[None, :]], axis=1)
    x = np.log(e)
    k = np.clip(np.searchsorted(grid_e, x, side="right") - 1, 0, grid_e.size - 2)
    w = (x - grid_e[k]) / (grid_e[k + 1] - grid_e[k])
    out = np.exp(grid_q[:, k] * (1.0 - w) + grid_q[:, k + 1] * w)
    return out.reshape(e.shape) if c.ndim == 0 else out
