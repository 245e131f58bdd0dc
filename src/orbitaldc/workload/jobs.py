"""One training job through the time loop: its step time from the members' delivered compute and
the links (:func:`step_job`), and its checkpoint/restart state machine (:func:`advance_job`).

Speed is the slowest member's delivered fraction; the step adds the data-parallel ring all-reduce
over the members' slowest up link and the pipeline activations over each stage pair; an
interruption rolls back to the last checkpoint and restarts; permanent failures re-shard onto
spares or fewer replicas, or are waited for (docs/workloads.md, "Execution")."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from orbitaldc.network import collectives, topology
from orbitaldc.physics.constants import C_M_S
from orbitaldc.workload import parallelism
from orbitaldc.workload.plan import JobPlan, WorkloadPlan
from orbitaldc.workload.scheduler import FleetView, Policy

#: Job phases.
RUN, CHECKPOINT, RESTART, DONE, FAILED = range(5)


PHASES = ("run", "checkpoint", "restart", "done", "failed")


#: Event kinds of the fault/restart timeline.
EVENTS = ("interruption", "checkpoint", "restart", "reshard", "shrink", "done", "failed")


EV_INTERRUPT, EV_CHECKPOINT, EV_RESTART, EV_RESHARD, EV_SHRINK, EV_DONE, EV_FAILED = range(7)


#: Per-job scalars of the resume state.
JOB_STATE = (
    "tokens",
    "committed",
    "phase",
    "remaining_s",
    "since_checkpoint_s",
    "finished_s",
    "interruptions",
    "checkpoints",
    "reshards",
    "lost_tokens",
    "stalled_s",
    "busy_s",
)


J = {k: i for i, k in enumerate(JOB_STATE)}


def member_ring(members: np.ndarray, links: Any, n_sat: int) -> tuple[float, float, bool]:
    """Slowest up link among the members (bit/s), its longest hop (s), every member linked."""
    if links is None:
        return math.inf, 0.0, True
    pairs, up, cap, dist, covered = links
    inside = np.zeros(n_sat, dtype=bool)
    inside[members] = True
    mine = up & inside[pairs[:, 0]] & inside[pairs[:, 1]]
    linked = np.zeros(n_sat, dtype=bool)
    linked[pairs[mine, 0]] = True
    linked[pairs[mine, 1]] = True
    linked[covered:] = True
    if members.size <= 1:
        return math.inf, 0.0, True
    if not mine.any():
        return 0.0, 0.0, False
    return float(cap[mine].min()), float(dist[mine].max()) / C_M_S, bool(linked[members].all())


def pipeline_bps(p: WorkloadPlan, table: np.ndarray, positions: np.ndarray | None, k: int) -> float:
    """Slowest stage-to-stage link of the pipeline chains at decision ``k``, bit/s."""
    if table.shape[1] < 2 or positions is None or p.terminal is None:
        return math.inf
    a = positions[table[:, :-1].ravel(), k]
    b = positions[table[:, 1:].ravel(), k]
    d = np.linalg.norm(a - b, axis=-1)
    clear = topology.line_of_sight_clear(a, b)
    cap = np.where(clear, topology.link_capacity_bps(p.terminal, d), 0.0)
    return float(cap.min())


def advance_job(
    job: np.ndarray,
    step_s: np.ndarray,
    dt_s: float,
    t0_s: float,
    interrupt_step: np.ndarray,
    jp: JobPlan,
    total_tokens: float,
    events: list[list[float]],
) -> None:
    """Advance one job's scalars (``job``, :data:`JOB_STATE`) over steps of ``dt_s``.

    ``step_s`` is the training step time at each step (inf: stalled), ``interrupt_step`` the
    indices of the steps at whose start a member was interrupted. Progress is continuous (a
    fraction of a step's tokens per fraction of its time); checkpoints every ``jp.interval_s``
    of running time take ``jp.checkpoint_s``; an interruption rolls the tokens back to the last
    checkpoint and starts a ``jp.restart_s`` restart.
    """
    hits = np.zeros(step_s.size, dtype=np.int64)
    np.add.at(hits, interrupt_step, 1)
    for i in range(step_s.size):
        now = t0_s + i * dt_s
        if job[J["phase"]] in (DONE, FAILED):
            return
        if hits[i]:
            job[J["interruptions"]] += hits[i]
            job[J["lost_tokens"]] += job[J["tokens"]] - job[J["committed"]]
            job[J["tokens"]] = job[J["committed"]]
            job[J["phase"]] = RESTART
            job[J["remaining_s"]] = jp.restart_s
            job[J["since_checkpoint_s"]] = 0.0
            events.append([now, jp.index, EV_INTERRUPT])
        left = dt_s
        while left > 0.0:
            phase = job[J["phase"]]
            if phase in (RESTART, CHECKPOINT):
                use = min(left, job[J["remaining_s"]])
                job[J["remaining_s"]] -= use
                left -= use
                if job[J["remaining_s"]] <= 0.0:
                    if phase == CHECKPOINT:
                        job[J["committed"]] = job[J["tokens"]]
                        job[J["checkpoints"]] += 1
                        events.append([now + dt_s - left, jp.index, EV_CHECKPOINT])
                    else:
                        events.append([now + dt_s - left, jp.index, EV_RESTART])
                    job[J["phase"]] = RUN
                continue
            st = step_s[i]
            if not np.isfinite(st):
                job[J["stalled_s"]] += left
                left = 0.0
                break
            use = min(left, jp.interval_s - job[J["since_checkpoint_s"]])
            need_s = (total_tokens - job[J["tokens"]]) / jp.batch_tokens * st
            if need_s <= use:
                job[J["tokens"]] = total_tokens
                job[J["committed"]] = total_tokens
                job[J["busy_s"]] += need_s
                job[J["phase"]] = DONE
                job[J["finished_s"]] = now + dt_s - left + need_s
                events.append([job[J["finished_s"]], jp.index, EV_DONE])
                return
            job[J["tokens"]] += use / st * jp.batch_tokens
            job[J["busy_s"]] += use
            job[J["since_checkpoint_s"]] += use
            left -= use
            if job[J["since_checkpoint_s"]] >= jp.interval_s:
                job[J["phase"]] = CHECKPOINT
                job[J["remaining_s"]] = jp.checkpoint_s
                job[J["since_checkpoint_s"]] = 0.0


def step_job(
    p: WorkloadPlan,
    jp: JobPlan,
    ji: int,
    saved: dict[str, np.ndarray],
    served: np.ndarray,
    online: np.ndarray,
    stop_sat: np.ndarray,
    stop_time: np.ndarray,
    t: np.ndarray,
    a: int,
    b: int,
    links: Any,
    positions: np.ndarray | None,
    k: int,
    view: FleetView,
    pol: Policy,
    events: list[list[float]],
) -> list[float]:
    """One interval of one training job; returns its timeline columns."""
    job = saved["jobs"][ji]
    dt = p.twin.step_s
    n_sat = p.n_satellites
    members = saved["members"][ji][saved["members"][ji] >= 0]
    pp = jp.layout.pipeline_parallel
    if job[J["phase"]] in (DONE, FAILED) or members.size == 0:
        return [job[J["tokens"]], 0.0, math.inf, job[J["phase"]]]
    t0, t1 = t[a], t[a] + (b - a) * dt
    # a permanent failure on a member: re-shard (spare, else fewer replicas) or wait
    lost = members[saved["dead"][members].any(axis=1)]
    if lost.size and jp.on_failure == "reshard":
        spare = saved["spares"][ji]
        pool = spare[(spare >= 0)]
        pool = pool[~saved["dead"][pool].any(axis=1)] if pool.size else pool
        table = parallelism.stage_table(members, pp)
        for m in lost:
            if pool.size:
                pick = pol.spares(view, pool, 1)
                table[table == m] = pick[0]
                pool = pool[pool != pick[0]]
                saved["spares"][ji][saved["spares"][ji] == pick[0]] = -1
                events.append([t0, jp.index, EV_RESHARD])
            else:
                table = table[~(table == m).any(axis=1)]
                events.append([t0, jp.index, EV_SHRINK])
        members = table.ravel()
        saved["members"][ji] = -1
        saved["members"][ji, : members.size] = members
        if members.size == 0:
            job[J["phase"]] = FAILED
            events.append([t0, jp.index, EV_FAILED])
            return [job[J["tokens"]], 0.0, math.inf, FAILED]
        # the re-sharded job restarts from its checkpoint
        job[J["lost_tokens"]] += job[J["tokens"]] - job[J["committed"]]
        job[J["tokens"]] = job[J["committed"]]
        job[J["reshards"]] += lost.size
        job[J["phase"]] = RESTART
        job[J["remaining_s"]] = jp.restart_s
    table = parallelism.stage_table(members, pp)
    rows = table.shape[0]
    speed = np.where(online[members] >= 1.0 - 1e-12, served[members], 0.0).min(axis=0)
    compute = jp.compute_s * jp.layout.satellite_replicas / rows
    bps, hop_s, linked = member_ring(members, links, n_sat)
    allreduce = (
        float(collectives.ring_allreduce_s(jp.gradient_bytes, rows, bps, hop_s))
        if bps > 0 and linked
        else math.inf
    )
    pipe = pipeline_bps(p, table, positions, k)
    act = 0.0 if pp < 2 else (jp.activation_bytes * 8.0 / pipe if pipe > 0 else math.inf)
    comm = allreduce + act
    with np.errstate(divide="ignore", invalid="ignore"):
        work = np.where(speed > 0.0, compute / speed, np.inf)
        step = work + np.maximum(0.0, comm - jp.overlap * work)
    step = np.where(np.isfinite(step), step, np.inf)
    # interruptions: events (transient or permanent) on a member's chip in this interval
    inside = np.zeros(n_sat, dtype=bool)
    inside[members] = True
    hit = inside[stop_sat] & (stop_time >= t0) & (stop_time < t1)
    interrupt = ((stop_time[hit] - t0) // dt).astype(np.int64)
    advance_job(job, step, dt, t0, interrupt, jp, jp.tokens, events)
    finite = step[np.isfinite(step)]
    return [
        job[J["tokens"]],
        float(speed.mean()),
        float(np.median(finite)) if finite.size else math.inf,
        job[J["phase"]],
    ]
