"""The web API (``orbitaldc serve``) through FastAPI's test client: specs in, the library's answers
out, 422 with field paths for bad specs, the sliders against independent closure calls, jobs in
worker processes that survive a restart and resume, and no request reaching outside its folders.
"""

from __future__ import annotations

import json
import os
import time
import tomllib
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from fastapi.testclient import TestClient

from orbitaldc import api
from orbitaldc.closure import close_design
from orbitaldc.physics.constants import SECONDS_PER_YEAR
from orbitaldc.spec import load_spec
from orbitaldc.web import levers
from orbitaldc.web.app import Settings, create_app
from orbitaldc.web.jobs import Limits
from orbitaldc.web.runner import job_folder

ROOT = Path(__file__).resolve().parents[1]
SCENARIOS = ROOT / "scenarios"
SUNCATCHER = SCENARIOS / "suncatcher-81.toml"
PROTOTYPE = SCENARIOS / "suncatcher-prototype.toml"


def app_for(tmp_path: Path, **kw):
    return create_app(Settings(data_dir=tmp_path / "data", scenarios_dir=SCENARIOS, **kw))


@pytest.fixture
def client(tmp_path):
    with TestClient(app_for(tmp_path, run_jobs=False)) as c:
        yield c


def wait_for(client: TestClient, job_id: str, timeout_s: float = 60.0) -> dict:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        job = client.get(f"/api/jobs/{job_id}").json()
        if job["state"] in ("done", "failed", "cancelled"):
            return job
        time.sleep(0.1)
    raise AssertionError(f"job {job_id} still {job['state']} after {timeout_s} s: {job}")


def test_evaluate_toml_and_json_return_summary_json(client):
    # The reference is the library call `orbitaldc run` makes (api.run), through a JSON round trip.
    expected = json.loads(json.dumps(api.run(load_spec(SUNCATCHER)).summary))
    text = SUNCATCHER.read_text()
    r = client.post("/api/evaluate", content=text, headers={"Content-Type": "application/toml"})
    assert r.status_code == 200, r.text
    assert r.json() == expected
    r = client.post("/api/evaluate", json=tomllib.loads(text))
    assert r.status_code == 200, r.text
    assert r.json() == expected


def test_bad_spec_is_422_with_every_field_path_at_once(client):
    text = (
        SUNCATCHER.read_text()
        .replace('altitude = "650 km"', 'altitud = "650 km"')
        .replace('accelerator = "tpu-v6e"', 'accelerator = "tpu-v9"')
    )
    r = client.post("/api/evaluate", content=text, headers={"Content-Type": "application/toml"})
    assert r.status_code == 422
    detail = {tuple(d["loc"]): d["msg"] for d in r.json()["detail"]}
    # The typo in a key and the unknown accelerator come back together (one pass).
    assert "did you mean 'altitude'" in detail[("body", "orbit", "altitud")]
    assert (
        "unknown accelerators id 'tpu-v9'"
        in detail[("body", "satellite", "compute", "accelerator")]
    )


@pytest.mark.parametrize(
    ("body", "content_type", "status", "fragment"),
    [
        ("[mission\nname = 'x'", "application/toml", 422, "not valid TOML"),
        ("[1, 2]", "application/json", 422, "a table of sections"),
        ("{}", "application/json", 422, "required key is missing"),
        ("name = 'x'", "application/xml", 415, "send the spec as"),
        (b"\xff\xfe", "application/toml", 422, "not UTF-8"),
    ],
)
def test_malformed_bodies_are_client_errors(client, body, content_type, status, fragment):
    r = client.post("/api/evaluate", content=body, headers={"Content-Type": content_type})
    assert r.status_code == status
    assert fragment in r.text


