"""The four studies: sweep, Monte Carlo, sensitivity, optimisation (docs/studies.md).

Each takes a validated :class:`~orbitaldc.study.spec.Study`, a sink for its rows (default: in
memory), an executor (default: this process) and a progress callback, and returns a
:class:`StudyResult`: the JSON digest and the arrays its plots need. Nothing here writes a file.

- :func:`sweep`: a full grid or a Latin hypercube; with two grid parameters the break-even line
  (where the cost ratio is 1) on the grid;
- :func:`monte_carlo`: P10/P50/P90 of every output, P(closes), P(space beats ground), the
  rank correlation of each parameter with the cost ratio (and the crossover year), and the
  crossover-year distribution;
- :func:`sensitivity`: Sobol' first-order and total indices (SALib) and tornado bars;
- :func:`optimize`: the Pareto front (NSGA-II) of designs that close.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from orbitaldc.study import analysis, sampling
from orbitaldc.study.engines import ClosureEngine, TwinEngine
from orbitaldc.study.execute import InProcess
from orbitaldc.study.optimize import nsga2
from orbitaldc.study.runner import (
    MemorySink,
    Plan,
    Progress,
    Sink,
    Table,
    collect,
    evaluate_chunk,
    json_float,
    stream,
)
from orbitaldc.study.spec import Study

#: Rows per chunk when the study does not say: the closure's batch path is fastest on long
#: arrays (memory: ~1.8 kB per design during a batch slice of ``engines.BATCH``); a twin chunk is
#: one design, so time-domain studies spread design by design.
DEFAULT_CHUNK = {"closure": 100_000, "twin": 1}
#: Largest side of the break-even surface kept for the plot and digest (the grid is decimated).
SURFACE_SIDE = 400
#: Rows of a Latin-hypercube sweep kept for its scatter plots.
SCATTER_ROWS = 20_000


@dataclass(frozen=True)
class StudyResult:
    """What a study returns: ``digest`` (JSON-safe: what ``digest.json`` holds) and ``data``
    (arrays for the plots), with the ``plan`` that made the rows."""

    command: str
    digest: dict[str, Any]
    data: dict[str, Any] = field(default_factory=dict)
    plan: Plan | None = None


def _outputs(study: Study, extra: tuple[str, ...] = ()) -> tuple[str, ...]:
    s = study.spec.study
    base = list(s.outputs)
    if s.engine == "closure":
        base += [analysis.RATIO, "closes"]
    return tuple(dict.fromkeys([*base, *extra]))


def _fixed_inputs(study: Study) -> dict[str, float]:
    """The base design's dose-limited chip life, when the radiation chain shortens it (as
    ``orbitaldc run`` costs it), for every design of the study."""
    if not study.spec.study.radiation:
        return {}
    from orbitaldc import api

    life = api.run(study.design, network=False, answers=False).figures["chip_life_years"]
    return {} if math.isnan(life) else {"chip_life_years": float(life)}


def plan(
    study: Study,
    command: str,
    sampler: str,
    rows: int,
    chunk: int | None = None,
    outputs: tuple[str, ...] | None = None,
    axes: tuple[np.ndarray, ...] = (),
) -> Plan:
    """The :class:`Plan` of ``command`` on ``study``: ``rows`` designs drawn by ``sampler``."""
    s = study.spec
    if sampler != "grid":
        for k, prm in enumerate(s.parameter):
            if prm.grid_only:
                raise ValueError(
                    f"parameter.{k} ({prm.path}): only values are given, which serve a grid "
                    f"sweep; {command} draws from a distribution (give low and high, or a "
                    "distribution)"
                )
    targets = tuple(p.target for p in s.parameter)
    kept = _outputs(study) if outputs is None else outputs
    if s.study.engine == "twin":
        engine: Any = TwinEngine(
            study.design, targets, kept, s.twin.duration_s, s.twin.step_s, s.twin.radiation
        )
        settings: Any = s.twin.model_dump()
    else:
        fixed = _fixed_inputs(study)
        engine = ClosureEngine(study.design, targets, kept, fixed, s.crossover.years)
        settings = [fixed, s.crossover.years]
    identity = hashlib.sha256(
        (study.design.model_dump_json() + repr(settings)).encode()
    ).hexdigest()[:16]
    return Plan(
        command=command,
        names=tuple(p.path for p in s.parameter),
        targets=targets,
        distributions=tuple(p.distribution_of() for p in s.parameter),
        engine=engine,
        outputs=kept,
        sampler=sampler,
        rows=rows,
        chunk=chunk or s.study.chunk or DEFAULT_CHUNK[s.study.engine],
        seed=s.study.seed,
        axes=axes,
        identity=identity,
    )


def _header(study: Study, p: Plan) -> dict[str, Any]:
    s = study.spec
    return {
        "study": s.study.name,
        "command": p.command,
        "design": study.design.mission.name,
        "engine": s.study.engine,
        "seed": p.seed,
        "rows": p.rows,
        "chunks": p.n_chunks,
        "fingerprint": p.fingerprint,
        "parameters": [
            {
                "path": prm.path,
                "unit": t.unit,
                "distribution": prm.distribution,
                **{
                    k: json_float(v)
                    for k, v in vars(d).items()
                    if isinstance(v, float) and not math.isnan(v)
                },
            }
            for prm, t, d in zip(s.parameter, p.targets, p.distributions, strict=True)
        ],
        "outputs": list(p.outputs),
    }


class _Stats:
    """Streaming min / max / mean per output and the verdict counts, merged in chunk order."""

    def __init__(self, outputs: tuple[str, ...]) -> None:
        self.outputs = outputs
        self.parts: dict[int, dict[str, Any]] = {}

    def add(self, index: int, table: Table) -> None:
        part: dict[str, Any] = {"rows": table["sample"].size}
        for name in self.outputs:
            v = table[name]
            ok = v[np.isfinite(v)]
            part[name] = (
                ok.size,
                float(ok.sum()),
                float(ok.min()) if ok.size else math.inf,
                float(ok.max()) if ok.size else -math.inf,
            )
        verdict = analysis.verdict(table)
        part["verdict"] = {k: v * part["rows"] for k, v in verdict.items()}
        self.parts[index] = part

    def digest(self) -> dict[str, Any]:
        order = sorted(self.parts)
        rows = sum(self.parts[i]["rows"] for i in order)
        out: dict[str, Any] = {}
        for name in self.outputs:
            n = sum(self.parts[i][name][0] for i in order)
            total = math.fsum(self.parts[i][name][1] for i in order)
            out[name] = {
                "min": json_float(min(self.parts[i][name][2] for i in order)),
                "max": json_float(max(self.parts[i][name][3] for i in order)),
                "mean": json_float(total / n) if n else None,
                "finite": n,
            }
        verdict = {
            k: math.fsum(self.parts[i]["verdict"][k] for i in order) / rows
            for k in self.parts[order[0]]["verdict"]
        }
        return {**verdict, "statistics": out}


def sweep_plan(study: Study) -> Plan:
    """The :class:`Plan` of :func:`sweep`: a grid's axes, or a Latin hypercube."""
    s = study.spec
    if s.sweep.method == "lhs":
        if s.sweep.samples is None:
            raise ValueError("sweep.samples: a Latin-hypercube sweep needs its number of designs")
        return plan(study, "sweep", "lhs", s.sweep.samples)
    axes = []
    for k, prm in enumerate(s.parameter):
        values = prm.grid_values()
        if values is None:
            d = prm.distribution_of()
            if prm.points is None or math.isnan(d.low) or math.isnan(d.high):
                raise ValueError(
                    f"parameter.{k} ({prm.path}): a grid needs values, or low, high and points"
                )
            values = d.grid(prm.points)
        axis = np.asarray(values, dtype=float)
        axes.append(np.rint(axis) if prm.target.integer else axis)
    rows = math.prod(len(a) for a in axes)
    return plan(study, "sweep", "grid", rows, axes=tuple(axes))


