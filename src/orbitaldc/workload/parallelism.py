"""How a training job is split over accelerators and satellites: data, tensor and pipeline degrees.

A job of ``dp x tp x pp`` accelerators (Narayanan et al., "Efficient Large-Scale Language Model
Training on GPU Clusters Using Megatron-LM", SC 2021, sec. 2-3): tensor parallelism (``tp``)
splits every layer and exchanges activations inside each layer, so it stays inside a satellite
(inside a server on the ground), whose accelerators share an internal fabric; pipeline
parallelism (``pp``) puts consecutive stages of layers on different satellites; data parallelism
(``dp``) replicates the model and all-reduces gradients. A satellite of ``a`` accelerators holds
``a / tp`` tensor groups of the *same* stage from different replicas, which reduce their
gradients inside the satellite first; the ring across satellites then carries the stage's
gradient (``N b / pp`` bytes) among the ``dp / (a / tp)`` satellites of that stage.

The layout is a ``(satellite replicas, pp)`` table of satellite indices: row ``i`` is one
chain of stages, column ``s`` the satellites holding stage ``s``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

#: Bytes per parameter of mixed-precision Adam training held per replica with ZeRO stage 1
#: (Rajbhandari et al., "ZeRO", SC 2020, sec. 3.1 and 5.1): 2 (BF16 weights) + 2 (BF16
#: gradients) per replica, and 12 (FP32 master weights and the two moments) sharded over the
#: data-parallel ranks.
REPLICATED_BYTES_PER_PARAMETER = 4.0
SHARDED_BYTES_PER_PARAMETER = 12.0
#: Width over depth of a dense transformer, ``d_model / n_layer``: Llama 3 8B has 4,096 / 32 =
#: 128 (Meta 2024, arXiv 2407.21783, Table 3); Kaplan et al. 2020 (arXiv 2001.08361, fig. 5)
#: find the loss within a few percent over a wide band of this ratio.
ASPECT_RATIO = 128.0
#: Non-embedding parameters of a dense transformer per layer per ``d_model^2`` (Kaplan et al.
#: 2020, sec. 2.1: ``N = 12 n_layer d_model^2``).
PARAMETERS_PER_LAYER_D2 = 12.0


def hidden_size(parameters: float) -> int:
    """``d_model`` of a dense transformer of ``parameters`` at :data:`ASPECT_RATIO`.

    From ``N = 12 L d^2`` with ``L = d / 128``: ``d = (128 N / 12)^(1/3)``: 4,403 for 8e9
    (Llama 3 8B: 4,096), 9,073 for 70e9 (Llama 3 70B: 8,192).
    """
    return int(round((ASPECT_RATIO * parameters / PARAMETERS_PER_LAYER_D2) ** (1.0 / 3.0)))


@dataclass(frozen=True)
class Layout:
    """A training job's degrees and how many satellites it takes."""

    data_parallel: int
    tensor_parallel: int
    pipeline_parallel: int
    #: Tensor groups (replicas of one stage) inside one satellite: ``accelerators / tp``.
    replicas_per_satellite: int
    #: Satellites per stage: the data-parallel ring across satellites.
    satellite_replicas: int
    hidden_size: int

    @property
    def satellites(self) -> int:
        return self.satellite_replicas * self.pipeline_parallel

    @property
    def accelerators(self) -> int:
        return self.data_parallel * self.tensor_parallel * self.pipeline_parallel

    def memory_per_accelerator_bytes(self, parameters: float) -> float:
        """Training state one accelerator holds, bytes (ZeRO stage 1; activations excluded)."""
        shard = parameters / (self.tensor_parallel * self.pipeline_parallel)
        return shard * (
            REPLICATED_BYTES_PER_PARAMETER + SHARDED_BYTES_PER_PARAMETER / self.data_parallel
        )


def layout(
    w: object,
    where: str,
    accelerators_per_satellite: int,
    memory_bytes: float,
    satellites_available: int,
) -> Layout:
    """Resolve a training workload's degrees; errors name ``where`` (e.g. ``workload[0]``).

    ``tensor_parallel`` defaults to the satellite's accelerators and must divide them;
    ``data_parallel`` defaults to filling ``satellites_available``. The training state must fit
    the accelerators' memory.
    """
    a = accelerators_per_satellite
    tp = w.tensor_parallel or a
    if a % tp:
        raise ValueError(
            f"{where}.tensor_parallel = {tp}: must divide the satellite's {a} accelerators "
            "(tensor parallelism stays inside a satellite; the links are too slow for it)"
        )
    pp = w.pipeline_parallel
    per_sat = a // tp
    if w.data_parallel is None:
        rows = satellites_available // pp
        if rows < 1:
            raise ValueError(
                f"{where}.pipeline_parallel = {pp}: needs {pp} satellites, only "
                f"{satellites_available} are free for it"
            )
        dp = rows * per_sat
    else:
        dp = w.data_parallel
        if dp % per_sat:
            raise ValueError(
                f"{where}.data_parallel = {dp}: must be a multiple of the {per_sat} tensor groups "
                "a satellite holds (accelerators per satellite / tensor_parallel)"
            )
        rows = dp // per_sat
        if rows * pp > satellites_available:
            raise ValueError(
                f"{where}: data_parallel x pipeline_parallel needs {rows * pp} satellites, only "
                f"{satellites_available} are free for it"
            )
    out = Layout(dp, tp, pp, per_sat, rows, w.hidden_size or hidden_size(w.parameters))
    need = out.memory_per_accelerator_bytes(w.parameters)
    if need > memory_bytes:
        more = math.ceil(need / memory_bytes * pp)
        raise ValueError(
            f"{where}: the training state needs {need / 1e9:.1f} GB per accelerator, more than "
            f"its {memory_bytes / 1e9:.0f} GB; raise pipeline_parallel (to ~{more}) or "
            "tensor_parallel"
        )
    return out


def stage_table(members: np.ndarray, pipeline_parallel: int) -> np.ndarray:
    """``members`` (satellite indices, chain-major) as the ``(satellite replicas, pp)`` table."""
    return np.asarray(members, dtype=np.int64).reshape(-1, pipeline_parallel)
