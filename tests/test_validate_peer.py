"""The ground economics against a published peer's reference case: spacedc-mdao's "Hyperscale
terrestrial baseline" (docs/validation.md, "A published peer: spacedc-mdao's terrestrial baseline").

Peer: github.com/jman4162/spacedc-mdao (MIT licence), read, not copied. Its case,
``examples/scenarios/earth_hyperscale_baseline.yaml`` (commit 985b3875): 1,152 H100 SXM, 5 years,
discount rate 0.08, utilisation 0.85, sustained fraction 0.55, PUE 1.10, $0.06/kWh, $12 M/MW
facility, availability 0.995, IT power 700 W x (1 + 0.25 overhead) per accelerator. Its catalog:
H100 989 TFLOP/s dense and $25,000 (``src/orbitdc/data/accelerators.yaml``, commit 96c4c352),
maintenance 5 % of capex per year (``src/orbitdc/data/cost_structure.yaml``, commit 96c4c352).
Its definitions (``src/orbitdc/models/cost.py`` and ``earth_baseline.py``, commit 985b3875;
``src/orbitdc/core/constants.py``: 8,760 h per year): capex at t = 0, energy and maintenance at the
end of each whole year, delivered PFLOP-days and accelerator-hours discounted like the costs; cost
per unit = present value of cost / present value of units; delivered fraction = sustained x
availability x utilisation. Published result: ~$66 per PFLOP-day (README, commit 2dcd21ac;
``docs/whitepaper.md``, commit 9a72fa33; ``docs/vs-mccalip.md``, commit bcb0a1a2).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

import orbitaldc
from orbitaldc.closure.design import design_arrays
from orbitaldc.closure.kernel import close
from orbitaldc.economics import costs
from orbitaldc.physics.constants import SECONDS_PER_YEAR

SPEC = Path(__file__).resolve().parent / "data" / "peer_spacedc_earth_hyperscale.toml"

# The peer's reference case (sources in the module docstring).
N_ACC = 1152
CHIP_W = 700.0
IT_OVERHEAD = 0.25
CHIP_TFLOPS = 989.0
CHIP_USD = 25_000.0
PUE = 1.10
USD_PER_KWH = 0.06
FACILITY_USD_PER_MW = 12e6
AVAILABILITY = 0.995
UTILISATION = 0.85
SUSTAINED = 0.55
MAINTENANCE_FRACTION = 0.05
YEARS = 5
PEER_HOURS_PER_YEAR = 8760.0
PUBLISHED_USD_PER_PFLOP_DAY = 66.0

RATES = np.array([0.08, 0.0, 0.15])


def _peer_reference(rate: float, hours_per_year: float) -> tuple[float, float]:
    """The peer's documented definitions as explicit discounted sums (not our capital recovery
    factor): ($ per delivered PFLOP-day, $ per delivered accelerator-hour)."""
    it_w = N_ACC * CHIP_W * (1 + IT_OVERHEAD)
    capex = N_ACC * CHIP_USD + FACILITY_USD_PER_MW * it_w / 1e6
    energy = it_w / 1e3 * PUE * hours_per_year * UTILISATION * USD_PER_KWH
    opex = energy + MAINTENANCE_FRACTION * capex
    delivered = SUSTAINED * AVAILABILITY * UTILISATION
    pflop_days = N_ACC * CHIP_TFLOPS * delivered / 1e3 * 365.25
    acc_hours = N_ACC * hours_per_year * delivered
    discount = [(1 + rate) ** -t for t in range(1, YEARS + 1)]
    pv_cost = capex + sum(opex * f for f in discount)
    return pv_cost / sum(pflop_days * f for f in discount), pv_cost / sum(
        acc_hours * f for f in discount
    )


def _aligned() -> dict[str, np.ndarray]:
    """The peer's case closed by orbitaldc, its definitions aligned to the peer's, at ``RATES``.

    Overridable inputs go through ``design_arrays``; the rest are set on the design arrays that
    ``close`` takes (the spec has no key for them):
    - the 25 % IT overhead is folded into the chip's power (875 W, no separate host): the peer
      scales the whole 875 W with utilisation, we would keep a host at full power;
    - the software sustained fraction (0.55) is folded into the FLOP rate: we have none;
    - availability 0.995 is the site's, the accelerators' own is 1;
    - the facility is recovered over the 5-year horizon (the peer writes everything off over it);
    - the peer's maintenance, 5 % of all capex a year, is our site opex fraction (5 % of the
      facility) plus staff and maintenance per MW carrying 5 % of the chips' price.
    """
    spec = orbitaldc.load_spec(SPEC)
    n = RATES.size
    chip_w = CHIP_W * (1 + IT_OVERHEAD)
    d = design_arrays(
        spec,
        {
            "discount_rate": RATES,
            "acc_power_w": np.full(n, chip_w),
            "acc_unit_cost_usd": np.full(n, CHIP_USD),
            "utilisation": np.full(n, UTILISATION),
            "ground_chip_economic_life_years": np.full(n, float(YEARS)),
            "ground_networking_usd_per_accelerator": np.zeros(n),
            "site_facility_capex_usd_per_w": np.full(n, FACILITY_USD_PER_MW / 1e6),
        },
    )
    d["acc_host_power_w"] = np.zeros(n)
    d["acc_host_cost_usd"] = np.zeros(n)
    d["acc_flops"] = np.full(n, CHIP_TFLOPS * 1e12 * SUSTAINED)
    d["site_availability"] = np.full(n, AVAILABILITY)
    d["accelerator_availability"] = np.ones(n)
    d["site_facility_lifetime_years"] = np.full(n, float(YEARS))
    d["site_opex_fraction_per_year"] = np.full(n, MAINTENANCE_FRACTION)
    d["ground_staff_maintenance_usd_per_mw_year"] = np.full(
        n, MAINTENANCE_FRACTION * CHIP_USD / chip_w * 1e6
    )
    return close(d)


def test_spec_carries_the_peers_site_prices_and_horizon():
    spec = orbitaldc.load_spec(SPEC)
    d = design_arrays(spec)
    assert d["site_electricity_usd_per_kwh"][0] == pytest.approx(USD_PER_KWH, rel=1e-12)
    assert d["site_pue"][0] == PUE
    assert d["discount_rate"][0] == 0.08
    assert d["lifetime_s"][0] / SECONDS_PER_YEAR == pytest.approx(YEARS, rel=1e-12)


def test_aligned_ground_reproduces_the_peers_published_66_usd_per_pflop_day():
    r = _aligned()
    assert r["ground_accelerators"][0] == N_ACC  # 1.008 MW / 875 W, exactly
    ours = r["ground_cost_per_pflop_day_usd"][0]
    # The peer's figure is published to two significant figures ("$66", "~$66"): +-0.5 is 0.76 %.
    # Our definitions, aligned, give $66.04; the residual left by the alignment is < 1e-4
    # (test below), so a 1 % bound fails on any error above the published rounding.
    assert ours == pytest.approx(PUBLISHED_USD_PER_PFLOP_DAY, rel=0.01)
    # Reading of the peer's model checked too: its own sums give the published figure.
    assert _peer_reference(0.08, PEER_HOURS_PER_YEAR)[0] == pytest.approx(66.0, rel=0.01)


def test_aligned_ground_equals_the_peers_discounted_sums():
    r = _aligned()
    per_pflop_day = r["ground_cost_per_pflop_day_usd"]
    # The peer's hour is a *delivered* hour (x sustained 0.55 x utilisation 0.85); ours counts the
    # available accelerator-hours (x availability only): converted to the peer's definition.
    per_delivered_hour = r["ground_cost_per_accelerator_hour_usd"] / (SUSTAINED * UTILISATION)
    for i, rate in enumerate(RATES):
        # Same year length as ours (8,766 h): the only definitions left differing are our capital
        # recovery factor against the peer's present-value sums, which are identical for whole
        # years with capex at t = 0 (PV cost / PV units = (capex CRF + opex) / units), and at
        # r = 0 straight-line. So the agreement must be to rounding.
        ref_pflop, ref_hour = _peer_reference(float(rate), costs.HOURS_PER_YEAR)
        assert per_pflop_day[i] == pytest.approx(ref_pflop, rel=1e-12)
        assert per_delivered_hour[i] == pytest.approx(ref_hour, rel=1e-12)
        # With the peer's 8,760-h year: energy (~4 % of the cost) differs by 6/8,766 = 6.8e-4, so
        # the cost per PFLOP-day by ~3e-5; the hour count by the same 6.8e-4.
        peer_pflop, peer_hour = _peer_reference(float(rate), PEER_HOURS_PER_YEAR)
        assert per_pflop_day[i] == pytest.approx(peer_pflop, rel=1e-4)
        assert per_delivered_hour[i] == pytest.approx(peer_hour, rel=1e-3)
