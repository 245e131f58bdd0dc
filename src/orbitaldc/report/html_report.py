"""``orbitaldc report``: one self-contained HTML file that says whether a design closes and why.

:func:`collect` calls the library (``api.run``, ``api.orbit_year``, ``api.assess_network``,
``api.simulate`` over a couple of orbits, ``api.run_workloads`` over a short time loop) and turns
the results into sections of charts (:mod:`orbitaldc.report.figures`); :func:`render` writes
them into one HTML page with plotly.js inlined from the installed ``plotly`` package (the page
needs no network) and a static PNG of every chart (matplotlib, base64) shown when scripts are off
or when the reader asks for them. Every chart names the model and the sources behind it.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np

from orbitaldc.report import figures
from orbitaldc.report.charts import Chart, to_plotly, to_png
from orbitaldc.report.io import money, write_text_atomic

#: Twin step of the temperature chart, s.
TWIN_STEP_S = 60.0


@dataclass
class Section:
    """A titled part of the report: key figures ``rows`` (label, value), charts, a note."""

    key: str
    title: str
    rows: list[tuple[str, str]] = field(default_factory=list)
    charts: list[Chart] = field(default_factory=list)
    note: str = ""
    table: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class Report:
    """Everything the page shows: the design's name, its verdict and the sections."""

    scenario: str
    closes: bool
    headline: str
    reasons: list[str]
    sections: list[Section]
    summary: dict[str, Any]
    spec_text: str | None = None
    created: str = ""


def _fmt(x: Any, spec: str = ",.4g", unit: str = "") -> str:
    if x is None or (isinstance(x, float) and not np.isfinite(x)):
        return "n/a"
    return format(x, spec) + unit


def headline(summary: dict[str, Any]) -> str:
    """One sentence: closes or not, and how space's cost compares with the ground's."""
    e = summary.get("economics") or {}
    verdict = "closes" if summary["closes"] else "does not close"
    ratio = e.get("space_to_ground_cost_ratio")
    text = f"{summary['scenario']} {verdict}"
    if ratio is not None:
        cheaper = "more" if ratio > 1 else "less"
        text += (
            f"; a delivered accelerator-hour costs {money(e['cost_per_accelerator_hour_usd'])} "
            f"in orbit against {money(e['terrestrial']['cost_per_accelerator_hour_usd'])} on the "
            f"ground ({ratio:,.2f}x, {cheaper} than the ground)"
        )
    elif e.get("cost_per_accelerator_hour_usd") is not None:
        text += f"; a delivered accelerator-hour costs {money(e['cost_per_accelerator_hour_usd'])}"
    par = e.get("parity")
    if par:
        dominant = par["levers"].get(par["dominant_lever"], {})
        if dominant.get("value") is not None:
            text += (
                f". The dominant lever is the {dominant['label']}: parity at "
                f"{dominant['value']:.4g} {dominant['unit']}"
            )
        elif dominant:
            text += (
                f". The dominant lever is the {dominant['label']}, and alone it cannot reach parity"
            )
    year = e.get("crossover_year")
    if "crossover_year" in e:
        text += (
            f"; on the profile's learning curves space wins from {year}"
            if year is not None
            else "; on the profile's learning curves space does not win by 2045"
        )
    return text + "."


def _verdict_section(summary: dict[str, Any]) -> Section:
    e = summary.get("economics") or {}
    rows = [("verdict", "closes" if summary["closes"] else "does not close")]
    for check, value in (summary.get("checks") or {}).items():
        if check != "failed":
            rows.append((check.replace("_", " "), _fmt(value)))
    rows.append(("capex", money(e.get("capex_usd"))))
    rows.append(("opex per year", money(e.get("opex_usd_per_year"))))
    rows.append(("cost profile", (e.get("profile") or {}).get("name", "n/a")))
    rows.append(("discount rate", _fmt(e.get("discount_rate"), ".1%")))
    notes = list(e.get("notes") or [])
    return Section("verdict", "Verdict and why", rows=rows, note=" ".join(notes))


def _profile_table(summary: dict[str, Any]) -> list[dict[str, Any]]:
    values = ((summary.get("economics") or {}).get("profile") or {}).get("values") or {}
    return [
        {
            "value": name,
            "number": _fmt(v.get("value")),
            "unit": v.get("unit") or "",
            "source": v.get("source") or "",
            "date": v.get("date") or "",
        }
        for name, v in values.items()
    ]


def _longest_eclipse_day(year: Any) -> int:
    """Index of the day (from the mission start) of plane 0's longest eclipse; 0 without one."""
    table = year.table
    first = table[table["plane"] == table["plane"].min()]
    minutes = first["eclipse_min_per_orbit"].to_numpy()
    return int(np.argmax(minutes)) if minutes.size and minutes.max() > 0 else 0


