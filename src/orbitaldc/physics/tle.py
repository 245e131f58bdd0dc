"""Real constellations from TLE and OMM files, propagated with SGP4 (python-sgp4's SatrecArray).

SGP4 (Vallado et al., "Revisiting Spacetrack Report #3", AIAA 2006-6753) returns positions in the
TEME frame. TEME differs from our ECI (mean equator and equinox of date) by the nutation in
longitude and obliquity (at most ~17" and ~9"), i.e. up to ~0.6 km at LEO radius; this module does
not rotate them, which shifts eclipse times by < 0.1 s and is stated in docs/orbit.md.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
from numpy.typing import ArrayLike
from sgp4 import omm
from sgp4.api import WGS72, Satrec, SatrecArray

from orbitaldc.physics.orbit import MeanElements
from orbitaldc.physics.timescale import J2000_UTC

#: Julian date of the J2000 epoch (2000-01-01T12:00 UTC as used throughout orbitaldc).
JD_J2000 = 2451545.0


@dataclass(frozen=True)
class TleSet:
    """Satellites read from a TLE or OMM file: names, SGP4 records and the vectorised array."""

    names: tuple[str, ...]
    satrecs: tuple[Satrec, ...]

    @property
    def array(self) -> SatrecArray:
        """python-sgp4's vectorised propagator for all satellites."""
        return SatrecArray(list(self.satrecs))

    @property
    def n_satellites(self) -> int:
        """Number of satellites."""
        return len(self.satrecs)


def _check_checksum(line: str, number: int, path: Path) -> None:
    digits = sum(int(c) for c in line[:68] if c.isdigit()) + line[:68].count("-")
    if len(line) >= 69 and line[68].isdigit() and digits % 10 != int(line[68]):
        raise ValueError(
            f"{path}: line {number}: TLE checksum is {line[68]}, expected {digits % 10}"
        )


def load_tle_file(path: str | Path, check_checksums: bool = True) -> TleSet:
    """Read a 2-line or 3-line (with name) TLE file; a malformed line names its line number.

    ``check_checksums=False`` accepts lines whose modulo-10 checksum is wrong (the SGP4
    verification set has hand-edited lines).
    """
    path = Path(path)
    lines = [(i + 1, ln.rstrip()) for i, ln in enumerate(path.read_text().splitlines())]
    lines = [(i, ln) for i, ln in lines if ln.strip() and not ln.startswith("#")]
    names: list[str] = []
    satrecs: list[Satrec] = []
    k = 0
    while k < len(lines):
        number, line = lines[k]
        name = ""
        if not line.startswith("1 "):
            name = line.strip().removeprefix("0 ").strip()
            k += 1
            if k >= len(lines):
                raise ValueError(f"{path}: line {number}: name line without a TLE after it")
            number, line = lines[k]
        if k + 1 >= len(lines) or not lines[k + 1][1].startswith("2 ") or not line.startswith("1 "):
            raise ValueError(f"{path}: line {number}: expected TLE line 1 followed by line 2")
        number2, line2 = lines[k + 1]
        if check_checksums:
            _check_checksum(line, number, path)
            _check_checksum(line2, number2, path)
        try:
            sat = Satrec.twoline2rv(line, line2, WGS72)
        except (ValueError, IndexError) as exc:
            raise ValueError(f"{path}: line {number}: not a valid TLE ({exc})") from None
        if sat.error:
            raise ValueError(f"{path}: line {number}: SGP4 rejects this TLE (error {sat.error})")
        names.append(name or line[2:7].strip())
        satrecs.append(sat)
        k += 2
    if not satrecs:
        raise ValueError(f"{path}: no TLE found")
    return TleSet(tuple(names), tuple(satrecs))


