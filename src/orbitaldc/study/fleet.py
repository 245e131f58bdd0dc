"""One very large fleet's twin, split by satellite blocks across workers, aggregates exact.

The twin's satellites do not interact: each one's state evolves from its own elements, the Sun
and its own fault events (``twin.kernel``). So the fleet is cut into contiguous satellite blocks
and each block steps through every chunk (day) on its own worker, keeping its per-satellite
state there; only each day's fleet figures travel. The fault events are drawn for the whole
fleet, exactly as one process draws them (``twin.faults.draw_chunk_faults`` from ``(seed,
chunk)``), and each block takes its satellites' rows, so the split run sees the same faults.

The reduction is explicit and exact:

- minima and maxima (state of charge, junction and node temperatures) are reduced block by block:
  ``min(min(a), min(b)) == min(a + b)`` in floating point;
- fault counts are integers, summed block by block;
- sums of floats (energy served against nominal, and every ``twin{}`` total) are not: numpy's
  pairwise summation rounds differently with another blocking. Those per-satellite columns
  travel, are joined in satellite order, and are summed by the same expressions as one process
  (the final per-satellite state goes through ``twin.simulate.aggregates``), so the split run's
  figures are bit-for-bit those of ``orbitaldc.simulate(...).run()``.
"""

from __future__ import annotations

import operator
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
import pandas as pd

from orbitaldc.twin import kernel as kn
from orbitaldc.twin import simulate as twin
from orbitaldc.twin.design import NODES


@dataclass(frozen=True)
class BlockDay:
    """One block's figures of one chunk: minima and maxima already reduced over the block, the
    per-satellite energy served and nominal (Wh) for the exact fleet sums, and fault counts."""

    min_soc: float
    max_junction_k: float
    max_node_k: np.ndarray
    min_node_k: np.ndarray
    served_wh: np.ndarray
    nominal_wh: np.ndarray
    fault_counts: np.ndarray


def blocks_of(n_sat: int, blocks: int) -> list[tuple[int, int]]:
    """``blocks`` contiguous ``(first, end)`` satellite ranges of near-equal size."""
    edges = np.linspace(0, n_sat, min(blocks, n_sat) + 1).round().astype(int)
    return [(int(a), int(b)) for a, b in zip(edges[:-1], edges[1:], strict=True)]


def start_block(plan: twin.TwinPlan, first: int, end: int) -> dict[str, np.ndarray]:
    """The block's state before the first chunk (as ``twin.simulate.initial_resume_state``)."""
    chips = plan.design.accelerators
    return {
        "state": kn.initial_state(plan.design, end - first, plan.initial_radiator_k),
        "chip_start": np.zeros((end - first, chips)),
        "chip_until": np.zeros((end - first, chips)),
    }


def step_block(
    plan: twin.TwinPlan, first: int, end: int, carry: dict[str, np.ndarray], chunk: int
) -> tuple[dict[str, np.ndarray], BlockDay]:
    """Advance satellites ``first..end-1`` through chunk ``chunk``: their new state and the
    chunk's :class:`BlockDay` (``twin.simulate.step_satellites``, the stepper of every twin
    run)."""
    carry, _, daily, counts = twin.step_satellites(plan, chunk, carry, first, end)
    n = len(NODES)
    day = BlockDay(
        min_soc=float(daily[:, kn.D_SOC].min()),
        max_junction_k=float(daily[:, kn.D_TJ].max()),
        max_node_k=daily[:, kn.D_TMAX : kn.D_TMAX + n].max(axis=0),
        min_node_k=daily[:, kn.D_TMIN : kn.D_TMIN + n].min(axis=0),
        served_wh=daily[:, kn.D_SERVED].copy(),
        nominal_wh=daily[:, kn.D_NOM].copy(),
        fault_counts=counts,
    )
    return carry, day


def reduce_days(t0_s: float, days: list[BlockDay]) -> list[float]:
    """One row of the fleet's daily table (``twin.simulate.DAILY_COLUMNS``) from its blocks'
    :class:`BlockDay`, in satellite order: minima and maxima block by block, the served
    fraction from the joined per-satellite columns."""
    served = np.concatenate([d.served_wh for d in days])
    nominal = np.concatenate([d.nominal_wh for d in days])
    return [
        t0_s,
        min(d.min_soc for d in days),
        float(served.sum() / nominal.sum()),
        max(d.max_junction_k for d in days),
        *np.max([d.max_node_k for d in days], axis=0).tolist(),
        *np.min([d.min_node_k for d in days], axis=0).tolist(),
    ]


@dataclass(frozen=True)
class SplitRun:
    """A finished split run: ``twin{}`` figures, per-satellite table, daily fleet table."""

    result: twin.TwinResult
    daily: pd.DataFrame


def simulate_blocks(sim: Any, blocks: int, executor: Any = None) -> SplitRun:
    """Run the twin of ``sim`` (an ``orbitaldc.api.Simulation``) split into ``blocks`` satellite
    blocks: on a Dask executor (``orbitaldc.study.Dask``) each block's chain of chunks runs on a
    worker; otherwise block after block here. The figures equal ``sim.run()``'s exactly."""
    plan = replace(sim.plan, selected=np.empty(0, dtype=np.int64))
    ranges = blocks_of(plan.elements.n_satellites, blocks)
    client = getattr(executor, "client", None)
    days: list[list[Any]] = [[] for _ in range(plan.n_chunks)]
    if client is None:
        carries = [start_block(plan, a, b) for a, b in ranges]
        for chunk in range(plan.n_chunks):
            for k, (a, b) in enumerate(ranges):
                carries[k], day = step_block(plan, a, b, carries[k], chunk)
                days[chunk].append(day)
        states = [c["state"] for c in carries]
    else:
        remote = client.scatter(plan, broadcast=True, hash=False)
        finals = []
        for a, b in ranges:
            carry = client.submit(start_block, remote, a, b, pure=False)
            for chunk in range(plan.n_chunks):
                out = client.submit(step_block, remote, a, b, carry, chunk, pure=False)
                carry = client.submit(operator.itemgetter(0), out, pure=False)
                days[chunk].append(client.submit(operator.itemgetter(1), out, pure=False))
            finals.append(client.submit(operator.itemgetter("state"), carry, pure=False))
        days = [client.gather(d) for d in days]
        states = client.gather(finals)
    rows = [
        reduce_days(plan.start_s + chunk * plan.steps_per_chunk * plan.step_s, d)
        for chunk, d in enumerate(days)
    ]
    counts = sum(
        (np.sum([d.fault_counts for d in day], axis=0) for day in days),
        start=np.zeros(len(plan.fault_kinds), dtype=np.int64),
    )
    state = np.concatenate(states)
    result = twin.finish(plan, {"state": state, "fault_counts": counts})
    return SplitRun(result, pd.DataFrame(rows, columns=list(twin.DAILY_COLUMNS)))
