"""The training chain against published figures, closed forms and a Monte-Carlo of failures."""

from __future__ import annotations

import numpy as np
import pytest

from orbitaldc.network import collectives
from orbitaldc.workload import training


def test_six_n_d_for_chinchilla():
    # Chinchilla: 70e9 parameters on 1.4e12 tokens (Hoffmann et al. 2022, arXiv 2203.15556).
    # 6 N D = 5.88e23 exactly; their Table 3 lists 5.76e23 FLOPs from a finer per-layer count
    # (their Appendix F), 2 % below: the 6 N D convention is what we implement.
    assert training.training_flops(70e9, 1.4e12) == pytest.approx(5.88e23, rel=1e-12)
    assert training.training_flops(70e9, 1.4e12) == pytest.approx(5.76e23, rel=0.025)


def test_compute_time_at_the_stated_mfu():
    # Hand arithmetic: 5.88e23 FLOPs on 1,000 accelerators of 989e12 FLOP/s at 40 % MFU.
    expected = 5.88e23 / (1000 * 989e12 * 0.40)
    assert training.compute_time_s(5.88e23, 1000, 989e12, training.DEFAULT_MFU) == pytest.approx(
        expected, rel=1e-12
    )
    assert np.isinf(training.compute_time_s(1.0, 0, 989e12, 0.4))


def test_mfu_reference_figures_are_sourced_fractions():
    assert training.MFU_REFERENCE["palm-540b-tpu-v4"].mfu == 0.462
    for figure in training.MFU_REFERENCE.values():
        assert 0.3 < figure.mfu < 0.5 and "arXiv" in figure.source
    assert "2407.21783" in training.DEFAULT_MFU_SOURCE


def test_gradient_allreduce_reuses_the_ring_model():
    # 8e9 parameters of BF16 gradient on 16 replicas over 100 Gbit/s links with 1 ms hops: the
    # closed form 2 (p-1) alpha + 2 (p-1)/p 8 n / B by hand, and the collectives function.
    n = 8e9 * 2.0
    by_hand = 2 * 15 * 1e-3 + 2 * 15 / 16 * 8 * n / 100e9
    t = training.gradient_allreduce_s(8e9, 2.0, 16, 100e9, 1e-3)
    assert t == pytest.approx(by_hand, rel=1e-12)
    assert t == collectives.ring_allreduce_s(n, 16, 100e9, 1e-3)
    assert training.gradient_bytes(8e9, 2.0) == n


def test_step_time_hides_communication_up_to_the_overlap():
    compute, comm = np.array(10.0), np.array([0.0, 4.0, 8.0, 20.0])
    assert np.array_equal(training.step_time_s(compute, comm, 0.0), 10.0 + comm)
    assert np.array_equal(training.step_time_s(compute, comm, 0.5), [10.0, 10.0, 13.0, 25.0])
    assert np.array_equal(training.step_time_s(compute, comm, 1.0), [10.0, 10.0, 10.0, 20.0])


def test_gpipe_bubble():
    # Huang et al. 2019: (p-1)/(m+p-1); 4 stages, 4 micro-batches -> 3/7; 1 stage -> no bubble.
    assert training.pipeline_bubble_fraction(4, 4) == pytest.approx(3 / 7, rel=1e-15)
    assert training.pipeline_bubble_fraction(1, 8) == 0.0
    assert training.pipeline_bubble_fraction(8, [8, 64]) == pytest.approx([7 / 15, 7 / 71])


def test_young_and_daly_intervals():
    c, m = 300.0, 86400.0
    assert training.young_daly_interval_s(c, m) == pytest.approx(np.sqrt(2 * c * m), rel=1e-15)
    x = c / (2 * m)
    daly = np.sqrt(2 * c * m) * (1 + np.sqrt(x) / 3 + x / 9) - c
    assert training.daly_interval_s(c, m) == pytest.approx(daly, rel=1e-15)
    assert training.daly_interval_s(3.0 * m, m) == m  # C >= 2M: checkpoint once per MTBF


def test_daly_interval_is_near_the_exact_optimum():
    # Daly's interval should minimise the exact wall time (max efficiency) to well within 1 %
    # for C << M: scan intervals around it.
    c, r, m = 300.0, 600.0, 4 * 3600.0
    taus = np.linspace(500.0, 10000.0, 20001)
    best = training.checkpoint_efficiency(taus, c, r, m).max()
    at_daly = training.checkpoint_efficiency(training.daly_interval_s(c, m), c, r, m)
    assert best - at_daly < 1e-4 * best


