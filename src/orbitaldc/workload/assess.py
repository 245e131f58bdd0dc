"""The workloads of a design, answered analytically (``workload{}`` of summary.json).

For each ``[[workload]]`` of the spec, the same job on the fleet and on the terrestrial baseline
with the same accelerators (docs/workloads.md):

- **Training**: ``6 N D`` FLOPs (``workload.training``) at the accelerators' peak x MFU; per
  step, the gradient all-reduce (ring, alpha-beta: ``network.collectives``) over the
  inter-satellite links' slowest link in orbit, over the ground fabric's per-accelerator
  bandwidth on the ground, minus what the compute hides (``overlap``); checkpoints at the
  Young-Daly interval against the fleet's failure rate (the interruption rate of large GPU
  training runs on both sides, plus in orbit the radiation chain's single-event rates and the
  economics' accelerator attrition), with the expected wall time of exponential failures. Cost
  per run: wall accelerator-hours x the economics' cost per accelerator-hour.
- **Inference**: a replica holds the model across as many accelerators as its weights need
  (memory), prefill at peak x MFU, decode memory-bound (roofline); requests served by an M/M/c
  queue of replicas x batch slots; SLO attainment is the probability that queueing, service and
  (in orbit) the user's network latency stay within the target. Cost per million tokens: the fleet's
  cost per second over the tokens per second served.

This is the steady-state, analytic answer; the time loop over the twin (stragglers in eclipse,
throttling, link outages, the scheduler) is the issue's next step.
"""

from __future__ import annotations

import math
from typing import Any, NamedTuple

from orbitaldc.network import collectives
from orbitaldc.physics.constants import SECONDS_PER_YEAR
from orbitaldc.workload import inference, training

#: Interruptions of large GPU training runs per accelerator-year, both sides: 466 in 54 days on
#: 16,384 H100 (Meta, "The Llama 3 Herd of Models", arXiv 2407.21783, sec. 3.3.4): 0.192.
INTERRUPTIONS_PER_ACCELERATOR_YEAR = 466.0 / (16384.0 * 54.0 / 365.25)
#: Ground fabric bandwidth per accelerator for the gradient all-reduce, bit/s: one 400 Gb/s
#: NDR InfiniBand / ConnectX-7 port per GPU (NVIDIA DGX H100 user guide: 8 x 400 Gb/s compute
#: fabric ports for 8 GPUs).
GROUND_FABRIC_BPS = 400e9
#: Ground fabric latency per hop, s (InfiniBand NDR switch + NIC, ~1-2 us; NVIDIA Quantum-2).
GROUND_FABRIC_LATENCY_S = 2e-6
#: Bytes of a training checkpoint per parameter: BF16 weights, FP32 master weights and the two
#: Adam moments (Rajbhandari et al., "ZeRO", SC 2020, sec. 3.1: 16 bytes per parameter).
CHECKPOINT_BYTES_PER_PARAMETER = 16.0
#: Bytes per token carried up and down through the ground segment (UTF-8 text, ~4 characters a
#: token for English BPE vocabularies; OpenAI tokenizer documentation).
BYTES_PER_TOKEN = 4.0
#: Round trip from a user to a terrestrial data center in the same region, s (assumption: a few
#: hundred km of fibre and the metro network, ~5 ms).
GROUND_ROUND_TRIP_S = 5e-3


def _finite(x: float) -> float | None:
    return float(x) if math.isfinite(x) else None


