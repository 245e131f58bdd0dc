"""Lasting radiation damage: solar-cell power loss and device lifetime against total dose.

Solar cells: the displacement damage dose method of the US Naval Research Laboratory (Summers,
Burke, Walters et al. 1993, IEEE Trans. Nucl. Sci. 40(6), 1300-1306; Messenger, Summers, Burke,
Walters & Xapsos 2001, Prog. Photovolt. 9, 103-121):

1. the particle spectra are slowed down through the cover glass (CSDA, :mod:`.transport`;
   the glass is treated as silicon-equivalent areal mass: SiO2 has Z/A 0.499 against Si's 0.498
   and a lower mean excitation energy, 139 against 173 eV, so it stops about 3 % more per g/cm^2);
2. the displacement damage dose is ``D_d = int phi(E') NIEL(E') dE'`` with the GaAs NIEL table
   (:mod:`.niel`) at the residual energy in the middle of the active layer;
3. the remaining maximum power follows the characteristic curve
   ``P/P0 = 1 - C log10(1 + D_d / D_x)``.

Following Baur et al. (2014, arXiv:1312.0402, ICATPP 13), who found that the GaInP/GaAs/Ge
triple-junction Pmax degradation from electrons and protons falls on one curve of the NIEL dose
(the "n = 1" case of Messenger et al. 2001), electron and proton NIEL doses are simply added.
The curve parameters in :data:`CELL_CURVES` are assumptions marked as such (see their notes);
replace them with a qualification fit of the actual cell when one is available.

Lifetime: years until a device's total ionising dose tolerance is reached, and the shielding
(areal mass) that buys a target lifetime, solved on a monotone dose-depth curve by interpolation
of ``log(dose)`` (piecewise exponential attenuation), not by scanning.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike

from orbitaldc.physics.constants import SECONDS_PER_YEAR
from orbitaldc.physics.radiation import transport

#: Default cover glass: 100 um ceria-doped microsheet (CMG, 2.554 g/cm^3; Qioptiq CMG datasheet),
#: 0.0255 g/cm^2, a common choice for LEO arrays (75-150 um).
COVER_GLASS_DENSITY_G_CM3 = 2.554
DEFAULT_COVER_GLASS_G_CM2 = 100e-4 * COVER_GLASS_DENSITY_G_CM3
#: Depth of the middle of the active layers of a GaInP/GaAs/Ge cell, g/cm^2: the current-limiting
#: top and middle junctions lie within the first ~5 um (GaAs 5.32 g/cm^3); half of that.
DEFAULT_ACTIVE_MID_DEPTH_G_CM2 = 2.5e-4 * 5.32


@dataclass(frozen=True)
class CellCurve:
    """Characteristic degradation curve ``P/P0 = 1 - c log10(1 + D_d / dx_mev_per_g)``."""

    name: str
    c: float
    dx_mev_per_g: float
    source: str
    confidence: str
    note: str


#: Degradation curves by cell technology.
CELL_CURVES: dict[str, CellCurve] = {
    "gainp-gaas-ge-3j": CellCurve(
        name="GaInP/GaAs/Ge triple junction, Pmax",
        c=0.12,
        dx_mev_per_g=2.7e9,
        source="shape: Messenger et al. 2001, Prog. Photovolt. 9, 103 (NRL DDD method); single "
        "electron+proton curve: Baur et al. 2014, arXiv:1312.0402",
        confidence="assumption",
        note="C and D_x chosen so that 1 MeV electrons (GaAs NIEL 2.66e-5 MeV cm^2/g) give "
        "P/P0 = 0.88 at 1e15 and 0.76 at 1e16 e/cm^2, the range triple-junction datasheets quote "
        "(e.g. Spectrolab XTJ Prime, Azur 3G30: 0.86-0.90 at 1e15 e/cm^2). Not a fit to "
        "qualification data; expect +-0.03 in P/P0 at end of life.",
    ),
    "silicon": CellCurve(
        name="Crystalline silicon, Pmax",
        c=0.2,
        dx_mev_per_g=1.0e9,
        source="shape: Messenger et al. 2001, Prog. Photovolt. 9, 103; level: Tada, Carter, "
        "Anspaugh & Downing 1982, JPL Solar Cell Radiation Handbook (JPL 82-69), Si cells",
        confidence="assumption",
        note="Si is about twice as sensitive as GaAs-based cells: chosen to give P/P0 = 0.75 at "
        "1e15 1 MeV e/cm^2 (typical of the JPL handbook's Si cells). GaAs NIEL is used as a proxy "
        "for Si NIEL (their energy dependences differ by up to ~2x for electrons).",
    ),
}

#: Which curve each solar-array catalog entry uses.
ARRAY_CELL_CURVE = {
    "gaas-triple-junction": "gainp-gaas-ge-3j",
    "rosa-flexible": "gainp-gaas-ge-3j",
    "starlink-silicon": "silicon",
    "thin-film-silicon": "silicon",
}


def displacement_damage_dose_rate_mev_per_g_s(
    energies_mev: ArrayLike,
    integral_per_cm2_s: ArrayLike,
    species: str,
    cover_glass_g_cm2: float = DEFAULT_COVER_GLASS_G_CM2,
    active_mid_depth_g_cm2: float = DEFAULT_ACTIVE_MID_DEPTH_G_CM2,
    back_shield_g_cm2: float | None = None,
) -> np.ndarray:
    """Displacement damage dose rate in a GaAs-based cell behind its cover glass, MeV/g/s.

    Parameters
    ----------
    energies_mev, integral_per_cm2_s : omnidirectional integral spectrum ``(..., n_energy)``.
    species : ``"proton"`` or ``"electron"``.
    cover_glass_g_cm2 : cover glass areal mass (thickness x density; 100 um CMG = 0.0255 g/cm^2).
    active_mid_depth_g_cm2 : depth of the middle of the active layers below the glass.
    back_shield_g_cm2 : areal mass shielding the cell's back (substrate, structure); ``None``
        means the back half-space is fully shielded (body-mounted or thick panel).

    Returns
    -------
    (...,) damage dose rate, MeV/g/s. Each face sees half the omnidirectional flux through paths
    ``t/mu`` (slab geometry of :mod:`.transport`).
    """
    if species not in ("proton", "electron"):
        raise ValueError(f"species: must be 'proton' or 'electron', got {species!r}")
    for name, value in (
        ("cover_glass_g_cm2", cover_glass_g_cm2),
        ("active_mid_depth_g_cm2", active_mid_depth_g_cm2),
    ):
        if not (np.isfinite(value) and value >= 0.0):
            raise ValueError(f"{name}: must be finite and non-negative, got {value}")
    e, j = transport.check_spectrum(energies_mev, integral_per_cm2_s)
    faces = [cover_glass_g_cm2 + active_mid_depth_g_cm2]
    if back_shield_g_cm2 is not None:
        if not (np.isfinite(back_shield_g_cm2) and back_shield_g_cm2 >= 0.0):
            raise ValueError(
                f"back_shield_g_cm2: must be finite and non-negative, got {back_shield_g_cm2}"
            )
        faces.append(back_shield_g_cm2 + active_mid_depth_g_cm2)
    edges, _ = transport.spectrum_bins(e)
    fluence = transport.fluence_per_bin(e, j, edges)
    kernel = transport.over_geometry(
        lambda p: transport.path_kernel(species, edges, p, "niel_gaas", "si"),
        np.array(faces),
        "slab",
    )
    return (fluence @ kernel).sum(axis=-1)


def remaining_power_factor(ddd_mev_per_g: ArrayLike, c: float, dx_mev_per_g: float) -> np.ndarray:
    """``P/P0 = 1 - c log10(1 + D_d / D_x)`` (Messenger et al. 2001), clipped at 0."""
    d = np.asarray(ddd_mev_per_g, dtype=float)
    if not np.all(np.isfinite(d)) or np.any(d < 0.0):
        raise ValueError("ddd_mev_per_g: must be finite and non-negative")
    if not (c > 0.0 and dx_mev_per_g > 0.0):
        raise ValueError(f"c and dx_mev_per_g: must be positive, got {c}, {dx_mev_per_g}")
    return np.maximum(1.0 - c * np.log10(1.0 + d / dx_mev_per_g), 0.0)


def power_factor_table(
    ddd_rate_mev_per_g_s: ArrayLike, years: ArrayLike, curve: str | CellCurve = "gainp-gaas-ge-3j"
) -> tuple[np.ndarray, np.ndarray]:
    """Remaining power factor versus mission time: ``(years (n,), factor (..., n))``.

    ``ddd_rate_mev_per_g_s`` (...,) is the total (electron + proton) damage dose rate from
    :func:`displacement_damage_dose_rate_mev_per_g_s`; ``curve`` a key of :data:`CELL_CURVES` or a
    :class:`CellCurve`.
    """
    if isinstance(curve, str):
        if curve not in CELL_CURVES:
            raise ValueError(f"curve: unknown cell curve {curve!r}; known: {sorted(CELL_CURVES)}")
        curve = CELL_CURVES[curve]
    y = np.asarray(years, dtype=float)
    if y.ndim != 1 or not np.all(np.isfinite(y)) or np.any(y < 0.0):
        raise ValueError("years: need a 1-D array of finite, non-negative mission times")
    rate = np.asarray(ddd_rate_mev_per_g_s, dtype=float)
    if not np.all(np.isfinite(rate)) or np.any(rate < 0.0):
        raise ValueError("ddd_rate_mev_per_g_s: must be finite and non-negative")
    ddd = rate[..., None] * y * SECONDS_PER_YEAR
    return y, remaining_power_factor(ddd, curve.c, curve.dx_mev_per_g)


def lifetime_years(dose_rate_rad_si_per_s: ArrayLike, tolerance_rad_si: ArrayLike) -> np.ndarray:
    """Years until the total dose reaches ``tolerance_rad_si``; ``inf`` at zero dose rate."""
    rate = np.asarray(dose_rate_rad_si_per_s, dtype=float)
    tol = np.asarray(tolerance_rad_si, dtype=float)
    if not np.all(np.isfinite(rate)) or np.any(rate < 0.0):
        raise ValueError("dose_rate_rad_si_per_s: must be finite and non-negative")
    if not np.all(np.isfinite(tol)) or np.any(tol <= 0.0):
        raise ValueError("tolerance_rad_si: must be finite and positive")
    with np.errstate(divide="ignore"):
        return np.where(rate > 0.0, tol / (np.maximum(rate, 1e-300) * SECONDS_PER_YEAR), np.inf)


def shielding_for_lifetime_g_cm2(
    thickness_g_cm2: ArrayLike,
    dose_rate_rad_si_per_s: ArrayLike,
    tolerance_rad_si: float,
    target_years: float,
    design_margin: float = 1.0,
) -> np.ndarray:
    """Least Al areal mass whose dose over ``target_years`` stays within the tolerance.

    Solves ``D(t) x target_years x design_margin = tolerance`` on the dose-depth curve
    ``dose_rate_rad_si_per_s (..., n)`` tabulated at increasing ``thickness_g_cm2 (n,)``, by linear
    interpolation of ``log D`` in ``t`` between the bracketing points (exact for piecewise
    exponential attenuation). Returns ``(...)`` g/cm^2: the first thickness if even that suffices,
    ``inf`` if the thickest tabulated shield does not (extend the curve). ``design_margin`` is the
    radiation design margin (2 is common practice, ECSS-E-ST-10-12C).
    """
    t = np.asarray(thickness_g_cm2, dtype=float)
    d = np.asarray(dose_rate_rad_si_per_s, dtype=float)
    if t.ndim != 1 or t.size < 2 or np.any(np.diff(t) <= 0.0) or np.any(t < 0.0):
        raise ValueError("thickness_g_cm2: need an increasing 1-D grid of at least two thicknesses")
    if d.shape[-1:] != t.shape or not np.all(np.isfinite(d)) or np.any(d < 0.0):
        raise ValueError(
            "dose_rate_rad_si_per_s: need finite non-negative values with last axis len(thickness)"
        )
    if np.any(np.diff(d, axis=-1) > 1e-12 * d[..., :1]):
        raise ValueError(
            "dose_rate_rad_si_per_s: the dose-depth curve must not increase with thickness"
        )
    for name, value in (
        ("tolerance_rad_si", tolerance_rad_si),
        ("target_years", target_years),
        ("design_margin", design_margin),
    ):
        if not (np.isfinite(value) and value > 0.0):
            raise ValueError(f"{name}: must be finite and positive, got {value}")
    allowed = tolerance_rad_si / (target_years * SECONDS_PER_YEAR * design_margin)
    ok = d <= allowed
    first = np.argmax(ok, axis=-1)
    never = ~ok.any(axis=-1)
    k = np.clip(first, 1, t.size - 1)
    d_hi = np.take_along_axis(d, (k - 1)[..., None], axis=-1)[..., 0]
    d_lo = np.maximum(np.take_along_axis(d, k[..., None], axis=-1)[..., 0], 1e-300)
    w = np.log(d_hi / allowed) / np.log(d_hi / d_lo)
    solved = t[k - 1] + np.clip(w, 0.0, 1.0) * (t[k] - t[k - 1])
    return np.where(never, np.inf, np.where(first == 0, t[0], solved))
