"""Step 6, single-event rates: every effect the accelerator catalog lists, per device, satellite
and fleet, from its proton cross-section over the shielded proton spectra and its heavy-ion
Weibull over the LET spectrum; the rates during the CREME96 worst-case event; and the rate series
along one day of the worst shell (the SAA peaks)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from orbitaldc.physics.radiation import see, transport, trapped
from orbitaldc.radiation.constants import LET_GRID_MEV_CM2_MG
from orbitaldc.radiation.inputs import Inputs
from orbitaldc.radiation.saa import SaaDay
from orbitaldc.radiation.shielded import Shielded

CrossSection = Callable[[np.ndarray], np.ndarray]


@dataclass(frozen=True)
class SingleEvents:
    """``block``: the ``see{}`` entries of summary.json by effect name (``kind``, or ``host_kind``
    for host-scope effects); ``rate_per_device_per_s`` and ``recovery_s`` by the same names (what
    the twin draws chip outages from: a host event takes its chips down, so each chip's outage
    rate is the device rate for both scopes)."""

    block: dict[str, dict[str, Any]]
    rate_per_device_per_s: dict[str, float]
    recovery_s: dict[str, float]
    cross_sections: dict[str, CrossSection]


def effect_name(effect: Any) -> str:
    """Name of a catalog single-event effect in the summary: its kind, ``host_`` for host scope."""
    return effect.kind if effect.scope == "chip" else f"host_{effect.kind}"


def cross_section_fn(effect: Any) -> CrossSection:
    """sigma(E) in cm^2 per device for one catalog single-event effect (``see``): its measured
    proton cross-section, or one derived from its dose per event, extended in energy by the
    Bendel form or a step at its threshold."""
    if effect.proton_cross_section_cm2 is not None:
        sigma = effect.proton_cross_section_cm2
    else:
        sigma = float(
            see.cross_section_from_dose_per_event_cm2(
                effect.dose_per_event_rad_si, effect.test_energy_mev
            )
        )

    def sigma_cm2(energy_mev: np.ndarray) -> np.ndarray:
        return see.proton_cross_section_cm2(
            energy_mev,
            sigma,
            test_energy_mev=effect.test_energy_mev,
            bendel_a_mev=effect.bendel_a_mev,
            threshold_mev=effect.proton_threshold_mev,
        )

    return sigma_cm2


def heavy_ion_rate_per_s(effect: Any, shielded: Shielded) -> float:
    """Heavy-ion rate per device (per s) of ``effect``; 0 without a published Weibull."""
    if effect.heavy_ion_saturation_cm2 is None:
        return 0.0
    return float(
        see.heavy_ion_rate_per_s(
            LET_GRID_MEV_CM2_MG,
            shielded.let_per_cm2_s,
            effect.heavy_ion_saturation_cm2,
            effect.heavy_ion_threshold_let,
            effect.heavy_ion_width_let,
            effect.heavy_ion_shape,
        )
    )


def single_events(inputs: Inputs, shielded: Shielded, fleet_satellites: int) -> SingleEvents:
    """Step 6 (``physics.radiation.see``) for every effect of the accelerator."""
    block: dict[str, dict[str, Any]] = {}
    rates: dict[str, float] = {}
    recovery: dict[str, float] = {}
    sigmas: dict[str, CrossSection] = {}
    for effect in inputs.accelerator.single_event_effects:
        name = effect_name(effect)
        sigma_fn = cross_section_fn(effect)
        sigmas[name] = sigma_fn
        by_source = {
            src: float(see.proton_see_rate_per_s(shielded.energies_mev[src], j, sigma_fn))
            for src, j in shielded.protons_per_cm2_s.items()
        }
        heavy = heavy_ion_rate_per_s(effect, shielded)
        rate = sum(by_source.values()) + heavy
        # During the event its protons replace the mission-average solar protons; trapped
        # protons (orbit average) and cosmic rays continue.
        background = by_source["trapped"] + by_source["gcr"] + heavy
        event_rate = {
            case: float(see.proton_see_rate_per_s(shielded.event_energies_mev, j, sigma_fn))
            + background
            for case, j in shielded.event_shielded_per_cm2_s.items()
        }
        devices = inputs.chips if effect.scope == "chip" else inputs.hosts
        rates[name] = rate
        recovery[name] = effect.recovery_s
        block[name] = {
            "kind": effect.kind,
            "scope": effect.scope,
            "per_device_per_day": rate * 86400.0,
            "per_satellite_per_day": rate * devices * 86400.0,
            "per_fleet_per_day": rate * devices * fleet_satellites * 86400.0,
            "fraction_trapped": by_source["trapped"] / rate if rate > 0 else None,
            "fraction_heavy_ion": heavy / rate if rate > 0 else None,
            "recovery_s": effect.recovery_s,
            "confidence": effect.confidence,
            "peak_solar_event_per_chip_per_day": event_rate["peak_5min"] * 86400.0,
            "worst_day_solar_event_per_chip_per_day": event_rate["worst_day"] * 86400.0,
        }
    return SingleEvents(block, rates, recovery, sigmas)


def see_series_per_s(
    inputs: Inputs, shielded: Shielded, events: SingleEvents, day: SaaDay, shielding_g_cm2: float
) -> dict[str, np.ndarray]:
    """Single-event rate per device (per s) along ``day`` ``(time,)`` by effect: trapped protons
    sample by sample at its ground track (the SAA peaks) plus the solar and cosmic-ray protons'
    orbit average."""
    e_p = shielded.energies_mev["trapped"]
    local = trapped.integral_flux_per_cm2_s(
        day.lat_rad, day.lon_rad, day.alt_m, "p", inputs.proton_phase, inputs.field_epoch
    )
    local = transport.shielded_integral_spectrum(
        e_p, local, shielding_g_cm2, "proton", inputs.shielding_geometry
    )
    out = {}
    for name, fn in events.cross_sections.items():
        background = sum(
            float(
                see.proton_see_rate_per_s(
                    shielded.energies_mev[src], shielded.protons_per_cm2_s[src], fn
                )
            )
            for src in ("solar", "gcr")
        )
        out[name] = see.proton_see_rate_per_s(e_p, local, fn) + background
    return out
