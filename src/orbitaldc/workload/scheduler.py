"""Scheduling policies of the workload time loop: a pluggable interface and two policies.

At every decision (the scheduler's cadence) a policy sees the fleet as the twin left it
(:class:`FleetView`) and answers three questions, each over arrays of satellites:

- :meth:`Policy.demand`: the fraction of each satellite's compute its work asks for over the
  next interval (the twin's ``demand``: power and heat follow it);
- :meth:`Policy.hosts`: which satellites of a pool serve an inference service's replicas;
- :meth:`Policy.spares`: which spare satellites replace failed members of a training job.

:class:`Greedy` is the baseline: everything assigned runs flat out, hosts and spares are taken in
index order, placement never changes. :class:`Aware` is power-, thermal- and link-aware: training
members run at the rate of their slowest member (a straggler sets the step; faster members would
only burn energy and heat), inference replicas move each interval to the satellites with the most
compute to give (sunlit, unthrottled, charged, reachable) and draw only what their load needs,
and spares are the coolest satellites with a link to the job. A policy is any object with these
three methods and a ``name``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

import numpy as np

#: State of charge under which the aware policy ranks a satellite last for inference (the
#: battery is near the floor the closure sized it to; a model choice).
LOW_CHARGE = 0.35
#: Utilisation the aware policy powers inference replicas for (M/M/c waits stay short below
#: ~70 % load; a model choice, as ``workload.plan.SIZING_UTILISATION``), and the least demand it
#: leaves a host (one replica's worth stays warm).
TARGET_UTILISATION = 0.7
MIN_HOST_DEMAND = 0.05


@dataclass(frozen=True)
class FleetView:
    """The fleet at a decision, per satellite (arrays of shape (satellite,)).

    ``capacity``: compute it could deliver, fraction of nameplate (throttle x chips online, 0
    when it sheds in eclipse); ``illuminated``: fraction of the Sun seen at the last step;
    ``state_of_charge``; ``temperature_k`` of the compute node; ``linked``: has an
    inter-satellite link up (True without a topology); ``load``: the busy fraction an inference
    host's servers need over the next interval at full capacity (the service's forecast arrivals
    and backlog; 0 elsewhere).
    """

    t_s: float
    capacity: np.ndarray
    illuminated: np.ndarray
    state_of_charge: np.ndarray
    temperature_k: np.ndarray
    linked: np.ndarray
    load: np.ndarray


class Policy(Protocol):
    """What the time loop asks a scheduler (see the module docstring)."""

    name: str

    def demand(
        self, view: FleetView, members: np.ndarray, hosts: np.ndarray, n_sat: int
    ) -> np.ndarray: ...

    def hosts(
        self, view: FleetView, pool: np.ndarray, count: int, current: np.ndarray
    ) -> np.ndarray: ...

    def spares(self, view: FleetView, pool: np.ndarray, count: int) -> np.ndarray: ...


class Greedy:
    """The baseline: flat out, in index order, never moved."""

    name = "greedy"

    def demand(
        self, view: FleetView, members: np.ndarray, hosts: np.ndarray, n_sat: int
    ) -> np.ndarray:
        out = np.zeros(n_sat)
        out[members] = 1.0
        out[hosts] = 1.0
        return out

    def hosts(
        self, view: FleetView, pool: np.ndarray, count: int, current: np.ndarray
    ) -> np.ndarray:
        if current.size == count:
            return current
        return np.sort(pool)[:count]

    def spares(self, view: FleetView, pool: np.ndarray, count: int) -> np.ndarray:
        return np.sort(pool)[:count]


class Aware:
    """Power-, thermal- and link-aware (see the module docstring)."""

    name = "aware"

    def demand(
        self, view: FleetView, members: np.ndarray, hosts: np.ndarray, n_sat: int
    ) -> np.ndarray:
        out = np.zeros(n_sat)
        if members.size:
            cap = view.capacity[members]
            slowest = float(cap.min())
            out[members] = np.where(
                cap > 0.0, np.minimum(slowest / np.maximum(cap, 1e-12), 1.0), 1.0
            )
        if hosts.size:
            # Power the replicas the forecast load needs at the utilisation services are sized
            # for (waits stay short), the rest powered down.
            out[hosts] = np.clip(view.load[hosts] / TARGET_UTILISATION, MIN_HOST_DEMAND, 1.0)
        return out

    def hosts(
        self, view: FleetView, pool: np.ndarray, count: int, current: np.ndarray
    ) -> np.ndarray:
        score = (
            view.capacity[pool]
            * np.where(view.linked[pool], 1.0, 0.5)
            * np.where(view.state_of_charge[pool] < LOW_CHARGE, 0.5, 1.0)
            - 1e-6 * view.temperature_k[pool] / 1000.0
        )
        order = np.lexsort((pool, -score))
        return np.sort(pool[order[:count]])

    def spares(self, view: FleetView, pool: np.ndarray, count: int) -> np.ndarray:
        order = np.lexsort((pool, view.temperature_k[pool], ~view.linked[pool]))
        return pool[order[:count]]


POLICIES: dict[str, type] = {"greedy": Greedy, "aware": Aware}


def policy(name: str) -> Policy:
    """A policy by name (``greedy`` or ``aware``)."""
    if name not in POLICIES:
        raise ValueError(f"scheduler policy {name!r}: use one of {', '.join(POLICIES)}")
    return POLICIES[name]()
