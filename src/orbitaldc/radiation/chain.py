"""The chain: :func:`assess` runs the steps in order and gathers what they computed into a
:class:`RadiationResult` (the ``radiation{}`` block, and the arrays and tables the report draws)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from orbitaldc.physics.orbit import MeanElements
from orbitaldc.radiation.array_damage import array_damage
from orbitaldc.radiation.block import block
from orbitaldc.radiation.constants import SOLAR_ENERGIES_MEV, SOURCES
from orbitaldc.radiation.dose_depth import DoseDepth, dose_depth
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
    proton_phase: str = "min"
    field_epoch: float = 1970.0
    fault_rates_per_chip_s: dict[str, float] = field(default_factory=dict)
    fault_downtime_s: dict[str, float] = field(default_factory=dict)
    solar_energies_mev: np.ndarray = field(default_factory=lambda: SOLAR_ENERGIES_MEV)
    series_lat_deg: np.ndarray = field(default_factory=lambda: np.zeros(0))
    series_lon_deg: np.ndarray = field(default_factory=lambda: np.zeros(0))
    saa_map: SaaMap | None = None
    dose_depth_table: pd.DataFrame = field(default_factory=pd.DataFrame)


def dose_depth_table(d: DoseDepth) -> pd.DataFrame:
    """The worst shell's dose-depth curve: rad(Si)/yr per source and in total versus aluminium
    thickness (mm) and areal mass (g/cm^2)."""
    table = pd.DataFrame(
        {"thickness_mm": d.thickness_m * 1e3, "areal_mass_g_cm2": d.areal_mass_g_cm2}
    )
    for source in SOURCES:
        table[f"{source}_rad_si_per_year"] = d.rad_si_per_year[source][d.worst_shell]
    table["total_rad_si_per_year"] = sum(d.rad_si_per_year[s][d.worst_shell] for s in SOURCES)
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
    dose = dose_depth(inputs, env)
    shielded = shielded_spectra(inputs, env, dose)
    life = lifetime(inputs, dose, satellite_mass_kg)
    array = array_damage(inputs, env, dose)
    events = single_events(inputs, shielded, int(fleet_satellites or elements.n_satellites))
    day = saa_day(env, dose.worst_shell)
    w = dose.worst_shell
    return RadiationResult(
        summary=block(inputs, env, dose, life, array, shielded, events, day),
        thickness_m=dose.thickness_m,
        dose_rad_si_per_year={k: v[w] for k, v in dose.rad_si_per_year.items()},
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
            inputs, shielded, events, day, dose.shielding_g_cm2
        ),
        proton_phase=inputs.proton_phase,
        field_epoch=inputs.field_epoch,
        fault_rates_per_chip_s=events.rate_per_device_per_s,
        fault_downtime_s=events.recovery_s,
        solar_energies_mev=inputs.solar_energies_mev,
        series_lat_deg=np.degrees(day.lat_rad),
        series_lon_deg=np.degrees(day.lon_rad),
        saa_map=saa_map(inputs, day),
        dose_depth_table=dose_depth_table(dose),
    )
