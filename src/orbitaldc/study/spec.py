"""The study spec: a TOML file naming a base design, the parameters to vary and how, the outputs
to keep, sample counts and a seed (docs/studies.md).

Validated like a design spec: every problem at once, one line each, with its dotted path
(``parameter.1.median: ...``); an unknown key or parameter path gets a "did you mean" hint.
Quantities of the design spec's own keys are unit strings (``"3600 USD/kg"``); catalog and
cost-profile values are plain numbers in the unit their name carries, as in ``[economics]``.
"""

from __future__ import annotations

import difflib
import math
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationError, model_validator

from orbitaldc.spec import DesignSpec, SpecError, load_spec, parse_quantity
from orbitaldc.spec.units import UnitError
from orbitaldc.study import parameters
from orbitaldc.study.distributions import Distribution, check

#: Outputs derived by the study engines on top of the closure's columns.
DERIVED_OUTPUTS = ("crossover_year", "failed_checks")
#: What a closure study keeps when the spec does not say.
DEFAULT_OUTPUTS = (
    "space_to_ground_cost_ratio",
    "cost_per_accelerator_hour_usd",
    "mass_kg",
    "closes",
)
#: What a twin study keeps when the spec does not say.
DEFAULT_TWIN_OUTPUTS = (
    "delivered_compute_fraction",
    "max_junction_temperature_k",
    "min_state_of_charge",
)
#: Scalar figures of the twin's ``twin{}`` block a time-domain study can keep.
TWIN_OUTPUTS = (
    "delivered_compute_fraction",
    "energy_curtailed_kwh",
    "min_state_of_charge",
    "max_junction_temperature_k",
    "heater_energy_kwh",
    "hours_throttled",
    "battery_cycles_max",
    "bus_energy_unserved_kwh",
    "energy_balance_error_rel",
    "compute_lost_to_faults_fraction",
    "chip_hours_lost_to_faults",
)


def _time(value: object) -> float:
    if not isinstance(value, str):
        raise ValueError(f"a time needs a unit, written as a string like '1 d'; got {value!r}")
    return parse_quantity(value, "time")


Time = Annotated[float, BeforeValidator(_time)]
Number = float | str


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class StudyInfo(_Model):
    """``[study]``: name, base design, seed, outputs kept, chunk size, engine."""

    name: str = Field(min_length=1)
    design: Path
    seed: int = Field(0, ge=0)
    outputs: list[str] = Field(min_length=1)
    chunk: int | None = Field(None, ge=1, le=10_000_000)
    engine: Literal["closure", "twin"] = "closure"
    radiation: bool = True

    @model_validator(mode="before")
    @classmethod
    def _default_outputs(cls, data: object) -> object:
        if isinstance(data, dict) and "outputs" not in data:
            twin = data.get("engine") == "twin"
            return {**data, "outputs": list(DEFAULT_TWIN_OUTPUTS if twin else DEFAULT_OUTPUTS)}
        return data


class ParameterSpec(_Model):
    """``[[parameter]]``: a path (``orbitaldc.study.parameters``) and its distribution or range."""

    path: str
    distribution: Literal["uniform", "normal", "lognormal", "triangular"] = "uniform"
    low: Number | None = None
    high: Number | None = None
    mode: Number | None = None
    mean: Number | None = None
    sd: Number | None = None
    median: Number | None = None
    sigma: float | None = None
    scale: Literal["linear", "log"] = "linear"
    points: int | None = Field(None, ge=2, le=100_000)
    values: list[Number] | None = Field(None, min_length=1)

    @model_validator(mode="after")
    def _check(self) -> ParameterSpec:
        try:
            target = parameters.resolve(self.path)
        except ValueError as exc:
            raise ValueError(f"path: {exc}") from None
        keys = ("low", "high", "mode", "mean", "sd", "median")
        for key in keys:
            _value(target, key, getattr(self, key))
        for k, v in enumerate(self.values or []):
            _value(target, f"values.{k}", v)
        problems = [] if self.grid_only else check(self.distribution_of(target))
        if problems:
            key, message = problems[0]
            raise ValueError(f"{key}: {message}")
        return self

    @property
    def grid_only(self) -> bool:
        """Only ``values`` given: the parameter serves a grid sweep, no sampler."""
        spread = ("low", "high", "mode", "mean", "sd", "median", "sigma")
        return self.values is not None and all(getattr(self, k) is None for k in spread)

    @property
    def target(self) -> parameters.Target:
        return parameters.resolve(self.path)

    def distribution_of(self, target: parameters.Target | None = None) -> Distribution:
        """The :class:`Distribution`, values in the target's unit."""
        target = self.target if target is None else target
        values = {
            key: _value(target, key, getattr(self, key))
            for key in ("low", "high", "mode", "mean", "sd", "median")
        }
        return Distribution(
            self.distribution,
            sigma=math.nan if self.sigma is None else self.sigma,
            scale=self.scale,
            **values,
        )

    def grid_values(self) -> list[float] | None:
        """The explicit ``values`` in the target's unit, or None."""
        if self.values is None:
            return None
        return [_value(self.target, f"values.{k}", v) for k, v in enumerate(self.values)]