def test_uploads_are_capped(tmp_path):
    with TestClient(app_for(tmp_path, run_jobs=False, max_body_bytes=1000)) as c:
        big = "# " + "x" * 2000 + "\n" + PROTOTYPE.read_text()
        r = c.post("/api/specs", content=big, headers={"Content-Type": "application/toml"})
        assert r.status_code == 413
        r = c.post("/api/levers", json={"spec": "suncatcher-81", "levers": {"x" * 1200: 1.0}})
        assert r.status_code == 413


def test_a_spec_cannot_name_a_server_file(client):
    data = tomllib.loads(SUNCATCHER.read_text())
    data["orbit"] = {"type": "tle", "tle_file": "/etc/passwd"}
    r = client.post("/api/evaluate", json=data)
    assert r.status_code == 422
    assert r.json()["detail"][0]["loc"] == ["body", "orbit", "tle_file"]


def test_upload_then_evaluate_by_id_multipart_too(client):
    text = PROTOTYPE.read_text()
    r = client.post("/api/specs", content=text, headers={"Content-Type": "application/toml"})
    assert r.status_code == 201
    spec_id = r.json()["id"]
    r2 = client.post("/api/specs", files={"file": ("proto.toml", text.encode(), "text/plain")})
    assert r2.json()["id"] == spec_id  # the id is the digest of the text
    assert spec_id in [s["id"] for s in client.get("/api/specs").json()["specs"]]
    assert client.get(f"/api/specs/{spec_id}").json()["text"] == text
    summary = client.get(f"/api/specs/{spec_id}/summary.json").json()
    assert summary == json.loads(json.dumps(api.run(load_spec(PROTOTYPE)).summary))


def test_levers_at_the_design_values_give_api_run(client):
    reference = api.run(load_spec(SUNCATCHER)).summary["economics"]
    info = client.get("/api/specs/suncatcher-81/levers").json()
    names = {lv["name"] for lv in info["levers"]}
    assert {"launch_price_usd_per_kg", "satellite_usd_per_kg", "discount_rate"} <= names
    r = client.post("/api/levers", json={"spec": "suncatcher-81"}).json()
    assert r["ratio"] == reference["space_to_ground_cost_ratio"]
    assert r["crossover_year"] == reference["crossover_year"]
    assert r["closes"] is True
    assert set(r["charts"]) == {"cost", "mass", "crossover"}


def test_a_moved_lever_is_the_closure_with_that_override(client):
    # Independent reference: close_design with the override in SI (launch price per kg of
    # satellite, lifetime in seconds); suncatcher-81's chips outlive 5 and 8 years.
    spec = load_spec(SUNCATCHER)
    r = client.post(
        "/api/levers",
        json={
            "spec": "suncatcher-81",
            "levers": {"launch_price_usd_per_kg": 500.0, "lifetime_years": 6.0},
        },
    ).json()
    ref = close_design(spec, {"price_per_kg_usd": 500.0, "lifetime_s": 6.0 * SECONDS_PER_YEAR})
    assert (
        r["cost_per_accelerator_hour_usd"]
        == ref.summary["economics"]["cost_per_accelerator_hour_usd"]
    )
    assert r["levers"]["launch_price_usd_per_kg"] == pytest.approx(500.0, rel=1e-12)
    assert r["levers"]["lifetime_years"] == pytest.approx(6.0, rel=1e-12)


def test_satellite_cost_per_kg_lever_prices_the_hardware_at_that_figure(client):
    # The lever enters as cost per W; the closed satellite must cost usd_per_kg x its mass.
    r = client.post(
        "/api/levers",
        json={
            "spec": "suncatcher-81",
            "levers": {"satellite_usd_per_kg": 800.0, "specific_power_w_per_kg": 30.0},
        },
    ).json()
    sat = r["summary"]["satellite"]
    assert sat["hardware_cost_usd"] / sat["mass_kg"] == pytest.approx(800.0, rel=1e-4)  # rounding
    assert sat["specific_power_w_per_kg"] == pytest.approx(30.0, rel=1e-4)
    assert r["levers"]["satellite_usd_per_kg"] == pytest.approx(800.0, rel=1e-12)


