"""Radiator heat rejection in orbit: emission, Earth view factors and environmental loads.

A radiator panel emits ``eps sigma T^4`` per face (Stefan-Boltzmann) and absorbs Earth infrared,
Earth-reflected sunlight (albedo) and any direct sunlight. The view factors to a spherical Earth
are the exact differential-element-to-sphere factors of Howell, *A Catalog of Radiation Heat
Transfer Configuration Factors* (3rd ed., factors B-29 and B-30 for a plane element facing the
sphere centre and a plane element whose normal is perpendicular to the line to the centre); the
environment follows Gilmore, *Spacecraft Thermal Control Handbook* vol. I (2nd ed., 2002), ch. 2:
albedo load = ``alpha a S F cos(theta_sub)``, Earth IR load = ``eps OLR F``. All functions broadcast
over numpy arrays, SI units.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from orbitaldc.physics.constants import (
    EARTH_ALBEDO,
    EARTH_OLR_W_M2,
    R_EARTH_M,
    SOLAR_CONSTANT_W_M2,
    STEFAN_BOLTZMANN,
)


def emitted_flux_w_m2(temp_k: ArrayLike, emissivity: ArrayLike) -> np.ndarray:
    """Grey-body emission of one face, W/m^2: ``eps sigma T^4`` (sink at 0 K)."""
    t = np.asarray(temp_k, dtype=float)
    return np.asarray(emissivity) * STEFAN_BOLTZMANN * t**4


def earth_view_factor_nadir_plate(altitude_m: ArrayLike) -> np.ndarray:
    """View factor from a plate facing nadir to a spherical Earth: ``(R / (R + h))^2``.

    Howell catalog B-29 (differential plane element facing the centre of a sphere).
    """
    h = np.asarray(altitude_m, dtype=float)
    return (R_EARTH_M / (R_EARTH_M + h)) ** 2


def earth_view_factor_vertical_plate(altitude_m: ArrayLike) -> np.ndarray:
    """View factor from one face of a plate whose normal is horizontal (perpendicular to nadir).

    ``F = (1/pi) [atan(1/sqrt(H^2-1)) - sqrt(H^2-1)/H^2]`` with ``H = (R + h)/R`` (Howell catalog
    B-30 at a tilt of 90 deg). It is 0.5 at the surface and ~0.24 at 650 km: an edge-on radiator in
    LEO still sees a quarter-hemisphere of warm Earth on each face.
    """
    big_h = (R_EARTH_M + np.asarray(altitude_m, dtype=float)) / R_EARTH_M
    root = np.sqrt(big_h**2 - 1.0)
    return (np.arctan(1.0 / root) - root / big_h**2) / np.pi


def orbit_mean_albedo_cosine(beta_rad: ArrayLike) -> np.ndarray:
    """Orbit average of ``max(0, cos(solar zenith at the sub-satellite point))``: ``cos(beta)/pi``.

    Over a circular orbit the sub-satellite zenith cosine is ``cos(beta) cos(u - u0)``; its positive
    part averages to ``cos(beta)/pi``.
    """
    return np.cos(np.asarray(beta_rad, dtype=float)) / np.pi


def absorbed_environment_flux_w_m2(
    altitude_m: ArrayLike,
    beta_rad: ArrayLike,
    emissivity: ArrayLike,
    absorptivity: ArrayLike,
    view_factor: ArrayLike | None = None,
    sun_cos_incidence: ArrayLike = 0.0,
) -> np.ndarray:
    """Orbit-mean environmental flux absorbed by one face, W/m^2.

    Parameters
    ----------
    altitude_m : array_like
        Orbit altitude, m.
    beta_rad : array_like
        Beta angle (Sun elevation above the orbit plane), rad.
    emissivity, absorptivity : array_like
        Infrared emissivity and solar absorptivity of the face.
    view_factor : array_like, optional
        Earth view factor of the face; default :func:`earth_view_factor_vertical_plate` (an
        edge-on panel, the usual radiator attitude).
    sun_cos_incidence : array_like
        Mean cosine of direct sunlight on the face (0 for a panel kept edge-on to the Sun).
    """
    f = earth_view_factor_vertical_plate(altitude_m) if view_factor is None else view_factor
    earth_ir = np.asarray(emissivity) * EARTH_OLR_W_M2 * f
    albedo = (
        np.asarray(absorptivity)
        * EARTH_ALBEDO
        * SOLAR_CONSTANT_W_M2
        * f
        * orbit_mean_albedo_cosine(beta_rad)
    )
    direct = np.asarray(absorptivity) * SOLAR_CONSTANT_W_M2 * np.clip(sun_cos_incidence, 0.0, None)
    return earth_ir + albedo + direct


def net_rejection_flux_w_m2(
    temp_k: ArrayLike,
    emissivity: ArrayLike,
    absorptivity: ArrayLike,
    altitude_m: ArrayLike,
    beta_rad: ArrayLike,
    sides: ArrayLike = 2,
    fin_efficiency: ArrayLike = 1.0,
    view_factor: ArrayLike | None = None,
    sun_cos_incidence: ArrayLike = 0.0,
) -> np.ndarray:
    """Net heat a radiator panel rejects per m^2 of panel at temperature ``temp_k``, W/m^2.

    ``sides * (eta_fin eps sigma T^4 - absorbed environment)``. Zero or negative means the panel
    cannot reject any heat at that temperature: the design does not close.
    """
    emitted = np.asarray(fin_efficiency) * emitted_flux_w_m2(temp_k, emissivity)
    absorbed = absorbed_environment_flux_w_m2(
        altitude_m, beta_rad, emissivity, absorptivity, view_factor, sun_cos_incidence
    )
    return np.asarray(sides) * (emitted - absorbed)
