"""Non-ionising energy loss (NIEL) in GaAs for protons and electrons, from the shipped table.

``orbitaldc/data/niel_gaas_protons_electrons.csv``: the NRL screened-relativistic ("SCREAM") GaAs
NIEL (Jun et al. 2003, IEEE Trans. Nucl. Sci. 50(6), 1924) as shipped with The Aerospace
Corporation's solarpy; see the file's header. The displacement-damage response of
:mod:`.transport` and the solar-cell damage of :mod:`.damage` read it.
"""

from __future__ import annotations

from functools import cache
from importlib import resources

import numpy as np
from numpy.typing import ArrayLike


@cache
def _niel_table() -> dict[str, tuple[np.ndarray, np.ndarray]]:
    text = (
        resources.files("orbitaldc")
        .joinpath("data", "niel_gaas_protons_electrons.csv")
        .read_text(encoding="utf-8")
    )
    rows = [
        line.split(",")
        for line in text.splitlines()
        if line and not line.startswith(("#", "species"))
    ]
    species = np.array([r[0] for r in rows])
    e = np.array([float(r[1]) for r in rows])
    n = np.array([float(r[2]) for r in rows])
    return {
        name: (e[species == key], n[species == key])
        for name, key in (("proton", "p"), ("electron", "e"))
    }


def niel_gaas_mev_cm2_g(energy_mev: ArrayLike, species: str) -> np.ndarray:
    """Non-ionising energy loss in GaAs, MeV cm^2/g (log-log interpolation of the shipped table).

    Zero below the table for electrons (displacement threshold ~0.25 MeV) and for protons below
    0.2 keV; the last table value is held above the table.
    """
    if species not in ("proton", "electron"):
        raise ValueError(f"species: must be 'proton' or 'electron', got {species!r}")
    e = np.asarray(energy_mev, dtype=float)
    if not np.all(np.isfinite(e)) or np.any(e < 0.0):
        raise ValueError("energy_mev: energies must be finite and non-negative")
    table_e, table_n = _niel_table()[species]
    le = np.log(np.clip(e, table_e[0], table_e[-1]))
    out = np.exp(np.interp(le, np.log(table_e), np.log(table_n)))
    return np.where(e >= table_e[0], out, 0.0)