def sweep(
    study: Study,
    sink: Sink | None = None,
    executor: InProcess | None = None,
    progress: Progress | None = None,
) -> StudyResult:
    """Every design of a grid (``[sweep] method = "grid"``: each parameter's ``values`` or
    ``points`` from ``low`` to ``high``) or of a Latin hypercube (``method = "lhs"``,
    ``samples``)."""
    p = sweep_plan(study)
    stats = _Stats(p.outputs)
    keep = _SweepKeep(p)
    for index, table in stream(p, sink or MemorySink(), executor, progress):
        stats.add(index, table)
        keep.add(index, table)
    digest = {**_header(study, p), **stats.digest()}
    data = keep.data()
    if "surface" in data and analysis.RATIO in data["surface"]:
        surf = data["surface"]
        x_name, y_name = surf["names"]
        ratio = surf[analysis.RATIO]
        digest["breakeven"] = {
            "x": x_name,
            "y": y_name,
            "x_values": [json_float(v) for v in surf["x"]],
            "y_at_parity": analysis.breakeven_line(
                surf["x"], surf["y"], ratio, log_y=_log_axis(surf["y"])
            ),
            "y_values": [json_float(v) for v in surf["y"]],
            "x_at_parity": analysis.breakeven_line(
                surf["y"], surf["x"], ratio.T, log_y=_log_axis(surf["x"])
            ),
        }
    return StudyResult("sweep", digest, data, p)


