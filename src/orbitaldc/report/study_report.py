"""A study's digest (``digest.json``) and plots (PNG), from a ``orbitaldc.study.StudyResult``.

Draws what the study returned; computes nothing beyond what a plot's axes need.

- sweep: ``breakeven.png`` (the cost ratio over a two-parameter grid, filled contours of
  ``log10 ratio`` with the break-even line ``ratio = 1``), or ``sweep.png`` (each output against
  the one parameter of a line, or against each parameter of a Latin hypercube);
- montecarlo: ``distributions.png`` (histogram of each output; the ratio with its break-even at
  1) and, with a crossover year, ``crossover_year.png`` (its cumulative distribution);
- sensitivity: ``sobol.png`` (first-order and total indices per output) and ``tornado.png``;
- optimize: ``pareto.png`` (every design evaluated, those that close, and the front, for each
  pair of objectives).
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import numpy as np

from orbitaldc.report.io import write_json_atomic, write_png_atomic

RATIO = "space_to_ground_cost_ratio"


def _plt() -> Any:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def _label(name: str, units: dict[str, str]) -> str:
    unit = units.get(name)
    return f"{name} ({unit})" if unit and unit != "1" else name


def write_study(result: Any, out_dir: str | Path) -> list[Path]:
    """``digest.json`` and the command's plots in ``out_dir``; returns the paths written."""
    out_dir = Path(out_dir)
    units = {p["path"]: p["unit"] for p in result.digest["parameters"]}
    plots = {
        "sweep": _sweep_plots,
        "montecarlo": _montecarlo_plots,
        "sensitivity": _sensitivity_plots,
        "optimize": _optimize_plots,
    }[result.command](result, out_dir, units)
    digest = {**result.digest, "files": [p.name for p in plots]}
    return [write_json_atomic(out_dir / "digest.json", digest), *plots]


def _sweep_plots(result: Any, out_dir: Path, units: dict[str, str]) -> list[Path]:
    plt = _plt()
    data = result.data
    if "surface" in data and RATIO in data["surface"]:
        s = data["surface"]
        x_name, y_name = s["names"]
        fig, ax = plt.subplots(figsize=(7.5, 5.5))
        with np.errstate(divide="ignore", invalid="ignore"):
            z = np.log10(np.where(s[RATIO] > 0, s[RATIO], np.nan)).T
        from matplotlib.colors import TwoSlopeNorm

        low, high = np.nanmin(z), np.nanmax(z)
        # Green where space costs less than the ground (log ratio < 0), red where it costs more.
        norm = TwoSlopeNorm(0.0, min(low, -1e-3), max(high, 1e-3))
        filled = ax.contourf(s["x"], s["y"], z, levels=24, cmap="RdYlGn_r", norm=norm)
        fig.colorbar(filled, ax=ax, label="log10 space / ground cost ratio")
        if low < 0 < high:
            ax.contour(s["x"], s["y"], z, levels=[0.0], colors="k", linewidths=2)
        _log_axes(ax, s["x"], s["y"])
        ax.set_xlabel(_label(x_name, units))
        ax.set_ylabel(_label(y_name, units))
        closes = s.get("closes")
        note = ""
        if closes is not None and np.any(closes < 0.5):
            ax.contourf(
                s["x"],
                s["y"],
                (closes < 0.5).T.astype(float),
                levels=[0.5, 1.5],
                hatches=["//"],
                colors="none",
            )
            note = "; hatched: does not close"
        ax.set_title(
            f"{result.digest['study']}: break-even (black line, ratio = 1){note}", fontsize=10
        )
        fig.tight_layout()
        return [write_png_atomic(out_dir / "breakeven.png", fig)]
    kind = "line" if "line" in data else "scatter"
    if kind not in data:
        return []
    t = data[kind]
    outputs = [o for o in result.digest["outputs"] if o != "closes"]
    xs = t["names"][:1] if kind == "line" else list(units)
    fig, axes = plt.subplots(
        len(outputs), len(xs), figsize=(4.2 * len(xs), 2.8 * len(outputs)), squeeze=False
    )
    for i, out in enumerate(outputs):
        for j, name in enumerate(xs):
            ax = axes[i, j]
            x = t["x"] if kind == "line" else t[name]
            if kind == "line":
                ax.plot(x, t[out], "-", color="#3b6ea8")
            else:
                ax.plot(x, t[out], ".", ms=2, alpha=0.4, color="#3b6ea8")
            if out == RATIO:
                ax.axhline(1.0, color="k", ls="--", lw=1)
            ax.set_xlabel(_label(name, units), fontsize=8)
            ax.set_ylabel(out, fontsize=8)
    fig.suptitle(f"{result.digest['study']}: sweep", fontsize=10)
    fig.tight_layout()
    return [write_png_atomic(out_dir / "sweep.png", fig)]


