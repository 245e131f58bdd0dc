"""Draws of a study, chunk by chunk: each chunk's points depend only on the seed and the chunk.

A study of ``n`` designs is cut into chunks of ``chunk`` rows; chunk ``i`` holds rows
``i * chunk`` to ``min((i + 1) * chunk, n) - 1``. Each function here returns one chunk's points,
so any worker can draw any chunk, in any order, and get the same numbers:

- :func:`grid_rows`: the full factorial grid, row ``r`` at ``numpy.unravel_index(r, shape)``
  (C order: the last parameter varies fastest);
- :func:`latin_hypercube`: a Latin hypercube of the chunk's rows (McKay, Beckman & Conover,
  Technometrics 21 (1979) 239-245), each chunk stratified on its own (so the whole study's draws
  never need to be held at once), from ``SeedSequence([seed, chunk])``;
- :func:`uniform_draws`: independent uniform draws from ``SeedSequence([seed, chunk])``;
- :func:`saltelli`: Saltelli's cross-sampling of a scrambled Sobol' sequence (SALib), for the
  Sobol' indices; drawn whole (``N (D + 2)`` rows) and sliced into chunks.

Points are in the unit hypercube, shape ``(row, parameter)``; the study maps them through each
parameter's distribution.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np


def chunk_rows(chunk: int, size: int, total: int) -> np.ndarray:
    """Row indices of chunk ``chunk`` (``size`` rows per chunk, ``total`` rows in all)."""
    start = chunk * size
    return np.arange(start, min(start + size, total), dtype=np.int64)


def n_chunks(size: int, total: int) -> int:
    """Chunks of ``size`` rows that hold ``total`` rows."""
    return max(1, -(-total // size))


def rng(seed: int, chunk: int) -> np.random.Generator:
    """The chunk's own generator (PCG64 from ``SeedSequence([seed, chunk])``)."""
    return np.random.Generator(np.random.PCG64(np.random.SeedSequence([seed, chunk])))


def grid_rows(rows: np.ndarray, values: Sequence[np.ndarray]) -> np.ndarray:
    """Parameter values of grid rows ``rows``: ``values[k]`` is parameter k's axis; shape
    ``(row, parameter)``, in the parameters' units (not unit-hypercube points)."""
    index = np.unravel_index(rows, tuple(len(v) for v in values))
    return np.stack([np.asarray(v, dtype=float)[i] for v, i in zip(values, index, strict=True)], 1)


def latin_hypercube(n: int, d: int, seed: int, chunk: int) -> np.ndarray:
    """``n`` points of a Latin hypercube in ``d`` dimensions: in each dimension one point in each
    of the ``n`` equal strata of [0, 1), at a uniform position within it."""
    g = rng(seed, chunk)
    strata = np.stack([g.permutation(n) for _ in range(d)], axis=1)
    return (strata + g.random((n, d))) / n


def uniform_draws(n: int, d: int, seed: int, chunk: int) -> np.ndarray:
    """``n`` independent uniform points in ``[0, 1)^d``."""
    return rng(seed, chunk).random((n, d))


def saltelli(base: int, d: int, seed: int) -> np.ndarray:
    """Saltelli's ``base (d + 2)`` points for first-order and total Sobol' indices (SALib's
    ``sample.sobol``, scrambled, no second order), in ``[0, 1)^d``."""
    from SALib.sample import sobol

    problem = {"num_vars": d, "names": [f"x{k}" for k in range(d)], "bounds": [[0.0, 1.0]] * d}
    return sobol.sample(problem, base, calc_second_order=False, scramble=True, seed=seed)
