"""The cost of an accelerator-hour in orbit and on the ground, part by part: a waterfall PNG.

Draws what summary.json's ``economics`` block holds (``cost_breakdown_usd_per_accelerator_hour``
on both sides, from ``economics.space`` and ``economics.ground``); computes nothing.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from orbitaldc.report.io import write_png_atomic


def write_economics_plots(summary: dict[str, Any], out_dir: Path) -> list[Path]:
    """``cost_waterfall.png`` and ``cost_crossover.png`` for an orbital design (none for a
    terrestrial one); returns the paths written."""
    return [*write_cost_waterfall(summary, out_dir), *write_cost_crossover(summary, out_dir)]


def write_cost_crossover(summary: dict[str, Any], out_dir: Path) -> list[Path]:
    """``cost_crossover.png``: the cost per accelerator-hour of the design built each year, in
    orbit (launch and hardware on Wright's-law learning curves) and on the ground (electricity on
    its trend), from ``economics.crossover``."""
    e = summary.get("economics") or {}
    when = e.get("crossover")
    if not when:
        return []
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(8, 4.5))
    years = when["years"]
    space = [
        v if v is not None else float("nan") for v in when["space_cost_per_accelerator_hour_usd"]
    ]
    ground = [
        v if v is not None else float("nan") for v in when["ground_cost_per_accelerator_hour_usd"]
    ]
    ax.semilogy(years, space, "o-", color="#3b6ea8", label="space (built that year)")
    ax.semilogy(years, ground, "s-", color="#b5651d", label="ground (owned)")
    year = when.get("crossover_year")
    if year is not None:
        ax.axvline(year, color="grey", ls="--")
        ax.annotate(f"crossover {year}", (year, min(ground)), fontsize=8)
    ax.set_xlabel("year the design is built")
    ax.set_ylabel("$ per delivered accelerator-hour")
    profile = (e.get("profile") or {}).get("name", "?")
    ax.set_title(
        f"{summary['scenario']}: learning curves of cost profile {profile} "
        f"(crossover {year if year is not None else 'none'})",
        fontsize=10,
    )
    ax.legend(fontsize=8)
    ax.grid(True, which="both", alpha=0.3)
    fig.tight_layout()
    path = Path(out_dir) / "cost_crossover.png"
    write_png_atomic(path, fig)
    return [path]


def write_cost_waterfall(summary: dict[str, Any], out_dir: Path) -> list[Path]:
    """Write ``cost_waterfall.png`` for an orbital design's summary; returns the paths written
    (none for a terrestrial design)."""
    e = summary.get("economics") or {}
    space = e.get("cost_breakdown_usd_per_accelerator_hour")
    ground = (e.get("terrestrial") or {}).get("cost_breakdown_usd_per_accelerator_hour")
    if not space or not ground:
        return []
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(10, 5.2))
    x = 0
    labels, ticks = [], []
    for side, parts, colour in (("space", space, "#3b6ea8"), ("ground", ground, "#b5651d")):
        bottom = 0.0
        for name, value in parts.items():
            v = value or 0.0
            ax.bar(x, v, bottom=bottom, color=colour, edgecolor="white", width=0.7)
            if v > 0:
                ax.annotate(
                    f"${v:,.3g}",
                    (x + 0.38, bottom + v / 2),
                    va="center",
                    fontsize=7,
                    annotation_clip=False,
                )
            bottom += v
            labels.append(f"{side}: {name.replace('_', ' ')}")
            ticks.append(x)
            x += 1
        ax.bar(x, bottom, color=colour, alpha=0.35, width=0.7)
        ax.annotate(f"${bottom:,.3g}", (x, bottom), ha="center", va="bottom", fontsize=8)
        labels.append(f"{side}: total")
        ticks.append(x)
        x += 1.5
    ax.set_xticks(ticks, labels, rotation=35, ha="right", fontsize=8)
    ax.set_ylabel("$ per delivered accelerator-hour (levelised)")
    profile = (e.get("profile") or {}).get("name", "?")
    ratio = e.get("space_to_ground_cost_ratio")
    ax.set_title(
        f"{summary['scenario']}: space / ground = "
        + (f"{ratio:.2f}x" if ratio is not None else "n/a")
        + f" (cost profile {profile}, discount rate {e.get('discount_rate', 0):.1%})",
        fontsize=10,
    )
    fig.tight_layout(rect=(0, 0.04, 1, 1))
    fig.text(
        0.01,
        0.01,
        "Models: orbitaldc.economics.space and .ground (docs/economics.md); every price with its "
        "source and date: summary.json economics.profile",
        fontsize=7,
        color="grey",
    )
    path = Path(out_dir) / "cost_waterfall.png"
    write_png_atomic(path, fig)
    return [path]
