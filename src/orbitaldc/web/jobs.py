"""Background jobs: the kinds a job can be, their limits, and what a worker runs.

A :class:`JobKind` is a name, a pydantic model of its parameters, a size check made when the
job is submitted (too long, too many satellite-steps: refused with 422 before anything runs) and
the function a worker process calls with a :class:`Context` (the spec, the parameters, the job's
own folder and a progress callback). Kinds register in :data:`KINDS` (:func:`register`); ``twin``, ``workload``,
``report`` and ``study`` are below.

Every kind writes only into its job folder and resumes from what it finds there: the twin and
the workload loop through :mod:`orbitaldc.report.twin_store` and
:mod:`orbitaldc.report.workload_report`, which store a resume state after each simulated day.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from orbitaldc.spec import DesignSpec, UnitError, parse_quantity


@dataclass(frozen=True)
class Limits:
    """What one job may ask for: simulated days, satellite-steps (satellites x steps, summed
    over the policies of a workload run), the shortest step, and the wall time a worker may take
    (s) before it is stopped."""

    max_days: float = 31.0
    max_satellite_steps: float = 2e8
    min_step_s: float = 10.0
    time_limit_s: float = 1800.0


@dataclass(frozen=True)
class Context:
    """What a kind's ``run`` gets: the spec, its validated parameters, the job's folder (the only
    place it writes) and ``progress(fraction, message)``."""

    spec: DesignSpec
    params: Any
    folder: Path
    spec_text: str
    progress: Callable[[float, str], None]


@dataclass(frozen=True)
class JobKind:
    """A kind of background job (see the module docstring)."""

    name: str
    description: str
    params: type[BaseModel]
    check: Callable[[DesignSpec, Any, Limits], None]
    run: Callable[[Context], dict[str, Any]]


KINDS: dict[str, JobKind] = {}


def register(kind: JobKind) -> JobKind:
    """Add a job kind (a later one of the same name replaces it)."""
    KINDS[kind.name] = kind
    return kind


class _Params(BaseModel):
    model_config = ConfigDict(extra="forbid")


class TwinParams(_Params):
    """``twin``: the time-domain twin (``orbitaldc simulate``)."""

    duration: str = Field("1d", max_length=32, description="Simulated time, e.g. '1d', '12 h'.")
    step: str = Field("60s", max_length=32, description="Time step; must divide a day.")
    series_satellites: int = Field(5, ge=1, le=50, description="Satellites with time series.")
    radiation: bool = Field(True, description="Degradation and faults from the radiation chain.")


class WorkloadParams(_Params):
    """``workload``: the workload time loop on the twin (``orbitaldc workload``)."""

    duration: str = Field("1d", max_length=32)
    step: str = Field("60s", max_length=32)
    policy: Literal["greedy", "aware"] | None = None
    baseline: Literal["greedy", "aware", "none"] | None = None
    radiation: bool = True


class ReportParams(_Params):
    """``report``: the HTML report (``orbitaldc report``)."""

    twin_orbits: float = Field(2.0, ge=0.5, le=5.0)
    workload_days: float = Field(1.0, ge=0.0, le=3.0)


class StudyParams(_Params):
    """``study``: a sweep, Monte Carlo, sensitivity or optimisation of the job's design
    (``orbitaldc sweep | montecarlo | sensitivity | optimize``); ``study`` is the study TOML
    (docs/studies.md), whose ``[study] design`` is replaced by the job's spec."""

    command: Literal["sweep", "montecarlo", "sensitivity", "optimize"] = "montecarlo"
    study: str = Field(max_length=65_536, description="The study TOML (docs/studies.md).")


def _study(spec: DesignSpec, p: StudyParams) -> Any:
    """The validated study of ``spec``; problems as ValueError naming ``params.study``."""
    import tomllib

    from orbitaldc.spec import SpecError
    from orbitaldc.study import parse_study

    try:
        data = tomllib.loads(p.study)
    except tomllib.TOMLDecodeError as exc:
        raise ValueError(f"params.study: not valid TOML: {exc}") from None
    section = data.get("study")
    if isinstance(section, dict):
        section["design"] = "(the job's spec)"
    try:
        return parse_study(data, spec, "params.study")
    except SpecError as exc:
        raise ValueError(f"params.study: {exc}") from None


