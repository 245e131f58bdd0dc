"""The fleet layouts: lattices chosen explicitly in the spec, never by a satellite count."""

from __future__ import annotations

import tomllib

import numpy as np
import pytest

from orbitaldc.fleet import fleet_elements
from orbitaldc.physics import formation
from orbitaldc.spec import SpecError, load_spec, parse_spec


def _cluster_spec(satellites: int, lattice: str | None):
    """The Suncatcher scenario with another satellite count and lattice (None: the default)."""
    with open("scenarios/suncatcher-81.toml", "rb") as f:
        data = tomllib.load(f)
    data["constellation"]["satellites"] = satellites
    data["constellation"].pop("lattice")
    if lattice is not None:
        data["constellation"]["lattice"] = lattice
    return parse_spec(data)


def test_suncatcher_lattice_matches_the_paper():
    # arXiv 2511.19468 sec. 4.1: 81 integer points i^2 + j^2 <= 25 on a 100 m radial x 200 m
    # along-track pitch for R = 1 km; all inside +-R along-track and +-R/2 radial.
    xy = formation.lattice_offsets(81, 1000.0, "suncatcher")
    assert xy.shape == (81, 2)
    i, j = xy[:, 0] / 100.0, xy[:, 1] / 200.0
    assert np.allclose(i, np.round(i)) and np.allclose(j, np.round(j))
    assert np.all(i**2 + j**2 <= 25 + 1e-9)
    assert np.abs(xy[:, 0]).max() == pytest.approx(500.0) and np.abs(xy[:, 1]).max() == 1000.0


def test_square_lattice_of_81_is_the_suncatcher_set_and_hex_is_evenly_spaced():
    square = formation.lattice_offsets(81, 1000.0, "square")
    paper = formation.lattice_offsets(81, 1000.0, "suncatcher")
    assert {tuple(p) for p in np.round(square, 6)} == {tuple(p) for p in np.round(paper, 6)}
    hexa = formation.lattice_offsets(61, 1000.0, "hex")
    # In the HCW amplitude plane (x, y/2) a triangular lattice has every point's nearest
    # neighbour at exactly one pitch; 61 points are the centred hexagonal number for 4 rings.
    amp = hexa * np.array([1.0, 0.5])
    d = np.linalg.norm(amp[:, None] - amp[None], axis=-1) + np.eye(61) * 1e9
    assert np.allclose(d.min(axis=1), d.min(), rtol=1e-12)
    assert np.hypot(*amp.T).max() == pytest.approx(500.0)
    assert len({tuple(p) for p in np.round(hexa, 6)}) == 61


def test_large_hex_lattice_keeps_the_nearest_points():
    # The index square must hold the disc of the n nearest points (it once held too few): the kept
    # points are exactly those inside the farthest kept radius.
    n = 5000
    hexa = formation.lattice_offsets(n, 10e3, "hex") * np.array([1.0, 0.5])
    rho = np.hypot(*hexa.T)
    pitch = np.sort(np.linalg.norm(hexa[1:] - hexa[0], axis=-1))[0]
    assert rho.max() / pitch > 30  # far beyond the old index square's reach
    assert len({tuple(p) for p in np.round(hexa / pitch, 6)}) == n


def test_layout_is_chosen_by_the_spec_not_by_the_count():
    sun = fleet_elements(_cluster_spec(81, "suncatcher"))
    square = fleet_elements(_cluster_spec(81, None))
    hexa = fleet_elements(_cluster_spec(81, "hex"))
    assert sun.n_satellites == square.n_satellites == hexa.n_satellites == 81
    assert sorted(np.round(sun.eccentricity, 12)) == sorted(np.round(square.eccentricity, 12))
    assert not np.allclose(np.sort(hexa.eccentricity), np.sort(square.eccentricity))
    # Outermost member of the paper's cluster: amplitude R/2 = 500 m on a = R_E + 650 km,
    # eccentricity ~7.1e-5 (arXiv 2511.19468 sec. 4.1).
    assert sun.eccentricity.max() == pytest.approx(500.0 / 7028.137e3, rel=1e-9)
    assert sun.eccentricity.max() == pytest.approx(7.1e-5, abs=0.05e-5)


def test_suncatcher_lattice_needs_81_satellites():
    with pytest.raises(SpecError, match="lattice"):
        _cluster_spec(80, "suncatcher")


def test_reference_scenario_states_its_lattice():
    spec = load_spec("scenarios/suncatcher-81.toml")
    assert spec.constellation.lattice == "suncatcher"


def test_a_user_lattice_places_each_member_on_its_ellipse():
    with open("scenarios/suncatcher-81.toml", "rb") as f:
        data = tomllib.load(f)
    data["constellation"].update(
        satellites=3,
        lattice="user",
        lattice_offsets=[["0 m", "0 m"], ["100 m", "0 m"], ["0 m", "-300 m"]],
    )
    el = fleet_elements(parse_spec(data))
    # Drift-free HCW ellipse through (x, y): amplitude hypot(x, y/2) (Clohessy & Wiltshire 1960),
    # eccentricity amplitude / a for the member's mean elements.
    a = el.semi_major_axis_m[0]
    assert list(el.eccentricity * a) == pytest.approx([0.0, 100.0, 150.0], abs=1e-6)
    data["constellation"]["lattice_offsets"] = [["0 m", "0 m"]]
    with pytest.raises(SpecError, match="lattice_offsets"):
        parse_spec(data)
