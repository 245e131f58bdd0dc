"""The figures of a design, as :class:`~orbitaldc.report.charts.Chart` descriptions.

One function per figure; each draws what the library computed (summary.json, the api's result
objects) and names the model that computed it and the sources behind it. The HTML report
(:mod:`orbitaldc.report.html_report`) and the web dashboard (:mod:`orbitaldc.web`) draw the same
charts. Nothing here computes a figure of the design.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from orbitaldc import catalog
from orbitaldc.report.charts import GROUND, SPACE, Chart, Trace

#: Sources of the closure's sizing (module docstrings of ``orbitaldc.closure``).
SMAD = "Wertz & Larson, Space Mission Analysis and Design, 3rd ed. (1999)"
GILMORE = "Gilmore, Spacecraft Thermal Control Handbook vol. I, 2nd ed. (2002)"
WRIGHT = "Wright, 'Factors affecting the cost of airplanes', J. Aeronautical Sciences 3 (1936)"


def _entry_source(kind: str, entry_id: str | None) -> str | None:
    """``"kind id: source"`` of a catalog entry, or None when the id is not set."""
    if entry_id is None:
        return None
    return f"{kind} {entry_id}: {catalog.get(kind, entry_id).source}"


def _sources(*items: str | None) -> tuple[str, ...]:
    return tuple(s for s in items if s)


def _satellite_sources(spec: Any) -> tuple[str | None, ...]:
    sat = spec.satellite
    if sat is None:
        return ()
    return (
        _entry_source("accelerators", sat.compute.accelerator),
        _entry_source("solar_arrays", sat.power.array),
        _entry_source("batteries", sat.power.battery),
        _entry_source("radiators", sat.thermal.radiator),
    )


def mass_chart(summary: Mapping[str, Any], spec: Any) -> Chart | None:
    """Satellite mass by subsystem (``satellite.mass_breakdown_kg``); None for a ground design."""
    sat = summary.get("satellite")
    if not sat:
        return None
    parts = sat["mass_breakdown_kg"]
    names = list(parts)
    return Chart(
        key="mass",
        title=f"Satellite mass {sat['mass_kg']:,.0f} kg, by subsystem",
        x_label="kg",
        y_label="",
        traces=(Trace([parts[n] for n in names], names, kind="barh", color=SPACE),),
        model="closure.mass: bottom-up roll-up with structure, harness and ADCS/propulsion as "
        "fractions of dry mass, solved exactly (m = m_sub / (1 - f)); closure.power and "
        "closure.thermal size the array, battery and radiator",
        sources=_sources(
            f"{SMAD}, table 10-31 and appendix A (mass fractions)",
            "design_rules.toml [sources]",
            *_satellite_sources(spec),
        ),
        legend=False,
    )


def power_chart(summary: Mapping[str, Any], spec: Any) -> Chart | None:
    """Power budget of one satellite: loads, array sizing, battery."""
    sat = summary.get("satellite")
    if not sat:
        return None
    labels = ["IT load", "bus load", "array needed (EOL)", "array BOL", "array EOL"]
    values = [
        sat["it_power_w"],
        sat["bus_power_w"],
        sat["array_required_power_w"],
        sat["array_bol_power_w"],
        sat["array_eol_power_w"],
    ]
    o = summary.get("orbit") or {}
    return Chart(
        key="power",
        title=f"Power: {sat['array_area_m2']:,.1f} m^2 array, {sat['battery_wh'] / 1e3:,.2f} kWh "
        f"battery<br> (longest eclipse {o.get('max_eclipse_min', float('nan')):.1f} min)",
        x_label="",
        y_label="kW",
        traces=(Trace(labels, [v / 1e3 for v in values], kind="bar", color=SPACE),),
        model="closure.power: the array carries the sunlit load and recharges the battery for "
        "the longest eclipse through the two power paths, at end of life and aphelion; the "
        "battery covers the longest eclipse at its depth of discharge for the cycles needed",
        sources=_sources(f"{SMAD}, sec. 11.4, eq. 11-5", *_satellite_sources(spec)[1:3]),
        legend=False,
    )


def thermal_chart(summary: Mapping[str, Any], spec: Any) -> Chart | None:
    """The temperature chain from radiator to junction, with the junction limit."""
    sat = summary.get("satellite")
    if not sat:
        return None
    checks = summary["checks"]
    limit = sat["junction_temperature_k"] + checks["junction_margin_k"]
    labels = ["radiator", "junction", "junction limit"]
    return Chart(
        key="thermal",
        title=f"Thermal: {sat['heat_load_w'] / 1e3:,.2f} kW rejected<br>by {sat['radiator_area_m2']:,.1f}"
        f" m^2 at {sat['radiator_net_flux_w_per_m2']:,.0f} W/m^2 net",
        x_label="",
        y_label="K",
        traces=(
            Trace(
                labels,
                [sat["radiator_temperature_k"], sat["junction_temperature_k"], limit],
                kind="bar",
                color=SPACE,
            ),
        ),
        model="closure.thermal: radiator area at its temperature, net of absorbed Earth IR and "
        "albedo in the hot case with end-of-life optical properties; junction = radiator + "
        "coolant loop + cold plate + chip's thermal resistance x power",
        sources=_sources(
            f"{GILMORE}, ch. 2 and 5",
            "design_rules.toml [sources] (loop and cold-plate temperature rises)",
            *_satellite_sources(spec)[::3],
        ),
        legend=False,
    )


def _profile_note(summary: Mapping[str, Any]) -> str:
    e = summary.get("economics") or {}
    name = (e.get("profile") or {}).get("name", "?")
    return f"cost profile {name} (each value with its source and date: docs/economics_sources.md)"


def _site_source(summary: Mapping[str, Any], spec: Any) -> str | None:
    return _entry_source("terrestrial_sites", spec.terrestrial.site) if spec is not None else None


def cost_waterfall_chart(summary: Mapping[str, Any], spec: Any = None) -> Chart | None:
    """Cost of a delivered accelerator-hour part by part, space against the ground (waterfall)."""
    e = summary.get("economics") or {}
    space = e.get("cost_breakdown_usd_per_accelerator_hour")
    ground = (e.get("terrestrial") or {}).get("cost_breakdown_usd_per_accelerator_hour")
    if not space or not ground:
        return None
    traces = []
    for side, parts, colour in (("space", space, SPACE), ("ground", ground, GROUND)):
        names = [f"{k.replace('_', ' ')} ({side})" for k in parts]
        heights = [float(v) for v in parts.values()]
        bases = list(np.concatenate([[0.0], np.cumsum(heights)[:-1]]))
        traces.append(Trace(names, heights, name=side, kind="bar", color=colour, base=bases))
        traces.append(Trace([f"{side} total"], [sum(heights)], name="", kind="bar", color=colour))
    ratio = e.get("space_to_ground_cost_ratio")
    return Chart(
        key="cost",
        title="Cost per delivered accelerator-hour:<br>space "
        f"${e['cost_per_accelerator_hour_usd']:,.2f}, ground "
        f"${e['terrestrial']['cost_per_accelerator_hour_usd']:,.2f}"
        + (f" ({ratio:,.2f}x)" if ratio is not None else ""),
        x_label="",
        y_label="$ per accelerator-hour",
        traces=tuple(traces),
        barmode="overlay",
        model="economics.space.orbital_costs and economics.ground.terrestrial_costs: both sides "
        "levelised with the capital recovery factor at the same discount rate, horizon and "
        "failures, over the hours delivered in a mean year",
        sources=_sources(_profile_note(summary), _site_source(summary, spec)),
        legend=False,
    )


def parity_chart(summary: Mapping[str, Any]) -> Chart | None:
    """Each lever's value at parity (space costs what the ground costs) against its value now."""
    e = summary.get("economics") or {}
    par = e.get("parity")
    if not par:
        return None
    solved = [
        (v["label"], v["value"], v["current"], v["unit"])
        for v in par["levers"].values()
        if v["value"] is not None and v["current"] not in (None, 0)
    ]
    missing = [v["label"] for v in par["levers"].values() if v["value"] is None]
    factors = [value / current for _, value, current, _ in solved]
    labels = [f"{label} ({value:.3g} {unit})" for label, value, _, unit in solved]
    rows = list(range(len(solved)))
    dominant = par["levers"].get(par["dominant_lever"], {}).get("label", par["dominant_lever"])
    return Chart(
        key="parity",
        title="What must be true: each lever alone at parity<br>"
        f"(ratio now {par['ratio']:.3g}; dominant lever: {dominant})",
        x_label="value at parity / value now (log)",
        y_label="",
        traces=(
            *(Trace([1.0, f], [k, k], color="#999999", width=3.0) for k, f in enumerate(factors)),
            Trace(factors, rows, name="at parity", kind="markers", color=SPACE),
        ),
        y_ticks=(rows, labels),
        log_x=True,
        marks=((1.0, "now"),),
        model="economics.parity.solve_levers: bracket and regula falsi on ln(space/ground cost) "
        "over each lever's range, the closure re-run for every trial value; dominant lever = "
        "largest |elasticity|",
        sources=(_profile_note(summary),),
        note=("No parity in range for: " + ", ".join(missing)) if missing else "",
        legend=False,
        height_px=max(260, 60 + 32 * len(solved)),
    )


