"""Stopping powers and ranges of protons, electrons and heavy ions in aluminium and silicon.

Tables (shipped in ``orbitaldc/data``, read once):

- Protons: NIST PSTAR (Berger et al., NIST Standard Reference Database 124), which implements ICRU
  Report 49 (1993): electronic and total stopping power and CSDA range, 1 keV to 10 GeV.
- Electrons: NIST ESTAR (same database), which implements ICRU Report 37 (1984): collision and
  radiative stopping power, CSDA range and radiation yield, 10 keV to 1 GeV.

Between table energies every quantity is interpolated linearly in log-log (the tables are smooth
power laws piecewise); outside the table the end segments are extrapolated the same way.

Electrons do not travel in straight lines, so the depth they reach is shorter than their CSDA path
length. :func:`electron_extrapolated_range_g_cm2` applies the analytic detour factor of Tabata,
Andreo & Shinoda (1996), Nucl. Instrum. Methods B 119, 463 (eqs. 2-8, Table 1; fitted to Monte Carlo
and measured extrapolated ranges for Z = 4-92, 1 keV-100 MeV, within about 2 %) to the ESTAR CSDA
range; the dose module uses this extrapolated (practical) range as the electrons' depth-energy
relation.

Heavy ions: the stopping power at a given velocity is the proton's times the squared ratio of
effective charges, with the effective charge of Barkas (1963), *Nuclear Research Emulsions* vol. 1,
eq. 9-6 (as used by Ziegler 1980, *Handbook of Stopping Cross-Sections for Energetic Ions*):
``z_eff = z (1 - exp(-125 beta z^(-2/3)))``. Ranges scale as ``(M/m_p)/z^2`` times the proton range
at the same velocity (first order: ignores the charge-state reduction near the end of the range).

Units are those of the field, in the names: energies in MeV (per nucleon for ions, ``_mev_per_n``),
areal masses in g/cm^2, mass stopping powers in MeV cm^2/g, LET in MeV cm^2/mg.
"""

from __future__ import annotations

from functools import cache
from importlib import resources

import numpy as np
from numpy.typing import ArrayLike

from orbitaldc.physics.constants import AMU_MEV, ELECTRON_REST_MEV, PROTON_REST_MEV

#: MeV deposited per gram for one rad: 1 rad = 0.01 J/kg = 1e-5 J/g, 1 MeV = 1.602176634e-13 J
#: (SI 2019 exact elementary charge).
MEV_PER_G_PER_RAD = 1e-5 / 1.602176634e-13

MATERIALS = ("al", "si")
#: Atomic numbers used in the Tabata detour factor.
_Z = {"al": 13.0, "si": 14.0}


def _material(material: str) -> str:
    if material not in MATERIALS:
        raise ValueError(f"material: must be one of {MATERIALS}, got {material!r}")
    return material


def _energy(energy_mev: ArrayLike, name: str = "energy_mev") -> np.ndarray:
    e = np.asarray(energy_mev, dtype=float)
    if not np.all(np.isfinite(e)) or np.any(e < 0.0):
        raise ValueError(f"{name}: energies must be finite and non-negative")
    return e


def _areal(areal_mass_g_cm2: ArrayLike) -> np.ndarray:
    t = np.asarray(areal_mass_g_cm2, dtype=float)
    if not np.all(np.isfinite(t)) or np.any(t < 0.0):
        raise ValueError("areal_mass_g_cm2: must be finite and non-negative")
    return t


@cache
def _table(name: str) -> dict[str, np.ndarray]:
    text = resources.files("orbitaldc").joinpath("data", name).read_text(encoding="utf-8")
    lines = [line for line in text.splitlines() if line and not line.startswith("#")]
    header = lines[0].split(",")
    rows = np.array([[float(v) for v in line.split(",")] for line in lines[1:]])
    return {key: rows[:, i] for i, key in enumerate(header)}


def _pstar() -> dict[str, np.ndarray]:
    return _table("nist_pstar_aluminium_silicon.csv")


def _estar() -> dict[str, np.ndarray]:
    return _table("nist_estar_aluminium_silicon.csv")


def _loglog(x: np.ndarray, xp: np.ndarray, fp: np.ndarray) -> np.ndarray:
    """Linear interpolation in log-log, extrapolating the end segments; 0 where ``x`` is 0."""
    lx = np.log(np.where(x > 0.0, x, xp[0]))
    lxp, lfp = np.log(xp), np.log(fp)
    k = np.clip(np.searchsorted(lxp, lx) - 1, 0, xp.size - 2)
    w = (lx - lxp[k]) / (lxp[k + 1] - lxp[k])
    return np.where(x > 0.0, np.exp(lfp[k] + w * (lfp[k + 1] - lfp[k])), 0.0)


# --- protons -------------------------------------------------------------------------------------