def test_dose_limited_chip_life_carries_into_the_levers():
    # The prototype's chips reach their dose tolerance after ~6 years: flown for 10, api.run
    # prices the rebuilds, and so must the sliders at the design's values.
    from orbitaldc.web.specs import parse_text

    text = PROTOTYPE.read_text().replace('lifetime = "3 yr"', 'lifetime = "10 yr"')
    spec = parse_text(text, "toml")
    b = levers.base(spec)
    assert b.result.summary["radiation"]["lifetime_limited"]
    r = levers.evaluate(b)
    assert r["ratio"] == b.result.summary["economics"]["space_to_ground_cost_ratio"]
    plain = close_design(spec).summary["economics"]["space_to_ground_cost_ratio"]
    assert r["ratio"] != plain
    # Moved to 5 years, the mission ends before the chips do: no rebuild, the plain closure.
    short = levers.evaluate(b, {"lifetime_years": 5.0})
    ref = close_design(spec, {"lifetime_s": 5.0 * SECONDS_PER_YEAR})
    assert short["ratio"] == ref.summary["economics"]["space_to_ground_cost_ratio"]


def test_parity_and_profile(client):
    r = client.post(
        "/api/levers", json={"spec": "suncatcher-81", "parity": True, "profile": "heritage"}
    ).json()
    assert r["profile"] == "heritage"
    assert "parity" in r["charts"]
    ref = close_design(
        load_spec(SUNCATCHER).model_copy(
            update={
                "economics": load_spec(SUNCATCHER).economics.model_copy(
                    update={"profile": "heritage"}
                )
            }
        )
    )
    assert r["ratio"] == ref.summary["economics"]["space_to_ground_cost_ratio"]
    lever = r["summary"]["economics"]["parity"]["levers"]["price_per_kg_usd"]
    assert lever["value"] is None and "reaches parity" in lever["reason"]


@pytest.mark.parametrize(
    ("levers_", "fragment"),
    [
        ({"warp_drive": 1.0}, "unknown lever"),
        ({"discount_rate": -0.1}, "outside 0-1"),
        ({"specific_power_w_per_kg": 0.0}, "outside 0.1-5000 W/kg"),
    ],
)
def test_bad_levers_are_422(client, levers_, fragment):
    r = client.post("/api/levers", json={"spec": "suncatcher-81", "levers": levers_})
    assert r.status_code == 422 and fragment in r.text


def test_terrestrial_design_has_no_space_levers(client):
    info = client.get("/api/specs/texas-campus/levers").json()
    assert "launch_price_usd_per_kg" not in {lv["name"] for lv in info["levers"]}
    r = client.post(
        "/api/levers", json={"spec": "texas-campus", "levers": {"launch_price_usd_per_kg": 100.0}}
    )
    assert r.status_code == 422


def test_compare_two_designs(client):
    r = client.post(
        "/api/compare", json={"a": {"spec": "suncatcher-81"}, "b": {"spec": "suncatcher-prototype"}}
    ).json()
    assert r["a"]["scenario"] == "suncatcher-81" and r["b"]["scenario"] == "suncatcher-prototype"
    bars = {t["name"]: t["y"] for t in r["chart"]["data"]}
    parts = r["a"]["summary"]["economics"]["cost_breakdown_usd_per_accelerator_hour"]
    assert {k.replace("_", " "): v[0] for k, v in bars.items() if v} == pytest.approx(
        {k.replace("_", " "): v for k, v in parts.items()}
    )


