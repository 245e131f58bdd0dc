"""Dose-depth (``dose.py``) against a published SHIELDOSE-2 curve.

Reference: SPENVIS 4.6.11 SHIELDOSE-2, dose in Si at the centre of Al spheres, 550 km circular,
55 deg, 5 years, AP-8 MIN protons and AE-8 MAX electrons (github.com/pfandzelter/
leo-edge-failure-models, compute-failure/results/55.txt at f15cde76; shipped as
tests/data/shieldose2_spenvis_550km_55deg_sphere.csv with its provenance).

That run's orbit-averaged spectra were not published with it, and no stored public source pairs a
SHIELDOSE-2 output with its own input spectra. The inputs are therefore built from the nearest
published SPENVIS spectra, AP-8 MIN / AE-8 MAX at 530 km 53 deg (github.com/tdloveless/me-radfx,
HW/HW_02_Resources/starlink_spenvis_tri.txt at e8bbcc0f; tests/data/spenvis_trapped_530km_53deg.csv),
moved to 550 km 55 deg energy by energy with the ratio of our own AE8/AP8 orbit averages at the two
orbits (1970 field, 30 days at 60 s, as SPENVIS). That transfer is 1.05-1.14 for protons above
1 MeV and 1.08-1.31 for electrons: the test checks the dose method on spectra that are SPENVIS's
except for a 5-30 % environment step, and the tolerances below carry that step's uncertainty
(about 10 %) on top of the method's. Only the sphere geometry is published; the slab is not
compared here.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from orbitaldc.physics import constellation
from orbitaldc.physics.fleet_shadow import positions_and_illumination
from orbitaldc.physics.radiation import dose, trapped
from orbitaldc.physics.timescale import seconds_since_j2000

DATA = Path(__file__).parent / "data"
MISSION_S = 1825.0 * 86400.0


def _rows(name: str) -> list[str]:
    """Data lines of a shipped CSV (the '#' lines are its provenance header)."""
    return [line for line in (DATA / name).read_text().splitlines() if not line.startswith("#")]


def _reference() -> dict[str, np.ndarray]:
    table = np.genfromtxt(
        _rows("shieldose2_spenvis_550km_55deg_sphere.csv"), delimiter=",", names=True
    )
    return {name: np.asarray(table[name], dtype=float) for name in table.dtype.names}


def _spenvis_spectra() -> dict[str, tuple[np.ndarray, np.ndarray]]:
    table = np.genfromtxt(
        _rows("spenvis_trapped_530km_53deg.csv"),
        delimiter=",",
        names=True,
        dtype=None,
        encoding="utf-8",
    )
    return {
        s: (
            np.asarray(table["energy_mev"][table["species"] == s], dtype=float),
            np.asarray(table["integral_per_cm2_s"][table["species"] == s], dtype=float),
        )
        for s in ("p", "e")
    }


def _orbit_average(altitude_m: float, inclination_deg: float, start: str) -> dict[str, np.ndarray]:
    t0 = float(seconds_since_j2000(start))
    el = constellation.single(altitude_m, np.radians(inclination_deg), 0.0, t0)
    t = t0 + np.arange(0.0, 30 * 86400.0, 60.0)
    r, _ = positions_and_illumination(el, t, keep_positions=True)
    return {
        "p": trapped.orbit_average(r, t, "p", "min", 1970.0)[0],
        "e": trapped.orbit_average(r, t, "e", "max", 1970.0)[0],
    }


@pytest.fixture(scope="module")
def comparison() -> dict[str, np.ndarray]:
    """Our sphere dose-depth (rad(Si) over the mission) on the reference thicknesses."""
    ref = _reference()
    spenvis = _spenvis_spectra()
    near = _orbit_average(530e3, 53.0, "2026-01-01T00:00:00")
    target = _orbit_average(550e3, 55.0, "2023-01-01T00:00:00")
    thickness = dose.areal_mass_g_cm2(ref["al_mm"] / 1000.0)
    out = {"al_mm": ref["al_mm"]}
    for s, species in (("p", ("proton",)), ("e", ("electron", "bremsstrahlung"))):
        grid = trapped.energies_mev(s)
        ok = (near[s] > 0.0) & (target[s] > 0.0)
        energy, integral = spenvis[s]
        transfer = np.exp(
            np.interp(np.log(energy), np.log(grid[ok]), np.log(target[s][ok] / near[s][ok]))
        )
        for name in species:
            out[name] = MISSION_S * dose.dose_depth_rad_si_per_s(
                energy, integral * transfer, name, thickness, "sphere"
            )
    out["total"] = out["proton"] + out["electron"] + out["bremsstrahlung"]
    return out


def _ratio(comparison, ref, ours: str, theirs: str, lo_mm: float, hi_mm: float) -> np.ndarray:
    sel = (ref["al_mm"] >= lo_mm) & (ref["al_mm"] <= hi_mm)
    return comparison[ours][sel] / ref[theirs][sel]


def test_trapped_proton_dose_within_25_percent_of_shieldose2(comparison):
    """Measured 0.82-0.98 over 0.05-20 mm. Both are CSDA calculations (SHIELDOSE-2's proton part
    has no straggling either), so the method differs only in range tables (PSTAR here, Janni 1982
    there: 1-3 %) and SHIELDOSE-2's nuclear-attenuation correction; the rest is the environment
    step (10 % above 10 MeV, up to 30 % below 1 MeV, which sets the 0.05 mm point). Bound 25 %."""
    ratio = _ratio(comparison, _reference(), "proton", "proton_rad", 0.0, 20.0)
    assert np.all(np.abs(np.log(ratio)) < np.log(1.25)), ratio


def test_trapped_electron_dose_within_factor_1p6_where_it_matters(comparison):
    """Measured 0.65-0.87 from 0.05 to 6 mm (where electrons are > 20 % of the total). Ours stops
    every electron at its extrapolated range with no straggling or backscatter, against
    SHIELDOSE-2's ETRAN Monte Carlo; the module docstring quotes a factor 1.5-2. Bound: factor 1.6.
    Beyond 7 mm SHIELDOSE-2 keeps a straggling tail we do not have, so ours must fall below it
    there (measured 0.77 at 7 mm to 0.42 at 10 mm, then zero): that tail is < 1 % of the total."""
    ref = _reference()
    ratio = _ratio(comparison, ref, "electron", "electron_rad", 0.0, 6.0)
    assert np.all(np.abs(np.log(ratio)) < np.log(1.6)), ratio
    deep = (ref["al_mm"] >= 7.0) & (ref["electron_rad"] > 0.0)
    assert np.all(comparison["electron"][deep] < ref["electron_rad"][deep])
    assert np.all(ref["electron_rad"][deep] < 0.1 * ref["total_rad"][deep])


def test_bremsstrahlung_within_30_percent_behind_thick_shields(comparison):
    """Measured 0.85-1.19 from 5 to 20 mm, where bremsstrahlung overtakes the electrons and is the
    only electron-borne dose left; the spread is the Kramers spectrum and broad-beam attenuation
    with mu_en standing in for buildup (docstring: good to a factor ~2). Bound 30 %. Behind thin
    shields ours is 2-8x low (0.12 at 0.05 mm, 0.49 at 1 mm): there bremsstrahlung is < 0.7 % of
    the total in SHIELDOSE-2 itself, so the total test below is where that is held."""
    ref = _reference()
    ratio = _ratio(comparison, ref, "bremsstrahlung", "bremsstrahlung_rad", 5.0, 20.0)
    assert np.all(np.abs(np.log(ratio)) < np.log(1.3)), ratio
    thin = ref["al_mm"] <= 2.0
    assert np.all(ref["bremsstrahlung_rad"][thin] < 0.01 * ref["total_rad"][thin])


def test_total_dose_against_shieldose2(comparison):
    """Measured 0.65-0.87 below 2 mm (electron-dominated) and 0.87-0.99 from 2 to 20 mm (the
    suncatcher and design range, protons dominant): bounds factor 1.6 and 20 % respectively,
    the electron and proton bounds above."""
    ref = _reference()
    thin = _ratio(comparison, ref, "total", "total_rad", 0.0, 2.0)
    thick = _ratio(comparison, ref, "total", "total_rad", 2.0, 20.0)
    assert np.all(np.abs(np.log(thin)) < np.log(1.6)), thin
    assert np.all(np.abs(np.log(thick)) < np.log(1.2)), thick
