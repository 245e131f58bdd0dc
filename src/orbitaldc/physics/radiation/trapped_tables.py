"""The shipped AE8/AP8 grid (``orbitaldc/data/trapped_ae8ap8.npz``, made by :mod:`.trapped_grid`),
loaded once: the IGRF field grid (``1/L`` and ``u`` over longitude x latitude x altitude) and the
``log10`` integral flux tables over ``(ln L, u, energy)``, with what the compiled pass needs
(tables padded to whole energy blocks, live energies per table cell). Also the argument checks the
trapped-particle modules share.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from importlib.resources import files

import numpy as np

from orbitaldc.physics.radiation.trapped_grid import (
    ELECTRON_ENERGIES_MEV,
    FIELD_EPOCHS,
    LOG10_FLOOR,
    PROTON_ENERGIES_MEV,
)

#: Fluxes below ``10 ** ZERO_BELOW_LOG10`` per cm^2 per s (interpolation against a zero node) are 0.
ZERO_BELOW_LOG10 = -20.0

_GRID_FILE = "trapped_ae8ap8.npz"


@dataclass(frozen=True)
class TrappedGrid:
    lon0_deg: float
    lon_step_deg: float
    n_lon: int
    lat0_deg: float
    lat_step_deg: float
    alt_km: np.ndarray
    inv_l: np.ndarray  # (epoch, lon, lat, alt) float64
    u: np.ndarray
    field: np.ndarray  # (epoch, lon, lat, alt, 2): inv_l and u side by side for the kernel
    alt_lut: np.ndarray  # altitude cell index of each 1 km bin above alt_km[0]
    ln_l_step: float
    n_ln_l: int
    u_step: float
    n_u: int
    tables: dict  # (species, solar) -> (ln L, u, energy) float32 log10 flux
    kernel_tables: dict  # the same, energies padded with zero flux to whole ENERGY_BLOCKs
    live_energies: dict  # (species, solar) -> (ln L cell, u cell) energies the kernel blends


@lru_cache(maxsize=1)
def load_grid() -> TrappedGrid:
    """Load the shipped grid once (lazily; ~1 s)."""
    with files("orbitaldc").joinpath("data", _GRID_FILE).open("rb") as fh, np.load(fh) as d:
        lon = d["lon_deg"]
        lat = d["lat_deg"]
        ln_l = d["ln_l"]
        u_nodes = d["u_nodes"]
        if not np.array_equal(d["proton_energies_mev"], PROTON_ENERGIES_MEV) or not np.array_equal(
            d["electron_energies_mev"], ELECTRON_ENERGIES_MEV
        ):
            raise RuntimeError(f"{_GRID_FILE}: energy grid differs from trapped_grid; regenerate")
        tables = {}
        for species, key in (("p", "log10_proton"), ("e", "log10_electron")):
            # An integral spectrum cannot rise with energy. At 33 of the 1.6 million nodes AEP8
            # returns 0 (or a hair less) at one energy and a flux at the next, on the loss-cone
            # edge; lift the lower energy to the higher one (those particles are above both).
            t = np.maximum.accumulate(d[key][..., ::-1], axis=-1)[..., ::-1]
            for i, solar in enumerate(("min", "max")):
                tables[(species, solar)] = np.ascontiguousarray(t[i], dtype=np.float32)
        kernel_tables = {key: _pad_energies(table) for key, table in tables.items()}
        live_energies = {key: _live_energies(table) for key, table in tables.items()}
        alt_km = np.ascontiguousarray(d["alt_km"], dtype=float)
        inv_l = np.ascontiguousarray(d["inv_l"], dtype=float)
        u = np.ascontiguousarray(d["u"], dtype=float)
        bins = alt_km[0] + np.arange(int(alt_km[-1] - alt_km[0]) + 1)
        alt_lut = np.clip(np.searchsorted(alt_km, bins, side="right") - 1, 0, alt_km.size - 2)
        return TrappedGrid(
            lon0_deg=float(lon[0]),
            lon_step_deg=float(lon[1] - lon[0]),
            n_lon=lon.size,
            lat0_deg=float(lat[0]),
            lat_step_deg=float(lat[1] - lat[0]),
            alt_km=alt_km,
            inv_l=inv_l,
            u=u,
            field=np.ascontiguousarray(np.stack([inv_l, u], axis=-1)),
            alt_lut=alt_lut.astype(np.int64),
            ln_l_step=float(ln_l[1] - ln_l[0]),
            n_ln_l=ln_l.size,
            u_step=float(u_nodes[1] - u_nodes[0]),
            n_u=u_nodes.size,
            tables=tables,
            kernel_tables=kernel_tables,
            live_energies=live_energies,
        )


#: Energies the compiled loop blends per vector (4 doubles in an AVX2 register): tables are padded
#: and live counts rounded up to whole blocks, so the loop never runs a scalar remainder.
ENERGY_BLOCK = 8


def _pad_energies(table: np.ndarray) -> np.ndarray:
    """``table`` with zero-flux (``LOG10_FLOOR``) energies appended up to whole blocks."""
    n_pad = -table.shape[2] % ENERGY_BLOCK
    pad = np.full(table.shape[:2] + (n_pad,), LOG10_FLOOR, dtype=table.dtype)
    return np.ascontiguousarray(np.concatenate([table, pad], axis=2))


def _live_energies(table: np.ndarray) -> np.ndarray:
    """Number of leading energies at which some corner of each ``(ln L, u)`` table cell is above
    the zero level, rounded up to whole :data:`ENERGY_BLOCK` s: every spectrum is non-increasing,
    so beyond that count all four corners, and any blend of them, are zero. ``int64``
    ``(n_ln_l - 1, n_u - 1)``."""
    top = np.maximum(
        np.maximum(table[:-1, :-1], table[1:, :-1]), np.maximum(table[:-1, 1:], table[1:, 1:])
    )
    n = (top > ZERO_BELOW_LOG10).sum(axis=-1)
    return np.ascontiguousarray(-(-n // ENERGY_BLOCK) * ENERGY_BLOCK, dtype=np.int64)


def species_solar(species: str, solar: str) -> tuple[str, str]:
    s = {"p": "p", "proton": "p", "protons": "p", "e": "e", "electron": "e", "electrons": "e"}
    if species not in s:
        raise ValueError(f"species: {species!r} is not 'p' (protons) or 'e' (electrons)")
    if solar not in ("min", "max"):
        raise ValueError(f"solar: {solar!r} is not 'min' or 'max' (solar activity)")
    return s[species], solar


def energies_mev(species: str) -> np.ndarray:
    """Threshold energies (MeV) of the spectra returned for ``species`` ('p' or 'e')."""
    sp, _ = species_solar(species, "min")
    return (PROTON_ENERGIES_MEV if sp == "p" else ELECTRON_ENERGIES_MEV).copy()


def epoch_index(field_epoch: float) -> int:
    for i, e in enumerate(FIELD_EPOCHS):
        if float(field_epoch) == e:
            return i
    raise ValueError(
        f"field_epoch: {field_epoch} is not one of the shipped IGRF epochs {FIELD_EPOCHS}"
    )


def check_geodetic(lat: np.ndarray, lon: np.ndarray, alt_m: np.ndarray, alt_km: np.ndarray) -> None:
    if np.any(~np.isfinite(lat)) or np.any(np.abs(lat) > np.pi / 2 + 1e-12):
        raise ValueError("lat_rad: latitudes must be finite and within [-pi/2, pi/2]")
    if np.any(~np.isfinite(lon)):
        raise ValueError("lon_rad: longitudes must be finite")
    lo, hi = alt_km[0] * 1e3, alt_km[-1] * 1e3
    if np.any(~np.isfinite(alt_m)) or np.any(alt_m < lo) or np.any(alt_m > hi):
        raise ValueError(f"alt_m: the trapped grid covers {lo / 1e3:g}-{hi / 1e3:g} km altitude")
