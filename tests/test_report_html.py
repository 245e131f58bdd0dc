"""``orbitaldc report``: one self-contained HTML file, its charts drawn from the library's results,
each naming its model and sources, with PNG fallbacks. The browser half (the page opens offline
and draws) is in tests/e2e/test_browser.py.
"""

from __future__ import annotations

import base64
import json
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from orbitaldc import api
from orbitaldc.cli import app
from orbitaldc.report import figures, html_report
from orbitaldc.report.charts import Chart, Trace, to_plotly, to_png
from orbitaldc.web.specs import parse_text

ROOT = Path(__file__).resolve().parents[1]
PROTOTYPE = ROOT / "scenarios" / "suncatcher-prototype.toml"
#: The small case: the two-satellite prototype with a training job and an inference service.
WORKLOADS = """
[[workload]]
kind = "training"
name = "llm-1b"
parameters = 1e9
tokens = 2e10

[[workload]]
kind = "inference"
name = "chat-8b"
parameters = 8e9
requests_per_second = 0.5
tokens_in = 500
tokens_out = 200
latency_target = "20 s"

[scheduler]
policy = "aware"
baseline = "greedy"
"""
#: A sensitivity digest as ``orbitaldc sensitivity`` writes it (keys used by the report).
DIGEST = {
    "study": "toy",
    "command": "sensitivity",
    "design": "suncatcher-prototype",
    "seed": 1,
    "rows": 40,
    "parameters": [
        {"path": "launch.price_per_kg", "unit": "USD/kg"},
        {"path": "satellite.cost_per_watt", "unit": "USD/W"},
    ],
    "sobol": {
        "space_to_ground_cost_ratio": {
            "launch.price_per_kg": {"S1": 0.6, "S1_conf": 0.1, "ST": 0.65, "ST_conf": 0.1},
            "satellite.cost_per_watt": {"S1": 0.3, "S1_conf": 0.1, "ST": 0.35, "ST_conf": 0.1},
        }
    },
    "tornado_quantiles": [0.1, 0.9],
    "tornado": {
        "space_to_ground_cost_ratio": {
            "base": 16.0,
            "bars": [
                {
                    "parameter": "satellite.cost_per_watt",
                    "low": 76.0,
                    "high": 228.0,
                    "output_at_low": 11.9,
                    "output_at_high": 22.6,
                    "swing": 10.7,
                },
                {
                    "parameter": "launch.price_per_kg",
                    "low": 358.0,
                    "high": 2563.0,
                    "output_at_low": 13.4,
                    "output_at_high": 23.8,
                    "swing": 10.4,
                },
            ],
        }
    },
}


@pytest.fixture(scope="module")
def small():
    text = PROTOTYPE.read_text() + WORKLOADS
    spec = parse_text(text, "toml")
    report = html_report.collect(spec, study=DIGEST, spec_text=text)
    return spec, text, report, html_report.render(report)


def test_the_page_is_one_self_contained_file(small):
    _, _, report, page = small
    # No script, stylesheet or image is fetched: every <script> is inline, every <img> a data URI.
    assert not re.search(r"<script[^>]+src=", page)
    assert not re.search(r"<link[^>]+href=", page)
    assert all(
        src.startswith("data:image/png;base64,")
        for src in re.findall(r'<img[^>]+src="([^"]+)"', page)
    )
    assert "plotly.js v" in page[:20000]  # inlined from the installed plotly package
    charts = [c for s in report.sections for c in s.charts]
    assert len(charts) >= 14
    for chart in charts:
        assert f'data-chart="{chart.key}"' in page


def test_every_chart_names_its_model_and_sources(small):
    _, _, report, page = small
    figures_ = re.findall(r'<figure class="chart".*?</figure>', page, flags=re.S)
    assert len(figures_) == sum(len(s.charts) for s in report.sections)
    for block in figures_:
        assert "Model:</span>" in block and "Sources:</span>" in block
        assert re.search(r"<li>\S", block), block[:300]


def test_static_fallbacks_are_pngs_of_every_chart(small):
    _, _, _, page = small
    images = re.findall(r'<img class="static"[^>]*src="data:image/png;base64,([^"]+)"', page)
    assert len(images) == page.count('class="plot"')
    for data in images:
        png = base64.b64decode(data)
        assert png[:8] == b"\x89PNG\r\n\x1a\n" and len(png) > 5000
    assert "<noscript>" in page


def test_sections_cover_the_issue(small):
    _, _, report, _ = small
    keys = {s.key: [c.key for c in s.charts] for s in report.sections}
    assert keys["satellite"] == ["mass", "power", "thermal"]
    assert keys["economics"] == ["cost", "parity", "crossover"]
    assert keys["orbit"] == ["eclipse", "temperatures"]
    assert keys["radiation"] == ["dose", "errors"]
    assert keys["network"] == ["links", "contacts"]
    assert keys["workload"] == ["workload", "workload_timeline"]
    assert keys["sensitivity"] == [
        "tornado_space_to_ground_cost_ratio",
        "sobol_space_to_ground_cost_ratio",
    ]


