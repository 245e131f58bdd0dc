"""All-reduce times against the closed forms, their limits, and the algorithm run step by step."""

from __future__ import annotations

import numpy as np
import pytest

from orbitaldc.network import collectives


def _ring_allreduce_by_steps(data: np.ndarray) -> tuple[np.ndarray, int, float]:
    """Run ring reduce-scatter + all-gather on ``data`` (rank, element).

    Returns every rank's result, the number of sequential steps and the elements each rank sends
    in sequence (the same at every step): the independent reference for the closed form.
    """
    p, n = data.shape
    blocks = np.array_split(np.arange(n), p)
    buf = data.astype(float).copy()
    steps, sent = 0, 0.0
    for step in range(p - 1):  # reduce-scatter: rank r sends block (r - step) to rank r + 1
        outgoing = [buf[r, blocks[(r - step) % p]].copy() for r in range(p)]
        for r in range(p):
            buf[(r + 1) % p, blocks[(r - step) % p]] += outgoing[r]
        steps, sent = steps + 1, sent + max(len(b) for b in blocks)
    for step in range(p - 1):  # all-gather: rank r passes on its complete block (r + 1 - step)
        outgoing = [buf[r, blocks[(r + 1 - step) % p]].copy() for r in range(p)]
        for r in range(p):
            buf[(r + 1) % p, blocks[(r + 1 - step) % p]] = outgoing[r]
        steps, sent = steps + 1, sent + max(len(b) for b in blocks)
    return buf, steps, sent


@pytest.mark.parametrize("p", [2, 3, 5, 8])
def test_ring_allreduce_matches_the_algorithm(p):
    # The ring really all-reduces (every rank ends with the sum), in 2 (p-1) steps of n/p
    # elements: the closed form must equal steps x alpha + elements sent x 8 bytes / B exactly
    # (n divisible by p, so the blocks are equal; 1e-12 is float rounding).
    rng = np.random.default_rng(p)
    n = 8 * p * 3
    data = rng.normal(size=(p, n))
    result, steps, sent = _ring_allreduce_by_steps(data)
    np.testing.assert_allclose(result, np.broadcast_to(data.sum(axis=0), (p, n)), rtol=1e-12)
    alpha, bandwidth = 2e-6, 1e11
    reference = steps * alpha + sent * 8 * 8 / bandwidth  # float64 elements, 8 bytes each
    closed = collectives.ring_allreduce_s(n * 8, p, bandwidth, alpha)
    assert closed == pytest.approx(reference, rel=1e-12)


def test_ring_allreduce_limits():
    # One rank: nothing to send, even with every link down.
    assert collectives.ring_allreduce_s(1e9, 1, 0.0, 1e-3) == 0.0
    # Bandwidth-bound: alpha = 0, time -> 2 n / B as p grows (exactly 2 (p-1)/p n / B).
    p = np.array([2, 16, 1024, 10**6])
    t = collectives.ring_allreduce_s(1e9, p, 1e12, 0.0)
    np.testing.assert_allclose(t, 2 * (p - 1) / p * 8e9 / 1e12, rtol=1e-12)
    assert t[-1] == pytest.approx(2 * 8e9 / 1e12, rel=1e-5)
    # Latency-bound: a zero-byte all-reduce takes 2 (p-1) alpha.
    assert collectives.ring_allreduce_s(0.0, 81, 1e12, 1e-6) == pytest.approx(160e-6)
    # A link down (B = 0) stalls the ring.
    assert np.isinf(collectives.ring_allreduce_s(1e9, 4, 0.0, 1e-6))


def test_allreduce_vectorised_over_a_bandwidth_series():
    # A (link, time) capacity table: the ring runs at its slowest link at each time, and the
    # series equals the scalar call at each time.
    capacity = np.array([[9.6e12, 9.6e12, 2.4e12], [4.8e12, 9.6e12, 9.6e12], [9.6e12, 0.0, 9.6e12]])
    bandwidth = collectives.ring_bandwidth_bps(capacity)
    np.testing.assert_array_equal(bandwidth, [4.8e12, 0.0, 2.4e12])
    series = collectives.ring_allreduce_s(1e9, 3, bandwidth, 1e-6)
    for k in range(3):
        assert series[k] == collectives.ring_allreduce_s(1e9, 3, bandwidth[k], 1e-6)


def test_torus_allreduce_closed_form_and_limits():
    n, alpha, bx, by = 1e9, 1e-6, 9.6e12, 4.8e12
    # Closed form (Mikami et al. 2018): x ring on n, y ring on n / n_x.
    t = collectives.torus2d_allreduce_s(n, 9, 9, bx, by, alpha)
    expected = 2 * 8 * alpha + 2 * 8 / 9 * 8 * n / bx + 2 * 8 * alpha + 2 * 8 / 9 * 8 * n / 9 / by
    assert t == pytest.approx(expected, rel=1e-12)
    # One row is the ring; a 1 x 1 torus is free.
    assert collectives.torus2d_allreduce_s(n, 8, 1, bx, 0.0, alpha) == pytest.approx(
        collectives.ring_allreduce_s(n, 8, bx, alpha), rel=1e-12
    )
    assert collectives.torus2d_allreduce_s(n, 1, 1, 0.0, 0.0, alpha) == 0.0
    # With one bandwidth for both dimensions the torus moves the same bytes per rank as a
    # single ring of 81, within the extra (1 + 1/n_x) / (1 + 1/p) of its second phase, in far
    # fewer latency steps: 32 against 160.
    torus = collectives.torus2d_allreduce_s(n, 9, 9, bx, bx, 0.0)
    ring = collectives.ring_allreduce_s(n, 81, bx, 0.0)
    assert torus / ring == pytest.approx((8 / 9) * (1 + 1 / 9) / (80 / 81), rel=1e-12)
    assert collectives.torus2d_allreduce_s(0.0, 9, 9, bx, bx, alpha) == pytest.approx(32 * alpha)
