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

import hashlib
import json
import math
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, replace
from typing import Any

import numpy as np

from orbitaldc import catalog
from orbitaldc.network import assess as network_assess
from orbitaldc.network import collectives, topology
from orbitaldc.physics import contacts, latency, orbit
from orbitaldc.physics.constants import C_M_S, SECONDS_PER_YEAR
from orbitaldc.physics.orbit import MeanElements
from orbitaldc.twin import faults as fault_events
from orbitaldc.twin import kernel as kn
from orbitaldc.twin import simulate as twin
from orbitaldc.twin.design import NODES, degradation_factor, years_since_start
from orbitaldc.workload import inference, parallelism, training
from orbitaldc.workload.scheduler import FleetView, Policy
from orbitaldc.workload.scheduler import policy as make_policy

#: Seed streams of the attrition draws and of the times of the interrupting faults the twin only
#: counts (the twin's own fault draws use ``[seed, chunk]``).
ATTRITION_STREAM = 7
INTERRUPT_STREAM = 8
#: Fault kinds that do not stop a training job: a silent data corruption is not detected (it is
#: counted); every other kind (a crash, an uncorrectable memory error, a functional interrupt)
#: ends the process (Meta 2024, arXiv 2407.21783, sec. 3.3.4, counts HBM faults among the
#: interruptions).
SILENT_KINDS = ("sdc",)
#: Utilisation an inference service is sized for at its peak rate when ``satellites`` is not
#: given (a model choice: M/M/c waits stay short below ~70 % load).
SIZING_UTILISATION = 0.7
#: Satellites whose positions give the users' latency (a stride sample of the fleet): enough to
#: find the nearest satellite in view of every station of a shell (a model choice).
LATENCY_SATELLITES = 256
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
#: Per-service scalars of the resume state.
SERVICE_STATE = (
    "backlog",
    "arrived",
    "served",
    "unreachable",
    "slo_weighted",
    "busy_server_s",
    "server_s",
)
V = {k: i for i, k in enumerate(SERVICE_STATE)}


@dataclass(frozen=True)
class JobPlan:
    """One training job: layout, initial members and spares, and its per-step figures."""

    index: int
    name: str
    layout: parallelism.Layout
    members: np.ndarray
    spares: np.ndarray
    accelerators_per_satellite: int
    parameters: float
    tokens: float
    batch_tokens: float
    #: Step compute at full speed on the initial members (with the pipeline bubble), s.
    compute_s: float
    gradient_bytes: float
    activation_bytes: float
    overlap: float
    checkpoint_s: float
    restart_s: float
    interval_s: float
    mtbf_s: float
    on_failure: str
    peak_flops: float
    mfu: float


@dataclass(frozen=True)
class ServicePlan:
    """One inference service: its hosts and per-host figures, and its users."""

    index: int
    name: str
    hosts: np.ndarray
    #: Satellites per hosting unit (a unit holds whole replicas) and servers (replica batch
    #: slots) per unit.
    unit_satellites: int
    servers_per_unit: int
    service_s: float
    mean_rate: float
    peak_to_mean: float
    peak_hour_local: float
    region_names: tuple[str, ...]
    region_shares: np.ndarray
    region_longitude_rad: np.ndarray
    region_latitude_rad: np.ndarray
    latency_target_s: float
    tokens_per_request: int
    accelerators: int


@dataclass(frozen=True)
class WorkloadPlan:
    """Everything fixed for one workload run."""

    twin: twin.TwinPlan
    jobs: tuple[JobPlan, ...]
    services: tuple[ServicePlan, ...]
    policy: str
    cadence_steps: int
    attrition_per_chip_s: float
    terminal: Any
    sites: contacts.Sites | None
    fingerprint: str

    @property
    def n_satellites(self) -> int:
        return self.twin.elements.n_satellites


def _stations(spec: Any) -> contacts.Sites | None:
    if spec.network is None:
        return None
    ids = spec.network.ground_stations or list(catalog.load("ground_stations"))
    entries = [catalog.get("ground_stations", i) for i in ids]
    return contacts.Sites.from_degrees(
        [e.latitude_deg for e in entries],
        [e.longitude_deg for e in entries],
        [e.altitude_m for e in entries],
        [e.min_elevation_deg for e in entries],
    )