def _temperatures(spec: Any, summary: dict[str, Any], year: Any, orbits: float) -> Chart | None:
    """The twin over ``orbits`` orbits of the day of the year's longest eclipse (the first day
    when the orbit has none): the twin starts that day, at beginning of life, without the
    radiation chain (which acts over years, not over two orbits)."""
    from orbitaldc import api

    day = _longest_eclipse_day(year)
    date = spec.mission.start + dt.timedelta(days=day)
    shifted = spec.model_copy(update={"mission": spec.mission.model_copy(update={"start": date})})
    sim = api.simulate(shifted, 86400.0, TWIN_STEP_S, series_satellites=1, radiation=False)
    series = next(iter(sim.chunks())).series
    window_s = orbits * summary["orbit"]["period_min"] * 60.0
    series = series[series["t_s"] < series["t_s"].min() + window_s]
    when = f"{orbits:g} orbits of {date}" + (
        ", the day of the year's longest eclipse" if day else ""
    )
    return figures.temperature_chart(series, when)


def _workload_timeline(spec: Any, days: float) -> tuple[Chart | None, dict[str, Any] | None]:
    """The workload time loop over ``days`` in memory: its timeline chart and ``workload_run{}``."""
    from orbitaldc import api
    from orbitaldc.report.workload_report import timeline_frame

    run = api.run_workloads(spec, 86400.0 * days)
    states = run.run_states()
    block = run.finish(states)
    frames = {n: timeline_frame(run.plans[n], s) for n, s in states.items()}
    start = next(iter(run.plans.values())).twin.start_s
    return figures.workload_timeline_chart(frames, start), block


