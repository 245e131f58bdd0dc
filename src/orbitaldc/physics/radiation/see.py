"""Single-event effect rates from measured cross-sections.

Protons (trapped and solar) cause single events through nuclear reactions; a device is
characterised by its cross-section versus proton energy:

- **per-event dose** (how accelerator tests of whole chips are often reported, e.g. the TPU v6e
  67 MeV test of arXiv:2511.19468): ``sigma = 1 / (D_event x F(E))`` with ``F(E)`` the fluence per
  rad(Si), ``6.2415e7 / S_Si(E)`` (PSTAR total stopping power): 7.93e6 p/cm^2 per rad at 67 MeV,
  hence ``sigma = 1.26e-7 / D_event`` cm^2;
- **Bendel** one-parameter (Bendel & Petersen 1983, IEEE Trans. Nucl. Sci. 30(6), 4481) and
  two-parameter (Stapor, Meyers, Langworthy & Petersen 1990, IEEE Trans. Nucl. Sci. 37(6), 1966)
  forms, ``sigma = (B/A)^14 [1 - exp(-0.18 Y^0.5)]^4`` x 1e-12 cm^2 with
  ``Y = (18/A)^0.5 (E - A)`` (``B = 24`` MeV in the one-parameter form);
- **Weibull** ``sigma = sigma_sat (1 - exp(-((x - x0)/W)^s))`` above ``x0`` (energy or LET).

A single measured point (one beam energy) fixes the two-parameter Bendel ``B`` once an onset ``A``
is assumed, which is how :func:`proton_cross_section_cm2` extends a per-event dose to all energies.

Heavy ions (galactic cosmic rays) act through direct ionisation; their rate is the integral of the
LET spectrum against the Weibull ``sigma(LET)`` of a thin planar sensitive volume with the
effective-LET (cosine) law: a particle crossing at ``theta`` from the normal deposits like LET
``L / cos(theta)`` over a projected area ``A cos(theta)``. For an isotropic omnidirectional flux
``Phi`` this gives ``rate = int dPhi(L) int_0^1 mu sigma(L/mu) dmu`` (Petersen 2011, *Single Event
Effects in Aerospace*, ch. 8; it is the integral RPP method in the limit of a thin volume). A
uniform ``sigma`` gives ``Phi sigma / 2``, the flux through a flat plate from both sides.
:func:`let_spectrum_si` turns per-element GCR spectra into the LET spectrum behind aluminium by
range scaling (first order: no fragmentation, no nuclear attenuation).

Rates are per device (chip, or host for host-scope effects) per second; multiply by 86400 for per
day and by the number of devices for a fleet.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from numpy.typing import ArrayLike

from orbitaldc.physics.radiation import spectrum, stopping, transport

#: Proton energy of the TPU v6e test and of many accelerator SEE tests (MGH / UC Davis), MeV.
TEST_ENERGY_MEV = 67.0
#: Effect kinds: silent data corruption, uncorrectable memory error, functional interrupt / crash.
EFFECT_KINDS = ("sdc", "uce", "sefi")

_MU_NODES, _MU_WEIGHTS = np.polynomial.legendre.leggauss(32)
_MU = 0.5 * (_MU_NODES + 1.0)
_MU_W = 0.5 * _MU_WEIGHTS


def fluence_per_rad_si(energy_mev: ArrayLike) -> np.ndarray:
    """Proton fluence (p/cm^2) that deposits 1 rad(Si): ``6.2415e7 / S_Si(E)`` (PSTAR total)."""
    e = np.asarray(energy_mev, dtype=float)
    if not np.all(np.isfinite(e)) or np.any(e <= 0.0):
        raise ValueError("energy_mev: energies must be finite and positive")
    return stopping.MEV_PER_G_PER_RAD / stopping.proton_stopping_power_mev_cm2_g(e, "si", "total")


def cross_section_from_dose_per_event_cm2(
    dose_per_event_rad_si: ArrayLike, test_energy_mev: float = TEST_ENERGY_MEV
) -> np.ndarray:
    """Cross-section (cm^2 per device) of an effect seen once per ``dose_per_event_rad_si``."""
    d = np.asarray(dose_per_event_rad_si, dtype=float)
    if not np.all(np.isfinite(d)) or np.any(d <= 0.0):
        raise ValueError("dose_per_event_rad_si: must be finite and positive")
    return 1.0 / (d * fluence_per_rad_si(test_energy_mev))


def bendel_cross_section_cm2(
    energy_mev: ArrayLike, a_mev: float, b_mev: float = 24.0
) -> np.ndarray:
    """Bendel proton cross-section, cm^2 (per bit for the published one-parameter fits).

    ``(B/A)^14 [1 - exp(-0.18 sqrt(Y))]^4 x 1e-12`` with ``Y = sqrt(18/A) (E - A)``, zero at and
    below ``A``. ``b_mev = 24`` is the one-parameter form (Bendel & Petersen 1983); a fitted ``B``
    the two-parameter form (Stapor et al. 1990). Saturates at ``(B/A)^14 x 1e-12`` cm^2.
    """
    if not (a_mev > 0.0 and b_mev > 0.0):
        raise ValueError(f"a_mev and b_mev: must be positive, got {a_mev}, {b_mev}")
    e = np.asarray(energy_mev, dtype=float)
    if not np.all(np.isfinite(e)):
        raise ValueError("energy_mev: energies must be finite")
    y = np.sqrt(18.0 / a_mev) * np.maximum(e - a_mev, 0.0)
    return (b_mev / a_mev) ** 14 * (1.0 - np.exp(-0.18 * np.sqrt(y))) ** 4 * 1e-12


def weibull_cross_section(
    x: ArrayLike, saturation: float, threshold: float, width: float, shape: float
) -> np.ndarray:
    """Weibull cross-section ``sat (1 - exp(-((x - x0)/W)^s))`` for ``x > x0``, else 0.

    ``x`` is LET (MeV cm^2/mg) for heavy ions or energy (MeV) for protons; the result has the
    units of ``saturation`` (cm^2 per device).
    """
    if not (saturation >= 0.0 and threshold >= 0.0 and width > 0.0 and shape > 0.0):
        raise ValueError(
            "weibull parameters: need saturation >= 0, threshold >= 0, width > 0, shape > 0; got "
            f"{saturation}, {threshold}, {width}, {shape}"
        )
    x = np.asarray(x, dtype=float)
    if np.any(np.isnan(x)):
        raise ValueError("x: must not contain NaN")
    z = np.maximum(x - threshold, 0.0) / width
    return saturation * (1.0 - np.exp(-(z**shape)))


def proton_cross_section_cm2(
    energy_mev: ArrayLike,
    sigma_at_test_cm2: float,
    test_energy_mev: float = TEST_ENERGY_MEV,
    bendel_a_mev: float | None = None,
    threshold_mev: float = 10.0,
) -> np.ndarray:
    """Proton cross-section versus energy from one measured point.

    With ``bendel_a_mev`` the energy dependence is the Bendel form with onset ``A``, scaled to pass
    through ``sigma_at_test_cm2`` at ``test_energy_mev`` (the two-parameter Bendel with ``B`` fixed
    by the measurement). Without it, a step: ``sigma_at_test`` above ``threshold_mev``, 0 below
    (an assumption: modern sub-20 nm parts have proton onsets of a few to ~20 MeV).
    """
    if not (sigma_at_test_cm2 >= 0.0 and np.isfinite(sigma_at_test_cm2)):
        raise ValueError(
            f"sigma_at_test_cm2: must be finite and non-negative, got {sigma_at_test_cm2}"
        )
    e = np.asarray(energy_mev, dtype=float)
    if bendel_a_mev is None:
        if not threshold_mev >= 0.0:
            raise ValueError(f"threshold_mev: must be non-negative, got {threshold_mev}")
        return np.where(e >= threshold_mev, sigma_at_test_cm2, 0.0)
    if not 0.0 < bendel_a_mev < test_energy_mev:
        raise ValueError(
            f"bendel_a_mev: must be positive and below test_energy_mev ({test_energy_mev}), got {bendel_a_mev}"
        )
    shape = bendel_cross_section_cm2(e, bendel_a_mev) / bendel_cross_section_cm2(
        test_energy_mev, bendel_a_mev
    )
    return sigma_at_test_cm2 * shape


def proton_see_rate_per_s(
    energies_mev: ArrayLike,
    integral_per_cm2_s: ArrayLike,
    cross_section_cm2: Callable[[np.ndarray], np.ndarray],
) -> np.ndarray:
    """Event rate per device, per s: ``int phi(E) sigma(E) dE`` over the (shielded) spectrum.

    ``integral_per_cm2_s (..., n)`` is the omnidirectional integral proton spectrum at the device
    (e.g. from :func:`orbitaldc.physics.radiation.transport.shielded_integral_spectrum`);
    ``cross_section_cm2`` maps energies (MeV) to cm^2 per device. Proton SEE cross-sections are
    taken as isotropic (nuclear reactions), so the omnidirectional flux is used as is. Returns
    ``(...)``.
    """
    e, j = transport.check_spectrum(energies_mev, integral_per_cm2_s)
    edges, mids = transport.spectrum_bins(e)
    fluence = transport.fluence_per_bin(e, j, edges)
    sigma = np.asarray(cross_section_cm2(np.append(mids, e[-1])), dtype=float)
    if sigma.shape != (mids.size + 1,) or not np.all(np.isfinite(sigma)) or np.any(sigma < 0.0):
        raise ValueError("cross_section_cm2: must return finite, non-negative cm^2 for each energy")
    return fluence @ sigma


def heavy_ion_rate_per_s(
    let_mev_cm2_mg: ArrayLike,
    integral_flux_per_cm2_s: ArrayLike,
    saturation_cm2: float,
    threshold_let: float,
    width_let: float,
    shape: float,
) -> np.ndarray:
    """Heavy-ion event rate per device, per s, from an integral LET spectrum and a Weibull fit.

    ``let_mev_cm2_mg (n,)`` increasing; ``integral_flux_per_cm2_s (..., n)`` omnidirectional flux
    of ions with LET above each value. Effective-LET cosine law over a thin planar sensitive
    volume: ``rate = sum_bins dPhi int_0^1 mu sigma(L/mu) dmu`` (32-point Gauss-Legendre in mu),
    flux above the last LET counted at the last LET. Returns ``(...)``.
    """
    let = np.asarray(let_mev_cm2_mg, dtype=float)
    if let.ndim != 1 or let.size < 2 or np.any(let <= 0.0) or np.any(np.diff(let) <= 0.0):
        raise ValueError("let_mev_cm2_mg: need an increasing 1-D grid of positive LETs")
    f = np.asarray(integral_flux_per_cm2_s, dtype=float)
    if f.shape[-1:] != let.shape or not np.all(np.isfinite(f)) or np.any(f < 0.0):
        raise ValueError(
            "integral_flux_per_cm2_s: need finite non-negative values with last axis len(let)"
        )
    d_flux = np.concatenate([np.maximum(f[..., :-1] - f[..., 1:], 0.0), f[..., -1:]], axis=-1)
    mid = np.append(np.sqrt(let[:-1] * let[1:]), let[-1])
    sigma = weibull_cross_section(
        mid[:, None] / _MU[None, :], saturation_cm2, threshold_let, width_let, shape
    )
    response = sigma @ (_MU_W * _MU)
    return d_flux @ response


def let_spectrum_si(
    z: ArrayLike,
    a: ArrayLike,
    energies_mev_per_n: ArrayLike,
    differential_per_cm2_s_mev_per_n: ArrayLike,
    thickness_g_cm2: float,
    let_mev_cm2_mg: ArrayLike,
) -> np.ndarray:
    """Integral LET spectrum in Si behind a solid Al sphere of ``thickness_g_cm2``, per cm^2 per s.

    Parameters
    ----------
    z, a : (n_element,) atomic and mass numbers.
    energies_mev_per_n : (n_energy,) increasing kinetic energies per nucleon, MeV/n.
    differential_per_cm2_s_mev_per_n : (n_element, n_energy) omnidirectional differential flux.
    thickness_g_cm2 : Al shielding (path length at the centre of a sphere).
    let_mev_cm2_mg : (n_let,) LET values at which to evaluate the integral spectrum.

    Returns
    -------
    (n_let,) omnidirectional flux of ions with LET in Si above each value.

    Works on a fine grid of residual energies ``E'`` (0.01 MeV/n to the top of the input grid,
    100 per decade): each maps back to the incident energy ``E = R^-1(R(E') + t)`` (range scaling,
    :func:`stopping.heavy_ion_csda_range_g_cm2`), and particle conservation gives the shielded
    spectrum ``phi'(E') = phi(E) S(E) / S(E')`` (CSDA). No fragmentation or nuclear attenuation:
    first order, which overestimates the high-LET flux by roughly 10-30 % behind 1-10 g/cm^2 of Al.
    Each ion is counted at the LET of its residual energy
    (:func:`stopping.heavy_ion_let_si_mev_cm2_mg`).
    """
    z = np.atleast_1d(np.asarray(z, dtype=float))
    a = np.atleast_1d(np.asarray(a, dtype=float))
    e = spectrum.check_grid(energies_mev_per_n)
    phi = np.atleast_2d(np.asarray(differential_per_cm2_s_mev_per_n, dtype=float))
    if z.shape != a.shape or phi.shape != (z.size, e.size):
        raise ValueError(
            "differential_per_cm2_s_mev_per_n: need shape (len(z), len(energies_mev_per_n)) with "
            "z and a of equal length"
        )
    if not np.all(np.isfinite(phi)) or np.any(phi < 0.0):
        raise ValueError("differential_per_cm2_s_mev_per_n: must be finite and non-negative")
    if np.any(z < 1.0) or np.any(a < z):
        raise ValueError("z, a: need z >= 1 and a >= z")
    if not (np.isfinite(thickness_g_cm2) and thickness_g_cm2 >= 0.0):
        raise ValueError(f"thickness_g_cm2: must be finite and non-negative, got {thickness_g_cm2}")
    let_grid = np.asarray(let_mev_cm2_mg, dtype=float)
    if let_grid.ndim != 1 or np.any(let_grid < 0.0) or not np.all(np.isfinite(let_grid)):
        raise ValueError("let_mev_cm2_mg: need a 1-D array of finite, non-negative LETs")
    n_res = max(int(np.ceil(100 * np.log10(e[-1] / 1e-2))), 2)
    e_res = np.geomspace(1e-2, e[-1], n_res + 1)
    zc, ac = z[:, None], a[:, None]
    r_in = stopping.heavy_ion_csda_range_g_cm2(zc, ac, e_res[None, :]) + thickness_g_cm2
    e_in = stopping.heavy_ion_energy_from_range_mev_per_n(zc, ac, r_in)
    ep_in = stopping.proton_equivalent_energy_mev(e_in)
    ep_res = stopping.proton_equivalent_energy_mev(e_res)
    ratio = stopping.proton_stopping_power_mev_cm2_g(
        ep_in, "al"
    ) / stopping.proton_stopping_power_mev_cm2_g(ep_res, "al")
    phi_in = _loglog_rows(e, phi, e_in)
    widths = np.gradient(e_res)
    flux = (phi_in * ratio * widths[None, :]).ravel()
    let = np.broadcast_to(
        stopping.heavy_ion_let_si_mev_cm2_mg(zc, e_res[None, :]), phi_in.shape
    ).ravel()
    order = np.argsort(let)
    cum_above = np.concatenate([np.cumsum(flux[order][::-1])[::-1], [0.0]])
    k = np.searchsorted(let[order], let_grid, side="right")
    return cum_above[k]


def _loglog_rows(e: np.ndarray, f: np.ndarray, at: np.ndarray) -> np.ndarray:
    """Row-wise log-log interpolation of ``f (rows, n)`` on grid ``e`` at ``at (rows, m)``; 0 outside
    the grid or next to a zero value."""
    le = np.log(e)
    x = np.log(np.clip(at, e[0], e[-1]))
    k = np.clip(np.searchsorted(le, x) - 1, 0, e.size - 2)
    w = (x - le[k]) / (le[k + 1] - le[k])
    f0 = np.take_along_axis(f, k, axis=1)
    f1 = np.take_along_axis(f, k + 1, axis=1)
    positive = (f0 > 0.0) & (f1 > 0.0)
    logf = np.log(np.where(positive, f0, 1.0)) * (1.0 - w) + np.log(np.where(positive, f1, 1.0)) * w
    inside = (at >= e[0]) & (at <= e[-1])
    return np.where(positive & inside, np.exp(logf), 0.0)
