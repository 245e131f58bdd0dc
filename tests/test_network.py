"""network{} of summary.json and ``orbitaldc network`` (docs/network.md): the engine's figures
against closed forms and the published Suncatcher link figures."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

import orbitaldc
from orbitaldc import api, catalog
from orbitaldc.cli import app
from orbitaldc.physics import stationkeeping
from orbitaldc.physics.constants import C_M_S, R_EARTH_M
from orbitaldc.spec import SpecError, parse_spec

ROOT = Path(__file__).resolve().parents[1]


def _data(name: str) -> dict:
    return tomllib.loads((ROOT / "scenarios" / f"{name}.toml").read_text())


@pytest.fixture(scope="module")
def suncatcher():
    spec = orbitaldc.load_spec(ROOT / "scenarios" / "suncatcher-81.toml")
    return spec, api.assess_network(spec)


def test_suncatcher_links_close_all_channels_and_allreduce_is_the_ring_formula(suncatcher):
    spec, result = suncatcher
    isl = result.summary["isl"]
    # arXiv 2511.19468 sec. 4.2: 24 x 400G = 9.6 Tbps per aperture; at 100 m - 2 km the near-field
    # link closes every channel with > 30 dB to spare (tests/test_links.py).
    assert isl["capacity_gbps"] == {"min": 9600.0, "median": 9600.0}
    assert 0.09 < isl["distance_km"]["min"] and isl["distance_km"]["max"] < 2.5
    assert isl["links_per_satellite_mean"] == pytest.approx(4.0, abs=0.05)
    # Ring all-reduce, alpha-beta (Thakur et al. 2005): 2 (p-1) alpha + 2 (p-1)/p 8 n / B with
    # alpha the longest hop's light time; the bandwidth term alone is the lower bound.
    p, n, b = 81, 1e9, 9.6e12
    bandwidth_term = 2 * (p - 1) / p * 8 * n / b
    alpha = isl["distance_km"]["max"] * 1e3 / C_M_S
    assert isl["allreduce_1gb_s_max"] == pytest.approx(
        bandwidth_term + 2 * (p - 1) * alpha, rel=1e-3
    )


def test_ground_volume_is_rate_times_covered_time(suncatcher):
    _, result = suncatcher
    g = result.ground
    covered = g.windows.covered_s_per_day()
    entries = [catalog.get("ground_stations", i) for i in g.stations]
    expect = sum(
        c
        * (e.downlink_rate_bps or 0.0)
        * (1.0 if e.cloud_free_probability is None else e.cloud_free_probability)
        for c, e in zip(covered, entries, strict=True)
    )
    assert result.summary["downlink_tb_per_day"] == pytest.approx(expect / 8e12, rel=1e-12)
    lat = result.summary["latency_ms"]
    # A user can never beat the vacuum leg to a satellite overhead: altitude / c.
    assert lat["median"] > 650e3 / C_M_S * 1e3
    assert lat["p95"] >= lat["median"]


def test_station_keeping_is_the_drag_makeup_plus_the_formation(suncatcher):
    spec, result = suncatcher
    net = spec.network
    figures = api.close_design(spec).figures
    sk = result.summary["station_keeping"]
    dv = sk["delta_v_m_s_per_year"]
    assert dv["altitude_makeup"] == pytest.approx(
        float(stationkeeping.drag_makeup_delta_v_m_s_per_year(650e3, net.drag_area_per_mass_m2_kg))
    )
    assert dv["differential_drag"] == pytest.approx(net.ballistic_spread * dv["altitude_makeup"])
    # Tsiolkovsky, independent of the module: m (1 - exp(-dv / (Isp g0))).
    expect = figures["mass_kg"] * (1 - np.exp(-dv["total"] / (net.isp_s * 9.80665)))
    assert sk["propellant_kg_per_year"] == pytest.approx(expect, rel=1e-12)


def test_walker_shell_links_on_the_plus_grid():
    spec = orbitaldc.load_spec(ROOT / "scenarios" / "starlink-v3-compute.toml")
    links = api.network_assess.isl(spec, api.fleet_elements(spec))
    assert links.kind == "plus-grid"
    per_plane = spec.constellation.satellites // spec.constellation.planes
    in_plane = links.series.distance_m[: spec.constellation.satellites]
    # Neighbours in a circular plane are a chord 2 a sin(pi / N) apart; the J2/J3 radius terms
    # move it by < 1 % (a few km of radius).
    chord = 2 * (R_EARTH_M + spec.orbit.altitude_m) * np.sin(np.pi / per_plane)
    assert np.median(in_plane) == pytest.approx(chord, rel=0.01)
    assert np.all(links.series.up.sum(axis=0) == 2 * spec.constellation.satellites)


def test_network_is_null_without_the_section_and_bad_ids_are_named():
    data = _data("suncatcher-81")
    data.pop("network")
    s = api.run(parse_spec(data), radiation=False).summary
    assert s["network"] is None
    data["network"] = {
        "terminal": "suncatcher-dwmd",
        "ground_stations": ["ksat-svalbard", "nowhere"],
    }
    with pytest.raises(SpecError) as err:
        parse_spec(data)
    text = str(err.value)
    assert "network.terminal" in text and "suncatcher-dwdm" in text
    assert "network.ground_stations.1" in text


def test_network_command_writes_plots_and_tables(tmp_path):
    result = CliRunner().invoke(
        app, ["network", str(ROOT / "scenarios" / "suncatcher-81.toml"), "--out", str(tmp_path)]
    )
    assert result.exit_code == 0, result.output
    for name in ("links.csv", "links.png", "contacts.csv", "contacts.png", "latency_map.png"):
        assert (tmp_path / name).stat().st_size > 0, name
    summary = json.loads((tmp_path / "summary.json").read_text())
    assert summary["network"]["isl"]["topology"] == "nearest-neighbour"


def test_links_at_the_twins_steps_equal_the_orbit_sample(suncatcher):
    # The workload engine reads the link capacity at the twin's steps: the same topology and
    # budget as network{}, at any times.
    spec, result = suncatcher
    t = result.isl.t_s[:5]
    at = api.links(spec, t)
    np.testing.assert_array_equal(at.series.capacity_bps, result.isl.series.capacity_bps[:, :5])
    np.testing.assert_allclose(at.allreduce_s, result.isl.allreduce_s[:5], rtol=1e-12)
