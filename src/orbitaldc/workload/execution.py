"""The workload time loop: training jobs and inference services stepped with the twin.

:func:`plan` fixes a run (the twin's plan, each job's layout and members, each service's hosts,
the scheduler and its cadence); :func:`run_chunks` then yields one :class:`WorkloadChunk` per
simulated day, each carrying its resume state, and :func:`finish` turns the last one into the
``workload_run{}`` figures. Nothing here reads or writes a file.

Per day: the twin's fault draws plus the economics' accelerator attrition (permanent failures,
drawn from ``SeedSequence([seed, chunk, ATTRITION_STREAM])``); the links at each decision
(:func:`orbitaldc.network.assess.isl`); the users' latency to the fleet per region. Per decision
(every ``cadence``): the policy (:mod:`orbitaldc.workload.scheduler`) sets each satellite's
demand and the services' hosts; the twin's kernel steps the whole fleet over the interval with
that demand (so its power, battery and heat follow the work) and returns the compute each
satellite delivered per step. Then, per training job and step:

- **speed**: the slowest member's delivered fraction (a member with a chip offline delivers
  nothing to the job), so a straggler in eclipse or throttled sets the pace;
- **step time** ``compute / speed + max(0, comm - overlap x compute / speed)`` with ``comm`` the
  data-parallel ring all-reduce of the stage's gradient over the members' slowest up link
  (``network.collectives``) plus the pipeline activations over each stage pair's distance
  (``network.topology.link_capacity_bps``); a member without an up link stalls the job;
- **faults**: an event on a member's chip interrupts the job: work since the last checkpoint is
  lost and a restart takes ``restart``; checkpoints are written every Young-Daly interval for
  the members' failure rate; a permanent failure (attrition) is re-sharded onto a spare (or onto
  fewer data-parallel replicas) with ``on_failure = "reshard"``, or waited for (the job stalls)
  with ``"wait"``.

Per service and decision: requests at the diurnal rate of each region that has a path to the
fleet (:func:`orbitaldc.workload.inference.diurnal_rate`), served by the hosts' replicas at the
compute they delivered; a fluid backlog carries overload to the next interval; SLO attainment is
the M/M/c figure (:func:`orbitaldc.workload.inference.slo_attainment`) with the region's round
trip, and 0 while a backlog stands (conservative).
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, replace
from typing import Any

import numpy as np

from orbitaldc.network import assess as network_assess
from orbitaldc.physics import latency, orbit
from orbitaldc.twin import faults as fault_events
from orbitaldc.twin import kernel as kn
from orbitaldc.twin import simulate as twin
from orbitaldc.twin.design import NODES, degradation_factor, years_since_start
from orbitaldc.workload import training
from orbitaldc.workload.assess import BYTES_PER_TOKEN
from orbitaldc.workload.jobs import JOB_STATE, PHASES, J, step_job
from orbitaldc.workload.plan import SILENT_KINDS, WorkloadPlan, timeline_columns
from orbitaldc.workload.scheduler import FleetView, Policy
from orbitaldc.workload.scheduler import policy as make_policy
from orbitaldc.workload.services import SERVICE_STATE, V, forecast_load, step_service

#: Seed streams of the attrition draws and of the times of the interrupting faults the twin only
#: counts (the twin's own fault draws use ``[seed, chunk]``).
ATTRITION_STREAM = 7


INTERRUPT_STREAM = 8


#: Satellites whose positions give the users' latency (a stride sample of the fleet): enough to
#: find the nearest satellite in view of every station of a shell (a model choice).
LATENCY_SATELLITES = 256


def initial_resume_state(p: WorkloadPlan) -> dict[str, np.ndarray]:
    """The resume state before the first day."""
    state = twin.initial_resume_state(p.twin)
    n_sat = p.n_satellites
    jobs = np.zeros((len(p.jobs), len(JOB_STATE)))
    jobs[:, J["finished_s"]] = np.nan
    width = max((j.members.size for j in p.jobs), default=0)
    members = np.full((len(p.jobs), width), -1, dtype=np.int64)
    for k, j in enumerate(p.jobs):
        members[k, : j.members.size] = j.members
    spare_width = max((j.spares.size for j in p.jobs), default=0)
    spares = np.full((len(p.jobs), spare_width), -1, dtype=np.int64)
    for k, j in enumerate(p.jobs):
        spares[k, : j.spares.size] = j.spares
    host_width = max((s.hosts.size for s in p.services), default=0)
    hosts = np.full((len(p.services), host_width), -1, dtype=np.int64)
    for k, s in enumerate(p.services):
        hosts[k, : s.hosts.size] = s.hosts
    return {
        **state,
        "jobs": jobs,
        "members": members,
        "spares": spares,
        "hosts": hosts,
        "services": np.zeros((len(p.services), len(SERVICE_STATE))),
        "dead": np.zeros((n_sat, p.twin.design.accelerators), dtype=bool),
        "last": np.column_stack([np.ones(n_sat), np.ones(n_sat), np.ones(n_sat)]),
        "energy_wh": np.zeros(1),
        "timeline": np.empty((0, len(timeline_columns(p)))),
        "events": np.empty((0, 3)),
    }


@dataclass(frozen=True)
class WorkloadChunk:
    """One simulated day of the workload run, with its resume state."""

    index: int
    chunks_done: int
    resume_state: dict[str, np.ndarray]


def _attrition(
    p: WorkloadPlan, dead: np.ndarray, start_s: float, duration_s: float, chunk: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Permanent chip failures in the chunk: (satellite, chip, time), time-ordered."""
    n_sat, chips = dead.shape
    if p.attrition_per_chip_s <= 0:
        return (np.empty(0, dtype=np.int64),) * 2 + (np.empty(0),)
    rng = np.random.Generator(
        np.random.PCG64(np.random.SeedSequence([p.twin.spec.mission.seed, chunk, ATTRITION_STREAM]))
    )
    fails = rng.random((n_sat, chips)) < -np.expm1(-p.attrition_per_chip_s * duration_s)
    times = start_s + rng.uniform(0.0, duration_s, (n_sat, chips))
    fails &= ~dead
    sat, chip = np.nonzero(fails)
    when = times[sat, chip]
    order = np.argsort(when, kind="stable")
    return sat[order], chip[order], when[order]