def training_job(
    w: Any,
    n_acc: int,
    n_nodes: int,
    peak_flops: float,
    allreduce_bandwidth_bps: float,
    hop_latency_s: float,
    failures_per_s: float,
    cost_per_accelerator_hour_usd: float,
    gradient_share: float = 1.0,
) -> dict[str, Any]:
    """One training job on ``n_acc`` accelerators in ``n_nodes`` data-parallel nodes.

    The model is sharded (tensor/pipeline) inside a node, data-parallel across nodes: each step
    all-reduces the gradient around the nodes' ring (``gradient_share`` of it per ring when each
    accelerator of a node has its own port, as on the ground). Checkpoints are written by every
    node in parallel at ``checkpoint_bandwidth``.
    """
    mfu = w.mfu if w.mfu is not None else training.DEFAULT_MFU
    flops = float(training.training_flops(w.parameters, w.tokens))
    steps = max(1.0, w.tokens / w.batch_tokens)
    compute_step = float(training.compute_time_s(flops / steps, n_acc, peak_flops, mfu))
    grad = float(training.gradient_bytes(w.parameters, w.bytes_per_parameter))
    comm = float(
        collectives.ring_allreduce_s(
            grad * gradient_share, n_nodes, allreduce_bandwidth_bps, hop_latency_s
        )
    )
    step = float(training.step_time_s(compute_step, comm, w.overlap))
    solve_s = step * steps
    checkpoint_s = (
        CHECKPOINT_BYTES_PER_PARAMETER
        * w.parameters
        / (w.checkpoint_bandwidth_bytes_per_s * n_nodes)
    )
    mtbf = 1.0 / failures_per_s if failures_per_s > 0 else math.inf
    interval = (
        float(training.young_daly_interval_s(checkpoint_s, mtbf))
        if math.isfinite(mtbf)
        else math.inf
    )
    efficiency = (
        float(training.checkpoint_efficiency(interval, checkpoint_s, w.restart_s, mtbf))
        if math.isfinite(mtbf)
        else 1.0
    )
    wall = solve_s / efficiency
    ideal = flops / (n_acc * peak_flops)
    return {
        "accelerators": n_acc,
        "training_flops": flops,
        "mfu": mfu,
        "step_s": step,
        "communication_s_per_step": comm,
        "mtbf_hours": _finite(mtbf / 3600.0),
        "checkpoint_interval_min": _finite(interval / 60.0),
        "checkpoint_efficiency": efficiency,
        "time_to_complete_days": wall / 86400.0,
        "goodput": ideal / wall,
        "cost_per_run_usd": _finite(wall / 3600.0 * n_acc * cost_per_accelerator_hour_usd),
    }


class Replica(NamedTuple):
    """One model replica of an inference service: accelerators its weights need, prefill and
    aggregate decode throughput (tokens/s) and one request's service time, s."""

    accelerators: int
    prefill_tokens_per_s: float
    decode_tokens_per_s: float
    service_s: float


def replica(w: Any, acc: Any) -> Replica:
    """The replica of workload ``w`` on accelerator ``acc``: as many accelerators as the weights
    need (memory), prefill at peak x MFU, decode memory-bound for the batch (roofline)."""
    peak = acc.flops[w.precision]
    mfu = w.mfu if w.mfu is not None else training.DEFAULT_MFU
    per_replica = max(1, math.ceil(w.parameters * w.bytes_per_parameter / acc.memory_bytes))
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
    return Replica(per_replica, prefill, decode, service)


def inference_service(
    w: Any,
    n_acc: int,
    acc: Any,
    network_latency_s: float,
    cost_per_accelerator_hour_usd: float,
) -> dict[str, Any]:
    """One inference service on ``n_acc`` accelerators, its users ``network_latency_s`` away."""
    r = replica(w, acc)
    per_replica, service = r.accelerators, r.service_s
    replicas = n_acc // per_replica
    if replicas < 1:
        return {"replicas": 0, "reason": "the model does not fit the fleet's memory"}
    servers = replicas * w.batch
    capacity = servers / service
    served = min(w.requests_per_second, capacity)
    slo = (
        float(
            inference.slo_attainment(
                w.requests_per_second,
                1.0 / service,
                servers,
                w.latency_target_s - network_latency_s,
            )
        )
        if w.latency_target_s > network_latency_s
        else 0.0
    )
    tokens_per_s = served * (w.tokens_in + w.tokens_out)
    cost_per_s = n_acc * cost_per_accelerator_hour_usd / 3600.0
    return {
        "accelerators_per_replica": per_replica,
        "replicas": replicas,
        "capacity_requests_per_s": capacity,
        "tokens_per_s": tokens_per_s,
        "utilisation": served / capacity,
        "service_s": service,
        "network_latency_ms": network_latency_s * 1e3,
        "slo_attainment": slo,
        "cost_per_million_tokens_usd": _finite(cost_per_s / tokens_per_s * 1e6),
        "bytes_per_day_up_down_tb": served
        * (w.tokens_in + w.tokens_out)
        * BYTES_PER_TOKEN
        * 86400
        / 1e12,
    }


