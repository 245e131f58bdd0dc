"""Catalogs: every entry sourced and sane, published figures reproduced, clear errors."""

from __future__ import annotations

import json

import pytest

from orbitaldc import catalog


@pytest.mark.parametrize("kind", catalog.KINDS)
def test_every_entry_loads_with_a_source(kind):
    entries = catalog.load(kind)
    assert entries, kind
    for entry in entries.values():
        assert len(entry.source) > 20, entry.id
        if entry.confidence in ("assumption", "published-estimate"):
            assert entry.note, f"{entry.id}: an estimate must say why in its note"


def test_design_rules_each_have_a_source():
    rules = catalog.design_rules()
    fields = set(type(rules).model_fields) - {"sources", "notes"}
    assert fields <= set(rules.sources), fields - set(rules.sources)


def test_accelerators_match_vendor_figures():
    # shared/reference "Accelerators (vendor data)".
    h100 = catalog.get("accelerators", "h100-sxm")
    assert h100.power_w == 700 and h100.flops["bf16"] == pytest.approx(989e12, rel=1e-3)
    assert h100.memory_bytes == pytest.approx(80e9)
    assert catalog.get("accelerators", "h200-sxm").memory_bytes == pytest.approx(141e9)
    assert catalog.get("accelerators", "b200").power_w == pytest.approx(1000, rel=0.01)
    tpu = catalog.get("accelerators", "tpu-v6e")
    assert tpu.flops["bf16"] == pytest.approx(918e12)
    assert tpu.memory_bytes == pytest.approx(32e9)
    assert tpu.memory_bandwidth_bytes_per_s == pytest.approx(1638e9)


def test_iss_radiator_areal_density():
    # shared/reference: ISS PV radiator 740.7 kg over 3.12 m x 13.6 m (4 significant digits).
    osr = catalog.get("radiators", "osr-honeycomb")
    assert osr.areal_density_kg_per_m2 == pytest.approx(740.7 / (3.12 * 13.6), rel=1e-3)


@pytest.mark.parametrize("entry", list(catalog.load("launchers").values()), ids=lambda e: e.id)
def test_launcher_price_per_kg_is_price_over_payload(entry):
    assert entry.price_usd_per_kg == pytest.approx(entry.price_usd / entry.payload_leo_kg, rel=1e-9)
    assert entry.payload_sso_kg <= entry.payload_leo_kg


@pytest.mark.parametrize(
    "entry", list(catalog.load("terrestrial_sites").values()), ids=lambda e: e.id
)
def test_terrestrial_sites_inside_published_ranges(entry):
    # arXiv 2511.19468 sec. 4.4: $0.06-0.25/kWh, PUE 1.09-1.4.
    assert 0.06 <= entry.electricity_usd_per_kwh <= 0.25
    assert 1.09 <= entry.pue <= 1.4


def test_physical_bounds():
    for arr in catalog.load("solar_arrays").values():
        assert 0.1 <= arr.efficiency_bol <= 0.35
        assert arr.efficiency_bol * 1361 * arr.packing_factor / arr.areal_density_kg_per_m2 < 600
    for rad in catalog.load("radiators").values():
        assert rad.emissivity_eol <= rad.emissivity_bol
        assert rad.absorptivity_eol >= rad.absorptivity_bol


def test_unknown_id_suggests_the_nearest():
    with pytest.raises(catalog.CatalogError, match="did you mean 'h100-sxm'"):
        catalog.get("accelerators", "h100")


def test_unknown_kind_is_named():
    with pytest.raises(catalog.CatalogError, match="unknown catalog kind"):
        catalog.load("rockets")


def test_malformed_user_catalog_names_file_entry_and_field(tmp_path):
    (tmp_path / "batteries.toml").write_text(
        '[my-cell]\nname = "x"\nsource = "my own lab measurement, 2026"\n'
        "specific_energy_wh_per_kg = -5\n"
    )
    catalog.add_catalog_dir(tmp_path)
    try:
        with pytest.raises(catalog.CatalogError) as info:
            catalog.load("batteries")
        text = str(info.value)
        assert "batteries.toml" in text and "my-cell" in text
        assert "specific_energy_wh_per_kg" in text
    finally:
        catalog._EXTRA_DIRS.clear()
        catalog.load.cache_clear()


def test_user_catalog_adds_entries(tmp_path):
    base = catalog.get("batteries", "li-ion-space").model_dump(exclude={"id"})
    # JSON strings and numbers are valid TOML values.
    lines = [f"{k} = {json.dumps(v)}" for k, v in base.items()]
    text = "[my-cell]\n" + "\n".join(lines) + "\n"
    (tmp_path / "batteries.toml").write_text(text)
    catalog.add_catalog_dir(tmp_path)
    try:
        assert catalog.get("batteries", "my-cell").specific_energy_wh_per_kg == 130.0
    finally:
        catalog._EXTRA_DIRS.clear()
        catalog.load.cache_clear()
