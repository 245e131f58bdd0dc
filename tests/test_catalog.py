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


# Cost profiles (issue 11): every value sourced and dated, every profile complete.
_PROFILE_META = {"id", "name", "description"}
_OPTIONAL_VALUES = {"launch_price_usd_per_kg"}


def _value_names() -> set[str]:
    return set(catalog.models.CostProfile.model_fields) - _PROFILE_META


def test_the_three_named_profiles_exist():
    assert {"heritage", "mass-produced", "suncatcher-2035"} <= set(catalog.cost_profiles())


@pytest.mark.parametrize("profile", list(catalog.cost_profiles().values()), ids=lambda p: p.id)
def test_profile_defines_every_value_with_source_and_date(profile):
    names = set(profile.values())
    assert _value_names() - _OPTIONAL_VALUES <= names, _value_names() - names
    for name, item in profile.values().items():
        assert item.source.strip() and item.unit.strip(), name
        assert len(item.date) in (4, 7) and 1900 <= int(item.date[:4]) <= 2100, name


@pytest.mark.parametrize("profile", list(catalog.cost_profiles().values()), ids=lambda p: p.id)
def test_profile_fractions_in_range_and_values_non_negative(profile):
    values = profile.values()
    for name in catalog.models.COST_FRACTIONS:
        assert 0 <= values[name].value < 1, name
    for name, item in values.items():
        if name not in catalog.models.COST_TRENDS:
            assert item.value >= 0, name


def test_only_a_per_kg_launch_profile_sets_launch_price():
    per_kg = {p.id for p in catalog.cost_profiles().values() if p.launch_price_usd_per_kg}
    assert per_kg == {"suncatcher-2035"}


def test_suncatcher_profile_uses_the_papers_premises():
    # shared/reference "Launch economics": $200/kg by ~2035 (arXiv 2511.19468 sec. 4.4).
    sun = catalog.cost_profile("suncatcher-2035")
    assert sun.launch_price_usd_per_kg.value == 200.0
    assert sun.base_year.value == 2035.0
    assert sun.operations_reference_mass_kg.value == 575.0  # Starlink v2 mini mass


def test_accelerator_failure_rate_is_the_llama3_arithmetic():
    # Meta, "The Llama 3 Herd of Models" (2024) sec. 3.3.4: 148 faulty-GPU + 72 HBM3 interruptions
    # in 54 days on 16,384 GPUs. The TOML rounds to 2 significant digits, hence rel=1e-2.
    expected = (148 + 72) / 16384 / 54 * 365
    for profile in catalog.cost_profiles().values():
        assert profile.accelerator_annual_failure_rate.value == pytest.approx(expected, rel=1e-2)


def test_rideshare_threshold_below_dedicated_break_even():
    # A dedicated flight at fill fraction f costs price / (f x payload) per kg; rideshare is cheaper
    # below f* = price / (payload x rideshare $/kg). The profile's threshold must not exceed f*.
    falcon = catalog.get("launchers", "falcon-9")
    for pid in ("heritage", "mass-produced"):
        profile = catalog.cost_profile(pid)
        f_star = falcon.price_usd / (
            falcon.payload_leo_kg * profile.rideshare_price_usd_per_kg.value
        )
        assert profile.rideshare_max_vehicle_fraction.value <= f_star


def test_unknown_cost_profile_suggests_the_nearest():
    with pytest.raises(catalog.CatalogError, match="did you mean 'heritage'"):
        catalog.cost_profile("heritag")


def _user_profile_text(**changes) -> str:
    profile = catalog.cost_profile("heritage")
    lines = ["[mine]", 'name = "mine"', f"description = {json.dumps(profile.description)}"]
    for name, item in profile.values().items():
        value = changes.get(name, item.value)
        lines += [
            f"[mine.{name}]",
            f"value = {value}",
            f"unit = {json.dumps(item.unit)}",
            f"source = {json.dumps(item.source)}",
            f'date = "{item.date}"',
        ]
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"insurance_fraction": 1.0}, "insurance_fraction"),
        ({"discount_rate": "nan"}, "discount_rate"),
    ],
)
def test_bad_user_profile_names_file_profile_and_value(tmp_path, changes, field):
    (tmp_path / "cost_profiles.toml").write_text(_user_profile_text(**changes))
    catalog.add_catalog_dir(tmp_path)
    try:
        with pytest.raises(catalog.CatalogError) as info:
            catalog.cost_profiles()
        text = str(info.value)
        assert "cost_profiles.toml" in text and "mine" in text and field in text
    finally:
        catalog._EXTRA_DIRS.clear()
        catalog.load.cache_clear()
        catalog.cost_profiles.cache_clear()


def test_user_profile_is_added(tmp_path):
    (tmp_path / "cost_profiles.toml").write_text(_user_profile_text(discount_rate=0.04))
    catalog.add_catalog_dir(tmp_path)
    try:
        assert catalog.cost_profile("mine").discount_rate.value == 0.04
    finally:
        catalog._EXTRA_DIRS.clear()
        catalog.load.cache_clear()
        catalog.cost_profiles.cache_clear()


@pytest.mark.parametrize("entry", list(catalog.load("accelerators").values()), ids=lambda e: e.id)
def test_accelerators_have_a_dated_rental_price_with_source(entry):
    assert entry.rental_usd_per_hour and entry.rental_usd_per_hour > 0
    assert len(entry.cost_sources) > 40 and any(
        y in entry.cost_sources for y in ("2024", "2025", "2026")
    )


def test_tpu_v6e_rental_is_the_published_price():
    # Google Cloud Trillium GA (2024-12): $2.70 per chip-hour on demand.
    assert catalog.get("accelerators", "tpu-v6e").rental_usd_per_hour == pytest.approx(2.70)


@pytest.mark.parametrize(
    "entry", list(catalog.load("terrestrial_sites").values()), ids=lambda e: e.id
)
def test_terrestrial_sites_have_sourced_ownership_costs(entry):
    assert entry.networking_usd_per_accelerator is not None
    assert entry.staff_maintenance_usd_per_mw_year is not None
    # Hyperscalers' 10-K useful lives of servers: 4-6 years (2022-2025 filings).
    assert 4 <= entry.chip_economic_life_years <= 6
    assert "10-K" in entry.cost_sources
