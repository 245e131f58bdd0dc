"""Free-fall formations: Hill-Clohessy-Wiltshire (HCW) relative motion about a circular chief.

A deputy on a bounded (drift-free) HCW orbit moves on a 2:1 ellipse: radial
``x = A cos(n t + phi)``, along-track ``y = -2 A sin(n t + phi)`` (Clohessy & Wiltshire, J.
Aerospace Sci. 27 (1960) 653; Vallado 4th ed. sec. 6.8). As mean elements this is the chief's
semi-major axis (no drift), eccentricity ``A / a`` and a mean anomaly ``phi + pi`` with the same mean
argument of latitude as the chief. The Suncatcher cluster (arXiv 2511.19468 sec. 4.1) places 81
satellites on the integer lattice ``i^2 + j^2 <= 25`` with 100 m radial x 200 m along-track pitch:
each point lies on such an ellipse, all inside +-R along-track and +-R/2 radial for R = 1 km.

Over time: :func:`relative_rtn_m` projects absolute positions onto the chief's radial / along-track
/ cross-track frame, :func:`nearest_neighbour_distance_m` and :func:`minimum_separation_m` give
the cluster's spacing per (satellite, time), :func:`per_orbit_extrema` its min/max per orbit, and
:func:`differential_j2_rates` / :func:`along_track_drift_m_per_orbit` the secular J2 drift that
station-keeping (:mod:`orbitaldc.physics.stationkeeping`) has to cancel.
"""

from __future__ import annotations

import numpy as np

from orbitaldc.physics.orbit import MeanElements, j2_secular_rates, period_s


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


def hcw_relative_positions_m(
    amplitude_m: np.ndarray, phase_rad: np.ndarray, mean_motion: float, t_s: np.ndarray
) -> np.ndarray:
    """:func:`hcw_relative_state` as positions ``(radial, along-track, cross-track = 0)``, m.

    Shape ``(n, n_t, 3)``, ready for :func:`nearest_neighbour_distance_m`.
    """
    x, y = hcw_relative_state(amplitude_m, phase_rad, mean_motion, t_s)
    return np.stack([x, y, np.zeros_like(x)], axis=-1)


def relative_rtn_m(r_m: np.ndarray, r_chief_m: np.ndarray, v_chief_m_s: np.ndarray) -> np.ndarray:
    """Positions relative to the chief in its radial / along-track / cross-track frame, m.

    ``r_m`` has shape ``(n_sat, n_t, 3)`` (e.g. :func:`orbitaldc.physics.orbit.propagate`), the
    chief's position and velocity ``(n_t, 3)`` or ``(1, n_t, 3)``, all ECI. Returns
    ``(n_sat, n_t, 3)``: radial (along ``r_chief``), along-track (``h x r``, positive ahead) and
    cross-track (along the orbit normal ``h = r x v``), the Cartesian Hill frame of Clohessy &
    Wiltshire (1960). Along-track is the chord, not the arc: they differ by ``y^2 / 2a``,
    0.07 mm at 1 km.
    """
    rc = np.asarray(r_chief_m, dtype=float).reshape(-1, 3)
    vc = np.asarray(v_chief_m_s, dtype=float).reshape(-1, 3)
    radial = rc / np.linalg.norm(rc, axis=-1, keepdims=True)
    normal = np.cross(rc, vc)
    normal /= np.linalg.norm(normal, axis=-1, keepdims=True)
    along = np.cross(normal, radial)
    d = np.asarray(r_m, dtype=float) - rc
    return np.stack(
        [np.sum(d * radial, -1), np.sum(d * along, -1), np.sum(d * normal, -1)], axis=-1
    )


#: Default memory bound of :func:`nearest_neighbour_distance_m`'s pairwise block, bytes.
PAIRWISE_BLOCK_BYTES = 64 * 2**20


