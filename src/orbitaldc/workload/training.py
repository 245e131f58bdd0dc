"""One training job, analytically: compute, communication, pipeline bubble, checkpoints, failures.

The chain (:func:`training_time_s`): a dense transformer of ``N`` parameters trained on ``D``
tokens needs ``6 N D`` FLOPs; at a model-FLOPs utilisation (MFU) on ``n`` accelerators that is
the ideal time. Each step adds the gradient communication that compute does not hide; periodic
checkpoints and restarts after exponential failures stretch the failure-free time into the
expected wall time (Daly 2006). Every function broadcasts over numpy arrays; all times in
seconds, FLOPs as counts, FLOP/s per accelerator, bytes, bit/s for links.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

import numpy as np
from numpy.typing import ArrayLike

from orbitaldc.network import collectives

#: FLOPs per parameter per token of a dense transformer, forward (2) plus backward (4) pass.
FLOPS_PER_PARAMETER_TOKEN = 6.0


class MfuFigure(NamedTuple):
    """A published model-FLOPs utilisation (fraction of peak) with where it comes from."""

    mfu: float
    source: str


#: Model-FLOPs utilisation of large published training runs (achieved model FLOP/s over the
#: accelerators' dense peak; rematerialisation not counted as useful work).
MFU_REFERENCE: dict[str, MfuFigure] = {
    "palm-540b-tpu-v4": MfuFigure(
        0.462,
        "PaLM 540B on 6,144 TPU v4: 46.2 % MFU (Chowdhery et al. 2022, arXiv 2204.02311, Table 3)",
    ),
    "llama3-405b-h100-8k": MfuFigure(
        0.43,
        "Llama 3 405B on 8,192 H100, BF16, 8k context: 43 % MFU (Llama Team, Meta 2024, "
        "arXiv 2407.21783, Table 4)",
    ),
    "llama3-405b-h100-16k": MfuFigure(
        0.41,
        "Llama 3 405B on 16,384 H100, BF16, 8k context: 41 % MFU (Meta 2024, arXiv "
        "2407.21783, Table 4)",
    ),
    "llama3-405b-h100-16k-long-context": MfuFigure(
        0.38,
        "Llama 3 405B on 16,384 H100, BF16, 131k context: 38 % MFU (Meta 2024, arXiv "
        "2407.21783, Table 4)",
    ),
}

#: A default MFU for a large dense BF16 run: the middle of Llama 3 405B's 38-43 % on H100.
DEFAULT_MFU = 0.40
DEFAULT_MFU_SOURCE = (
    "0.40: within Llama 3 405B's 38-43 % BF16 MFU on 8,192-16,384 H100 (Meta 2024, arXiv "
    "2407.21783, Table 4), below PaLM 540B's 46.2 % on TPU v4 (arXiv 2204.02311, Table 3)"
)


def training_flops(parameters: ArrayLike, tokens: ArrayLike) -> np.ndarray:
    """Training compute of a dense transformer, ``C = 6 N D`` FLOPs.

    2 FLOPs per parameter per token forward and 4 backward, attention's context-dependent term
    neglected (Kaplan et al. 2020, arXiv 2001.08361, sec. 2.1; Hoffmann et al. 2022,
    arXiv 2203.15556, "Chinchilla", who use the same ``6 N D``).

    Parameters
    ----------
    parameters : number of model parameters ``N``.
    tokens : number of training tokens ``D``.
    """
    return (
        FLOPS_PER_PARAMETER_TOKEN
        * np.asarray(parameters, dtype=float)
        * np.asarray(tokens, dtype=float)
    )


def compute_time_s(
    flops: ArrayLike,
    n_accelerators: ArrayLike,
    peak_flops_per_accelerator: ArrayLike,
    mfu: ArrayLike,
) -> np.ndarray:
    """Time to do ``flops`` on ``n`` accelerators of peak FLOP/s at utilisation ``mfu``, s.

    ``flops / (n peak mfu)``; 0 accelerators give an infinite time.
    """
    rate = (
        np.asarray(n_accelerators, dtype=float)
        * np.asarray(peak_flops_per_accelerator, dtype=float)
        * np.asarray(mfu, dtype=float)
    )
    with np.errstate(divide="ignore"):
        return np.asarray(flops, dtype=float) / rate


def gradient_bytes(parameters: ArrayLike, bytes_per_parameter: ArrayLike) -> np.ndarray:
    """Bytes of one full gradient: ``N`` parameters at ``bytes_per_parameter`` (2 for BF16)."""
    return np.asarray(parameters, dtype=float) * np.asarray(bytes_per_parameter, dtype=float)


def gradient_allreduce_s(
    parameters: ArrayLike,
    bytes_per_parameter: ArrayLike,
    data_parallel: ArrayLike,
    bandwidth_bps: ArrayLike,
    latency_s: ArrayLike,
) -> np.ndarray:
    """Time of one data-parallel gradient all-reduce on a ring, s.

    The gradient (:func:`gradient_bytes`) all-reduced over ``data_parallel`` replicas by the
    ring alpha-beta model of :func:`orbitaldc.network.collectives.ring_allreduce_s`;
    ``bandwidth_bps`` is the ring's slowest link (bit/s), ``latency_s`` the per-hop latency.
    With tensor or pipeline parallelism pass the parameters each replica's rank holds.
    """
    return collectives.ring_allreduce_s(
        gradient_bytes(parameters, bytes_per_parameter), data_parallel, bandwidth_bps, latency_s
    )


def step_time_s(compute_s: ArrayLike, communication_s: ArrayLike, overlap: ArrayLike) -> np.ndarray:
    """One step's time: compute plus the communication compute does not hide, s.

    ``compute + max(0, communication - overlap x compute)``. ``overlap`` in [0, 1] is the
    fraction of the compute time under which communication can run: 0 is fully serial, 1 hides
    up to the whole compute time (the backward pass all-reducing gradient buckets as they are
    ready: Li et al., "PyTorch Distributed", PVLDB 13 (2020) 3005, sec. 3.2.3).
    """
    compute = np.asarray(compute_s, dtype=float)
    hidden = np.asarray(overlap, dtype=float) * compute
    return compute + np.maximum(0.0, np.asarray(communication_s, dtype=float) - hidden)


def pipeline_bubble_fraction(stages: ArrayLike, microbatches: ArrayLike) -> np.ndarray:
    """Idle fraction of a pipeline step, ``(p - 1) / (m + p - 1)``.

    ``p`` stages and ``m`` micro-batches per step with a fill-and-drain (GPipe) schedule
    (Huang et al., "GPipe", NeurIPS 2019, sec. 2.3). Dividing the compute time by
    ``1 - bubble`` gives the pipelined step's compute time.
    """
    p = np.asarray(stages, dtype=float)
    return (p - 1.0) / (np.asarray(microbatches, dtype=float) + p - 1.0)


def system_mtbf_s(component_mtbf_s: ArrayLike, n_components: ArrayLike) -> np.ndarray:
    """Mean time between failures of ``n`` components any of which stops the job, s.

    Independent exponential failures add their rates: ``M / n``.
    """
    with np.errstate(divide="ignore"):
        return np.asarray(component_mtbf_s, dtype=float) / np.asarray(n_components, dtype=float)


def young_daly_interval_s(checkpoint_s: ArrayLike, mtbf_s: ArrayLike) -> np.ndarray:
    """Young's first-order optimum compute time between checkpoints, ``sqrt(2 C M)``, s.

    Young, "A first order approximation to the optimum checkpoint interval", Commun. ACM 17
    (1974) 530. ``C`` is the time to write a checkpoint, ``M`` the job's MTBF.
    """
    return np.sqrt(2.0 * np.asarray(checkpoint_s, dtype=float) * np.asarray(mtbf_s, dtype=float))


def daly_interval_s(checkpoint_s: ArrayLike, mtbf_s: ArrayLike) -> np.ndarray:
    """Daly's higher-order optimum compute time between checkpoints, s.

    ``sqrt(2 C M) [1 + sqrt(C / 2M) / 3 + (C / 2M) / 9] - C`` for ``C < 2 M``, else ``M``
    (Daly, "A higher order estimate of the optimum checkpoint interval for restart dumps",
    Future Gener. Comput. Syst. 22 (2006) 303, its perturbation solution). Minimises
    :func:`checkpoint_efficiency`'s wall time to within a fraction of a percent.
    """
    c = np.asarray(checkpoint_s, dtype=float)
    m = np.asarray(mtbf_s, dtype=float)
    x = c / (2.0 * m)
    series = np.sqrt(2.0 * c * m) * (1.0 + np.sqrt(x) / 3.0 + x / 9.0) - c
    return np.where(c < 2.0 * m, series, m)


def checkpoint_efficiency(
    interval_s: ArrayLike, checkpoint_s: ArrayLike, restart_s: ArrayLike, mtbf_s: ArrayLike
) -> np.ndarray:
    """Expected fraction of wall time that is useful work, with checkpoints and failures.

    Exact for exponential failures (rate ``1/M``) that can strike during work, checkpoint
    writes and restarts alike: each segment of ``tau`` of work plus a checkpoint ``C`` is
    repeated, after a restart ``R``, until it runs through without a failure. The expected
    time per segment is ``M e^{R/M} (e^{(tau+C)/M} - 1)`` (Daly 2006, FGCS 22, 303, whose
    wall time is ``T_w = M e^{R/M} (e^{(tau+C)/M} - 1) T_s / tau``), so the efficiency is
    ``T_s / T_w = tau / (M e^{R/M} (e^{(tau+C)/M} - 1))``. Without failures (``M`` infinite)
    it is ``tau / (tau + C)``; never checkpointing (``tau`` infinite) gives 1 without failures
    and 0 with them. The last, partial segment is not treated apart.

    Parameters
    ----------
    interval_s : compute time between checkpoints ``tau``, s (e.g. :func:`daly_interval_s`).
    checkpoint_s : time to write one checkpoint ``C``, s.
    restart_s : time from a failure to resuming from the last checkpoint ``R``, s.
    mtbf_s : the job's mean time between failures ``M``, s (``inf`` for none).
    """
    tau = np.asarray(interval_s, dtype=float)
    segment = tau + np.asarray(checkpoint_s, dtype=float)
    rate = 1.0 / np.asarray(mtbf_s, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        expected = (
            np.exp(rate * np.asarray(restart_s, dtype=float)) * np.expm1(rate * segment) / rate
        )
        efficiency = tau / np.where(rate > 0.0, expected, segment)
    return np.where(np.isinf(tau), np.where(rate > 0.0, 0.0, 1.0), efficiency)


@dataclass(frozen=True)
class TrainingTime:
    """One training job's times (s) and efficiencies; arrays broadcast like the inputs."""

    #: Compute time at the stated MFU, without communication or failures.
    ideal_s: np.ndarray
    #: One step: compute plus the communication not hidden.
    step_s: np.ndarray
    #: Compute time between checkpoints.
    interval_s: np.ndarray
    #: Useful fraction of wall time under checkpoints and failures.
    efficiency: np.ndarray
    #: Expected wall time to completion.
    wall_s: np.ndarray
    #: ``ideal_s / wall_s``: the fraction of the wall time doing model FLOPs at the stated MFU.
    goodput: np.ndarray


