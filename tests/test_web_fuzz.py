"""The web API fuzzed from its own OpenAPI schema (schemathesis): no input gets a 5xx.

Each operation gets a few generated requests (schema-conforming and not), sent in-process over
ASGI; the only check is that the server answers with something other than a server error.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest

schemathesis = pytest.importorskip("schemathesis")
from hypothesis import HealthCheck, settings  # noqa: E402

from orbitaldc.web.app import Settings, create_app  # noqa: E402
from orbitaldc.web.jobs import Limits  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]


@schemathesis.serializer("application/toml")
def toml_text(ctx, value):
    """A TOML body is text: send what was generated as UTF-8."""
    return {"data": value if isinstance(value, bytes) else str(value).encode("utf-8")}


# The schema is read when the module is collected, so the app is made here; its store lives in
# a temporary folder removed when the module's tests are done.
DATA = tempfile.TemporaryDirectory(prefix="orbitaldc-fuzz-")
APP = create_app(
    Settings(
        data_dir=Path(DATA.name),
        scenarios_dir=ROOT / "scenarios",
        run_jobs=False,
        limits=Limits(max_satellite_steps=1e6),
    )
)
schema = schemathesis.openapi.from_asgi("/openapi.json", APP)


@pytest.fixture(scope="module", autouse=True)
def _cleanup():
    yield
    DATA.cleanup()


@schema.parametrize()
@settings(max_examples=6, deadline=None, database=None, suppress_health_check=list(HealthCheck))
def test_no_input_gets_a_server_error(case):
    case.call_and_validate(checks=[schemathesis.checks.not_a_server_error])
