"""The radiation chain of a design: environment along its orbits -> dose -> lifetime -> error rates.

The standard chain SPENVIS and OMERE users know, built from the pure functions of
:mod:`orbitaldc.physics.radiation`, as one short function per step (each returns a small
dataclass; call them one by one to look inside, as with pvlib's ``ModelChain``):

0. ``inputs_from_spec(spec) -> Inputs``: the spec's radiation choices resolved (AP8/AE8 phases,
   field epoch, solar-proton model, shielding, accelerator, array).
1. ``environment(inputs, elements) -> Environment``: the fleet's distinct shells (one
   representative satellite per distinct altitude, eccentricity and inclination) propagated for
   :data:`SAMPLE_DAYS` days at :data:`SAMPLE_STEP_S`; AE8/AP8 trapped protons and electrons
   averaged along them, the >10 MeV series and the geomagnetic cutoff histogram in one compiled
   pass; ESP (or JPL-91) solar-proton mission fluence at the spec's confidence over the
   solar-active years, and force-field galactic cosmic rays, both through that cutoff.
2. ``dose_depth(inputs, env) -> DoseDepth``: dose-depth curves in silicon behind aluminium per
   source for every shell, the worst shell (highest total at the shielding, the one reported), the
   dose at the spec's shielding and the other field epoch's trapped dose.
3. ``shielded_spectra(inputs, env, dose) -> Shielded`` (transport): the worst shell's proton
   spectra behind the shielding (trapped, solar, cosmic-ray, CREME96 worst-case event) and its
   cosmic-ray LET spectrum.
4. ``lifetime(inputs, dose, satellite_mass_kg) -> Lifetime``: years to the accelerator's
   total-dose tolerance and the shielding that makes the mission with the radiation design margin
   :data:`RADIATION_DESIGN_MARGIN`.
5. ``array_damage(inputs, env, dose) -> ArrayDamage``: displacement damage behind the cover glass
   -> remaining array power versus time (the table the twin interpolates).
6. ``single_events(inputs, shielded, fleet_satellites) -> SingleEvents``: every effect the
   accelerator catalog lists, from its proton cross-section and its heavy-ion Weibull, the rates
   during the worst-case solar event (peak five minutes, worst day); ``saa_day(env, shell)`` and
   ``see_series_per_s(...)`` the SAA passes and the rates along one day.
7. ``block(...) -> dict``: the ``radiation{}`` block of summary.json (docs/radiation.md).

The result also carries what the report draws, computed here so that ``report/`` only draws:
``RadiationResult.dose_depth_table`` and ``RadiationResult.saa_map`` (the >10 MeV map at the
worst shell's altitude, ``saa_map(...)``, computed on first use) and the day's ground track.

The chain on top::

    assess(spec, elements, fleet_satellites=None, satellite_mass_kg=None) -> RadiationResult

``elements`` (``physics.orbit.MeanElements``) is the fleet at the mission start; ``fleet_satellites``
the closure's satellite count (``summary["fleet"]["satellites"]``; ``None``: count ``elements``);
``satellite_mass_kg(shielding_m) -> kg`` the closure's satellite mass with that much aluminium
around the compute (``None``: that figure is ``None``). The caller (``orbitaldc.api``) supplies
them; this package imports only spec types, the catalog and physics, never the closure, the twin,
the report or the CLI. All figures are per satellite unless named ``fleet``. Randomness (the
JPL-91 Monte Carlo; ESP is closed-form) comes from ``mission.seed``.
"""

from orbitaldc.radiation.array_damage import ArrayDamage, array_damage
from orbitaldc.radiation.block import block
from orbitaldc.radiation.chain import RadiationResult, assess, dose_depth_table
from orbitaldc.radiation.constants import (
    FIELD_EPOCH,
    GCR_ENERGIES_MEV_PER_N,
    LET_GRID_MEV_CM2_MG,
    RADIATION_DESIGN_MARGIN,
    SAA_ENERGY_MEV,
    SAA_THRESHOLD_PER_CM2_S,
    SAMPLE_DAYS,
    SAMPLE_STEP_S,
    SOLAR_ENERGIES_FROM_1_MEV,
    SOLAR_ENERGIES_MEV,
    SOURCES,
    THICKNESS_GRID_M,
)
from orbitaldc.radiation.dose_depth import DoseDepth, dose_depth
from orbitaldc.radiation.environment import (
    Environment,
    OutsideRadiationModel,
    environment,
    representative_shells,
)
from orbitaldc.radiation.inputs import Inputs, inputs_from_spec
from orbitaldc.radiation.lifetime import Lifetime, lifetime
from orbitaldc.radiation.saa import SaaDay, SaaMap, saa_day, saa_map
from orbitaldc.radiation.shielded import Shielded, shielded_spectra
from orbitaldc.radiation.single_events import SingleEvents, see_series_per_s, single_events

__all__ = [
    "FIELD_EPOCH",
    "GCR_ENERGIES_MEV_PER_N",
    "LET_GRID_MEV_CM2_MG",
    "RADIATION_DESIGN_MARGIN",
    "SAA_ENERGY_MEV",
    "SAA_THRESHOLD_PER_CM2_S",
    "SAMPLE_DAYS",
    "SAMPLE_STEP_S",
    "SOLAR_ENERGIES_FROM_1_MEV",
    "SOLAR_ENERGIES_MEV",
    "SOURCES",
    "THICKNESS_GRID_M",
    "ArrayDamage",
    "DoseDepth",
    "Environment",
    "Inputs",
    "Lifetime",
    "OutsideRadiationModel",
    "RadiationResult",
    "SaaDay",
    "SaaMap",
    "Shielded",
    "SingleEvents",
    "array_damage",
    "assess",
    "block",
    "dose_depth",
    "dose_depth_table",
    "environment",
    "inputs_from_spec",
    "lifetime",
    "representative_shells",
    "saa_day",
    "saa_map",
    "see_series_per_s",
    "shielded_spectra",
    "single_events",
]
