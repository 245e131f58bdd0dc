"""The terminal as a face: tables readable at 80 columns, validate reporting every problem at once."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from orbitaldc import catalog
from orbitaldc.cli import app

ROOT = Path(__file__).resolve().parents[1]
runner = CliRunner()


@pytest.fixture
def eighty(monkeypatch):
    """An 80-column console (rich reads COLUMNS when the output is not a terminal)."""
    monkeypatch.setenv("COLUMNS", "80")


def words(text: str) -> list[str]:
    return re.findall(r"\S+", text)


@pytest.mark.parametrize("kind", catalog.KINDS)
def test_catalog_fits_80_columns_and_keeps_every_source_whole(eighty, kind):
    result = runner.invoke(app, ["catalog", kind])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert max(len(line.rstrip()) for line in lines) <= 80
    assert "…" not in result.output  # nothing truncated
    flat = " ".join(words(result.output))
    for row in catalog.describe(kind):
        assert row["id"] in words(result.output)
        # The source reads whole, its words in order, however it wrapped.
        assert " ".join(words(str(row["source"]))) in flat
    # A paragraph wraps many words a line: no run of lines holding one word of a source each.
    body = [line.strip() for line in lines if line.startswith("   ")]
    single = sum(1 for line in body if len(words(line)) == 1)
    assert single <= len(catalog.describe(kind)), body


def test_simulate_prints_nested_figures_as_rows(eighty, tmp_path):
    spec = ROOT / "scenarios" / "suncatcher-prototype.toml"
    result = runner.invoke(
        app, ["simulate", str(spec), "--duration", "1d", "--out", str(tmp_path), "--no-radiation"]
    )
    assert result.exit_code == 0, result.output
    assert "{" not in result.output and '"' not in result.output  # no JSON in a cell
    assert max(len(line.rstrip()) for line in result.output.splitlines()) <= 80
    # Each nested figure is a row of its own, indented under its group.
    assert re.search(r"^ max_temperature_k\s*$", result.output, flags=re.M)
    assert re.search(r"^   radiator\s+\d", result.output, flags=re.M)


def test_validate_lists_unknown_ids_with_schema_problems(tmp_path):
    text = (ROOT / "scenarios" / "suncatcher-81.toml").read_text()
    text = text.replace('altitude = "650 km"', 'altitud = "650 km"')
    text = text.replace('accelerator = "tpu-v6e"', 'accelerator = "tpu-v9"')
    text = text.replace('vehicle = "falcon-9"', 'vehicle = "falcon-99"')
    path = tmp_path / "typos.toml"
    path.write_text(text)
    result = runner.invoke(app, ["validate", str(path)])
    assert result.exit_code == 2
    out = " ".join(words(result.output))
    assert "orbit.altitud: unknown key; did you mean 'altitude'?" in out
    assert "satellite.compute.accelerator: unknown accelerators id 'tpu-v9'" in out
    assert "launch.vehicle: unknown launchers id 'falcon-99'" in out
