"""One event finder: threshold crossings over (series, time) and the intervals between them.

In the spirit of Skyfield's ``find_discrete`` (Rhodes, Skyfield, ``searchlib``): a quantity
sampled on a time grid is compared with a threshold; the grid intervals where the comparison
changes are the brackets; each bracket is refined to a time, all brackets of all series at once
(vectorised bisection on a function the caller supplies, or linear interpolation of the samples);
the crossings of each series are then paired, an entry with the next exit, into intervals. An
interval under way at the start of the window has no entry (NaN), one not over at its end has no
exit (NaN).

A *series* is one row of a ``(series, time)`` array: a satellite, or a (satellite, kind) pair, or
a (satellite, ground station) pair. Inside means ``value > threshold`` (``above=True``: SAA flux
above a level, elevation above a mask) or ``value < threshold`` (``above=False``: the shadow
function below zero, a link margin below zero). Used by :mod:`orbitaldc.physics.eclipse`
(``eclipse_events``, ``eclipse_events_chunked``).

A grid that samples a quantity too coarsely can miss an interval shorter than its step that
begins and ends between two samples: choose the step below the shortest interval of interest.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike


@dataclass(frozen=True)
class Brackets:
    """Grid intervals where a series crosses the threshold, arrays of shape ``(crossing,)`` sorted
    by series and then time, and ``inside_at_start`` of shape ``(series,)``.

    The crossing lies between ``t[index]`` and ``t[index + 1]``; ``entering`` is True when the
    series goes inside there.
    """

    series: np.ndarray
    index: np.ndarray
    entering: np.ndarray
    inside_at_start: np.ndarray


@dataclass(frozen=True)
class Intervals:
    """Intervals inside, one entry per interval, arrays of shape ``(interval,)`` sorted by series
    and then time.

    ``start_s``/``stop_s`` are the refined crossing times, NaN for an interval under way at the
    start of the window or not over at its end. ``first_index``/``last_index`` are the first and
    last grid samples inside (0 and ``n_t - 1`` for an interval cut by the window).
    """

    series: np.ndarray
    start_s: np.ndarray
    stop_s: np.ndarray
    first_index: np.ndarray
    last_index: np.ndarray

    @property
    def duration_s(self) -> np.ndarray:
        """``stop_s - start_s``, s (NaN for an interval cut by the window)."""
        return self.stop_s - self.start_s


def _inside(values: np.ndarray, threshold: float, above: bool) -> np.ndarray:
    return values > threshold if above else values < threshold


def find_brackets(values: ArrayLike, threshold: float = 0.0, above: bool = True) -> Brackets:
    """Grid intervals where ``values`` ``(series, time)`` goes inside or outside.

    Inside is ``values > threshold`` for ``above``, else ``values < threshold``.
    """
    v = np.asarray(values, dtype=float)
    if v.ndim != 2:
        raise ValueError(f"values: expected shape (series, time), got {v.shape}")
    inside = _inside(v, threshold, above)
    series, index = np.nonzero(inside[:, :-1] != inside[:, 1:])
    return Brackets(series, index, inside[series, index + 1], inside[:, 0].copy())


def bisect_crossings(
    value: Callable[[np.ndarray], np.ndarray],
    t_lo_s: np.ndarray,
    t_hi_s: np.ndarray,
    inside_lo: np.ndarray,
    threshold: float = 0.0,
    above: bool = True,
    iterations: int = 40,
) -> np.ndarray:
    """Crossing times inside brackets ``[t_lo_s, t_hi_s]`` (shape ``(crossing,)``), by bisection of
    all brackets at once.

    ``value(t_s)`` returns the quantity at one trial time per bracket (shape ``(crossing,)``,
    in the brackets' order); ``inside_lo`` says whether each bracket's lower end is inside. Each
    iteration halves every bracket: after ``iterations`` the time is known to
    ``(t_hi - t_lo) / 2^(iterations + 1)`` (40 iterations: 3e-11 s for 60 s steps).
    """
    t_lo = np.asarray(t_lo_s, dtype=float)
    if t_lo.size == 0:
        return t_lo.copy()
    h = np.asarray(t_hi_s, dtype=float) - t_lo
    lo = np.zeros(t_lo.size)
    hi = np.ones(t_lo.size)
    for _ in range(iterations):
        mid = 0.5 * (lo + hi)
        same = _inside(value(t_lo + mid * h), threshold, above) == inside_lo
        lo = np.where(same, mid, lo)
        hi = np.where(same, hi, mid)
    return t_lo + 0.5 * (lo + hi) * h


def interpolate_crossings(
    t_s: ArrayLike, values: ArrayLike, brackets: Brackets, threshold: float = 0.0
) -> np.ndarray:
    """Crossing times of the straight line between the two samples of each bracket, s."""
    t = np.asarray(t_s, dtype=float)
    v = np.asarray(values, dtype=float)
    s, k = brackets.series, brackets.index
    v0, v1 = v[s, k], v[s, k + 1]
    return t[k] + (threshold - v0) / (v1 - v0) * (t[k + 1] - t[k])


def pair_crossings(
    series: ArrayLike,
    entering: ArrayLike,
    inside_at_start: ArrayLike | None = None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Pair the crossings of each series into intervals: an entry with the next exit.

    Parameters
    ----------
    series, entering : array_like, shape (crossing,)
        The crossings' series and direction, sorted by series and then time. A series' crossings
        alternate between entering and leaving (they are the sign changes of one sequence).
    inside_at_start : array_like of bool, shape (series,), optional
        Which series are inside at the start of the window. Only needed for a series inside for
        the whole window (no crossing): without it, such a series has no interval.

    Returns
    -------
    series, entry_row, exit_row : ndarray, shape (interval,)
        One row per interval, sorted by series and then time: the rows (into the crossings) of
        its entry and exit, -1 where the interval is under way at the start or not over at the
        end of the window.
    """
    s = np.asarray(series)
    into = np.asarray(entering, dtype=bool)
    same_next = np.zeros(s.size, dtype=bool)
    same_next[:-1] = s[1:] == s[:-1]
    # An interval ends at each exit, or at the last crossing of a series if that is an entry.
    rows = np.flatnonzero(~into | ~same_next)
    is_exit = ~into[rows]
    # Crossings alternate, so the crossing before an exit, if of the same series, is its entry.
    before = np.maximum(rows - 1, 0)
    has_entry = (rows > 0) & (s[before] == s[rows])
    entry_row = np.where(is_exit, np.where(has_entry, rows - 1, -1), rows)
    exit_row = np.where(is_exit, rows, -1)
    out_series = s[rows]
    if inside_at_start is not None:
        start = np.asarray(inside_at_start, dtype=bool)
        crossed = np.zeros(start.size, dtype=bool)
        crossed[s] = True
        whole = np.flatnonzero(start & ~crossed)
        if whole.size:
            at = np.searchsorted(out_series, whole)
            out_series = np.insert(out_series, at, whole)
            entry_row = np.insert(entry_row, at, -1)
            exit_row = np.insert(exit_row, at, -1)
    return out_series, entry_row, exit_row


def find_intervals(
    t_s: ArrayLike,
    values: ArrayLike,
    threshold: float = 0.0,
    above: bool = True,
    refine: Callable[[np.ndarray, np.ndarray], np.ndarray] | None = None,
    iterations: int = 40,
) -> Intervals:
    """Intervals where sampled series are inside a threshold, with refined entry and exit times.

    Parameters
    ----------
    t_s : array_like, shape (n_t,)
        Increasing sample times, s.
    values : array_like, shape (series, n_t) or (n_t,)
        The quantity at the samples (any unit; ``threshold`` in the same unit).
    threshold : float
    above : bool
        Inside is ``values > threshold`` (True) or ``values < threshold`` (False).
    refine : callable, optional
        ``refine(series, t_s) -> values`` evaluates the quantity for the given series at the
        given times (arrays of one shape); each crossing is then found by bisection
        (:func:`bisect_crossings`, ``iterations`` halvings). Without it, the samples are
        interpolated linearly (:func:`interpolate_crossings`).

    Returns
    -------
    Intervals
    """
    t = np.asarray(t_s, dtype=float)
    v = np.atleast_2d(np.asarray(values, dtype=float))
    if t.ndim != 1 or v.shape[-1] != t.size:
        raise ValueError(f"values: last axis must match t_s (time,), got {v.shape} and {t.shape}")
    b = find_brackets(v, threshold, above)
    if refine is None:
        time = interpolate_crossings(t, v, b, threshold)
    else:
        time = bisect_crossings(
            lambda trial: refine(b.series, trial),
            t[b.index],
            t[b.index + 1],
            ~b.entering,
            threshold,
            above,
            iterations,
        )
    series, entry, exit_ = pair_crossings(b.series, b.entering, b.inside_at_start)
    return Intervals(
        series=series,
        start_s=take_rows(time, entry, np.nan),
        stop_s=take_rows(time, exit_, np.nan),
        first_index=take_rows(b.index + 1, entry, 0),
        last_index=take_rows(b.index, exit_, t.size - 1),
    )


def take_rows(values: np.ndarray, rows: np.ndarray, fill: float) -> np.ndarray:
    """``values[rows]`` with ``fill`` where ``rows`` is -1 (the open ends of
    :func:`pair_crossings`)."""
    out = np.full(rows.shape, fill, dtype=np.result_type(values, fill))
    found = rows >= 0
    out[found] = values[rows[found]]
    return out
