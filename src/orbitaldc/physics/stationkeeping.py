"""Station-keeping: the delta-v and propellant that hold a formation and its altitude.

Three costs, each per year and vectorised over the cluster's members:

- differential J2 (:func:`differential_j2_delta_v_m_s_per_year`): the secular drift of each member
  away from its slot (:func:`orbitaldc.physics.formation.differential_j2_rates`), cancelled by
  periodic Clohessy-Wiltshire phasing (along-track) and plane changes (cross-track);
- differential drag (:func:`differential_drag_delta_v_m_s_per_year`): members whose ballistic
  coefficients differ decay at different rates; holding them together costs the difference of
  their drag accelerations;
- altitude maintenance (:func:`drag_makeup_delta_v_m_s_per_year`): the whole cluster's drag
  make-up, ``Delta v per orbit = pi (C_D A / m) rho a v`` (Wertz & Larson, Space Mission
  Analysis and Design, 3rd ed., sec. 6.2, atmospheric drag): the drag deceleration times time.

The atmosphere is the global-mean NRLMSISE-00 density at low, moderate and high solar activity
(ECSS-E-ST-10-04C Table 6-3 levels), tabulated in ``data/atmosphere_density_nrlmsise00.csv`` and
interpolated log-linearly in altitude (:func:`atmosphere_density_kg_m3`). Propellant follows from
the rocket equation (:func:`propellant_mass_kg`).
"""

from __future__ import annotations

from functools import cache
from importlib import resources

import numpy as np
from numpy.typing import ArrayLike

from orbitaldc.physics.constants import (
    G0_M_S2,
    MU_EARTH_M3_S2,
    R_EARTH_M,
    SECONDS_PER_YEAR,
)
from orbitaldc.physics.formation import (
    along_track_drift_rate_m_s,
    differential_j2_rates,
)
from orbitaldc.physics.orbit import MeanElements, mean_motion_rad_s

#: Solar activity levels of the density table (ECSS-E-ST-10-04C Table 6-3, long-term values):
#: F10.7 = 65, 140, 250 sfu with Ap = 0, 15, 45.
SOLAR_ACTIVITY = ("low", "moderate", "high")

#: Typical specific impulses, s: xenon Hall thrusters 1,500 s (SPT-100: 1,500-1,600 s, Goebel &
#: Katz, Fundamentals of Electric Propulsion, JPL 2008, ch. 7; Starlink's krypton Hall
#: thrusters are lower, ~1,000-1,500 s) and monopropellant hydrazine 220 s (Aerojet MR-103,
#: 202-224 s; Wertz & Larson, SMAD 3rd ed., ch. 17: 200-250 s).
ISP_HALL_S = 1500.0
ISP_HYDRAZINE_S = 220.0


@cache
def density_table() -> dict[str, np.ndarray]:
    """The packaged density table: ``altitude_km`` and ``density_<activity>_kg_m3`` columns."""
    text = (
        resources.files("orbitaldc")
        .joinpath("data", "atmosphere_density_nrlmsise00.csv")
        .read_text(encoding="utf-8")
    )
    lines = [line for line in text.splitlines() if line and not line.startswith("#")]
    header = lines[0].split(",")
    rows = np.array([[float(v) for v in line.split(",")] for line in lines[1:]])
    return {key: rows[:, i] for i, key in enumerate(header)}


def atmosphere_density_kg_m3(altitude_m: ArrayLike, activity: str = "moderate") -> np.ndarray:
    """Global-mean thermospheric density at ``altitude_m`` (100-1,000 km), kg/m^3.

    NRLMSISE-00 (Picone et al. 2002) averaged over latitude, local time and season at the
    ECSS-E-ST-10-04C long-term ``activity`` (one of :data:`SOLAR_ACTIVITY`), interpolated
    linearly in log density between the 10-25 km table steps (the density is locally exponential,
    Vallado 4th ed. sec. 8.6). Raises ValueError outside the table.
    """
    if activity not in SOLAR_ACTIVITY:
        raise ValueError(f"activity must be one of {', '.join(SOLAR_ACTIVITY)}; got {activity!r}")
    table = density_table()
    h_km = np.asarray(altitude_m, dtype=float) / 1e3
    lo, hi = table["altitude_km"][0], table["altitude_km"][-1]
    if np.any((h_km < lo) | (h_km > hi)):
        raise ValueError(f"altitude must be within {lo:.0f}-{hi:.0f} km for the density table")
    log_rho = np.log(table[f"density_{activity}_kg_m3"])
    return np.exp(np.interp(h_km, table["altitude_km"], log_rho))


