"""Studies at scale: sweeps, Monte Carlo, sensitivity and optimisation of a design, on one
machine or a Dask cluster (docs/studies.md).

A study varies a base design's parameters (addressed by their spec path, ``orbitaldc.study.
parameters``) over grids, Latin hypercubes or distributions and runs every variant through the
closure's batch path or the time-domain twin, chunk by chunk::

    from orbitaldc import study
    s = study.load_study("studies/suncatcher-verdict.toml")
    result = study.monte_carlo(s)                 # rows kept in memory, this process
    result.digest["p_space_beats_ground"], result.digest["percentiles"]["mass_kg"]["p50"]

    with study.executor(dask="local", workers=2) as ex:   # the same numbers on a LocalCluster
        result = study.sweep(s, sink, ex, progress)

Nothing here writes a file: rows go to the sink passed in (``orbitaldc.report.study_store``
writes a resumable Parquet dataset). :func:`simulate_blocks` runs one large fleet's twin split
by satellite blocks across workers, with the fleet aggregates reduced exactly.
"""

from orbitaldc.study.execute import Dask, InProcess, Processes, executor
from orbitaldc.study.fleet import simulate_blocks
from orbitaldc.study.runner import MemorySink, Plan, Sink
from orbitaldc.study.spec import Study, StudySpec, load_study, parse_study
from orbitaldc.study.studies import StudyResult, monte_carlo, optimize, sensitivity, sweep

__all__ = [
    "Dask",
    "InProcess",
    "MemorySink",
    "Plan",
    "Processes",
    "Sink",
    "Study",
    "StudyResult",
    "StudySpec",
    "executor",
    "load_study",
    "monte_carlo",
    "optimize",
    "parse_study",
    "sensitivity",
    "simulate_blocks",
    "sweep",
]
