"""One description of a chart, two renderers: plotly JSON for the pages, matplotlib PNG offline.

A :class:`Chart` holds what is drawn (traces of numbers, axis labels, scales) and what it rests
on (``model``: the code that computed the numbers; ``sources``: the papers, standards and
catalog entries behind them). :func:`to_plotly` turns it into the ``{"data", "layout"}`` dict
that ``Plotly.react`` draws in the HTML report and the web dashboard; :func:`to_png` draws the
same chart with matplotlib, the static fallback of the report. Nothing here computes a figure of
the design.
"""

from __future__ import annotations

import io
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

#: Colours of the two sides of every comparison, and of further traces in order.
SPACE = "#3b6ea8"
GROUND = "#b5651d"
PALETTE = (SPACE, GROUND, "#4c9a2a", "#8e44ad", "#c0392b", "#16a085", "#7f8c8d", "#d4ac0d")


@dataclass(frozen=True)
class Trace:
    """One series of a chart.

    ``kind`` is ``"line"``, ``"markers"``, ``"bar"`` (vertical, ``base`` the bars' bottoms) or
    ``"barh"`` (horizontal: ``x`` the lengths, ``y`` the categories). A NaN or None in a line
    breaks it (a Gantt chart is a thick line with gaps). ``secondary`` puts the trace on the
    right-hand y axis.
    """

    x: Sequence[Any]
    y: Sequence[Any]
    name: str = ""
    kind: str = "line"
    color: str | None = None
    base: Sequence[float] | None = None
    dash: bool = False
    width: float = 2.0
    secondary: bool = False


@dataclass(frozen=True)
class Chart:
    """A chart and what it rests on.

    ``key`` names it in a page; ``marks`` are labelled vertical lines ``(x, label)``;
    ``y_ticks`` replaces the y axis' tick labels ``(values, labels)`` (categories of a Gantt).
    ``<br>`` in the title breaks its line.
    """

    key: str
    title: str
    x_label: str
    y_label: str
    traces: tuple[Trace, ...]
    model: str
    sources: tuple[str, ...]
    log_x: bool = False
    log_y: bool = False
    y2_label: str | None = None
    barmode: str = "group"
    marks: tuple[tuple[float, str], ...] = ()
    y_ticks: tuple[Sequence[float], Sequence[str]] | None = None
    note: str = ""
    height_px: int = 380
    legend: bool = True


def _clean(values: Sequence[Any]) -> list[Any]:
    """JSON-safe values: NaN and infinities become None (a gap), numpy scalars plain numbers."""
    out = []
    for v in values:
        if v is None:
            out.append(None)
        elif isinstance(v, str):
            out.append(v)
        else:
            f = float(v)
            out.append(f if math.isfinite(f) else None)
    return out


def to_plotly(chart: Chart) -> dict[str, Any]:
    """The chart as plotly.js ``{"data": [...], "layout": {...}}`` (JSON-safe)."""
    data = []
    for k, t in enumerate(chart.traces):
        colour = t.color or PALETTE[k % len(PALETTE)]
        trace: dict[str, Any] = {"name": t.name, "showlegend": bool(t.name) and chart.legend}
        if t.kind in ("line", "markers"):
            trace.update(
                type="scatter",
                mode="lines" if t.kind == "line" else "markers",
                x=_clean(t.x),
                y=_clean(t.y),
                line={"color": colour, "width": t.width, "dash": "dash" if t.dash else "solid"},
                marker={"color": colour},
            )
        elif t.kind == "bar":
            trace.update(type="bar", x=_clean(t.x), y=_clean(t.y), marker={"color": colour})
            if t.base is not None:
                trace["base"] = _clean(t.base)
        elif t.kind == "barh":
            trace.update(
                type="bar", orientation="h", x=_clean(t.x), y=_clean(t.y), marker={"color": colour}
            )
            if t.base is not None:
                trace["base"] = _clean(t.base)
        else:
            raise ValueError(f"unknown trace kind {t.kind!r}")
        if t.secondary:
            trace["yaxis"] = "y2"
        data.append(trace)
    # On a log axis plotly places shapes in data units and annotations in log10 units.
    labels = [(math.log10(x) if chart.log_x else x, label) for x, label in chart.marks]
    layout: dict[str, Any] = {
        "title": {"text": chart.title, "font": {"size": 14}},
        "xaxis": {
            "title": {"text": chart.x_label},
            "type": "log" if chart.log_x else "-",
            "automargin": True,
        },
        "yaxis": {
            "title": {"text": chart.y_label},
            "type": "log" if chart.log_y else "-",
            "automargin": True,
        },
        "barmode": chart.barmode,
        "height": chart.height_px,
        "margin": {
            "l": 70,
            "r": 70 if chart.y2_label else 20,
            "t": 50 + 18 * chart.title.count("<br>"),
            "b": 55,
        },
        "legend": {"orientation": "h", "y": -0.22},
        "showlegend": chart.legend,
        "shapes": [
            {
                "type": "line",
                "x0": x,
                "x1": x,
                "y0": 0,
                "y1": 1,
                "yref": "paper",
                "line": {"dash": "dash", "color": "grey", "width": 1},
            }
            for x, _ in chart.marks
        ],
        "annotations": [
            {
                "x": x,
                "y": 1,
                "yref": "paper",
                "text": label,
                "showarrow": False,
                "yanchor": "bottom",
            }
            for x, label in labels
        ],
    }
    if chart.y2_label:
        layout["yaxis2"] = {"title": {"text": chart.y2_label}, "overlaying": "y", "side": "right"}
    if chart.y_ticks is not None:
        values, labels = chart.y_ticks
        layout["yaxis"].update(tickvals=_clean(values), ticktext=list(labels))
    return {"data": data, "layout": layout}


