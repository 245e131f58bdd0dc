"""Read a spec TOML file into a :class:`DesignSpec`, with errors that name the field.

Every problem is reported at once, one line each, as ``dotted.field.path: what is wrong``; unknown
keys get a "did you mean" hint and unknown catalog ids list the valid ones.
"""

from __future__ import annotations

import difflib
import tomllib
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from orbitaldc.spec.model import DesignSpec


class SpecError(ValueError):
    """An invalid spec. ``problems`` holds ``(dotted_path, message)`` pairs."""

    def __init__(self, problems: list[tuple[str, str]], source: str = "spec") -> None:
        self.problems = problems
        self.source = source
        lines = [f"{path}: {message}" if path else message for path, message in problems]
        super().__init__(f"{source} is not valid:\n  " + "\n  ".join(lines))


#: Spec fields that hold catalog ids, with the catalog kind they refer to.
CATALOG_FIELDS: dict[tuple[str, ...], str] = {
    ("satellite", "compute", "accelerator"): "accelerators",
    ("satellite", "power", "array"): "solar_arrays",
    ("satellite", "power", "battery"): "batteries",
    ("satellite", "thermal", "radiator"): "radiators",
    ("launch", "vehicle"): "launchers",
    ("terrestrial", "site"): "terrestrial_sites",
    ("terrestrial", "accelerator"): "accelerators",
    ("network", "terminal"): "terminals",
}


def _model_at(path: tuple[str | int, ...]) -> type[BaseModel] | None:
    """The pydantic model class that holds the keys at ``path`` (aliases) in a spec."""
    model: type[BaseModel] = DesignSpec
    for key in path:
        field = next(
            (f for name, f in model.model_fields.items() if (f.alias or name) == key), None
        )
        if field is None:
            return None
        annotation = field.annotation
        candidates = getattr(annotation, "__args__", (annotation,))
        nested = [c for c in candidates if isinstance(c, type) and issubclass(c, BaseModel)]
        if not nested:
            return None
        model = nested[0]
    return model


def _keys_of(model: type[BaseModel]) -> list[str]:
    return [f.alias or name for name, f in model.model_fields.items()]


def _describe(error: dict[str, Any]) -> tuple[str, str]:
    loc = tuple(error["loc"])
    kind = error["type"]
    message = str(error["msg"])
    if kind == "extra_forbidden":
        parent = _model_at(loc[:-1])
        valid = _keys_of(parent) if parent else []
        hint = difflib.get_close_matches(str(loc[-1]), valid, n=1, cutoff=0.6)
        text = "unknown key"
        if hint:
            text += f"; did you mean '{hint[0]}'?"
        if valid:
            text += f" (valid keys here: {', '.join(valid)})"
        return ".".join(map(str, loc)), text
    if kind == "missing":
        return ".".join(map(str, loc)), "required key is missing"
    if kind == "literal_error":
        return ".".join(map(str, loc)), f"got {error.get('input')!r}; {message.lower()}"
    if message.startswith("Value error, "):
        message = message[len("Value error, ") :]
    path = ".".join(map(str, loc))
    head, sep, rest = message.partition(": ")
    if sep and head.replace("_", "").isalnum() and " " not in head:
        # A model-level check that names its field: "altitude: required ..." under "orbit".
        path = f"{path}.{head}" if path else head
        message = rest
    elif "input" in error and kind not in ("value_error",):
        message = f"{message} (got {error['input']!r})"
    return path, message


def _at(data: Any, path: tuple[str, ...]) -> Any:
    """The value at ``path`` in the raw spec dict, or None where the path does not exist."""
    for key in path:
        if not isinstance(data, dict):
            return None
        data = data.get(key)
    return data


def _check_catalog_ids(data: dict[str, Any]) -> list[tuple[str, str]]:
    """Unknown catalog ids and cost-profile values in the raw spec dict (TOML keys), checked
    wherever a string stands, whether or not the rest of the spec is valid."""
    from orbitaldc import catalog

    problems = []
    for path, kind in CATALOG_FIELDS.items():
        node = _at(data, path)
        if not isinstance(node, str):
            continue
        try:
            catalog.get(kind, node)
        except LookupError as exc:
            problems.append((".".join(path), str(exc).strip("'\"")))
    stations = _at(data, ("network", "ground_stations"))
    for k, station in enumerate(stations if isinstance(stations, list) else []):
        if not isinstance(station, str):
            continue
        try:
            catalog.get("ground_stations", station)
        except LookupError as exc:
            problems.append((f"network.ground_stations.{k}", str(exc).strip("'\"")))
    economics = _at(data, ("economics",))
    economics = economics if isinstance(economics, dict) else {}
    profile_id = economics.get("profile", "mass-produced")
    if not isinstance(profile_id, str):
        return problems
    try:
        profile = catalog.cost_profile(profile_id)
    except LookupError as exc:
        problems.append(("economics.profile", str(exc).strip("'\"")))
        return problems
    names = [n for n in type(profile).model_fields if n not in ("id", "name", "description")]
    given = [k for k in economics if k not in ("profile", "overrides")]
    overrides = economics.get("overrides")
    given += list(overrides) if isinstance(overrides, dict) else []
    for name in given:
        if name not in names:
            hint = difflib.get_close_matches(name, names, n=1)
            problems.append(
                (
                    f"economics.{name}",
                    "not a value of a cost profile"
                    + (f"; did you mean {hint[0]!r}?" if hint else "")
                    + f" (values: {', '.join(names)})",
                )
            )
    return problems


def parse_spec(data: dict[str, Any], source: str = "spec") -> DesignSpec:
    """Validate a spec given as a dict (as read from TOML) and return the :class:`DesignSpec`.

    Raises
    ------
    SpecError
        Listing every problem found, each with its dotted field path.
    """
    # The schema and the catalog ids are checked in one pass, so a typo in a key does not hide
    # an unknown accelerator until the key is fixed.
    catalog_problems = _check_catalog_ids(data)
    try:
        spec = DesignSpec.model_validate(data)
    except ValidationError as exc:
        problems = [_describe(e) for e in exc.errors()]
        seen = {path for path, _ in problems}
        raise SpecError(
            problems + [p for p in catalog_problems if p[0] not in seen], source
        ) from None
    if catalog_problems:
        raise SpecError(catalog_problems, source)
    return spec


def load_spec(path: str | Path) -> DesignSpec:
    """Read and validate the spec TOML file at ``path``.

    A relative ``orbit.tle_file`` is resolved against the spec file's folder.
    """
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise SpecError([("", f"cannot read the spec file: {exc.strerror}")], str(path)) from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise SpecError([("", f"not valid TOML: {exc}")], str(path)) from None
    spec = parse_spec(data, str(path))
    if spec.orbit is not None and spec.orbit.tle_file is not None:
        tle = spec.orbit.tle_file
        if not tle.is_absolute():
            tle = (path.parent / tle).resolve()
        if not tle.is_file():
            raise SpecError([("orbit.tle_file", f"no such file: {tle}")], str(path))
        spec = spec.model_copy(update={"orbit": spec.orbit.model_copy(update={"tle_file": tle})})
    return spec
