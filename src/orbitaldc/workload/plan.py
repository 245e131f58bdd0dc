"""A workload run, fixed before it is stepped: each job's layout and members, each service's hosts
and users, the scheduler and its cadence (:func:`plan`); see :mod:`orbitaldc.workload.execution`
for the time loop and docs/workloads.md ("Execution")."""

from __future__ import annotations

import hashlib
import json
import math
from dataclasses import dataclass, replace
from typing import Any

import numpy as np

from orbitaldc import catalog
from orbitaldc.network import ground as network_ground
from orbitaldc.physics import contacts
from orbitaldc.physics.constants import SECONDS_PER_YEAR
from orbitaldc.twin import simulate as twin
from orbitaldc.workload import parallelism, training
from orbitaldc.workload.assess import replica
from orbitaldc.workload.scheduler import policy as make_policy

#: Fault kinds that do not stop a training job: a silent data corruption is not detected (it is
#: counted); every other kind (a crash, an uncorrectable memory error, a functional interrupt)
#: ends the process (Meta 2024, arXiv 2407.21783, sec. 3.3.4, counts HBM faults among the
#: interruptions).
SILENT_KINDS = ("sdc",)


#: Utilisation an inference service is sized for at its peak rate when ``satellites`` is not
#: given (a model choice: M/M/c waits stay short below ~70 % load).
SIZING_UTILISATION = 0.7


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


def service_units(w: Any, acc: Any, per_sat: int) -> tuple[int, int, int, float]:
    """How a service is hosted: satellites per unit (a unit holds whole replicas; a replica whose
    weights need more accelerators than a satellite has spans several, pipelined over the
    links), servers per unit, units its peak rate needs, and the request service time, s."""
    r = replica(w, acc)
    per_replica, service = r.accelerators, r.service_s
    unit = math.ceil(per_replica / per_sat)
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
        unit, servers, need, service = service_units(w, acc, per_sat)
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
        network_ground.station_sites(spec) if spec.network is not None else None,
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


def with_policy(p: WorkloadPlan, name: str) -> WorkloadPlan:
    """The same run under another policy (the baseline of a comparison)."""
    make_policy(name)
    text = json.dumps([p.fingerprint, name])
    return replace(p, policy=name, fingerprint=hashlib.sha256(text.encode()).hexdigest()[:16])