def load_omm_file(path: str | Path) -> TleSet:
    """Read a CCSDS OMM file (XML or CSV, as served by CelesTrak) into SGP4 records."""
    path = Path(path)
    with path.open() as f:
        parse = omm.parse_xml if path.suffix.lower() == ".xml" else omm.parse_csv
        try:
            records = list(parse(f))
        except Exception as exc:
            raise ValueError(f"{path}: not a readable OMM file ({exc})") from None
    names, satrecs = [], []
    for fields in records:
        sat = Satrec()
        try:
            omm.initialize(sat, fields)
        except (KeyError, ValueError) as exc:
            raise ValueError(
                f"{path}: OMM record {fields.get('OBJECT_NAME', '?')}: {exc}"
            ) from None
        names.append(fields.get("OBJECT_NAME", str(sat.satnum)))
        satrecs.append(sat)
    if not satrecs:
        raise ValueError(f"{path}: no OMM records found")
    return TleSet(tuple(names), tuple(satrecs))


def load_orbits_file(path: str | Path) -> TleSet:
    """A TLE (.tle/.txt) or OMM (.xml/.csv) file, by its extension."""
    suffix = Path(path).suffix.lower()
    return load_omm_file(path) if suffix in (".xml", ".csv") else load_tle_file(path)


def _julian(t_s: ArrayLike) -> tuple[np.ndarray, np.ndarray]:
    days = np.atleast_1d(np.asarray(t_s, dtype=float)) / 86400.0
    whole = np.floor(days)
    return JD_J2000 + whole, days - whole


def propagate_sgp4(tles: TleSet, t_s: ArrayLike) -> tuple[np.ndarray, np.ndarray]:
    """SGP4 positions (m) and velocities (m/s) of every satellite at every time, (n_sat, n_t, 3).

    Satellites that SGP4 cannot propagate at a time (decayed, error code != 0) get NaN there.
    """
    jd, fr = _julian(t_s)
    err, r_km, v_km_s = tles.array.sgp4(jd, fr)
    bad = err != 0
    r = r_km * 1e3
    v = v_km_s * 1e3
    r[bad] = np.nan
    v[bad] = np.nan
    return r, v


def mean_elements(tles: TleSet) -> MeanElements:
    """SGP4 mean elements as :class:`MeanElements` for the J2-secular engine.

    The semi-major axis is chosen so that the engine's along-track rate (mean anomaly plus
    argument of perigee, :func:`orbitaldc.physics.orbit.j2_secular_rates`) equals SGP4's secular
    rate ``mdot + argpdot`` for that satellite; otherwise the Kozai/Brouwer mean-motion
    conventions alone would drift the two apart by ~50 km a day. SGP4 itself stays the reference
    for the positions of a real constellation; these elements serve the closure and the twin.
    """
    from orbitaldc.physics.constants import MU_EARTH_M3_S2
    from orbitaldc.physics.orbit import j2_secular_rates

    sats = tles.satrecs
    target = np.array([s.mdot + s.argpdot for s in sats]) / 60.0  # rad/s
    ecc = np.array([s.ecco for s in sats])
    inc = np.array([s.inclo for s in sats])
    a = (MU_EARTH_M3_S2 / (np.array([s.no_kozai for s in sats]) / 60.0) ** 2) ** (1.0 / 3.0)
    for _ in range(6):  # fixed point: the rate scales as a^-1.5
        _, argp_dot, m_dot = j2_secular_rates(a, ecc, inc)
        a = a * ((argp_dot + m_dot) / target) ** (2.0 / 3.0)
    epoch_jd = np.array([s.jdsatepoch + s.jdsatepochF for s in sats])
    return MeanElements(
        semi_major_axis_m=a,
        eccentricity=np.array([s.ecco for s in sats]),
        inclination_rad=np.array([s.inclo for s in sats]),
        raan_rad=np.array([s.nodeo for s in sats]),
        arg_perigee_rad=np.array([s.argpo for s in sats]),
        mean_anomaly_rad=np.array([s.mo for s in sats]),
        epoch_s=(epoch_jd - JD_J2000) * 86400.0,
        plane=np.zeros(len(sats), int),
    )


__all__ = [
    "J2000_UTC",
    "TleSet",
    "load_omm_file",
    "load_orbits_file",
    "load_tle_file",
    "mean_elements",
    "propagate_sgp4",
]
