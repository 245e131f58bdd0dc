"""Free-fall formations: Hill-Clohessy-Wiltshire (HCW) relative motion about a circular chief.

A deputy on a bounded (drift-free) HCW orbit moves on a 2:1 ellipse: radial
``x = A cos(n t + phi)``, along-track ``y = -2 A sin(n t + phi)`` (Clohessy & Wiltshire, J.
Aerospace Sci. 27 (1960) 653; Vallado 4th ed. sec. 6.8). As mean elements this is the chief's
semi-major axis (no drift), eccentricity ``A / a`` and a mean anomaly ``phi + pi`` with the same mean
argument of latitude as the chief. The Suncatcher cluster (arXiv 2511.19468 sec. 4.1) places 81
satellites on the integer lattice ``i^2 + j^2 <= 25`` with 100 m radial x 200 m along-track pitch:
each point lies on such an ellipse, all inside +-R along-track and +-R/2 radial for R = 1 km.
"""

from __future__ import annotations

import numpy as np

from orbitaldc.physics.orbit import MeanElements


def suncatcher_lattice(
    radius_m: float = 1000.0, radial_pitch_m: float = 100.0, along_track_pitch_m: float = 200.0
) -> np.ndarray:
    """The 81 lattice offsets ``(x_radial, y_along_track)`` at t = 0, m, shape (81, 2).

    Integer points with ``i^2 + j^2 <= 25`` on the given pitch (arXiv 2511.19468 sec. 4.1),
    scaled by ``radius_m / 1000``.
    """
    i, j = np.meshgrid(np.arange(-5, 6), np.arange(-5, 6), indexing="ij")
    keep = i**2 + j**2 <= 25
    scale = radius_m / 1000.0
    return np.stack(
        [i[keep] * radial_pitch_m * scale, j[keep] * along_track_pitch_m * scale], axis=-1
    ).astype(float)


#: Lattices a cluster can be laid out on (``[constellation] lattice``): the Suncatcher paper's
#: fixed 81-point lattice, and square or hexagonal lattices filling the cluster radius.
LATTICES = ("suncatcher", "square", "hex")


def lattice_offsets(n: int, radius_m: float, lattice: str = "square") -> np.ndarray:
    """``n`` lattice offsets filling a cluster of ``radius_m``, innermost first, m, shape (n, 2).

    The lattice is laid in the HCW amplitude plane ``(x_radial, y_along_track / 2)``, where every
    drift-free ellipse is a circle, so equal spacing there means equal ellipses in space:

    - ``"square"``: integer points ``(i, j)``, i.e. the 1:2 radial : along-track lattice of the
      Suncatcher paper (arXiv 2511.19468 sec. 4.1);
    - ``"hex"``: the triangular lattice ``(i + j/2, j sqrt(3)/2)``, the densest packing of
      circles in the plane (Thue's theorem), so the most satellites per radius at a given spacing.

    The ``n`` points nearest the chief are kept (ties broken by a fixed order) and scaled so that
    the outermost ellipse reaches +-R along-track and +-R/2 radial. The ``"suncatcher"`` lattice is
    :func:`suncatcher_lattice`, which needs ``n == 81``.
    """
    if n < 1:
        raise ValueError(f"a cluster needs at least 1 satellite, got {n}")
    if lattice == "suncatcher":
        if n != 81:
            raise ValueError(f"the 'suncatcher' lattice has 81 satellites, got {n}")
        return suncatcher_lattice(radius_m)
    if lattice not in LATTICES:
        raise ValueError(f"lattice must be one of {', '.join(LATTICES)}; got {lattice!r}")
    # Half-width of the index square: it must hold the disc of the n nearest points, whose radius
    # is about sqrt(n / pi); the hexagonal lattice's rhombus holds a disc sqrt(3)/2 as wide.
    k = int(np.ceil(np.sqrt(n / np.pi) / (np.sqrt(3.0) / 2.0))) + 2
    i, j = np.meshgrid(np.arange(-k, k + 1), np.arange(-k, k + 1), indexing="ij")
    i, j = i.ravel().astype(float), j.ravel().astype(float)
    if lattice == "hex":
        i, j = i + 0.5 * j, j * (np.sqrt(3.0) / 2.0)
    order = np.lexsort((j, i, np.round(i**2 + j**2, 9)))[:n]
    rho = np.sqrt(i[order] ** 2 + j[order] ** 2)
    scale = 0.5 * radius_m / rho.max() if rho.max() > 0 else 0.0
    return np.stack([i[order] * scale, 2.0 * j[order] * scale], axis=-1)


def hcw_amplitude_phase(offsets_m: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Amplitude ``A`` (m) and phase ``phi`` (rad) of the drift-free ellipse through each offset."""
    x, y = offsets_m[:, 0], offsets_m[:, 1]
    return np.hypot(x, 0.5 * y), np.arctan2(-0.5 * y, x)


def hcw_relative_state(
    amplitude_m: np.ndarray, phase_rad: np.ndarray, mean_motion: float, t_s: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Analytic drift-free HCW positions: radial and along-track offsets, m, shape (n, n_t)."""
    arg = mean_motion * np.asarray(t_s)[None, :] + phase_rad[:, None]
    return amplitude_m[:, None] * np.cos(arg), -2.0 * amplitude_m[:, None] * np.sin(arg)


def hcw_cluster(chief: MeanElements, offsets_m: np.ndarray) -> MeanElements:
    """Deputies on drift-free HCW ellipses through ``offsets_m`` (radial, along-track) at epoch.

    ``chief`` must hold one circular orbit. Returns one satellite per offset (an offset of (0, 0)
    is the chief itself), all in plane 0.
    """
    if chief.n_satellites != 1 or chief.eccentricity[0] != 0.0:
        raise ValueError("hcw_cluster needs a single circular chief orbit")
    a = chief.semi_major_axis_m[0]
    amplitude, phase = hcw_amplitude_phase(np.asarray(offsets_m, dtype=float))
    u0 = chief.arg_perigee_rad[0] + chief.mean_anomaly_rad[0]
    mean_anomaly = np.where(amplitude > 0, phase + np.pi, u0)
    argp = np.where(amplitude > 0, u0 - mean_anomaly, 0.0)
    n = amplitude.shape[0]
    ones = np.ones(n)
    return MeanElements(
        semi_major_axis_m=a * ones,
        eccentricity=amplitude / a,
        inclination_rad=chief.inclination_rad[0] * ones,
        raan_rad=chief.raan_rad[0] * ones,
        arg_perigee_rad=np.mod(argp, 2 * np.pi),
        mean_anomaly_rad=np.mod(mean_anomaly, 2 * np.pi),
        epoch_s=chief.epoch_s[0] * ones,
        plane=np.zeros(n, int),
    )