def crossover_chart(summary: Mapping[str, Any]) -> Chart | None:
    """Cost of the design built each year, space on learning curves against the ground."""
    e = summary.get("economics") or {}
    when = e.get("crossover")
    if not when:
        return None
    year = when.get("crossover_year")
    return Chart(
        key="crossover",
        title="When: the design built each year"
        + (f" (crossover {year})" if year is not None else " (no crossover in range)"),
        x_label="year built",
        y_label="$ per accelerator-hour (log)",
        traces=(
            Trace(
                when["years"],
                when["space_cost_per_accelerator_hour_usd"],
                name="space",
                color=SPACE,
            ),
            Trace(
                when["years"],
                when["ground_cost_per_accelerator_hour_usd"],
                name="ground (owned)",
                color=GROUND,
            ),
        ),
        log_y=True,
        marks=((year, f"crossover {year}"),) if year is not None else (),
        model="economics.learning: launch price and satellite hardware on Wright's-law learning "
        "curves (cost x (1 - rate) per doubling of cumulative production), ground electricity "
        "on its compound trend; each year's design closed again",
        sources=(WRIGHT, _profile_note(summary)),
    )


def eclipse_chart(year: Any, summary: Mapping[str, Any]) -> Chart:
    """Beta angle and eclipse minutes per orbit over the first year, per plane (at most 4)."""
    table: pd.DataFrame = year.table
    planes = sorted(table["plane"].unique())[:4]
    traces = []
    for plane in planes:
        rows = table[table["plane"] == plane]
        dates = [str(d) for d in rows["date"]]
        suffix = f" (plane {plane})" if len(planes) > 1 else ""
        traces.append(Trace(dates, rows["beta_deg"].tolist(), name=f"beta{suffix}", width=1.5))
        traces.append(
            Trace(
                dates,
                rows["eclipse_min_per_orbit"].tolist(),
                name=f"eclipse{suffix}",
                secondary=True,
                dash=True,
                width=1.5,
            )
        )
    seasons = year.seasons
    season_text = (
        "; ".join(f"{s['start']} to {s['end']} ({s['days']} d)" for s in seasons[:4])
        or "none: the orbit stays sunlit all year"
    )
    return Chart(
        key="eclipse",
        title=f"Eclipse seasons: {season_text}",
        x_label="date",
        y_label="beta angle, deg",
        y2_label="eclipse, min per orbit",
        traces=tuple(traces),
        model="fleet.year.orbit_year: daily beta angle of one satellite per plane with the "
        "J2-secular node drift, eclipse length from the conical Earth shadow "
        "(physics.eclipse.annual_eclipse_statistics)",
        sources=(
            "Sun: low-precision series of the Astronomical Almanac (physics.sun)",
            "Vallado, Fundamentals of Astrodynamics and Applications, 4th ed. (J2 secular rates)",
            "docs/orbit.md (accuracy against Skyfield)",
        ),
    )


