"""Solar array output: irradiance, cell temperature, degradation and pointing.

The array model is the standard first-order one of Wertz & Larson, *Space Mission Analysis and
Design* (SMAD, 3rd ed., 1999), sec. 11.4, eqs. 11-5 to 11-9: power per area is the solar
irradiance times cell efficiency, times the packing (assembly) factor, times the cosine of the Sun
incidence angle, times a temperature factor and a lifetime degradation factor. All functions take
and return numpy arrays and broadcast.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from orbitaldc.physics.constants import AU_M, SOLAR_CONSTANT_W_M2

#: Earth's orbital eccentricity (mean, J2000; Astronomical Almanac), used for the aphelion
#: irradiance that array sizing must meet: S / (1 + e)^2 = 1316 W/m^2 for S = 1361 W/m^2.
EARTH_ORBIT_ECCENTRICITY = 0.0167086


def irradiance_w_m2(sun_distance_m: ArrayLike) -> np.ndarray:
    """Solar irradiance at a distance from the Sun, W/m^2: ``S0 * (AU / r)^2``.

    Parameters
    ----------
    sun_distance_m : array_like
        Distance from the Sun, m.
    """
    r = np.asarray(sun_distance_m, dtype=float)
    return SOLAR_CONSTANT_W_M2 * (AU_M / r) ** 2


def aphelion_irradiance_w_m2() -> float:
    """The lowest irradiance of the year at Earth (aphelion, early July), W/m^2 (~1316)."""
    return SOLAR_CONSTANT_W_M2 / (1.0 + EARTH_ORBIT_ECCENTRICITY) ** 2


def temperature_factor(
    cell_temperature_k: ArrayLike,
    temperature_coefficient_per_k: ArrayLike,
    reference_temperature_k: ArrayLike = 301.15,
) -> np.ndarray:
    """Relative power at a cell temperature: ``1 + c (T - T_ref)`` (c < 0 for real cells).

    Efficiencies are quoted at AM0 and 28 C (301.15 K; ISO 15387:2005 / AIAA S-111).
    """
    t = np.asarray(cell_temperature_k, dtype=float)
    return 1.0 + np.asarray(temperature_coefficient_per_k) * (t - reference_temperature_k)


def degradation_factor(years: ArrayLike, degradation_per_year: ArrayLike) -> np.ndarray:
    """Lifetime degradation ``(1 - d)^years`` (SMAD 3rd ed. eq. 11-6)."""
    return (1.0 - np.asarray(degradation_per_year, dtype=float)) ** np.asarray(years, dtype=float)


def pointing_factor(
    pointing: str, pointing_error_rad: ArrayLike, beta_rad: ArrayLike
) -> np.ndarray:
    """Mean cosine of the Sun incidence angle over a sunlit orbit arc.

    ``"sun-tracking"``: a gimballed array that follows the Sun within ``pointing_error_rad``:
    ``cos(error)``. ``"fixed"``: a body-fixed array whose normal is the orbit normal (the natural
    choice in a dawn-dusk orbit, where the Sun sits near the orbit normal): ``|sin(beta)|``.
    """
    if pointing == "sun-tracking":
        return np.cos(np.asarray(pointing_error_rad, dtype=float)) * np.ones_like(
            np.asarray(beta_rad, dtype=float)
        )
    if pointing == "fixed":
        return np.abs(np.sin(np.asarray(beta_rad, dtype=float)))
    raise ValueError(f"pointing must be 'sun-tracking' or 'fixed', got {pointing!r}")


def array_power_w(
    area_m2: ArrayLike,
    irradiance: ArrayLike,
    efficiency: ArrayLike,
    packing_factor: ArrayLike,
    cos_incidence: ArrayLike = 1.0,
    temp_factor: ArrayLike = 1.0,
    degradation: ArrayLike = 1.0,
) -> np.ndarray:
    """Electrical output of an array, W: ``A S eta p cos(theta) f_T f_D`` (SMAD eq. 11-5..11-9).

    Parameters
    ----------
    area_m2 : array_like
        Array area, m^2 (including the area not covered by cells; ``packing_factor`` accounts for it).
    irradiance : array_like
        Solar irradiance on the array, W/m^2, already scaled by the illuminated fraction.
    efficiency : array_like
        Cell efficiency at the reference temperature (AM0), 0..1.
    packing_factor : array_like
        Fraction of the area covered by active cells, 0..1.
    cos_incidence : array_like
        Cosine of the Sun incidence angle (clip at 0 for a Sun behind the panel).
    temp_factor, degradation : array_like
        Factors from :func:`temperature_factor` and :func:`degradation_factor`.
    """
    return (
        np.asarray(area_m2, dtype=float)
        * np.asarray(irradiance)
        * np.asarray(efficiency)
        * np.asarray(packing_factor)
        * np.clip(np.asarray(cos_incidence, dtype=float), 0.0, None)
        * np.asarray(temp_factor)
        * np.asarray(degradation)
    )
