"""Dashboard slider-to-verdict latency (issue 15), measured in the browser.

Goal: every slider move re-evaluates the design and shows the new verdict in well under 100 ms.
The dashboard (``orbitaldc serve``) runs on a local port with ``scenarios/suncatcher-81.toml``;
headless Chromium (Debian's, via Playwright) moves the sliders one step at a time and the page
records, for each move, the time from the input event to the verdict drawn and to the charts
drawn (``window.orbitaldc.latencies`` and ``figureLatencies``). The reference measured in the
same run is the closure alone: ``close_design`` with the same overrides, in this process.

``--quick``: 40 moves instead of 200.
"""

from __future__ import annotations

import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = Path("/usr/bin/chromium")
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
#: The sliders moved in turn.
SLIDERS = ("launch_price_usd_per_kg", "chip_price_usd", "electricity_usd_per_kwh", "discount_rate")


def _percentiles(values: list[float]) -> tuple[float, float]:
    return float(np.percentile(values, 50)), float(np.percentile(values, 95))


def closure_reference(moves: int) -> float:
    """Median time of ``close_design`` with one override, ms (the same closure the server runs)."""
    from orbitaldc.closure import close_design
    from orbitaldc.spec import load_spec

    spec = load_spec(ROOT / "scenarios" / "suncatcher-81.toml")
    close_design(spec)
    times = []
    for k in range(moves):
        t0 = time.perf_counter()
        close_design(spec, {"price_per_kg_usd": 100.0 + 50.0 * k})
        times.append((time.perf_counter() - t0) * 1e3)
    return statistics.median(times)


def browser_latencies(
    moves: int,
) -> tuple[list[float], list[float], list[float], list[float]]:
    """(slider-to-verdict, slider-to-charts, closure in the server, whole request in the server),
    ms, for ``moves`` moves."""
    from playwright.sync_api import sync_playwright

    from orbitaldc.web.app import Settings, create_app
    from orbitaldc.web.server import BackgroundServer

    with tempfile.TemporaryDirectory() as tmp:
        scenarios = Path(tmp) / "scenarios"
        scenarios.mkdir()
        shutil.copy(ROOT / "scenarios" / "suncatcher-81.toml", scenarios)
        app = create_app(Settings(data_dir=Path(tmp) / "data", scenarios_dir=scenarios))
        with BackgroundServer(app) as url, sync_playwright() as p:
            browser = p.chromium.launch(executable_path=str(CHROMIUM), args=FLAGS, headless=True)
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            page.goto(url + "/")
            page.wait_for_selector("body[data-ready='1']", timeout=120_000)
            page.evaluate(
                "window.orbitaldc.latencies.length = 0; window.orbitaldc.figureLatencies.length = 0"
            )
            closure_ms, server_ms = [], []
            for k in range(moves):
                name = SLIDERS[k % len(SLIDERS)]
                seq = page.evaluate("Number(document.getElementById('verdict').dataset.seq)")
                position = 200 + (k * 37) % 600
                page.evaluate(
                    """([name, position]) => {
                      const el = document.getElementById('lever-' + name);
                      el.value = position;
                      el.dispatchEvent(new Event('input', {bubbles: true}));
                    }""",
                    [name, position],
                )
                page.wait_for_function(
                    f"window.orbitaldc.figureLatencies.length > {k} && "
                    f"Number(document.getElementById('verdict').dataset.seq) > {seq}"
                )
                timing = page.evaluate("document.getElementById('timing').textContent")
                closure_ms.append(float(timing.split("closure ")[1].split(" ms")[0]))
                server_ms.append(float(timing.split("server ")[1].split(" ms")[0]))
            verdict = page.evaluate("window.orbitaldc.latencies")
            charts = page.evaluate("window.orbitaldc.figureLatencies")
            browser.close()
    return verdict, charts, closure_ms, server_ms


def main(argv: list[str] | None = None) -> None:
    if not CHROMIUM.exists():
        print(f"skipped: {CHROMIUM} is missing (apt-get install chromium)")
        return
    moves = 40 if argv and "--quick" in argv else 200
    verdict, charts, closure_ms, server_ms = browser_latencies(moves)
    reference = closure_reference(moves)
    v50, v95 = _percentiles(verdict)
    c50, c95 = _percentiles(charts)
    s50, _ = _percentiles(closure_ms)
    t50, _ = _percentiles(server_ms)
    print(f"slider -> verdict in the browser: p50 {v50:.1f} ms, p95 {v95:.1f} ms ({moves} moves)")
    print(f"slider -> charts drawn:           p50 {c50:.1f} ms, p95 {c95:.1f} ms")
    print(f"in the server: closure p50 {s50:.1f} ms, whole request p50 {t50:.1f} ms")
    print(
        f"closure alone (reference):        p50 {reference:.2f} ms; verdict / closure "
        f"{v50 / reference:.0f}x; goal p95 < 100 ms: {'met' if v95 < 100 else 'NOT met'}"
    )


if __name__ == "__main__":
    main(sys.argv[1:])