def test_checkpoint_efficiency_limits():
    tau, c = np.array([600.0, 3600.0]), 120.0
    # No failures: only the checkpoint writes are lost, tau / (tau + C) = 1 - C / (tau + C).
    no_fail = training.checkpoint_efficiency(tau, c, 600.0, np.inf)
    assert no_fail == pytest.approx(1 - c / (tau + c), rel=1e-15)
    # A huge MTBF tends to the same (first order in (tau + C)/M), never checkpointing gives 1
    # without failures and 0 with them.
    assert training.checkpoint_efficiency(tau, c, 600.0, 1e15) == pytest.approx(no_fail, rel=1e-9)
    assert training.checkpoint_efficiency(np.inf, c, 600.0, np.inf) == 1.0
    assert training.checkpoint_efficiency(np.inf, c, 600.0, 3600.0) == 0.0


def _simulated_efficiency(tau, c, r, m, segments, rng):
    """Work / wall time of ``segments`` segments (tau of work, then a C-long checkpoint) under
    exponential failures of mean ``m`` that strike anywhere, including during restarts."""
    need = np.full(segments, tau + c)  # the first attempt of each segment
    wall = np.zeros(segments)
    active = np.ones(segments, dtype=bool)
    while active.any():
        failure = rng.exponential(m, active.sum())
        done = failure >= need[active]
        idx = np.flatnonzero(active)
        wall[idx] += np.where(done, need[active], failure)
        need[idx[~done]] = r + tau + c  # restart, then the whole segment again
        active[idx[done]] = False
    return tau * segments / wall.sum(), wall


def test_checkpoint_efficiency_matches_a_monte_carlo():
    tau, c, r, m = 1800.0, 300.0, 600.0, 3600.0
    efficiency, wall = _simulated_efficiency(tau, c, r, m, 200_000, np.random.default_rng(13))
    # 4 standard errors of the mean wall time per segment (the estimator's relative error is
    # that of the mean wall time): a false failure 1 time in 16,000.
    rel_err = 4 * wall.std() / np.sqrt(wall.size) / wall.mean()
    assert training.checkpoint_efficiency(tau, c, r, m) == pytest.approx(efficiency, rel=rel_err)


def test_training_time_chain():
    flops = training.training_flops(70e9, 1.4e12)
    comm = 2.0
    # No failures, full overlap of a short all-reduce: the wall time is the ideal time over
    # the checkpoint efficiency tau / (tau + C).
    steps, ckpt, tau = 100_000, 60.0, 3600.0
    t = training.training_time_s(
        flops, 1024, 989e12, 0.4, comm, steps, 1.0, ckpt, 300.0, np.inf, interval_s=tau
    )
    ideal = flops / (1024 * 989e12 * 0.4)
    assert t.ideal_s == pytest.approx(ideal, rel=1e-12)
    assert t.step_s == pytest.approx(ideal / steps, rel=1e-12)  # comm (2 s) < compute (~14 s)
    assert t.wall_s == pytest.approx(ideal * (tau + ckpt) / tau, rel=1e-12)
    assert t.goodput == pytest.approx(tau / (tau + ckpt), rel=1e-12)
    # With failures at the job's MTBF (50,000 h per accelerator over 1,024) and no overlap, the
    # default interval is Daly's and each factor is the one of its function.
    mtbf = training.system_mtbf_s(50_000 * 3600.0, 1024)
    t = training.training_time_s(flops, 1024, 989e12, 0.4, comm, steps, 0.0, ckpt, 300.0, mtbf)
    assert t.interval_s == training.daly_interval_s(ckpt, mtbf)
    assert t.step_s == pytest.approx(ideal / steps + comm, rel=1e-12)
    eff = training.checkpoint_efficiency(t.interval_s, ckpt, 300.0, mtbf)
    assert t.wall_s == pytest.approx(steps * t.step_s / eff, rel=1e-12)
    assert t.goodput == pytest.approx(ideal / t.wall_s, rel=1e-12)
    assert 0.8 < t.goodput < 1.0