def workload_block(
    spec: Any,
    summary: dict[str, Any],
    acc: Any,
    links: Any | None,
    network_latency_s: float | None,
    fault_rates_per_chip_s: dict[str, float] | None,
    attrition_per_year: float,
) -> list[dict[str, Any]]:
    """``workload{}`` of summary.json: every workload of the spec, in orbit and on the ground.

    ``links`` is the network's one orbit of inter-satellite links (``network.assess.Isl``) or
    None; ``network_latency_s`` the user's median one-way latency to the fleet;
    ``fault_rates_per_chip_s`` the radiation chain's single-event rates per chip;
    ``attrition_per_year`` the economics' in-orbit accelerator failure rate.
    """
    out = []
    fleet = summary["fleet"]
    n_acc = int(fleet["accelerators"])
    orbital = summary["deployment"] == "orbital"
    n_sat = int(fleet["satellites"]) if orbital else 0
    e = summary["economics"]
    ground_cost = e["terrestrial"]["cost_per_accelerator_hour_usd"]
    base_rate = INTERRUPTIONS_PER_ACCELERATOR_YEAR / SECONDS_PER_YEAR
    if links is not None:
        ring_bps, hop_s = links.slowest_link_bps, links.longest_hop_s
    else:
        ring_bps, hop_s = math.inf, 0.0
    for w in spec.workload:
        if w.precision not in acc.flops:
            raise ValueError(
                f"workload {w.name}: precision {w.precision!r} is not one of the accelerator's "
                f"({', '.join(acc.flops)})"
            )
        peak = acc.flops[w.precision]
        row: dict[str, Any] = {"name": w.name, "kind": w.kind}
        # Every single-event kind but silent data corruption stops the job (a crash or an
        # uncorrectable memory error ends the process; Meta 2024 counts HBM faults among the
        # interruptions); a silent corruption does not, and is reported as an expected count.
        rates = fault_rates_per_chip_s or {}
        space_rate = base_rate + attrition_per_year / SECONDS_PER_YEAR
        space_rate += sum(v for k, v in rates.items() if k != "sdc")
        if w.kind == "training":
            if orbital:
                row["space"] = training_job(
                    w,
                    n_acc,
                    max(n_sat, 1),
                    peak,
                    ring_bps,
                    hop_s,
                    n_acc * space_rate,
                    e["cost_per_accelerator_hour_usd"] or math.inf,
                )
                wall_s = row["space"]["time_to_complete_days"] * 86400.0
                row["space"]["silent_corruptions_per_run"] = rates.get("sdc", 0.0) * n_acc * wall_s
            hosts = max(1, n_acc // acc.chips_per_host)
            row["ground"] = training_job(
                w,
                n_acc,
                hosts,
                peak,
                GROUND_FABRIC_BPS,
                GROUND_FABRIC_LATENCY_S,
                n_acc * base_rate,
                ground_cost,
                gradient_share=1.0 / acc.chips_per_host,
            )
        else:
            if orbital:
                row["space"] = inference_service(
                    w,
                    n_acc,
                    acc,
                    2.0 * (network_latency_s or 0.0),
                    e["cost_per_accelerator_hour_usd"] or math.inf,
                )
            row["ground"] = inference_service(w, n_acc, acc, GROUND_ROUND_TRIP_S, ground_cost)
        out.append(row)
    return out