def test_verdict_is_the_library_s(small):
    spec, _, report, page = small
    summary = api.run(spec).summary
    assert report.closes == summary["closes"]
    ratio = summary["economics"]["space_to_ground_cost_ratio"]
    assert f"({ratio:,.2f}x" in report.headline
    embedded = re.search(r'<pre id="summary-json">(.*?)</pre>', page, flags=re.S).group(1)
    import html

    assert json.loads(html.unescape(embedded)) == json.loads(json.dumps(summary))


def test_waterfall_bars_stack_to_the_totals(small):
    _, _, report, _ = small
    cost = next(c for s in report.sections for c in s.charts if c.key == "cost")
    e = report.summary["economics"]
    space, space_total = cost.traces[0], cost.traces[1]
    # Each bar starts where the previous one ended; the total bar is the sum of the parts.
    assert list(space.base[1:]) == pytest.approx(np.cumsum(space.y)[:-1].tolist(), rel=1e-12)
    assert space_total.y[0] == pytest.approx(sum(space.y), rel=1e-12)
    # The summary's parts (rounded to 5 decimals) add up to its total (rounded to 4).
    assert space_total.y[0] == pytest.approx(e["cost_per_accelerator_hour_usd"], abs=1e-3)


def test_temperatures_cover_two_orbits_of_the_longest_eclipse_day(small):
    spec, _, report, _ = small
    chart = next(c for s in report.sections for c in s.charts if c.key == "temperatures")
    year = api.orbit_year(spec).table
    day = year.loc[year["eclipse_min_per_orbit"].idxmax(), "date"]
    assert str(pd.Timestamp(day).date()) in chart.title
    minutes = chart.traces[0].x
    period_min = report.summary["orbit"]["period_min"]
    assert minutes[-1] < 2 * period_min and minutes[-1] > 2 * period_min - 10.0  # 5-min series
    shadow = chart.traces[-1].y
    assert max(shadow) == 1.0 and min(shadow) == 0.0  # it sees the eclipse


def test_tornado_bars_start_at_the_base(small):
    _, _, report, _ = small
    chart = next(c for s in report.sections for c in s.charts if c.key.startswith("tornado"))
    low, high = chart.traces
    assert set(low.base) == {16.0}
    # Largest swing on top (plotly draws the first category at the bottom).
    assert low.y[-1].startswith("satellite.cost_per_watt")
    assert low.x[-1] == pytest.approx(11.9 - 16.0) and high.x[-1] == pytest.approx(22.6 - 16.0)


def test_plotly_json_is_strict_and_log_marks_follow_plotly_units():
    chart = Chart(
        key="k",
        title="t<br>u",
        x_label="x",
        y_label="$ y",
        traces=(Trace([1.0, 10.0, 100.0], [1.0, float("nan"), None], name="a"),),
        model="m",
        sources=("s",),
        log_x=True,
        marks=((10.0, "ten"),),
    )
    fig = to_plotly(chart)
    json.dumps(fig, allow_nan=False)
    assert fig["data"][0]["y"] == [1.0, None, None]
    # On a log axis plotly takes shapes in data units and annotations in log10 units.
    assert fig["layout"]["shapes"][0]["x0"] == 10.0
    assert fig["layout"]["annotations"][0]["x"] == pytest.approx(1.0)
    png = to_png(chart)
    assert png[:4] == b"\x89PNG"


def test_dates_draw_as_dates_in_the_png():
    dates = [str(d.date()) for d in pd.date_range("2027-01-01", periods=365)]
    chart = Chart("d", "dates", "date", "v", (Trace(dates, list(range(365))),), "m", ("s",))
    assert len(to_png(chart)) < 60_000  # 365 category ticks would be an unreadable, larger image


def test_contact_windows_are_merged_per_station():
    merged = figures.merge_intervals(
        np.array([0.0, 5.0, 2.0, 20.0]), np.array([3.0, 8.0, 6.0, 21.0])
    )
    assert merged == [(0.0, 8.0), (20.0, 21.0)]


def test_report_command(tmp_path):
    runner = CliRunner()
    campus = ROOT / "scenarios" / "texas-campus.toml"  # quick: the CLI's wiring is under test
    bad = tmp_path / "digest.json"
    bad.write_text("[1, 2")
    out = tmp_path / "r.html"
    r = runner.invoke(app, ["report", str(campus), "--out", str(out), "--study", str(bad)])
    assert r.exit_code == 2 and "not JSON" in r.output
    good = tmp_path / "good.json"
    good.write_text(json.dumps(DIGEST))
    r = runner.invoke(app, ["report", str(campus), "--out", str(out), "--study", str(good)])
    assert r.exit_code == 0, r.output
    page = out.read_text()
    assert "texas-campus" in page
    assert re.findall(r'<section id="([^"]+)"', page) == [
        "verdict",
        "economics",
        "sensitivity",
        "inputs",
    ]


def test_figures_work_from_summary_alone():
    # The dashboard draws from the summary dict it sends; nothing needs the spec but the sources.
    summary = api.run(parse_text(PROTOTYPE.read_text(), "toml"), radiation=False).summary
    assert (
        figures.crossover_chart(summary).traces[0].x == summary["economics"]["crossover"]["years"]
    )
    assert figures.parity_chart(summary) is not None
