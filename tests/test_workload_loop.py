"""The workload time loop on the twin (docs/workloads.md, "Execution"): checkpoint/restart against
Young-Daly's formula, a fault-free fleet against the analytic step time, stragglers, re-sharding,
the scheduler's policies, determinism and resume."""

from __future__ import annotations

import json
import math
import tomllib
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from orbitaldc import api, catalog
from orbitaldc.cli import app
from orbitaldc.report.workload_report import WorkloadStore
from orbitaldc.spec import parse_spec
from orbitaldc.workload import execution, jobs, parallelism, scheduler, training
from orbitaldc.workload import plan as workload_plan

ROOT = Path(__file__).resolve().parents[1]
DAY = 86400.0


def _spec(workloads: list[dict], **changes: dict) -> object:
    data = tomllib.loads((ROOT / "scenarios" / "suncatcher-81.toml").read_text())
    data["workload"] = workloads
    for section, values in changes.items():
        data.setdefault(section, {}).update(values)
    return parse_spec(data)


TRAIN = {
    "kind": "training",
    "name": "t",
    "parameters": 8e9,
    "tokens": 1e12,
    "overlap": 0.0,
    "satellites": 81,
}
SERVE = {
    "kind": "inference",
    "name": "s",
    "parameters": 8e9,
    "requests_per_second": 20,
    "latency_target": "10 s",
}


def _job_plan(interval_s: float, checkpoint_s: float, restart_s: float) -> jobs.JobPlan:
    lay = parallelism.Layout(1, 1, 1, 1, 1, 4096)
    return jobs.JobPlan(
        0,
        "j",
        lay,
        np.zeros(1, np.int64),
        np.zeros(0, np.int64),
        1,
        1e9,
        math.inf,
        1.0,
        1.0,
        0.0,
        0.0,
        0.0,
        checkpoint_s,
        restart_s,
        interval_s,
        math.inf,
        "wait",
        1.0,
        1.0,
    )


