"""Run a study's designs chunk by chunk through an engine, an executor and a sink.

:class:`Plan` fixes everything a chunk needs (parameters, their distributions or grid axes, the
engine, the sampler, the chunk size, the seed) and a fingerprint of it; :func:`evaluate_chunk`
turns one chunk index into its table (``sample``, one column per parameter, one per output), on
whatever worker runs it; :func:`stream` runs the chunks not yet stored, writes each to the sink as
it arrives and yields every chunk's table, stored ones first (read back from the sink), so a
killed study resumes where it stopped with no row lost or repeated.

The study functions do no I/O of their own: the sink (:class:`Sink`) is passed in. The CLI
passes ``orbitaldc.report.study_store.ParquetSink``; :class:`MemorySink` keeps the tables in
memory.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

import numpy as np

from orbitaldc.study import sampling
from orbitaldc.study.distributions import Distribution
from orbitaldc.study.execute import InProcess
from orbitaldc.study.parameters import Target

Table = dict[str, np.ndarray]
Progress = Callable[[int, int], None]


class Sink(Protocol):
    """Where a study's chunks go: ``start`` returns the chunks already stored for this
    fingerprint (forgetting any stored for another), ``write`` stores one chunk atomically,
    ``read`` gives a stored chunk back."""

    def start(self, fingerprint: str, chunks: int, columns: dict[str, str]) -> set[int]: ...

    def write(self, index: int, table: Table) -> None: ...

    def read(self, index: int) -> Table: ...


@dataclass
class MemorySink:
    """Keep every chunk's table in memory (a library caller's default)."""

    tables: dict[int, Table] = field(default_factory=dict)
    fingerprint: str | None = None

    def start(self, fingerprint: str, chunks: int, columns: dict[str, str]) -> set[int]:
        if fingerprint != self.fingerprint:
            self.tables.clear()
            self.fingerprint = fingerprint
        return set(self.tables)

    def write(self, index: int, table: Table) -> None:
        self.tables[index] = table

    def read(self, index: int) -> Table:
        return self.tables[index]


@dataclass(frozen=True)
class Plan:
    """One study run, fixed: ``sampler`` is ``"grid"``, ``"lhs"``, ``"random"`` or ``"given"``
    (points handed in per chunk: Saltelli, the optimiser); ``axes`` the grid's values per
    parameter; ``engine`` maps ``(design, parameter)`` values to outputs."""

    command: str
    names: tuple[str, ...]
    targets: tuple[Target, ...]
    distributions: tuple[Distribution, ...]
    engine: Callable[[np.ndarray], Table]
    outputs: tuple[str, ...]
    sampler: str
    rows: int
    chunk: int
    seed: int
    axes: tuple[np.ndarray, ...] = ()
    identity: str = ""

    @property
    def n_chunks(self) -> int:
        return sampling.n_chunks(self.chunk, self.rows)

    @property
    def fingerprint(self) -> str:
        """Hash of everything that decides the rows: a stored chunk is reused only under it."""
        text = json.dumps(
            [
                self.command,
                self.identity,
                self.names,
                self.outputs,
                self.sampler,
                self.rows,
                self.chunk,
                self.seed,
                [a.tolist() for a in self.axes],
                [repr(d) for d in self.distributions],
            ],
            sort_keys=True,
        )
        return hashlib.sha256(text.encode()).hexdigest()[:16]

    def columns(self) -> dict[str, str]:
        """Column name -> unit, in table order."""
        return {
            "sample": "1",
            **{n: t.unit for n, t in zip(self.names, self.targets, strict=True)},
            **{o: "" for o in self.outputs},
        }

    def values(self, unit: np.ndarray) -> np.ndarray:
        """Unit-hypercube points ``(row, parameter)`` mapped through the distributions (whole
        numbers for integer parameters)."""
        x = np.empty_like(unit, dtype=float)
        for k, (d, t) in enumerate(zip(self.distributions, self.targets, strict=True)):
            x[:, k] = d.ppf(unit[:, k])
            if t.integer:
                x[:, k] = np.rint(x[:, k])
        return x


def chunk_values(plan: Plan, index: int, unit: np.ndarray | None = None) -> tuple[np.ndarray, ...]:
    """``(rows, x)``: the global row indices and parameter values of chunk ``index``."""
    rows = sampling.chunk_rows(index, plan.chunk, plan.rows)
    d = len(plan.names)
    if plan.sampler == "grid":
        x = sampling.grid_rows(rows, plan.axes)
    elif plan.sampler == "lhs":
        x = plan.values(sampling.latin_hypercube(rows.size, d, plan.seed, index))
    elif plan.sampler == "random":
        x = plan.values(sampling.uniform_draws(rows.size, d, plan.seed, index))
    else:
        # Handed-in points (Saltelli's, a generation of the optimiser) may fill a chunk only
        # partly: an optimiser generation can hold fewer designs than the population.
        if unit is None or unit.ndim != 2 or unit.shape[1] != d or unit.shape[0] > rows.size:
            raise ValueError(f"chunk {index} needs up to {rows.size} x {d} points handed in")
        rows = rows[: unit.shape[0]]
        x = plan.values(unit)
    return rows, x


def evaluate_chunk(plan: Plan, index: int, unit: np.ndarray | None = None) -> Table:
    """The table of chunk ``index``: ``sample`` (global row), parameters, outputs."""
    rows, x = chunk_values(plan, index, unit)
    out = plan.engine(x)
    table: Table = {"sample": rows}
    table.update({name: x[:, k].copy() for k, name in enumerate(plan.names)})
    table.update({name: np.asarray(out[name], dtype=float) for name in plan.outputs})
    return table


def stream(
    plan: Plan,
    sink: Sink,
    executor: InProcess | None = None,
    progress: Progress | None = None,
    units: Sequence[np.ndarray] | None = None,
) -> Iterator[tuple[int, Table]]:
    """Yield ``(index, table)`` for every chunk: those the sink holds first, then the rest as
    they finish (each written to the sink before it is yielded). ``units`` are the chunks'
    points for a ``"given"`` sampler. ``progress(rows_done, rows_total)`` after each chunk."""
    done = sink.start(plan.fingerprint, plan.n_chunks, plan.columns())
    rows_done = 0
    for index in sorted(done):
        table = sink.read(index)
        rows_done += table["sample"].size
        yield index, table
    todo = [i for i in range(plan.n_chunks) if i not in done]
    if progress is not None:
        progress(rows_done, plan.rows)
    run = executor if executor is not None and len(todo) > 1 else InProcess()
    items = [(i, None if units is None else units[i]) for i in todo]
    for position, table in run.imap(evaluate_chunk, plan, items):
        index = todo[position]
        sink.write(index, table)
        rows_done += table["sample"].size
        if progress is not None:
            progress(rows_done, plan.rows)
        yield index, table


def collect(parts: dict[int, Table], names: Sequence[str]) -> Table:
    """The columns ``names`` of every chunk, concatenated in chunk order."""
    order = sorted(parts)
    return {n: np.concatenate([parts[i][n] for i in order]) for n in names}


def json_float(x: Any) -> float | None:
    """A JSON-safe float: None for NaN or infinite."""
    x = float(x)
    return x if np.isfinite(x) else None
