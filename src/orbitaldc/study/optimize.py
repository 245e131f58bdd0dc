"""Multi-objective search for the designs that close: NSGA-II (pymoo) over the unit hypercube.

NSGA-II (Deb, Pratap, Agarwal & Meyarivan, IEEE Trans. Evol. Comput. 6 (2002) 182-197) with
Deb's constraint domination: a design that closes beats one that does not, and of two that do not,
the one failing fewer of the closure's checks wins; so the front holds only designs that close.
The decision space is the unit hypercube; the caller's model maps each point through the
parameters' ranges. pymoo's ask/tell loop lets the caller evaluate each generation where it
likes (a Dask cluster, or a stored chunk read back on resume), one call per generation.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

Model = Callable[[int, np.ndarray], Mapping[str, np.ndarray]]


@dataclass(frozen=True)
class Front:
    """The final non-dominated designs that satisfy the constraint: ``unit`` points, shape
    ``(design, parameter)``, and their ``objectives`` in the outputs' own signs, shape
    ``(design, objective)``; ``evaluated`` designs in all, over ``generations``."""

    unit: np.ndarray
    objectives: np.ndarray
    evaluated: int
    generations: int


def violation(outputs: Mapping[str, np.ndarray]) -> np.ndarray:
    """How far each design is from closing: the number of the closure's checks it fails
    (``failed_checks``) when known, else ``1 - closes``; 0 for a design that closes."""
    if "failed_checks" in outputs:
        return np.asarray(outputs["failed_checks"], dtype=float)
    return 1.0 - np.asarray(outputs["closes"], dtype=float)


def nsga2(
    model: Model,
    n_var: int,
    objectives: Sequence[tuple[str, str]],
    population: int,
    generations: int,
    seed: int,
) -> Front:
    """Pareto front of ``objectives`` (``[("min" | "max", output)]``) under the constraint that
    the design closes.

    ``model(generation, unit)`` returns the outputs of the points ``unit`` (shape ``(design,
    n_var)`` in [0, 1]), including every objective and ``failed_checks`` or ``closes``. Non-finite
    objective values count as the worst possible.
    """
    from pymoo.algorithms.moo.nsga2 import NSGA2
    from pymoo.config import Config
    from pymoo.core.evaluator import Evaluator
    from pymoo.core.problem import Problem
    from pymoo.problems.static import StaticProblem

    Config.warnings["not_compiled"] = False
    problem = Problem(n_var=n_var, n_obj=len(objectives), n_ieq_constr=1, xl=0.0, xu=1.0)
    algorithm = NSGA2(pop_size=population)
    algorithm.setup(problem, termination=("n_gen", generations), seed=seed, verbose=False)
    sign = np.array([1.0 if sense == "min" else -1.0 for sense, _ in objectives])
    evaluated = 0
    generation = 0
    while algorithm.has_next():
        pop = algorithm.ask()
        unit = np.clip(pop.get("X"), 0.0, 1.0)
        outputs = model(generation, unit)
        f = np.stack([np.asarray(outputs[name], dtype=float) for _, name in objectives], axis=1)
        f = np.where(np.isfinite(f), f * sign, np.inf)
        g = violation(outputs)[:, None]
        Evaluator().eval(StaticProblem(problem, F=f, G=g), pop)
        algorithm.tell(infills=pop)
        evaluated += unit.shape[0]
        generation += 1
    result = algorithm.opt
    feasible = np.asarray(result.get("feas"), dtype=bool).ravel()
    x = np.atleast_2d(result.get("X"))[feasible]
    f = np.atleast_2d(result.get("F"))[feasible] * sign
    order = np.lexsort(f.T[::-1])
    return Front(x[order], f[order], evaluated, generation)
