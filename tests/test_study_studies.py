"""Every worked study in studies/ runs as shipped (at a tiny sample count), and the CLI writes
Parquet, plots and the digest, or one clear error line (issue 14)."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from orbitaldc import study
from orbitaldc.cli import app
from orbitaldc.report.study_report import write_study
from orbitaldc.report.study_store import ParquetSink

ROOT = Path(__file__).resolve().parents[1]

#: Each shipped study with the commands its comments advertise.
SHIPPED = {
    "suncatcher-verdict": ("montecarlo", "sensitivity", "sweep"),
    "starlink-v3-crossover": ("montecarlo",),
    "starlink-v3-pareto": ("optimize",),
    "starlink-v3-twin": ("sweep",),
    "starcloud-breakeven": ("sweep",),
    "starcloud-breakeven-cells": ("sweep",),
}
RUN = {
    "sweep": study.sweep,
    "montecarlo": study.monte_carlo,
    "sensitivity": study.sensitivity,
    "optimize": study.optimize,
}


def _tiny(s: study.Study) -> study.Study:
    """The study with its counts cut to a handful of designs."""
    spec = s.spec
    params = [
        p.model_copy(update={"points": 2 if p.points else None})
        if p.values is None
        else p.model_copy(update={"values": p.values[:2]})
        for p in spec.parameter
    ]
    return study.Study(
        spec.model_copy(
            update={
                "parameter": params,
                "montecarlo": spec.montecarlo.model_copy(update={"samples": 40}),
                "sensitivity": spec.sensitivity.model_copy(update={"samples": 8}),
                "optimize": spec.optimize.model_copy(update={"population": 8, "generations": 2}),
            }
        ),
        s.design,
        s.source,
    )


def test_every_shipped_study_is_listed():
    assert {p.stem for p in (ROOT / "studies").glob("*.toml")} == set(SHIPPED)


@pytest.mark.parametrize("name", sorted(SHIPPED))
def test_shipped_study_runs(name, tmp_path):
    s = _tiny(study.load_study(ROOT / "studies" / f"{name}.toml"))
    for command in SHIPPED[name]:
        out = tmp_path / command
        result = RUN[command](s, ParquetSink(out))
        files = write_study(result, out)
        assert any(f.suffix == ".png" for f in files), command
        digest = json.loads((out / "digest.json").read_text())
        rows = pd.read_parquet(out / "rows")
        assert len(rows) == digest["rows"] > 0
        assert list(rows.columns[: 1 + len(s.spec.parameter)]) == [
            "sample",
            *(p.path for p in s.spec.parameter),
        ]


def test_cli_sweep_writes_rows_plots_and_digest(tmp_path):
    spec = tmp_path / "s.toml"
    spec.write_text(
        f"""
[study]
name = "cli"
design = "{ROOT / "scenarios" / "starlink-v3-compute.toml"}"
radiation = false

[[parameter]]
path = "launch.price_per_kg"
low = "50 USD/kg"
high = "500 USD/kg"
points = 4
"""
    )
    out = tmp_path / "out"
    result = CliRunner().invoke(app, ["sweep", str(spec), "--out", str(out), "--workers", "1"])
    assert result.exit_code == 0, result.output
    assert (out / "digest.json").is_file() and (out / "sweep.png").is_file()
    assert len(pd.read_parquet(out / "rows")) == 4
    assert "designs/s" in result.output


def test_cli_reports_a_bad_study_in_one_line(tmp_path):
    spec = tmp_path / "bad.toml"
    spec.write_text(
        f"""
[study]
name = "bad"
design = "{ROOT / "scenarios" / "starlink-v3-compute.toml"}"

[[parameter]]
path = "launch.price_per_kilo"
low = "50 USD/kg"
high = "500 USD/kg"
"""
    )
    result = CliRunner().invoke(app, ["montecarlo", str(spec)])
    assert result.exit_code == 2
    assert "parameter.0.path" in result.output and "launch.price_per_kg" in result.output
    assert "Traceback" not in result.output