def nearest_neighbour_distance_m(
    positions_m: np.ndarray, block_bytes: int = PAIRWISE_BLOCK_BYTES
) -> np.ndarray:
    """Distance from each satellite to its nearest other member at each time, m, ``(n, n_t)``.

    ``positions_m`` is ``(n, n_t, d)`` in any frame shared by the members at each time (ECI from
    :func:`orbitaldc.physics.orbit.propagate`, or :func:`relative_rtn_m` /
    :func:`hcw_relative_positions_m` offsets). The ``(n, n, chunk, d)`` pairwise differences are
    formed a chunk of time steps at a time, so memory stays under ``block_bytes`` (default
    64 MiB: 81 satellites hold 1,360 steps per chunk) whatever the number of steps; the
    differences are exact (no ``|a|^2 + |b|^2 - 2 a.b`` cancellation at ECI magnitudes). A
    single satellite has no neighbour: ``inf``.
    """
    r = np.asarray(positions_m, dtype=float)
    n, n_t, dim = r.shape
    chunk = max(1, int(block_bytes // max(1, n * n * dim * 8 * 2)))
    out = np.empty((n, n_t))
    eye = np.eye(n, dtype=bool)[:, :, None]
    for start in range(0, n_t, chunk):
        block = r[:, start : start + chunk]
        d = np.linalg.norm(block[:, None] - block[None, :], axis=-1)
        out[:, start : start + chunk] = np.where(eye, np.inf, d).min(axis=1)
    return out


def minimum_separation_m(
    positions_m: np.ndarray, block_bytes: int = PAIRWISE_BLOCK_BYTES
) -> np.ndarray:
    """Smallest distance between any two members at each time, m, shape ``(n_t,)``."""
    return nearest_neighbour_distance_m(positions_m, block_bytes).min(axis=0)


def per_orbit_extrema(
    values: np.ndarray, t_s: np.ndarray, orbit_period_s: float
) -> tuple[np.ndarray, np.ndarray]:
    """Minimum and maximum of ``values`` (..., n_t) over each orbit, shape ``(..., n_orbits)``.

    Orbit ``k`` holds the samples with ``k T <= t - t[0] < (k + 1) T``; a trailing partial orbit
    is kept as the last column.
    """
    v = np.asarray(values, dtype=float)
    t = np.asarray(t_s, dtype=float)
    index = np.floor((t - t[0]) / orbit_period_s).astype(int)
    starts = np.flatnonzero(np.r_[True, np.diff(index) != 0])
    return np.minimum.reduceat(v, starts, axis=-1), np.maximum.reduceat(v, starts, axis=-1)


def differential_j2_rates(
    deputies: MeanElements, chief: MeanElements
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Secular J2 rates of each deputy minus the chief's, rad/s, each of shape ``(n,)``.

    ``(d raan_dot, d arg_perigee_dot, d mean_anomaly_dot)`` from
    :func:`orbitaldc.physics.orbit.j2_secular_rates` (Vallado 4th ed. eqs. 9-41, 9-42), exact
    differences (not linearised), so they hold for any element differences; the mean-anomaly
    rate's difference carries the rounding of ``M_dot ~ 1e-3 rad/s`` (~1e-19 rad/s, 2e-5 m of
    along-track drift per year in LEO). For a Suncatcher
    cluster (same mean a and i, e up to 7.1e-5, circular chief) the rates differ only through
    ``p = a (1 - e^2)`` and ``sqrt(1 - e^2)``, i.e. at order ``e^2 ~ 5e-9``; for differences in
    a and i they are the linear rates of Schaub & Alfriend (Celest. Mech. Dyn. Astron. 79 (2001) 77)
    to first order.
    """
    rates_d = j2_secular_rates(
        deputies.semi_major_axis_m, deputies.eccentricity, deputies.inclination_rad
    )
    rates_c = j2_secular_rates(chief.semi_major_axis_m, chief.eccentricity, chief.inclination_rad)
    return tuple(d - c for d, c in zip(rates_d, rates_c, strict=True))


def along_track_drift_rate_m_s(deputies: MeanElements, chief: MeanElements) -> np.ndarray:
    """Secular along-track drift of each deputy away from its slot, m/s, shape ``(n,)``.

    The mean argument of latitude ``u = M + w`` plus the node's projection on the orbit,
    ``d(u_dot) + cos i d(raan_dot)`` (the along-track angle in the chief's Hill frame; Schaub &
    Junkins, Analytical Mechanics of Space Systems, ch. 14), times the chief's radius.
    """
    d_raan, d_argp, d_m = differential_j2_rates(deputies, chief)
    a = chief.semi_major_axis_m[0]
    return a * (d_m + d_argp + np.cos(chief.inclination_rad[0]) * d_raan)


def cross_track_drift_rate_m_s(deputies: MeanElements, chief: MeanElements) -> np.ndarray:
    """Growth rate of each deputy's cross-track oscillation from differential nodal drift, m/s.

    A node difference ``d raan`` tilts the deputy's plane by ``sin i d raan`` about the polar
    axis, a cross-track swing of amplitude ``a sin i d raan`` (Schaub & Junkins ch. 14), so it
    grows at ``a sin i d(raan_dot)``; shape ``(n,)``.
    """
    d_raan, _, _ = differential_j2_rates(deputies, chief)
    return chief.semi_major_axis_m[0] * np.sin(chief.inclination_rad[0]) * d_raan


def along_track_drift_m_per_orbit(deputies: MeanElements, chief: MeanElements) -> np.ndarray:
    """:func:`along_track_drift_rate_m_s` accumulated over one Keplerian orbit, m, ``(n,)``."""
    return along_track_drift_rate_m_s(deputies, chief) * period_s(chief.semi_major_axis_m[0])
