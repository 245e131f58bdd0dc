"""Plots of a twin run: one day of a representative satellite, and daily extremes of the fleet."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from orbitaldc.physics.timescale import to_datetime64
from orbitaldc.report.io import write_atomic


def _load_series(out_dir: Path) -> pd.DataFrame:
    files = sorted((out_dir / "series").glob("chunk_*.parquet"))
    return pd.concat([pd.read_parquet(f) for f in files], ignore_index=True)


def write_twin_plots(out_dir: Path) -> list[str]:
    """Write ``day_satellite0.png`` and ``daily_extremes.png`` from the run's Parquet series."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    out_dir = Path(out_dir)
    series = _load_series(out_dir)
    series["time"] = pd.to_datetime(to_datetime64(series["t_s"].to_numpy()))
    first = series[(series.satellite == 0) & (series.t_s < series.t_s.min() + 86400.0)]
    fig, axes = plt.subplots(3, 1, figsize=(10, 8), sharex=True)
    axes[0].plot(first.time, first.array_w / 1e3, label="array")
    axes[0].plot(first.time, first.load_w / 1e3, label="load served")
    axes[0].set_ylabel("power [kW]")
    axes[0].legend(fontsize=8)
    axes[1].plot(first.time, first.state_of_charge, color="tab:green")
    axes[1].set_ylabel("state of charge")
    for column in ("junction_k", "compute_k", "radiator_k", "bus_k"):
        axes[2].plot(first.time, first[column], label=column.removesuffix("_k"))
    axes[2].set_ylabel("temperature [K]")
    axes[2].legend(fontsize=8, ncol=4)
    axes[0].set_title("Satellite 0, first day")
    for ax in axes:
        ax.grid(alpha=0.3)
    fig.autofmt_xdate()
    fig.tight_layout()
    day_path = out_dir / "day_satellite0.png"
    write_atomic(day_path, lambda p: fig.savefig(p, format="png", dpi=100))
    plt.close(fig)

    daily = (
        series.assign(day=series.time.dt.floor("D"))
        .groupby("day")
        .agg(
            soc_min=("state_of_charge", "min"),
            junction_max=("junction_k", "max"),
            radiator_min=("radiator_k", "min"),
            radiator_max=("radiator_k", "max"),
        )
    )
    fig, (ax1, ax2) = plt.subplots(2, 1, figsize=(10, 6), sharex=True)
    ax1.plot(daily.index, daily.soc_min, marker=".")
    ax1.set_ylabel("fleet minimum SoC")
    ax2.plot(daily.index, daily.junction_max, marker=".", label="junction max")
    ax2.plot(daily.index, daily.radiator_max, marker=".", label="radiator max")
    ax2.plot(daily.index, daily.radiator_min, marker=".", label="radiator min")
    ax2.set_ylabel("temperature [K]")
    ax2.legend(fontsize=8)
    ax1.set_title("Daily extremes over the fleet")
    for ax in (ax1, ax2):
        ax.grid(alpha=0.3)
    fig.autofmt_xdate()
    fig.tight_layout()
    extremes_path = out_dir / "daily_extremes.png"
    write_atomic(extremes_path, lambda p: fig.savefig(p, format="png", dpi=100))
    plt.close(fig)
    return [str(day_path), str(extremes_path)]
