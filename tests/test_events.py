"""The generic event finder (physics.events) on analytic cases with known crossings."""

from __future__ import annotations

import numpy as np
import pytest

from orbitaldc.physics import events

W = np.array([0.05, 0.013, 0.11])  # rad/s, a different number of crossings per series
PHASE = np.array([2.0, -1.2, 0.4])
LEVEL = 0.3
T = np.arange(0.0, 1000.0, 5.0)  # s; starts and ends mid-interval for some series


def _f(series, t):
    return np.sin(W[series] * t + PHASE[series])


def _analytic(series):
    """Entries and exits of sin(w t + phase) > LEVEL within T, from the closed-form roots."""
    w, p = W[series], PHASE[series]
    n = np.arange(-2, 40)
    entries = (np.arcsin(LEVEL) - p + 2 * np.pi * n) / w
    exits = (np.pi - np.arcsin(LEVEL) - p + 2 * np.pi * n) / w
    keep = (entries > T[0]) & (entries < T[-1]), (exits > T[0]) & (exits < T[-1])
    return entries[keep[0]], exits[keep[1]]


def _values():
    s = np.arange(W.size)[:, None]
    return _f(s, T[None, :])


def test_bisection_finds_the_analytic_crossings_and_pairs_them():
    iv = events.find_intervals(T, _values(), LEVEL, refine=_f)
    for s in range(W.size):
        entries, exits = _analytic(s)
        mine = iv.series == s
        start, stop = iv.start_s[mine], iv.stop_s[mine]
        # 40 halvings of a 5 s bracket: 5 / 2^41 = 2e-12 s, plus rounding of sin near its root.
        assert np.allclose(start[~np.isnan(start)], entries, rtol=0, atol=1e-9)
        assert np.allclose(stop[~np.isnan(stop)], exits, rtol=0, atol=1e-9)
        inside = _values()[s] > LEVEL
        # Cut intervals: NaN where the series is inside at the start or end of the window.
        assert np.isnan(start[0]) == inside[0] and np.isnan(stop[-1]) == inside[-1]
        # first/last grid samples inside each interval are exactly the runs of the mask.
        edges = np.flatnonzero(np.diff(np.r_[False, inside, False].astype(int)))
        assert np.array_equal(iv.first_index[mine], edges[::2])
        assert np.array_equal(iv.last_index[mine], edges[1::2] - 1)
    # Series 0 starts inside (sin(2.0) > 0.3) and series 2's count differs from series 1's.
    counts = np.bincount(iv.series, minlength=W.size)
    assert len(set(counts)) == W.size
    assert np.all(np.diff(iv.series) >= 0)


def test_linear_interpolation_within_its_error_bound():
    # Linear interpolation between samples h apart errs by at most h^2 max|f''| / 8 in value,
    # i.e. h^2 w^2 / 8 / |f'| = h^2 w / (8 cos(asin(LEVEL))) in time at the crossing.
    iv = events.find_intervals(T, _values(), LEVEL)
    h = T[1] - T[0]
    for s in range(W.size):
        entries, exits = _analytic(s)
        bound = h**2 * W[s] / (8 * np.cos(np.arcsin(LEVEL))) * 1.01
        start, stop = iv.start_s[iv.series == s], iv.stop_s[iv.series == s]
        assert np.max(np.abs(start[~np.isnan(start)] - entries)) < bound
        assert np.max(np.abs(stop[~np.isnan(stop)] - exits)) < bound


def test_below_and_series_that_never_cross():
    # Inside below the threshold. Series 0, cos t < 0 on [0, 10]: from pi/2 to 3 pi/2, and from
    # 5 pi/2 on (cos 10 = -0.84: open at the end); series 1 always inside (one interval open at
    # both ends); series 2 never inside (no interval).
    t = np.linspace(0.0, 10.0, 101)
    values = np.stack([np.cos(t), np.full_like(t, -5.0), np.full_like(t, 5.0)])
    iv = events.find_intervals(t, values, 0.0, above=False, refine=lambda s, tt: np.cos(tt))
    assert list(iv.series) == [0, 0, 1]
    expected_start = [np.pi / 2, 5 * np.pi / 2, np.nan]
    assert np.allclose(iv.start_s, expected_start, rtol=0, atol=1e-9, equal_nan=True)
    assert np.allclose(
        iv.stop_s, [3 * np.pi / 2, np.nan, np.nan], rtol=0, atol=1e-9, equal_nan=True
    )
    assert np.isnan(iv.duration_s[1]) and iv.last_index[1] == t.size - 1
    assert iv.first_index[2] == 0 and iv.last_index[2] == t.size - 1


def test_pair_crossings_alone():
    # Sorted crossings of 3 series; series 3 (no crossing) inside for the whole window.
    series = np.array([0, 0, 0, 2, 2])
    entering = np.array([False, True, False, True, False])
    s, entry, exit_ = events.pair_crossings(series, entering, np.array([1, 0, 0, 1], bool))
    assert list(s) == [0, 0, 2, 3]
    assert list(entry) == [-1, 1, 3, -1]
    assert list(exit_) == [0, 2, 4, -1]
    # Without inside_at_start the whole-window series is not known.
    s, _, _ = events.pair_crossings(series, entering)
    assert list(s) == [0, 0, 2]
    empty = events.pair_crossings(np.zeros(0, int), np.zeros(0, bool))
    assert all(x.size == 0 for x in empty)


def test_bad_shapes_are_refused():
    with pytest.raises(ValueError, match="last axis must match"):
        events.find_intervals(T, np.zeros((2, T.size + 1)), 0.0)
