"""Component catalogs: accelerators, solar arrays, radiators, batteries, launchers, terrestrial
sites, ground stations, the sourced design rules and the sourced cost profiles.

Data lives in TOML files shipped with the package (``catalog/data/<kind>.toml``), one table per
entry keyed by its id; :func:`load` validates a whole file once and caches it. Users can add their
own folders of the same files with :func:`add_catalog_dir`; their entries override shipped ones
with the same id.
"""

from __future__ import annotations

import difflib
import tomllib
from functools import cache, lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from orbitaldc.catalog.models import KIND_MODELS, CostProfile, DesignRules, Entry

KINDS: tuple[str, ...] = tuple(KIND_MODELS)
_EXTRA_DIRS: list[Path] = []


class CatalogError(LookupError):
    """An unknown catalog id or kind, or a malformed catalog file."""

    def __str__(self) -> str:  # LookupError quotes its message; keep it readable
        return str(self.args[0]) if self.args else ""


def add_catalog_dir(path: str | Path) -> None:
    """Also read ``<kind>.toml`` files from ``path`` (later folders override earlier ones)."""
    _EXTRA_DIRS.append(Path(path))
    load.cache_clear()
    cost_profiles.cache_clear()


def _read(text: str, origin: str) -> dict[str, Any]:
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise CatalogError(f"{origin}: not valid TOML: {exc}") from None


def _validate(kind: str, raw: dict[str, Any], origin: str) -> dict[str, Entry]:
    return _validate_tables(KIND_MODELS[kind], raw, origin, "entry")


def _validate_tables(model: Any, raw: dict[str, Any], origin: str, what: str) -> dict[str, Any]:
    """Validate each top-level table of a catalog file as ``model`` (keyed by its id)."""
    entries: dict[str, Any] = {}
    for entry_id, values in raw.items():
        if not isinstance(values, dict):
            raise CatalogError(f"{origin}: '{entry_id}' must be a table of fields")
        try:
            entries[entry_id] = model.model_validate({"id": entry_id, **values})
        except ValidationError as exc:
            problems = "; ".join(
                f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors()
            )
            raise CatalogError(f"{origin}: {what} '{entry_id}': {problems}") from None
    return entries


@cache
def load(kind: str) -> dict[str, Entry]:
    """All entries of a kind, by id (validated and cached)."""
    if kind not in KIND_MODELS:
        hint = difflib.get_close_matches(kind, KINDS, n=1)
        raise CatalogError(
            f"unknown catalog kind {kind!r}"
            + (f"; did you mean {hint[0]!r}?" if hint else "")
            + f" (kinds: {', '.join(KINDS)})"
        )
    packaged = resources.files("orbitaldc.catalog").joinpath("data", f"{kind}.toml")
    entries = _validate(
        kind, _read(packaged.read_text(encoding="utf-8"), f"{kind}.toml"), f"{kind}.toml"
    )
    for folder in _EXTRA_DIRS:
        path = folder / f"{kind}.toml"
        if path.is_file():
            entries.update(
                _validate(kind, _read(path.read_text(encoding="utf-8"), str(path)), str(path))
            )
    return entries


def get(kind: str, entry_id: str) -> Entry:
    """One entry; an unknown id raises :class:`CatalogError` with a "did you mean" hint."""
    entries = load(kind)
    try:
        return entries[entry_id]
    except KeyError:
        hint = difflib.get_close_matches(str(entry_id), list(entries), n=1, cutoff=0.5)
        raise CatalogError(
            f"unknown {kind} id {entry_id!r}"
            + (f"; did you mean {hint[0]!r}?" if hint else "")
            + f" (valid: {', '.join(entries)})"
        ) from None


@lru_cache(maxsize=1)
def design_rules() -> DesignRules:
    """The closure's sourced default parameters (``design_rules.toml``)."""
    text = (
        resources.files("orbitaldc.catalog")
        .joinpath("data", "design_rules.toml")
        .read_text(encoding="utf-8")
    )
    raw = _read(text, "design_rules.toml")
    values = dict(raw.get("default", {}))
    try:
        return DesignRules.model_validate(
            {**values, "sources": raw.get("sources", {}), "notes": raw.get("notes", {})}
        )
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors())
        raise CatalogError(f"design_rules.toml: {problems}") from None


def _validate_profiles(raw: dict[str, Any], origin: str) -> dict[str, CostProfile]:
    return _validate_tables(CostProfile, raw, origin, "profile")


@cache
def cost_profiles() -> dict[str, CostProfile]:
    """All cost profiles by id (``cost_profiles.toml``, then user folders; validated, cached)."""
    text = (
        resources.files("orbitaldc.catalog")
        .joinpath("data", "cost_profiles.toml")
        .read_text(encoding="utf-8")
    )
    profiles = _validate_profiles(_read(text, "cost_profiles.toml"), "cost_profiles.toml")
    for folder in _EXTRA_DIRS:
        path = folder / "cost_profiles.toml"
        if path.is_file():
            raw = _read(path.read_text(encoding="utf-8"), str(path))
            profiles.update(_validate_profiles(raw, str(path)))
    return profiles


def cost_profile(profile_id: str) -> CostProfile:
    """One cost profile; an unknown id raises :class:`CatalogError` with a "did you mean" hint."""
    profiles = cost_profiles()
    try:
        return profiles[profile_id]
    except KeyError:
        hint = difflib.get_close_matches(str(profile_id), list(profiles), n=1, cutoff=0.5)
        raise CatalogError(
            f"unknown cost profile {profile_id!r}"
            + (f"; did you mean {hint[0]!r}?" if hint else "")
            + f" (valid: {', '.join(profiles)})"
        ) from None


_KEY_FIGURES: dict[str, tuple[str, ...]] = {
    "accelerators": ("power_w", "mass_kg", "unit_cost_usd"),
    "solar_arrays": ("efficiency_bol", "degradation_per_year", "areal_density_kg_per_m2"),
    "radiators": ("emissivity_eol", "absorptivity_eol", "areal_density_kg_per_m2"),
    "batteries": ("specific_energy_wh_per_kg", "max_depth_of_discharge", "cycle_life_at_reference"),
    "launchers": ("payload_leo_kg", "price_usd_per_kg", "status"),
    "terrestrial_sites": ("electricity_usd_per_kwh", "pue", "facility_capex_usd_per_w"),
    "ground_stations": ("latitude_deg", "longitude_deg", "kind"),
    "terminals": ("kind", "aperture_diameter_m", "tx_power_w"),
}


def describe(kind: str) -> list[dict[str, Any]]:
    """Rows (id, name, key figures, confidence, source) for listing a kind."""
    rows = []
    for entry in load(kind).values():
        row: dict[str, Any] = {"id": entry.id, "name": entry.name}
        for field in _KEY_FIGURES[kind]:
            row[field] = getattr(entry, field)
        if kind == "accelerators":
            row["bf16_tflops"] = entry.flops.get("bf16", float("nan")) / 1e12
        row["confidence"] = entry.confidence
        row["source"] = entry.source
        rows.append(row)
    return rows


__all__ = [
    "KINDS",
    "CatalogError",
    "add_catalog_dir",
    "cost_profile",
    "cost_profiles",
    "describe",
    "design_rules",
    "get",
    "load",
]
