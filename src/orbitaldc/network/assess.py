"""The network figures of a design (``network{}`` of summary.json, docs/network.md).

:func:`isl` samples one orbit of the fleet and returns its inter-satellite links over time (the
topology of :mod:`orbitaldc.network.topology` with the spec's terminal), the cluster's bisection
bandwidth and the all-reduce time of a message; :func:`station_keeping` the delta-v and
propellant a year of keeping the orbit and the formation costs (:mod:`orbitaldc.physics.
stationkeeping`). The ground segment (contacts, downlink, latency) is :mod:`orbitaldc.network.
ground`. Inputs are the spec, the fleet's mean elements and the closure's figures; nothing here
reads a file.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from orbitaldc import catalog
from orbitaldc.network import collectives, topology
from orbitaldc.physics import orbit, stationkeeping
from orbitaldc.physics.constants import C_M_S
from orbitaldc.physics.orbit import MeanElements

#: Time step of the orbit sampled for the links, s (~200 samples a LEO orbit).
STEP_S = 30.0
#: A cluster's links are computed for at most this many members (its innermost ones, the
#: lattices' order): the pairs are O(n^2) per step; the links of the inner members are those of
#: the lattice everywhere, so per-link figures are representative, and the bisection and ring
#: figures are the inner cluster's.
MAX_CLUSTER_LINK_SATELLITES = 150
#: Message of the headline all-reduce time, bytes (1 GB).
ALLREDUCE_BYTES = 1e9


@dataclass(frozen=True)
class Isl:
    """One orbit of inter-satellite links: ``t_s`` (time,), the link series, the bisection
    bandwidth (time,) (None for a shell), the all-reduce time of :data:`ALLREDUCE_BYTES` (time,),
    the topology's name and how many satellites the links cover."""

    t_s: np.ndarray
    series: topology.LinkSeries
    bisection_bps: np.ndarray | None
    allreduce_s: np.ndarray
    kind: str
    satellites: int

    @property
    def slowest_link_bps(self) -> float:
        """Capacity of the slowest link that is up at any time of the sample, bit/s (0 if none)."""
        up = self.series.capacity_bps[self.series.up]
        return float(up.min()) if up.size else 0.0

    @property
    def longest_hop_s(self) -> float:
        """Light time over the longest link that is up at any time of the sample, s."""
        up = self.series.distance_m[self.series.up]
        return float(up.max()) / C_M_S if up.size else 0.0


def isl(spec: Any, elements: MeanElements, t_s: np.ndarray | None = None) -> Isl | None:
    """Inter-satellite links over one orbit of the fleet from its epoch at :data:`STEP_S` (or at
    the times ``t_s``, e.g. a twin chunk's steps), or None for a fleet without a topology (a
    single satellite, a TLE fleet)."""
    net, con = spec.network, spec.constellation
    if net is None or net.terminal is None or con is None or con.layout == "single":
        return None
    if spec.orbit.type == "tle":
        return None
    terminal = catalog.get("terminals", net.terminal)
    if t_s is None:
        period = float(np.median(orbit.period_s(elements.semi_major_axis_m)))
        t = elements.epoch_s[0] + np.arange(0.0, period, STEP_S)
    else:
        t = np.atleast_1d(np.asarray(t_s, dtype=float))
    max_range = terminal.max_range_m if terminal.max_range_m is not None else np.inf
    per_plane = con.satellites // (con.planes or 1)
    # A cluster, or a shell too small for a +grid (fewer than 3 planes or 3 satellites a plane),
    # links its nearest neighbours.
    if con.layout == "cluster" or min(con.planes or 1, per_plane) < 3:
        n = min(elements.n_satellites, MAX_CLUSTER_LINK_SATELLITES)
        inner = elements.take(slice(0, n))
        r, _ = orbit.propagate(inner, t)
        links, up = topology.nearest_neighbour_links(r, net.terminals_per_satellite, max_range)
        series = topology.link_series(r, links, terminal, up)
        bisection = topology.bisection_bandwidth_bps(r, series)
        used = np.where(series.up, series.capacity_bps, np.inf)
        ring_bps = np.where(np.isfinite(used.min(axis=0)), used.min(axis=0), 0.0)
        hop_s = np.where(series.up, series.distance_m, 0.0).max(axis=0) / C_M_S
        allreduce = collectives.ring_allreduce_s(ALLREDUCE_BYTES, n, ring_bps, hop_s)
        return Isl(t, series, bisection, allreduce, "nearest-neighbour", n)
    links = topology.plus_grid_links(con.planes, per_plane)
    r, _ = orbit.propagate(elements, t)
    series = topology.link_series(r, links, terminal)
    in_plane = np.arange(links.shape[0]) < con.satellites
    slowest_x = np.where(series.up[in_plane], series.capacity_bps[in_plane], 0.0).min(axis=0)
    slowest_y = np.where(series.up[~in_plane], series.capacity_bps[~in_plane], 0.0).min(axis=0)
    hop_s = series.distance_m.max(axis=0) / C_M_S
    allreduce = collectives.torus2d_allreduce_s(
        ALLREDUCE_BYTES, per_plane, con.planes, slowest_x, slowest_y, hop_s
    )
    return Isl(t, series, None, allreduce, "plus-grid", con.satellites)


def station_keeping(spec: Any, figures: Mapping[str, float]) -> dict[str, float]:
    """Delta-v per year (m/s) to hold the altitude against drag and, for a cluster, the members
    against differential drag, and the propellant a satellite burns for it in a year (kg)."""
    net = spec.network
    cluster = spec.constellation.layout == "cluster"
    makeup, differential = (
        float(v)
        for v in stationkeeping.hold_delta_v_m_s_per_year(
            figures["altitude_m"],
            net.drag_area_per_mass_m2_kg,
            net.ballistic_spread if cluster else 0.0,
            net.solar_activity,
        )
    )
    total = makeup + differential
    return {
        "altitude_makeup": makeup,
        "differential_drag": differential,
        "total": total,
        "propellant_kg_per_year": float(
            stationkeeping.propellant_mass_kg(total, figures["mass_kg"], net.isp_s)
        ),
    }


def _finite(value: float) -> float | None:
    return value if np.isfinite(value) else None


def _stat(values: np.ndarray, fn: Any, scale: float) -> float | None:
    return float(fn(values)) / scale if values.size else None


def isl_block(result: Isl | None) -> dict[str, Any] | None:
    """The link figures of ``network{}``: capacity per link (min and median over up link-times),
    link length range, the mean number of links up per satellite, the minimum bisection
    bandwidth and the slowest all-reduce of 1 GB over the orbit."""
    if result is None:
        return None
    s = result.series
    up = s.capacity_bps[s.up]
    return {
        "topology": result.kind,
        "satellites_linked": result.satellites,
        "links_per_satellite_mean": float(2.0 * s.up.sum(axis=0).mean() / result.satellites),
        "capacity_gbps": {
            "min": _stat(up, np.min, 1e9),
            "median": _stat(up, np.median, 1e9),
        },
        "distance_km": {
            "min": _stat(s.distance_m[s.up], np.min, 1e3),
            "max": _stat(s.distance_m[s.up], np.max, 1e3),
        },
        "bisection_bandwidth_tbps_min": None
        if result.bisection_bps is None
        else float(result.bisection_bps.min() / 1e12),
        # None when the ring is broken at some time (a link down: no all-reduce then).
        "allreduce_1gb_s_max": _finite(float(result.allreduce_s.max())),
    }
