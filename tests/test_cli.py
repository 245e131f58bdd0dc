"""The command line: run, validate, init, catalog, and every reference scenario."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from orbitaldc.cli import app

ROOT = Path(__file__).resolve().parents[1]
SCENARIOS = sorted((ROOT / "scenarios").glob("*.toml"))
runner = CliRunner()


def invoke(*args: str):
    return runner.invoke(app, [str(a) for a in args], catch_exceptions=False)


def test_run_writes_summary_and_prints_verdict_first(tmp_path):
    result = invoke("run", ROOT / "scenarios" / "suncatcher-81.toml", "--out", tmp_path)
    assert result.exit_code == 0, result.output
    first_line = result.output.strip().splitlines()[0]
    assert "CLOSES" in first_line
    data = json.loads((tmp_path / "summary.json").read_text())
    assert data["scenario"] == "suncatcher-81"
    assert data["fleet"]["satellites"] == 81


def test_run_json_is_machine_readable():
    result = invoke("run", ROOT / "scenarios" / "suncatcher-81.toml", "--json")
    assert result.exit_code == 0
    assert json.loads(result.output)["fleet"]["accelerators"] == 81 * 4


@pytest.mark.parametrize("path", SCENARIOS, ids=[p.stem for p in SCENARIOS])
def test_every_reference_scenario_runs(path, tmp_path):
    result = invoke("run", path, "--out", tmp_path)
    assert result.exit_code == 0, result.output
    data = json.loads((tmp_path / "summary.json").read_text())
    assert data["scenario"] == path.stem
    e = data["economics"]
    assert e["cost_per_accelerator_hour_usd"] > 0
    assert e["terrestrial"]["cost_per_accelerator_hour_usd"] > 0


def test_reference_scenarios_cover_the_public_debate():
    names = {p.stem for p in SCENARIOS}
    assert {
        "suncatcher-81",
        "suncatcher-prototype",
        "starcloud-1",
        "starcloud-5gw",
        "starlink-v3-compute",
        "stoke-nova-node",
        "terran-r-node",
        "new-glenn-node",
        "texas-campus",
    } <= names


def test_bad_spec_gives_exit_2_and_no_traceback(tmp_path):
    bad = tmp_path / "bad.toml"
    text = (ROOT / "scenarios" / "suncatcher-81.toml").read_text()
    bad.write_text(text.replace('altitude = "650 km"', 'altitud = "650 km"'))
    result = runner.invoke(app, ["validate", str(bad)])
    assert result.exit_code == 2
    out = result.output
    assert "orbit.altitud" in out and "did you mean 'altitude'" in out
    assert "Traceback" not in out


def test_validate_accepts_a_good_spec():
    result = invoke("validate", ROOT / "scenarios" / "suncatcher-81.toml")
    assert result.exit_code == 0 and "valid" in result.output


def test_init_writes_a_valid_starter_and_refuses_to_overwrite(tmp_path):
    path = tmp_path / "design.toml"
    assert invoke("init", path).exit_code == 0
    assert invoke("validate", path).exit_code == 0
    again = runner.invoke(app, ["init", str(path)])
    assert again.exit_code == 2 and "--force" in again.output


def test_catalog_lists_entries_with_sources():
    result = invoke("catalog", "accelerators")
    assert result.exit_code == 0
    assert "h100-sxm" in result.output and "tpu-v6e" in result.output


def test_catalog_unknown_kind_is_a_clear_error():
    result = runner.invoke(app, ["catalog", "acelerators"])
    assert result.exit_code == 2
    assert "did you mean 'accelerators'" in result.output


def test_missing_spec_file_is_a_clear_error(tmp_path):
    result = runner.invoke(app, ["run", str(tmp_path / "missing.toml")])
    assert result.exit_code == 2
    assert "cannot read the spec file" in result.output


def test_orbit_command_writes_plot_and_tables(tmp_path):
    result = invoke("orbit", ROOT / "scenarios" / "suncatcher-81.toml", "--out", tmp_path)
    assert result.exit_code == 0, result.output
    assert (tmp_path / "beta_eclipse.png").stat().st_size > 10_000
    seasons = (tmp_path / "eclipse_seasons.csv").read_text().splitlines()
    # A 650 km dawn-dusk orbit has one eclipse season a year, around the June solstice.
    assert len(seasons) == 2 and "-05-" in seasons[1] and "-08-" in seasons[1]
    rows = (tmp_path / "orbit_year.csv").read_text().splitlines()
    assert len(rows) == 1 + 366  # days 0..365 of a 365.25-day year


def test_tle_orbit_spec_closes_from_the_file(tmp_path):
    def with_checksum(body: str) -> str:  # modulo-10 sum of digits, minus signs count 1
        return body + str((sum(int(c) for c in body if c.isdigit()) + body.count("-")) % 10)

    line1 = with_checksum("1 25544U 98067A   24001.50000000  .00016717  00000-0  10270-3 0  900")
    line2 = with_checksum("2 25544  51.6416 247.4627 0006703 130.5360 325.0288 15.5012539142820")
    (tmp_path / "fleet.tle").write_text(f"ISS (ZARYA)\n{line1}\n{line2}\n")
    text = (ROOT / "scenarios" / "starcloud-1.toml").read_text()
    text = text.replace(
        'type = "circular"\naltitude = "325 km"\ninclination = "45 deg"',
        'type = "tle"\ntle_file = "fleet.tle"',
    )
    spec = tmp_path / "tle.toml"
    spec.write_text(text)
    result = invoke("run", spec, "--json")
    assert result.exit_code == 0, result.output
    orbit = json.loads(result.output)["orbit"]
    assert orbit["inclination_deg"] == pytest.approx(51.64, abs=0.01)
    assert 380 < orbit["altitude_km"] < 440


def test_run_without_radiation_and_with_a_dose_limited_life(tmp_path):
    # --no-radiation leaves radiation{} out; with 1 mm of shielding over 12 years the TPUs reach
    # their 2 krad tolerance first (suncatcher behind 10 mm: ~280 rad/yr), and run says so.
    quick = invoke("run", ROOT / "scenarios" / "suncatcher-81.toml", "--json", "--no-radiation")
    assert quick.exit_code == 0 and "radiation" not in json.loads(quick.stdout)
    text = (ROOT / "scenarios" / "suncatcher-81.toml").read_text()
    thin = text.replace('shielding = "10 mm"', 'shielding = "1 mm"').replace(
        'lifetime = "5 yr"', 'lifetime = "12 yr"'
    )
    assert thin != text
    spec = tmp_path / "thin.toml"
    spec.write_text(thin)
    result = invoke("run", spec)
    assert result.exit_code == 0, result.output
    assert "warning:" in result.output and "total-dose tolerance" in result.output


def test_simulate_rejects_a_bad_series_satellites_value(tmp_path):
    result = runner.invoke(
        app,
        [
            "simulate",
            str(ROOT / "scenarios" / "suncatcher-81.toml"),
            "--series-satellites",
            "five",
            "--out",
            str(tmp_path),
        ],
    )
    assert result.exit_code == 2
    assert "--series-satellites" in result.output and "Traceback" not in result.output