@pytest.mark.parametrize(
    "path",
    [
        "/api/specs/..%2F..%2Fpyproject",
        "/api/specs/%2Fetc%2Fpasswd",
        "/api/specs/../pyproject.toml",
        "/api/jobs/..%2F..%2Forbitaldc.sqlite/files",
        "/api/jobs/0123456789abcdef0123456789abcdef/files/..%2F..%2Forbitaldc.sqlite",
        "/static/..%2Fapp.py",
        "/static/../app.py",
    ],
)
def test_no_request_path_reaches_outside(client, path):
    r = client.get(path)
    assert r.status_code in (404, 422), (path, r.status_code)
    assert "CREATE TABLE" not in r.text and "[project]" not in r.text and "def " not in r.text


def test_openapi_schema_lists_the_spec_media_types(client):
    schema = client.get("/openapi.json").json()
    body = schema["paths"]["/api/evaluate"]["post"]["requestBody"]["content"]
    assert {"application/toml", "application/json"} <= set(body)
    assert "DesignSpec" in schema["components"]["schemas"]
    assert {"/api/levers", "/api/compare", "/api/jobs", "/api/jobs/{job_id}/files/{name}"} <= set(
        schema["paths"]
    )


@pytest.mark.parametrize(
    ("params", "fragment"),
    [
        ({"duration": "400d"}, "at most 31 d"),
        ({"step": "7s"}, "params.step"),
        ({"duration": "1 parsec"}, "params.duration"),
        ({"colour": "red"}, "extra"),
    ],
)
def test_job_size_and_parameter_limits(client, params, fragment):
    r = client.post(
        "/api/jobs", json={"kind": "twin", "spec": "suncatcher-prototype", "params": params}
    )
    assert r.status_code == 422 and fragment in r.text


def test_job_satellite_steps_and_queue_limits(tmp_path):
    limits = Limits(max_satellite_steps=1e5)
    with TestClient(app_for(tmp_path, run_jobs=False, limits=limits, max_active_jobs=1)) as c:
        r = c.post("/api/jobs", json={"kind": "twin", "spec": "suncatcher-81", "params": {}})
        assert r.status_code == 422 and "satellite-steps" in r.text
        ok = c.post("/api/jobs", json={"kind": "twin", "spec": "suncatcher-prototype"})
        assert ok.status_code == 201
        r = c.post("/api/jobs", json={"kind": "twin", "spec": "suncatcher-prototype"})
        assert r.status_code == 429
        r = c.post("/api/jobs", json={"kind": "mining", "spec": "suncatcher-prototype"})
        assert r.status_code == 422 and "unknown job kind" in r.text
        cancelled = c.delete(f"/api/jobs/{ok.json()['id']}").json()
        assert cancelled["state"] == "cancelled"
        assert c.delete(f"/api/jobs/{ok.json()['id']}").status_code == 409


def test_twin_job_runs_in_a_worker_and_its_files_download(tmp_path):
    with TestClient(app_for(tmp_path)) as c:
        r = c.post(
            "/api/jobs",
            json={"kind": "twin", "spec": "suncatcher-prototype", "params": {"duration": "1d"}},
        )
        assert r.status_code == 201, r.text
        job = wait_for(c, r.json()["id"])
        assert job["state"] == "done", job
        assert job["progress"] == 1.0
        names = {f["name"] for f in c.get(f"/api/jobs/{job['id']}/files").json()["files"]}
        assert {"summary.json", "daily.parquet", "satellites.parquet"} <= names
        assert "resume.json" not in names and "lock" not in names and "spec.toml" not in names
        summary = c.get(f"/api/jobs/{job['id']}/files/summary.json").json()
        assert summary["twin"] == job["result"]["twin"]
        daily = c.get(f"/api/jobs/{job['id']}/files/daily.parquet")
        path = tmp_path / "daily.parquet"
        path.write_bytes(daily.content)
        assert len(pd.read_parquet(path)) == 1  # one simulated day
        # A symlink planted in the job folder is not served.
        folder = job_folder(tmp_path / "data", job["id"])
        (folder / "evil.json").symlink_to(tmp_path / "data" / "orbitaldc.sqlite")
        assert c.get(f"/api/jobs/{job['id']}/files/evil.json").status_code == 404