def temperature_chart(series: pd.DataFrame, when: str) -> Chart | None:
    """Node temperatures of one satellite over the simulated window (the twin's series)."""
    if series.empty:
        return None
    sat = int(series["satellite"].min())
    rows = series[series["satellite"] == sat]
    minutes = ((rows["t_s"] - rows["t_s"].iloc[0]) / 60.0).tolist()
    traces = [
        Trace(minutes, rows[column].tolist(), name=column.removesuffix("_k"), width=1.5)
        for column in ("junction_k", "compute_k", "coolant_k", "radiator_k", "array_k", "bus_k")
    ]
    traces.append(
        Trace(
            minutes,
            (1.0 - rows["illuminated"]).tolist(),
            name="in shadow",
            secondary=True,
            dash=True,
            color="#555555",
            width=1.0,
        )
    )
    return Chart(
        key="temperatures",
        title=f"Temperatures of satellite {sat}<br>over {when}",
        x_label="minutes",
        y_label="K",
        y2_label="shadow fraction",
        traces=tuple(traces),
        model="twin.kernel: lumped thermal network (compute, coolant, radiator, array, bus) "
        "stepped with the orbit, the conical shadow, the array and battery, the loads and the "
        "thermal control (docs/twin.md)",
        sources=(f"{GILMORE}, ch. 2 and 5", f"{SMAD}, eqs. 11-5 to 11-9 (array)"),
    )


