"""Lumped-parameter thermal networks, stepped implicitly, vectorised over satellites.

Each satellite is a small network of isothermal nodes (e.g. accelerators and cold plate, coolant
loop, radiator, solar array, bus) with heat capacities ``C`` (J/K), linear conductances ``G`` (W/K)
between nodes, radiation to deep space from each node's ``eps x A`` (0 K sink; absorbed sunlight,
albedo and Earth infrared enter as heat inputs), and heat inputs ``q`` (W):

    C dT/dt = q - L T - eps sigma A T^4,   L = graph Laplacian of G.

The step is backward Euler with the T^4 term linearised about the newest iterate (Newton):
unconditionally stable for any step, exact in steady state, and conserving energy to rounding
(Gilmore, *Spacecraft Thermal Control Handbook* vol. I, 2nd ed., ch. 15; the same implicit scheme
as SINDA/FLUINT's steady-state and forward-backward solvers). Shapes: temperatures and inputs
``(satellite, node)``; ``C``, ``eps_area`` ``(node,)`` or ``(satellite, node)``; ``G``
``(node, node)`` or ``(satellite, node, node)``, symmetric with a zero diagonal.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from orbitaldc.physics.constants import STEFAN_BOLTZMANN


def laplacian(conductance_w_per_k: ArrayLike) -> np.ndarray:
    """Graph Laplacian of a conductance matrix: ``L_ii = sum_j G_ij``, ``L_ij = -G_ij``."""
    g = np.asarray(conductance_w_per_k, dtype=float)
    if np.any(g < 0) or not np.allclose(g, np.swapaxes(g, -1, -2)):
        raise ValueError("conductance_w_per_k must be symmetric and non-negative")
    eye = np.eye(g.shape[-1], dtype=bool)
    g = np.where(eye, 0.0, g)
    return np.where(eye, g.sum(axis=-1)[..., None] * np.eye(g.shape[-1]), -g)


def thermal_step(
    temp_k: ArrayLike,
    capacity_j_per_k: ArrayLike,
    conductance_w_per_k: ArrayLike,
    eps_area_m2: ArrayLike,
    heat_in_w: ArrayLike,
    dt_s: float,
    newton_iterations: int = 2,
) -> np.ndarray:
    """Node temperatures after one implicit step of ``dt_s`` seconds, K, shape (satellite, node).

    Parameters
    ----------
    temp_k : array_like, shape (satellite, node)
        Temperatures at the start of the step, K.
    capacity_j_per_k : array_like, shape (node,) or (satellite, node)
        Heat capacity of each node, J/K (must be positive).
    conductance_w_per_k : array_like, shape (node, node) or (satellite, node, node)
        Conductances between nodes, W/K.
    eps_area_m2 : array_like, shape (node,) or (satellite, node)
        Emissivity times radiating area of each node toward space, m^2 (0 for internal nodes).
    heat_in_w : array_like, shape (satellite, node)
        Heat into each node during the step (dissipation, absorbed environment, heaters), W.
    dt_s : float
        Step, s; any positive value is stable.
    newton_iterations : int
        Linearisations of the T^4 term per step (1 is the classic semi-implicit scheme).
    """
    t0 = np.asarray(temp_k, dtype=float)
    if dt_s <= 0:
        raise ValueError(f"dt_s must be positive, got {dt_s}")
    c = np.broadcast_to(np.asarray(capacity_j_per_k, dtype=float), t0.shape)
    if np.any(c <= 0):
        raise ValueError("capacity_j_per_k must be positive for every node")
    lap = np.broadcast_to(laplacian(conductance_w_per_k), t0.shape + (t0.shape[-1],))
    k_rad = STEFAN_BOLTZMANN * np.broadcast_to(np.asarray(eps_area_m2, dtype=float), t0.shape)
    q = np.asarray(heat_in_w, dtype=float)
    c_dt = c / dt_s
    t = t0.copy()
    eye = np.eye(t0.shape[-1])
    for _ in range(max(1, newton_iterations)):
        # eps sigma A T_new^4 ~ eps sigma A (4 T^3 T_new - 3 T^4) about the current iterate T.
        diag = c_dt + 4.0 * k_rad * t**3
        matrix = lap + diag[..., None] * eye
        rhs = c_dt * t0 + q + 3.0 * k_rad * t**4
        t = np.linalg.solve(matrix, rhs[..., None])[..., 0]
    return t


def steady_state(
    conductance_w_per_k: ArrayLike,
    eps_area_m2: ArrayLike,
    heat_in_w: ArrayLike,
    guess_k: float = 300.0,
    iterations: int = 50,
) -> np.ndarray:
    """Steady-state node temperatures, K: ``L T + eps sigma A T^4 = q`` by Newton's method.

    Every node must be connected, through conductances, to at least one radiating node.
    """
    q = np.asarray(heat_in_w, dtype=float)
    lap = np.broadcast_to(laplacian(conductance_w_per_k), q.shape + (q.shape[-1],))
    k_rad = STEFAN_BOLTZMANN * np.broadcast_to(np.asarray(eps_area_m2, dtype=float), q.shape)
    t = np.full(q.shape, guess_k)
    eye = np.eye(q.shape[-1])
    for _ in range(iterations):
        residual = np.einsum("...ij,...j->...i", lap, t) + k_rad * t**4 - q
        jac = lap + (4.0 * k_rad * t**3)[..., None] * eye
        step = np.linalg.solve(jac, residual[..., None])[..., 0]
        t = t - step
        if np.max(np.abs(step)) < 1e-10:
            break
    return t
