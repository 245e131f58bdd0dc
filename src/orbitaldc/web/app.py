"""The FastAPI app of ``orbitaldc serve``: the dashboard page and its JSON API.

Every answer is a library call: ``POST /api/evaluate`` is :func:`orbitaldc.api.run` (the
summary.json of ``orbitaldc run``), the sliders are :func:`orbitaldc.web.levers.evaluate` (the
closure with overrides), and jobs run the twin, the workload loop or the report in worker
processes (:mod:`orbitaldc.web.runner`). Specs are validated by the CLI's spec models; a bad one
gets 422 with each problem's field path. Requests are capped in size; no request names a file:
specs, jobs and their files are looked up by id in the store and in folder listings.
"""

from __future__ import annotations

import json
import threading
from collections import OrderedDict
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Annotated, Any

from fastapi import FastAPI, HTTPException, Request
from fastapi import Path as PathParam
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from pydantic import BaseModel, ConfigDict, Field
from starlette.concurrency import run_in_threadpool

from orbitaldc import api
from orbitaldc.report import figures
from orbitaldc.report.charts import to_plotly
from orbitaldc.spec import DesignSpec, SpecError
from orbitaldc.web import levers
from orbitaldc.web.jobs import KINDS, Limits
from orbitaldc.web.runner import DB_NAME, Runner, job_folder
from orbitaldc.web.specs import MEDIA_TYPES, Specs, parse_text, problems_payload
from orbitaldc.web.store import FINAL, Store, json_safe, new_id

JOB_ID = r"^[0-9a-f]{32}$"
SPEC_ID = r"^(u-[0-9a-f]{16}|[a-z0-9][a-z0-9._-]{0,63})$"
#: Files of a job folder that can be downloaded (the resume state and the lock cannot).
DOWNLOADABLE = (".json", ".parquet", ".png", ".html", ".csv")
HIDDEN = ("resume.json",)


@dataclass(frozen=True)
class Settings:
    """Where the app keeps its data and what it accepts.

    ``data_dir`` holds the SQLite store and the job folders; ``scenarios_dir`` the reference
    scenarios offered by name; ``max_body_bytes`` caps every request body; at most
    ``max_active_jobs`` jobs wait or run; ``max_evaluate_satellites`` caps the fleets evaluated
    within a request (larger ones run as report jobs); ``limits`` bound each job.
    """

    data_dir: Path = Path("out/web")
    scenarios_dir: Path | None = Path("scenarios")
    workers: int = 1
    max_body_bytes: int = 256 * 1024
    max_active_jobs: int = 16
    max_evaluate_satellites: int = 20_000
    limits: Limits = field(default_factory=Limits)
    run_jobs: bool = True
    base_cache: int = 16


class SafeJSONResponse(JSONResponse):
    """JSON without NaN: non-finite floats are sent as null."""

    def render(self, content: Any) -> bytes:
        return json.dumps(json_safe(content), allow_nan=False).encode("utf-8")


class BodyLimit:
    """ASGI middleware: refuse request bodies over ``max_bytes`` with 413."""

    def __init__(self, app: Any, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        length = dict(scope["headers"]).get(b"content-length")
        if length is not None:
            if not length.isdigit():
                await SafeJSONResponse({"detail": "bad Content-Length"}, 400)(scope, receive, send)
                return
            if int(length) > self.max_bytes:
                await self._too_large(scope, receive, send)
                return
        seen = 0

        async def limited() -> Any:
            nonlocal seen
            message = await receive()
            seen += len(message.get("body", b""))
            if seen > self.max_bytes:
                raise HTTPException(413, self._message())
            return message

        await self.app(scope, limited, send)

    def _message(self) -> str:
        return f"request body over {self.max_bytes:,} bytes"

    async def _too_large(self, scope: Any, receive: Any, send: Any) -> None:
        await SafeJSONResponse({"detail": self._message()}, 413)(scope, receive, send)


class LeverRequest(BaseModel):
    """A design with some of its levers moved."""

    model_config = ConfigDict(extra="forbid")
    spec: str = Field(pattern=SPEC_ID, description="Scenario name or uploaded spec id.")
    levers: dict[str, float] = Field(
        default_factory=dict, description="Lever name -> value in the lever's unit."
    )
    profile: str | None = Field(None, max_length=64, description="Cost profile id.")
    parity: bool = Field(False, description="Also solve each lever's parity value (~100 ms).")


class CompareRequest(BaseModel):
    """Two designs, each with its levers."""

    model_config = ConfigDict(extra="forbid")
    a: LeverRequest
    b: LeverRequest


class JobRequest(BaseModel):
    """A background job of ``kind`` on the spec ``spec``."""

    model_config = ConfigDict(extra="forbid")
    kind: str = Field(max_length=32, description="twin, workload or report.")
    spec: str = Field(pattern=SPEC_ID)
    params: dict[str, Any] = Field(default_factory=dict, description="The kind's parameters.")


SPEC_BODY: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "description": "A design spec: the TOML file's text, or its tables as JSON (quantities "
        'are strings with a unit, e.g. "650 km"; docs/summary.md, src/orbitaldc/spec/starter.toml).',
        "content": {
            "application/toml": {"schema": {"type": "string"}},
            "application/json": {"schema": {"$ref": "#/components/schemas/DesignSpec"}},
        },
    }
}
UPLOAD_BODY: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "content": {
            **SPEC_BODY["requestBody"]["content"],
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "properties": {"file": {"type": "string", "format": "binary"}},
                    "required": ["file"],
                }
            },
        },
    }
}