def drag_acceleration_m_s2(
    density_kg_m3: ArrayLike, speed_m_s: ArrayLike, cd_area_per_mass_m2_kg: ArrayLike
) -> np.ndarray:
    """Drag deceleration ``0.5 rho v^2 C_D A / m``, m/s^2 (Vallado 4th ed. sec. 8.6).

    ``cd_area_per_mass_m2_kg`` is ``C_D A / m`` (the inverse of the ballistic coefficient
    ``m / (C_D A)``); ``speed_m_s`` the speed relative to the atmosphere (the orbital speed;
    co-rotation lowers it by up to ~7 % in LEO, not included).
    """
    rho = np.asarray(density_kg_m3, dtype=float)
    v = np.asarray(speed_m_s, dtype=float)
    return 0.5 * rho * v * v * np.asarray(cd_area_per_mass_m2_kg, dtype=float)


def circular_speed_m_s(altitude_m: ArrayLike) -> np.ndarray:
    """Circular orbital speed ``sqrt(mu / a)`` at ``altitude_m`` above the equatorial radius, m/s."""
    return np.sqrt(MU_EARTH_M3_S2 / (R_EARTH_M + np.asarray(altitude_m, dtype=float)))


def decay_rate_m_s(
    altitude_m: ArrayLike, cd_area_per_mass_m2_kg: ArrayLike, activity: str = "moderate"
) -> np.ndarray:
    """Rate of change of a circular orbit's semi-major axis under drag, m/s (negative).

    ``da/dt = -sqrt(mu a) rho C_D A / m`` for e = 0 (Wertz & Larson, SMAD 3rd ed. sec. 6.2:
    ``Delta a per rev = -2 pi (C_D A / m) rho a^2``), from the energy the drag force removes,
    ``d(-mu / 2a)/dt = -a_D v``.
    """
    h = np.asarray(altitude_m, dtype=float)
    a = R_EARTH_M + h
    rho = atmosphere_density_kg_m3(h, activity)
    return -np.sqrt(MU_EARTH_M3_S2 * a) * rho * np.asarray(cd_area_per_mass_m2_kg, dtype=float)


def drag_makeup_delta_v_m_s_per_year(
    altitude_m: ArrayLike, cd_area_per_mass_m2_kg: ArrayLike, activity: str = "moderate"
) -> np.ndarray:
    """Delta-v per year that holds a circular orbit's altitude against drag, m/s.

    Thrust along the velocity cancels the drag deceleration (:func:`drag_acceleration_m_s2`), so
    the cost is the deceleration times a year; per orbit it is SMAD's
    ``pi (C_D A / m) rho a v`` (Wertz & Larson 3rd ed. sec. 6.2). Impulsive re-boosts after a
    small decay cost the same to first order in the decay.
    """
    h = np.asarray(altitude_m, dtype=float)
    accel = drag_acceleration_m_s2(
        atmosphere_density_kg_m3(h, activity), circular_speed_m_s(h), cd_area_per_mass_m2_kg
    )
    return accel * SECONDS_PER_YEAR


def differential_drag_delta_v_m_s_per_year(
    altitude_m: ArrayLike,
    cd_area_per_mass_m2_kg: ArrayLike,
    relative_difference: ArrayLike,
    activity: str = "moderate",
) -> np.ndarray:
    """Delta-v per year that holds members of different ``C_D A / m`` together, m/s.

    A member whose ``C_D A / m`` differs from the chief's by the fraction
    ``relative_difference`` (e.g. 0.05 for 5 %; an array over members) feels a differential
    along-track deceleration ``|relative_difference| a_D``; left alone it drifts
    quadratically along-track (``dy = 3/4 da_D t^2`` in HCW, Vallado 4th ed. sec. 6.8), so holding
    it costs that differential acceleration times a year. The cluster's common drag is
    :func:`drag_makeup_delta_v_m_s_per_year`.
    """
    common = drag_makeup_delta_v_m_s_per_year(altitude_m, cd_area_per_mass_m2_kg, activity)
    return np.abs(np.asarray(relative_difference, dtype=float)) * common


def hold_delta_v_m_s_per_year(
    altitude_m: ArrayLike,
    cd_area_per_mass_m2_kg: ArrayLike,
    relative_difference: ArrayLike,
    activity: str = "moderate",
) -> tuple[np.ndarray, np.ndarray]:
    """Delta-v per year (m/s) to hold the altitude (:func:`drag_makeup_delta_v_m_s_per_year`)
    and the members of a formation whose ``C_D A / m`` differ by ``relative_difference``
    (:func:`differential_drag_delta_v_m_s_per_year`; 0 for a lone satellite or a shell), at any
    altitude: above the density table (1,000 km) drag is neglected (below 0.5 % of its 500 km
    value: 0.14 m/s a year of make-up at 1,000 km for ``C_D A / m`` = 0.044 m^2/kg, moderate
    activity). Returns ``(makeup, differential)``."""
    h = np.asarray(altitude_m, dtype=float)
    table_km = density_table()["altitude_km"]
    inside = np.clip(h, table_km[0] * 1e3, table_km[-1] * 1e3)
    makeup = drag_makeup_delta_v_m_s_per_year(inside, cd_area_per_mass_m2_kg, activity)
    makeup = np.where(h > table_km[-1] * 1e3, 0.0, makeup)
    return makeup, np.abs(np.asarray(relative_difference, dtype=float)) * makeup


