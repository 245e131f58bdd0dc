"""The fleet's year of orbits per plane: daily beta angle, eclipse minutes and eclipse seasons.

The figures behind ``orbitaldc orbit``, from the closure's orbit engine
(``physics.eclipse.annual_eclipse_statistics``) applied to one representative satellite per plane.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from orbitaldc.physics import eclipse
from orbitaldc.physics.constants import R_EARTH_M, SECONDS_PER_YEAR
from orbitaldc.physics.orbit import MeanElements, j2_secular_rates, period_s
from orbitaldc.physics.timescale import to_datetime64


@dataclass(frozen=True)
class OrbitYear:
    """``table``: one row per plane per day (date, plane, beta_deg, eclipse_min_per_orbit);
    ``planes``: one summary row per plane (satellites, altitude, inclination, beta range,
    longest eclipse, eclipse-season days, mean sunlit fraction); ``seasons``: one row per eclipse
    season (plane, first and last day, days, longest eclipse)."""

    table: pd.DataFrame
    planes: list[dict[str, Any]]
    seasons: list[dict[str, Any]]


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


def orbit_year(
    elements: MeanElements, start_s: float, duration_s: float = SECONDS_PER_YEAR
) -> OrbitYear:
    """Beta angle and eclipses over ``duration_s`` from ``start_s`` for every plane of a fleet."""
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
    return OrbitYear(table, rows, seasons)