def _static(name: str) -> Path:
    return Path(str(resources.files("orbitaldc.web").joinpath("static", name)))


def _plotly_js() -> Path:
    return Path(str(resources.files("plotly").joinpath("package_data", "plotly.min.js")))


def _unprocessable(message: str, loc: list[Any] | None = None) -> SafeJSONResponse:
    return SafeJSONResponse(
        {"detail": [{"loc": loc or ["body"], "msg": message, "type": "value_error"}]}, 422
    )


async def _spec_text(request: Request) -> tuple[str, str]:
    """The spec text of a request body and its format (``toml`` or ``json``)."""
    media = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if media == "multipart/form-data":
        form = await request.form()
        upload = form.get("file")
        if upload is None or isinstance(upload, str):
            raise HTTPException(422, "multipart body needs a 'file' part")
        raw = await upload.read()
        name = (upload.filename or "").lower()
        fmt = "json" if name.endswith(".json") else "toml"
    elif media in MEDIA_TYPES:
        raw = await request.body()
        fmt = MEDIA_TYPES[media]
    else:
        raise HTTPException(
            415, f"send the spec as {', '.join(MEDIA_TYPES)} or multipart/form-data"
        )
    try:
        return raw.decode("utf-8"), fmt
    except UnicodeDecodeError:
        raise SpecError([("", "the spec is not UTF-8 text")]) from None