def phasing_delta_v_m_s(along_track_offset_m: ArrayLike, mean_motion_rad_s: float) -> np.ndarray:
    """Two-impulse Clohessy-Wiltshire phasing that moves a member ``dy`` along-track in one orbit.

    A tangential burn ``dv`` changes the semi-major axis by ``2 dv / n`` (circular orbit), which
    drifts ``-3 pi da = -6 pi dv / n`` along-track per orbit; a second, opposite burn stops the
    drift: total ``n |dy| / (3 pi)``, m/s (Vallado 4th ed. sec. 6.8; Schaub & Junkins ch. 14).
    """
    return mean_motion_rad_s * np.abs(np.asarray(along_track_offset_m, dtype=float)) / (3 * np.pi)


def along_track_bias_delta_v_m_s(drift_rate_m_s: ArrayLike) -> np.ndarray:
    """One-time tangential burn that cancels a steady along-track drift for good, m/s.

    A semi-major axis bias ``da`` drifts ``-1.5 n da`` along-track; ``da = drift / (1.5 n)``
    cancels ``drift`` (the J2-invariant idea of Schaub & Alfriend 2001) and costs
    ``n da / 2 = |drift| / 3``.
    """
    return np.abs(np.asarray(drift_rate_m_s, dtype=float)) / 3.0


def differential_j2_delta_v_m_s_per_year(deputies: MeanElements, chief: MeanElements) -> np.ndarray:
    """Delta-v per year that holds each deputy at its slot against differential J2, m/s, ``(n,)``.

    Along-track: the drift of :func:`orbitaldc.physics.formation.along_track_drift_rate_m_s`
    removed by periodic CW phasing (:func:`phasing_delta_v_m_s`), ``n |y_dot| / (3 pi)`` per
    second whatever the correction interval. Cross-track: the differential node drift
    ``d raan_dot`` corrected by plane changes of ``v sin i d raan`` (Vallado 4th ed. sec. 6.4 for a
    small node change of a circular orbit, ``dv = 2 v sin i sin(d raan / 2)``). Periodic phasing is
    an upper bound: a one-time semi-major-axis bias (:func:`along_track_bias_delta_v_m_s`) stops a
    steady along-track drift for ``|y_dot| / 3``. Zero for members identical to the chief.
    """
    a = chief.semi_major_axis_m[0]
    n = float(mean_motion_rad_s(a))
    d_raan, _, _ = differential_j2_rates(deputies, chief)
    along = phasing_delta_v_m_s(along_track_drift_rate_m_s(deputies, chief), n)
    cross = n * a * np.sin(chief.inclination_rad[0]) * np.abs(d_raan)
    return (along + cross) * SECONDS_PER_YEAR


def propellant_mass_kg(
    delta_v_m_s: ArrayLike, initial_mass_kg: ArrayLike, isp_s: ArrayLike = ISP_HALL_S
) -> np.ndarray:
    """Propellant a spacecraft of ``initial_mass_kg`` burns for ``delta_v_m_s``, kg.

    Tsiolkovsky: ``m_p = m_0 (1 - exp(-dv / (Isp g0)))``; the inverse is
    :func:`delta_v_from_propellant_m_s`.
    """
    dv = np.asarray(delta_v_m_s, dtype=float)
    ve = np.asarray(isp_s, dtype=float) * G0_M_S2
    return np.asarray(initial_mass_kg, dtype=float) * -np.expm1(-dv / ve)


def delta_v_from_propellant_m_s(
    propellant_mass_kg: ArrayLike, initial_mass_kg: ArrayLike, isp_s: ArrayLike = ISP_HALL_S
) -> np.ndarray:
    """Delta-v of burning ``propellant_mass_kg`` from ``initial_mass_kg``, m/s (Tsiolkovsky).

    ``dv = Isp g0 ln(m_0 / (m_0 - m_p))``.
    """
    m0 = np.asarray(initial_mass_kg, dtype=float)
    mp = np.asarray(propellant_mass_kg, dtype=float)
    return np.asarray(isp_s, dtype=float) * G0_M_S2 * -np.log1p(-mp / m0)