def _log_axes(ax: Any, x: np.ndarray, y: np.ndarray) -> None:
    for values, setter in ((x, ax.set_xscale), (y, ax.set_yscale)):
        v = np.asarray(values, dtype=float)
        if v.size > 2 and np.all(v > 0) and v[-1] / v[0] > 20:
            setter("log")


def _montecarlo_plots(result: Any, out_dir: Path, units: dict[str, str]) -> list[Path]:
    plt = _plt()
    t = result.data["rows"]
    outputs = [o for o in result.digest["percentiles"] if o != "closes"]
    cols = min(2, len(outputs))
    rows = math.ceil(len(outputs) / cols)
    fig, axes = plt.subplots(rows, cols, figsize=(5.5 * cols, 3.4 * rows), squeeze=False)
    for ax, out in zip(axes.ravel(), outputs, strict=False):
        v = t[out][np.isfinite(t[out])]
        pct = result.digest["percentiles"][out]
        if v.size:
            log = bool(np.all(v > 0) and v.max() / v.min() > 30)
            bins = np.geomspace(v.min(), v.max(), 60) if log else 60
            ax.hist(v, bins=bins, color="#3b6ea8", alpha=0.8)
            if log:
                ax.set_xscale("log")
        for key, style in (("p10", ":"), ("p50", "-"), ("p90", ":")):
            if pct[key] is not None:
                ax.axvline(pct[key], color="k", ls=style, lw=1)
        if out == RATIO:
            ax.axvline(1.0, color="#b5651d", lw=2)
            p = result.digest.get("p_space_beats_ground")
            ax.set_title(f"P(space beats ground) = {p:.3f}", fontsize=9)
        ax.set_xlabel(out, fontsize=8)
    for ax in axes.ravel()[len(outputs) :]:
        ax.set_visible(False)
    fig.suptitle(
        f"{result.digest['study']}: {result.digest['rows']:,} draws (P10, P50, P90 in black)",
        fontsize=10,
    )
    fig.tight_layout()
    paths = [write_png_atomic(out_dir / "distributions.png", fig)]
    cross = result.digest.get("crossover_year")
    if cross is not None:
        fig, ax = plt.subplots(figsize=(7, 4))
        ax.step(cross["years"], cross["fraction_crossed_by_year"], where="post", color="#3b6ea8")
        ax.set_ylim(0, 1)
        ax.set_xlabel("year the design is built")
        ax.set_ylabel("P(space cost <= ground cost by then)")
        later = f"after {cross['years'][-1]}"
        p10, p50, p90 = (later if cross[k] is None else cross[k] for k in ("p10", "p50", "p90"))
        ax.set_title(
            f"{result.digest['study']}: crossover year P10 {p10}, P50 {p50}, P90 {p90} "
            f"(never in range: {cross['fraction_never']:.2f})",
            fontsize=9,
        )
        ax.grid(True, alpha=0.3)
        fig.tight_layout()
        paths.append(write_png_atomic(out_dir / "crossover_year.png", fig))
    return paths


