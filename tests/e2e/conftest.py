"""Headless Chromium for the end-to-end tests: Debian's ``chromium`` driven by Playwright.

The browser is the system's (``/usr/bin/chromium``, installed by ``.ci/run`` with apt-get);
``playwright install`` is never run. Without that browser the tests skip, saying so.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

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
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is missing: apt-get install chromium (.ci/run installs it)")
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=FLAGS, headless=True)
        yield b
        b.close()


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """The app on a free local port, with two reference scenarios and its own job store."""
    from orbitaldc.web.app import Settings, create_app
    from orbitaldc.web.server import BackgroundServer

    scenarios = tmp_path_factory.mktemp("scenarios")
    for name in ("suncatcher-81", "suncatcher-prototype"):
        shutil.copy(ROOT / "scenarios" / f"{name}.toml", scenarios)
    app = create_app(Settings(data_dir=tmp_path_factory.mktemp("web"), scenarios_dir=scenarios))
    with BackgroundServer(app) as url:
        yield url
