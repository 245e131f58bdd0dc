"""workload[] of summary.json and ``orbitaldc workload`` (docs/workloads.md): the analytic jobs
against 6 N D, the ring all-reduce and the economics they are priced with."""

from __future__ import annotations

import tomllib
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

import orbitaldc
from orbitaldc import api, catalog
from orbitaldc.cli import app
from orbitaldc.network import collectives
from orbitaldc.physics.constants import C_M_S
from orbitaldc.spec import SpecError, parse_spec
from orbitaldc.workload import training

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def suncatcher():
    spec = orbitaldc.load_spec(ROOT / "scenarios" / "suncatcher-81.toml")
    return spec, api.run(spec).summary


def test_the_ground_job_is_6nd_at_the_stated_utilisation(suncatcher):
    spec, s = suncatcher
    job = next(w for w in spec.workload if w.kind == "training")
    g = next(w for w in s["workload"] if w["kind"] == "training")["ground"]
    acc = catalog.get("accelerators", spec.accelerator_id)
    n = s["fleet"]["accelerators"]
    # Kaplan et al. 2020: 6 N D FLOPs; at MFU 0.40 of the BF16 peak the compute alone takes
    # 6 N D / (n peak mfu); the step adds only the all-reduce the compute does not hide.
    compute = 6 * job.parameters * job.tokens / (n * acc.flops["bf16"] * training.DEFAULT_MFU)
    steps = job.tokens / job.batch_tokens
    hidden = job.overlap * compute / steps
    exposed = max(0.0, g["communication_s_per_step"] - hidden)
    assert g["training_flops"] == 6 * job.parameters * job.tokens
    assert g["step_s"] * steps == pytest.approx(compute + exposed * steps, rel=1e-12)
    assert g["time_to_complete_days"] * 86400 * g["checkpoint_efficiency"] == pytest.approx(
        g["step_s"] * steps, rel=1e-12
    )


def test_space_all_reduce_is_the_ring_over_the_satellites_slowest_link(suncatcher):
    spec, s = suncatcher
    sp = next(w for w in s["workload"] if w["kind"] == "training")["space"]
    links = api.network_assess.isl(spec, api.fleet_elements(spec))
    slowest = float(np.min(np.where(links.series.up, links.series.capacity_bps, np.inf)))
    hop = float(np.max(np.where(links.series.up, links.series.distance_m, 0.0))) / C_M_S
    job = next(w for w in spec.workload if w.kind == "training")
    grad = job.parameters * job.bytes_per_parameter
    # Alpha-beta ring over the 81 satellites (Thakur et al. 2005), independent of the engine.
    expect = 2 * 80 * hop + 2 * 80 / 81 * 8 * grad / slowest
    assert sp["communication_s_per_step"] == pytest.approx(expect, rel=1e-12)
    assert float(collectives.ring_allreduce_s(grad, 81, slowest, hop)) == pytest.approx(expect)
    # In orbit the radiation chain's single-event rates shorten the MTBF against the ground's.
    assert (
        sp["mtbf_hours"]
        < next(w for w in s["workload"] if w["kind"] == "training")["ground"]["mtbf_hours"]
    )


def test_inference_cost_is_the_fleets_cost_over_the_tokens_served(suncatcher):
    _, s = suncatcher
    inf = next(w for w in s["workload"] if w["kind"] == "inference")
    for side, cost_hour in (
        ("space", s["economics"]["cost_per_accelerator_hour_usd"]),
        ("ground", s["economics"]["terrestrial"]["cost_per_accelerator_hour_usd"]),
    ):
        r = inf[side]
        per_s = s["fleet"]["accelerators"] * cost_hour / 3600.0
        assert r["cost_per_million_tokens_usd"] == pytest.approx(
            per_s / r["tokens_per_s"] * 1e6, rel=1e-3
        )
        assert 0.0 <= r["slo_attainment"] <= 1.0
    # The users' round trip to the fleet is part of the response time in orbit.
    assert inf["space"]["network_latency_ms"] > inf["ground"]["network_latency_ms"]


def test_the_same_spec_gives_the_same_answer(suncatcher):
    spec, s = suncatcher
    assert api.run(spec).summary["workload"] == s["workload"]


def test_bad_workloads_are_named():
    data = tomllib.loads((ROOT / "scenarios" / "suncatcher-81.toml").read_text())
    data["workload"] = [{"kind": "training", "name": "x", "parameters": 1e9}]
    with pytest.raises(SpecError, match="tokens: a training job needs"):
        parse_spec(data)
    data["workload"] = [{"kind": "inference", "name": "y", "parameters": 1e9}]
    with pytest.raises(SpecError, match="requests_per_second"):
        parse_spec(data)


def test_workload_command_prints_both_sides(tmp_path):
    result = CliRunner().invoke(
        app,
        [
            "workload",
            str(ROOT / "scenarios" / "suncatcher-81.toml"),
            "--out",
            str(tmp_path),
            "--duration",
            "0d",
        ],
    )
    assert result.exit_code == 0, result.output
    assert "cost per million tokens" in result.output
    assert (tmp_path / "summary.json").exists()
