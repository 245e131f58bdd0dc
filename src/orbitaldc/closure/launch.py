"""Launch: payload to the operating orbit, satellites per launch by mass and by volume.

The catalog gives each vehicle's payload to a reference circular orbit; raising it to the
operating altitude costs the Hohmann delta-v (Vallado, *Fundamentals of Astrodynamics and
Applications*, 4th ed., alg. 36), paid by the upper stage with the rocket equation (Tsiolkovsky).
The stage's own dry mass is ignored, so the payload penalty is a lower bound. Vectorised.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from orbitaldc.physics.constants import G0_M_S2, MU_EARTH_M3_S2, R_EARTH_M


def hohmann_delta_v_m_s(altitude_from_m: ArrayLike, altitude_to_m: ArrayLike) -> np.ndarray:
    """Total delta-v of a Hohmann transfer between two circular orbits, m/s."""
    r1 = R_EARTH_M + np.asarray(altitude_from_m, dtype=float)
    r2 = R_EARTH_M + np.asarray(altitude_to_m, dtype=float)
    a_t = 0.5 * (r1 + r2)
    dv1 = np.sqrt(MU_EARTH_M3_S2 / r1) * (np.sqrt(r2 / a_t) - 1.0)
    dv2 = np.sqrt(MU_EARTH_M3_S2 / r2) * (1.0 - np.sqrt(r1 / a_t))
    return np.abs(dv1) + np.abs(dv2)


def payload_to_altitude_kg(
    payload_reference_kg: ArrayLike,
    reference_altitude_m: ArrayLike,
    altitude_m: ArrayLike,
    upper_stage_isp_s: ArrayLike,
) -> np.ndarray:
    """Payload to a circular orbit at ``altitude_m``, kg; no gain is claimed below the reference."""
    h = np.asarray(altitude_m, dtype=float)
    h_ref = np.asarray(reference_altitude_m, dtype=float)
    dv = np.where(h > h_ref, hohmann_delta_v_m_s(h_ref, h), 0.0)
    return np.asarray(payload_reference_kg) * np.exp(
        -dv / (np.asarray(upper_stage_isp_s) * G0_M_S2)
    )


def satellites_per_launch(
    payload_kg: ArrayLike,
    satellite_mass_kg: ArrayLike,
    fairing_volume_m3: ArrayLike,
    packing_efficiency: ArrayLike,
    stowed_density_kg_m3: ArrayLike,
) -> tuple[np.ndarray, np.ndarray]:
    """Satellites one launch carries, limited by mass and by fairing volume.

    Returns ``(by_mass, by_volume)``, integer-valued float arrays; the smaller one binds.
    """
    m = np.asarray(satellite_mass_kg, dtype=float)
    by_mass = np.floor(np.asarray(payload_kg) / m)
    stowed_volume_m3 = m / np.asarray(stowed_density_kg_m3)
    by_volume = np.floor(
        np.asarray(fairing_volume_m3) * np.asarray(packing_efficiency) / stowed_volume_m3
    )
    return by_mass, by_volume
