"""The South Atlantic Anomaly along one day of the worst shell: the >10 MeV proton series, its
passes, the ground track, and the world map of that flux at the shell's altitude."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from orbitaldc.physics import frames
from orbitaldc.physics.constants import R_EARTH_M
from orbitaldc.physics.radiation import trapped
from orbitaldc.radiation.constants import (
    SAA_ENERGY_MEV,
    SAA_MAP_STEP_DEG,
    SAA_THRESHOLD_PER_CM2_S,
    SAMPLE_STEP_S,
)
from orbitaldc.radiation.environment import Environment


@dataclass(frozen=True)
class SaaDay:
    """One day of the worst shell, arrays ``(time,)``: ``t_s`` (s since J2000), ``r_eci_m``
    ``(time, 3)``, the geodetic ground track (``lat_rad``, ``lon_rad``, ``alt_m``, WGS-84),
    ``flux_10mev_per_cm2_s`` (protons above :data:`SAA_ENERGY_MEV`) and its ``passes`` above
    :data:`SAA_THRESHOLD_PER_CM2_S`."""

    t_s: np.ndarray
    r_eci_m: np.ndarray
    lat_rad: np.ndarray
    lon_rad: np.ndarray
    alt_m: np.ndarray
    flux_10mev_per_cm2_s: np.ndarray
    passes: trapped.Passes

    def summary(self) -> dict[str, float | int]:
        """The ``saa{}`` entries of summary.json."""
        flux = self.flux_10mev_per_cm2_s
        p = self.passes
        in_saa = flux > SAA_THRESHOLD_PER_CM2_S
        return {
            "passes_per_day": int(p.entry_t_s.size),
            "mean_pass_min": float(np.mean(p.exit_t_s - p.entry_t_s) / 60.0)
            if p.entry_t_s.size
            else 0.0,
            "peak_flux_10mev_per_cm2_s": float(flux.max()),
            "fraction_of_10mev_fluence": float(flux[in_saa].sum() / flux.sum())
            if flux.sum() > 0
            else 0.0,
        }


@dataclass(frozen=True)
class SaaMap:
    """World map of the integral flux above :data:`SAA_ENERGY_MEV` at ``altitude_m``:
    ``lat_deg`` ``(n_lat,)``, ``lon_deg`` ``(n_lon,)``, ``flux_per_cm2_s`` ``(n_lat, n_lon)``."""

    altitude_m: float
    lat_deg: np.ndarray
    lon_deg: np.ndarray
    flux_per_cm2_s: np.ndarray


def saa_day(env: Environment, shell: int) -> SaaDay:
    """The first day of ``shell``'s samples with its SAA passes (``trapped.saa_passes``)."""
    n_t = int(86400.0 / SAMPLE_STEP_S)
    t = env.t_s[:n_t]
    r_eci = env.r_eci_m[shell, : t.size]
    flux = env.trapped.proton_series_per_cm2_s[shell, : t.size]
    lat, lon, alt = frames.ecef_to_geodetic(frames.eci_to_ecef(r_eci, t))
    return SaaDay(
        t_s=t,
        r_eci_m=r_eci,
        lat_rad=lat,
        lon_rad=lon,
        alt_m=alt,
        flux_10mev_per_cm2_s=flux,
        passes=trapped.saa_passes(t, flux, SAA_THRESHOLD_PER_CM2_S),
    )


def saa_map(r_eci_m: np.ndarray, proton_phase: str, field_epoch: float) -> SaaMap:
    """The AP8 ``proton_phase`` >10 MeV map (``trapped.flux_map``, :data:`SAA_MAP_STEP_DEG`, the
    trapped maps placed by the IGRF ``field_epoch``) at the mean geocentric altitude (radius minus
    the equatorial radius) of the ECI positions ``r_eci_m`` ``(time, 3)``."""
    altitude_m = float(np.mean(np.linalg.norm(r_eci_m, axis=-1))) - R_EARTH_M
    lat_deg, lon_deg, flux = trapped.flux_map(
        altitude_m, SAA_ENERGY_MEV, "p", proton_phase, field_epoch, step_deg=SAA_MAP_STEP_DEG
    )
    return SaaMap(altitude_m, lat_deg, lon_deg, flux)