def dose_depth_chart(radiation: Any) -> Chart:
    """Dose per year behind aluminium, by source, with the design's shielding marked."""
    table = radiation.dose_depth_table
    s = radiation.summary
    # Doses a million times below the total's peak are left out: a log axis down to the last
    # electron that gets through 10 cm of aluminium would hide the curves that matter.
    floor = float(table["total_rad_si_per_year"].max()) * 1e-6

    def shown(column: str) -> list[float | None]:
        return [v if v >= floor else None for v in table[column].tolist()]

    traces = [
        Trace(
            table["thickness_mm"].tolist(),
            shown(f"{name}_rad_si_per_year"),
            name=name.replace("_", " "),
            width=1.5,
        )
        for name in ("trapped_protons", "trapped_electrons", "bremsstrahlung", "solar_protons")
    ]
    traces.append(
        Trace(
            table["thickness_mm"].tolist(),
            shown("total_rad_si_per_year"),
            name="total",
            color="black",
        )
    )
    life = s.get("lifetime_years")
    return Chart(
        key="dose",
        title=f"Dose-depth: {s['dose_rad_si_per_year']['total']:,.0f} rad(Si)/yr behind "
        f"{s['shielding_mm']:.1f} mm Al"
        + (f"<br>chips last {life:,.1f} yr" if life is not None else ""),
        x_label="aluminium shielding, mm",
        y_label="rad(Si) per year",
        traces=tuple(traces),
        log_x=True,
        log_y=True,
        marks=((s["shielding_mm"], "design"),),
        model="radiation chain: environment -> dose_depth -> shielded -> lifetime (docs/"
        "radiation.md)",
        sources=tuple(f"{k}: {v}" for k, v in s["model"].items() if k != "solar_proton_model"),
    )


def error_rate_chart(summary: Mapping[str, Any], spec: Any) -> Chart | None:
    """Single-event rates per device per day, by effect."""
    r = summary.get("radiation")
    if not r or not r.get("see"):
        return None
    names = list(r["see"])
    return Chart(
        key="errors",
        title=f"Single-event rates ({r['saa']['passes_per_day']} SAA passes a day)",
        x_label="",
        y_label="events per device per day (log)",
        traces=(
            Trace(
                [f"{n} ({r['see'][n]['scope']})" for n in names],
                [r["see"][n]["per_device_per_day"] for n in names],
                kind="bar",
                color=SPACE,
            ),
        ),
        log_y=True,
        model="radiation.single_events: proton cross-sections over the shielded proton spectra "
        "and heavy-ion Weibull curves over the LET spectrum, per effect the accelerator lists",
        sources=_sources(
            _entry_source("accelerators", spec.accelerator_id), r["model"]["cosmic_rays"]
        ),
        legend=False,
    )


