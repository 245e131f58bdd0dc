"""Link topology over time: which satellites can link, how far apart, what each link carries.

Positions are ``(satellite, time, 3)`` ECI metres (:func:`orbitaldc.physics.orbit.propagate`).
A topology is a fixed list of candidate links ``(link, 2)`` (satellite indices, first < second
for the cluster) with ``(link, time)`` arrays saying whether each is up and what it carries, so one
representation serves a cluster whose links change with time and a Walker shell's fixed +grid.

- Line of sight: the segment between two satellites must pass above Earth (a sphere of the WGS-84
  equatorial radius, conservative by up to 21 km toward the poles) plus a grazing altitude, by
  default 80 km: the top of the mesosphere, where the pressure is below 1e-5 of sea level
  (U.S. Standard Atmosphere 1976: 0.89 Pa at 80 km), so an optical beam above it crosses no
  appreciable air; 100 km (the Karman line) is a common more conservative choice.
- Clusters (a few hundred satellites, O(n^2) pairs per time): each satellite links to its
  nearest feasible neighbours with ``k`` terminals, the pairs taken from the shortest up while
  both ends have a terminal free (a greedy matching by distance), so the links are symmetric
  and no satellite uses more than ``k`` terminals.
- Walker shells (any size, O(n)): the +grid, four terminals per satellite, two to the in-plane
  neighbours ahead and behind, two to the satellites of the same slot in the adjacent planes
  (the "+Grid" of Bhattacherjee & Singla, "Network topology design at 27,000 km/hour", ACM
  CoNEXT 2019).
"""

from __future__ import annotations

from dataclasses import dataclass

import numba
import numpy as np
from numpy.typing import ArrayLike

from orbitaldc.catalog.models import Terminal
from orbitaldc.physics import links as budget
from orbitaldc.physics.constants import C_M_S, R_EARTH_M

#: Lowest altitude a link's line of sight may graze, m (top of the mesosphere; module docstring).
GRAZING_ALTITUDE_M = 80e3


def segment_min_radius_m(r_a_m: ArrayLike, r_b_m: ArrayLike) -> np.ndarray:
    """Closest approach to Earth's centre of the segment from ``r_a`` to ``r_b``, m.

    Vectors with a trailing axis of 3 that broadcast; the result has their leading shape. The
    nearest point is ``r_a + s (r_b - r_a)`` with ``s = -r_a . d / |d|^2`` clipped to [0, 1].
    """
    r_a = np.asarray(r_a_m, dtype=float)
    d = np.asarray(r_b_m, dtype=float) - r_a
    dd = np.einsum("...i,...i->...", d, d)
    with np.errstate(invalid="ignore", divide="ignore"):
        s = np.clip(np.where(dd > 0, -np.einsum("...i,...i->...", r_a, d) / dd, 0.0), 0.0, 1.0)
    return np.linalg.norm(r_a + s[..., None] * d, axis=-1)


def line_of_sight_clear(
    r_a_m: ArrayLike, r_b_m: ArrayLike, grazing_altitude_m: float = GRAZING_ALTITUDE_M
) -> np.ndarray:
    """True where the segment between two positions stays above ``R_E + grazing_altitude_m``."""
    return segment_min_radius_m(r_a_m, r_b_m) > R_EARTH_M + grazing_altitude_m


def max_line_of_sight_range_m(
    radius_a_m: ArrayLike, radius_b_m: ArrayLike, grazing_altitude_m: float = GRAZING_ALTITUDE_M
) -> np.ndarray:
    """Longest link between orbit radii ``r_a`` and ``r_b`` that clears the grazing altitude, m.

    The two tangent legs ``sqrt(r_a^2 - r_g^2) + sqrt(r_b^2 - r_g^2)``, ``r_g = R_E + h``:
    5,545 km between two satellites at 650 km for h = 80 km.
    """
    rg2 = (R_EARTH_M + grazing_altitude_m) ** 2
    return np.sqrt(np.asarray(radius_a_m, dtype=float) ** 2 - rg2) + np.sqrt(
        np.asarray(radius_b_m, dtype=float) ** 2 - rg2
    )


def pair_distances_m(r_eci_m: np.ndarray) -> np.ndarray:
    """Distances between every pair of satellites at every time, m, shape (n, n, time).

    O(n^2) in memory: for clusters, not for shells of thousands (use :func:`link_distance_m`).
    """
    r = np.asarray(r_eci_m, dtype=float)
    return np.linalg.norm(r[:, None, :, :] - r[None, :, :, :], axis=-1)