def training_time_s(
    total_flops: ArrayLike,
    n_accelerators: ArrayLike,
    peak_flops: ArrayLike,
    mfu: ArrayLike,
    communication_s_per_step: ArrayLike,
    steps: ArrayLike,
    overlap: ArrayLike,
    checkpoint_s: ArrayLike,
    restart_s: ArrayLike,
    mtbf_s: ArrayLike,
    interval_s: ArrayLike | None = None,
) -> TrainingTime:
    """The whole chain for one job: ideal time, step time, checkpoints and failures.

    The ideal time is ``total_flops`` at ``mfu`` of ``peak_flops`` (FLOP/s per accelerator) on
    ``n_accelerators`` (:func:`compute_time_s`), split into ``steps`` equal steps, each
    lengthened by the communication not hidden (:func:`step_time_s`). The failure-free time
    ``steps x step_s`` is divided by :func:`checkpoint_efficiency` at ``interval_s`` (by
    default Daly's optimum, :func:`daly_interval_s`) for the expected wall time. ``mtbf_s`` is
    the whole job's MTBF (:func:`system_mtbf_s`); ``inf`` for no failures.
    """
    ideal = compute_time_s(total_flops, n_accelerators, peak_flops, mfu)
    step = step_time_s(ideal / np.asarray(steps, dtype=float), communication_s_per_step, overlap)
    interval = (
        daly_interval_s(checkpoint_s, mtbf_s)
        if interval_s is None
        else np.asarray(interval_s, dtype=float)
    )
    efficiency = checkpoint_efficiency(interval, checkpoint_s, restart_s, mtbf_s)
    wall = np.asarray(steps, dtype=float) * step / efficiency
    return TrainingTime(
        ideal_s=ideal,
        step_s=step,
        interval_s=interval,
        efficiency=efficiency,
        wall_s=wall,
        goodput=ideal / wall,
    )
