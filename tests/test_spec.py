"""The design spec: the issue's example loads as written, and malformed specs give clear errors."""

from __future__ import annotations

import math
import tomllib
from pathlib import Path

import pytest

from orbitaldc.spec import SpecError, load_spec, parse_quantity, parse_spec
from orbitaldc.spec.units import UnitError, parse_local_time_h

ROOT = Path(__file__).resolve().parents[1]
SUNCATCHER = ROOT / "scenarios" / "suncatcher-81.toml"


def base() -> dict:
    return tomllib.loads(SUNCATCHER.read_text())


def test_issue_example_loads_into_si():
    spec = load_spec(SUNCATCHER)
    assert spec.orbit.altitude_m == 650_000.0
    assert spec.orbit.ltan_h == 18.0
    assert spec.mission.lifetime_s == pytest.approx(5 * 365.25 * 86400)
    assert spec.constellation.cluster_radius_m == 1000.0
    assert spec.satellite.thermal.radiator_temperature_k == 330.0
    assert spec.satellite.structure.shielding_m == pytest.approx(0.010)
    assert spec.launch.price_per_kg_usd is None  # priced per flight (cost profile)
    assert spec.economics.profile == "mass-produced"


@pytest.mark.parametrize(
    ("text", "dimension", "expected"),
    [
        ("650 km", "length", 650e3),
        ("10 mm", "length", 0.01),
        ("5 yr", "time", 5 * 365.25 * 86400),
        ("30d", "time", 30 * 86400),
        ("57 degC", "temperature", 330.15),
        ("97.8 deg", "angle", math.radians(97.8)),
        ("3600 USD/kg", "price_per_mass", 3600.0),
        ("0.08 USD/kWh", "price_per_energy", 0.08 / 3.6e6),
        ("1 GW", "power", 1e9),
        ("120 m^2", "area", 120.0),
    ],
)
def test_units_convert_to_si(text, dimension, expected):
    assert parse_quantity(text, dimension) == pytest.approx(expected, rel=1e-12)


@pytest.mark.parametrize(
    ("text", "dimension", "fragment"),
    [
        ("650", "length", "has no unit"),
        ("650 parsecz", "length", "unknown unit"),
        ("330 kg", "temperature", "is not a temperature"),
        ("km 650", "length", "expected a number and a unit"),
    ],
)
def test_bad_units_say_why(text, dimension, fragment):
    with pytest.raises(UnitError, match=fragment):
        parse_quantity(text, dimension)


def test_local_time():
    assert parse_local_time_h("06:30") == 6.5
    with pytest.raises(UnitError):
        parse_local_time_h("25:00")


def _problems(data: dict) -> list[tuple[str, str]]:
    with pytest.raises(SpecError) as info:
        parse_spec(data)
    return info.value.problems


def _mutate(path: str, value=None, delete: bool = False, rename: str | None = None) -> dict:
    data = base()
    *parents, key = path.split(".")
    node = data
    for p in parents:
        node = node[p]
    if rename is not None:
        node[rename] = node.pop(key)
    elif delete:
        del node[key]
    else:
        node[key] = value
    return data