def _value(target: parameters.Target, key: str, value: Number | None) -> float:
    """``value`` (unit string or plain number) in the target's unit; NaN for None."""
    if value is None:
        return math.nan
    if target.dimension is None:
        if isinstance(value, str):
            raise ValueError(
                f"{key}: {target.path} is a plain number in {target.unit}, got {value!r}"
            )
        return float(value)
    if not isinstance(value, str):
        raise ValueError(
            f"{key}: {target.path} needs a unit, written as a string (its unit is "
            f"{target.unit}); got {value!r}"
        )
    try:
        return parse_quantity(value, target.dimension) * target.from_si
    except UnitError as exc:
        raise ValueError(f"{key}: {exc}") from None


class SweepSpec(_Model):
    """``[sweep]``: a full grid (every parameter's ``points`` or ``values``) or a Latin
    hypercube of ``samples`` designs."""

    method: Literal["grid", "lhs"] = "grid"
    samples: int | None = Field(None, ge=1)


class MonteCarloSpec(_Model):
    """``[montecarlo]``: ``samples`` independent draws."""

    samples: int = Field(10_000, ge=2)


class SensitivitySpec(_Model):
    """``[sensitivity]``: Saltelli base ``samples`` N (a power of 2; N (D + 2) designs) and the
    quantiles of the tornado chart's low and high bars."""

    samples: int = Field(1024, ge=2)
    tornado: tuple[float, float] = (0.1, 0.9)

    @model_validator(mode="after")
    def _check(self) -> SensitivitySpec:
        if self.samples & (self.samples - 1):
            raise ValueError(
                f"samples: Saltelli's scheme needs a power of 2, got {self.samples} "
                f"(nearest: {1 << round(math.log2(self.samples))})"
            )
        low, high = self.tornado
        if not 0.0 < low < 0.5 < high < 1.0:
            raise ValueError(f"tornado: needs 0 < low < 0.5 < high < 1, got {self.tornado}")
        return self


class OptimizeSpec(_Model):
    """``[optimize]``: objectives as ``"min NAME"`` / ``"max NAME"``, NSGA-II population and
    generations; every design kept on the front closes."""

    objectives: list[str] = Field(
        default_factory=lambda: [
            "min space_to_ground_cost_ratio",
            "min mass_kg",
            "max pflop_days",
        ],
        min_length=1,
    )
    population: int = Field(40, ge=4, le=100_000)
    generations: int = Field(25, ge=1, le=100_000)

    @model_validator(mode="after")
    def _check(self) -> OptimizeSpec:
        for k, text in enumerate(self.objectives):
            sense, _, name = text.partition(" ")
            if sense not in ("min", "max") or not name.strip():
                raise ValueError(f"objectives.{k}: write 'min NAME' or 'max NAME', got {text!r}")
        return self

    def parsed(self) -> list[tuple[str, str]]:
        """``[(sense, output)]``."""
        return [(t.split(" ", 1)[0], t.split(" ", 1)[1].strip()) for t in self.objectives]


class CrossoverSpec(_Model):
    """``[crossover]``: the first and last year a design may be built (``crossover_year``)."""

    years: tuple[int, int] = (2025, 2045)

    @model_validator(mode="after")
    def _check(self) -> CrossoverSpec:
        first, last = self.years
        if not 1990 <= first < last <= 2200:
            raise ValueError(f"years: needs 1990 <= first < last <= 2200, got {self.years}")
        return self


class TwinSpec(_Model):
    """``[twin]``: simulated time and step of each design's twin, and whether the radiation
    chain drives it."""

    duration_s: Time = Field(86400.0, alias="duration")
    step_s: Time = Field(60.0, alias="step")
    radiation: bool = False


class StudySpec(_Model):
    """A whole study: the root of a study TOML file."""

    study: StudyInfo
    parameter: list[ParameterSpec] = Field(min_length=1)
    sweep: SweepSpec = SweepSpec()
    montecarlo: MonteCarloSpec = MonteCarloSpec()
    sensitivity: SensitivitySpec = SensitivitySpec()
    optimize: OptimizeSpec = OptimizeSpec()
    crossover: CrossoverSpec = CrossoverSpec()
    twin: TwinSpec = TwinSpec.model_validate({})

    @model_validator(mode="after")
    def _check(self) -> StudySpec:
        seen: dict[str, str] = {}
        for k, p in enumerate(self.parameter):
            t = p.target
            key = t.override or t.learning or t.path
            if key in seen:
                raise ValueError(
                    f"parameter: {p.path!r} (parameter {k}) sets {key}, as {seen[key]!r} does"
                )
            seen[key] = p.path
            if self.study.engine == "twin" and t.spec_field is None:
                raise ValueError(
                    f"parameter: {p.path!r} is not a key of the design spec, so a twin study "
                    "cannot vary it (the twin reads its catalog entries and ignores the costs)"
                )
            if t.learning is not None and "crossover_year" not in self.study.outputs:
                raise ValueError(
                    f"parameter: {p.path!r} is a learning input; it only moves the output "
                    "'crossover_year', which study.outputs lacks"
                )
        return self


