"""Generate the shipped AE8/AP8 grid ``orbitaldc/data/trapped_ae8ap8.npz`` (offline; needs radbelt).

Regenerate with::

    python -m orbitaldc.physics.radiation.trapped_grid [--processes 2] [--out PATH]

(13 minutes on 2 cores, ~1 million model calls; ``radbelt`` is a development dependency, never
needed at run time).

What is computed, and why in two stages
---------------------------------------
AE8/AP8 (Vette 1991, NSSDC/WDC-A-R&S 91-29; Sawyer & Vette 1976, NSSDC/WDC-A-R&S 76-06) give the
omnidirectional integral flux as a function of energy and the magnetic coordinates ``(L, B/B0)``; a
geographic position enters only through the field model that maps it to ``(L, B/B0)``. The
``radbelt`` package (NASA, wraps the NSSDC Fortran ``AEP8`` and the IGRF/``SHELLG`` L-shell code)
rereads the model file on every call (~0.6 ms per energy and point), so a direct
longitude x latitude x altitude x energy grid would take hours. The grid is therefore built in the
model's own coordinates:

1. **Field grid** (per IGRF epoch in :data:`FIELD_EPOCHS`): ``1/L`` and the normalised field
   ``u = ln(B/B0) / ln(B_s/B0)`` at every geodetic longitude x latitude x altitude node, where
   ``B_s/B0 = L^3 sqrt(4 - 3/L)`` is the centred-dipole field at the Earth's surface on the same
   shell (Roederer 1970, *Dynamics of Geomagnetically Trapped Radiation*, eq. 1.19). Both are smooth
   in space (``1/L`` is ``cos^2(lambda_m)/r`` for a dipole and stays finite over the poles), so
   trilinear interpolation is accurate.
2. **Flux tables**: ``log10`` integral flux at nodes uniform in ``ln L`` (1 to 12) and in ``u``
   (0 to 1). ``u`` spreads the whole trapped region of every shell (``B0`` at the equator to the
   atmospheric loss cone near ``u`` of 0.3 to 0.9) over the same table rows, so the steep loss-cone
   edge that low orbits skim through is sampled finely at every ``L``.

Nodes where the model flux is zero hold ``log10(FLOOR) = -30``. The integral flux of AE8/AP8
falls with energy and with ``B/B0`` along a shell, so the generator stops stepping ``u`` (or the
energy) after two consecutive zeros (assumption: flux does not reappear further out; the maps are
monotone except for a few loss-cone-edge nodes, which ``trapped`` makes monotone in energy at load).
"""

from __future__ import annotations

import argparse
import datetime as _dt
import os
import time
from importlib import metadata
from multiprocessing import Pool
from pathlib import Path

import numpy as np

#: Geodetic longitudes of the field grid, deg (periodic; 3 deg steps).
LON_DEG = np.arange(-180.0, 180.0, 3.0)
#: Geodetic latitudes of the field grid, deg (poles included; 3 deg steps).
LAT_DEG = np.linspace(-90.0, 90.0, 61)
#: Altitudes above the WGS-84 ellipsoid of the field grid, km: 50 km steps to 1,000 km (where the
#: inner-belt flux changes tenfold per ~100 km), 100 km steps to 2,500 km.
ALT_KM = np.concatenate([np.arange(150.0, 1000.0, 50.0), np.arange(1000.0, 2501.0, 100.0)])
#: IGRF epochs (decimal years) of the shipped field grids. 1970.0 is the epoch of the field model
#: AP8MAX was built with (GSFC 12/66 extrapolated to 1970; Sawyer & Vette 1976); 2025.0 is the
#: latest epoch of radbelt's IGRF-13 coefficient set (IGRF2020 + secular variation to 2025).
FIELD_EPOCHS = (1970.0, 2025.0)
#: ``ln L`` nodes of the flux tables (L from 1 to 12; AE8 has no electrons beyond L ~ 11).
LN_L_STEP = 0.01
LN_L = np.arange(0.0, np.log(12.0) + 1e-9, LN_L_STEP)
#: ``u = ln(B/B0) / ln(B_s/B0)`` nodes of the flux tables.
U_STEP = 0.0125
U = np.arange(0.0, 1.0 + 1e-9, U_STEP)
# fmt: off
#: Proton threshold energies of the tables, MeV (a subset of AP8's 0.1-400 MeV grid).
PROTON_ENERGIES_MEV = np.array(
    [0.1, 0.15, 0.2, 0.3, 0.5, 0.7, 1.0, 1.5, 2.0, 3.0, 5.0, 7.0, 10.0, 15.0, 20.0, 30.0, 50.0,
     70.0, 100.0, 150.0, 200.0, 300.0, 400.0]
)
#: Electron threshold energies of the tables, MeV (AE8 covers 0.04-7 MeV).
ELECTRON_ENERGIES_MEV = np.array(
    [0.04, 0.07, 0.1, 0.2, 0.3, 0.5, 0.7, 1.0, 1.5, 2.0, 2.5, 3.0, 3.5, 4.0, 5.0, 6.0, 7.0]
)
# fmt: on
#: The four AE8/AP8 models: (species, solar activity).
MODELS = (("p", "min"), ("p", "max"), ("e", "min"), ("e", "max"))
#: log10 of the flux stored where the model gives zero (``spectrum.FLOOR``).
LOG10_FLOOR = -30.0

DEFAULT_OUT = Path(__file__).resolve().parents[2] / "data" / "trapped_ae8ap8.npz"


