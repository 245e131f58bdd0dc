"""Atomic file output: a result is either wholly written or not there at all.

Each writer writes to a temporary file in the destination folder and renames it over the target
(``os.replace`` is atomic on POSIX and Windows), so an interrupted run never leaves half a file.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any


def write_atomic(path: str | Path, write: Callable[[Path], None]) -> Path:
    """Call ``write(tmp_path)`` then move the temporary file onto ``path``; returns ``path``."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    tmp_path = Path(tmp)
    try:
        write(tmp_path)
        os.replace(tmp_path, path)
    finally:
        if tmp_path.exists():
            tmp_path.unlink()
    return path


def write_text_atomic(path: str | Path, text: str) -> Path:
    """Write ``text`` (UTF-8) to ``path`` atomically."""
    return write_atomic(path, lambda p: p.write_text(text, encoding="utf-8"))


def write_json_atomic(path: str | Path, data: Any) -> Path:
    """Write ``data`` as indented JSON (keys in insertion order, NaN refused) atomically."""
    text = json.dumps(data, indent=2, allow_nan=False) + "\n"
    return write_text_atomic(path, text)


def write_png_atomic(path: str | Path, fig: Any, dpi: int = 110) -> Path:
    """Save the matplotlib figure ``fig`` as a PNG at ``path`` atomically, then close it."""
    import matplotlib.pyplot as plt

    try:
        return write_atomic(path, lambda p: fig.savefig(p, format="png", dpi=dpi))
    finally:
        plt.close(fig)


def money(x: float | None) -> str:
    """A dollar figure for people: ``$1.23 M``, ``$45.60 k``, ``n/a`` when missing."""
    if x is None:
        return "n/a"
    for scale, suffix in ((1e9, " B"), (1e6, " M"), (1e3, " k")):
        if abs(x) >= scale:
            return f"${x / scale:,.2f}{suffix}"
    return f"${x:,.2f}"