STUDY = """
[study]
name = "tiny"
seed = 7
outputs = ["space_to_ground_cost_ratio", "closes"]

[[parameter]]
path = "launch.price_per_kg"
distribution = "uniform"
low = "200 USD/kg"
high = "3000 USD/kg"

[montecarlo]
samples = 64
"""


def test_study_job_runs_and_a_bad_study_is_refused_naming_the_field(tmp_path):
    # The same study through the library (one process, no sink) gives the job's digest.
    from orbitaldc import study

    with TestClient(app_for(tmp_path)) as c:
        bad = c.post(
            "/api/jobs",
            json={"kind": "study", "spec": "suncatcher-81", "params": {"study": "[study]\n"}},
        )
        assert bad.status_code == 422 and "params.study" in bad.text
        r = c.post(
            "/api/jobs",
            json={
                "kind": "study",
                "spec": "suncatcher-81",
                "params": {"command": "montecarlo", "study": STUDY},
            },
        )
        assert r.status_code == 201, r.text
        job = wait_for(c, r.json()["id"])
        assert job["state"] == "done", job
        digest = c.get(f"/api/jobs/{job['id']}/files/digest.json").json()
    spec = load_spec(ROOT / "scenarios" / "suncatcher-81.toml")
    data = tomllib.loads(STUDY)
    data["study"]["design"] = "scenarios/suncatcher-81.toml"
    direct = study.monte_carlo(study.parse_study(data, spec))
    assert digest["rows"] == direct.digest["rows"] == 64
    assert digest["percentiles"] == direct.digest["percentiles"]


def test_a_killed_job_resumes_from_its_own_state_after_a_restart(tmp_path, monkeypatch):
    """A worker dies after storing its first simulated day (the twin store writes each day
    atomically, so any kill is one after a stored day); the server restarts; the job resumes
    at day 2 and the stored day is not recomputed."""
    from orbitaldc.report import twin_store
    from orbitaldc.web import worker

    data = tmp_path / "data"
    with TestClient(app_for(tmp_path, run_jobs=False)) as c:
        job_id = c.post(
            "/api/jobs",
            json={"kind": "twin", "spec": "suncatcher-prototype", "params": {"duration": "3d"}},
        ).json()["id"]
        claimed = c.app.state.store.claim_next()
        assert claimed.id == job_id

    class Killed(BaseException):
        """Stands in for SIGKILL: nothing after it runs, nothing is recorded."""

    write = twin_store.TwinStore.write_chunk

    def die_after_first(self, plan, chunk):
        write(self, plan, chunk)
        raise Killed

    monkeypatch.setattr(twin_store.TwinStore, "write_chunk", die_after_first)
    with pytest.raises(Killed):
        worker.run_job(data, job_id)
    monkeypatch.undo()
    folder = job_folder(data, job_id)
    first = folder / "series" / "chunk_0000.parquet"
    stamp = first.stat().st_mtime_ns
    assert json.loads((folder / "resume.json").read_text())["chunks_done"] == 1

    with TestClient(app_for(tmp_path)) as c:  # the restarted server
        job = wait_for(c, job_id)
        assert job["state"] == "done", job
        assert job["attempts"] == 2
        assert job["result"]["resumed_after_days"] == 1
        assert first.stat().st_mtime_ns == stamp
        assert len(pd.read_parquet(folder / "daily.parquet")) == 3
    # A fresh run of the same job from nothing gives the same twin figures (resume is exact).
    fresh = api.simulate(load_spec(PROTOTYPE), 3 * 86400.0, 60.0, series_satellites=5).run()
    for key, value in fresh.summary.items():
        got = job["result"]["twin"][key]
        if isinstance(value, dict):
            assert got == pytest.approx(value, rel=1e-12)
        else:
            assert got == pytest.approx(value, rel=1e-12, nan_ok=True)