def _merge_faults(
    f: fault_events.ChunkFaults, sat: np.ndarray, chip: np.ndarray, when: np.ndarray, n_sat: int
) -> fault_events.ChunkFaults:
    """The twin's events plus permanent failures (infinite downtime), per satellite in time order."""
    ev_sat = np.repeat(np.arange(n_sat), np.diff(f.offsets))
    all_sat = np.concatenate([ev_sat, sat])
    all_time = np.concatenate([f.time_s, when])
    order = np.lexsort((all_time, all_sat))
    offsets = np.zeros(n_sat + 1, dtype=np.int64)
    np.cumsum(np.bincount(all_sat, minlength=n_sat), out=offsets[1:])
    return fault_events.ChunkFaults(
        f.counts,
        offsets,
        all_time[order],
        np.concatenate([f.chip, chip])[order].astype(np.int64),
        np.concatenate([f.downtime_s, np.full(when.size, np.inf)])[order],
    )


def _interrupts(
    p: WorkloadPlan,
    faults: fault_events.ChunkFaults,
    ev_sat: np.ndarray,
    start_s: float,
    duration_s: float,
    chunk: int,
) -> tuple[np.ndarray, np.ndarray]:
    """Every event that stops a job on a satellite in the chunk: (satellite, time).

    The listed events (a downtime, or a permanent failure) plus the events of stopping kinds the
    twin only counts, at uniform times in the chunk (the order-statistics construction of the
    Poisson process, as ``twin.faults``), from their own seed stream.
    """
    model = p.twin.fault_model
    sat, when = ev_sat, faults.time_s
    if model is None:
        return sat, when
    counted = np.array(
        [
            d == 0.0 and k not in SILENT_KINDS
            for k, d in zip(model.kinds, model.downtime_s, strict=True)
        ]
    )
    if not counted.any():
        return sat, when
    per_sat = faults.counts[:, counted].sum(axis=1)
    rng = np.random.Generator(
        np.random.PCG64(np.random.SeedSequence([p.twin.spec.mission.seed, chunk, INTERRUPT_STREAM]))
    )
    extra = np.repeat(np.arange(per_sat.size), per_sat)
    times = start_s + rng.uniform(0.0, duration_s, extra.size)
    return np.concatenate([sat, extra]), np.concatenate([when, times])