def create_app(settings: Settings | None = None) -> FastAPI:
    """The app: routes, the store in ``settings.data_dir`` and, with ``run_jobs``, the job
    runner (started and stopped with the app)."""
    settings = settings or Settings()
    data_dir = Path(settings.data_dir)
    store = Store(data_dir / DB_NAME)
    specs = Specs(store, settings.scenarios_dir)
    runner = Runner(store, data_dir, settings.limits, settings.workers)
    bases: OrderedDict[str, levers.Base] = OrderedDict()
    bases_lock = threading.Lock()

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        if settings.run_jobs:
            runner.start()
        yield
        if settings.run_jobs:
            runner.stop()

    app = FastAPI(
        title="orbitaldc",
        description="Design and simulate orbital AI data centers: evaluate specs, move the "
        "assumptions that decide the verdict, run the twin, workloads and reports as jobs.",
        version="0.1.0",
        lifespan=lifespan,
        default_response_class=SafeJSONResponse,
        # The interactive docs pages load their scripts from a CDN; the schema is /openapi.json.
        docs_url=None,
        redoc_url=None,
    )
    app.add_middleware(BodyLimit, max_bytes=settings.max_body_bytes)
    app.state.settings = settings
    app.state.runner = runner
    app.state.store = store

    @app.exception_handler(SpecError)
    async def spec_error(_: Request, exc: SpecError) -> Response:
        return SafeJSONResponse(problems_payload(exc), 422)

    @app.exception_handler(ValueError)
    async def value_error(_: Request, exc: ValueError) -> Response:
        return _unprocessable(str(exc))

    @app.exception_handler(LookupError)
    async def lookup_error(_: Request, exc: LookupError) -> Response:
        return _unprocessable(str(exc).strip("'\""))

    def load(spec_id: str) -> DesignSpec:
        try:
            return specs.load(spec_id)
        except KeyError:
            raise HTTPException(404, f"no spec {spec_id!r}") from None

    def check_size(spec: DesignSpec) -> None:
        n = spec.constellation.satellites if spec.constellation is not None else 0
        if n > settings.max_evaluate_satellites:
            raise ValueError(
                f"constellation.satellites: {n:,} satellites is more than this server evaluates "
                f"within a request ({settings.max_evaluate_satellites:,}); run a report job"
            )

    def base(spec_id: str) -> levers.Base:
        with bases_lock:
            if spec_id in bases:
                bases.move_to_end(spec_id)
                return bases[spec_id]
        spec = load(spec_id)
        check_size(spec)
        b = levers.base(spec)
        with bases_lock:
            bases[spec_id] = b
            while len(bases) > settings.base_cache:
                bases.popitem(last=False)
        return b

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    def index() -> Response:
        return FileResponse(_static("index.html"), media_type="text/html")

    @app.get("/favicon.ico", include_in_schema=False)
    def favicon() -> Response:
        return Response(status_code=204)

    @app.get("/static/plotly.min.js", include_in_schema=False)
    def plotly_js() -> Response:
        return FileResponse(_plotly_js(), media_type="text/javascript")

    app.mount(
        "/static",
        StaticFiles(directory=str(resources.files("orbitaldc.web").joinpath("static"))),
        name="static",
    )

    @app.get("/api/health")
    def health() -> dict[str, Any]:
        """The server answers; how many jobs wait and run."""
        return {
            "ok": True,
            "queued": store.count(("queued",)),
            "running": store.count(("running",)),
        }

    @app.get("/api/specs")
    def list_specs() -> dict[str, Any]:
        """Reference scenarios and uploaded specs, by id."""
        return {"specs": specs.listing()}

    @app.post("/api/specs", status_code=201, openapi_extra=UPLOAD_BODY)
    async def upload_spec(request: Request) -> dict[str, Any]:
        """Upload a spec (TOML or JSON body, or a multipart ``file``); returns its id."""
        text, fmt = await _spec_text(request)
        src = await run_in_threadpool(specs.upload, text, fmt)
        return {"id": src.id, "name": src.name, "format": src.format}

    @app.get("/api/specs/{spec_id}")
    def get_spec(spec_id: Annotated[str, PathParam(pattern=SPEC_ID)]) -> dict[str, Any]:
        """A spec's text as given."""
        try:
            src = specs.source(spec_id)
        except KeyError:
            raise HTTPException(404, f"no spec {spec_id!r}") from None
        return {
            "id": src.id,
            "name": src.name,
            "format": src.format,
            "kind": src.kind,
            "text": src.text,
        }

    @app.get("/api/specs/{spec_id}/levers")
    def spec_levers(spec_id: Annotated[str, PathParam(pattern=SPEC_ID)]) -> dict[str, Any]:
        """The design's sliders (with its own values) and the cost profiles."""
        b = base(spec_id)
        return {
            "spec": spec_id,
            "scenario": b.result.summary["scenario"],
            "orbital": b.orbital,
            "profile": b.spec.economics.profile,
            "levers": levers.definitions(b),
            "profiles": levers.profiles(),
        }

    @app.get("/api/specs/{spec_id}/summary.json")
    def spec_summary(spec_id: Annotated[str, PathParam(pattern=SPEC_ID)]) -> Response:
        """summary.json of the design as ``orbitaldc run`` writes it (a download)."""
        b = base(spec_id)
        return SafeJSONResponse(
            b.result.summary,
            headers={"Content-Disposition": f'attachment; filename="{spec_id}-summary.json"'},
        )

    @app.post("/api/evaluate", openapi_extra=SPEC_BODY)
    async def evaluate(request: Request) -> dict[str, Any]:
        """summary.json of the spec in the body (``orbitaldc run``): TOML text with
        ``Content-Type: application/toml``, or JSON."""
        text, fmt = await _spec_text(request)
        spec = parse_text(text, fmt)
        check_size(spec)
        result = await run_in_threadpool(api.run, spec)
        return result.summary

    @app.post("/api/levers")
    def move_levers(req: LeverRequest) -> dict[str, Any]:
        """The design with its levers moved: verdict, summary, charts (plotly JSON)."""
        return levers.evaluate(base(req.spec), req.levers, req.profile, parity=req.parity)

    @app.post("/api/compare")
    def compare(req: CompareRequest) -> dict[str, Any]:
        """Two designs side by side: both evaluations and their costs part by part."""
        a = levers.evaluate(base(req.a.spec), req.a.levers, req.a.profile)
        b = levers.evaluate(base(req.b.spec), req.b.levers, req.b.profile)
        chart = figures.compare_chart(a["summary"], b["summary"])
        return {"a": a, "b": b, "chart": to_plotly(chart) if chart is not None else None}

    @app.get("/api/jobs/kinds")
    def job_kinds() -> dict[str, Any]:
        """The kinds of background job, each with the JSON schema of its parameters."""
        return {
            "kinds": [
                {
                    "name": k.name,
                    "description": k.description,
                    "params": k.params.model_json_schema(),
                }
                for k in KINDS.values()
            ],
            "limits": vars(settings.limits),
        }

    @app.post("/api/jobs", status_code=201)
    def submit_job(req: JobRequest) -> dict[str, Any]:
        """Queue a job; it runs in a worker process and survives a server restart."""
        kind = KINDS.get(req.kind)
        if kind is None:
            raise ValueError(f"kind: unknown job kind {req.kind!r} (kinds: {', '.join(KINDS)})")
        spec = load(req.spec)
        params = kind.params.model_validate(req.params)
        kind.check(spec, params, settings.limits)
        if store.count(("queued", "running")) >= settings.max_active_jobs:
            raise HTTPException(429, f"{settings.max_active_jobs} jobs are waiting or running")
        src = specs.source(req.spec)
        job_id = new_id()
        folder = job_folder(data_dir, job_id)
        folder.mkdir(parents=True)
        (folder / f"spec.{src.format}").write_text(src.text, encoding="utf-8")
        job = store.create_job(
            kind.name, req.spec, spec.mission.name, params.model_dump(), job_id=job_id
        )
        return job.public()

    @app.get("/api/jobs")
    def list_jobs() -> dict[str, Any]:
        """Every job, newest first."""
        return {"jobs": [j.public() for j in store.list_jobs()]}

    def get_job_or_404(job_id: str) -> Any:
        job = store.get_job(job_id)
        if job is None:
            raise HTTPException(404, f"no job {job_id}")
        return job

    @app.get("/api/jobs/{job_id}")
    def get_job(job_id: Annotated[str, PathParam(pattern=JOB_ID)]) -> dict[str, Any]:
        """A job's state, progress and result."""
        return get_job_or_404(job_id).public()

    @app.delete("/api/jobs/{job_id}")
    def cancel_job(job_id: Annotated[str, PathParam(pattern=JOB_ID)]) -> dict[str, Any]:
        """Cancel a waiting or running job (its files stay)."""
        job = get_job_or_404(job_id)
        if job.state in FINAL:
            raise HTTPException(409, f"job {job_id} is already {job.state}")
        runner.cancel(job_id)
        return get_job_or_404(job_id).public()

    def job_files(job_id: str) -> dict[str, Path]:
        folder = job_folder(data_dir, job_id)
        if not folder.is_dir():
            return {}
        root = folder.resolve()
        out = {}
        for path in sorted(folder.rglob("*")):
            rel = path.relative_to(folder).as_posix()
            if (
                path.is_file()
                and not path.is_symlink()
                and path.suffix in DOWNLOADABLE
                and not path.name.startswith(".")
                and rel not in HIDDEN
                and path.resolve().is_relative_to(root)
            ):
                out[rel] = path
        return out

    @app.get("/api/jobs/{job_id}/files")
    def list_job_files(job_id: Annotated[str, PathParam(pattern=JOB_ID)]) -> dict[str, Any]:
        """The files a job wrote (summary.json, Parquet tables, plots, report.html)."""
        get_job_or_404(job_id)
        files = job_files(job_id)
        return {"files": [{"name": n, "bytes": p.stat().st_size} for n, p in files.items()]}

    @app.get("/api/jobs/{job_id}/files/{name:path}")
    def download(job_id: Annotated[str, PathParam(pattern=JOB_ID)], name: str) -> Response:
        """One file of a job, by the name its listing gives."""
        get_job_or_404(job_id)
        path = job_files(job_id).get(name)
        if path is None:
            raise HTTPException(404, f"job {job_id} has no file {name!r}")
        return FileResponse(path, filename=Path(name).name)

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            from fastapi.openapi.utils import get_openapi

            schema = get_openapi(
                title=app.title, version=app.version, description=app.description, routes=app.routes
            )
            spec_schema = DesignSpec.model_json_schema(
                by_alias=True, ref_template="#/components/schemas/{model}"
            )
            components = schema.setdefault("components", {}).setdefault("schemas", {})
            components.update(spec_schema.pop("$defs", {}))
            components["DesignSpec"] = spec_schema
            app.openapi_schema = schema
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
    return app