def links_chart(network: Any) -> Chart | None:
    """Inter-satellite link capacity and all-reduce time over one orbit."""
    isl = network.isl
    if isl is None:
        return None
    s = isl.series
    minutes = ((isl.t_s - isl.t_s[0]) / 60.0).tolist()
    with np.errstate(all="ignore"):
        cap = np.where(s.up, s.capacity_bps, np.nan)
        up = s.up.any(axis=0)
        slowest = np.where(up, np.nanmin(np.where(s.up, cap, np.inf), axis=0), np.nan) / 1e9
        median = np.where(up, np.nanmedian(np.where(up, cap, 0.0), axis=0), np.nan) / 1e9
    return Chart(
        key="links",
        title=f"Inter-satellite links over one orbit<br>({isl.kind}, {isl.satellites} satellites, "
        f"{int(s.up.sum(axis=0).mean()):,} links up on average)",
        x_label="minutes",
        y_label="link capacity, Gbit/s",
        y2_label="all-reduce of 1 GB, s",
        traces=(
            Trace(minutes, slowest.tolist(), name="slowest link"),
            Trace(minutes, median.tolist(), name="median link"),
            Trace(minutes, isl.allreduce_s.tolist(), name="all-reduce 1 GB", secondary=True),
        ),
        model="network.topology (line of sight above 80 km, nearest-neighbour matching or the "
        "Walker +grid) with physics.links' Gaussian-beam optical budget; network.collectives "
        "(alpha-beta ring all-reduce)",
        sources=_sources(
            "Toyoshima et al. 2002 (pointing-jitter loss)",
            "Thakur et al. 2005 (ring all-reduce)",
            _entry_source("terminals", network.summary["terminal"]),
        ),
    )


def merge_intervals(start: np.ndarray, stop: np.ndarray) -> list[tuple[float, float]]:
    """The union of the intervals ``[start, stop]`` as sorted disjoint intervals."""
    merged: list[tuple[float, float]] = []
    for a, b in sorted(zip(start.tolist(), stop.tolist(), strict=True)):
        if merged and a <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], b))
        else:
            merged.append((a, b))
    return merged


def contacts_chart(network: Any) -> Chart:
    """Ground contacts over one day: when each station sees at least one satellite."""
    g = network.ground
    rise, set_ = g.windows.clipped()
    station = np.asarray(g.windows.station)
    x: list[float | None] = []
    y: list[int | None] = []
    for k in range(len(g.stations)):
        for a, b in merge_intervals(np.asarray(rise)[station == k], np.asarray(set_)[station == k]):
            x += [(a - g.windows.start_s) / 3600.0, (b - g.windows.start_s) / 3600.0, None]
            y += [k, k, None]
    return Chart(
        key="contacts",
        title=f"Ground contacts over one day ({len(g.stations)} stations, "
        f"{network.summary['downlink_tb_per_day']:,.1f} TB/day down)",
        x_label="hours after the mission start",
        y_label="",
        traces=(Trace(x, y, name="in contact", width=6.0, color=SPACE),),
        y_ticks=(list(range(len(g.stations))), list(g.stations)),
        height_px=max(300, 120 + 14 * len(g.stations)),
        model="physics.contacts: elevation above each station's mask from the WGS-84 normal, "
        "windows found by the one event finder and refined by bisection on the orbit",
        sources=(
            "Vallado, Fundamentals of Astrodynamics and Applications, 4th ed., alg. 27",
            "ground_stations.toml (each station with its source)",
        ),
        legend=False,
    )


