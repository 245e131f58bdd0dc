"""The ``orbitaldc`` command line: run, validate, init, catalog, orbit, simulate, radiation, network,
workload; the studies sweep, montecarlo, sensitivity, optimize.

Errors in what the user gave (spec, options, files) print one clear message and exit with code 2;
no Python traceback reaches the user unless ``ORBITALDC_DEBUG=1`` is set.
"""

from __future__ import annotations

import contextlib
import functools
import json
import os
import sys
from collections.abc import Callable, Iterator
from importlib import resources
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from orbitaldc.report.io import money, write_json_atomic

app = typer.Typer(
    name="orbitaldc",
    help="Design and simulate orbital AI data centers: does the design close, what does it "
    "weigh and cost, and how does it compare with the ground?",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
console = Console()
err_console = Console(stderr=True)

SpecArg = Annotated[Path, typer.Argument(help="Design spec TOML file.", show_default=False)]


class UsageProblem(Exception):
    """A problem with what the user asked for, reported without a traceback (exit 2)."""


def _friendly(func: Callable[..., Any]) -> Callable[..., Any]:
    """Turn user errors into one red line and exit code 2; internal errors into exit code 1."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        from orbitaldc.spec import SpecError

        try:
            return func(*args, **kwargs)
        except typer.Exit:
            raise
        except (SpecError, UsageProblem, ValueError, LookupError, OSError) as exc:
            if os.environ.get("ORBITALDC_DEBUG"):
                raise
            err_console.print(f"[bold red]error:[/] {exc}", highlight=False, soft_wrap=True)
            raise typer.Exit(2) from None
        except Exception as exc:  # pragma: no cover - a bug, not a user error
            if os.environ.get("ORBITALDC_DEBUG"):
                raise
            err_console.print(
                f"[bold red]internal error:[/] {type(exc).__name__}: {exc}\n"
                "Set ORBITALDC_DEBUG=1 for the traceback and please report it.",
                highlight=False,
            )
            raise typer.Exit(1) from None

    return wrapper


def _load(spec_path: Path):
    from orbitaldc.spec import load_spec

    return load_spec(spec_path)


def _parse_option(text: str, dimension: str, option: str) -> float:
    from orbitaldc.spec.units import UnitError, parse_quantity

    try:
        return parse_quantity(text, dimension)
    except UnitError as exc:
        raise UsageProblem(f"{option}: {exc}") from None


def _n(x: float | None, fmt: str) -> str:
    """Format a number, or 'n/a' for a missing (non-finite) one."""
    return "n/a" if x is None else format(x, fmt)


def _k(x: float | None) -> float | None:
    return None if x is None else x / 1e3


def _print_summary(s: dict[str, Any]) -> None:
    name = s["scenario"]
    if s["closes"]:
        console.print(f"[bold green]CLOSES[/]  {name}")
    else:
        console.print(f"[bold red]DOES NOT CLOSE[/]  {name}")
        for reason in s["reasons"]:
            console.print(f"  [red]-[/] {reason}", highlight=False)
    table = Table(show_header=True, header_style="bold", box=None, pad_edge=False)
    table.add_column("figure")
    table.add_column("value", justify="right")
    table.add_column("note")
    o, sat, fleet, lv, e = s["orbit"], s["satellite"], s["fleet"], s["launch"], s["economics"]
    if o is not None:
        table.add_row(
            "orbit",
            f"{_n(o['altitude_km'], '.0f')} km, {_n(o['inclination_deg'], '.2f')} deg",
            f"period {_n(o['period_min'], '.1f')} min",
        )
        table.add_row(
            "sunlit fraction",
            f"{_n(o['sunlit_fraction_mean'], '.4f')}",
            f"min {_n(o['sunlit_fraction_min'], '.4f')}, longest eclipse {_n(o['max_eclipse_min'], '.1f')} min",
        )
    if sat is not None:
        c = s["checks"]
        table.add_row(
            "satellite",
            f"{_n(sat['mass_kg'], ',.0f')} kg",
            f"{sat['accelerators']} x {sat['accelerator']}, IT {_n(_k(sat['it_power_w']), ',.2f')} kW; "
            f"IT {_n(sat['it_specific_power_w_per_kg'], '.1f')} W/kg, "
            f"array {_n(sat['array_specific_power_w_per_kg'], '.1f')} W/kg",
        )
        table.add_row(
            "solar array",
            f"{_n(sat['array_area_m2'], ',.1f')} m^2",
            f"BOL {_n(_k(sat['array_bol_power_w']), ',.1f')} kW, EOL {_n(_k(sat['array_eol_power_w']), ',.1f')} kW",
        )
        table.add_row(
            "battery",
            f"{_n(_k(sat['battery_wh']), ',.2f')} kWh",
            f"DoD {_n(sat['battery_max_dod'], '.0%')} for {_n(sat['battery_cycles_required'], ',.0f')} cycles",
        )
        table.add_row(
            "radiator",
            f"{_n(sat['radiator_area_m2'], ',.1f')} m^2",
            f"{_n(sat['radiator_net_flux_w_per_m2'], '.0f')} W/m^2 net at {_n(sat['radiator_temperature_k'], '.0f')} K",
        )
        table.add_row(
            "junction",
            f"{_n(sat['junction_temperature_k'], '.1f')} K",
            f"margin {_n(c['junction_margin_k'], '.1f')} K",
        )
    table.add_row(
        "fleet",
        f"{_n(fleet['accelerators'], ',')} accelerators",
        f"{_n(fleet['it_power_mw'], ',.3f')} MW IT, {_n(fleet['peak_pflops'], ',.0f')} PFLOP/s peak"
        + (f", {_n(fleet['mass_t'], ',.1f')} t" if fleet["mass_t"] is not None else ""),
    )
    if lv is not None:
        table.add_row(
            "launch",
            f"{_n(lv['launches'], '.0f')} x {lv['vehicle']}",
            f"{_n(lv['satellites_per_launch'], '.0f')} per launch, {money(lv['cost_usd'])} "
            f"({lv['pricing']}; ${_n(lv['price_usd_per_kg'], ',.0f')}/kg launched)",
        )
    table.add_row("capex", money(e["capex_usd"]), f"opex {money(e['opex_usd_per_year'])}/yr")
    table.add_row(
        "cost profile",
        e["profile"]["name"],
        f"discount rate {_n(e['discount_rate'], '.1%')}"
        + (
            f", chips last {_n(e['chip_life_years'], '.1f')} yr"
            if e.get("chip_life_years") is not None
            else ""
        ),
    )
    if e["launched_power_price_usd_per_kw_year"] is not None:
        table.add_row(
            "launched power price",
            f"${_n(e['launched_power_price_usd_per_kw_year'], ',.0f')}/kW/yr",
            "",
        )
    g = e["terrestrial"]
    table.add_row(
        "cost per accelerator-hour",
        f"${_n(e['cost_per_accelerator_hour_usd'], ',.3f')}",
        f"ground ${_n(g['cost_per_accelerator_hour_usd'], ',.3f')} owned"
        + (
            f", ${g['rental_cost_per_accelerator_hour_usd']:,.3f} rented"
            if g.get("rental_cost_per_accelerator_hour_usd") is not None
            else ""
        ),
    )
    table.add_row(
        "cost per PFLOP-day",
        f"${_n(e['cost_per_pflop_day_usd'], ',.1f')}",
        f"ground ${_n(g['cost_per_pflop_day_usd'], ',.1f')}",
    )
    if e["space_to_ground_cost_ratio"] is not None:
        be = e["breakeven_launch_price_usd_per_kg"]
        table.add_row(
            "space / ground cost",
            f"{_n(e['space_to_ground_cost_ratio'], '.2f')} x",
            "break-even launch price "
            + (f"${be:,.0f}/kg" if be is not None else "none (not even free launch)"),
        )
        par = e.get("parity")
        if par is not None:
            dominant = par["dominant_lever"]
            label = par["levers"][dominant]["label"] if dominant in par["levers"] else dominant
            solved = [
                f"{v['label']} {v['value']:.4g} {v['unit']}"
                for v in par["levers"].values()
                if v["value"] is not None
            ]
            table.add_row(
                "parity",
                f"floor {_n(par['parity_floor'], '.2f')} x",
                f"with free launch and hardware; dominant lever: {label}"
                + (
                    f"; parity at {', '.join(solved[:3])}"
                    if solved
                    else "; no lever alone reaches it"
                ),
            )
        if "crossover_year" in e:
            table.add_row(
                "crossover year",
                str(e["crossover_year"]) if e["crossover_year"] is not None else "none by 2045",
                f"learning curves of cost profile {e['profile']['name']}",
            )
    r = s.get("radiation")
    if r is not None:
        sdc = r["see"].get("sdc")
        life = r["lifetime_years"]
        table.add_row(
            "radiation",
            f"{_n(r['dose_rad_si_per_year']['total'], ',.0f')} rad(Si)/yr",
            f"behind {_n(r['shielding_mm'], '.0f')} mm Al; "
            + (f"lifetime {life:,.1f} yr" if life is not None else "no tolerance data")
            + (f", SDC {sdc['per_device_per_day']:.3g}/chip/day" if sdc else ""),
        )
    console.print(table)


def _cell(value: Any) -> str:
    """A table cell: whole numbers with thousands separators, others to 4 significant digits."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return str(value)
    if value != value:  # NaN
        return "n/a"
    if float(value).is_integer() and abs(value) < 1e9:
        return f"{value:,.0f}"
    return f"{value:.4g}"


def _flat_rows(block: dict[str, Any], indent: str = "") -> list[tuple[str, str]]:
    """Rows of a nested figures dict: a nested dict becomes its key, then its entries indented."""
    rows: list[tuple[str, str]] = []
    for key, value in block.items():
        if isinstance(value, dict):
            rows.append((f"{indent}{key}", ""))
            rows += _flat_rows(value, indent + "  ")
        else:
            rows.append((f"{indent}{key}", "n/a" if value is None else f"{value:.6g}"))
    return rows


def _note_radiation(result: Any, without: str) -> None:
    """Print why the radiation chain did not run (orbit outside its model), if it did not."""
    if result.radiation_note is not None:
        err_console.print(f"[yellow]note:[/] {result.radiation_note}; {without}", highlight=False)


def _thickest_assessed_mm() -> float:
    """The thickest aluminium the radiation chain's dose-depth curve reaches, mm."""
    from orbitaldc.radiation import THICKNESS_GRID_M

    return float(THICKNESS_GRID_M[-1]) * 1e3


@app.command()
@_friendly
def run(
    spec: SpecArg,
    out: Annotated[Path | None, typer.Option(help="Folder for summary.json.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print summary.json to stdout.")] = False,
    radiation_chain: Annotated[
        bool,
        typer.Option(
            "--radiation/--no-radiation",
            help="Add radiation{} (dose, lifetime, error rates; about a second).",
        ),
    ] = True,
) -> None:
    """Close a design: verdict, key figures, radiation and economics; writes OUT/summary.json."""
    from orbitaldc import api

    result = api.run(_load(spec), radiation=radiation_chain)
    _note_radiation(result, "radiation{} is null")
    summary = result.summary
    files = []
    if out is not None:
        from orbitaldc.report.economics_report import write_economics_plots

        write_json_atomic(out / "summary.json", summary)
        files = write_economics_plots(summary, out)
    if as_json:
        sys.stdout.write(json.dumps(summary, indent=2) + "\n")
        return
    _print_summary(summary)
    r = summary.get("radiation")
    if r is not None and r["lifetime_limited"]:
        console.print(
            f"[yellow]warning:[/] the accelerators reach their total-dose tolerance "
            f"({r['tid_tolerance_rad_si']:,.0f} rad(Si)) after {r['lifetime_years']:.1f} of the "
            f"mission's {r['mission_years']:.1f} years; "
            + (
                f"{r['shielding_for_lifetime_mm']:.1f} mm Al would last the mission with margin "
                f"x{r['design_margin']:.0f}"
                if r["shielding_for_lifetime_mm"] is not None
                else f"no shielding up to {_thickest_assessed_mm():.0f} mm Al lasts the mission"
            ),
            highlight=False,
        )
    for note in (summary["economics"].get("notes") or []) if summary["economics"] else []:
        console.print(f"[yellow]note:[/] {note}", highlight=False)
    if out is not None:
        for f in [out / "summary.json", *files]:
            console.print(f"wrote {f}", style="dim")


@app.command()
@_friendly
def validate(spec: SpecArg) -> None:
    """Check a spec: every problem is listed with its field path."""
    s = _load(spec)
    console.print(f"[green]valid[/]: {spec} ({s.mission.name})")


@app.command()
@_friendly
def init(
    path: Annotated[Path, typer.Argument(help="Where to write the starter spec.")] = Path(
        "design.toml"
    ),
    force: Annotated[bool, typer.Option(help="Overwrite an existing file.")] = False,
) -> None:
    """Write a commented starter spec."""
    from orbitaldc.report.io import write_text_atomic

    if path.exists() and not force:
        raise UsageProblem(f"{path} exists; pass --force to overwrite it")
    text = resources.files("orbitaldc.spec").joinpath("starter.toml").read_text(encoding="utf-8")
    write_text_atomic(path, text)
    console.print(f"wrote {path}; check it with: orbitaldc validate {path}")


@app.command("catalog")
@_friendly
def catalog_cmd(
    kind: Annotated[str | None, typer.Argument(help="Catalog kind; omit to list kinds.")] = None,
) -> None:
    """List catalog entries with their key figures and sources."""
    from orbitaldc import catalog

    if kind is None:
        table = Table("kind", "entries", box=None)
        for k in catalog.KINDS:
            table.add_row(k, ", ".join(catalog.load(k)))
        console.print(table)
        return
    if kind not in catalog.KINDS:
        import difflib

        hint = difflib.get_close_matches(kind, catalog.KINDS, n=1)
        raise UsageProblem(
            f"unknown catalog kind {kind!r}"
            + (f"; did you mean {hint[0]!r}?" if hint else "")
            + f" (kinds: {', '.join(catalog.KINDS)})"
        )
    rows = catalog.describe(kind)
    if not rows:
        return
    # The key figures in one narrow table; each entry's name, confidence and source below it in
    # a two-column grid: a source is a paragraph, which a table column squeezed to a few
    # characters would print one word a line.
    figures = [k for k in rows[0] if k not in ("name", "confidence", "source")]
    table = Table(*(c.replace("_", " ") for c in figures), box=None)
    for row in rows:
        table.add_row(*(_cell(row[c]) for c in figures))
    table.columns[0].no_wrap = True
    console.print(table)
    details = Table.grid(padding=(0, 2))
    details.add_column(no_wrap=True)
    details.add_column()
    for row in rows:
        details.add_row(row["id"], f"[bold]{row['name']}[/] ({row['confidence']}). {row['source']}")
    console.print()
    console.print(details, highlight=False)


@app.command()
@_friendly
def orbit(
    spec: SpecArg,
    out: Annotated[Path, typer.Option(help="Folder for the plot and CSV files.")] = Path(
        "out/orbit"
    ),
) -> None:
    """Beta angle and eclipses over the mission's first year, per plane: PNG, CSV and a table."""
    from orbitaldc import api
    from orbitaldc.report.orbit_report import write_orbit_report

    s = _load(spec)
    if s.orbit is None:
        raise UsageProblem(f"{spec} is a terrestrial design; it has no orbit")
    result = write_orbit_report(api.orbit_year(s), out)
    rows = result["planes"]
    if rows:
        table = Table(*rows[0].keys(), box=None)
        for row in rows:
            table.add_row(*(f"{v:.3f}" if isinstance(v, float) else str(v) for v in row.values()))
        console.print(table)
    for f in result.get("files", []):
        console.print(f"wrote {f}", style="dim")


@contextlib.contextmanager
def _progress(label: str) -> Iterator[Callable[[int, int], None]]:
    """A progress bar on stderr with its rate and ETA; yields the ``progress(done, total)``
    callback the stores call after each simulated day."""
    from rich.progress import BarColumn, Progress, TextColumn, TimeRemainingColumn

    with Progress(
        TextColumn(label),
        BarColumn(),
        TextColumn("{task.percentage:>5.1f}%"),
        TimeRemainingColumn(),
        console=err_console,
        transient=True,
    ) as progress:
        task = progress.add_task(label, total=1.0)

        def callback(done: int, total: int) -> None:
            progress.update(task, completed=done / max(total, 1))

        yield callback


@app.command()
@_friendly
def simulate(
    spec: SpecArg,
    duration: Annotated[str, typer.Option(help="Simulated time, e.g. '30d', '1 yr'.")] = "30d",
    step: Annotated[str, typer.Option(help="Time step, e.g. '60s' (must divide a day).")] = "60s",
    out: Annotated[Path, typer.Option(help="Output folder (an interrupted run resumes).")] = Path(
        "out/simulate"
    ),
    series_satellites: Annotated[
        str,
        typer.Option(
            help="Satellites whose time series are written: a count N (spread over the fleet, "
            "always including satellite 0) or 'all'. Fleet-wide daily figures cover every "
            "satellite either way."
        ),
    ] = "5",
    radiation_chain: Annotated[
        bool,
        typer.Option(
            "--radiation/--no-radiation",
            help="Drive array degradation and chip faults from the radiation chain (default), "
            "or use the catalog's degradation rate and no faults.",
        ),
    ] = True,
) -> None:
    """Step the fleet through time: power, battery, temperatures; writes series, plots, summary."""
    from orbitaldc import api
    from orbitaldc.report.twin_store import store_simulation

    duration_s = _parse_option(duration, "time", "--duration")
    step_s = _parse_option(step, "time", "--step")
    chosen: int | str = series_satellites.strip().lower()
    if chosen != "all":
        if not chosen.isdigit():
            raise UsageProblem(
                f"--series-satellites: expected a count or 'all', got {series_satellites!r}"
            )
        chosen = int(chosen)
    s = _load(spec)
    if s.orbit is None:
        raise UsageProblem(f"{spec} is a terrestrial design; there is nothing to simulate in orbit")
    sim = api.simulate(s, duration_s, step_s, series_satellites=chosen, radiation=radiation_chain)
    _note_radiation(sim.result, "simulating without it")
    with _progress("simulating") as callback:
        twin = store_simulation(sim, out, progress=callback)
    summary = {**sim.result.summary, "twin": {k: v for k, v in twin.items() if k != "files"}}
    write_json_atomic(out / "summary.json", summary)
    table = Table("twin figure", "value", box=None)
    for label, value in _flat_rows(summary["twin"]):
        table.add_row(label, value)
    console.print(table)
    for f in twin["files"]:
        console.print(f"wrote {f}", style="dim")
    console.print(f"wrote {out / 'summary.json'}", style="dim")


def _print_radiation(block: dict[str, Any]) -> None:
    d = block["dose_rad_si_per_year"]
    table = Table("radiation", "value", "note", box=None)
    table.add_row(
        "dose behind shielding",
        f"{_n(d['total'], ',.1f')} rad(Si)/yr",
        f"{_n(block['shielding_mm'], '.1f')} mm Al ({_n(block['shielding_g_cm2'], '.2f')} g/cm^2); "
        f"trapped p {_n(d['trapped_protons'], ',.1f')}, e {_n(d['trapped_electrons'], ',.1f')}, "
        f"brems {_n(d['bremsstrahlung'], ',.1f')}, solar p {_n(d['solar_protons'], ',.1f')}",
    )
    if block["lifetime_years"] is not None:
        shield = block["shielding_for_lifetime_mm"]
        table.add_row(
            "total-dose lifetime",
            f"{_n(block['lifetime_years'], ',.1f')} yr",
            f"tolerance {_n(block['tid_tolerance_rad_si'], ',.0f')} rad(Si); mission needs "
            + (
                f"{shield:.1f} mm Al"
                if shield is not None
                else f"more than {_thickest_assessed_mm():.0f} mm Al"
            )
            + f" with margin x{block['design_margin']:.0f}",
        )
    table.add_row(
        "solar array at end of life",
        f"{_n(block['array_remaining_factor_eol'], '.3f')}",
        f"catalog rate gives {_n(block['array_remaining_factor_catalog_eol'], '.3f')}",
    )
    saa = block["saa"]
    table.add_row(
        "SAA",
        f"{saa['passes_per_day']} passes/day",
        f"{_n(saa['mean_pass_min'], '.1f')} min each, {_n(saa['fraction_of_10mev_fluence'], '.0%')} "
        "of the >10 MeV fluence",
    )
    for name, rate in block["see"].items():
        table.add_row(
            f"{name} ({rate['scope']})",
            f"{_n(rate['per_device_per_day'], '.3g')} /device/day",
            f"{_n(rate['per_fleet_per_day'], ',.3g')} per fleet-day",
        )
    console.print(table)


@app.command()
@_friendly
def radiation(
    spec: SpecArg,
    out: Annotated[
        Path, typer.Option(help="Folder for the CSV, PNG and summary.json files.")
    ] = Path("out/radiation"),
) -> None:
    """Dose per year behind the shielding, lifetime, array degradation, SAA and error rates."""
    from orbitaldc import api
    from orbitaldc.report.radiation_report import write_radiation_report

    s = _load(spec)
    if s.orbit is None:
        raise UsageProblem(f"{spec} is a terrestrial design; it has no orbit to assess")
    run_result = api.run(s)
    if run_result.radiation is None:
        raise UsageProblem(str(run_result.radiation_note))
    result, summary = run_result.radiation, run_result.summary
    files = write_radiation_report(result, out)
    write_json_atomic(out / "summary.json", summary)
    _print_radiation(result.summary)
    for f in [*files, out / "summary.json"]:
        console.print(f"wrote {f}", style="dim")


@app.command()
@_friendly
def network(
    spec: SpecArg,
    out: Annotated[
        Path, typer.Option(help="Folder for the PNG, CSV and summary.json files.")
    ] = Path("out/network"),
) -> None:
    """Links over an orbit, ground contacts, downlink, user latency and station-keeping."""
    from orbitaldc import api
    from orbitaldc.report.network_report import write_network_report

    s = _load(spec)
    if s.orbit is None or s.network is None:
        raise UsageProblem(
            f"{spec}: the network figures need an orbital design with a [network] section"
        )
    result = api.assess_network(s)
    files = write_network_report(result, out)
    summary = {**api.run(s, radiation=False, network=False).summary, "network": result.summary}
    write_json_atomic(out / "summary.json", summary)
    n = result.summary
    table = Table("network", "value", "note", box=None)
    isl = n["isl"]
    if isl is not None:
        cap = isl["capacity_gbps"]
        table.add_row(
            "inter-satellite links",
            f"{_n(cap['min'], ',.1f')} Gbit/s min",
            f"median {_n(cap['median'], ',.1f')} Gbit/s, {isl['topology']}, "
            f"{_n(isl['links_per_satellite_mean'], '.1f')} links per satellite",
        )
        if isl["bisection_bandwidth_tbps_min"] is not None:
            table.add_row(
                "bisection bandwidth",
                f"{isl['bisection_bandwidth_tbps_min']:,.1f} Tbit/s",
                "minimum over the orbit",
            )
        table.add_row(
            "all-reduce of 1 GB",
            f"{_n(isl['allreduce_1gb_s_max'], '.4g')} s",
            "slowest over the orbit",
        )
    table.add_row(
        "ground",
        f"{n['downlink_tb_per_day']:,.1f} TB/day down",
        f"{n['uplink_tb_per_day']:,.2f} TB/day up, {n['ground_stations']} stations",
    )
    lat = n["latency_ms"]
    table.add_row(
        "user latency",
        f"{_n(lat['median'], '.1f')} ms median",
        f"p95 {_n(lat['p95'], '.1f')} ms, served {lat['served_fraction']:.0%} of the day",
    )
    sk = n["station_keeping"]
    table.add_row(
        "station-keeping",
        f"{sk['delta_v_m_s_per_year']['total']:.2f} m/s/yr",
        f"{sk['propellant_kg_per_year']:.3f} kg/yr propellant per satellite",
    )
    console.print(table)
    for f in [*files, out / "summary.json"]:
        console.print(f"wrote {f}", style="dim")


@app.command()
@_friendly
def workload(
    spec: SpecArg,
    out: Annotated[
        Path, typer.Option(help="Output folder (summary.json, timelines, plots; resumes).")
    ] = Path("out/workload"),
    duration: Annotated[
        str,
        typer.Option(
            help="Time loop's simulated time, e.g. '7d'; '0d' for the analytic answer only."
        ),
    ] = "7d",
    step: Annotated[str, typer.Option(help="Twin step, e.g. '60s' (must divide a day).")] = "60s",
    policy: Annotated[
        str | None,
        typer.Option(help="Scheduler policy (greedy|aware); default [scheduler] policy."),
    ] = None,
    baseline: Annotated[
        str | None,
        typer.Option(
            help="Policy compared on the same run (greedy|aware|none); default the spec's."
        ),
    ] = None,
    radiation_chain: Annotated[
        bool,
        typer.Option(
            "--radiation/--no-radiation",
            help="Chip faults and array degradation from the radiation chain (default).",
        ),
    ] = True,
) -> None:
    """Training time, goodput, tokens/s and cost per run or million tokens, space vs ground;
    then the time loop on the twin with the scheduler (timelines and plots)."""
    from orbitaldc import api
    from orbitaldc.report.workload_report import store_workloads

    s = _load(spec)
    if not s.workload:
        raise UsageProblem(f"{spec} declares no [[workload]] (docs/workloads.md)")
    duration_s = _parse_option(duration, "time", "--duration")
    step_s = _parse_option(step, "time", "--step")
    for flag, value in (("--policy", policy), ("--baseline", baseline)):
        allowed = ("greedy", "aware") if flag == "--policy" else ("greedy", "aware", "none")
        if value is not None and value not in allowed:
            raise UsageProblem(f"{flag}: expected one of {', '.join(allowed)}, got {value!r}")
    summary = api.run(s).summary
    table = Table("workload", "space", "ground", box=None)
    for w in summary["workload"]:
        sides = [w.get("space"), w.get("ground")]
        if w["kind"] == "training":
            rows = [
                ("time to complete", "time_to_complete_days", ",.2f", " d"),
                ("goodput", "goodput", ".3f", ""),
                ("MTBF", "mtbf_hours", ",.2f", " h"),
                ("cost per run", "cost_per_run_usd", ",.0f", " $"),
            ]
        else:
            rows = [
                ("tokens/s served", "tokens_per_s", ",.0f", ""),
                ("SLO attainment", "slo_attainment", ".3f", ""),
                ("cost per million tokens", "cost_per_million_tokens_usd", ",.2f", " $"),
            ]
        table.add_row(f"[bold]{w['name']}[/] ({w['kind']})", "", "")
        for label, key, fmt, unit in rows:
            table.add_row(
                f"  {label}",
                *(
                    (
                        "n/a"
                        if side is None or side.get(key) is None
                        else format(side[key], fmt) + unit
                    )
                    for side in sides
                ),
            )
    console.print(table)
    files: list[str] = []
    if duration_s > 0 and s.orbit is not None:
        try:
            run = api.run_workloads(
                s, duration_s, step_s, policy=policy, baseline=baseline, radiation=radiation_chain
            )
        except ValueError as exc:
            raise UsageProblem(str(exc)) from exc
        _note_radiation(run.result, "running the workloads without it")
        with _progress("workloads") as callback:
            block, files = store_workloads(run, out, progress=callback)
        summary["workload_run"] = block
        _print_workload_run(block)
    write_json_atomic(out / "summary.json", summary)
    for f in files:
        console.print(f"wrote {f}", style="dim")
    console.print(f"wrote {out / 'summary.json'}", style="dim")


def _print_workload_run(block: dict[str, Any]) -> None:
    names = [block["policy"]] + ([block["baseline"]["policy"]] if block["baseline"] else [])
    runs = [block] + ([block["baseline"]] if block["baseline"] else [])
    table = Table(
        f"time loop, {block['duration_days']:g} d at {block['step_s']:g} s", *names, box=None
    )

    def cell(value: Any, fmt: str, unit: str = "") -> str:
        return "n/a" if value is None else format(value, fmt) + unit

    for k, job in enumerate(block["jobs"]):
        table.add_row(f"[bold]{job['name']}[/] (training)", *[""] * len(runs))
        for label, key, fmt, unit in (
            ("progress", "progress", ".1%", ""),
            ("time to complete", "time_to_complete_days", ",.2f", " d"),
            ("goodput", "goodput", ".3f", ""),
            ("interruptions", "interruptions", "d", ""),
            ("stalled", "stalled_hours", ",.1f", " h"),
        ):
            table.add_row(f"  {label}", *(cell(r["jobs"][k][key], fmt, unit) for r in runs))
    for k, svc in enumerate(block["services"]):
        table.add_row(f"[bold]{svc['name']}[/] (inference)", *[""] * len(runs))
        for label, key, fmt, unit in (
            ("tokens/s", "tokens_per_s", ",.0f", ""),
            ("requests served", "served_fraction", ".1%", ""),
            ("SLO attainment", "slo_attainment", ".3f", ""),
            ("cost per million tokens", "cost_per_million_tokens_usd", ",.2f", " $"),
        ):
            table.add_row(f"  {label}", *(cell(r["services"][k][key], fmt, unit) for r in runs))
    table.add_row("compute energy", *(cell(r["compute_energy_kwh"], ",.0f", " kWh") for r in runs))
    console.print(table)


@app.command()
@_friendly
def report(
    spec: SpecArg,
    out: Annotated[Path, typer.Option(help="The HTML file to write.")] = Path("out/report.html"),
    study: Annotated[
        Path | None,
        typer.Option(
            help="A study's digest.json (orbitaldc sensitivity|montecarlo|sweep|optimize): its "
            "tornado, Sobol' indices and percentiles become the sensitivity section."
        ),
    ] = None,
) -> None:
    """One self-contained HTML report (opens offline): verdict and why, mass, power, heat,
    costs against the ground, parity, crossover, eclipses, temperatures, radiation, links,
    workloads and, with --study, sensitivity. Every chart names its model and sources."""
    from orbitaldc.report.html_report import write_html_report

    s = _load(spec)
    digest = None
    if study is not None:
        try:
            digest = json.loads(study.read_text(encoding="utf-8"))
        except json.JSONDecodeError as exc:
            raise UsageProblem(f"--study: {study} is not JSON ({exc})") from None
        if not isinstance(digest, dict):
            raise UsageProblem(f"--study: {study} is not a study digest (a JSON object)")
    with err_console.status("running the library and drawing the report"):
        path = write_html_report(s, out, study=digest, spec_text=spec.read_text(encoding="utf-8"))
    console.print(f"wrote {path}")


#: Hosts that only this machine reaches.
LOOPBACK = ("127.0.0.1", "localhost", "::1")


@app.command()
@_friendly
def serve(
    host: Annotated[
        str,
        typer.Option(help="Address to listen on (anything but loopback is reachable by others)."),
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    data: Annotated[
        Path, typer.Option(help="Folder of the job store (SQLite) and the job folders.")
    ] = Path("out/web"),
    scenarios: Annotated[
        Path, typer.Option(help="Folder of the reference scenarios offered by name.")
    ] = Path("scenarios"),
    workers: Annotated[int, typer.Option(help="Background jobs run at the same time.")] = 1,
) -> None:
    """The web dashboard and its API: evaluate specs, move the assumptions that decide the
    verdict, compare designs, run twin, workload and report jobs (they survive a restart)."""
    import uvicorn

    from orbitaldc.web.app import Settings, create_app

    if host not in LOOPBACK:
        err_console.print(
            f"[yellow]warning:[/] listening on {host}: anyone who reaches this address can "
            "evaluate specs and start jobs on this machine (there is no authentication)",
            highlight=False,
        )
    if workers < 1:
        raise UsageProblem(f"--workers: at least 1, got {workers}")
    web = create_app(Settings(data_dir=data, scenarios_dir=scenarios, workers=workers))
    console.print(f"orbitaldc dashboard on http://{host}:{port}/ (jobs in {data})")
    uvicorn.run(web, host=host, port=port, log_level="warning")


# Studies (issue 14, docs/studies.md): sweep, montecarlo, sensitivity, optimize over a study spec.

StudyArg = Annotated[
    Path, typer.Argument(help="Study spec TOML file (docs/studies.md).", show_default=False)
]
StudyOut = Annotated[
    Path | None,
    typer.Option(
        help="Output folder: Parquet rows, digest.json, plots; an interrupted study resumes "
        "(default out/STUDY-NAME/COMMAND)."
    ),
]
StudyDask = Annotated[
    str | None,
    typer.Option(
        "--dask",
        help="Run on a Dask cluster: a scheduler address (tcp://host:8786), or 'local' to start "
        "a LocalCluster of --workers processes.",
    ),
]
StudyWorkers = Annotated[
    int | None,
    typer.Option(
        min=1,
        help="Local processes (or LocalCluster workers); default: one per CPU. 1 runs in this "
        "process.",
    ),
]


def _run_study(
    command: str, study_path: Path, out: Path | None, dask: str | None, workers: int | None
) -> None:
    import time

    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        ProgressColumn,
        TextColumn,
        TimeRemainingColumn,
    )
    from rich.text import Text

    from orbitaldc import study
    from orbitaldc.report.study_report import write_study
    from orbitaldc.report.study_store import ParquetSink

    class Rate(ProgressColumn):
        def render(self, task: Any) -> Text:
            speed = task.finished_speed or task.speed
            return Text("" if speed is None else f"{speed:,.3g} designs/s")

    s = study.load_study(study_path)
    out = out or Path("out") / s.spec.study.name / command
    run = {
        "sweep": study.sweep,
        "montecarlo": study.monte_carlo,
        "sensitivity": study.sensitivity,
        "optimize": study.optimize,
    }[command]
    started = time.perf_counter()
    with (
        study.executor(dask, workers if workers is not None else os.cpu_count()) as ex,
        Progress(
            TextColumn(command),
            BarColumn(),
            MofNCompleteColumn(),
            Rate(),
            TimeRemainingColumn(),
            console=err_console,
            transient=True,
        ) as progress,
    ):
        task = progress.add_task(command, total=None)

        def callback(done: int, total: int) -> None:
            progress.update(task, completed=done, total=total)

        result = run(s, ParquetSink(out), ex, callback)
    elapsed = time.perf_counter() - started
    files = write_study(result, out)
    _print_study(result.digest)
    console.print(
        f"{result.digest['rows']:,} designs in {elapsed:.1f} s "
        f"({result.digest['rows'] / max(elapsed, 1e-9):,.3g} designs/s)",
        style="dim",
    )
    console.print(f"wrote {out / 'rows'} (Parquet dataset)", style="dim")
    for f in files:
        console.print(f"wrote {f}", style="dim")


def _print_study(d: dict[str, Any]) -> None:
    table = Table("figure", "value", box=None)
    for key in ("p_closes", "p_space_beats_ground", "fraction_closing"):
        if d.get(key) is not None:
            table.add_row(key, f"{d[key]:.4f}")
    for name, v in {**d.get("statistics", {}), **d.get("percentiles", {})}.items():
        if name == "closes":
            continue
        if "p50" in v:
            table.add_row(
                name,
                f"P10 {_n(v['p10'], '.4g')}  P50 {_n(v['p50'], '.4g')}  P90 {_n(v['p90'], '.4g')}",
            )
        else:
            table.add_row(name, f"min {_n(v['min'], '.4g')}  max {_n(v['max'], '.4g')}")
    if d.get("crossover_year"):
        c = d["crossover_year"]
        table.add_row(
            "crossover year",
            f"P10 {c['p10']}  P50 {c['p50']}  P90 {c['p90']} (None: later than "
            f"{c['years'][-1]}; crossed by then: {c['fraction_crossed_by_year'][-1]:.3f})",
        )
    if d.get("breakeven"):
        b = d["breakeven"]
        for name, key in ((b["y"], "y_at_parity"), (b["x"], "x_at_parity")):
            found = [v for v in b[key] if v is not None]
            table.add_row(
                f"break-even {name}",
                f"{min(found):.4g} .. {max(found):.4g}" if found else "none on the grid",
            )
    for out, indices in (d.get("sobol") or {}).items():
        if indices:
            top = max(indices, key=lambda k: indices[k]["ST"] or 0.0)
            table.add_row(f"{out}: largest total Sobol index", f"{top} ({indices[top]['ST']:.3f})")
    if "front" in d:
        table.add_row("Pareto front", f"{len(d['front'])} designs")
    console.print(f"[bold]{d['study']}[/] ({d['command']}, {d['design']})")
    console.print(table)


@app.command()
@_friendly
def sweep(
    study_spec: StudyArg, out: StudyOut = None, dask: StudyDask = None, workers: StudyWorkers = None
) -> None:
    """Every design of a grid or Latin hypercube; break-even surfaces (docs/studies.md)."""
    _run_study("sweep", study_spec, out, dask, workers)


@app.command()
@_friendly
def montecarlo(
    study_spec: StudyArg, out: StudyOut = None, dask: StudyDask = None, workers: StudyWorkers = None
) -> None:
    """P10/P50/P90, P(space beats ground) and the crossover-year distribution."""
    _run_study("montecarlo", study_spec, out, dask, workers)


@app.command()
@_friendly
def sensitivity(
    study_spec: StudyArg, out: StudyOut = None, dask: StudyDask = None, workers: StudyWorkers = None
) -> None:
    """Sobol' indices (SALib) and tornado charts: which assumption decides the verdict."""
    _run_study("sensitivity", study_spec, out, dask, workers)


@app.command()
@_friendly
def optimize(
    study_spec: StudyArg, out: StudyOut = None, dask: StudyDask = None, workers: StudyWorkers = None
) -> None:
    """Pareto front (NSGA-II) of cost ratio, mass and delivered compute; designs that close."""
    _run_study("optimize", study_spec, out, dask, workers)


def main() -> None:
    """Console-script entry point."""
    app()


if __name__ == "__main__":  # pragma: no cover
    main()