def collect(
    spec: Any,
    *,
    study: dict[str, Any] | None = None,
    spec_text: str | None = None,
    twin_orbits: float = 2.0,
    workload_days: float = 1.0,
) -> Report:
    """Run the library on ``spec`` and arrange the results into the report's sections.

    ``study`` is a study digest (``digest.json`` of ``orbitaldc sensitivity|montecarlo|...``):
    its tornado, Sobol' indices and percentiles become the sensitivity section.
    """
    from orbitaldc import api

    result = api.run(spec)
    summary = result.summary
    sections = [_verdict_section(summary)]
    orbital = spec.orbit is not None
    if orbital:
        sat = summary["satellite"]
        sections.append(
            Section(
                "satellite",
                "Mass, power and heat",
                rows=[
                    ("satellite mass", _fmt(sat["mass_kg"], ",.1f", " kg")),
                    ("accelerators", f"{sat['accelerators']} x {sat['accelerator']}"),
                    ("IT power", _fmt(sat["it_power_w"] / 1e3, ",.2f", " kW")),
                    ("specific power", _fmt(sat["specific_power_w_per_kg"], ",.1f", " W/kg")),
                    (
                        "fleet",
                        f"{summary['fleet']['satellites']:,} satellites, "
                        f"{summary['fleet']['accelerators']:,} accelerators",
                    ),
                ],
                charts=[
                    c
                    for c in (
                        figures.mass_chart(summary, spec),
                        figures.power_chart(summary, spec),
                        figures.thermal_chart(summary, spec),
                    )
                    if c is not None
                ],
            )
        )
    e = summary.get("economics") or {}
    sections.append(
        Section(
            "economics",
            "Cost against the terrestrial baseline",
            rows=[
                ("cost per accelerator-hour", money(e.get("cost_per_accelerator_hour_usd"))),
                (
                    "ground, owned",
                    money((e.get("terrestrial") or {}).get("cost_per_accelerator_hour_usd")),
                ),
                ("space / ground", _fmt(e.get("space_to_ground_cost_ratio"), ",.3g", "x")),
                ("crossover year", str(e.get("crossover_year", "n/a"))),
            ],
            charts=[
                c
                for c in (
                    figures.cost_waterfall_chart(summary, spec),
                    figures.parity_chart(summary),
                    figures.crossover_chart(summary),
                )
                if c is not None
            ],
            table=_profile_table(summary),
        )
    )
    if orbital:
        year = api.orbit_year(spec)
        o = summary["orbit"]
        sections.append(
            Section(
                "orbit",
                "Orbit, eclipse seasons and temperatures",
                rows=[
                    (
                        "orbit",
                        f"{o['altitude_km']:.0f} km, {o['inclination_deg']:.2f} deg, "
                        f"{o['period_min']:.1f} min",
                    ),
                    (
                        "sunlit fraction",
                        f"{o['sunlit_fraction_mean']:.4f} mean, {o['sunlit_fraction_min']:.4f} min",
                    ),
                    ("longest eclipse", _fmt(o["max_eclipse_min"], ".1f", " min")),
                ],
                charts=[
                    c
                    for c in (
                        figures.eclipse_chart(year, summary),
                        _temperatures(spec, summary, year, twin_orbits),
                    )
                    if c is not None
                ],
                table=[dict(s) for s in year.seasons],
            )
        )
        if result.radiation is not None:
            r = summary["radiation"]
            sections.append(
                Section(
                    "radiation",
                    "Radiation: dose, lifetime and error rates",
                    rows=[
                        ("dose", _fmt(r["dose_rad_si_per_year"]["total"], ",.0f", " rad(Si)/yr")),
                        ("chip lifetime", _fmt(r["lifetime_years"], ",.1f", " yr")),
                        ("array at end of life", _fmt(r["array_remaining_factor_eol"], ".3f")),
                        ("SAA passes", f"{r['saa']['passes_per_day']} a day"),
                    ],
                    charts=[
                        c
                        for c in (
                            figures.dose_depth_chart(result.radiation),
                            figures.error_rate_chart(summary, spec),
                        )
                        if c is not None
                    ],
                )
            )
        elif result.radiation_note:
            sections.append(
                Section("radiation", "Radiation", note=f"Not assessed: {result.radiation_note}.")
            )
        if spec.network is not None:
            net = api.assess_network(spec)
            n = net.summary
            sections.append(
                Section(
                    "network",
                    "Links and ground contacts",
                    rows=[
                        ("ground stations", str(n["ground_stations"])),
                        ("contact", _fmt(n["contact_minutes_per_day"], ",.0f", " min/day")),
                        ("downlink", _fmt(n["downlink_tb_per_day"], ",.1f", " TB/day")),
                        ("user latency (median)", _fmt(n["latency_ms"]["median"], ".1f", " ms")),
                    ],
                    charts=[
                        c
                        for c in (figures.links_chart(net), figures.contacts_chart(net))
                        if c is not None
                    ],
                )
            )
    if spec.workload:
        charts = [figures.workload_chart(summary)]
        rows = []
        note = ""
        if orbital and workload_days > 0:
            try:
                timeline, block = _workload_timeline(spec, workload_days)
            except ValueError as exc:
                note = f"The workload time loop did not run: {exc}."
            else:
                charts.append(timeline)
                rows += [
                    (f"{job['name']} progress in {workload_days:g} d", _fmt(job["progress"], ".1%"))
                    for job in block["jobs"]
                ]
                rows += [
                    (f"{svc['name']} requests served", _fmt(svc["served_fraction"], ".1%"))
                    for svc in block["services"]
                ]
        sections.append(
            Section(
                "workload",
                "Workloads",
                rows=rows,
                charts=[c for c in charts if c is not None],
                note=note,
            )
        )
    if study is not None:
        charts = figures.study_charts(study)
        sections.append(
            Section(
                "sensitivity",
                f"Sensitivity: study {study.get('study', '?')} ({study.get('command', '?')})",
                charts=charts,
                note="" if charts else "The digest has no tornado, Sobol' indices or percentiles.",
            )
        )
    return Report(
        scenario=summary["scenario"],
        closes=bool(summary["closes"]),
        headline=headline(summary),
        reasons=list(summary.get("reasons") or []),
        sections=sections,
        summary=summary,
        spec_text=spec_text,
        created=dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
    )


def plotly_js() -> str:
    """plotly.js from the installed ``plotly`` package (inlined: the page needs no network)."""
    return (
        resources.files("plotly")
        .joinpath("package_data", "plotly.min.js")
        .read_text(encoding="utf-8")
    )


def _script_json(data: Any) -> str:
    """JSON safe inside a <script> element."""
    return json.dumps(data, allow_nan=False).replace("</", "<\\/")


def render(report: Report) -> str:
    """The report as one HTML page (plotly.js inline, PNG fallbacks as data URIs)."""
    import jinja2

    env = jinja2.Environment(
        loader=jinja2.PackageLoader("orbitaldc.report", "templates"),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    charts = [c for s in report.sections for c in s.charts]
    pngs = {c.key: base64.b64encode(to_png(c)).decode("ascii") for c in charts}
    page = env.get_template("report.html.j2").render(
        report=report,
        pngs=pngs,
        figures_json=_script_json({c.key: to_plotly(c) for c in charts}),
        plotly_js=plotly_js().replace("</script", "<\\/script"),
        summary_json=json.dumps(report.summary, indent=1),
    )
    return page


def write_html_report(
    spec: Any, out: str | Path, *, study: dict[str, Any] | None = None, spec_text: str | None = None
) -> Path:
    """Collect, render and write the report of ``spec`` to ``out`` atomically; returns ``out``."""
    return write_text_atomic(Path(out), render(collect(spec, study=study, spec_text=spec_text)))
