"""``orbitaldc orbit``: beta angle and eclipses over a year, per plane, as PNG, CSV and a table."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from orbitaldc.physics import eclipse
from orbitaldc.physics.constants import R_EARTH_M, SECONDS_PER_YEAR
from orbitaldc.physics.orbit import MeanElements, period_s
from orbitaldc.physics.timescale import to_datetime64
from orbitaldc.report.io import write_png_atomic, write_text_atomic

#: Planes drawn in the plot at most (every plane is in the CSV and the table).
MAX_PLOTTED_PLANES = 12


def _plane_representatives(elements: MeanElements) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    planes, first = np.unique(elements.plane, return_index=True)
    counts = np.bincount(np.searchsorted(planes, elements.plane), minlength=planes.size)
    return planes, first, counts


def orbit_year_table(
    elements: MeanElements, start_s: float, duration_s: float = SECONDS_PER_YEAR
) -> pd.DataFrame:
    """Daily beta angle and eclipse minutes per orbit for each plane (its first satellite)."""
    planes, first, _ = _plane_representatives(elements)
    a = elements.semi_major_axis_m[first]
    inc = elements.inclination_rad[first]
    from orbitaldc.physics.orbit import j2_secular_rates

    raan_dot, _, _ = j2_secular_rates(a, 0.0, inc)
    # RAAN of each representative at the start of the year (elements may have another epoch).
    raan0 = elements.raan_rad[first] + raan_dot * (start_s - elements.epoch_s[first])
    stats = eclipse.annual_eclipse_statistics(a, inc, raan0, start_s, duration_s, return_beta=True)
    beta = stats["beta_rad"]
    frac = eclipse.eclipse_fraction_from_beta(a[:, None], beta)
    # A fraction of the orbit, in the nodal period the headline eclipse figures use.
    minutes = frac * (stats["nodal_period_s"][:, None] / 60.0)
    days = start_s + np.arange(beta.shape[1]) * 86400.0
    dates = pd.to_datetime(to_datetime64(days)).normalize()
    return pd.DataFrame(
        {
            "date": np.tile(dates, planes.size),
            "plane": np.repeat(planes, beta.shape[1]),
            "beta_deg": np.degrees(beta).ravel(),
            "eclipse_min_per_orbit": minutes.ravel(),
        }
    )


def _plot(table: pd.DataFrame, path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, (ax_beta, ax_ecl) = plt.subplots(2, 1, figsize=(10, 6.5), sharex=True)
    planes = table["plane"].unique()
    shown = planes[:: max(1, int(np.ceil(planes.size / MAX_PLOTTED_PLANES)))]
    for plane in shown:
        rows = table[table["plane"] == plane]
        ax_beta.plot(rows["date"], rows["beta_deg"], lw=1.2, label=f"plane {plane}")
        ax_ecl.plot(rows["date"], rows["eclipse_min_per_orbit"], lw=1.2)
    ax_beta.axhline(0.0, color="0.6", lw=0.8)
    ax_beta.set_ylabel("beta angle [deg]")
    ax_ecl.set_ylabel("eclipse per orbit [min]")
    title = "Beta angle and eclipse duration over the first year"
    if shown.size < planes.size:
        title += f" ({shown.size} of {planes.size} planes shown)"
    ax_beta.set_title(title)
    if shown.size > 1:
        ax_beta.legend(fontsize=7, ncol=4, loc="upper right")
    for ax in (ax_beta, ax_ecl):
        ax.grid(alpha=0.3)
    fig.autofmt_xdate()
    fig.tight_layout()
    write_png_atomic(path, fig)


def write_orbit_report(
    elements: MeanElements, start_s: float, out_dir: Path, duration_s: float = SECONDS_PER_YEAR
) -> dict[str, Any]:
    """Write ``beta_eclipse.png``, ``orbit_year.csv`` and ``eclipse_seasons.csv`` to ``out_dir``.

    Returns ``{"planes": [...], "seasons": [...], "files": [...]}``: one row per plane (satellites,
    altitude, inclination, beta range, longest eclipse, eclipse-season days, mean sunlit fraction)
    and one row per eclipse season (plane, first and last day, days, longest eclipse).
    """
    out_dir = Path(out_dir)
    table = orbit_year_table(elements, start_s, duration_s)
    planes, first, counts = _plane_representatives(elements)
    rows, seasons = [], []
    for k, plane in enumerate(planes):
        t = table[table["plane"] == plane]
        ecl = t["eclipse_min_per_orbit"].to_numpy()
        period_min = float(period_s(elements.semi_major_axis_m[first[k]])) / 60.0
        for a, b in eclipse.eclipse_seasons(t["date"].to_numpy(), ecl):
            seasons.append(
                {
                    "plane": int(plane),
                    "start": str(t["date"].iloc[a].date()),
                    "end": str(t["date"].iloc[b].date()),
                    "days": b - a + 1,
                    "max_eclipse_min": round(float(ecl[a : b + 1].max()), 2),
                }
            )
        rows.append(
            {
                "plane": int(plane),
                "satellites": int(counts[k]),
                "altitude_km": round(
                    float(elements.semi_major_axis_m[first[k]] - R_EARTH_M) / 1e3, 1
                ),
                "inclination_deg": round(float(np.degrees(elements.inclination_rad[first[k]])), 3),
                "beta_min_deg": round(float(t["beta_deg"].min()), 2),
                "beta_max_deg": round(float(t["beta_deg"].max()), 2),
                "max_eclipse_min": round(float(ecl.max()), 2),
                "eclipse_season_days": int((ecl > 0).sum()),
                "sunlit_fraction_mean": round(float(1.0 - np.mean(ecl / period_min)), 5),
            }
        )
    csv_path = out_dir / "orbit_year.csv"
    seasons_path = out_dir / "eclipse_seasons.csv"
    png_path = out_dir / "beta_eclipse.png"
    write_text_atomic(csv_path, table.to_csv(index=False, float_format="%.4f"))
    season_columns = ["plane", "start", "end", "days", "max_eclipse_min"]
    write_text_atomic(
        seasons_path, pd.DataFrame(seasons, columns=season_columns).to_csv(index=False)
    )
    _plot(table, png_path)
    return {
        "planes": rows,
        "seasons": seasons,
        "files": [str(png_path), str(csv_path), str(seasons_path)],
    }