def _slice_faults(
    f: fault_events.ChunkFaults, ev_sat: np.ndarray, t0: float, t1: float, n_sat: int
) -> fault_events.ChunkFaults:
    keep = (f.time_s >= t0) & (f.time_s < t1)
    offsets = np.zeros(n_sat + 1, dtype=np.int64)
    np.cumsum(np.bincount(ev_sat[keep], minlength=n_sat), out=offsets[1:])
    return fault_events.ChunkFaults(
        f.counts, offsets, f.time_s[keep], f.chip[keep], f.downtime_s[keep]
    )


def _links(p: WorkloadPlan, t_dec: np.ndarray) -> network_assess.Isl | None:
    spec = p.twin.spec
    if spec.network is None:
        return None
    return network_assess.isl(spec, p.twin.elements, t_dec)


def _latency(p: WorkloadPlan, t_dec: np.ndarray) -> list[np.ndarray]:
    """Per service: the one-way latency of each region to the fleet, s, (region, decision)."""
    if not p.services:
        return []
    if p.sites is None:
        return [np.zeros((s.region_shares.size, t_dec.size)) for s in p.services]
    el = p.twin.elements
    pick = np.unique(np.linspace(0, el.n_satellites - 1, LATENCY_SATELLITES).astype(np.int64))
    sub = el.take(pick)
    r, _ = orbit.propagate(sub, t_dec)
    ranges = latency.nearest_slant_range_m(r, t_dec, p.sites)
    out = []
    for s in p.services:
        fibre = latency.city_fibre_delay_s(s.region_latitude_rad, s.region_longitude_rad, p.sites)
        out.append(latency.user_latency_s(fibre, ranges))
    return out


def _link_view(isl: network_assess.Isl | None, n_sat: int, k: int) -> tuple[np.ndarray, Any]:
    """Which satellites have an up link at decision ``k``, and the links' arrays at ``k``."""
    if isl is None:
        return np.ones(n_sat, dtype=bool), None
    s = isl.series
    up = s.up[:, k]
    linked = np.zeros(n_sat, dtype=bool)
    linked[isl.satellites :] = True
    linked[s.links[up, 0]] = True
    linked[s.links[up, 1]] = True
    return linked, (s.links, up, s.capacity_bps[:, k], s.distance_m[:, k], isl.satellites)


def _view(
    saved: Mapping[str, np.ndarray], design: Any, t_s: float, linked: np.ndarray
) -> FleetView:
    state = saved["state"]
    last = saved["last"]
    return FleetView(
        t_s=t_s,
        capacity=state[:, kn.S_THROTTLE] * last[:, kn.O_ONLINE],
        illuminated=last[:, kn.O_LIT],
        state_of_charge=state[:, kn.S_ENERGY] / design.battery_wh,
        temperature_k=state[:, kn.S_TEMP],
        linked=linked,
        load=np.zeros(state.shape[0]),
    )


