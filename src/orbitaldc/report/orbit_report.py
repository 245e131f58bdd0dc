"""``orbitaldc orbit``: beta angle and eclipses over a year, per plane, as PNG, CSV and a table."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from orbitaldc.fleet.year import OrbitYear
from orbitaldc.report.io import write_png_atomic, write_text_atomic

#: Planes drawn in the plot at most (every plane is in the CSV and the table).
MAX_PLOTTED_PLANES = 12


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


def write_orbit_report(year: OrbitYear, out_dir: Path) -> dict[str, Any]:
    """Write ``beta_eclipse.png``, ``orbit_year.csv`` and ``eclipse_seasons.csv`` to ``out_dir``.

    ``year`` is ``orbitaldc.fleet.orbit_year`` (or ``orbitaldc.api.orbit_year``). Returns
    ``{"planes": [...], "seasons": [...], "files": [...]}`` with the year's plane and season rows.
    """
    out_dir = Path(out_dir)
    table, rows, seasons = year.table, year.planes, year.seasons
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
