"""The chain's inputs: a design spec's radiation choices, resolved once into plain values."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from orbitaldc import catalog
from orbitaldc.physics.constants import SECONDS_PER_YEAR
from orbitaldc.physics.radiation import damage, gcr
from orbitaldc.physics.timescale import seconds_since_j2000
from orbitaldc.radiation.constants import (
    FIELD_EPOCH,
    SOLAR_ENERGIES_FROM_1_MEV,
    SOLAR_ENERGIES_MEV,
)


@dataclass(frozen=True)
class Inputs:
    """What the steps read from the spec and the catalog (SI units unless named otherwise).

    ``proton_phase``/``electron_phase`` are the AP8/AE8 solar phases ('min' or 'max'),
    ``gcr_phi_mv`` the cosmic-ray force-field modulation potential (MV); ``field_epoch`` the IGRF
    epoch placing the trapped maps and ``other_field_epoch`` the other shipped one (for the stated
    model spread). ``start_year`` is the decimal year of the mission start, ``start_s`` the same in
    s since J2000. ``solar_energies_mev`` is the solar-proton energy grid of the chosen model.
    """

    proton_phase: str
    electron_phase: str
    gcr_phi_mv: float
    field_epoch: float
    other_field_epoch: float
    lifetime_years: float
    start_s: float
    start_year: float
    seed: int | None
    solar_proton_model: str
    solar_proton_confidence: float
    solar_energies_mev: np.ndarray
    shielding_m: float
    shielding_geometry: str
    cover_glass_g_cm2: float
    array_name: str
    array_curve: str
    array_degradation_per_year: float
    accelerator: Any
    chips: int
    hosts: int

    @property
    def esp(self) -> bool:
        """Whether the solar protons come from ESP (else JPL-91)."""
        return self.solar_proton_model == "esp"


def model_phases(solar_cycle: str) -> tuple[str, str, float]:
    """(AP8 phase, AE8 phase, cosmic-ray modulation potential MV) for ``radiation.solar_cycle``.

    'worst' takes each source at its worst: AP8 MIN (more trapped protons at solar minimum), AE8
    MAX and the solar-minimum cosmic rays.
    """
    if solar_cycle == "worst":
        return "min", "max", gcr.PHI_SOLAR_MIN_MV
    if solar_cycle == "min":
        return "min", "min", gcr.PHI_SOLAR_MIN_MV
    return "max", "max", gcr.PHI_SOLAR_MAX_MV


def inputs_from_spec(spec: Any) -> Inputs:
    """Resolve an orbital design spec's radiation choices; ``ValueError`` for a terrestrial one."""
    if spec.orbit is None or spec.satellite is None:
        raise ValueError("radiation: a terrestrial design has no orbit to assess")
    rad = spec.radiation
    acc = catalog.get("accelerators", spec.satellite.compute.accelerator)
    ap8, ae8, phi_mv = model_phases(rad.solar_cycle)
    other = "current" if rad.trapped_field == "model-epoch" else "model-epoch"
    start = spec.mission.start
    chips = spec.satellite.compute.count
    array = spec.satellite.power.array
    return Inputs(
        proton_phase=ap8,
        electron_phase=ae8,
        gcr_phi_mv=phi_mv,
        field_epoch=FIELD_EPOCH[rad.trapped_field],
        other_field_epoch=FIELD_EPOCH[other],
        lifetime_years=spec.mission.lifetime_s / SECONDS_PER_YEAR,
        start_s=float(seconds_since_j2000(start)),
        start_year=start.year + (start.timetuple().tm_yday - 1) / 365.25,
        seed=spec.mission.seed,
        solar_proton_model=rad.solar_proton_model,
        solar_proton_confidence=rad.solar_proton_confidence,
        solar_energies_mev=(
            SOLAR_ENERGIES_FROM_1_MEV if rad.solar_proton_model == "esp" else SOLAR_ENERGIES_MEV
        ),
        shielding_m=spec.satellite.structure.shielding_m,
        shielding_geometry=rad.shielding_geometry,
        cover_glass_g_cm2=rad.cover_glass_m * 100.0 * damage.COVER_GLASS_DENSITY_G_CM3,
        array_name=array,
        array_curve=damage.ARRAY_CELL_CURVE.get(array, "gainp-gaas-ge-3j"),
        array_degradation_per_year=catalog.get("solar_arrays", array).degradation_per_year,
        accelerator=acc,
        chips=chips,
        hosts=int(np.ceil(chips / acc.chips_per_host)),
    )