def run_chunks(
    p: WorkloadPlan,
    resume_state: Mapping[str, np.ndarray] | None = None,
    chunks_done: int = 0,
) -> Iterator[WorkloadChunk]:
    """Step the run one day at a time, yielding each finished :class:`WorkloadChunk`.

    A run resumed from a chunk's ``resume_state`` and ``chunks_done`` yields exactly what the
    uninterrupted run yields from there (every draw is seeded per chunk).
    """
    tp = p.twin
    if not 0 <= chunks_done <= tp.n_chunks:
        raise ValueError(f"chunks_done must lie in 0..{tp.n_chunks}, got {chunks_done}")
    saved = (
        initial_resume_state(p)
        if resume_state is None or chunks_done == 0
        else {k: np.array(v, copy=True) for k, v in resume_state.items()}
    )
    pol: Policy = make_policy(p.policy)
    design, n_sat, dt = tp.design, p.n_satellites, tp.step_s
    no_series = np.empty(0, dtype=np.int64)
    fixed = kn.prepare(design, tp.elements, dt)
    for chunk in range(chunks_done, tp.n_chunks):
        saved = {k: np.array(v, copy=True) for k, v in saved.items()}
        t = twin.chunk_times(tp, chunk)
        count = t.size
        drawn = fault_events.draw_chunk_faults(
            tp.fault_model,
            n_sat,
            design.accelerators,
            t[0],
            count * dt,
            tp.spec.mission.seed,
            chunk,
        )
        a_sat, a_chip, a_time = _attrition(p, saved["dead"], t[0], count * dt, chunk)
        faults = _merge_faults(drawn, a_sat, a_chip, a_time, n_sat)
        ev_sat = np.repeat(np.arange(n_sat), np.diff(faults.offsets))
        stop_sat, stop_time = _interrupts(p, faults, ev_sat, t[0], count * dt, chunk)
        degradation = degradation_factor(
            years_since_start(t, tp.start_s),
            design.array_degradation_per_year,
            tp.degradation_table,
        )
        day = kn.chunk_inputs(t, degradation, faults)
        starts = np.arange(0, count, p.cadence_steps)
        t_dec = t[starts]
        isl = _links(p, t_dec)
        lat = _latency(p, t_dec)
        positions = None
        if any(j.layout.pipeline_parallel > 1 for j in p.jobs):
            positions, _ = orbit.propagate(tp.elements, t_dec)
        daily = np.empty((0, len(kn.DAILY)))
        events: list[list[float]] = []
        rows: list[list[float]] = []
        for k, a in enumerate(starts):
            b = min(a + p.cadence_steps, count)
            linked, links = _link_view(isl, n_sat, k)
            view = _view(saved, design, float(t[a]), linked)
            members = [m[m >= 0] for m in saved["members"]]
            hosts = []
            busy = np.zeros(n_sat, dtype=bool)
            for m in members:
                busy[m] = True
            for spare in saved["spares"]:
                busy[spare[spare >= 0]] = True
            busy |= saved["dead"].all(axis=1)
            for si, sv in enumerate(p.services):
                current = saved["hosts"][si][saved["hosts"][si] >= 0]
                pool = np.flatnonzero(~busy)
                want = min(sv.hosts.size, pool.size // sv.unit_satellites * sv.unit_satellites)
                chosen = pol.hosts(view, pool, want, current)
                busy[chosen] = True
                saved["hosts"][si] = -1
                saved["hosts"][si, : chosen.size] = chosen
                hosts.append(chosen)
            all_members = np.concatenate(members) if members else np.empty(0, np.int64)
            all_hosts = np.concatenate(hosts) if hosts else np.empty(0, np.int64)
            load = np.zeros(n_sat)
            for si, sv in enumerate(p.services):
                units = hosts[si].size // sv.unit_satellites
                backlog = float(saved["services"][si][V["backlog"]])
                load[hosts[si]] = forecast_load(sv, units, backlog, float(t[a]), (b - a) * dt)
            view = replace(view, load=load)
            demand = pol.demand(view, all_members, all_hosts, n_sat)
            sub = kn.ChunkInputs(
                day.t[a:b],
                day.sun_m[a:b],
                day.sun_unit[a:b],
                day.irradiance_w_m2[a:b],
                day.degradation[a:b],
                _slice_faults(faults, ev_sat, t[a], t[a] + (b - a) * dt, n_sat),
            )
            _, part, out = kn.step_chunk(
                design,
                tp.elements,
                saved["state"],
                saved["chip_start"],
                saved["chip_until"],
                sub,
                dt,
                no_series,
                twin.DECIMATE,
                twin.NEWTON_ITERATIONS,
                demand=demand,
                per_step=True,
                prepared=fixed,
            )
            daily = part[None] if daily.size == 0 else np.concatenate([daily, part[None]])
            saved["last"] = out[:, -1, :].copy()
            served = out[:, :, kn.O_SERVED]
            online = out[:, :, kn.O_ONLINE]
            saved["energy_wh"][0] += float(served.sum() * design.it_power_w * dt / 3600.0)
            # permanent failures of this interval
            keep = (a_time >= t[a]) & (a_time < t[a] + (b - a) * dt)
            saved["dead"][a_sat[keep], a_chip[keep]] = True
            row = [
                float(t[a]),
                float(served.mean()),
                float(saved["state"][:, kn.S_ENERGY].min() / design.battery_wh),
            ]
            for ji, jp in enumerate(p.jobs):
                row += step_job(
                    p,
                    jp,
                    ji,
                    saved,
                    served,
                    online,
                    stop_sat,
                    stop_time,
                    t,
                    a,
                    b,
                    links,
                    positions,
                    k,
                    view,
                    pol,
                    events,
                )
            for si, sv in enumerate(p.services):
                row += step_service(
                    sv,
                    si,
                    hosts[si],
                    saved,
                    served,
                    lat[si][:, k],
                    float(t[a]),
                    (b - a) * dt,
                )
            rows.append(row)
        saved["fault_counts"] = saved["fault_counts"] + drawn.counts.sum(axis=0)
        saved["daily"] = np.vstack([saved["daily"], _merge_daily(t[0], daily)])
        saved["timeline"] = np.vstack([saved["timeline"], np.asarray(rows)])
        if events:
            saved["events"] = np.vstack([saved["events"], np.asarray(events)])
        yield WorkloadChunk(chunk, chunk + 1, saved)


def _merge_daily(t0: float, parts: np.ndarray) -> list[float]:
    """Reduce the intervals' per-satellite daily figures to the twin's one daily row."""
    merged = np.empty(parts.shape[1:])
    merged[:, kn.D_SOC] = parts[:, :, kn.D_SOC].min(axis=0)
    merged[:, kn.D_TJ] = parts[:, :, kn.D_TJ].max(axis=0)
    merged[:, kn.D_SERVED] = parts[:, :, kn.D_SERVED].sum(axis=0)
    merged[:, kn.D_NOM] = parts[:, :, kn.D_NOM].sum(axis=0)
    n = len(NODES)
    merged[:, kn.D_TMAX : kn.D_TMAX + n] = parts[:, :, kn.D_TMAX : kn.D_TMAX + n].max(axis=0)
    merged[:, kn.D_TMIN : kn.D_TMIN + n] = parts[:, :, kn.D_TMIN : kn.D_TMIN + n].min(axis=0)
    return twin.daily_row(t0, merged)


def finish(
    p: WorkloadPlan, resume_state: Mapping[str, np.ndarray], cost_per_accelerator_hour_usd: float
) -> dict[str, Any]:
    """The ``workload_run{}`` figures of one policy from the last chunk's resume state."""
    tp = p.twin
    elapsed = tp.total_steps * tp.step_s
    jobs = []
    for ji, jp in enumerate(p.jobs):
        job = resume_state["jobs"][ji]
        tokens = float(job[J["tokens"]])
        finished = job[J["finished_s"]]
        wall = (finished - tp.start_s) if np.isfinite(finished) else elapsed
        rate = tokens / wall if wall > 0 else 0.0
        remaining = jp.tokens - tokens
        projected = (
            wall / 86400.0
            if np.isfinite(finished)
            else ((elapsed + remaining / rate) / 86400.0 if rate > 0 else None)
        )
        ideal = (
            training.FLOPS_PER_PARAMETER_TOKEN
            * jp.parameters
            * tokens
            / (jp.layout.accelerators * jp.peak_flops * jp.mfu)
        )
        acc_h = jp.layout.accelerators * (projected * 24.0 if projected is not None else math.nan)
        jobs.append(
            {
                "name": jp.name,
                "data_parallel": jp.layout.data_parallel,
                "tensor_parallel": jp.layout.tensor_parallel,
                "pipeline_parallel": jp.layout.pipeline_parallel,
                "satellites": int(jp.layout.satellites),
                "finished": bool(np.isfinite(finished)),
                "progress": tokens / jp.tokens,
                "time_to_complete_days": projected,
                "goodput": jp.mfu * ideal / wall if wall > 0 else 0.0,
                "useful_fraction": ideal / wall if wall > 0 else 0.0,
                "interruptions": int(job[J["interruptions"]]),
                "checkpoints": int(job[J["checkpoints"]]),
                "reshards": int(job[J["reshards"]]),
                "checkpoint_interval_min": jp.interval_s / 60.0
                if np.isfinite(jp.interval_s)
                else None,
                "lost_tokens": float(job[J["lost_tokens"]]),
                "stalled_hours": float(job[J["stalled_s"]] / 3600.0),
                "cost_per_run_usd": acc_h * cost_per_accelerator_hour_usd
                if np.isfinite(acc_h)
                else None,
                "state": PHASES[int(job[J["phase"]])],
            }
        )
    services = []
    for si, sv in enumerate(p.services):
        acc = resume_state["services"][si]
        tokens_s = acc[V["served"]] * sv.tokens_per_request / elapsed
        cost_s = sv.accelerators * cost_per_accelerator_hour_usd / 3600.0
        services.append(
            {
                "name": sv.name,
                "satellites": int(sv.hosts.size),
                "requests": float(acc[V["arrived"]]),
                "served_fraction": float(acc[V["served"]] / acc[V["arrived"]])
                if acc[V["arrived"]] > 0
                else None,
                "unreachable_fraction": float(acc[V["unreachable"]] / acc[V["arrived"]])
                if acc[V["arrived"]] > 0
                else None,
                "tokens_per_s": float(tokens_s),
                "slo_attainment": float(acc[V["slo_weighted"]] / acc[V["arrived"]])
                if acc[V["arrived"]] > 0
                else None,
                "utilisation": float(acc[V["busy_server_s"]] / acc[V["server_s"]])
                if acc[V["server_s"]] > 0
                else 0.0,
                "backlog_requests": float(acc[V["backlog"]]),
                "cost_per_million_tokens_usd": cost_s / tokens_s * 1e6 if tokens_s > 0 else None,
                "bytes_per_day_up_down_tb": tokens_s * BYTES_PER_TOKEN * 86400.0 / 1e12,
            }
        )
    fleet = twin.finish(tp, resume_state).summary
    return {
        "policy": p.policy,
        "jobs": jobs,
        "services": services,
        "compute_energy_kwh": float(resume_state["energy_wh"][0] / 1e3),
        "twin": fleet,
    }


def gains(run: Mapping[str, Any], baseline: Mapping[str, Any]) -> dict[str, Any]:
    """What a policy's run gains over the baseline's on the same fleet, faults and seed.

    Per job the ratio of goodput (>1: better) and the days saved to completion; per service the
    tokens/s ratio and the change of SLO attainment; the fleet's compute energy ratio (<1: less
    energy for the work).
    """

    def ratio(a: float | None, b: float | None) -> float | None:
        return a / b if a is not None and b not in (None, 0.0) else None

    jobs = {}
    for a, b in zip(run["jobs"], baseline["jobs"], strict=True):
        ta, tb = a["time_to_complete_days"], b["time_to_complete_days"]
        jobs[a["name"]] = {
            "goodput_ratio": ratio(a["goodput"], b["goodput"]),
            "days_saved": tb - ta if ta is not None and tb is not None else None,
            "interruptions": a["interruptions"] - b["interruptions"],
        }
    services = {}
    for a, b in zip(run["services"], baseline["services"], strict=True):
        sa, sb = a["slo_attainment"], b["slo_attainment"]
        services[a["name"]] = {
            "tokens_per_s_ratio": ratio(a["tokens_per_s"], b["tokens_per_s"]),
            "slo_attainment_change": sa - sb if sa is not None and sb is not None else None,
        }
    return {
        "jobs": jobs,
        "services": services,
        "compute_energy_ratio": ratio(run["compute_energy_kwh"], baseline["compute_energy_kwh"]),
    }
