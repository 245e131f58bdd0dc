"""Inference rooflines, Erlang C and SLO attainment against hand arithmetic, tables and a simulation."""

from __future__ import annotations

from math import factorial

import numpy as np
import pytest

from orbitaldc.workload import inference


def test_decode_roofline_by_hand():
    # H100 SXM, 3.35 TB/s; 70e9 parameters at 2 bytes, batch 1: each token streams 140 GB,
    # 3.35e12 / 140e9 = 23.93 tokens/s.
    rate = inference.decode_tokens_per_s(3.35e12, 70e9, 2.0, 1)
    assert rate == pytest.approx(3.35e12 / 140e9, rel=1e-12)
    assert rate == pytest.approx(24.0, abs=0.1)
    # Batch 64 reads the weights once: 64x the tokens, until the compute roofline of 989e12
    # FLOP/s at 50 %: 989e12 * 0.5 / 140e9 = 3,532 tokens/s caps batch 256 (6,125 memory-bound).
    assert inference.decode_tokens_per_s(3.35e12, 70e9, 2.0, 64) == pytest.approx(64 * rate)
    capped = inference.decode_tokens_per_s(3.35e12, 70e9, 2.0, 256, 989e12, 0.5)
    assert capped == pytest.approx(989e12 * 0.5 / 140e9, rel=1e-12)
    # A 1 GB KV cache per sequence: 8 sequences stream 140 + 8 GB per step.
    kv = inference.decode_tokens_per_s(3.35e12, 70e9, 2.0, 8, kv_cache_bytes_per_sequence=1e9)
    assert kv == pytest.approx(8 * 3.35e12 / 148e9, rel=1e-12)


def test_prefill_and_service_time():
    prefill = inference.prefill_tokens_per_s(989e12, 70e9, 0.5)
    assert prefill == pytest.approx(989e12 * 0.5 / (2 * 70e9), rel=1e-12)
    assert inference.request_service_s(1000, 200, 2000.0, 20.0) == pytest.approx(0.5 + 10.0)


def test_erlang_c_table_values():
    # c = 2, a = 1 erlang: C = (a^2/2! * 2/(2-1)) / (1 + a + a^2/2! * 2/(2-1)) = 1/3.
    assert inference.erlang_c(2, 1.0) == pytest.approx(1 / 3, rel=1e-14)
    # M/M/1: C = rho.
    rho = np.array([0.1, 0.5, 0.9])
    assert inference.erlang_c(1, rho) == pytest.approx(rho, rel=1e-14)
    # Direct sum for c = 10, a = 7, against the recursion (fine at this size).
    c, a = 10, 7.0
    top = a**c / factorial(c) * c / (c - a)
    direct = top / (sum(a**k / factorial(k) for k in range(c)) + top)
    assert inference.erlang_c(c, a) == pytest.approx(direct, rel=1e-12)
    # Unstable queues wait surely; thousands of servers stay finite.
    assert inference.erlang_c(3, [3.0, 5.0]) == pytest.approx([1.0, 1.0])
    assert 0.0 < inference.erlang_c(5000, 4900.0) < 1.0
    # Broadcast over servers.
    assert inference.erlang_c([1, 2], 1.0 / 2) == pytest.approx([0.5, 1 / 10], rel=1e-14)


def test_slo_attainment_mm1_is_exponential_response():
    # M/M/1 response time is exponential at mu - lambda (Kleinrock 1975, sec. 3.2).
    lam, mu, t = 0.6, 1.0, np.array([0.5, 2.0, 10.0])
    assert inference.slo_attainment(lam, mu, 1, t) == pytest.approx(
        1 - np.exp(-(mu - lam) * t), rel=1e-12
    )
    # theta = mu (c = 2, lambda = mu): the limit form, continuous with its neighbours.
    at = inference.slo_attainment(1.0, 1.0, 2, 3.0)
    near = inference.slo_attainment(np.array([1.0 - 1e-6, 1.0 + 1e-6]), 1.0, 2, 3.0)
    assert near == pytest.approx(np.full(2, at), rel=1e-5)
    assert inference.slo_attainment(2.0, 1.0, 2, 3.0) == 0.0  # unstable


def test_slo_attainment_deterministic_service():
    lam, mu, c = 1.5, 1.0, 2
    wait = inference.erlang_c(c, lam / mu)
    # Below the service time no request makes it; above, 1 - C e^{-(c mu - lambda)(t - 1/mu)}.
    assert inference.slo_attainment(lam, mu, c, [0.5, 3.0], "deterministic") == pytest.approx(
        [0.0, 1 - wait * np.exp(-(c * mu - lam) * 2.0)], rel=1e-12
    )
    with pytest.raises(ValueError, match="service"):
        inference.slo_attainment(lam, mu, c, 1.0, "gamma")


def _simulated_responses(lam, mu, c, n, rng):
    """Response times of ``n`` FCFS customers of an M/M/c queue (event by event)."""
    arrivals = np.cumsum(rng.exponential(1 / lam, n))
    services = rng.exponential(1 / mu, n)
    free = np.zeros(c)
    response = np.empty(n)
    for i in range(n):
        k = np.argmin(free)
        start = max(arrivals[i], free[k])
        free[k] = start + services[i]
        response[i] = free[k] - arrivals[i]
    return response


def test_slo_attainment_matches_a_simulation():
    lam, mu, c, target = 1.8, 1.0, 3, 2.0
    response = _simulated_responses(lam, mu, c, 100_000, np.random.default_rng(7))[2_000:]
    simulated = np.mean(response <= target)
    # The samples are correlated through the queue: over 20 seeds this estimate scatters with a
    # standard deviation of 0.0023 at rho = 0.6, so 0.01 is over 4 of them.
    assert inference.slo_attainment(lam, mu, c, target) == pytest.approx(simulated, abs=0.01)


def test_diurnal_rate():
    t = np.arange(0.0, 86400.0, 60.0)
    rate = inference.diurnal_rate(100.0, t, 1.5, 20.0, 0.0)
    assert rate.mean() == pytest.approx(100.0, rel=1e-12)  # whole-day mean
    assert rate.max() == pytest.approx(150.0, rel=1e-12) and rate.min() == pytest.approx(50.0)
    assert t[np.argmax(rate)] == 20 * 3600.0
    # 90 deg east is 6 h ahead: its 20:00 local peak is at 14:00 UTC.
    east = inference.diurnal_rate(100.0, t, 1.5, 20.0, np.pi / 2)
    assert t[np.argmax(east)] == 14 * 3600.0