MALFORMED = [
    # (description, mutated spec, expected dotted path, fragment of the message)
    (
        "typo in a key",
        _mutate("orbit.altitude", rename="altitud"),
        "orbit.altitud",
        "did you mean 'altitude'",
    ),
    ("number without unit", _mutate("orbit.altitude", 650), "orbit.altitude", "needs a unit"),
    (
        "wrong dimension",
        _mutate("satellite.thermal.radiator_temperature", "330 kg"),
        "satellite.thermal.radiator_temperature",
        "is not a temperature",
    ),
    ("unknown orbit type", _mutate("orbit.type", "molniya"), "orbit.type", "sun-synchronous"),
    ("altitude too low", _mutate("orbit.altitude", "100 km"), "orbit.altitude", "outside 160"),
    ("missing ltan", _mutate("orbit.ltan", delete=True), "orbit.ltan", "required"),
    ("bad ltan", _mutate("orbit.ltan", "25:61"), "orbit.ltan", "time of day"),
    (
        "zero satellites",
        _mutate("constellation.satellites", 0),
        "constellation.satellites",
        "greater than or equal to 1",
    ),
    (
        "cluster without radius",
        _mutate("constellation.cluster_radius", delete=True),
        "constellation.cluster_radius",
        "required",
    ),
    (
        "unknown accelerator",
        _mutate("satellite.compute.accelerator", "h10"),
        "satellite.compute.accelerator",
        "did you mean",
    ),
    ("unknown launcher", _mutate("launch.vehicle", "falcon-99"), "launch.vehicle", "falcon-9"),
    (
        "negative count",
        _mutate("satellite.compute.count", -4),
        "satellite.compute.count",
        "greater than or equal to 1",
    ),
    (
        "utilisation above 1",
        _mutate("satellite.compute.utilisation", 1.5),
        "satellite.compute.utilisation",
        "less than or equal to 1",
    ),
    (
        "radiator too hot",
        _mutate("satellite.thermal.radiator_temperature", "900 K"),
        "satellite.thermal.radiator_temperature",
        "outside 200-600 K",
    ),
    (
        "lifetime absurd",
        _mutate("mission.lifetime", "300 yr"),
        "mission.lifetime",
        "outside 0.05-30 yr",
    ),
    (
        "price without unit",
        _mutate("launch.price_per_kg", 3600),
        "launch.price_per_kg",
        "needs a unit",
    ),
    (
        "unknown section",
        _mutate("mission.name", "x") | {"rocket": {"a": 1}},
        "rocket",
        "unknown key",
    ),
    (
        "inclination on an SSO",
        _mutate("orbit.inclination", "97 deg"),
        "orbit.inclination",
        "follows from its altitude",
    ),
    ("missing section", _mutate("launch", delete=True), "launch", "needs the section"),
]


@pytest.mark.parametrize(
    ("description", "data", "path", "fragment"), MALFORMED, ids=[m[0] for m in MALFORMED]
)
def test_malformed_spec_names_field_and_problem(description, data, path, fragment):
    problems = _problems(data)
    assert any(p == path and fragment in msg for p, msg in problems), problems


def test_all_problems_reported_at_once():
    data = _mutate("orbit.altitude", 650)
    data["satellite"]["compute"]["count"] = 0
    paths = {p for p, _ in _problems(data)}
    assert {"orbit.altitude", "satellite.compute.count"} <= paths


def test_toml_syntax_error_is_a_spec_error(tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text("[mission\nname = 'x'\n")
    with pytest.raises(SpecError, match="not valid TOML"):
        load_spec(bad)


def test_missing_file_is_a_spec_error(tmp_path):
    with pytest.raises(SpecError, match="cannot read"):
        load_spec(tmp_path / "nope.toml")


def test_walker_planes_must_divide():
    data = base()
    data["constellation"] = {"satellites": 10, "layout": "walker", "planes": 3}
    assert (
        "constellation.planes",
        "10 satellites do not divide evenly into 3 planes",
    ) in _problems(data)


def test_starter_spec_is_valid(tmp_path):
    from importlib import resources

    text = resources.files("orbitaldc.spec").joinpath("starter.toml").read_text()
    path = tmp_path / "starter.toml"
    path.write_text(text)
    assert load_spec(path).constellation.satellites == 81


def test_solar_proton_model_defaults_to_esp_and_names_bad_values():
    assert load_spec(SUNCATCHER).radiation.solar_proton_model == "esp"
    data = base()
    data["radiation"] = {"solar_proton_model": "jpl91"}
    assert parse_spec(data).radiation.solar_proton_model == "jpl91"
    data["radiation"] = {"solar_proton_model": "king"}
    with pytest.raises(SpecError) as err:
        parse_spec(data)
    text = str(err.value)
    assert "radiation.solar_proton_model" in text and "jpl91" in text
