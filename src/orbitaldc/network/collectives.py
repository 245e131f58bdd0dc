"""Collective-communication times over the links: the alpha-beta (latency-bandwidth) model.

Sending ``m`` bytes over one link costs ``alpha + 8 m / B`` (Hockney, Parallel Computing 20
(1994) 389; ``B`` in bit/s). A collective's time is its number of sequential steps times
``alpha`` plus the bytes each rank sends in sequence over ``B`` (Thakur, Rabenseifner & Gropp,
Int. J. High Perform. Comput. Appl. 19 (2005) 49, sec. 4). The reduction arithmetic (their
``gamma`` term) is not counted: for accelerators summing at > 1 TB/s it is small against the
links. Every function broadcasts, so a ``(time,)`` series of link bandwidths (e.g. the slowest
link of a ring at each step of an orbit) gives a ``(time,)`` series of collective times; a
bandwidth of 0 (a link down) gives an infinite time.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

BITS_PER_BYTE = 8.0


def ring_bandwidth_bps(link_capacity_bps: ArrayLike, axis: int = 0) -> np.ndarray:
    """Bandwidth of a ring: its slowest link along ``axis`` (every step waits for it), bit/s.

    E.g. capacities of shape ``(link, time)`` give the ring's ``(time,)`` bandwidth.
    """
    return np.min(np.asarray(link_capacity_bps, dtype=float), axis=axis)


def _transfer_s(message_bytes: ArrayLike, bandwidth_bps: ArrayLike) -> np.ndarray:
    with np.errstate(divide="ignore"):
        return (
            BITS_PER_BYTE
            * np.asarray(message_bytes, dtype=float)
            / np.asarray(bandwidth_bps, dtype=float)
        )


def ring_reduce_scatter_s(
    message_bytes: ArrayLike, n_ranks: ArrayLike, bandwidth_bps: ArrayLike, latency_s: ArrayLike
) -> np.ndarray:
    """Ring reduce-scatter (or all-gather) of ``n`` bytes per rank: ``(p-1) alpha + (p-1)/p n/B``.

    ``p - 1`` steps, each passing one ``n / p`` block to the next rank (Thakur et al. 2005, the
    ring all-gather). Seconds; 0 for ``p = 1``.
    """
    p = np.asarray(n_ranks, dtype=float)
    with np.errstate(invalid="ignore"):
        steps = (p - 1.0) * np.asarray(latency_s, dtype=float) + (p - 1.0) / p * _transfer_s(
            message_bytes, bandwidth_bps
        )
    # One rank has nothing to exchange, even over a link that is down.
    return np.where(p > 1, steps, 0.0)


def ring_allreduce_s(
    message_bytes: ArrayLike, n_ranks: ArrayLike, bandwidth_bps: ArrayLike, latency_s: ArrayLike
) -> np.ndarray:
    """Ring all-reduce of ``n`` bytes on ``p`` ranks: ``2 (p-1) alpha + 2 (p-1)/p n / B``, s.

    A reduce-scatter followed by an all-gather around one ring (Patarasuk & Yuan, J. Parallel
    Distrib. Comput. 69 (2009) 117; Thakur et al. 2005): bandwidth-optimal, tending to
    ``2 n / B`` for many ranks. ``bandwidth_bps`` is the ring's slowest link
    (:func:`ring_bandwidth_bps`); 0 for ``p = 1``.
    """
    return 2.0 * ring_reduce_scatter_s(message_bytes, n_ranks, bandwidth_bps, latency_s)


def torus2d_allreduce_s(
    message_bytes: ArrayLike,
    n_x: ArrayLike,
    n_y: ArrayLike,
    bandwidth_x_bps: ArrayLike,
    bandwidth_y_bps: ArrayLike,
    latency_s: ArrayLike,
) -> np.ndarray:
    """All-reduce on an ``n_x x n_y`` 2-D torus by rings along each dimension, s.

    Reduce-scatter along the x rings, all-reduce of the ``n / n_x`` shard along the y rings, then
    all-gather along x (the 2-D torus all-reduce of Mikami et al., arXiv 1811.05233, 2018; Ying et
    al., arXiv 1811.06992, 2018 on TPU pods):
    ``2 (n_x-1) alpha + 2 (n_x-1)/n_x n/B_x + 2 (n_y-1) alpha + 2 (n_y-1)/n_y (n/n_x)/B_y``.
    The x and y rings run in parallel, each at its own slowest link (``bandwidth_x_bps``,
    ``bandwidth_y_bps``). ``n_y = 1`` is the ring all-reduce on ``n_x`` ranks.
    """
    nx = np.asarray(n_x, dtype=float)
    x_phase = ring_allreduce_s(message_bytes, nx, bandwidth_x_bps, latency_s)
    shard = np.asarray(message_bytes, dtype=float) / nx
    return x_phase + ring_allreduce_s(shard, n_y, bandwidth_y_bps, latency_s)
