"""Radiator and solar-array physics against published figures and independent integrations."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import integrate

from orbitaldc.physics import radiator, solar_array
from orbitaldc.physics.constants import R_EARTH_M


@pytest.mark.parametrize(
    ("temp_k", "per_side"),
    # shared/reference/published-figures.md, "Radiators": grey plate, emissivity 0.90, 0 K sink.
    [(300.0, 413.4), (320.0, 535.1), (350.0, 765.8)],
)
def test_grey_plate_matches_published(temp_k, per_side):
    # The published figures carry 4 significant digits: 0.05 W/m^2 is their rounding.
    assert radiator.emitted_flux_w_m2(temp_k, 0.90) == pytest.approx(per_side, abs=0.05)


def test_area_per_megawatt_one_sided():
    # Published: 2,419 m^2 one-sided per MW at 300 K, emissivity 0.9 (4 significant digits).
    assert 1e6 / radiator.emitted_flux_w_m2(300.0, 0.9) == pytest.approx(2419, abs=0.5)


def _view_factor_numeric(altitude_m: float, normal_tilt_rad: float) -> float:
    """View factor from a plane element to a sphere by direct integration over the visible cap.

    dF = cos(theta_1) cos(theta_2) / (pi s^2) dA over the sphere points that the element sees and
    that face it; independent of the closed forms in orbitaldc.physics.radiator.
    """
    d = R_EARTH_M + altitude_m
    normal = np.array([np.sin(normal_tilt_rad), 0.0, -np.cos(normal_tilt_rad)])  # tilt from nadir

    def integrand(phi: float, theta: float) -> float:
        # Point on the sphere (centre at -d z) in spherical coordinates about the z axis.
        p = np.array(
            [
                R_EARTH_M * np.sin(theta) * np.cos(phi),
                R_EARTH_M * np.sin(theta) * np.sin(phi),
                -d + R_EARTH_M * np.cos(theta),
            ]
        )
        s_vec = p
        s = np.linalg.norm(s_vec)
        surface_normal = (p - np.array([0.0, 0.0, -d])) / R_EARTH_M
        cos1 = np.dot(normal, s_vec) / s
        cos2 = -np.dot(surface_normal, s_vec) / s
        if cos1 <= 0 or cos2 <= 0:
            return 0.0
        return cos1 * cos2 / (np.pi * s**2) * R_EARTH_M**2 * np.sin(theta)

    theta_max = np.arccos(R_EARTH_M / d)  # horizon cap half-angle seen from the satellite
    value, _ = integrate.dblquad(integrand, 0.0, theta_max, 0.0, 2 * np.pi, epsabs=1e-7)
    return value


@pytest.mark.parametrize("altitude_km", [400.0, 650.0, 1200.0])
def test_view_factors_against_numeric_integration(altitude_km):
    h = altitude_km * 1e3
    # Quadrature of a smooth integrand to epsabs 1e-7: agreement to 1e-4 is far inside it.
    assert radiator.earth_view_factor_nadir_plate(h) == pytest.approx(
        _view_factor_numeric(h, 0.0), abs=1e-4
    )
    assert radiator.earth_view_factor_vertical_plate(h) == pytest.approx(
        _view_factor_numeric(h, np.pi / 2), abs=1e-4
    )


def test_net_flux_falls_below_zero_for_a_cold_radiator():
    # Earth IR (0.85 x 240 x 0.24 = 49 W/m^2) exceeds emission at 170 K (0.85 sigma 170^4 = 40).
    cold = radiator.net_rejection_flux_w_m2(170.0, 0.85, 0.2, 650e3, 0.0)
    warm = radiator.net_rejection_flux_w_m2(330.0, 0.85, 0.2, 650e3, 0.0)
    assert cold < 0 < warm


def test_albedo_orbit_average_cosine():
    # Independent of the closed form: the mean over the orbit of the sub-satellite point's
    # zenith cosine, cos(beta) cos(u), where the Sun is up. The periodic rectangle rule on 200,000
    # points is accurate to ~(2 pi / 200,000)^2 at the two kinks: 1e-5 relative is ample.
    beta = np.radians(30.0)
    u = np.linspace(0, 2 * np.pi, 200_000, endpoint=False)  # periodic: no duplicate end
    numeric = np.mean(np.clip(np.cos(beta) * np.cos(u), 0, None))
    assert radiator.orbit_mean_albedo_cosine(beta) == pytest.approx(numeric, rel=1e-5)


def test_starlink_v2_mini_array_power():
    # shared/reference: ~105 m^2, 22 % cells, 90 % packing -> ~28 kW at 1361 W/m^2.
    p = solar_array.array_power_w(105.0, 1361.0, 0.22, 0.90)
    assert p == pytest.approx(28_000, rel=0.015)  # "~28 kW" is given to 2 significant digits


def test_aphelion_irradiance():
    # 1361 / 1.0167^2 = 1316.6 W/m^2 (Earth's eccentricity 0.0167).
    assert solar_array.aphelion_irradiance_w_m2() == pytest.approx(1316.6, abs=0.3)


def test_degradation_and_temperature_factors():
    # 2 %/yr compounded over 5 years (SMAD 3rd ed. eq. 11-6) leaves 0.903921 (0.98 x 0.98 x 0.98 x
    # 0.98 x 0.98, worked by hand to 1e-6); a linear 2 %/yr would leave 0.900000.
    assert solar_array.degradation_factor(5, 0.02) == pytest.approx(0.903921, abs=5e-7)
    # -0.2 %/K, 50 K above the 28 C (301.15 K) rating point: 10 % less power.
    assert solar_array.temperature_factor(301.15 + 50, -0.002) == pytest.approx(0.9, rel=1e-12)


def test_pointing_factor_against_the_sun_vector():
    # A body-fixed array whose normal is the orbit normal, with the Sun at beta above the orbit
    # plane: cos(incidence) is the dot product of the normal (0, 0, 1) and the Sun direction
    # (cos beta, 0, sin beta), for any beta including the beta = 90 deg of a noon-midnight Sun.
    for beta_deg in (0.0, 30.0, 58.6, 90.0, -45.0):
        beta = np.radians(beta_deg)
        sun = np.array([np.cos(beta), 0.0, np.sin(beta)])
        expected = abs(np.dot([0.0, 0.0, 1.0], sun))  # either face of the panel may face the Sun
        assert solar_array.pointing_factor("fixed", 0.0, beta) == pytest.approx(expected, abs=1e-15)
    # A tracking array 2 deg off the Sun: cos(2 deg) = 0.999391 (table value), whatever beta is.
    assert solar_array.pointing_factor("sun-tracking", np.radians(2.0), 0.3) == pytest.approx(
        0.999391, abs=5e-7
    )
    with pytest.raises(ValueError, match="pointing"):
        solar_array.pointing_factor("gimbal", 0.0, 0.0)
