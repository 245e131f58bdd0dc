"""One inference service through the time loop (:func:`step_service`): diurnal arrivals by region,
reachability through the ground segment, the hosts' delivered capacity, a fluid backlog and the
M/M/c SLO attainment per interval (docs/workloads.md, "Execution")."""

from __future__ import annotations

import math

import numpy as np

from orbitaldc.workload import inference
from orbitaldc.workload.plan import ServicePlan

#: Per-service scalars of the resume state.
SERVICE_STATE = (
    "backlog",
    "arrived",
    "served",
    "unreachable",
    "slo_weighted",
    "busy_server_s",
    "server_s",
)


V = {k: i for i, k in enumerate(SERVICE_STATE)}


#: Seconds from the J2000 epoch (2000-01-01 12:00 UTC) back to 00:00 UTC.
NOON_S = 43200.0


def arrival_rates(sv: ServicePlan, t_s: float) -> np.ndarray:
    """Each region's request rate at ``t_s`` (s since J2000), 1/s: the service's mean rate by
    the region's share, on the diurnal profile of its local time."""
    since_midnight_utc = (t_s + NOON_S) % 86400.0
    return sv.region_shares * inference.diurnal_rate(
        sv.mean_rate,
        since_midnight_utc,
        sv.peak_to_mean,
        sv.peak_hour_local,
        sv.region_longitude_rad,
    )


def forecast_load(sv: ServicePlan, units: int, backlog: float, t_s: float, span_s: float) -> float:
    """The busy fraction the service's hosts need over ``[t_s, t_s + span_s)`` at full capacity:
    the arrivals forecast at the interval's middle (every region, as if reachable) plus the
    backlog, over ``units`` hosting units (1 when there are none)."""
    if units < 1:
        return 1.0
    lam = float(arrival_rates(sv, t_s + 0.5 * span_s).sum()) + backlog / span_s
    return min(lam * sv.service_s / (units * sv.servers_per_unit), 1.0)


def step_service(
    sv: ServicePlan,
    si: int,
    hosts: np.ndarray,
    saved: dict[str, np.ndarray],
    served: np.ndarray,
    region_latency_s: np.ndarray,
    t_s: float,
    span_s: float,
) -> list[float]:
    """One interval of one inference service; returns its timeline columns."""
    acc = saved["services"][si]
    rates = arrival_rates(sv, t_s + 0.5 * span_s)
    reach = np.isfinite(region_latency_s)
    lam = float(rates[reach].sum())
    acc[V["unreachable"]] += float(rates[~reach].sum()) * span_s
    acc[V["arrived"]] += float(rates.sum()) * span_s
    units = hosts.size // sv.unit_satellites
    if units:
        use = hosts[: units * sv.unit_satellites]
        # the compute the hosts delivered: what the policy's demand let them draw (a host asked
        # for less than its load needs serves less, and the backlog shows it)
        rate = served[use].mean(axis=1).reshape(units, sv.unit_satellites).min(axis=1)
    else:
        rate = np.zeros(0)
    servers_eff = float((rate * sv.servers_per_unit).sum())
    capacity = servers_eff / sv.service_s
    backlog = acc[V["backlog"]]
    offered = lam * span_s + backlog
    done = min(offered, capacity * span_s)
    acc[V["backlog"]] = offered - done
    acc[V["served"]] += done
    busy = done * sv.service_s
    acc[V["busy_server_s"]] += busy
    acc[V["server_s"]] += servers_eff * span_s
    c = max(int(round(servers_eff)), 1)
    if backlog == 0.0 and lam < capacity and lam > 0:
        mu = capacity / c
        slack = sv.latency_target_s - 2.0 * region_latency_s[reach]
        slo = inference.slo_attainment(lam, mu, c, np.maximum(slack, 0.0))
        slo = np.where(slack > 0, slo, 0.0)
        attained = float((rates[reach] * slo).sum()) * span_s
    else:
        attained = 0.0
    acc[V["slo_weighted"]] += attained
    slo_now = attained / (lam * span_s) if lam > 0 else math.nan
    return [float(rates.sum()), done / span_s, capacity, slo_now, acc[V["backlog"]]]