def workload_chart(summary: Mapping[str, Any]) -> Chart | None:
    """Each declared workload's cost in orbit against the ground (analytic, ``workload[]``)."""
    items = summary.get("workload") or []
    if not items:
        return None
    labels, space, ground = [], [], []
    for w in items:
        key = "cost_per_run_usd" if w["kind"] == "training" else "cost_per_million_tokens_usd"
        unit = "$ per run" if w["kind"] == "training" else "$ per million tokens"
        labels.append(f"{w['name']} ({unit})")
        space.append((w.get("space") or {}).get(key))
        ground.append((w.get("ground") or {}).get(key))
    return Chart(
        key="workload",
        title="Workloads: cost in orbit and on the ground",
        x_label="",
        y_label="$ (log)",
        traces=(
            Trace(labels, space, name="space", kind="bar", color=SPACE),
            Trace(labels, ground, name="ground", kind="bar", color=GROUND),
        ),
        log_y=True,
        model="workload.assess: 6ND at the MFU with data-parallel all-reduce and Young-Daly "
        "checkpoints for training; roofline decode in an M/M/c queue for inference",
        sources=(
            "Kaplan et al. 2020; Hoffmann et al. 2022 (6ND)",
            "Young 1974; Daly 2006 (checkpoint interval)",
            "Pope et al. 2023 (inference rooflines)",
        ),
    )


def workload_timeline_chart(frames: Mapping[str, pd.DataFrame], start_s: float) -> Chart | None:
    """Fleet compute delivered over the time loop, each policy (``timeline.parquet`` rows)."""
    if not frames:
        return None
    traces = []
    for k, (name, f) in enumerate(frames.items()):
        hours = ((f["t_s"] - start_s) / 3600.0).tolist()
        traces.append(
            Trace(hours, f["fleet_compute_fraction"].tolist(), name=name, dash=k > 0, width=1.5)
        )
    return Chart(
        key="workload_timeline",
        title="Workload time loop: fleet compute delivered,<br>policy against its baseline",
        x_label="hours",
        y_label="fraction of nameplate compute",
        traces=tuple(traces),
        model="workload.execution: the scheduler's demand fed to the twin's kernel each cadence, "
        "with faults, checkpoints and restarts (docs/workloads.md)",
        sources=("Young 1974; Daly 2006 (checkpoint interval)", "docs/twin.md"),
    )


def _param_label(path: str, units: Mapping[str, str]) -> str:
    unit = units.get(path)
    return f"{path} [{unit}]" if unit else path


def tornado_chart(digest: Mapping[str, Any], output: str) -> Chart | None:
    """Tornado of a sensitivity study's ``output``: each parameter at its low and high quantile."""
    block = (digest.get("tornado") or {}).get(output)
    if not block:
        return None
    units = {p["path"]: p.get("unit", "") for p in digest.get("parameters", [])}
    base = block["base"]
    bars = list(reversed(block["bars"]))
    labels = [_param_label(b["parameter"], units) for b in bars]
    low = [b["output_at_low"] for b in bars]
    high = [b["output_at_high"] for b in bars]
    q_low, q_high = digest.get("tornado_quantiles", [None, None])
    return Chart(
        key=f"tornado_{output}",
        title=f"Tornado: {output} (base {base:.4g})",
        x_label=output,
        y_label="",
        traces=(
            Trace(
                [v - base for v in low],
                labels,
                name=f"at P{_pct(q_low)}",
                kind="barh",
                base=[base] * len(bars),
                color=SPACE,
            ),
            Trace(
                [v - base for v in high],
                labels,
                name=f"at P{_pct(q_high)}",
                kind="barh",
                base=[base] * len(bars),
                color=GROUND,
            ),
        ),
        barmode="overlay",
        marks=((base, "base"),),
        model=f"study {digest.get('study', '?')} ({digest.get('command')}): each parameter at its "
        "low and high quantile, the others at their medians, the closure re-run",
        sources=(f"base design {digest.get('design', '?')}; seed {digest.get('seed')}",),
    )


def _pct(q: float | None) -> str:
    return "?" if q is None else f"{100 * q:g}"


