"""Serving a model: prefill and decode rooflines, request service time, M/M/c queueing, demand.

Throughputs are per accelerator (or per model replica, with that replica's totals) in tokens/s;
times in seconds; rates in requests/s. Every function broadcasts over numpy arrays.
"""

from __future__ import annotations

import numba
import numpy as np
from numpy.typing import ArrayLike

#: FLOPs per parameter per token of a dense transformer's forward pass (a multiply and an add).
FORWARD_FLOPS_PER_PARAMETER_TOKEN = 2.0
SECONDS_PER_HOUR = 3600.0


def prefill_tokens_per_s(
    peak_flops: ArrayLike, parameters: ArrayLike, mfu: ArrayLike
) -> np.ndarray:
    """Prompt (prefill) throughput, compute-bound: ``peak x mfu / (2 N)`` tokens/s.

    A forward pass costs ``2 N`` FLOPs per token (Kaplan et al. 2020, arXiv 2001.08361,
    sec. 2.1); prefill processes the prompt's tokens in parallel, so it runs at the compute
    roofline (Pope et al., "Efficiently Scaling Transformer Inference", MLSys 2023).
    ``peak_flops`` in FLOP/s at the serving precision, ``mfu`` the fraction of it achieved.
    """
    return (
        np.asarray(peak_flops, dtype=float)
        * np.asarray(mfu, dtype=float)
        / (FORWARD_FLOPS_PER_PARAMETER_TOKEN * np.asarray(parameters, dtype=float))
    )


def decode_tokens_per_s(
    memory_bandwidth_bytes_per_s: ArrayLike,
    parameters: ArrayLike,
    bytes_per_parameter: ArrayLike,
    batch: ArrayLike,
    peak_flops: ArrayLike = np.inf,
    mfu: ArrayLike = 1.0,
    kv_cache_bytes_per_sequence: ArrayLike = 0.0,
) -> np.ndarray:
    """Aggregate decode throughput of a batch, tokens/s: the memory roofline, capped by compute.

    Each decode step generates one token for each of the ``batch`` sequences and streams the
    weights (``N x bytes_per_parameter``) once for the whole batch, plus each sequence's KV
    cache: ``batch x B / (N b + batch x kv)`` tokens/s (Pope et al., MLSys 2023).
    It cannot exceed the compute roofline :func:`prefill_tokens_per_s`
    (``peak_flops x mfu / (2 N)``), which large batches reach. The KV cache reads are ignored
    with ``kv_cache_bytes_per_sequence = 0`` (short contexts); one sequence's rate is the
    result over ``batch``.

    Parameters
    ----------
    memory_bandwidth_bytes_per_s : accelerator memory bandwidth, bytes/s (H100 SXM: 3.35e12).
    parameters : model parameters ``N`` held by these accelerators.
    bytes_per_parameter : 2 for BF16/FP16 weights, 1 for FP8/INT8.
    batch : concurrent sequences decoded together.
    peak_flops : dense peak FLOP/s at the serving precision (default: no compute cap).
    mfu : fraction of ``peak_flops`` achieved.
    kv_cache_bytes_per_sequence : KV-cache bytes read per sequence per step.
    """
    b = np.asarray(batch, dtype=float)
    streamed = weight_bytes(parameters, bytes_per_parameter) + b * np.asarray(
        kv_cache_bytes_per_sequence, dtype=float
    )
    memory_bound = b * np.asarray(memory_bandwidth_bytes_per_s, dtype=float) / streamed
    return np.minimum(memory_bound, prefill_tokens_per_s(peak_flops, parameters, mfu))


def weight_bytes(parameters: ArrayLike, bytes_per_parameter: ArrayLike) -> np.ndarray:
    """Bytes of the model weights, ``N x bytes_per_parameter``."""
    return np.asarray(parameters, dtype=float) * np.asarray(bytes_per_parameter, dtype=float)


def request_service_s(
    tokens_in: ArrayLike, tokens_out: ArrayLike, prefill_rate: ArrayLike, decode_rate: ArrayLike
) -> np.ndarray:
    """Time to serve one request: its prompt at the prefill rate, its output at the decode rate, s.

    ``tokens_in / prefill_rate + tokens_out / decode_rate``; ``decode_rate`` is the rate of one
    sequence (tokens/s: a batch's :func:`decode_tokens_per_s` over the batch size).
    """
    return np.asarray(tokens_in, dtype=float) / np.asarray(prefill_rate, dtype=float) + np.asarray(
        tokens_out, dtype=float
    ) / np.asarray(decode_rate, dtype=float)


@numba.njit(cache=True)
def _erlang_b(c: np.ndarray, a: np.ndarray) -> np.ndarray:  # pragma: no cover - compiled
    """Erlang B by the recursion of :func:`erlang_c`, element by element."""
    out = np.empty(a.size)
    for i in range(a.size):
        b = 1.0
        for k in range(1, c[i] + 1):
            b = a[i] * b / (k + a[i] * b)
        out[i] = b
    return out