def _study_designs(study: Any, command: str) -> int:
    """Designs a study command evaluates (the size the limits apply to)."""
    from orbitaldc.study.studies import sweep_plan

    s = study.spec
    if command == "sweep":
        return sweep_plan(study).rows
    if command == "montecarlo":
        return s.montecarlo.samples
    if command == "sensitivity":
        return s.sensitivity.samples * (len(s.parameter) + 2)
    return s.optimize.population * s.optimize.generations


def _seconds(text: str, field: str) -> float:
    try:
        return parse_quantity(text, "time")
    except UnitError as exc:
        raise ValueError(f"params.{field}: {exc}") from None


def _check_time(spec: DesignSpec, duration: str, step: str, runs: int, limits: Limits) -> None:
    if spec.orbit is None:
        raise ValueError("spec: a terrestrial design has no orbit to simulate")
    duration_s = _seconds(duration, "duration")
    step_s = _seconds(step, "step")
    if not 0 < duration_s <= limits.max_days * 86400.0:
        raise ValueError(f"params.duration: must be more than 0 and at most {limits.max_days:g} d")
    if step_s < limits.min_step_s or 86400.0 % step_s or step_s > duration_s:
        raise ValueError(
            f"params.step: must be at least {limits.min_step_s:g} s, divide a day evenly and be "
            "no longer than the duration"
        )
    assert spec.constellation is not None
    size = spec.constellation.satellites * duration_s / step_s * runs
    if size > limits.max_satellite_steps:
        raise ValueError(
            f"params: {size:.3g} satellite-steps is more than this server runs in one job "
            f"({limits.max_satellite_steps:.3g}); shorten the duration or lengthen the step"
        )


def _check_twin(spec: DesignSpec, p: TwinParams, limits: Limits) -> None:
    _check_time(spec, p.duration, p.step, 1, limits)


def _check_workload(spec: DesignSpec, p: WorkloadParams, limits: Limits) -> None:
    if not spec.workload:
        raise ValueError("spec: declares no [[workload]] (docs/workloads.md)")
    main = p.policy or spec.scheduler.policy
    other = p.baseline or spec.scheduler.baseline
    _check_time(spec, p.duration, p.step, 1 if other in ("none", main) else 2, limits)


def _check_report(spec: DesignSpec, p: ReportParams, limits: Limits) -> None:
    if spec.constellation is not None and spec.workload and p.workload_days > 0:
        _check_time(spec, f"{p.workload_days} d", "60 s", 2, limits)


def _check_study(spec: DesignSpec, p: StudyParams, limits: Limits) -> None:
    study = _study(spec, p)
    designs = _study_designs(study, p.command)
    steps = 1.0
    if study.spec.study.engine == "twin":
        assert spec.constellation is not None
        twin = study.spec.twin
        steps = spec.constellation.satellites * twin.duration_s / twin.step_s
    if designs * steps > limits.max_satellite_steps * 10.0:
        raise ValueError(
            f"params.study: {designs:,} designs ({designs * steps:.3g} design-steps) is more "
            "than this server runs in one job; lower the samples or points"
        )


def _json_block(block: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in block.items() if k != "files"}


def _run_twin(ctx: Context) -> dict[str, Any]:
    from orbitaldc import api
    from orbitaldc.report.io import write_json_atomic
    from orbitaldc.report.twin_store import TwinStore, store_simulation

    p: TwinParams = ctx.params
    sim = api.simulate(
        ctx.spec,
        _seconds(p.duration, "duration"),
        _seconds(p.step, "step"),
        series_satellites=p.series_satellites,
        radiation=p.radiation,
    )
    done, _ = TwinStore(ctx.folder).load_resume(sim.plan)
    start = f"resumed after day {done} of {sim.plan.n_chunks}" if done else "started"
    ctx.progress(done / sim.plan.n_chunks, start)

    def progress(steps: int, total: int) -> None:
        ctx.progress(steps / max(total, 1), f"{start}; step {steps:,} of {total:,}")

    twin = store_simulation(sim, ctx.folder, progress=progress)
    summary = {**sim.result.summary, "twin": _json_block(twin)}
    write_json_atomic(ctx.folder / "summary.json", summary)
    return {"twin": summary["twin"], "resumed_after_days": done}