def _service_units(w: Any, acc: Any, per_sat: int) -> tuple[int, int, int, float]:
    """How a service is hosted: satellites per unit (a unit holds whole replicas; a replica whose
    weights need more accelerators than a satellite has spans several, pipelined over the
    links), servers per unit, units its peak rate needs, and the request service time, s."""
    peak = acc.flops[w.precision]
    mfu = w.mfu if w.mfu is not None else training.DEFAULT_MFU
    per_replica = max(1, math.ceil(w.parameters * w.bytes_per_parameter / acc.memory_bytes))
    unit = math.ceil(per_replica / per_sat)
    prefill = float(inference.prefill_tokens_per_s(peak * per_replica, w.parameters, mfu))
    decode = float(
        inference.decode_tokens_per_s(
            acc.memory_bandwidth_bytes_per_s * per_replica,
            w.parameters,
            w.bytes_per_parameter,
            w.batch,
            peak * per_replica,
            mfu,
        )
    )
    service = float(
        inference.request_service_s(w.tokens_in, w.tokens_out, prefill, decode / w.batch)
    )
    servers = (unit * per_sat // per_replica) * w.batch
    need = w.requests_per_second * w.peak_to_mean * service / (SIZING_UTILISATION * servers)
    return unit, servers, max(1, math.ceil(need)), service


def plan(
    spec: Any,
    twin_plan: twin.TwinPlan,
    attrition_per_year: float,
    policy: str | None = None,
) -> WorkloadPlan:
    """Fix a workload run of ``spec`` over ``twin_plan`` (the twin's run of the same spec).

    ``attrition_per_year`` is the economics' in-orbit accelerator failure rate (permanent);
    ``policy`` overrides ``[scheduler] policy``. Errors name the spec field.
    """
    if not spec.workload:
        raise ValueError(f"{spec.mission.name} declares no [[workload]] (docs/workloads.md)")
    acc = catalog.get("accelerators", spec.accelerator_id)
    design = twin_plan.design
    per_sat = design.accelerators
    n_sat = twin_plan.elements.n_satellites
    step = twin_plan.step_s
    cadence = spec.scheduler.cadence_s
    steps = cadence / step
    if steps < 1 or abs(steps - round(steps)) > 1e-9:
        raise ValueError(
            f"scheduler.cadence = {cadence:g} s: must be a whole multiple of the step ({step:g} s)"
        )
    free = np.arange(n_sat)
    services: list[ServicePlan] = []
    net = spec.network
    for i, w in enumerate(spec.workload):
        if w.kind != "inference":
            continue
        if w.precision not in acc.flops:
            raise ValueError(
                f"workload[{i}].precision = {w.precision!r}: not one of {list(acc.flops)}"
            )
        unit, servers, need, service = _service_units(w, acc, per_sat)
        count = w.satellites or need * unit
        if count % unit:
            raise ValueError(
                f"workload[{i}].satellites = {count}: a replica of {w.name} spans {unit} "
                "satellites; use a multiple of it"
            )
        if count > free.size:
            raise ValueError(
                f"workload[{i}].satellites: {w.name} needs {count} satellites, {free.size} are free"
            )
        hosts, free = free[:count], free[count:]
        if w.regions:
            names = tuple(r.name for r in w.regions)
            shares = np.array([r.share for r in w.regions], dtype=float)
            lon = np.array([r.longitude_rad for r in w.regions])
            default_lat = net.user_latitude_rad if net is not None else 0.0
            lat = np.array(
                [default_lat if r.latitude_rad is None else r.latitude_rad for r in w.regions]
            )
        else:
            names = ("users",)
            shares = np.ones(1)
            lon = np.array([net.user_longitude_rad if net is not None else 0.0])
            lat = np.array([net.user_latitude_rad if net is not None else 0.0])
        services.append(
            ServicePlan(
                i,
                w.name,
                hosts,
                unit,
                servers,
                service,
                float(w.requests_per_second),
                w.peak_to_mean,
                w.peak_hour_local,
                names,
                shares / shares.sum(),
                lon,
                lat,
                w.latency_target_s,
                w.tokens_in + w.tokens_out,
                count * per_sat,
            )
        )
    rates = twin_plan.fault_model
    stop_rate = 0.0
    if rates is not None:
        stopping = np.array([k not in SILENT_KINDS for k in rates.kinds])
        stop_rate = float(rates.rate_per_chip_s[stopping].sum())
    attrition = attrition_per_year / SECONDS_PER_YEAR
    jobs: list[JobPlan] = []
    for i, w in enumerate(spec.workload):
        if w.kind != "training":
            continue
        where = f"workload[{i}]"
        if w.precision not in acc.flops:
            raise ValueError(f"{where}.precision = {w.precision!r}: not one of {list(acc.flops)}")
        available = (w.satellites or free.size) - w.spares
        if w.satellites is not None and w.satellites > free.size:
            raise ValueError(f"{where}.satellites = {w.satellites}: only {free.size} are free")
        lay = parallelism.layout(w, where, per_sat, acc.memory_bytes, max(available, 0))
        members, free = free[: lay.satellites], free[lay.satellites :]
        spares, free = free[: w.spares], free[w.spares :]
        mfu = w.mfu if w.mfu is not None else training.DEFAULT_MFU
        peak = acc.flops[w.precision]
        bubble = float(training.pipeline_bubble_fraction(lay.pipeline_parallel, w.microbatches))
        flops_step = training.FLOPS_PER_PARAMETER_TOKEN * w.parameters * w.batch_tokens
        compute = flops_step / (lay.accelerators * peak * mfu) / (1.0 - bubble)
        checkpoint_s = (
            (parallelism.REPLICATED_BYTES_PER_PARAMETER + parallelism.SHARDED_BYTES_PER_PARAMETER)
            * w.parameters
            / (w.checkpoint_bandwidth_bytes_per_s * lay.satellites)
        )
        rate = (stop_rate + attrition) * per_sat * lay.satellites
        mtbf = 1.0 / rate if rate > 0 else math.inf
        interval = (
            float(training.young_daly_interval_s(checkpoint_s, mtbf)) if rate > 0 else math.inf
        )
        jobs.append(
            JobPlan(
                i,
                w.name,
                lay,
                members,
                spares,
                per_sat,
                w.parameters,
                float(w.tokens),
                w.batch_tokens,
                compute,
                w.parameters * w.bytes_per_parameter / lay.pipeline_parallel,
                2.0
                * w.batch_tokens
                / lay.satellite_replicas
                * lay.hidden_size
                * w.bytes_per_parameter,
                w.overlap,
                checkpoint_s,
                w.restart_s,
                interval,
                mtbf,
                w.on_failure,
                peak,
                mfu,
            )
        )
    name = policy or spec.scheduler.policy
    make_policy(name)
    terminal = catalog.get("terminals", net.terminal) if net is not None and net.terminal else None
    text = json.dumps([twin_plan.fingerprint, name, attrition_per_year, cadence], sort_keys=True)
    return WorkloadPlan(
        twin_plan,
        tuple(jobs),
        tuple(services),
        name,
        int(round(steps)),
        attrition,
        terminal,
        _stations(spec),
        hashlib.sha256(text.encode()).hexdigest()[:16],
    )


def timeline_columns(p: WorkloadPlan) -> list[str]:
    """Columns of the per-decision timeline (``timeline`` of the resume state)."""
    cols = ["t_s", "fleet_compute_fraction", "fleet_min_state_of_charge"]
    for j in p.jobs:
        cols += [f"{j.name}:tokens", f"{j.name}:speed", f"{j.name}:step_s", f"{j.name}:phase"]
    for s in p.services:
        cols += [
            f"{s.name}:arrival_rps",
            f"{s.name}:served_rps",
            f"{s.name}:capacity_rps",
            f"{s.name}:slo",
            f"{s.name}:backlog",
        ]
    return cols


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
        "utilisation": np.zeros(n_sat),
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
    sub = MeanElements(**{k: v[pick] for k, v in vars(el).items()})
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


def _ring(members: np.ndarray, links: Any, n_sat: int) -> tuple[float, float, bool]:
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


def _pipeline_bps(
    p: WorkloadPlan, table: np.ndarray, positions: np.ndarray | None, k: int
) -> float:
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
        utilisation=saved["utilisation"],
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
        first = chunk * tp.steps_per_chunk
        count = min(tp.steps_per_chunk, tp.total_steps - first)
        t = tp.start_s + (first + np.arange(count)) * dt
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
                row += _step_job(
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
            util = np.zeros(n_sat)
            for si, sv in enumerate(p.services):
                row += _step_service(
                    p,
                    sv,
                    si,
                    hosts[si],
                    saved,
                    served,
                    demand,
                    lat[si][:, k],
                    float(t[a]),
                    (b - a) * dt,
                    util,
                )
            saved["utilisation"] = util
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


def _step_job(
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
    bps, hop_s, linked = _ring(members, links, n_sat)
    ring = (
        float(collectives.ring_allreduce_s(jp.gradient_bytes, rows, bps, hop_s))
        if bps > 0
        else math.inf
    )
    if not linked:
        ring = math.inf
    pipe = _pipeline_bps(p, table, positions, k)
    act = 0.0 if pp < 2 else (jp.activation_bytes * 8.0 / pipe if pipe > 0 else math.inf)
    comm = ring + act
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


def _step_service(
    p: WorkloadPlan,
    sv: ServicePlan,
    si: int,
    hosts: np.ndarray,
    saved: dict[str, np.ndarray],
    served: np.ndarray,
    demand: np.ndarray,
    region_latency_s: np.ndarray,
    t_s: float,
    span_s: float,
    util: np.ndarray,
) -> list[float]:
    """One interval of one inference service; returns its timeline columns."""
    acc = saved["services"][si]
    mid = t_s + 0.5 * span_s
    day_s = mid % 86400.0
    rates = sv.region_shares * inference.diurnal_rate(
        sv.mean_rate, day_s, sv.peak_to_mean, sv.peak_hour_local, sv.region_longitude_rad
    )
    reach = np.isfinite(region_latency_s)
    lam = float(rates[reach].sum())
    acc[V["unreachable"]] += float(rates[~reach].sum()) * span_s
    acc[V["arrived"]] += float(rates.sum()) * span_s
    units = hosts.size // sv.unit_satellites
    if units:
        use = hosts[: units * sv.unit_satellites]
        rate = served[use].mean(axis=1) / np.maximum(demand[use], 1e-12)
        rate = np.where(demand[use] > 0, rate, 0.0).reshape(units, sv.unit_satellites).min(axis=1)
    else:
        rate = np.zeros(0)
    servers_eff = float((rate * sv.servers_per_unit).sum())
    capacity = servers_eff / sv.service_s
    backlog = acc[V["backlog"]]
    offered = lam * span_s + backlog
    done = min(offered, capacity * span_s)
    acc[V["backlog"]] = offered - done
    acc[V["served"]] += done
    busy = done * sv.service_s
    acc[V["busy_server_s"]] += busy
    acc[V["server_s"]] += servers_eff * span_s
    rho = busy / (servers_eff * span_s) if servers_eff > 0 else 0.0
    if hosts.size:
        util[hosts] = rho
    c = max(int(round(servers_eff)), 1)
    if backlog == 0.0 and lam < capacity and lam > 0:
        mu = capacity / c
        slack = sv.latency_target_s - 2.0 * region_latency_s[reach]
        slo = inference.slo_attainment(lam, mu, c, np.maximum(slack, 0.0))
        slo = np.where(slack > 0, slo, 0.0)
        attained = float((rates[reach] * slo).sum()) * span_s
    else:
        attained = 0.0
    acc[V["slo_weighted"]] += attained
    slo_now = attained / (lam * span_s) if lam > 0 else math.nan
    return [float(rates.sum()), done / span_s, capacity, slo_now, acc[V["backlog"]]]


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


def with_policy(p: WorkloadPlan, name: str) -> WorkloadPlan:
    """The same run under another policy (the baseline of a comparison)."""
    make_policy(name)
    text = json.dumps([p.fingerprint, name])
    return replace(p, policy=name, fingerprint=hashlib.sha256(text.encode()).hexdigest()[:16])


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
