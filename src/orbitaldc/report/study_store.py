"""A study's rows as a Parquet dataset, written chunk by chunk, resumable after a kill.

Layout of ``out_dir``::

    rows/part-000000.parquet   one file per chunk (sample, parameters, outputs)
    rows/part-000001.parquet   ...
    manifest.json              fingerprint, chunk count, columns with units, chunks done

Each part is written to a hidden temporary file in ``rows/`` and renamed over its name
(``report.io.write_atomic``), then the manifest is rewritten the same way, so after a ``kill
-9`` at any instant the manifest names only whole parts. A chunk whose part landed but whose
manifest entry did not is computed again and overwrites the part with the same bytes (a chunk's
rows depend only on the plan and its index), so a resumed study has no row lost or repeated.
``pandas.read_parquet(out_dir / "rows")`` reads the dataset in chunk order (hidden files
are skipped). A different study (another fingerprint) in the same folder starts afresh.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from orbitaldc.report.io import write_atomic, write_json_atomic


class ParquetSink:
    """The sink (``orbitaldc.study.Sink``) behind every study command's ``--out``."""

    def __init__(self, out_dir: str | Path) -> None:
        self.out_dir = Path(out_dir)
        self.rows_dir = self.out_dir / "rows"
        self.manifest_path = self.out_dir / "manifest.json"
        self.manifest: dict = {}

    def part(self, index: int) -> Path:
        """The Parquet file of chunk ``index``."""
        return self.rows_dir / f"part-{index:06d}.parquet"

    def start(self, fingerprint: str, chunks: int, columns: dict[str, str]) -> set[int]:
        """Chunks already stored for ``fingerprint``; any other study's rows are removed."""
        self.rows_dir.mkdir(parents=True, exist_ok=True)
        for stale in self.rows_dir.glob(".part-*"):
            stale.unlink()
        old = self._read_manifest()
        if old.get("fingerprint") == fingerprint:
            done = [i for i in old.get("done", []) if self.part(i).is_file()]
        else:
            done = []
            for part in self.rows_dir.glob("part-*.parquet"):
                part.unlink()
        self.manifest = {
            "fingerprint": fingerprint,
            "chunks": chunks,
            "columns": columns,
            "done": sorted(done),
        }
        write_json_atomic(self.manifest_path, self.manifest)
        return set(done)

    def _read_manifest(self) -> dict:
        try:
            return json.loads(self.manifest_path.read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError):
            return {}

    def write(self, index: int, table: dict[str, np.ndarray]) -> None:
        """Write chunk ``index``'s rows, then record it in the manifest."""
        import pyarrow as pa
        import pyarrow.parquet as pq

        units = self.manifest["columns"]
        fields = [
            pa.field(
                name,
                pa.int64() if name == "sample" else pa.float64(),
                metadata={"unit": units.get(name, "")} if units.get(name) else None,
            )
            for name in table
        ]
        schema = pa.schema(fields, metadata={"fingerprint": self.manifest["fingerprint"]})
        arrow = pa.Table.from_arrays(
            [pa.array(np.asarray(v)) for v in table.values()], schema=schema
        )
        write_atomic(self.part(index), lambda p: pq.write_table(arrow, p, compression="zstd"))
        self.manifest["done"] = sorted({*self.manifest["done"], index})
        write_json_atomic(self.manifest_path, self.manifest)

    def read(self, index: int) -> dict[str, np.ndarray]:
        """Chunk ``index``'s rows as numpy arrays."""
        import pyarrow.parquet as pq

        table = pq.read_table(self.part(index))
        return {name: table.column(name).to_numpy() for name in table.column_names}