def nearest_neighbour_distance_m(r_eci_m: np.ndarray) -> np.ndarray:
    """Distance from each satellite to its nearest other satellite, m, shape (satellite, time)."""
    d = pair_distances_m(r_eci_m)
    n = d.shape[0]
    d[np.arange(n), np.arange(n), :] = np.inf
    return d.min(axis=1)


def link_distance_m(r_eci_m: np.ndarray, links: np.ndarray) -> np.ndarray:
    """Length of each link at each time, m, shape (link, time); ``links`` is (link, 2)."""
    r = np.asarray(r_eci_m, dtype=float)
    return np.linalg.norm(r[links[:, 0]] - r[links[:, 1]], axis=-1)


@numba.njit(cache=True)
def _greedy_links(order: np.ndarray, pair_i, pair_j, n: int, terminals: int) -> np.ndarray:
    """Walk the feasible pairs of each time from nearest up, keeping a link while both ends have
    a free terminal. ``order`` (time, pair) lists feasible pair indices, -1 past the last."""
    n_t, n_pairs = order.shape
    up = np.zeros((n_pairs, n_t), dtype=np.bool_)
    for k in range(n_t):
        used = np.zeros(n, dtype=np.int64)
        for m in range(n_pairs):
            q = order[k, m]
            if q < 0:
                break
            a, b = pair_i[q], pair_j[q]
            if used[a] < terminals and used[b] < terminals:
                up[q, k] = True
                used[a] += 1
                used[b] += 1
    return up


def nearest_neighbour_links(
    r_eci_m: np.ndarray,
    terminals: int,
    max_range_m: float = np.inf,
    grazing_altitude_m: float = GRAZING_ALTITUDE_M,
) -> tuple[np.ndarray, np.ndarray]:
    """Nearest-neighbour links of a cluster at each time, at most ``terminals`` per satellite.

    The feasible pairs (line of sight clear, within ``max_range_m``) are taken from the shortest
    up, each kept while both of its satellites have a free terminal (greedy matching by distance,
    ties by pair index): every satellite links to its nearest neighbours that still have a
    terminal free, symmetrically. A compiled loop over (time, pair), O(n^2) pairs per time.

    Returns
    -------
    links : ndarray of int, shape (pair, 2)
        Every pair ``i < j``.
    up : ndarray of bool, shape (pair, time)
        Whether the link is up.
    """
    r = np.asarray(r_eci_m, dtype=float)
    n = r.shape[0]
    i, j = np.triu_indices(n, 1)
    d = np.linalg.norm(r[i] - r[j], axis=-1)
    feasible = (d <= max_range_m) & line_of_sight_clear(r[i], r[j], grazing_altitude_m)
    key = np.where(feasible, d, np.inf).T
    order = np.argsort(key, axis=1, kind="stable")
    order = np.where(np.take_along_axis(np.isfinite(key), order, axis=1), order, -1)
    return np.stack([i, j], axis=-1), _greedy_links(order, i, j, n, terminals)


def plus_grid_links(n_planes: int, per_plane: int, wrap_planes: bool = True) -> np.ndarray:
    """The +grid of a Walker shell: four links per satellite, shape (link, 2).

    Satellite ``p x per_plane + s`` is slot ``s`` of plane ``p`` (the order of
    :func:`orbitaldc.physics.constellation.walker_delta`). Links: ``(p, s)-(p, s+1)`` around each
    plane and ``(p, s)-(p+1, s)`` across planes; ``wrap_planes`` closes the last plane onto the
    first (a Walker delta's 360 deg of nodes; False for a Walker star's seam, whose edge planes
    then have three links a satellite).
    """
    if per_plane < 3 or n_planes < 2 or (wrap_planes and n_planes < 3):
        raise ValueError(
            "a +grid needs >= 3 satellites a plane and >= 3 planes (2 without wrap_planes); "
            f"got {n_planes} planes of {per_plane}"
        )
    p, s = np.divmod(np.arange(n_planes * per_plane), per_plane)
    in_plane = np.stack([p * per_plane + s, p * per_plane + (s + 1) % per_plane], axis=-1)
    last = n_planes if wrap_planes else n_planes - 1
    keep = p < last
    cross = np.stack([p * per_plane + s, ((p + 1) % n_planes) * per_plane + s], axis=-1)[keep]
    return np.concatenate([in_plane, cross])


