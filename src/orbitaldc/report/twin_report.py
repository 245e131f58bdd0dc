"""Plots of a twin run: one day of a representative satellite, and daily extremes of the fleet."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from orbitaldc.physics.timescale import to_datetime64
from orbitaldc.report.io import write_png_atomic


def _load_first_day(out_dir: Path) -> pd.DataFrame:
    """The series rows of the run's first day: chunks are one day of steps each, so the first two
    chunk files hold it (a year of series is never read whole: at 1 s steps it is gigabytes)."""
    files = sorted((out_dir / "series").glob("chunk_*.parquet"))[:2]
    if not files:
        return pd.DataFrame()
    rows = pd.concat([pd.read_parquet(f) for f in files], ignore_index=True)
    return rows[rows.t_s < rows.t_s.min() + 86400.0].copy()


def write_twin_plots(out_dir: Path) -> list[str]:
    """Write ``day_satelliteN.png`` (the first satellite with a series, N = its index) and
    ``daily_extremes.png`` (from ``daily.parquet``); returns the paths written."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    out_dir = Path(out_dir)
    written = []
    series = _load_first_day(out_dir)
    if len(series):
        sat = int(series.satellite.min())
        series["time"] = pd.to_datetime(to_datetime64(series["t_s"].to_numpy()))
        first = series[series.satellite == sat]
        fig, axes = plt.subplots(3, 1, figsize=(10, 8), sharex=True)
        axes[0].plot(first.time, first.array_w / 1e3, label="array")
        axes[0].plot(first.time, first.load_w / 1e3, label="load served")
        axes[0].set_ylabel("power [kW]")
        axes[0].legend(fontsize=8)
        axes[1].plot(first.time, first.state_of_charge, color="tab:green")
        axes[1].set_ylabel("state of charge")
        for column in ("junction_k", "compute_k", "coolant_k", "radiator_k", "array_k", "bus_k"):
            axes[2].plot(first.time, first[column], label=column.removesuffix("_k"))
        axes[2].set_ylabel("temperature [K]")
        axes[2].legend(fontsize=8, ncol=6)
        axes[0].set_title(f"Satellite {sat}, first day")
        for ax in axes:
            ax.grid(alpha=0.3)
        fig.autofmt_xdate()
        fig.tight_layout()
        day_path = out_dir / f"day_satellite{sat}.png"
        write_png_atomic(day_path, fig, dpi=100)
        written.append(str(day_path))

    daily = pd.read_parquet(out_dir / "daily.parquet")
    day = pd.to_datetime(to_datetime64(daily["t_s"].to_numpy()))
    fig, (ax1, ax2) = plt.subplots(2, 1, figsize=(10, 6), sharex=True)
    ax1.plot(day, daily.min_state_of_charge, marker=".", label="fleet minimum SoC")
    ax1.plot(day, daily.delivered_compute_fraction, marker=".", label="delivered compute")
    ax1.set_ylabel("fraction")
    ax1.legend(fontsize=8)
    ax2.plot(day, daily.max_junction_k, marker=".", label="junction max")
    ax2.plot(day, daily.max_radiator_k, marker=".", label="radiator max")
    ax2.plot(day, daily.min_radiator_k, marker=".", label="radiator min")
    ax2.plot(day, daily.max_array_k, marker=".", label="array max")
    ax2.plot(day, daily.min_array_k, marker=".", label="array min")
    ax2.set_ylabel("temperature [K]")
    ax2.legend(fontsize=8, ncol=3)
    ax1.set_title("Daily extremes over the fleet")
    for ax in (ax1, ax2):
        ax.grid(alpha=0.3)
    fig.autofmt_xdate()
    fig.tight_layout()
    extremes_path = out_dir / "daily_extremes.png"
    write_png_atomic(extremes_path, fig, dpi=100)
    written.append(str(extremes_path))
    return written