def _log_axis(values: np.ndarray) -> bool:
    """Whether a grid axis is geometric (then interpolate in its log)."""
    v = np.asarray(values, dtype=float)
    if v.size < 3 or np.any(v <= 0):
        return False
    ratios = v[1:] / v[:-1]
    return bool(np.allclose(ratios, ratios[0], rtol=1e-9)) and not np.allclose(
        np.diff(v), np.diff(v)[0], rtol=1e-9
    )


class _SweepKeep:
    """The rows a sweep's plots need: over a grid's two (or one) axes with more than one value,
    the decimated surface (or line); else the first ``SCATTER_ROWS`` rows."""

    def __init__(self, p: Plan) -> None:
        self.p = p
        self.parts: dict[int, Table] = {}
        self.shape = tuple(len(a) for a in p.axes)
        self.free = [k for k, n in enumerate(self.shape) if n > 1]
        self.stride = [max(1, -(-self.shape[k] // SURFACE_SIDE)) for k in self.free]
        self.kind = "scatter"
        if p.sampler == "grid" and len(self.free) in (1, 2):
            self.kind = "surface" if len(self.free) == 2 else "line"

    def add(self, index: int, table: Table) -> None:
        rows = table["sample"]
        if self.kind == "scatter":
            mask = rows < SCATTER_ROWS
        else:
            where = np.unravel_index(rows, self.shape)
            mask = np.ones(rows.size, dtype=bool)
            for k, stride in zip(self.free, self.stride, strict=True):
                mask &= where[k] % stride == 0
        if mask.any():
            self.parts[index] = {k: v[mask] for k, v in table.items()}

    def data(self) -> dict[str, Any]:
        if not self.parts:
            return {}
        t = collect(self.parts, list(next(iter(self.parts.values()))))
        if self.kind == "scatter":
            return {"scatter": t}
        axes = [self.p.axes[k][::stride] for k, stride in zip(self.free, self.stride, strict=True)]
        kept: dict[str, Any] = {"names": [self.p.names[k] for k in self.free]}
        kept["x"] = axes[0]
        if self.kind == "line":
            kept.update({name: t[name] for name in self.p.outputs})
            return {"line": kept}
        kept["y"] = axes[1]
        for name in self.p.outputs:
            kept[name] = t[name].reshape(axes[0].size, axes[1].size)
        return {"surface": kept}


def monte_carlo(
    study: Study,
    sink: Sink | None = None,
    executor: InProcess | None = None,
    progress: Progress | None = None,
) -> StudyResult:
    """``[montecarlo] samples`` independent draws of the parameters' distributions."""
    s = study.spec
    p = plan(study, "montecarlo", "random", s.montecarlo.samples)
    parts = dict(stream(p, sink or MemorySink(), executor, progress))
    t = collect(parts, ["sample", *p.names, *p.outputs])
    digest: dict[str, Any] = {
        **_header(study, p),
        **analysis.verdict(t),
        "percentiles": {
            name: analysis.percentiles(t[name]) for name in p.outputs if name != "crossover_year"
        },
    }
    first, last = s.crossover.years
    verdicts = {analysis.RATIO: t.get(analysis.RATIO)}
    if "crossover_year" in t:
        # No crossover in range ranks after the last year.
        verdicts["crossover_year"] = np.where(
            np.isnan(t["crossover_year"]), last + 1.0, t["crossover_year"]
        )
    digest["rank_correlation"] = {
        out: {name: json_float(_spearman(t[name], y)) for name in p.names}
        for out, y in verdicts.items()
        if y is not None
    }
    if "crossover_year" in t:
        digest["crossover_year"] = analysis.crossover_distribution(t["crossover_year"], first, last)
    return StudyResult("montecarlo", digest, {"rows": t}, p)


def _spearman(x: np.ndarray, y: np.ndarray) -> float:
    """Spearman's rank correlation over the rows where both are finite (NaN if constant)."""
    from scipy.stats import spearmanr

    ok = np.isfinite(x) & np.isfinite(y)
    if ok.sum() < 3 or np.ptp(x[ok]) == 0 or np.ptp(y[ok]) == 0:
        return math.nan
    return float(spearmanr(x[ok], y[ok]).statistic)


def sensitivity(
    study: Study,
    sink: Sink | None = None,
    executor: InProcess | None = None,
    progress: Progress | None = None,
) -> StudyResult:
    """Sobol' indices on Saltelli's ``[sensitivity] samples (D + 2)`` designs, and the tornado
    chart (each parameter at its low and high quantile, the others at their medians)."""
    s = study.spec
    d = len(s.parameter)
    unit = sampling.saltelli(s.sensitivity.samples, d, s.study.seed)
    p = plan(study, "sensitivity", "given", unit.shape[0])
    units = [unit[sampling.chunk_rows(i, p.chunk, p.rows)] for i in range(p.n_chunks)]
    parts = dict(stream(p, sink or MemorySink(), executor, progress, units))
    t = collect(parts, ["sample", *p.names, *p.outputs])
    sobol: dict[str, Any] = {}
    for name in p.outputs:
        indices = analysis.sobol_analyze(t[name], d, s.study.seed)
        sobol[name] = (
            None
            if indices is None
            else {
                prm: {k: json_float(v[j]) for k, v in indices.items()}
                for j, prm in enumerate(p.names)
            }
        )
    low, high = s.sensitivity.tornado
    t_unit, _ = analysis.tornado_points(p.distributions, low, high)
    t_x = p.values(t_unit)
    t_y = p.engine(t_x)
    tornado = {name: analysis.tornado_bars(p.names, t_x, t_y[name]) for name in p.outputs}
    digest = {
        **_header(study, p),
        "sobol": sobol,
        "sobol_failed": [name for name in p.outputs if sobol[name] is None],
        "tornado_quantiles": [low, high],
        "tornado": tornado,
    }
    return StudyResult("sensitivity", digest, {"sobol": sobol, "tornado": tornado}, p)


def optimize(
    study: Study,
    sink: Sink | None = None,
    executor: InProcess | None = None,
    progress: Progress | None = None,
) -> StudyResult:
    """The Pareto front of ``[optimize] objectives`` over the parameters' ranges (``low`` to
    ``high``, log-uniform for ``scale = "log"``), every design on it closing."""
    s = study.spec
    if s.study.engine != "closure":
        raise ValueError("study.engine: the optimiser runs on the closure (engine = 'closure')")
    for k, prm in enumerate(s.parameter):
        if prm.distribution != "uniform":
            raise ValueError(
                f"parameter.{k} ({prm.path}): the optimiser searches a range; give low and high "
                f"(distribution 'uniform'), not a {prm.distribution} distribution"
            )
    objectives = s.optimize.parsed()
    names = tuple(name for _, name in objectives)
    extra = ("failed_checks",) if s.study.engine == "closure" else ()
    p = plan(
        study,
        "optimize",
        "given",
        s.optimize.population * s.optimize.generations,
        chunk=s.optimize.population,
        outputs=_outputs(study, (*names, *extra)),
    )
    sink = sink or MemorySink()
    done = sink.start(p.fingerprint, p.n_chunks, p.columns())
    run = executor or InProcess()
    tables: dict[int, Table] = {}

    def model(generation: int, unit: np.ndarray) -> Mapping[str, np.ndarray]:
        if generation in done:
            table = sink.read(generation)
        else:
            ((_, table),) = run.imap(evaluate_chunk, p, [(generation, unit)])
            sink.write(generation, table)
        tables[generation] = table
        if progress is not None:
            progress(sum(v["sample"].size for v in tables.values()), p.rows)
        return table

    front = nsga2(
        model, len(p.names), objectives, s.optimize.population, s.optimize.generations, p.seed
    )
    x = p.values(front.unit) if front.unit.size else np.empty((0, len(p.names)))
    rows = [
        {
            **{n: json_float(v) for n, v in zip(p.names, x[i], strict=True)},
            **{
                f"{sense} {name}": json_float(front.objectives[i, j])
                for j, (sense, name) in enumerate(objectives)
            },
        }
        for i in range(x.shape[0])
    ]
    t = collect(tables, ["sample", *p.names, *p.outputs])
    closes = analysis.verdict(t).get("p_closes")
    digest = {
        **_header(study, p),
        "objectives": s.optimize.objectives,
        "evaluated": front.evaluated,
        "generations": front.generations,
        "fraction_closing": closes,
        "front": rows,
    }
    return StudyResult(
        "optimize", digest, {"rows": t, "front_x": x, "front_f": front.objectives}, p
    )
