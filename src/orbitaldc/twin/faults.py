"""Random fault events on the accelerators: Poisson arrivals per chip, by kind, with downtime.

Each kind (for example ``"sdc"``, ``"memory_uce"``, ``"crash"``) has a rate per chip per second
(supplied by the caller, e.g. from the radiation engine's single-event rates) and a downtime in
seconds: an event of a kind with positive downtime takes that chip, and its share of the
satellite's compute and power, offline until the downtime has passed; kinds with zero downtime are
only counted. Arrivals are a homogeneous Poisson process per chip, so over a chunk of length
``T`` a satellite of ``n`` chips sees ``Poisson(rate x n x T)`` events of a kind, at independent
uniform times on uniformly chosen chips (the standard order-statistics construction of a Poisson
process; Ross, *Stochastic Processes*, 2nd ed., thm. 2.3.1).

Draws come from ``numpy.random.Generator(PCG64(SeedSequence([seed, chunk_index])))``: each chunk
is reproducible on its own, so a resumed run draws exactly what an uninterrupted one did.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class FaultModel:
    """Validated fault kinds: names, rates per chip per second and downtimes, s."""

    kinds: tuple[str, ...]
    rate_per_chip_s: np.ndarray
    downtime_s: np.ndarray


@dataclass(frozen=True)
class ChunkFaults:
    """One chunk's fault events.

    ``counts`` has shape ``(satellite, kind)``. The events that take a chip offline (downtime > 0)
    are listed per satellite in time order, CSR-style: satellite ``j`` owns entries
    ``offsets[j]:offsets[j+1]`` of ``time_s``, ``chip`` and ``downtime_s``.
    """

    counts: np.ndarray
    offsets: np.ndarray
    time_s: np.ndarray
    chip: np.ndarray
    downtime_s: np.ndarray


def fault_model(
    rates_per_chip_s: Mapping[str, float] | None, downtime_s: Mapping[str, float] | None
) -> FaultModel | None:
    """Check and freeze the caller's rates and downtimes (``None`` rates: no faults).

    Every kind in ``downtime_s`` must have a rate; kinds without a downtime are only counted.
    """
    if not rates_per_chip_s:
        if downtime_s:
            raise ValueError("fault_downtime_s was given without fault_rates_per_chip_s")
        return None
    downtime_s = dict(downtime_s or {})
    unknown = sorted(set(downtime_s) - set(rates_per_chip_s))
    if unknown:
        raise ValueError(
            f"fault_downtime_s: kinds {unknown} have no rate in fault_rates_per_chip_s"
        )
    kinds = tuple(sorted(rates_per_chip_s))
    rates = np.array([float(rates_per_chip_s[k]) for k in kinds])
    down = np.array([float(downtime_s.get(k, 0.0)) for k in kinds])
    for k, r, d in zip(kinds, rates, down, strict=True):
        if not (np.isfinite(r) and r >= 0):
            raise ValueError(f"fault_rates_per_chip_s[{k!r}] must be a finite rate >= 0, got {r}")
        if not (np.isfinite(d) and d >= 0):
            raise ValueError(f"fault_downtime_s[{k!r}] must be a finite time >= 0 s, got {d}")
    return FaultModel(kinds, rates, down)


def draw_chunk_faults(
    model: FaultModel | None,
    n_satellites: int,
    chips_per_satellite: int,
    start_s: float,
    duration_s: float,
    seed: int,
    chunk_index: int,
) -> ChunkFaults:
    """Fault events of every satellite in ``[start_s, start_s + duration_s)``, deterministic in
    ``(seed, chunk_index)``."""
    if model is None:
        empty = np.empty(0)
        return ChunkFaults(
            np.zeros((n_satellites, 0), dtype=np.int64),
            np.zeros(n_satellites + 1, dtype=np.int64),
            empty,
            np.empty(0, dtype=np.int64),
            empty,
        )
    rng = np.random.Generator(np.random.PCG64(np.random.SeedSequence([seed, chunk_index])))
    n_kinds = len(model.kinds)
    lam = model.rate_per_chip_s * chips_per_satellite * duration_s
    counts = rng.poisson(np.broadcast_to(lam, (n_satellites, n_kinds)))
    offline = model.downtime_s > 0
    per_sat = counts[:, offline].sum(axis=1)
    total = int(per_sat.sum())
    sat = np.repeat(np.arange(n_satellites), per_sat)
    kind = _kinds_of_events(counts[:, offline], np.flatnonzero(offline))
    time_s = start_s + rng.uniform(0.0, duration_s, total)
    chip = rng.integers(0, chips_per_satellite, total)
    order = np.lexsort((time_s, sat))
    offsets = np.zeros(n_satellites + 1, dtype=np.int64)
    np.cumsum(per_sat, out=offsets[1:])
    return ChunkFaults(
        counts.astype(np.int64),
        offsets,
        time_s[order],
        chip[order].astype(np.int64),
        model.downtime_s[kind][order],
    )


def satellites(f: ChunkFaults, first: int, end: int) -> ChunkFaults:
    """The events of satellites ``first..end-1`` only (a slice of the CSR layout)."""
    a, b = int(f.offsets[first]), int(f.offsets[end])
    return ChunkFaults(
        f.counts[first:end],
        f.offsets[first : end + 1] - a,
        f.time_s[a:b],
        f.chip[a:b],
        f.downtime_s[a:b],
    )


def _kinds_of_events(counts: np.ndarray, kind_index: np.ndarray) -> np.ndarray:
    """Kind index of every event, satellite-major then kind (matches ``np.repeat`` of satellites)."""
    return np.repeat(np.tile(kind_index, counts.shape[0]), counts.ravel())