def _dates_or_numbers(values: Sequence[Any]) -> Any:
    """Numbers (None as NaN), or datetime64 days for ISO date strings (plotly reads those as
    dates; matplotlib would take them as categories, one tick each)."""
    if len(values) and isinstance(values[0], str):
        import numpy as np

        return np.asarray(values, dtype="datetime64[D]")
    return [float("nan") if v is None else v for v in values]


def _plain(text: str) -> str:
    """Text for matplotlib, which reads ``$...$`` as mathtext; ``<br>`` as a line break."""
    return text.replace("$", r"\$").replace("<br>", "\n")


def to_png(chart: Chart, dpi: int = 80) -> bytes:
    """The chart drawn by matplotlib, as PNG bytes (the report's static fallback)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    height_in = max(3.0, chart.height_px / 95.0)
    fig = Figure(figsize=(9.0, height_in))
    FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    ax2 = ax.twinx() if chart.y2_label else None
    bars = [t for t in chart.traces if t.kind == "bar"]
    width = 0.8 / max(len(bars), 1) if chart.barmode == "group" else 0.8
    positions: dict[Any, int] = {}
    for t in bars:
        for x in t.x:
            positions.setdefault(x, len(positions))
    n_bar = 0
    for k, t in enumerate(chart.traces):
        colour = t.color or PALETTE[k % len(PALETTE)]
        target = ax2 if (t.secondary and ax2 is not None) else ax
        label = _plain(t.name) if t.name else None
        if t.kind in ("line", "markers"):
            x = _dates_or_numbers(t.x)
            y = [float("nan") if v is None else v for v in t.y]
            target.plot(
                x,
                y,
                color=colour,
                lw=t.width if t.kind == "line" else 0,
                ls="--" if t.dash else "-",
                marker=None if t.kind == "line" else "o",
                ms=4,
                label=label,
            )
        elif t.kind == "bar":
            offset = (n_bar - (len(bars) - 1) / 2) * width if chart.barmode == "group" else 0.0
            xs = [positions[x] + offset for x in t.x]
            heights = [0.0 if v is None else float(v) for v in t.y]
            bottom = None if t.base is None else [0.0 if v is None else v for v in t.base]
            target.bar(xs, heights, width=width, bottom=bottom, color=colour, label=label)
            n_bar += 1
        elif t.kind == "barh":
            lengths = [0.0 if v is None else float(v) for v in t.x]
            left = None if t.base is None else [0.0 if v is None else v for v in t.base]
            target.barh(
                [_plain(str(v)) for v in t.y], lengths, left=left, color=colour, label=label
            )
    if positions:
        ax.set_xticks(list(positions.values()), [_plain(str(p)) for p in positions], rotation=20)
        for tick in ax.get_xticklabels():
            tick.set_horizontalalignment("right")
    if chart.log_x:
        ax.set_xscale("log")
    if chart.log_y:
        ax.set_yscale("log")
    for x, label in chart.marks:
        ax.axvline(x, color="grey", ls="--", lw=1)
        ax.annotate(label, (x, 1.0), xycoords=("data", "axes fraction"), fontsize=8, va="bottom")
    if chart.y_ticks is not None:
        values, labels = chart.y_ticks
        ax.set_yticks(list(values), [_plain(v) for v in labels], fontsize=7)
    ax.set_title(_plain(chart.title), fontsize=10)
    ax.set_xlabel(_plain(chart.x_label))
    ax.set_ylabel(_plain(chart.y_label))
    if ax2 is not None:
        ax2.set_ylabel(_plain(chart.y2_label))
    ax.grid(True, which="both", alpha=0.3)
    if chart.legend:
        handles, labels = ax.get_legend_handles_labels()
        if ax2 is not None:
            h2, l2 = ax2.get_legend_handles_labels()
            handles, labels = handles + h2, labels + l2
        if handles:
            ax.legend(handles, labels, fontsize=7, loc="best")
    # Fixed margins (inches) sized to the labels: matplotlib's tight layout costs as much as the
    # drawing. ~0.06 in per character of a 7-8 pt label.
    y_labels = [str(v) for t in chart.traces if t.kind == "barh" for v in t.y]
    y_labels += [str(v) for v in chart.y_ticks[1]] if chart.y_ticks is not None else []
    longest_y = max((len(v) for v in y_labels), default=0)
    longest_x = max((len(str(p)) for p in positions), default=0)
    first_x = len(str(next(iter(positions), "")))
    left_in = max(0.8, 0.2 + 0.06 * longest_y, 0.05 * first_x)
    bottom_in = 0.6 + 0.045 * longest_x
    top_in = 0.35 + 0.2 * (chart.title.count("<br>") + 1)
    right_in = 0.85 if ax2 is not None else 0.25
    width_in = 9.0
    fig.subplots_adjust(
        left=min(0.5, left_in / width_in),
        right=1 - right_in / width_in,
        bottom=min(0.6, bottom_in / height_in),
        top=1 - min(0.35, top_in / height_in),
    )
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=dpi)
    return buffer.getvalue()