def proton_stopping_power_mev_cm2_g(
    energy_mev: ArrayLike, material: str = "si", kind: str = "total"
) -> np.ndarray:
    """Proton mass stopping power (NIST PSTAR / ICRU 49), MeV cm^2/g, shape of ``energy_mev``.

    ``kind`` is ``"total"`` (electronic + nuclear, what deposits dose) or ``"electronic"`` (what
    scales to heavy ions and defines LET).
    """
    if kind not in ("total", "electronic"):
        raise ValueError(f"kind: must be 'total' or 'electronic', got {kind!r}")
    t = _pstar()
    return _loglog(
        _energy(energy_mev), t["energy_mev"], t[f"{_material(material)}_{kind}_mev_cm2_g"]
    )


def proton_csda_range_g_cm2(energy_mev: ArrayLike, material: str = "al") -> np.ndarray:
    """Proton CSDA range (NIST PSTAR), g/cm^2; 0 at zero energy."""
    t = _pstar()
    return _loglog(
        _energy(energy_mev), t["energy_mev"], t[f"{_material(material)}_csda_range_g_cm2"]
    )


def proton_energy_from_range_mev(range_g_cm2: ArrayLike, material: str = "al") -> np.ndarray:
    """Inverse of :func:`proton_csda_range_g_cm2`: the energy whose CSDA range is ``range_g_cm2``."""
    t = _pstar()
    r = _areal(range_g_cm2)
    return _loglog(r, t[f"{_material(material)}_csda_range_g_cm2"], t["energy_mev"])


def proton_energy_after_mev(
    energy_mev: ArrayLike, areal_mass_g_cm2: ArrayLike, material: str = "al"
) -> np.ndarray:
    """Residual proton energy after ``areal_mass_g_cm2`` of material, by the range method.

    ``E' = R^-1(R(E) - x)`` (CSDA: no straggling, no nuclear attenuation); 0 when the proton stops.
    Broadcasts ``energy_mev`` against ``areal_mass_g_cm2``.
    """
    residual = proton_csda_range_g_cm2(energy_mev, material) - _areal(areal_mass_g_cm2)
    return np.where(
        residual > 0.0, proton_energy_from_range_mev(np.maximum(residual, 0.0), material), 0.0
    )


# --- electrons -----------------------------------------------------------------------------------


def electron_stopping_power_mev_cm2_g(
    energy_mev: ArrayLike, material: str = "si", kind: str = "collision"
) -> np.ndarray:
    """Electron mass stopping power (NIST ESTAR / ICRU 37), MeV cm^2/g.

    ``kind``: ``"collision"`` (ionisation and excitation: what deposits dose locally),
    ``"radiative"`` (bremsstrahlung) or ``"total"``.
    """
    t = _estar()
    e, m = _energy(energy_mev), _material(material)
    if kind == "total":
        return _loglog(e, t["energy_mev"], t[f"{m}_collision_mev_cm2_g"]) + _loglog(
            e, t["energy_mev"], t[f"{m}_radiative_mev_cm2_g"]
        )
    if kind not in ("collision", "radiative"):
        raise ValueError(f"kind: must be 'collision', 'radiative' or 'total', got {kind!r}")
    return _loglog(e, t["energy_mev"], t[f"{m}_{kind}_mev_cm2_g"])


def electron_csda_range_g_cm2(energy_mev: ArrayLike, material: str = "al") -> np.ndarray:
    """Electron CSDA range (NIST ESTAR), g/cm^2."""
    t = _estar()
    return _loglog(
        _energy(energy_mev), t["energy_mev"], t[f"{_material(material)}_csda_range_g_cm2"]
    )


def electron_radiation_yield(energy_mev: ArrayLike, material: str = "al") -> np.ndarray:
    """Fraction of an electron's kinetic energy radiated as bremsstrahlung while it stops (ESTAR)."""
    t = _estar()
    return _loglog(
        _energy(energy_mev), t["energy_mev"], t[f"{_material(material)}_radiation_yield"]
    )


def tabata_detour_factor(energy_mev: ArrayLike, material: str = "al") -> np.ndarray:
    """Ratio of extrapolated to CSDA range of electrons (Tabata, Andreo & Shinoda 1996, eq. 2).

    ``f_d = 1 / (a1 + a2 / (1 + a3 / tau^a4 + a5 tau^a6))`` with ``tau = E / (m_e c^2)`` and
    ``a_i(Z)`` from their eqs. 3-8 and Table 1. Valid 1 keV to 100 MeV; the energy is clamped to
    that range.
    """
    z = _Z[_material(material)]
    tau = np.clip(_energy(energy_mev), 1e-3, 100.0) / ELECTRON_REST_MEV
    b = (
        0.3879,
        0.2178,
        0.4541,
        0.03068,
        3.326e-16,
        13.24,
        1.316,
        14.03,
        0.7406,
        4.294e-3,
        1.684,
        0.2264,
        0.6127,
        0.1207,
    )
    lz = np.log(z)
    a1 = b[0] * z ** b[1]
    a2 = b[2] + b[3] * z
    a3 = b[4] * z ** (b[5] - b[6] * lz)
    a4 = b[7] / z ** b[8]
    a5 = b[9] * z ** (b[10] - b[11] * lz)
    a6 = b[12] * z ** b[13]
    return 1.0 / (a1 + a2 / (1.0 + a3 / tau**a4 + a5 * tau**a6))


