"""A run's resume state in a folder, written so that a crash never leaves a broken one.

``resume.npz`` holds the state's arrays; ``resume.json``, written after it, names the run's
fingerprint and the chunks done. Both are written atomically (temporary file, then rename), so a
run killed at any moment leaves the last good pair; a stored state is handed back only to a run
with the same fingerprint (the same spec, duration, step and options).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from pathlib import Path

import numpy as np

from orbitaldc.report.io import write_atomic, write_json_atomic


class ResumeStore:
    """``resume.npz`` and ``resume.json`` in ``folder``."""

    def __init__(self, folder: str | Path) -> None:
        self.folder = Path(folder)
        self.manifest_path = self.folder / "resume.json"
        self.state_path = self.folder / "resume.npz"

    def load(
        self, fingerprint: str, keys: Iterable[str] | None = None
    ) -> tuple[int, dict[str, np.ndarray] | None]:
        """``(chunks_done, state)`` stored for ``fingerprint`` (with every one of ``keys``),
        else ``(0, None)``."""
        if not (self.manifest_path.exists() and self.state_path.exists()):
            return 0, None
        try:
            manifest = json.loads(self.manifest_path.read_text())
        except json.JSONDecodeError:
            return 0, None
        if manifest.get("fingerprint") != fingerprint:
            return 0, None
        with np.load(self.state_path) as stored:
            if keys is not None and not set(keys) <= set(stored.files):
                return 0, None
            return int(manifest["chunks_done"]), {k: stored[k] for k in stored.files}

    def save(
        self,
        fingerprint: str,
        chunks_done: int,
        chunks_total: int,
        state: Mapping[str, np.ndarray],
    ) -> None:
        """Write the state, then the manifest naming it."""

        def save_state(p: Path) -> None:
            with open(p, "wb") as f:
                np.savez(f, **state)

        write_atomic(self.state_path, save_state)
        write_json_atomic(
            self.manifest_path,
            {
                "fingerprint": fingerprint,
                "chunks_done": chunks_done,
                "chunks_total": chunks_total,
            },
        )