@dataclass(frozen=True)
class Study:
    """A validated study: its spec, the base design it varies, and where it was read from."""

    spec: StudySpec
    design: DesignSpec
    source: str = "study"


def _describe(error: dict[str, Any]) -> tuple[str, str]:
    loc = [str(p) for p in error["loc"]]
    message = str(error["msg"]).removeprefix("Value error, ")
    if error["type"] == "extra_forbidden":
        parent = _model_at(loc[:-1])
        valid = [f.alias or n for n, f in parent.model_fields.items()] if parent else []
        hint = difflib.get_close_matches(loc[-1], valid, n=1, cutoff=0.6)
        message = "unknown key" + (f"; did you mean '{hint[0]}'?" if hint else "")
        if valid:
            message += f" (valid keys here: {', '.join(valid)})"
    elif error["type"] == "missing":
        message = "required key is missing"
    else:
        head, sep, rest = message.partition(": ")
        if sep and " " not in head:
            loc.append(head)
            message = rest
    return ".".join(loc), message


def _model_at(loc: list[str]) -> type[BaseModel] | None:
    model: type[BaseModel] = StudySpec
    for key in loc:
        if key.isdigit():
            continue
        field = next((f for n, f in model.model_fields.items() if (f.alias or n) == key), None)
        if field is None:
            return None
        nested = [
            c
            for c in (*getattr(field.annotation, "__args__", ()), field.annotation)
            if isinstance(c, type) and issubclass(c, BaseModel)
        ]
        if not nested:
            return None
        model = nested[0]
    return model


def parse_study(data: dict[str, Any], design: DesignSpec, source: str = "study") -> Study:
    """Validate a study given as a dict (as read from TOML) against its base ``design``.

    Raises :class:`~orbitaldc.spec.SpecError` listing every problem with its dotted path.
    """
    try:
        spec = StudySpec.model_validate(data)
    except ValidationError as exc:
        raise SpecError([_describe(e) for e in exc.errors()], source) from None
    problems = _check_outputs(spec, design)
    if problems:
        raise SpecError(problems, source)
    return Study(spec, design, source)


def output_names(spec: StudySpec, design: DesignSpec) -> tuple[str, ...]:
    """Every output a study of ``design`` with ``spec``'s engine can keep."""
    if spec.study.engine == "twin":
        return TWIN_OUTPUTS
    from orbitaldc.closure import evaluate_batch

    return (*evaluate_batch(design), *DERIVED_OUTPUTS)


def _check_outputs(spec: StudySpec, design: DesignSpec) -> list[tuple[str, str]]:
    if design.orbit is None:
        return [
            (
                "study.design",
                f"{design.mission.name} is a terrestrial design; a study "
                "compares an orbital design with the ground",
            )
        ]
    valid = output_names(spec, design)
    problems = []
    objectives = spec.optimize.parsed() if "optimize" in spec.model_fields_set else []
    names = [*spec.study.outputs, *(name for _, name in objectives)]
    for k, name in enumerate(names):
        if name in valid:
            continue
        where = (
            f"study.outputs.{k}"
            if k < len(spec.study.outputs)
            else f"optimize.objectives.{k - len(spec.study.outputs)}"
        )
        hint = difflib.get_close_matches(name, valid, n=1, cutoff=0.5)
        problems.append(
            (
                where,
                f"unknown output {name!r}"
                + (f"; did you mean {hint[0]!r}?" if hint else "")
                + f" ({spec.study.engine} outputs: {', '.join(valid)})",
            )
        )
    return problems


def load_study(path: str | Path) -> Study:
    """Read and validate the study TOML at ``path`` and the design it names (relative to the
    study file's folder)."""
    path = Path(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise SpecError([("", f"cannot read the study file: {exc.strerror}")], str(path)) from None
    except tomllib.TOMLDecodeError as exc:
        raise SpecError([("", f"not valid TOML: {exc}")], str(path)) from None
    design_path = (data.get("study") or {}).get("design")
    if isinstance(design_path, str):
        resolved = Path(design_path)
        if not resolved.is_absolute():
            resolved = (path.parent / resolved).resolve()
        if not resolved.is_file():
            raise SpecError([("study.design", f"no such design spec: {resolved}")], str(path))
        data["study"]["design"] = str(resolved)
        design = load_spec(resolved)
    else:
        try:
            StudySpec.model_validate(data)
        except ValidationError as exc:
            raise SpecError([_describe(e) for e in exc.errors()], str(path)) from None
        raise SpecError(
            [
                (
                    "study.design",
                    "the base design spec's path, e.g. '../scenarios/suncatcher-81.toml'",
                )
            ],
            str(path),
        )
    return parse_study(data, design, str(path))