def electron_extrapolated_range_g_cm2(energy_mev: ArrayLike, material: str = "al") -> np.ndarray:
    """Electron extrapolated (practical) range: Tabata detour factor x ESTAR CSDA range, g/cm^2."""
    return tabata_detour_factor(energy_mev, material) * electron_csda_range_g_cm2(
        energy_mev, material
    )


@cache
def _electron_range_grid(material: str) -> tuple[np.ndarray, np.ndarray]:
    e = np.geomspace(1e-2, 1e3, 601)
    return e, electron_extrapolated_range_g_cm2(e, material)


def electron_energy_from_range_mev(range_g_cm2: ArrayLike, material: str = "al") -> np.ndarray:
    """Inverse of :func:`electron_extrapolated_range_g_cm2` (monotone on 10 keV - 1 GeV)."""
    e, r = _electron_range_grid(_material(material))
    return _loglog(_areal(range_g_cm2), r, e)


def electron_energy_after_mev(
    energy_mev: ArrayLike, areal_mass_g_cm2: ArrayLike, material: str = "al"
) -> np.ndarray:
    """Residual electron energy after ``areal_mass_g_cm2``, on the extrapolated-range relation.

    ``E' = R_ex^-1(R_ex(E) - x)``, 0 beyond the extrapolated range: the mean energy loss of the
    transmitted electrons including multiple-scattering detours, without straggling.
    """
    residual = electron_extrapolated_range_g_cm2(energy_mev, material) - _areal(areal_mass_g_cm2)
    return np.where(
        residual > 0.0, electron_energy_from_range_mev(np.maximum(residual, 0.0), material), 0.0
    )


# --- heavy ions ----------------------------------------------------------------------------------


def _beta(energy_mev_per_n: np.ndarray) -> np.ndarray:
    gamma = 1.0 + energy_mev_per_n / AMU_MEV
    return np.sqrt(1.0 - 1.0 / gamma**2)


def effective_charge(z: ArrayLike, energy_mev_per_n: ArrayLike) -> np.ndarray:
    """Barkas (1963) effective charge ``z (1 - exp(-125 beta z^(-2/3)))`` of an ion in matter."""
    z = np.asarray(z, dtype=float)
    if np.any(z < 1.0):
        raise ValueError("z: atomic numbers must be >= 1")
    beta = _beta(_energy(energy_mev_per_n, "energy_mev_per_n"))
    return z * (1.0 - np.exp(-125.0 * beta * z ** (-2.0 / 3.0)))


def proton_equivalent_energy_mev(energy_mev_per_n: np.ndarray) -> np.ndarray:
    """Kinetic energy of a proton with the same velocity as an ion of ``energy_mev_per_n``."""
    return energy_mev_per_n * PROTON_REST_MEV / AMU_MEV


def heavy_ion_let_si_mev_cm2_mg(z: ArrayLike, energy_mev_per_n: ArrayLike) -> np.ndarray:
    """Electronic LET of an ion in silicon, MeV cm^2/mg, by effective-charge velocity scaling.

    ``LET = (z_eff,ion / z_eff,p)^2 S_e,p(E_p)`` with ``E_p`` the proton energy at the same
    velocity and ``S_e,p`` the PSTAR electronic stopping power in Si. Broadcasts ``z`` against
    the energies. Accuracy: about 10-20 % near the Bragg peak (below ~1 MeV/n), a few % above
    10 MeV/n where the ion is fully stripped.
    """
    e_n = _energy(energy_mev_per_n, "energy_mev_per_n")
    e_p = proton_equivalent_energy_mev(e_n)
    ratio = effective_charge(z, e_n) / effective_charge(1.0, e_n)
    return ratio**2 * proton_stopping_power_mev_cm2_g(e_p, "si", "electronic") / 1000.0


def heavy_ion_csda_range_g_cm2(
    z: ArrayLike, a: ArrayLike, energy_mev_per_n: ArrayLike, material: str = "al"
) -> np.ndarray:
    """Ion range by scaling the proton range at equal velocity: ``(M/m_p)/z^2 R_p`` (first order)."""
    z, a = np.asarray(z, dtype=float), np.asarray(a, dtype=float)
    mass_ratio = a * AMU_MEV / PROTON_REST_MEV
    e_p = proton_equivalent_energy_mev(_energy(energy_mev_per_n, "energy_mev_per_n"))
    return mass_ratio / z**2 * proton_csda_range_g_cm2(e_p, material)


def heavy_ion_energy_from_range_mev_per_n(
    z: ArrayLike, a: ArrayLike, range_g_cm2: ArrayLike, material: str = "al"
) -> np.ndarray:
    """Inverse of :func:`heavy_ion_csda_range_g_cm2`: the energy per nucleon (MeV/n) of an ion
    whose CSDA range is ``range_g_cm2`` (proton range scaling at equal velocity)."""
    z, a = np.asarray(z, dtype=float), np.asarray(a, dtype=float)
    mass_ratio = a * AMU_MEV / PROTON_REST_MEV
    e_p = proton_energy_from_range_mev(
        np.asarray(range_g_cm2, dtype=float) * z**2 / mass_ratio, material
    )
    return e_p * AMU_MEV / PROTON_REST_MEV