def _sensitivity_plots(result: Any, out_dir: Path, units: dict[str, str]) -> list[Path]:
    plt = _plt()
    sobol = {k: v for k, v in result.data["sobol"].items() if v is not None and k != "closes"}
    tornado = {k: v for k, v in result.data["tornado"].items() if k != "closes"}
    names = list(units)
    paths = []
    if sobol:
        fig, axes = plt.subplots(
            len(sobol), 1, figsize=(7, 0.5 + 0.45 * len(names) * len(sobol) + 0.8), squeeze=False
        )
        y = np.arange(len(names))
        for ax, (out, indices) in zip(axes.ravel(), sobol.items(), strict=True):
            s1 = [indices[n]["S1"] or 0.0 for n in names]
            st = [indices[n]["ST"] or 0.0 for n in names]
            ax.barh(y - 0.2, s1, 0.4, label="first order S1", color="#3b6ea8")
            ax.barh(y + 0.2, st, 0.4, label="total ST", color="#b5651d")
            ax.set_yticks(y, names, fontsize=8)
            ax.set_xlim(0, 1.05)
            ax.set_title(out, fontsize=9)
            ax.legend(fontsize=7)
        fig.tight_layout()
        paths.append(write_png_atomic(out_dir / "sobol.png", fig))
    fig, axes = plt.subplots(
        len(tornado),
        1,
        figsize=(7.5, 0.6 + 0.45 * len(names) * len(tornado) + 0.8),
        squeeze=False,
    )
    for ax, (out, chart) in zip(axes.ravel(), tornado.items(), strict=True):
        base = chart["base"]
        bars = chart["bars"][::-1]
        for k, bar in enumerate(bars):
            for key, color in (("output_at_low", "#3b6ea8"), ("output_at_high", "#b5651d")):
                v = bar[key]
                if v is not None and base is not None:
                    ax.barh(k, v - base, left=base, color=color, height=0.6)
        ax.set_yticks(
            range(len(bars)),
            [f"{b['parameter']}\n{b['low']:.4g} .. {b['high']:.4g}" for b in bars],
            fontsize=7,
        )
        if base is not None:
            ax.axvline(base, color="k", lw=1)
        if out == RATIO:
            ax.axvline(1.0, color="grey", ls="--", lw=1)
        ax.set_title(f"{out} (blue: low quantile, orange: high)", fontsize=9)
    fig.tight_layout()
    paths.append(write_png_atomic(out_dir / "tornado.png", fig))
    return paths


def _optimize_plots(result: Any, out_dir: Path, units: dict[str, str]) -> list[Path]:
    plt = _plt()
    objectives = [o.split(" ", 1)[1] for o in result.digest["objectives"]]
    t = result.data["rows"]
    front = result.data["front_f"]
    pairs = [(i, j) for i in range(len(objectives)) for j in range(i + 1, len(objectives))]
    if not pairs:
        pairs = [(0, 0)]
    fig, axes = plt.subplots(1, len(pairs), figsize=(5 * len(pairs), 4.2), squeeze=False)
    closes = np.asarray(t.get("closes", np.ones(t["sample"].size))) > 0.5
    for ax, (i, j) in zip(axes.ravel(), pairs, strict=True):
        xi, xj = t[objectives[i]], t[objectives[j]]
        ax.plot(xi[~closes], xj[~closes], "x", ms=3, color="#cccccc", label="does not close")
        ax.plot(xi[closes], xj[closes], ".", ms=3, color="#9ab8d8", label="closes")
        if front.size:
            ax.plot(front[:, i], front[:, j], "o", ms=5, color="#b5651d", label="Pareto front")
        ax.set_xlabel(objectives[i], fontsize=8)
        ax.set_ylabel(objectives[j], fontsize=8)
        ax.legend(fontsize=7)
    fig.suptitle(
        f"{result.digest['study']}: {result.digest['evaluated']:,} designs over "
        f"{result.digest['generations']} generations",
        fontsize=10,
    )
    fig.tight_layout()
    return [write_png_atomic(out_dir / "pareto.png", fig)]