def erlang_c(servers: ArrayLike, offered_load: ArrayLike) -> np.ndarray:
    """Probability that an arrival waits in an M/M/c queue (Erlang C).

    ``offered_load`` ``a = lambda / mu`` in erlangs on ``c`` servers. Computed through the
    Erlang B recursion ``B_0 = 1``, ``B_k = a B_{k-1} / (k + a B_{k-1})``, which never forms
    ``a^c / c!`` and so stays finite for thousands of servers, then
    ``C = c B_c / (c - a (1 - B_c))`` (Kleinrock, Queueing Systems vol. 1, 1975, sec. 3.5;
    the recursion as in Jagerman, Bell Syst. Tech. J. 53 (1974) 525). 1 when ``a >= c``
    (an unstable queue: everyone waits).
    """
    c, a = np.broadcast_arrays(
        np.asarray(servers, dtype=np.int64), np.asarray(offered_load, dtype=float)
    )
    b = _erlang_b(np.ascontiguousarray(c).ravel(), np.ascontiguousarray(a).ravel()).reshape(a.shape)
    with np.errstate(divide="ignore", invalid="ignore"):
        waiting = c * b / (c - a * (1.0 - b))
    return np.where(a < c, waiting, 1.0)


def wait_exceedance(
    t_s: ArrayLike, arrival_rate: ArrayLike, service_rate: ArrayLike, servers: ArrayLike
) -> np.ndarray:
    """``P(W > t)`` for the queueing delay of an M/M/c FCFS queue: ``C e^{-(c mu - lambda) t}``.

    ``C`` from :func:`erlang_c`; rates in 1/s, ``t_s`` >= 0 in s (Kleinrock 1975, sec. 3.5).
    """
    lam = np.asarray(arrival_rate, dtype=float)
    mu = np.asarray(service_rate, dtype=float)
    c = np.asarray(servers)
    theta = c * mu - lam
    return erlang_c(c, lam / mu) * np.exp(-np.maximum(theta, 0.0) * np.asarray(t_s, dtype=float))


def slo_attainment(
    arrival_rate: ArrayLike,
    service_rate: ArrayLike,
    servers: ArrayLike,
    latency_target_s: ArrayLike,
    service: str = "exponential",
) -> np.ndarray:
    """Fraction of requests whose response (wait + service) is within ``latency_target_s``.

    The wait is M/M/c's (:func:`wait_exceedance`): no wait with probability ``1 - C``, else
    exponential at ``theta = c mu - lambda``. ``service`` says the service time:

    - ``"exponential"`` (exact M/M/c): ``P(R > t) = (1 - C) e^{-mu t} + C (mu e^{-theta t} -
      theta e^{-mu t}) / (mu - theta)`` (the wait and the request's own service are
      independent; ``(1 + mu t) e^{-mu t}`` in the limit ``theta = mu``). For ``c = 1`` it is
      ``e^{-(mu - lambda) t}``.
    - ``"deterministic"``: every request takes ``1 / mu``; ``P(R <= t) = 1 - P(W > t - 1/mu)``
      with the M/M/c wait, an approximation that overstates the wait of the true M/D/c queue
      (its waits are shorter), so the attainment is conservative.

    An unstable queue (``lambda >= c mu``) attains 0.
    """
    lam = np.asarray(arrival_rate, dtype=float)
    mu = np.asarray(service_rate, dtype=float)
    c = np.asarray(servers)
    t = np.asarray(latency_target_s, dtype=float)
    theta = c * mu - lam
    stable = theta > 0.0
    if service == "deterministic":
        slack = t - 1.0 / mu
        within = np.where(
            slack >= 0.0, 1.0 - wait_exceedance(np.maximum(slack, 0.0), lam, mu, c), 0.0
        )
    elif service == "exponential":
        waits = erlang_c(c, lam / mu)
        th = np.where(stable, theta, 1.0)
        gap = mu - th
        near = np.abs(gap) <= 1e-9 * mu
        with np.errstate(divide="ignore", invalid="ignore"):
            hypo = np.where(
                near,
                (1.0 + mu * t) * np.exp(-mu * t),
                (mu * np.exp(-th * t) - th * np.exp(-mu * t)) / np.where(near, 1.0, gap),
            )
        within = 1.0 - ((1.0 - waits) * np.exp(-mu * t) + waits * hypo)
    else:
        raise ValueError(f"service = {service!r}: use 'exponential' or 'deterministic'")
    return np.where(stable, within, 0.0)


def diurnal_rate(
    mean_rate: ArrayLike,
    t_s: ArrayLike,
    peak_to_mean: ArrayLike,
    peak_hour_local: ArrayLike,
    longitude_rad: ArrayLike,
) -> np.ndarray:
    """A daily request-rate profile: a sinusoid over local solar time (an assumption), 1/s.

    ``mean x (1 + (peak_to_mean - 1) cos(2 pi (h - peak_hour) / 24))``, ``h`` the local mean
    solar hour at ``longitude_rad`` (east positive) for ``t_s`` seconds after 00:00 UTC. The
    daily mean is ``mean_rate``; the peak, ``peak_to_mean x mean``, falls at
    ``peak_hour_local``; the trough is ``(2 - peak_to_mean) x mean``, so ``peak_to_mean`` in
    [1, 2] keeps the rate non-negative. Real traffic has sharper peaks and weekly cycles; this
    is a first-order stand-in, not a fitted profile.
    """
    hour = (
        np.asarray(t_s, dtype=float) / SECONDS_PER_HOUR
        + np.asarray(longitude_rad, dtype=float) * 12.0 / np.pi
    )
    phase = 2.0 * np.pi * (hour - np.asarray(peak_hour_local, dtype=float)) / 24.0
    return np.asarray(mean_rate, dtype=float) * (
        1.0 + (np.asarray(peak_to_mean, dtype=float) - 1.0) * np.cos(phase)
    )
