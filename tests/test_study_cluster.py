"""Studies on a Dask LocalCluster equal the same studies in one process, bit for bit: the rows,
the Parquet bytes, and a large fleet's twin split by satellite blocks (issue 14)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

import orbitaldc
from orbitaldc import study
from orbitaldc.report.study_store import ParquetSink
from orbitaldc.study.fleet import blocks_of, simulate_blocks
from orbitaldc.study.spec import parse_study

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def cluster():
    # Small on purpose: 2 single-thread worker processes (tests run on 2 cores). The test on
    # local processes comes first in this file, so its processes and the cluster's never live
    # at the same time (the suite's memory budget).
    with study.executor("local", 2) as ex:
        yield ex


def _sweep_study() -> study.Study:
    design = orbitaldc.load_spec(ROOT / "scenarios" / "starlink-v3-compute.toml")
    data = {
        "study": {
            "name": "cluster",
            "design": "x.toml",
            "radiation": False,
            "chunk": 700,
            "outputs": ["space_to_ground_cost_ratio", "mass_kg", "closes"],
        },
        "parameter": [
            {
                "path": "launch.price_per_kg",
                "low": "20 USD/kg",
                "high": "2000 USD/kg",
                "points": 40,
                "scale": "log",
            },
            {"path": "orbit.altitude", "low": "450 km", "high": "1100 km", "points": 50},
        ],
    }
    return parse_study(data, design)


def _parts(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted((folder / "rows").glob("part-*.parquet"))}


def test_monte_carlo_on_local_processes_equals_one_process():
    s = _sweep_study()
    s = study.Study(
        s.spec.model_copy(
            update={"montecarlo": s.spec.montecarlo.model_copy(update={"samples": 1500})}
        ),
        s.design,
    )
    here = study.monte_carlo(s)
    with study.executor(workers=2) as ex:
        there = study.monte_carlo(s, executor=ex)
    assert here.digest == there.digest
    for name, column in here.data["rows"].items():
        np.testing.assert_array_equal(column, there.data["rows"][name])


def test_local_cluster_equals_one_process_exactly(cluster, tmp_path):
    s = _sweep_study()
    here = study.sweep(s, ParquetSink(tmp_path / "here"))
    there = study.sweep(s, ParquetSink(tmp_path / "there"), cluster)
    again = study.sweep(s, ParquetSink(tmp_path / "again"))
    assert here.plan.n_chunks == 3
    assert here.digest == there.digest == again.digest
    parts = _parts(tmp_path / "here")
    assert len(parts) == 3
    assert parts == _parts(tmp_path / "there")  # the same bytes from the cluster
    assert parts == _parts(tmp_path / "again")  # and from the same seed again
    for name in ("space_to_ground_cost_ratio", "mass_kg"):
        np.testing.assert_array_equal(here.data["surface"][name], there.data["surface"][name])


def test_a_fleet_split_by_satellite_blocks_equals_one_process(cluster):
    # Suncatcher's 81 satellites for two days with the radiation chain's fault rates (fault
    # events with downtime land in every block): every twin{} figure, the daily fleet table and
    # the per-satellite table equal one process's, bit for bit.
    spec = orbitaldc.load_spec(ROOT / "scenarios" / "suncatcher-81.toml")
    sim = orbitaldc.simulate(spec, 2 * 86400.0, 60.0)
    assert sim.plan.fault_kinds
    state = sim.initial_resume_state()
    for chunk in sim.chunks(state):
        state = chunk.resume_state
    one = sim.finish(state)
    assert sum(one.summary["fault_events"].values()) > 0
    for executor, blocks in ((None, 5), (cluster, 3)):
        split = simulate_blocks(sim, blocks, executor)
        assert split.result.summary == one.summary
        np.testing.assert_array_equal(split.daily.to_numpy(), state["daily"])
        assert split.result.satellites.equals(one.satellites)
    assert blocks_of(10, 3) == [(0, 3), (3, 7), (7, 10)]


def test_sensitivity_and_optimize_on_the_cluster_equal_one_process(cluster):
    # Saltelli's points handed to workers chunk by chunk, and one generation of the optimiser
    # per task (each call scatters the plan anew).
    s = _sweep_study()
    spec = s.spec.model_copy(
        update={
            "study": s.spec.study.model_copy(update={"chunk": 20}),
            "sensitivity": s.spec.sensitivity.model_copy(update={"samples": 16}),
            "optimize": s.spec.optimize.model_copy(update={"population": 8, "generations": 3}),
        }
    )
    s = study.Study(spec, s.design)
    assert study.sensitivity(s).digest == study.sensitivity(s, executor=cluster).digest
    assert study.optimize(s).digest == study.optimize(s, executor=cluster).digest