def link_capacity_bps(terminal: Terminal, distance_m: ArrayLike) -> np.ndarray:
    """Capacity of a link between two identical ``terminal`` s at ``distance_m``, bit/s.

    Optical: the DWDM channels that close at the Gaussian-beam received power; RF: Shannon over
    Friis (:mod:`orbitaldc.physics.links`). Zero beyond the terminal's ``max_range_m``.
    """
    z = np.asarray(distance_m, dtype=float)
    t = terminal
    with np.errstate(divide="ignore", invalid="ignore"):
        if t.kind == "optical":
            p_rx = budget.optical_received_power_w(
                z,
                t.tx_power_w,
                t.aperture_diameter_m,
                t.aperture_diameter_m,
                t.wavelength_m,
                t.truncation_ratio,
                t.tx_efficiency,
                t.rx_efficiency,
                t.pointing_jitter_rad,
                t.other_losses_db,
            )
            capacity = budget.dwdm_capacity_bps(
                p_rx, t.channel_sensitivity_w, t.max_channels, t.channel_rate_bps
            )
        else:
            wavelength = C_M_S / t.frequency_hz
            g_tx = budget.antenna_gain(t.aperture_diameter_m, wavelength, t.tx_efficiency)
            g_rx = budget.antenna_gain(t.aperture_diameter_m, wavelength, t.rx_efficiency)
            capacity = budget.rf_crosslink_capacity_bps(
                z,
                t.tx_power_w,
                t.frequency_hz,
                g_tx,
                g_rx,
                t.bandwidth_hz,
                t.noise_temperature_k,
                t.other_losses_db,
            )
    if t.max_range_m is not None:
        capacity = np.where(z <= t.max_range_m, capacity, 0.0)
    return np.asarray(capacity, dtype=float)


@dataclass(frozen=True)
class LinkSeries:
    """Links over time: ``links`` (link, 2) and ``(link, time)`` arrays.

    ``up`` is the topology's choice and line of sight both holding; ``capacity_bps`` is zero
    where the link is down.
    """

    links: np.ndarray
    distance_m: np.ndarray
    up: np.ndarray
    capacity_bps: np.ndarray


def link_series(
    r_eci_m: np.ndarray,
    links: np.ndarray,
    terminal: Terminal,
    up: np.ndarray | None = None,
    grazing_altitude_m: float = GRAZING_ALTITUDE_M,
) -> LinkSeries:
    """Length, state and capacity of every link at every time (O(link x time)).

    ``up`` (link, time), e.g. from :func:`nearest_neighbour_links`, defaults to every link
    wanted (the +grid); it is combined with the line of sight.
    """
    r = np.asarray(r_eci_m, dtype=float)
    distance = link_distance_m(r, links)
    clear = line_of_sight_clear(r[links[:, 0]], r[links[:, 1]], grazing_altitude_m)
    state = clear if up is None else clear & up
    capacity = np.where(state, link_capacity_bps(terminal, distance), 0.0)
    return LinkSeries(links, distance, state, capacity)


def bisection_sides(r_eci_m: np.ndarray) -> np.ndarray:
    """Which half of the cluster each satellite is in at each time, bool (satellite, time).

    The cut is a plane normal to the cluster's longest axis (the principal axis of the largest
    variance of the positions about their centroid); it is placed at the median projection so
    that the halves hold ``n // 2`` and ``n - n // 2`` satellites (ties by satellite index).
    For a centrally symmetric cluster such as the HCW lattices, the plane passes through the
    centroid. True marks the far half.
    """
    r = np.asarray(r_eci_m, dtype=float)
    rel = r - r.mean(axis=0)
    covariance = np.einsum("nti,ntj->tij", rel, rel)
    _, vectors = np.linalg.eigh(covariance)
    projection = np.einsum("nti,ti->nt", rel, vectors[:, :, -1])
    rank = np.argsort(np.argsort(projection, axis=0, kind="stable"), axis=0, kind="stable")
    return rank >= r.shape[0] // 2


def bisection_bandwidth_bps(r_eci_m: np.ndarray, series: LinkSeries) -> np.ndarray:
    """Capacity of the links crossing the cluster's bisecting plane at each time, bit/s (time,).

    The sum over links with one end in each half (:func:`bisection_sides`) of their capacity in
    one direction: the rate at which one half can send to the other. A geometric cut, not the
    minimum over all balanced cuts, so an upper bound on the graph's bisection width.
    """
    side = bisection_sides(r_eci_m)
    crossing = side[series.links[:, 0]] != side[series.links[:, 1]]
    return np.sum(np.where(crossing, series.capacity_bps, 0.0), axis=0)
