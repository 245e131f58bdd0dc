"""End to end in headless Chromium: the dashboard answers a slider move with a new verdict and
new charts, compares designs, runs a twin job whose result downloads; the HTML report opens with
no network and draws every chart (or shows its PNGs without scripts)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from orbitaldc.report import html_report
from orbitaldc.spec import load_spec

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def page(browser, server):
    context = browser.new_context(accept_downloads=True, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(server + "/")
    page.wait_for_selector("body[data-ready='1']", timeout=60_000)
    yield page
    context.close()
    assert not errors, errors


def verdict(page) -> dict:
    return page.evaluate(
        """() => ({
          seq: Number(document.getElementById('verdict').dataset.seq),
          word: document.getElementById('verdict-word').textContent,
          ratio: document.getElementById('n-ratio').textContent,
          cost: document.querySelector('#chart-cost .gtitle').textContent,
          bars: document.querySelectorAll('#chart-cost .point').length,
        })"""
    )


def test_a_slider_move_changes_the_verdict_and_the_figure(page):
    before = verdict(page)
    assert before["word"] == "CLOSES" and before["ratio"] == "51x"
    assert before["bars"] > 0  # plotly drew the waterfall
    slider = page.locator("#lever-launch_price_usd_per_kg")
    slider.focus()
    page.keyboard.press("Home")  # the cheapest launch on the slider: 10 $/kg
    page.wait_for_function(
        f"Number(document.getElementById('verdict').dataset.seq) > {before['seq']}"
    )
    page.wait_for_function(
        f"document.getElementById('n-ratio').textContent !== {json.dumps(before['ratio'])}"
    )
    after = verdict(page)
    assert float(after["ratio"].rstrip("x")) < 51.0 / 2  # launch is most of the cost
    assert after["cost"] != before["cost"]  # the waterfall's title carries the new cost
    assert page.locator("#value-launch_price_usd_per_kg").inner_text() == "10"
    latencies = page.evaluate("window.orbitaldc.latencies")
    assert latencies and all(0 < t < 5000 for t in latencies)


def test_compare_two_designs_side_by_side(page):
    page.select_option("#compare-select", "suncatcher-prototype")
    page.click("#compare-run")
    page.wait_for_selector("#compare-table tr:nth-child(3)")
    text = page.locator("#compare-table").inner_text()
    assert "A: suncatcher-81" in text and "B: suncatcher-prototype" in text
    page.wait_for_selector("#chart-compare .main-svg")


def test_a_bad_upload_names_the_field(page):
    bad = (
        (ROOT / "scenarios" / "suncatcher-prototype.toml")
        .read_text()
        .replace('vehicle = "falcon-9"', 'vehicle = "falcon-99"')
    )
    page.set_input_files(
        "#spec-file", files=[{"name": "bad.toml", "mimeType": "text/plain", "buffer": bad.encode()}]
    )
    page.wait_for_selector("#errors:not([hidden])")
    assert "launch.vehicle: unknown launchers id 'falcon-99'" in page.inner_text("#errors")


def test_a_twin_job_runs_and_its_summary_downloads(page):
    page.select_option("#spec-select", "suncatcher-prototype")
    page.wait_for_function("document.getElementById('verdict').textContent.includes('prototype')")
    page.select_option("#job-kind", "twin")
    page.fill("#job-duration", "1d")
    page.click("#job-run")
    row = page.locator("#jobs-table tbody tr").first
    row.locator("a", has_text="summary.json").wait_for(timeout=90_000)
    assert row.get_attribute("data-state") == "done"
    with page.expect_download() as download:
        row.locator("a", has_text="summary.json").click()
    summary = json.loads(Path(download.value.path()).read_text())
    assert summary["scenario"] == "suncatcher-prototype"
    assert summary["twin"]["duration_days"] == 1.0
    assert row.locator("a", has_text="daily.parquet").count() == 1


@pytest.fixture(scope="module")
def report_file(tmp_path_factory):
    spec = load_spec(ROOT / "scenarios" / "suncatcher-prototype.toml")
    return html_report.write_html_report(spec, tmp_path_factory.mktemp("report") / "report.html")


def test_the_report_opens_offline_and_draws_every_chart(browser, report_file):
    context = browser.new_context()
    fetched: list[str] = []

    def block(route):
        if not route.request.url.startswith("file:"):
            fetched.append(route.request.url)
            route.abort()
        else:
            route.continue_()

    context.route("**/*", block)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(report_file.as_uri())
    charts = page.locator("div.plot")
    n = charts.count()
    assert n >= 12
    page.wait_for_function(f"document.querySelectorAll('div.plot .main-svg').length >= {n}")
    assert fetched == [] and errors == []
    # The static images, on request: every one decoded.
    page.click("#toggle-static")
    assert page.locator("img.static").first.is_visible()
    widths = page.evaluate("[...document.querySelectorAll('img.static')].map(i => i.naturalWidth)")
    assert len(widths) == n and min(widths) > 100
    context.close()


def test_without_scripts_the_report_shows_its_pngs(browser, report_file):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(report_file.as_uri())
    shown = page.evaluate(
        "[...document.querySelectorAll('img.static')].filter(i => getComputedStyle(i).display !== 'none').length"
    )
    assert shown == page.locator("img.static").count() > 0
    assert re.search(r"CLOSES|DOES NOT CLOSE", page.inner_text("#verdict"))
    context.close()
