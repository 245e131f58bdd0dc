"""The library pipeline (orbitaldc.api): it returns what the CLI writes, and it does no I/O."""

from __future__ import annotations

import builtins
import datetime as dt
import json
import os
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

import orbitaldc
from orbitaldc import api
from orbitaldc.cli import app
from orbitaldc.report.twin_store import store_simulation

ROOT = Path(__file__).resolve().parents[1]


def _spec(name: str = "suncatcher-prototype"):
    spec = orbitaldc.load_spec(ROOT / "scenarios" / f"{name}.toml")
    return spec.model_copy(
        update={"mission": spec.mission.model_copy(update={"start": dt.date(2027, 6, 10)})}
    )


@pytest.fixture
def no_writes(monkeypatch):
    """Fail any attempt to open a file for writing or to move one: the API must not touch disk.

    numba's own cache of compiled kernels (``__pycache__/*.nbi, *.nbc``) is the one exception: on
    a clean clone the first call compiles and caches."""
    real_open, real_replace = builtins.open, os.replace

    def numba_cache(path) -> bool:
        # numba writes index/data files (``*.nbi``, ``*.nbc``, via ``*.nbi.tmp.<id>``) in
        # ``__pycache__`` or NUMBA_CACHE_DIR.
        text = str(path)
        return ".nbi" in text or ".nbc" in text or "__pycache__" in text

    def guarded_open(file, mode="r", *args, **kwargs):
        if any(c in mode for c in "wax+") and not numba_cache(file):
            raise AssertionError(f"the API opened {file!r} for writing")
        return real_open(file, mode, *args, **kwargs)

    def guarded_replace(src, dst, *args, **kwargs):
        if not numba_cache(dst):
            raise AssertionError(f"the API moved a file onto {dst!r}")
        return real_replace(src, dst, *args, **kwargs)

    monkeypatch.setattr(builtins, "open", guarded_open)
    monkeypatch.setattr(os, "replace", guarded_replace)


def test_run_returns_what_the_cli_writes(tmp_path):
    spec_path = ROOT / "scenarios" / "suncatcher-81.toml"
    result = api.run(orbitaldc.load_spec(spec_path))
    out = CliRunner().invoke(app, ["run", str(spec_path), "--out", str(tmp_path)])
    assert out.exit_code == 0, out.output
    written = json.loads((tmp_path / "summary.json").read_text())
    assert written == json.loads(json.dumps(result.summary))
    assert result.radiation is not None and written["radiation"] == result.radiation.summary
    # Full precision next to the rounded public figure.
    assert result.figures["mass_kg"] == pytest.approx(written["satellite"]["mass_kg"], abs=0.005)


def test_run_does_no_io(no_writes):
    result = api.run(_spec())
    assert result.summary["closes"] in (True, False)
    assert result.summary["radiation"] is not None


def test_simulate_in_memory_equals_the_stored_run(tmp_path, no_writes, monkeypatch):
    sim = api.simulate(_spec(), 86400.0, 300.0, radiation=False)
    assert sim.plan.n_chunks == 1
    chunks = list(sim.chunks())
    in_memory = sim.finish(chunks[-1].resume_state)
    monkeypatch.undo()  # the store, an edge, writes
    stored = store_simulation(sim, tmp_path, plots=False)
    assert {k: v for k, v in stored.items() if k != "files"} == in_memory.summary
    pd.testing.assert_frame_equal(
        pd.read_parquet(tmp_path / "satellites.parquet"), in_memory.satellites
    )
    pd.testing.assert_frame_equal(
        pd.read_parquet(tmp_path / "series" / "chunk_0000.parquet"), chunks[0].series
    )


def test_simulate_resumes_from_a_chunk_state_exactly():
    sim = api.simulate(_spec(), 3 * 86400.0, 600.0, radiation=False)
    whole = list(sim.chunks())
    resumed = list(sim.chunks(whole[0].resume_state, chunks_done=1))
    assert [c.index for c in resumed] == [1, 2]
    for a, b in zip(whole[1:], resumed, strict=True):
        pd.testing.assert_frame_equal(a.series, b.series)
        for key in a.resume_state:
            np.testing.assert_array_equal(a.resume_state[key], b.resume_state[key])
    # The yielded resume state of an earlier chunk is not changed by later chunks.
    again = list(sim.chunks(whole[0].resume_state, chunks_done=1))
    np.testing.assert_array_equal(again[-1].resume_state["state"], whole[-1].resume_state["state"])


def test_simulate_uses_the_radiation_chain_and_closes_once(monkeypatch):
    from orbitaldc import closure

    calls = []
    real = closure.close_design
    monkeypatch.setattr(api, "close_design", lambda s: calls.append(1) or real(s))
    sim = api.simulate(_spec(), 86400.0, 600.0)
    assert len(calls) == 1
    rad = sim.result.radiation
    assert rad is not None
    assert sim.plan.fault_model is not None
    assert set(sim.plan.fault_kinds) == set(rad.fault_rates_per_chip_s)
    np.testing.assert_array_equal(sim.plan.degradation_table[1], rad.degradation_factor)


def test_a_bad_resume_state_is_named():
    sim = api.simulate(_spec(), 2 * 86400.0, 600.0, radiation=False)
    state = sim.initial_resume_state()
    state["state"] = state["state"][:, :3]
    with pytest.raises(ValueError, match="resume state 'state' has shape"):
        next(sim.chunks(state, chunks_done=1))


def test_orbit_year_and_terrestrial_designs():
    year = api.orbit_year(_spec(), duration_s=30 * 86400.0)
    assert len(year.table) == 30 * len(year.planes)
    texas = orbitaldc.load_spec(ROOT / "scenarios" / "texas-campus.toml")
    assert api.run(texas).summary["deployment"] == "terrestrial"
    with pytest.raises(ValueError, match="terrestrial"):
        api.simulate(texas, 86400.0, 60.0)
    with pytest.raises(ValueError, match="terrestrial"):
        api.orbit_year(texas)
