"""The chain: :func:`assess` runs the steps in order and gathers what they computed into a
:class:`RadiationResult` (the ``radiation{}`` block, and the arrays and tables the report draws)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import numpy as np
import pandas as pd

from orbitaldc.physics.orbit import MeanElements
from orbitaldc.physics.radiation import dose
from orbitaldc.radiation.array_damage import array_damage
from orbitaldc.radiation.block import block
from orbitaldc.radiation.constants import SOLAR_ENERGIES_MEV, SOURCES
from orbitaldc.radiation.dose_depth import dose_depth
from orbitaldc.radiation.environment import environment
from orbitaldc.radiation.inputs import inputs_from_spec
from orbitaldc.radiation.lifetime import lifetime
from orbitaldc.radiation.saa import SaaMap, saa_day, saa_map
from orbitaldc.radiation.shielded import shielded_spectra
from orbitaldc.radiation.single_events import see_series_per_s, single_events


@dataclass(frozen=True)
class RadiationResult:
    """What the chain computes for one design (per satellite of the worst shell).

    ``summary`` is the ``radiation{}`` block; ``thickness_m`` and ``dose_rad_si_per_year``
    ``{source: (thickness,)}`` the dose-depth curve, also as ``dose_depth_table`` (one row per
    thickness); the trapped and solar spectra (integral, per cm^2 per s) on their energy grids;
    ``degradation_years``/``degradation_factor`` the array's remaining power; ``series_*`` one day
    of the orbit (``(time,)``; ``series_lat_deg``/``series_lon_deg`` its ground track);
    ``saa_map`` the >10 MeV map at the shell's altitude; ``fault_rates_per_chip_s`` and
    ``fault_downtime_s`` the single-event outages the twin draws.
    """

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
    series_lat_deg: np.ndarray
    series_lon_deg: np.ndarray
    proton_phase: str = "min"
    field_epoch: float = 1970.0
    fault_rates_per_chip_s: dict[str, float] = field(default_factory=dict)
    fault_downtime_s: dict[str, float] = field(default_factory=dict)
    solar_energies_mev: np.ndarray = field(default_factory=lambda: SOLAR_ENERGIES_MEV)

    @cached_property
    def dose_depth_table(self) -> pd.DataFrame:
        """The dose-depth curve as a table (see :func:`dose_depth_table`)."""
        return dose_depth_table(self.thickness_m, self.dose_rad_si_per_year)

    @cached_property
    def saa_map(self) -> SaaMap:
        """The >10 MeV map at the worst shell's altitude (:func:`saa.saa_map`), computed on first
        use: ~10 ms that ``orbitaldc run`` does not need."""
        return saa_map(self.series_r_eci_m, self.proton_phase, self.field_epoch)


def dose_depth_table(
    thickness_m: np.ndarray, rad_si_per_year: dict[str, np.ndarray]
) -> pd.DataFrame:
    """A dose-depth curve ``{source: (thickness,)}`` as a table: rad(Si)/yr per source and in
    total versus aluminium thickness (mm) and areal mass (g/cm^2)."""
    table = pd.DataFrame(
        {"thickness_mm": thickness_m * 1e3, "areal_mass_g_cm2": dose.areal_mass_g_cm2(thickness_m)}
    )
    for source in SOURCES:
        table[f"{source}_rad_si_per_year"] = rad_si_per_year[source]
    table["total_rad_si_per_year"] = sum(rad_si_per_year[s] for s in SOURCES)
    return table


def assess(
    spec: Any,
    elements: MeanElements,
    fleet_satellites: int | None = None,
    satellite_mass_kg: Callable[[float], float] | None = None,
) -> RadiationResult:
    """Run the radiation chain for an orbital design ``spec`` (see the package docstring).

    ``elements``: the fleet's mean elements at the mission start; ``fleet_satellites``: the
    closure's satellite count for the fleet rates (``None`` or 0: ``elements.n_satellites``);
    ``satellite_mass_kg(shielding_m) -> kg``: the closed satellite mass with that much aluminium
    around the compute (``None``: the summary's mass figure is ``None``).
    """
    inputs = inputs_from_spec(spec)
    env = environment(inputs, elements)
    depth = dose_depth(inputs, env)
    shielded = shielded_spectra(inputs, env, depth)
    life = lifetime(inputs, depth, satellite_mass_kg)
    array = array_damage(inputs, env, depth)
    events = single_events(inputs, shielded, int(fleet_satellites or elements.n_satellites))
    day = saa_day(env, depth.worst_shell)
    w = depth.worst_shell
    return RadiationResult(
        summary=block(inputs, env, depth, life, array, shielded, events, day),
        thickness_m=depth.thickness_m,
        dose_rad_si_per_year={k: v[w] for k, v in depth.rad_si_per_year.items()},
        proton_energies_mev=env.proton_energies_mev,
        trapped_proton_integral_per_cm2_s=env.trapped.proton_mean_per_cm2_s[w],
        electron_energies_mev=env.electron_energies_mev,
        trapped_electron_integral_per_cm2_s=env.trapped.electron_mean_per_cm2_s[w],
        solar_proton_integral_per_cm2_s=env.solar_proton_integral_per_cm2_s[w],
        degradation_years=array.years,
        degradation_factor=array.remaining_factor,
        series_t_s=day.t_s,
        series_r_eci_m=day.r_eci_m,
        series_flux_10mev_per_cm2_s=day.flux_10mev_per_cm2_s,
        series_see_per_device_per_s=see_series_per_s(
            inputs, shielded, events, day, depth.shielding_g_cm2
        ),
        proton_phase=inputs.proton_phase,
        field_epoch=inputs.field_epoch,
        fault_rates_per_chip_s=events.rate_per_device_per_s,
        fault_downtime_s=events.recovery_s,
        solar_energies_mev=inputs.solar_energies_mev,
        series_lat_deg=np.degrees(day.lat_rad),
        series_lon_deg=np.degrees(day.lon_rad),
    )