def dipole_surface_ratio(l_value: np.ndarray) -> np.ndarray:
    """``B_s/B0 = L^3 sqrt(4 - 3/L)``: dipole surface field over the equatorial field of shell L.

    Roederer (1970) eq. 1.19 with ``cos^2(lambda) = 1/L`` at ``r = 1 R_E``.
    """
    l_value = np.maximum(np.asarray(l_value, dtype=float), 1.0)
    return l_value**3 * np.sqrt(4.0 - 3.0 / l_value)


def _flux_row(task: tuple[int, int]) -> tuple[int, int, np.ndarray]:
    """log10 integral flux at one ``(model, ln L node)`` for every ``u`` node and energy."""
    import radbelt

    model, i_l = task
    species, solar = MODELS[model]
    energies = PROTON_ENERGIES_MEV if species == "p" else ELECTRON_ENERGIES_MEV
    l_value = float(np.exp(LN_L[i_l]))
    ratio = dipole_surface_ratio(l_value)
    out = np.full((U.size, energies.size), LOG10_FLOOR, dtype=np.float32)
    for k, energy in enumerate(energies):
        zeros = 0
        for j, u in enumerate(U):
            flux = float(radbelt.aep8(float(energy), l_value, float(ratio**u), species, solar))
            if flux > 0.0:
                out[j, k] = np.log10(flux)
                zeros = 0
            else:
                zeros += 1
                if zeros == 2:
                    break
        if np.all(out[:, k] == LOG10_FLOOR):
            break
    return model, i_l, out


def _field_block(task: tuple[float, int]) -> tuple[float, int, np.ndarray, np.ndarray]:
    """``1/L`` and ``u`` on one longitude plane of the field grid at one IGRF epoch."""
    import radbelt

    epoch, i_lon = task
    lat, alt = np.meshgrid(LAT_DEG, ALT_KM, indexing="ij")
    l_value, bb0 = radbelt.igrf(LON_DEG[i_lon], lat, alt, epoch)
    l_value = np.asarray(l_value, dtype=float)
    bb0 = np.maximum(np.asarray(bb0, dtype=float), 1.0)
    # SHELLG returns very large L on open or polar field lines; 1/L -> 0 there, which is what the
    # interpolation needs (no trapped flux beyond L ~ 11).
    inv_l = np.where(l_value > 1.0, 1.0 / np.maximum(l_value, 1.0), 1.0)
    den = np.log(dipole_surface_ratio(np.maximum(l_value, 1.0)))
    u = np.log(bb0) / np.maximum(den, 1e-3)
    return epoch, i_lon, inv_l.astype(np.float32), np.minimum(u, 5.0).astype(np.float32)


def generate(out: Path = DEFAULT_OUT, processes: int = 2) -> Path:
    """Evaluate radbelt on the grids above and write the compressed ``.npz``; returns its path."""
    start = time.perf_counter()
    flux_tasks = [(m, i) for m in range(len(MODELS)) for i in range(LN_L.size)]
    field_tasks = [(e, i) for e in FIELD_EPOCHS for i in range(LON_DEG.size)]
    shape = (len(FIELD_EPOCHS), LON_DEG.size, LAT_DEG.size, ALT_KM.size)
    inv_l = np.zeros(shape, dtype=np.float32)
    u_field = np.zeros(shape, dtype=np.float32)
    proton = np.full((2, LN_L.size, U.size, PROTON_ENERGIES_MEV.size), LOG10_FLOOR, np.float32)
    electron = np.full((2, LN_L.size, U.size, ELECTRON_ENERGIES_MEV.size), LOG10_FLOOR, np.float32)
    with Pool(processes) as pool:
        for epoch, i_lon, a, b in pool.imap_unordered(_field_block, field_tasks, chunksize=4):
            inv_l[FIELD_EPOCHS.index(epoch), i_lon] = a
            u_field[FIELD_EPOCHS.index(epoch), i_lon] = b
        print(f"field grids done in {time.perf_counter() - start:.0f} s", flush=True)
        for n, (model, i_l, row) in enumerate(
            pool.imap_unordered(_flux_row, flux_tasks, chunksize=2)
        ):
            species, solar = MODELS[model]
            table = proton if species == "p" else electron
            table[0 if solar == "min" else 1, i_l] = row
            if n % 100 == 0:
                print(
                    f"{n}/{len(flux_tasks)} rows, {time.perf_counter() - start:.0f} s", flush=True
                )
    out.parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(
        out,
        lon_deg=LON_DEG,
        lat_deg=LAT_DEG,
        alt_km=ALT_KM,
        field_epochs=np.array(FIELD_EPOCHS),
        inv_l=inv_l,
        u=u_field,
        ln_l=LN_L,
        u_nodes=U,
        proton_energies_mev=PROTON_ENERGIES_MEV,
        electron_energies_mev=ELECTRON_ENERGIES_MEV,
        log10_proton=proton,
        log10_electron=electron,
        provenance=np.array(
            f"radbelt {metadata.version('radbelt')} (NASA AEP8 + IGRF-13 SHELLG); generated "
            f"{_dt.date.today().isoformat()} by python -m orbitaldc.physics.radiation.trapped_grid"
        ),
    )
    print(
        f"wrote {out} ({os.path.getsize(out) / 1e6:.1f} MB) in {time.perf_counter() - start:.0f} s"
    )
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--processes", type=int, default=2)
    args = parser.parse_args()
    generate(args.out, args.processes)


if __name__ == "__main__":
    main()