def test_checkpoint_restart_loop_matches_the_young_daly_efficiency():
    # Daly 2006 (FGCS 22, 303): with exponential failures of mean M striking work, checkpoints
    # and restarts alike, the useful fraction of wall time is tau / (M e^{R/M}
    # (e^{(tau+C)/M} - 1)) (training.checkpoint_efficiency). The loop's state machine, fed
    # Poisson interruptions at 10 s resolution for 4,000 MTBFs, must reproduce it. Over five
    # seeds the loop gave 0.6975-0.7047 against 0.7018 (standard deviation 0.3 %); the 10 s
    # resolution biases the lost work by < 5 s per failure (< 0.1 %). Tolerance 1.5 % (~4 sigma).
    m, c, r = 3600.0, 120.0, 300.0
    tau = float(training.young_daly_interval_s(c, m))
    jp = _job_plan(tau, c, r)
    dt, n = 10.0, int(4000 * m / 10.0)
    rng = np.random.default_rng(11)
    failures = np.cumsum(rng.exponential(m, 6000))
    failures = failures[failures < n * dt]
    job = np.zeros(len(jobs.JOB_STATE))
    events: list[list[float]] = []
    steps = np.ones(n)  # one token per second of useful work
    jobs.advance_job(job, steps, dt, 0.0, (failures // dt).astype(np.int64), jp, math.inf, events)
    measured = job[jobs.J["busy_s"]] / (n * dt) - (job[jobs.J["lost_tokens"]] / (n * dt))
    expected = float(training.checkpoint_efficiency(tau, c, r, m))
    assert job[jobs.J["interruptions"]] == failures.size > 3000
    assert measured == pytest.approx(expected, rel=0.015)
    # and the committed work is what was kept: tokens = busy time - lost work
    assert job[jobs.J["tokens"]] == pytest.approx(
        job[jobs.J["busy_s"]] - job[jobs.J["lost_tokens"]], rel=1e-9
    )


def test_without_failures_the_loop_checkpoints_never_and_finishes_on_time():
    # A fault-free job of known step time: exactly tokens / batch steps, finishing at
    # steps x step_s (continuous progress), with no checkpoint at an infinite interval.
    jp = _job_plan(math.inf, 60.0, 60.0)
    job = np.zeros(len(jobs.JOB_STATE))
    events: list[list[float]] = []
    jobs.advance_job(job, np.full(100, 2.5), 10.0, 0.0, np.zeros(0, np.int64), jp, 300.0, events)
    assert job[jobs.J["phase"]] == jobs.DONE
    assert job[jobs.J["finished_s"]] == pytest.approx(300.0 * 2.5)
    assert job[jobs.J["checkpoints"]] == 0


@pytest.fixture(scope="module")
def fault_free():
    spec = _spec([TRAIN])
    run = api.run_workloads(spec, DAY, 60.0, baseline="none", radiation=False)
    plan = workload_plan.plan(spec, run.plans["aware"].twin, 0.0, "aware")
    states = [c.resume_state for c in execution.run_chunks(plan)]
    return spec, plan, states[-1]


def test_a_fault_free_fleet_reaches_the_analytic_step_time(fault_free):
    # No faults, no attrition, a dawn-dusk orbit in January (no eclipse): every member delivers
    # its whole nameplate, so the loop's step is the analytic one: 6 N B / (n peak mfu) plus the
    # ring all-reduce of the gradient over the 81 satellites at the slowest link (overlap 0),
    # computed here from the links over the same day (api.links) and the alpha-beta formula.
    spec, plan, state = fault_free
    jp = plan.jobs[0]
    cols = workload_plan.timeline_columns(plan)
    tl = state["timeline"]
    assert np.all(tl[:, cols.index("t:speed")] == 1.0)
    acc = catalog.get("accelerators", spec.accelerator_id)
    n_acc = 81 * 4
    compute = 6 * 8e9 * TRAIN_BATCH / (n_acc * acc.flops["bf16"] * training.DEFAULT_MFU)
    links = api.links(spec, tl[:, 0])
    up = np.where(links.series.up, links.series.capacity_bps, np.inf)
    bps = up.min(axis=0)
    hop = np.where(links.series.up, links.series.distance_m, 0.0).max(axis=0) / 299_792_458.0
    # ring all-reduce, alpha-beta (Thakur et al. 2005): 2 (n - 1) / n of the BF16 gradient over
    # the slowest link, plus 2 (n - 1) hop latencies
    n_ring, grad_bits = 81, 8e9 * 2.0 * 8.0
    comm = 2.0 * (n_ring - 1) / n_ring * grad_bits / bps + 2.0 * (n_ring - 1) * hop
    step = compute + comm
    # tokens over the day: each decision interval (600 s) at its own step time
    expected = float((600.0 / step * TRAIN_BATCH).sum())
    np.testing.assert_allclose(tl[:, cols.index("t:step_s")], step, rtol=1e-9)
    assert state["jobs"][0][jobs.J["tokens"]] == pytest.approx(expected, rel=1e-9)
    assert state["jobs"][0][jobs.J["interruptions"]] == 0
    assert jp.interval_s == math.inf


TRAIN_BATCH = 4e6  # the spec's default batch_tokens


def test_a_straggler_sets_the_pace_and_the_aware_policy_matches_it():
    view = scheduler.FleetView(
        0.0,
        capacity=np.array([1.0, 0.5, 0.8, 1.0]),
        illuminated=np.ones(4),
        state_of_charge=np.ones(4),
        temperature_k=np.array([300.0, 310.0, 290.0, 280.0]),
        linked=np.array([True, True, True, False]),
        load=np.array([0.0, 0.0, 0.0, 0.35]),
    )
    members, hosts = np.array([0, 1, 2]), np.array([3])
    greedy = scheduler.Greedy().demand(view, members, hosts, 4)
    aware = scheduler.Aware().demand(view, members, hosts, 4)
    np.testing.assert_array_equal(greedy, [1.0, 1.0, 1.0, 1.0])
    # the members run at the straggler's 0.5: capacity x demand is 0.5 for each
    np.testing.assert_allclose(view.capacity[members] * aware[members], 0.5)
    assert aware[3] == pytest.approx(0.35 / scheduler.TARGET_UTILISATION)
    # spares: the linked and coolest first
    assert scheduler.Aware().spares(view, np.array([0, 2, 3]), 1).tolist() == [2]
    assert scheduler.Greedy().spares(view, np.array([3, 2]), 1).tolist() == [2]
    with pytest.raises(ValueError, match="policy"):
        scheduler.policy("fastest")


def _attrition_run(on_failure: str, spares: int):
    spec = _spec([{**TRAIN, "satellites": 8, "spares": spares, "on_failure": on_failure}])
    run = api.run_workloads(spec, DAY, 60.0, baseline="none", radiation=False)
    # An attrition of 100 failures per chip-year: ~2 permanent failures a day on the 8
    # satellites (32 chips), certain over the day for the seed.
    plan = workload_plan.plan(spec, run.plans["aware"].twin, 100.0, "aware")
    state = None
    for c in execution.run_chunks(plan):
        state = c.resume_state
    return plan, state, execution.finish(plan, state, 1.0)


def test_permanent_failures_reshard_onto_spares_then_shrink_or_wait():
    plan, state, out = _attrition_run("reshard", spares=2)
    kinds = [jobs.EVENTS[int(k)] for k in state["events"][:, 2]]
    assert "reshard" in kinds
    job = out["jobs"][0]
    assert job["reshards"] >= 1
    # two spares: the first failures are replaced, later ones shrink the data-parallel ring
    if kinds.count("reshard") + kinds.count("shrink") > 2:
        assert "shrink" in kinds
    members = state["members"][0]
    assert not state["dead"][members[members >= 0]].any()
    _, waited, out_wait = _attrition_run("wait", spares=2)
    assert out_wait["jobs"][0]["reshards"] == 0
    assert out_wait["jobs"][0]["stalled_hours"] > 0.0
    assert out_wait["jobs"][0]["progress"] < job["progress"]


def test_bad_workload_inputs_are_named():
    bad = _spec([{**TRAIN, "tensor_parallel": 3}])
    with pytest.raises(ValueError, match=r"workload\[0\]\.tensor_parallel = 3"):
        api.run_workloads(bad, DAY, 60.0, radiation=False)
    bad = _spec([TRAIN], scheduler={"cadence": "90 s"})
    with pytest.raises(ValueError, match="scheduler.cadence"):
        api.run_workloads(bad, DAY, 60.0, radiation=False)
    bad = _spec([{**TRAIN, "parameters": 4e11, "satellites": 81}])
    with pytest.raises(ValueError, match="pipeline_parallel"):
        api.run_workloads(bad, DAY, 60.0, radiation=False)


@pytest.fixture(scope="module")
def two_days():
    spec = _spec([{**TRAIN, "satellites": 60, "overlap": 0.5}, SERVE])
    run = api.run_workloads(spec, 2 * DAY, 60.0)
    chunks = {name: list(run.chunks(name)) for name in run.policies}
    return spec, run, chunks


def test_same_seed_same_run_and_the_policies_share_their_faults(two_days):
    spec, run, chunks = two_days
    again = api.run_workloads(spec, 2 * DAY, 60.0)
    repeat = list(again.chunks("aware"))
    for key, value in chunks["aware"][-1].resume_state.items():
        np.testing.assert_array_equal(value, repeat[-1].resume_state[key], err_msg=key)
    a, g = (chunks[n][-1].resume_state for n in ("aware", "greedy"))
    np.testing.assert_array_equal(a["fault_counts"], g["fault_counts"])
    assert a["fault_counts"].sum() > 0
    interrupts = jobs.EV_INTERRUPT
    assert np.array_equal(
        a["events"][a["events"][:, 2] == interrupts, 0],
        g["events"][g["events"][:, 2] == interrupts, 0],
    )
    other = api.run_workloads(
        spec.model_copy(update={"mission": spec.mission.model_copy(update={"seed": 99})}),
        2 * DAY,
        60.0,
    )
    last = list(other.chunks("aware"))[-1].resume_state
    assert not np.array_equal(last["fault_counts"], a["fault_counts"])


def test_a_resumed_run_equals_the_uninterrupted_one(two_days, tmp_path):
    spec, run, chunks = two_days
    plan = run.plans["aware"]
    store = WorkloadStore(tmp_path)
    store.write(plan, chunks["aware"][0])
    done, state = store.load(plan)
    assert done == 1
    resumed = list(run.chunks("aware", state, done))
    assert len(resumed) == 1
    for key, value in chunks["aware"][-1].resume_state.items():
        np.testing.assert_array_equal(value, resumed[-1].resume_state[key], err_msg=key)
    # another run's folder is not resumed
    other = workload_plan.with_policy(plan, "greedy")
    assert store.load(other) == (0, None)


def test_demand_flows_back_into_the_twin(two_days):
    # The aware policy asks the inference hosts only for what their load needs: the twin then
    # delivers (and dissipates) less compute energy than the greedy run for the same work.
    spec, run, chunks = two_days
    out = run.finish({n: chunks[n][-1].resume_state for n in run.policies})
    assert out["gains"]["compute_energy_ratio"] < 1.0
    svc = out["services"][0]
    assert svc["tokens_per_s"] == pytest.approx(
        out["baseline"]["services"][0]["tokens_per_s"], rel=0.02
    )
    assert 0.0 < svc["slo_attainment"] <= 1.0
    assert (
        out["twin"]["delivered_compute_fraction"]
        < out["baseline"]["twin"]["delivered_compute_fraction"]
    )


def test_workload_command_runs_the_loop_writes_plots_and_resumes(tmp_path):
    args = [
        "workload",
        str(ROOT / "scenarios" / "suncatcher-81.toml"),
        "--out",
        str(tmp_path),
        "--duration",
        "1d",
    ]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    assert "time loop" in result.output
    for name in (
        "workload_utilisation.png",
        "workload_progress.png",
        "workload_faults.png",
        "aware/timeline.parquet",
        "greedy/events.parquet",
    ):
        assert (tmp_path / name).exists(), name
    first = json.loads((tmp_path / "summary.json").read_text())["workload_run"]
    again = CliRunner().invoke(app, args)
    assert again.exit_code == 0, again.output
    assert json.loads((tmp_path / "summary.json").read_text())["workload_run"] == first
    bad = CliRunner().invoke(app, [*args, "--policy", "fastest"])
    assert bad.exit_code != 0 and "--policy" in bad.output


def test_a_member_without_an_up_link_stalls_the_ring():
    # Links (pair, state, capacity, length) among 4 satellites: the ring runs at the slowest up
    # link among the members; a member whose links are all down breaks it (a link outage).
    pairs = np.array([[0, 1], [1, 2], [2, 3], [3, 0]])
    cap = np.array([9e12, 4e12, 8e12, 7e12])
    dist = np.array([100.0, 200.0, 150.0, 120.0])
    up = np.array([True, True, True, True])
    bps, hop, linked = jobs.member_ring(np.array([0, 1, 2]), (pairs, up, cap, dist, 4), 4)
    assert (bps, linked) == (4e12, True)
    assert hop == pytest.approx(200.0 / 299_792_458.0)
    up = np.array([True, False, False, True])
    bps, _, linked = jobs.member_ring(np.array([0, 1, 2]), (pairs, up, cap, dist, 4), 4)
    assert bps == 9e12 and not linked


def test_requests_reach_the_fleet_as_often_as_the_network_finds_a_path():
    # The loop's reachable fraction of requests (flat demand, one region at the [network] user)
    # against network{}'s served fraction of the day (the same stations and fleet, sampled
    # every 2 min by the network engine, every 10 min here: ~144 samples give a binomial
    # spread of ~0.04; tolerance 0.1).
    spec = _spec([{**SERVE, "peak_to_mean": 1.0}])
    run = api.run_workloads(spec, DAY, 60.0, baseline="none", radiation=False)
    out = run.run()
    reached = 1.0 - out["services"][0]["unreachable_fraction"]
    served = api.assess_network(spec).summary["latency_ms"]["served_fraction"]
    assert 0.2 < served < 0.9
    assert reached == pytest.approx(served, abs=0.1)
