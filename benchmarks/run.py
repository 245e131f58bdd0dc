"""Run every benchmark: each ``benchmarks/bench_*.py`` module's ``main()``, in name order.

Usage: ``python benchmarks/run.py [--quick] [NAME ...]`` (NAME filters modules, e.g. ``closure``).
Each benchmark prints its figures and its ratio against a reference measured in the same run.
"""

from __future__ import annotations

import importlib.util
import inspect
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main(argv: list[str]) -> int:
    quick = "--quick" in argv
    names = [a for a in argv if not a.startswith("-")]
    failures = 0
    for path in sorted(HERE.glob("bench_*.py")):
        topic = path.stem.removeprefix("bench_")
        if names and topic not in names:
            continue
        print(f"\n=== {path.name} ===", flush=True)
        spec = importlib.util.spec_from_file_location(path.stem, path)
        module = importlib.util.module_from_spec(spec)
        start = time.perf_counter()
        try:
            spec.loader.exec_module(module)
            params = inspect.signature(module.main).parameters
            if params:
                module.main(["--quick"] if quick else [])
            else:
                module.main()
        except Exception as exc:  # report and go on with the other benchmarks
            failures += 1
            print(f"FAILED: {type(exc).__name__}: {exc}", flush=True)
        print(f"({path.name} took {time.perf_counter() - start:.1f} s)", flush=True)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