def test_a_worker_killed_by_a_signal_is_started_again(tmp_path):
    import signal

    with TestClient(app_for(tmp_path)) as c:
        job_id = c.post("/api/jobs", json={"kind": "twin", "spec": "suncatcher-prototype"}).json()[
            "id"
        ]
        deadline = time.monotonic() + 30.0
        while not (c.app.state.store.get_job(job_id).pid) and time.monotonic() < deadline:
            time.sleep(0.02)
        os.kill(c.app.state.store.get_job(job_id).pid, signal.SIGKILL)  # while it starts up
        job = wait_for(c, job_id)
        assert job["state"] == "done" and job["attempts"] == 2, job


def test_a_job_over_its_time_limit_is_stopped(tmp_path):
    with TestClient(app_for(tmp_path, limits=Limits(time_limit_s=0.3))) as c:
        r = c.post("/api/jobs", json={"kind": "twin", "spec": "suncatcher-prototype"})
        job = wait_for(c, r.json()["id"])
        assert job["state"] == "failed" and "time limit" in job["error"]
        assert not job_folder(tmp_path / "data", job["id"]).joinpath("summary.json").exists()


def test_finished_jobs_survive_a_restart(tmp_path):
    with TestClient(app_for(tmp_path, run_jobs=False)) as c:
        ids = [
            c.post("/api/jobs", json={"kind": "report", "spec": "suncatcher-prototype"}).json()[
                "id"
            ]
            for _ in range(2)
        ]
        c.delete(f"/api/jobs/{ids[0]}")
    with TestClient(app_for(tmp_path, run_jobs=False)) as c:
        states = {j["id"]: j["state"] for j in c.get("/api/jobs").json()["jobs"]}
    assert states == {ids[0]: "cancelled", ids[1]: "queued"}


def test_health_and_index(client):
    assert client.get("/api/health").json()["ok"] is True
    page = client.get("/")
    assert page.status_code == 200 and "orbitaldc" in page.text
    js = client.get("/static/plotly.min.js")
    assert js.status_code == 200 and js.text.startswith("/**") and "plotly.js" in js.text[:200]
    assert client.get("/static/app.js").status_code == 200


def test_json_safe_replaces_non_finite_numbers():
    from orbitaldc.web.store import json_safe

    out = json_safe({"a": float("nan"), "b": [np.float64(np.inf), np.int64(3), np.bool_(True)]})
    assert out == {"a": None, "b": [None, 3, True]}
    assert json.dumps(out, allow_nan=False)
    assert isinstance(out["b"][1], int)


def test_spec_file_resolves_inside_the_job_folder(tmp_path):
    # The worker reads only the spec the server saved in the job's own folder.
    from orbitaldc.web.worker import spec_file

    (tmp_path / "spec.json").write_text("{}")
    assert spec_file(tmp_path) == (tmp_path / "spec.json", "json")
    os.remove(tmp_path / "spec.json")
    with pytest.raises(FileNotFoundError):
        spec_file(tmp_path)


def test_serve_warns_off_loopback_and_starts_uvicorn(monkeypatch, tmp_path):
    import uvicorn
    from typer.testing import CliRunner

    from orbitaldc.cli import app as cli

    started = {}
    monkeypatch.setattr(
        uvicorn, "run", lambda app, host, port, **kw: started.update(host=host, port=port)
    )
    args = ["serve", "--data", str(tmp_path / "d"), "--scenarios", str(SCENARIOS), "--port", "8123"]
    r = CliRunner().invoke(cli, args)
    assert r.exit_code == 0, r.output
    assert started == {"host": "127.0.0.1", "port": 8123} and "warning" not in r.output
    r = CliRunner().invoke(cli, [*args, "--host", "0.0.0.0"])
    assert r.exit_code == 0 and "warning: listening on 0.0.0.0" in " ".join(r.output.split())
    assert started["host"] == "0.0.0.0"
