"""Closing a large batch of designs: the orbit kernel once, the numpy chain in chunks on threads.

The closure (:func:`orbitaldc.closure.kernel.close`) is numpy, vectorised over designs; what
the designs share (every input that no override touches) stays one float, so it is computed once
per batch. Two things limit a large batch: memory traffic (a chain of some 300 array operations
over arrays larger than the CPU's caches) and the single core numpy runs on. So the orbit figures,
a compiled kernel already parallel over designs, are computed for the whole batch first; the rest
of the chain then runs on chunks of :data:`CHUNK_DESIGNS` designs, whose temporaries stay in the
CPU cache, spread over ``numba.get_num_threads()`` threads (numpy releases the GIL inside its
loops). Every design is computed by the same operations as alone: chunking changes no value.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor

import numba
import numpy as np
from numpy.typing import ArrayLike

from orbitaldc.closure.design import design_inputs
from orbitaldc.closure.kernel import close, orbit_of
from orbitaldc.spec import DesignSpec

#: Designs per chunk of the numpy chain: its temporaries (128 kB each) stay in the CPU's caches,
#: and the Python between numpy calls is paid once per 16,384 designs (measured: 5 % faster
#: than 8,192, 15 % faster than 65,536).
CHUNK_DESIGNS = 16_384


def evaluate_batch(
    spec: DesignSpec,
    overrides: Mapping[str, ArrayLike] | None = None,
    outputs: Sequence[str] | None = None,
) -> dict[str, np.ndarray]:
    """Close N variants of ``spec`` in one vectorised call.

    Parameters
    ----------
    spec : DesignSpec
        The base design.
    overrides : mapping of str to array_like, optional
        Per-design values, all of length N, for any name in
        :data:`orbitaldc.closure.design.OVERRIDABLE` (SI units), e.g.
        ``{"altitude_m": np.linspace(500e3, 1200e3, 1000)}``.
    outputs : sequence of str, optional
        The columns to return (default: all). Every figure is still computed; only these are
        written out, which saves memory and time in large studies.

    Returns
    -------
    dict of str to ndarray, shape (N,)
        Every input and result of the closure (or the ``outputs`` asked for, in that order);
        ``closes`` is 1.0 where the design closes. Pass it to ``pandas.DataFrame`` for a table.
        A column that differs between designs is a row of one ``(column, N)`` array (copy it to
        keep it without the others); a column every design shares (an input no override touches
        and what depends on such inputs only) is a read-only view of its one value, which costs
        no memory (copy it to write into it).
    """
    design, n = design_inputs(spec, overrides)
    orbit = orbit_of(design) if np.all(design["orbital"]) else None

    def one(chunk: slice) -> dict[str, object]:
        d = _rows(design, chunk, n)
        o = None if orbit is None else _rows(orbit, chunk, n)
        return {**d, **close(d, o)}

    chunks = [slice(a, min(a + CHUNK_DESIGNS, n)) for a in range(0, max(n, 1), CHUNK_DESIGNS)]
    # The first chunk names the columns; the others fill them from the pool's threads.
    first = one(chunks[0])
    columns, per_design = _allocate(first, n, chunks[0].stop, outputs)
    _write(per_design, chunks[0], first)
    if len(chunks) > 1:
        with ThreadPoolExecutor(min(numba.get_num_threads(), len(chunks) - 1)) as pool:
            list(pool.map(lambda chunk: _write(per_design, chunk, one(chunk)), chunks[1:]))
    return columns


def _rows(values: Mapping[str, object], chunk: slice, n: int) -> dict[str, object]:
    """The designs ``chunk`` of per-design arrays (shape ``(n,)``); shared values unchanged."""
    return {
        k: v[chunk] if isinstance(v, np.ndarray) and v.shape == (n,) else v
        for k, v in values.items()
    }


def _allocate(
    values: Mapping[str, object], n: int, first: int, outputs: Sequence[str] | None
) -> tuple[dict[str, np.ndarray], dict[str, np.ndarray]]:
    """The ``(n,)`` columns for ``outputs`` (default: every name of ``values``, the results of the
    first ``first`` designs), and those of them still to fill, the ones that differ between
    designs.

    A shared value (a float, or shape (1,) in a chunk of more designs) becomes a read-only
    broadcast view. The others are the rows of one empty array: one allocation, which numpy asks
    Linux to map in large pages (a few hundred page faults a batch instead of one per 4 kB, which
    cost more than the closure itself).
    """
    names = list(values) if outputs is None else list(outputs)
    for name in names:
        if name not in values:
            hint = difflib.get_close_matches(name, list(values), n=1)
            raise ValueError(
                f"evaluate_batch has no output {name!r}"
                + (f"; did you mean {hint[0]!r}?" if hint else "")
            )
    varying = [name for name in names if first == 1 or np.shape(values[name]) == (first,)]
    per_design = dict(zip(varying, np.empty((len(varying), n)), strict=True))
    columns = {
        name: per_design[name]
        if name in per_design
        else np.broadcast_to(np.asarray(values[name], dtype=float).reshape(()), (n,))
        for name in names
    }
    return columns, per_design


def _write(columns: dict[str, np.ndarray], chunk: slice, values: Mapping[str, object]) -> None:
    for name, column in columns.items():
        column[chunk] = values[name]
