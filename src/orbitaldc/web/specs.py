"""Specs over the web: reference scenarios by name, uploads by digest, parsed as the CLI parses.

A spec arrives as TOML or JSON text and goes through :func:`orbitaldc.spec.parse_spec`, the
CLI's validation, so a bad spec gets the same problems with the same dotted field paths. The one
difference: a spec may not name a file (``orbit.tle_file``), since a request must not reach the
server's file system. Reference scenarios are the ``*.toml`` files of one folder, looked up by
name in its listing (a request's text is never joined to a path).
"""

from __future__ import annotations

import hashlib
import json
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from orbitaldc.spec import DesignSpec, SpecError, parse_spec
from orbitaldc.web.store import Store

#: The formats a spec may be sent in, by media type.
MEDIA_TYPES = {
    "application/toml": "toml",
    "text/toml": "toml",
    "text/plain": "toml",
    "application/json": "json",
}
SCENARIO_ID = re.compile(r"^[a-z0-9][a-z0-9._-]{0,63}$")
UPLOAD_ID = re.compile(r"^u-[0-9a-f]{16}$")


@dataclass(frozen=True)
class Source:
    """A spec's text as given: ``id`` (scenario name or ``u-`` + digest), ``name`` (the
    mission's), ``format`` (``toml`` or ``json``) and ``kind`` (``scenario`` or ``upload``)."""

    id: str
    name: str
    format: str
    text: str
    kind: str


def parse_text(text: str, fmt: str, source: str = "spec") -> DesignSpec:
    """Validate spec ``text`` in ``fmt`` (``toml`` or ``json``); raises :class:`SpecError`."""
    try:
        data: Any = tomllib.loads(text) if fmt == "toml" else json.loads(text)
    except (tomllib.TOMLDecodeError, json.JSONDecodeError, RecursionError) as exc:
        raise SpecError([("", f"not valid {fmt.upper()}: {exc}")], source) from None
    if not isinstance(data, dict):
        raise SpecError([("", f"a spec is a table of sections, got {type(data).__name__}")], source)
    orbit = data.get("orbit")
    if isinstance(orbit, dict) and "tle_file" in orbit:
        raise SpecError(
            [("orbit.tle_file", "a spec sent to the server cannot name a file on it")], source
        )
    return parse_spec(data, source)


def problems_payload(exc: SpecError) -> dict[str, Any]:
    """A 422 body for a spec error: FastAPI's ``detail`` list (``loc`` from the dotted path)
    and the CLI's lines."""
    detail = []
    for path, message in exc.problems:
        loc: list[str | int] = ["body"]
        for part in path.split(".") if path else []:
            loc.append(int(part) if part.isdigit() else part)
        detail.append({"loc": loc, "msg": message, "type": "spec"})
    lines = [f"{p}: {m}" if p else m for p, m in exc.problems]
    return {"detail": detail, "problems": lines}


class Specs:
    """The reference scenarios of ``scenarios_dir`` and the specs uploaded to ``store``."""

    def __init__(self, store: Store, scenarios_dir: Path | None) -> None:
        self.store = store
        self.scenarios_dir = scenarios_dir
        self._parsed: dict[str, DesignSpec] = {}

    def scenarios(self) -> dict[str, Path]:
        """Scenario name -> file, from the folder's listing."""
        folder = self.scenarios_dir
        if folder is None or not folder.is_dir():
            return {}
        return {p.stem: p for p in sorted(folder.glob("*.toml")) if SCENARIO_ID.match(p.stem)}

    def listing(self) -> list[dict[str, str]]:
        out = [{"id": k, "name": k, "kind": "scenario"} for k in self.scenarios()]
        out += [
            {"id": s["id"], "name": s["name"], "kind": "upload"} for s in self.store.list_specs()
        ]
        return out

    def source(self, spec_id: str) -> Source:
        """The stored text of ``spec_id``; KeyError when there is none."""
        if UPLOAD_ID.match(spec_id):
            row = self.store.get_spec(spec_id)
            if row is not None:
                return Source(spec_id, row["name"], row["format"], row["text"], "upload")
        elif SCENARIO_ID.match(spec_id):
            path = self.scenarios().get(spec_id)
            if path is not None:
                return Source(
                    spec_id, spec_id, "toml", path.read_text(encoding="utf-8"), "scenario"
                )
        raise KeyError(spec_id)

    def load(self, spec_id: str) -> DesignSpec:
        """The validated spec of ``spec_id`` (parsed once); KeyError when there is none."""
        if spec_id not in self._parsed:
            src = self.source(spec_id)
            self._parsed[spec_id] = parse_text(src.text, src.format, src.name)
        return self._parsed[spec_id]

    def upload(self, text: str, fmt: str) -> Source:
        """Validate and store an uploaded spec; its id is the digest of its text."""
        spec = parse_text(text, fmt)
        digest = hashlib.sha256(f"{fmt}\n{text}".encode()).hexdigest()[:16]
        src = Source(f"u-{digest}", spec.mission.name, fmt, text, "upload")
        self.store.put_spec(src.id, src.name, fmt, text)
        self._parsed[src.id] = spec
        return src