def _run_workload(ctx: Context) -> dict[str, Any]:
    from orbitaldc import api
    from orbitaldc.report.io import write_json_atomic
    from orbitaldc.report.workload_report import WorkloadStore, store_workloads

    p: WorkloadParams = ctx.params
    run = api.run_workloads(
        ctx.spec,
        _seconds(p.duration, "duration"),
        _seconds(p.step, "step"),
        policy=p.policy,
        baseline=p.baseline,
        radiation=p.radiation,
    )
    done = sum(WorkloadStore(ctx.folder / n).load(plan)[0] for n, plan in run.plans.items())
    start = f"resumed after {done} policy-days" if done else "started"

    def progress(days: int, total: int) -> None:
        ctx.progress(days / max(total, 1), f"{start}; day {days} of {total}")

    block, _ = store_workloads(run, ctx.folder, progress=progress)
    summary = {**api.run(ctx.spec).summary, "workload_run": block}
    write_json_atomic(ctx.folder / "summary.json", summary)
    return {"workload_run": {k: block[k] for k in ("policy", "duration_days", "jobs", "services")}}


def _run_report(ctx: Context) -> dict[str, Any]:
    from orbitaldc.report import html_report
    from orbitaldc.report.io import write_json_atomic, write_text_atomic

    p: ReportParams = ctx.params
    ctx.progress(0.0, "running the library")
    report = html_report.collect(
        ctx.spec,
        spec_text=ctx.spec_text,
        twin_orbits=p.twin_orbits,
        workload_days=p.workload_days,
    )
    ctx.progress(0.7, "drawing")
    write_text_atomic(ctx.folder / "report.html", html_report.render(report))
    write_json_atomic(ctx.folder / "summary.json", report.summary)
    return {"headline": report.headline}


def _run_study(ctx: Context) -> dict[str, Any]:
    from orbitaldc import study as studies
    from orbitaldc.report.study_report import write_study
    from orbitaldc.report.study_store import ParquetSink

    p: StudyParams = ctx.params
    s = _study(ctx.spec, p)
    run = {
        "sweep": studies.sweep,
        "montecarlo": studies.monte_carlo,
        "sensitivity": studies.sensitivity,
        "optimize": studies.optimize,
    }[p.command]

    def progress(done: int, total: int) -> None:
        ctx.progress(done / max(total, 1), f"{p.command}: chunk {done} of {total}")

    # In the worker process, on its own (no Dask): the Parquet sink keeps every finished chunk,
    # so a restarted job resumes where it stopped.
    with studies.executor(None, 1) as ex:
        result = run(s, ParquetSink(ctx.folder), ex, progress)
    write_study(result, ctx.folder)
    return {"digest": {k: result.digest.get(k) for k in ("study", "command", "rows")}}


register(
    JobKind(
        "twin",
        "The time-domain twin: power, battery, temperatures per step (orbitaldc simulate).",
        TwinParams,
        _check_twin,
        _run_twin,
    )
)
register(
    JobKind(
        "workload",
        "The workload time loop on the twin, policy against baseline (orbitaldc workload).",
        WorkloadParams,
        _check_workload,
        _run_workload,
    )
)
register(
    JobKind(
        "report",
        "The self-contained HTML report (orbitaldc report).",
        ReportParams,
        _check_report,
        _run_report,
    )
)
register(
    JobKind(
        "study",
        "A sweep, Monte Carlo, sensitivity or optimisation of the design (orbitaldc sweep etc.).",
        StudyParams,
        _check_study,
        _run_study,
    )
)
