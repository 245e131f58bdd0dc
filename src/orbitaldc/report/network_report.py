"""``orbitaldc network``: link distances and capacity over an orbit, the contact timeline and a
latency map, as PNG and CSV. Draws and writes what :func:`orbitaldc.api.assess_network` returns."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from orbitaldc.physics.timescale import to_datetime64
from orbitaldc.report.io import write_png_atomic, write_text_atomic

#: Latency map grid step, deg.
MAP_STEP_DEG = 5.0


def _plt():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def write_network_report(result: Any, out: Path) -> list[Path]:
    """Write ``links.csv``/``links.png`` (when the fleet has links), ``contacts.csv``,
    ``contacts.png``, ``latency_map.csv`` and ``latency_map.png`` to ``out``."""
    out = Path(out)
    files: list[Path] = []
    plt = _plt()
    isl = result.isl
    if isl is not None:
        s = isl.series
        minutes = (isl.t_s - isl.t_s[0]) / 60.0
        up = np.where(s.up, s.distance_m, np.nan)
        cap = np.where(s.up, s.capacity_bps, np.nan)
        table = pd.DataFrame(
            {
                "minutes": minutes,
                "links_up": s.up.sum(axis=0),
                "distance_min_m": np.nanmin(np.where(s.up, s.distance_m, np.inf), axis=0),
                "distance_max_m": np.nanmax(np.where(s.up, s.distance_m, -np.inf), axis=0),
                "capacity_min_gbps": np.nanmin(np.where(s.up, s.capacity_bps, np.inf), axis=0)
                / 1e9,
                "allreduce_1gb_s": isl.allreduce_s,
            }
        )
        if isl.bisection_bps is not None:
            table["bisection_tbps"] = isl.bisection_bps / 1e12
        path = out / "links.csv"
        write_text_atomic(path, table.to_csv(index=False, float_format="%.6g"))
        files.append(path)
        fig, (ax_d, ax_c) = plt.subplots(2, 1, figsize=(9, 6), sharex=True)
        shown = np.linspace(0, s.links.shape[0] - 1, min(40, s.links.shape[0])).astype(int)
        ax_d.plot(minutes, up[shown].T, lw=0.6, alpha=0.6)
        ax_d.set_ylabel("link length, m")
        ax_d.set_title(
            f"inter-satellite links over one orbit ({isl.kind}, {isl.satellites} satellites)"
        )
        ax_c.plot(minutes, np.nanmin(cap, axis=0) / 1e9, label="slowest link")
        ax_c.plot(minutes, np.nanmedian(cap, axis=0) / 1e9, label="median link")
        ax_c.set_ylabel("capacity, Gbit/s")
        ax_c.set_xlabel("minutes")
        ax_c.legend(fontsize=8)
        fig.tight_layout()
        path = out / "links.png"
        write_png_atomic(path, fig)
        files.append(path)
    g = result.ground
    frame = g.windows.to_frame()
    frame["station_id"] = [g.stations[i] for i in frame["station"]]
    path = out / "contacts.csv"
    write_text_atomic(path, frame.to_csv(index=False, float_format="%.3f"))
    files.append(path)
    fig, ax = plt.subplots(figsize=(10, 0.25 * len(g.stations) + 1.5))
    rise, set_ = g.windows.clipped()
    hours = lambda x: (x - g.windows.start_s) / 3600.0  # noqa: E731
    ax.hlines(g.windows.station, hours(rise), hours(set_), lw=4, color="#3b6ea8")
    ax.set_yticks(range(len(g.stations)), g.stations, fontsize=6)
    ax.set_xlabel(f"hours after {str(to_datetime64(g.windows.start_s))[:16]} UTC")
    ax.set_title("ground contacts over one day (all satellites)")
    fig.tight_layout()
    path = out / "contacts.png"
    write_png_atomic(path, fig)
    files.append(path)
    lat = np.arange(-90.0 + MAP_STEP_DEG / 2, 90.0, MAP_STEP_DEG)
    lon = np.arange(-180.0 + MAP_STEP_DEG / 2, 180.0, MAP_STEP_DEG)
    grid_lat, grid_lon = np.meshgrid(lat, lon, indexing="ij")
    ms = g.latency_map_s(np.radians(grid_lat), np.radians(grid_lon)) * 1e3
    path = out / "latency_map.csv"
    write_text_atomic(
        path,
        pd.DataFrame(
            {
                "latitude_deg": grid_lat.ravel(),
                "longitude_deg": grid_lon.ravel(),
                "median_ms": ms.ravel(),
            }
        ).to_csv(index=False, float_format="%.4g"),
    )
    files.append(path)
    fig, ax = plt.subplots(figsize=(10, 5))
    mesh = ax.pcolormesh(lon, lat, ms, shading="nearest", cmap="viridis")
    fig.colorbar(mesh, ax=ax, label="median one-way latency to the fleet, ms")
    ax.scatter(
        np.degrees(g.sites.longitude_rad),
        np.degrees(g.sites.latitude_rad),
        s=8,
        c="red",
        label="ground stations",
    )
    ax.set_xlabel("longitude, deg")
    ax.set_ylabel("latitude, deg")
    ax.set_title(
        "user latency: fibre to the best station + vacuum to the nearest satellite in view"
    )
    ax.legend(fontsize=8, loc="lower left")
    fig.tight_layout()
    path = out / "latency_map.png"
    write_png_atomic(path, fig)
    files.append(path)
    return files
