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

:func:`reduced_operators` / :func:`reduced_step` factor the same step once per network and step
length (a Schur complement on the non-radiating nodes), the form the twin's compiled kernel uses.
:func:`earth_view_factor_plate` gives the Earth view factor of a node's face at any tilt, for the
absorbed Earth infrared and albedo.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
from numpy.typing import ArrayLike

from orbitaldc.physics.constants import R_EARTH_M, STEFAN_BOLTZMANN


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


class ReducedOperators(NamedTuple):
    """Precomputed pieces of the implicit step for one network and step (see
    :func:`reduced_operators`). Only the ``radiating`` nodes carry the nonlinear T^4 term, so the
    backward-Euler system ``(L + C/dt + D(T)) T = b`` is reduced, by a Schur complement on the
    linear (non-radiating) nodes, to a system the size of the radiating set; its constant parts
    are factored once here instead of every step."""

    radiating: np.ndarray  # (n_r,) int64, nodes with eps*A > 0
    linear: np.ndarray  # (n_l,) int64, the others
    c_dt: np.ndarray  # (n,) C / dt, W/K
    k_rad: np.ndarray  # (n,) eps sigma A, W/K^4
    a_inv: np.ndarray  # (n_l, n_l) inverse of M_ll, M = L + diag(C/dt)
    p: np.ndarray  # (n_r, n_l) M_rl a_inv
    s0: np.ndarray  # (n_r, n_r) M_rr - M_rl a_inv M_lr

    @property
    def q(self) -> np.ndarray:
        """``a_inv M_lr`` (n_l, n_r): M and a_inv are symmetric, so it is ``p`` transposed."""
        return self.p.T


def reduced_operators(
    capacity_j_per_k: ArrayLike,
    conductance_w_per_k: ArrayLike,
    eps_area_m2: ArrayLike,
    dt_s: float,
) -> ReducedOperators:
    """Factor the constant part of :func:`thermal_step` for one network (shapes ``(node,)`` and
    ``(node, node)``) and step, for :func:`reduced_step` (the compiled twin's thermal solve).

    The linear block ``M_ll = L_ll + diag(C_l/dt)`` is symmetric positive definite (C > 0), so
    its inverse exists; the result equals :func:`thermal_step` to rounding (tested).
    """
    if dt_s <= 0:
        raise ValueError(f"dt_s must be positive, got {dt_s}")
    c = np.asarray(capacity_j_per_k, dtype=float)
    if c.ndim != 1 or np.any(c <= 0):
        raise ValueError("capacity_j_per_k must be a 1-D array of positive values (one per node)")
    lap = laplacian(conductance_w_per_k)
    eps_a = np.asarray(eps_area_m2, dtype=float)
    if lap.shape != (c.size, c.size) or eps_a.shape != c.shape:
        raise ValueError("conductance_w_per_k must be (node, node) and eps_area_m2 (node,)")
    if np.any(eps_a < 0):
        raise ValueError("eps_area_m2 must be non-negative")
    radiating = np.flatnonzero(eps_a > 0).astype(np.int64)
    linear = np.flatnonzero(eps_a == 0).astype(np.int64)
    m = lap + np.diag(c / dt_s)
    a_inv = np.linalg.inv(m[np.ix_(linear, linear)]) if linear.size else np.zeros((0, 0))
    m_rl, m_lr = m[np.ix_(radiating, linear)], m[np.ix_(linear, radiating)]
    p = m_rl @ a_inv
    return ReducedOperators(
        radiating=radiating,
        linear=linear,
        c_dt=c / dt_s,
        k_rad=STEFAN_BOLTZMANN * eps_a,
        a_inv=a_inv,
        p=p,
        s0=m[np.ix_(radiating, radiating)] - p @ m_lr,
    )


def reduced_step(
    temp_k: ArrayLike,
    heat_in_w: ArrayLike,
    ops: ReducedOperators,
    newton_iterations: int = 2,
) -> np.ndarray:
    """:func:`thermal_step` through the precomputed :func:`reduced_operators`, shape
    ``(satellite, node)``.

    Per Newton iteration the radiating temperatures ``x_r`` solve
    ``(s0 + diag(4 k T_r^3)) x_r = b_r + 3 k T_r^4 - p b_l`` with ``b = C T0 / dt + q``, then
    ``x_l = a_inv b_l - q x_r``. The twin's compiled kernel writes the same algebra out for its
    two radiating nodes (radiator and array), and is tested equal to :func:`thermal_step`.
    """
    t0 = np.asarray(temp_k, dtype=float)
    b = ops.c_dt * t0 + np.asarray(heat_in_w, dtype=float)
    b_l, b_r = b[..., ops.linear], b[..., ops.radiating]
    base = b_l @ ops.a_inv.T
    y = b_r - b_l @ ops.p.T
    k = ops.k_rad[ops.radiating]
    x = t0[..., ops.radiating].copy()
    eye = np.eye(ops.radiating.size)
    for _ in range(max(1, newton_iterations)):
        matrix = ops.s0 + (4.0 * k * x**3)[..., None] * eye
        x = np.linalg.solve(matrix, (y + 3.0 * k * x**4)[..., None])[..., 0]
    out = np.empty_like(t0)
    out[..., ops.radiating] = x
    out[..., ops.linear] = base - x @ ops.q.T
    return out


def earth_view_factor_plate(altitude_m: ArrayLike, cos_tilt: ArrayLike) -> np.ndarray:
    """View factor from one face of a flat plate to a spherical Earth, any tilt.

    Howell, *A Catalog of Radiation Heat Transfer Configuration Factors* (3rd ed.), factor B-30:
    differential planar element at normalised distance ``H = (R + h)/R`` from the centre, its
    normal at angle ``lambda`` from the direction to the centre (``cos_tilt = cos(lambda)``, +1
    facing nadir). Full view of the disc for ``lambda <= acos(1/H)``: ``F = cos(lambda)/H^2``;
    none for ``lambda >= pi - acos(1/H)``; in between the partial-view expression

        F = 1/2 - asin(sqrt(H^2-1) / (H sin l)) / pi
            + [cos(l) acos(-sqrt(H^2-1) cot l) - sqrt(H^2-1) sqrt(1 - H^2 cos^2 l)] / (pi H^2).

    It reduces to :func:`orbitaldc.physics.radiator.earth_view_factor_nadir_plate` at
    ``lambda = 0`` and to ``earth_view_factor_vertical_plate`` at 90 deg (tested).
    """
    big_h = (R_EARTH_M + np.asarray(altitude_m, dtype=float)) / R_EARTH_M
    c = np.clip(np.asarray(cos_tilt, dtype=float), -1.0, 1.0)
    big_h, c = np.broadcast_arrays(big_h, c)
    s = np.sqrt(1.0 - c * c)
    root = np.sqrt(big_h**2 - 1.0)
    limit = 1.0 / big_h
    with np.errstate(divide="ignore", invalid="ignore"):
        partial = (
            0.5
            - np.arcsin(np.clip(root / (big_h * s), -1.0, 1.0)) / np.pi
            + (
                c * np.arccos(np.clip(-root * c / s, -1.0, 1.0))
                - root * np.sqrt(np.clip(1.0 - big_h**2 * c * c, 0.0, None))
            )
            / (np.pi * big_h**2)
        )
    return np.where(c >= limit, c / big_h**2, np.where(c <= -limit, 0.0, partial))