def sobol_chart(digest: Mapping[str, Any], output: str) -> Chart | None:
    """First-order and total Sobol' indices of a sensitivity study's ``output``."""
    block = (digest.get("sobol") or {}).get(output)
    if not block:
        return None
    names = list(block)
    return Chart(
        key=f"sobol_{output}",
        title=f"Sobol' indices of {output}",
        x_label="",
        y_label="share of the variance",
        traces=(
            Trace(
                names,
                [block[n]["S1"] for n in names],
                name="first order S1",
                kind="bar",
                color=SPACE,
            ),
            Trace(
                names, [block[n]["ST"] for n in names], name="total ST", kind="bar", color=GROUND
            ),
        ),
        model=f"study {digest.get('study', '?')}: Saltelli sampling and Sobol' analysis (SALib) "
        f"over {digest.get('rows', '?')} closures",
        sources=("Saltelli et al. 2010, Comput. Phys. Commun. 181, 259", "SALib"),
    )


def percentile_chart(digest: Mapping[str, Any]) -> Chart | None:
    """P10/P50/P90 of a Monte Carlo study's outputs, each relative to its P50."""
    pct = digest.get("percentiles")
    if not pct:
        return None
    names = [n for n, v in pct.items() if n != "closes" and v.get("p50") not in (None, 0)]
    rel = {
        q: [pct[n][q] / pct[n]["p50"] if pct[n][q] is not None else None for n in names]
        for q in ("p10", "p50", "p90")
    }
    return Chart(
        key="percentiles",
        title=f"Monte Carlo: P10, P50, P90 over {digest.get('rows', '?')} draws"
        + (
            f"; P(space beats ground) = {digest['p_space_beats_ground']:.2f}"
            if digest.get("p_space_beats_ground") is not None
            else ""
        ),
        x_label="",
        y_label="value / P50",
        traces=tuple(
            Trace(names, rel[q], name=q.upper(), kind="bar", color=c)
            for q, c in (("p10", SPACE), ("p50", "#7f8c8d"), ("p90", GROUND))
        ),
        model=f"study {digest.get('study', '?')} (montecarlo): independent draws of the "
        "parameters' distributions through the closure",
        sources=tuple(
            f"{p['path']}: {p.get('distribution')} {p.get('low')}-{p.get('high')} {p.get('unit', '')}"
            for p in digest.get("parameters", [])
        ),
    )


def study_charts(digest: Mapping[str, Any]) -> list[Chart]:
    """The charts a study digest supports: tornado and Sobol' indices of the space/ground ratio
    (or of each output), Monte Carlo percentiles."""
    outputs = list((digest.get("tornado") or digest.get("sobol") or {}).keys())
    preferred = [o for o in outputs if o == "space_to_ground_cost_ratio"] or outputs[:1]
    charts = [tornado_chart(digest, o) for o in preferred]
    charts += [sobol_chart(digest, o) for o in preferred]
    charts.append(percentile_chart(digest))
    return [c for c in charts if c is not None]


def compare_chart(
    a: Mapping[str, Any], b: Mapping[str, Any], names: Sequence[str] = ("A", "B")
) -> Chart | None:
    """Two designs' cost per accelerator-hour part by part, side by side (stacked bars)."""
    parts_a = ((a.get("economics") or {}).get("cost_breakdown_usd_per_accelerator_hour")) or {}
    parts_b = ((b.get("economics") or {}).get("cost_breakdown_usd_per_accelerator_hour")) or {}
    keys = list(dict.fromkeys([*parts_a, *parts_b]))
    if not keys:
        return None
    columns = [f"{names[0]}: {a['scenario']}", f"{names[1]}: {b['scenario']}"]
    traces = tuple(
        Trace(
            columns,
            [parts_a.get(k, 0.0), parts_b.get(k, 0.0)],
            name=k.replace("_", " "),
            kind="bar",
        )
        for k in keys
    )
    return Chart(
        key="compare",
        title="Cost per delivered accelerator-hour, part by part",
        x_label="",
        y_label="$ per accelerator-hour",
        traces=traces,
        barmode="stack",
        model="economics.space.orbital_costs (closure of each design)",
        sources=(_profile_note(a), _profile_note(b)),
    )
