"""``orbitaldc radiation``: dose-depth curve, SAA map, single-event rates, as PNG and CSV."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from orbitaldc.radiation import SOURCES, RadiationResult
from orbitaldc.report.io import write_atomic, write_png_atomic


def see_table(summary: dict[str, Any]) -> pd.DataFrame:
    """One row per single-event effect of the accelerator (summary ``radiation.see``)."""
    rows = [{"effect": name, **values} for name, values in summary["see"].items()]
    return pd.DataFrame(rows)


def _csv(path: Path, table: pd.DataFrame) -> Path:
    return write_atomic(path, lambda p: table.to_csv(p, index=False, float_format="%.6g"))


def _figure(path: Path, draw) -> Path:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return write_png_atomic(path, draw(plt))


def write_radiation_report(result: RadiationResult, out: Path) -> list[Path]:
    """Write the CSV tables and PNG plots of a radiation assessment into ``out``; returns paths.

    Draws what the chain computed: the dose-depth table, the SAA map (at the worst shell's mean
    altitude) with one day of its ground track, the single-event series.
    """
    out = Path(out)
    s = result.summary
    saa = result.saa_map
    files = []
    depth = result.dose_depth_table
    files.append(_csv(out / "dose_depth.csv", depth))
    files.append(_csv(out / "see_rates.csv", see_table(s)))
    files.append(
        _csv(
            out / "array_degradation.csv",
            pd.DataFrame(
                {"years": result.degradation_years, "remaining_factor": result.degradation_factor}
            ),
        )
    )
    files.append(
        _csv(
            out / "see_series.csv",
            pd.DataFrame(
                {
                    "t_s": result.series_t_s,
                    "flux_10mev_per_cm2_s": result.series_flux_10mev_per_cm2_s,
                    **{
                        f"{k}_per_device_per_s": v
                        for k, v in result.series_see_per_device_per_s.items()
                    },
                }
            ),
        )
    )
    lat_deg, lon_deg, flux = saa.lat_deg, saa.lon_deg, saa.flux_per_cm2_s
    grid = pd.DataFrame(
        {
            "lat_deg": np.repeat(lat_deg, lon_deg.size),
            "lon_deg": np.tile(lon_deg, lat_deg.size),
            "flux_10mev_per_cm2_s": flux.ravel(),
        }
    )
    files.append(_csv(out / "saa_map.csv", grid))

    def draw_depth(plt):
        fig, ax = plt.subplots(figsize=(7, 4.5))
        mm = depth["thickness_mm"]
        for source in SOURCES:
            ax.loglog(mm, depth[f"{source}_rad_si_per_year"], label=source.replace("_", " "))
        ax.loglog(mm, depth["total_rad_si_per_year"], "k", lw=2, label="total")
        ax.axvline(s["shielding_mm"], color="grey", ls="--", label="design shielding")
        if s["tid_tolerance_rad_si"] is not None:
            limit = s["tid_tolerance_rad_si"] / s["mission_years"]
            ax.axhline(limit, color="red", ls=":", label="tolerance / mission years")
        ax.set_xlabel("aluminium thickness (mm)")
        ax.set_ylabel("dose (rad(Si) / year)")
        ax.set_ylim(bottom=max(1e-3, depth["total_rad_si_per_year"].min() / 10))
        ax.grid(True, which="both", alpha=0.3)
        ax.legend(fontsize=8)
        ax.set_title(f"Dose-depth ({s['model']['dose']})", fontsize=9)
        fig.tight_layout()
        return fig

    def draw_map(plt):
        from matplotlib.colors import LogNorm

        fig, ax = plt.subplots(figsize=(8, 4.2))
        shown = np.where(flux > 1e-3, flux, np.nan)
        mesh = ax.pcolormesh(lon_deg, lat_deg, shown, norm=LogNorm(vmin=1e-3), shading="auto")
        fig.colorbar(mesh, ax=ax, label=">10 MeV protons (cm$^{-2}$ s$^{-1}$)")
        ax.plot(result.series_lon_deg, result.series_lat_deg, ",", color="k", alpha=0.5)
        ax.set_xlabel("longitude (deg)")
        ax.set_ylabel("latitude (deg)")
        ax.set_title(
            f"AP8 >10 MeV protons at {saa.altitude_m / 1e3:.0f} km with one day of ground track",
            fontsize=9,
        )
        fig.tight_layout()
        return fig

    def draw_series(plt):
        fig, ax = plt.subplots(figsize=(8, 4))
        hours = (result.series_t_s - result.series_t_s[0]) / 3600.0
        for name, series in result.series_see_per_device_per_s.items():
            ax.semilogy(hours, series * 86400.0, label=name)
        ax.set_xlabel("hours")
        ax.set_ylabel("events per device per day (instantaneous)")
        ax.grid(True, which="both", alpha=0.3)
        ax.legend(fontsize=8)
        ax.set_title("Single-event rates along one day of the orbit (SAA peaks)", fontsize=9)
        fig.tight_layout()
        return fig

    files.append(_figure(out / "dose_depth.png", draw_depth))
    files.append(_figure(out / "saa_map.png", draw_map))
    if result.series_see_per_device_per_s:
        files.append(_figure(out / "see_series.png", draw_series))
    return files
