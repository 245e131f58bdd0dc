"""A study killed with SIGKILL resumes with no row lost or repeated, and its Parquet dataset is
byte for byte that of an uninterrupted run (issue 14)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

from orbitaldc import study
from orbitaldc.report.study_store import ParquetSink

ROOT = Path(__file__).resolve().parents[1]

STUDY = f"""
[study]
name = "resume"
design = "{ROOT / "scenarios" / "suncatcher-81.toml"}"
seed = 9
radiation = false
chunk = 1000
outputs = ["space_to_ground_cost_ratio", "mass_kg", "closes"]

[[parameter]]
path = "launch.price_per_kg"
distribution = "lognormal"
median = "800 USD/kg"
sigma = 0.7

[[parameter]]
path = "orbit.altitude"
low = "500 km"
high = "900 km"

[montecarlo]
samples = 40000
"""


def _done(out: Path) -> int:
    try:
        return len(json.loads((out / "manifest.json").read_text())["done"])
    except (OSError, ValueError, KeyError):
        return 0


def test_kill_9_then_resume_loses_and_repeats_nothing(tmp_path):
    spec = tmp_path / "resume.toml"
    spec.write_text(STUDY)
    out = tmp_path / "killed"
    cmd = [
        sys.executable,
        "-m",
        "orbitaldc.cli",
        "montecarlo",
        str(spec),
        "--out",
        str(out),
        "--workers",
        "1",
    ]
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while _done(out) < 3 and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.02)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    killed_at = _done(out)
    assert 3 <= killed_at < 40, "the study must be killed part-way"

    resumed = subprocess.run(cmd, env=env, capture_output=True, text=True, check=True)
    assert "wrote" in resumed.stdout
    assert _done(out) == 40

    reference = tmp_path / "reference"
    study.monte_carlo(study.load_study(spec), ParquetSink(reference))
    parts = sorted((out / "rows").glob("part-*.parquet"))
    assert [p.name for p in parts] == [
        p.name for p in sorted((reference / "rows").glob("part-*.parquet"))
    ]
    for p in parts:
        assert p.read_bytes() == (reference / "rows" / p.name).read_bytes(), p.name
    rows = pd.read_parquet(out / "rows")
    np.testing.assert_array_equal(rows["sample"].to_numpy(), np.arange(40000))
    assert not list((out / "rows").glob(".*"))  # no temporary file left behind
    digest = json.loads((out / "digest.json").read_text())
    assert digest["rows"] == 40000 and "distributions.png" in digest["files"]
