"""Radiation environment: trapped belts (AE8/AP8 grid), geomagnetic cutoff, solar protons, GCR.

References are independent of the code under test: direct radbelt (NASA AEP8 + IGRF) calls, the
radbelt documentation example, published cutoff and flux values, and analytic identities.
"""

from __future__ import annotations

import numpy as np
import pytest

from orbitaldc.physics import constellation, fastmath, frames, geodetic
from orbitaldc.physics.fleet_shadow import positions_and_illumination
from orbitaldc.physics.frames import geodetic_to_ecef, gmst_rad, subsatellite_point
from orbitaldc.physics.radiation import (
    gcr,
    geomagnetic,
    solar_particles,
    trapped,
    trapped_screen,
    trapped_tables,
)

T0_S = 8.0e8  # 2025-05-09, s since J2000


def _sso_positions(altitude_m=650e3, n_sat=2, hours=24.0, step_s=60.0):
    el = constellation.sun_synchronous_planes(1, n_sat, altitude_m, 6.0, T0_S)
    t = T0_S + np.arange(0.0, hours * 3600.0, step_s)
    r, _ = positions_and_illumination(el, t, keep_positions=True)
    return r, t


# ---------------------------------------------------------------------------------------------
# trapped belts


@pytest.fixture(scope="module")
def radbelt():
    return pytest.importorskip("radbelt")


def _log_ratio_stats(grid, direct, floor):
    keep = direct > floor
    lr = np.abs(np.log(np.maximum(grid[keep], 1e-30) / direct[keep]))
    return keep.sum(), np.median(lr), np.quantile(lr, 0.9)


def test_grid_matches_direct_radbelt_at_random_leo_points(radbelt):
    """Random points at 300-1,500 km, |lat| < 60 deg: the grid reproduces AEP8 + IGRF 2025.

    Tolerances: the flux changes tenfold over ~100 km and a few degrees near the inner-belt edge;
    trilinear field interpolation on 3 deg x 50 km cells and bilinear (ln L, u) interpolation give
    a median error of a few per cent and a 90th percentile below 30 %, well inside the factor-2
    uncertainty of AE8/AP8 themselves (Vette 1991). The flux-weighted sum (what an orbit average
    sees) must agree within 5 %.
    """
    rng = np.random.default_rng(5)
    n = 150
    lat = rng.uniform(-60.0, 60.0, n)
    lon = rng.uniform(-180.0, 180.0, n)
    alt = rng.uniform(300.0, 1500.0, n)
    l_value, bb0 = radbelt.igrf(lon, lat, alt, 2025.0)
    # The field grid itself: L within 1 % (trilinear on a smooth field, 3 deg x 50 km); B/B0
    # within 3 %: it is rebuilt as (B_s/B0)^u, which multiplies an error in u by ln(B_s/B0), up to
    # ~7 on the high-L shells that reach these latitudes.
    l_grid, bb0_grid = trapped.magnetic_coordinates(
        np.radians(lat), np.radians(lon), alt * 1e3, 2025.0
    )
    np.testing.assert_allclose(l_grid, l_value, rtol=0.01)
    np.testing.assert_allclose(bb0_grid, bb0, rtol=0.03)
    for species, solar, energy, floor in (("p", "max", 10.0, 1.0), ("e", "max", 1.0, 100.0)):
        direct = np.asarray(radbelt.aep8(energy, l_value, bb0, species, solar), dtype=float)
        k = int(np.flatnonzero(trapped.energies_mev(species) == energy)[0])
        grid = trapped.integral_flux_per_cm2_s(
            np.radians(lat), np.radians(lon), alt * 1e3, species, solar, 2025.0
        )[:, k]
        count, median, p90 = _log_ratio_stats(grid, direct, floor)
        assert count >= 15, (species, count)
        assert median < 0.05, (species, median)
        assert p90 < 0.3, (species, p90)
        assert grid.sum() == pytest.approx(direct.sum(), rel=0.05)


def test_radbelt_documentation_example(radbelt):
    """radbelt's docstring: -45 lon, -30 lat, 500 km, >20 MeV, AP8MAX, 2021-03-01: 2642.5 /cm2/s.

    The shipped field is IGRF at 2025.0, not 2021.16. Tolerance: the secular change of the field
    over those 4 years, measured with radbelt itself at the point, plus the grid's interpolation
    error (5 %, previous test).
    """
    lat, lon, alt = np.radians(-30.0), np.radians(-45.0), 500e3
    k = int(np.flatnonzero(trapped.energies_mev("p") == 20.0)[0])
    grid = trapped.integral_flux_per_cm2_s(lat, lon, alt, "p", "max", 2025.0)[k]
    direct_2025 = float(radbelt.aep8(20.0, *radbelt.igrf(-45.0, -30.0, 500.0, 2025.0), "p", "max"))
    secular = abs(np.log(direct_2025 / 2642.5))
    assert abs(np.log(grid / 2642.5)) < secular + 0.05


def test_saa_is_where_published():
    """The >10 MeV proton maximum at 500 km sits in the South Atlantic Anomaly, ~45 W 30 S
    (radbelt example; Heirtzler 2002, J. Atmos. Sol.-Terr. Phys. 64, 1701), drifting west."""
    lat_deg, lon_deg, flux = trapped.flux_map(500e3, 10.0, "p", "min", 2025.0, step_deg=1.0)
    i, j = np.unravel_index(np.argmax(flux), flux.shape)
    assert -40.0 <= lat_deg[i] <= -15.0
    assert -75.0 <= lon_deg[j] <= -25.0
    # Away from the SAA the inner belt does not reach 500 km: over the Pacific equator ~zero.
    pacific = flux[np.argmin(np.abs(lat_deg)), np.argmin(np.abs(lon_deg - 170.0))]
    assert pacific < 1e-3 * flux[i, j]


def test_flux_rises_with_altitude_through_the_inner_belt():
    """AP8: >10 MeV protons at the SAA increase monotonically from 500 to 1,500 km (the inner-belt
    maximum is near L ~ 1.5, ~3,000 km above the SAA; Vette 1991)."""
    alt = np.arange(500e3, 1500e3 + 1, 100e3)
    k = int(np.flatnonzero(trapped.energies_mev("p") == 10.0)[0])
    f = trapped.integral_flux_per_cm2_s(
        np.radians(-30.0), np.radians(-45.0), alt, "p", "max", 2025.0
    )
    f = f[:, k]
    assert np.all(np.diff(f) > 0.0)


def test_orbit_average_kernel_equals_numpy_path_and_rises_with_altitude():
    """The compiled orbit kernel equals the mean of the numpy path at the samples' geodetic points
    (same grid, float32 tables: 1e-5 relative); orbit averages rise from 500 to 1,200 km."""
    r, t = _sso_positions(650e3, n_sat=2, hours=6.0)
    lat, lon, alt = subsatellite_point(r, t)
    for species in ("p", "e"):
        fast = trapped.orbit_average(r, t, species, "max")
        slow = trapped.integral_flux_per_cm2_s(lat, lon, alt, species, "max").mean(axis=1)
        np.testing.assert_allclose(fast, slow, rtol=1e-5, atol=1e-12)
    k = int(np.flatnonzero(trapped.energies_mev("p") == 10.0)[0])
    means = [
        trapped.orbit_average(*_sso_positions(h, 1, 24.0), "p", "min")[0, k]
        for h in (500e3, 800e3, 1200e3)
    ]
    assert means[0] < means[1] < means[2]


# SPENVIS 4.6.13 orbit-averaged AE8/AP8 spectra, 30 days from 2026-01-01 00:00 UT, circular,
# RAAN 0 (files polar_leo_spenvis_tri.txt and spenvis_tri.txt of github.com/tdloveless/me-radfx,
# HW/HW_02_Solutions): integral flux per cm^2 per s.
SPENVIS_CASES = {
    "825 km 98.8 deg": (825e3, 98.8, {10.0: 190.21, 100.0: 71.276}, {0.5: 22870.0, 1.0: 6130.9}),
    "530 km 53 deg": (530e3, 53.0, {10.0: 50.715, 100.0: 17.074}, {0.5: 6653.3, 1.0: 1898.6}),
}


@pytest.mark.parametrize("case", sorted(SPENVIS_CASES))
def test_orbit_average_matches_spenvis(case):
    """AP8MIN protons and AE8MAX electrons against SPENVIS with the 1970 field (the maps' own
    field era). SPENVIS runs AP8MIN (to our understanding) with the Jensen & Cain 1960 field: ten
    years of dipole decay earlier than our nearest epoch, which puts our low orbits slightly deeper in the belt; at 530 km
    that raises >10 MeV protons by ~20 % (the 1970-2025 spread at 500 km is 2.4x). Tolerance:
    protons above 10 MeV within 35 %, electrons above 0.5 MeV within 20 %."""
    from orbitaldc.physics.timescale import seconds_since_j2000

    altitude_m, inc_deg, protons, electrons = SPENVIS_CASES[case]
    t0 = float(seconds_since_j2000("2026-01-01T00:00:00"))
    el = constellation.single(altitude_m, np.radians(inc_deg), 0.0, t0)
    t = t0 + np.arange(0.0, 30 * 86400.0, 60.0)
    r, _ = positions_and_illumination(el, t, keep_positions=True)
    for species, solar, ref, tol in (("p", "min", protons, 0.35), ("e", "max", electrons, 0.2)):
        mean = trapped.orbit_average(r, t, species, solar, 1970.0)[0]
        e = trapped.energies_mev(species)
        for energy, value in ref.items():
            got = mean[np.flatnonzero(np.isclose(e, energy))[0]]
            assert abs(np.log(got / value)) < np.log(1.0 + tol), (species, energy, got, value)


def test_one_pass_equals_the_separate_calls():
    r, t = _sso_positions(650e3, n_sat=3, hours=6.0)
    both = trapped.trapped_along_orbit(r, t, "min", "max", 2025.0, series_energy_mev=10.0)
    np.testing.assert_array_equal(
        both.proton_mean_per_cm2_s, trapped.orbit_average(r, t, "p", "min", 2025.0)
    )
    np.testing.assert_array_equal(
        both.electron_mean_per_cm2_s, trapped.orbit_average(r, t, "e", "max", 2025.0)
    )
    np.testing.assert_array_equal(
        both.proton_series_per_cm2_s, trapped.flux_along_orbit(r, t, 10.0, "p", "min", 2025.0)
    )


def test_compiled_atan2_and_pow10_equal_numpy():
    """The kernel's Cephes atan2 and Cody-Waite 10**v (branch-free, so the energy loop
    vectorises) against numpy: atan2 to 1e-15 relative (a few units in the last place); 10**v to
    1e-12 relative, the bound of its degree-8 minimax polynomial (< 8e-13), justified because the
    shipped tables are float32 log10 fluxes (quantisation ~1e-7 in the exponent, ~3e-7 relative in
    flux) and AE8/AP8 are good to a factor ~2; both far below the 1e-5 the kernel is held to
    against the numpy path."""
    rng = np.random.default_rng(3)
    y, x = rng.normal(size=(2, 300)) * 10.0 ** rng.uniform(-3, 7, (2, 300))
    y = np.concatenate([y, [0.0, 1.0, -1.0, 0.0, 2.0, -2.0]])
    x = np.concatenate([x, [1.0, 0.0, 0.0, -1.0, -2.0, 2.0]])
    got = np.array([fastmath.atan2(a, b) for a, b in zip(y, x, strict=True)])
    np.testing.assert_allclose(got, np.arctan2(y, x), rtol=1e-15, atol=1e-300)
    v = np.concatenate([rng.uniform(-30.0, 10.0, 300), [-20.0, 0.0, 8.6]])
    got = np.array([fastmath.pow10(a) for a in v])
    np.testing.assert_allclose(got, np.exp(v * fastmath.LN10), rtol=1e-12)


def test_compiled_geodetic_matches_the_numpy_reference():
    """The compiled WGS-84 conversion (``geodetic.ecef_to_geodetic_kernel``, one Bowring step)
    against ``frames.ecef_to_geodetic`` (two steps, < 1e-12 rad) and the exact geodetic points the
    positions were made from, over the trapped grid's altitudes and a little beyond. Tolerances:
    latitude 4e-9 rad, the single step's error at 2,500 km (it grows with height; < 1e-9 rad below
    1,000 km, 2.5 cm on the ground, against a 3 deg field-grid cell); longitude 1e-15 rad (the
    Cephes atan2); height 1e-7 m (the height formula is first-order insensitive to the latitude
    error; rounding of ~7e6 m coordinates is ~1e-9 m)."""
    rng = np.random.default_rng(8)
    n = 4000
    lat = np.concatenate([np.arcsin(rng.uniform(-1.0, 1.0, n)), [np.pi / 2, -np.pi / 2, 0.0]])
    lon = np.concatenate([rng.uniform(-np.pi, np.pi, n), [0.0, 1.0, np.pi - 1e-12]])
    alt = np.concatenate([rng.uniform(-10e3, 2600e3, n), [500e3, 2500e3, 0.0]])
    ecef = frames.geodetic_to_ecef(lat, lon, alt)
    got = np.array([geodetic.ecef_to_geodetic_kernel(*p) for p in ecef]).T
    ref = frames.ecef_to_geodetic(ecef)
    for value, reference in ((got, ref), (got, (lat, lon, alt))):
        np.testing.assert_allclose(value[0], reference[0], rtol=0, atol=4e-9)
        np.testing.assert_allclose(value[2], reference[2], rtol=0, atol=1e-7)
    # Longitude at the poles is undefined; elsewhere the kernel's equals numpy's arctan2.
    off_pole = np.abs(lat) < np.pi / 2 - 1e-6
    np.testing.assert_allclose(got[1][off_pole], ref[1][off_pole], rtol=0, atol=1e-15)


def test_compiled_ln_equals_numpy():
    """The kernel's table-driven ln (branch-free, so its ln L loop vectorises) against np.log: to
    2e-15 absolute over the field's 1/L range and beyond (~1e-13 of a 0.01-wide ln L cell), ln 1
    exactly 0, and the sign kept just below 1, so the table-cell bounds agree with numpy's."""
    rng = np.random.default_rng(5)
    v = np.concatenate(
        [
            rng.uniform(0.05, 1.0, 2000),
            10.0 ** rng.uniform(-6.0, 3.0, 2000),
            [1.0, np.nextafter(1.0, 0.0), np.nextafter(1.0, 2.0), 0.75, 1.5, 1e-6, 0.5, 2.0],
        ]
    )
    got = np.array([fastmath.ln(a) for a in v])
    np.testing.assert_allclose(got, np.log(v), rtol=0, atol=2e-15)
    assert got[-8] == 0.0
    assert got[-7] < 0.0 < got[-6]


def test_dead_cells_have_zero_flux():
    """The kernel skips samples in field cells its mask marks dead; at random points in dead
    cells the numpy path must give zero flux for both tables (the mask is conservative)."""
    rng = np.random.default_rng(4)
    n = 200_000
    lat = np.arcsin(rng.uniform(-1.0, 1.0, n))
    lon = rng.uniform(-np.pi, np.pi, n)
    alt = rng.uniform(150e3, 2500e3, n)
    g = trapped_tables.load_grid()
    i0 = np.floor((np.degrees(lon) - g.lon0_deg) / g.lon_step_deg).astype(int) % g.n_lon
    j0 = np.minimum(
        np.floor((np.degrees(lat) - g.lat0_deg) / g.lat_step_deg).astype(int),
        g.inv_l.shape[2] - 2,
    )
    k0 = np.clip(np.searchsorted(g.alt_km, alt / 1e3, side="right") - 1, 0, g.alt_km.size - 2)
    for epoch in trapped.FIELD_EPOCHS:
        keys = (("p", "min"), ("e", "max"))
        live = trapped_screen.live_cells(trapped_tables.epoch_index(epoch), keys)
        dead = live[i0, j0, k0] == 0
        assert 0.2 < dead.mean() < 0.8
        for species, solar in keys:
            f = trapped.integral_flux_per_cm2_s(
                lat[dead], lon[dead], alt[dead], species, solar, epoch
            )
            assert np.all(f == 0.0), (epoch, species)


def test_coarse_screen_drops_only_dead_samples():
    """The kernel's coarse screen (trapped_screen.coarse_screen) lets samples skip the geodetic step only
    where they provably lie in dead field cells. End to end through the compiled kernel: at random
    points of the whole grid, and at points on the screen's latitude-bin and altitude edges, the
    kernel's value at each point (one sample per satellite) equals the numpy path's; a wrongly
    screened live point would read 0. Points just outside the grid's
    altitudes are still refused."""
    rng = np.random.default_rng(11)
    n = 150_000
    lat = np.arcsin(rng.uniform(-1.0, 1.0, n))
    lon = rng.uniform(-np.pi, np.pi, n)
    alt = rng.uniform(150e3, 2500e3, n)
    # Geocentric-latitude bin edges of the screen, at low altitude where the SAA and horns sit.
    edges = np.arcsin(np.linspace(-1.0, 1.0, trapped_screen.COARSE_N_LAT + 1))[1:-1]
    m = edges.size * 40
    lat_e = np.clip(np.repeat(edges, 40) + rng.normal(0.0, 0.004, m), -1.5, 1.5)
    lon_e = rng.uniform(-np.pi, np.pi, m)
    alt_e = rng.uniform(150e3, 1200e3, m)
    lat = np.concatenate([lat, lat_e, rng.uniform(-1.5, 1.5, 2000)])
    lon = np.concatenate([lon, lon_e, rng.uniform(-np.pi, np.pi, 2000)])
    alt = np.concatenate([alt, alt_e, np.where(rng.random(2000) < 0.5, 150.01e3, 2499.99e3)])
    t = np.array([8.6e8])
    theta = gmst_rad(t)[0]
    ecef = geodetic_to_ecef(lat, lon, alt)
    c, s = np.cos(theta), np.sin(theta)
    eci = np.stack(
        [c * ecef[:, 0] - s * ecef[:, 1], s * ecef[:, 0] + c * ecef[:, 1], ecef[:, 2]], axis=-1
    )
    for species, solar in (("p", "min"), ("e", "max")):
        fast = trapped.orbit_average(eci[:, None, :], t, species, solar)
        slow = trapped.integral_flux_per_cm2_s(lat, lon, alt, species, solar)
        assert (slow[:, 0] > 0).mean() > 0.2
        # No live point screened out (it would read exactly 0) ...
        assert not np.any((slow > 1e-15) & (fast == 0.0)), species
        # ... and the values agree to 2e-4 at single points (measured 9e-5 before the screen
        # existed, at points on steep loss-cone edges: the kernel's one-step geodetic point and
        # operation order; orbit averages agree to 1e-5, tested above).
        np.testing.assert_allclose(fast, slow, rtol=2e-4, atol=1e-12)
    for alt_out in (149.99e3, 2500.01e3):
        for lat_out in (0.0, 0.8, 1.55):
            r_out = geodetic_to_ecef(np.array([lat_out]), np.array([0.3]), np.array([alt_out]))
            r_eci = np.stack(
                [c * r_out[:, 0] - s * r_out[:, 1], s * r_out[:, 0] + c * r_out[:, 1], r_out[:, 2]],
                axis=-1,
            )
            with pytest.raises(ValueError, match="outside the trapped grid"):
                trapped.orbit_average(r_eci[:, None, :], t, "p", "min")


def test_fused_cutoff_histogram_equals_sorted_transmission():
    """The cutoff histogram of the fused pass against the numpy cutoff and the sort-based
    ``orbit_transmission``. With the energies' own rigidities as edges the two are the same sum
    (1e-12). With the fine 2,048-edge grid the histogram value lies between the exact
    transmission at the two edges of the energy's bucket (a 0.39 % rigidity shift at most);
    measured |difference| < 0.005 on an 80 deg orbit."""
    from orbitaldc.physics.frames import eci_to_ecef

    el = constellation.walker_delta(6, 3, 1, 550e3, np.radians(80.0), T0_S)
    t = T0_S + np.arange(0.0, 6 * 3600.0, 60.0)
    r, _ = positions_and_illumination(el, t, keep_positions=True)
    r_ecef = eci_to_ecef(r, t)
    radius = np.linalg.norm(r_ecef, axis=-1)
    rc = geomagnetic.stormer_vertical_cutoff_gv(
        geomagnetic.dipole_magnetic_latitude_rad(r_ecef), radius
    )
    shadow = geomagnetic.earth_shadow_factor(radius)
    e = np.geomspace(10.0, 400.0, 40)
    exact = geomagnetic.orbit_transmission(e, rc, shadow)
    assert 0.0 < exact[:, 0].mean() < exact[:, 20].mean() < exact[:, -1].mean() < 0.7
    edges = geomagnetic.rigidity_gv(e)
    env = trapped.trapped_along_orbit(
        r, t, "min", "max", series_energy_mev=None, cutoff_edges_gv=edges
    )
    assert env.proton_series_per_cm2_s.shape == (6, 0)
    np.testing.assert_allclose(env.cutoff_weights.sum(axis=1), shadow.mean(axis=1), rtol=1e-12)
    got = geomagnetic.transmission_from_histogram(e, env.cutoff_edges_gv, env.cutoff_weights)
    np.testing.assert_allclose(got, exact, rtol=0, atol=1e-12)

    fine = geomagnetic.cutoff_edges_gv()
    env = trapped.trapped_along_orbit(r, t, "min", "max", cutoff_edges_gv=fine)
    got = geomagnetic.transmission_from_histogram(e, fine, env.cutoff_weights)
    m = np.searchsorted(fine, edges)
    lo_r = np.concatenate([[0.0], fine])[m]
    hi_r = fine[m]

    def brute(rig):
        return ((rig[None, None, :] > rc[..., None]) * shadow[..., None]).mean(axis=1)

    assert np.all(got >= brute(lo_r) - 1e-12)
    assert np.all(got <= brute(hi_r) + 1e-12)
    assert np.abs(got - exact).max() < 0.005
    # Energies of heavier ions use the same histogram.
    fe = geomagnetic.transmission_from_histogram(e, fine, env.cutoff_weights, 56, 26)
    assert np.all(fe >= got)
    with pytest.raises(ValueError, match="weights"):
        geomagnetic.transmission_from_histogram(e, fine, env.cutoff_weights[:, :-1])
    with pytest.raises(ValueError, match="cutoff_edges_gv"):
        trapped.trapped_along_orbit(r, t, "min", "max", cutoff_edges_gv=[1.0, 0.5])


def test_field_epoch_spread_is_documented():
    """The 2025/1970 ratio of the 650 km SSO orbit-averaged >10 MeV AP8MIN flux stated in the
    module docstring is what the grid gives (24 satellites x 3 days; 5 % for the rounding)."""
    el = constellation.sun_synchronous_planes(4, 6, 650e3, 6.0, T0_S)
    t = T0_S + np.arange(0.0, 3 * 86400.0, 60.0)
    r, _ = positions_and_illumination(el, t, keep_positions=True)
    k = int(np.flatnonzero(trapped.energies_mev("p") == 10.0)[0])
    new = trapped.orbit_average(r, t, "p", "min", 2025.0)[:, k].mean()
    old = trapped.orbit_average(r, t, "p", "min", 1970.0)[:, k].mean()
    assert new / old == pytest.approx(trapped.FIELD_EPOCH_SPREAD_650KM, rel=0.05)


def test_flux_along_orbit_and_saa_passes():
    """A 650 km SSO crosses the SAA on ~6 ascending and ~6 descending orbits a day (at 650 km the
    anomaly spans ~100-130 deg of longitude); every pass peaks inside the SAA (50-10 S, 100 W -
    45 E), inside [entry, exit], at the maximum of its pass."""
    r, t = _sso_positions(650e3, n_sat=2, hours=24.0)
    series = trapped.flux_along_orbit(r, t, 10.0, "p", "max", 2025.0)
    passes = trapped.saa_passes(t, series, 1.0)
    per_sat = np.bincount(passes.satellite, minlength=2)
    assert np.all((per_sat >= 6) & (per_sat <= 16))
    lat, lon, _ = subsatellite_point(r, t)
    i_t = np.searchsorted(t, passes.peak_t_s)
    assert np.all(
        (np.degrees(lat[passes.satellite, i_t]) > -50)
        & (np.degrees(lat[passes.satellite, i_t]) < -10)
    )
    assert np.all(
        (np.degrees(lon[passes.satellite, i_t]) > -100)
        & (np.degrees(lon[passes.satellite, i_t]) < 45)
    )
    assert np.all(passes.entry_t_s <= passes.peak_t_s)
    assert np.all(passes.peak_t_s <= passes.exit_t_s)
    for s, t_in, t_out, peak in zip(
        passes.satellite, passes.entry_t_s, passes.exit_t_s, passes.peak_flux_per_cm2_s, strict=True
    ):
        window = series[s, (t >= t_in) & (t <= t_out)]
        assert peak == window.max()
        assert np.all(window > 1.0)


def test_saa_passes_on_a_hand_made_series():
    t = np.arange(10.0)
    f = np.array([[0, 5, 7, 3, 0, 0, 9, 9, 0, 4], [0, 0, 0, 0, 0, 0, 0, 0, 0, 0]], dtype=float)
    p = trapped.saa_passes(t, f, 1.0)
    np.testing.assert_array_equal(p.satellite, [0, 0, 0])
    np.testing.assert_array_equal(p.entry_t_s, [1, 6, 9])
    np.testing.assert_array_equal(p.exit_t_s, [3, 7, 9])
    np.testing.assert_array_equal(p.peak_t_s, [2, 6, 9])
    np.testing.assert_array_equal(p.peak_flux_per_cm2_s, [7, 9, 4])


def test_orbit_outside_the_grid_is_refused():
    r, t = _sso_positions(3000e3, n_sat=1, hours=1.0)
    with pytest.raises(ValueError, match="r_eci_m"):
        trapped.orbit_average(r, t, "p", "max")
    with pytest.raises(ValueError, match="t_s"):
        trapped.orbit_average(r, t[:-1], "p", "max")


def test_trapped_bad_input_is_named():
    with pytest.raises(ValueError, match="alt_m"):
        trapped.integral_flux_per_cm2_s(0.0, 0.0, 100e3, "p", "max")
    with pytest.raises(ValueError, match="lon_rad"):
        trapped.integral_flux_per_cm2_s(0.0, np.nan, 500e3, "p", "max")
    with pytest.raises(ValueError, match="species"):
        trapped.integral_flux_per_cm2_s(0.0, 0.0, 500e3, "x", "max")
    with pytest.raises(ValueError, match="solar"):
        trapped.integral_flux_per_cm2_s(0.0, 0.0, 500e3, "p", "mean")
    with pytest.raises(ValueError, match="field_epoch"):
        trapped.integral_flux_per_cm2_s(0.0, 0.0, 500e3, "p", "max", 2000.0)
    with pytest.raises(ValueError, match="energy_mev"):
        trapped.flux_map(500e3, 11.0, "p", "max")


# ---------------------------------------------------------------------------------------------
# geomagnetic cutoff


def test_stormer_cutoff_at_the_equator_is_the_published_15_gv():
    """Vertical cutoff at the geomagnetic equator on the surface: 14.9 GV for the dipole moment of
    the mid-20th century (Smart & Shea 2005). The IGRF-13 2020 dipole is ~5 % weaker (B0 29,806 nT
    against ~31,200 nT), hence the 7 % tolerance."""
    rc = geomagnetic.stormer_vertical_cutoff_gv(0.0, geomagnetic.IGRF_REFERENCE_RADIUS_M)
    assert rc == pytest.approx(14.9, rel=0.07)
    assert geomagnetic.stormer_vertical_cutoff_gv(np.radians(90.0), 7e6) == pytest.approx(0.0)


def test_dipole_axis_points_at_the_published_geomagnetic_pole():
    """IGRF-13 north geomagnetic pole for 2020: 80.65 N, 72.68 W (geocentric; NOAA/NCEI pole
    table). Tolerance 0.1 deg: the 2020.0 coefficients put it at 80.59 N and the pole moves
    ~0.05 deg a year, so the published value's exact epoch matters at that level."""
    lat, lon = np.radians(80.65), np.radians(-72.68)
    pole = np.array([np.cos(lat) * np.cos(lon), np.cos(lat) * np.sin(lon), np.sin(lat)]) * 7e6
    lam = geomagnetic.dipole_magnetic_latitude_rad(pole)
    assert np.degrees(lam) == pytest.approx(90.0, abs=0.1)


def test_l_fit_and_dipole_cutoff_agree_for_a_dipole_shell():
    """Shea et al. (1987) 15.96 L^-2.005 and the Stormer dipole 14.2 cos^4 / r^2 with
    cos^2 = r / L (so R_c = 14.2 / L^2) are independent; they differ by their constants
    (trajectory-traced, 1965 field vs 2020 dipole): within 15 % from L = 1.2 to 6."""
    l_value = np.array([1.2, 2.0, 4.0, 6.0])
    r_m = 1.1 * geomagnetic.IGRF_REFERENCE_RADIUS_M
    lam = np.arccos(np.sqrt(1.1 / l_value))
    dip = geomagnetic.stormer_vertical_cutoff_gv(lam, r_m)
    np.testing.assert_allclose(geomagnetic.cutoff_from_l_gv(l_value), dip, rtol=0.15)


def test_rigidity_energy_round_trip_and_known_value():
    """A 1 GeV proton has p c = sqrt(T (T + 2 m)) = 1.696 GeV (m = 938.272 MeV)."""
    assert geomagnetic.rigidity_gv(1000.0) == pytest.approx(1.6960, rel=1e-4)
    e = np.array([1.0, 100.0, 1e4])
    for a, z in ((1, 1), (4, 2), (56, 26)):
        r = geomagnetic.rigidity_gv(e, a, z)
        np.testing.assert_allclose(geomagnetic.kinetic_energy_mev_per_n(r, a, z), e, rtol=1e-10)


def test_transmission_limits_and_brute_force():
    """Low-energy protons never reach an equatorial LEO; 100 GeV protons always do (up to Earth
    shadowing); the sorted computation equals a direct average over samples."""
    r, t = _sso_positions(650e3, n_sat=1, hours=3.0)
    el = constellation.single(650e3, 0.0, 0.0, T0_S)
    r_eq, _ = positions_and_illumination(el, t, keep_positions=True)
    from orbitaldc.physics.frames import eci_to_ecef

    lam = geomagnetic.dipole_magnetic_latitude_rad(eci_to_ecef(r_eq, t))
    rad = np.linalg.norm(r_eq, axis=-1)
    rc = geomagnetic.stormer_vertical_cutoff_gv(lam, rad)
    shadow = geomagnetic.earth_shadow_factor(rad)
    e = np.array([10.0, 100.0, 1e5])
    tr = geomagnetic.orbit_transmission(e, rc, shadow)
    assert tr[0, 0] == 0.0
    assert tr[0, 2] == pytest.approx(shadow.mean())
    assert shadow.mean() == pytest.approx(0.69, abs=0.01)  # (1 + cos(asin(6478/7028))) / 2
    # High L (cutoff ~0): transmission is the shadow factor alone.
    tr_polar = geomagnetic.orbit_transmission(e, np.zeros((1, 5)))
    np.testing.assert_allclose(tr_polar, 1.0)
    rng = np.random.default_rng(1)
    rc2 = rng.uniform(0.0, 15.0, (3, 200))
    s2 = rng.uniform(0.5, 1.0, (3, 200))
    e2 = np.geomspace(10.0, 1e5, 9)
    brute = ((geomagnetic.rigidity_gv(e2)[None, None, :] > rc2[..., None]) * s2[..., None]).mean(1)
    np.testing.assert_allclose(geomagnetic.orbit_transmission(e2, rc2, s2), brute, rtol=1e-12)


def test_attenuate_integral_spectrum():
    e = np.array([10.0, 30.0, 100.0])
    j = np.array([1e9, 1e8, 1e7])
    np.testing.assert_allclose(
        geomagnetic.attenuate_integral_spectrum(e, j, np.full(3, 0.4)), 0.4 * j
    )
    # Blocked below 30 MeV, open above: nothing changes above 30 MeV; the first interval counts
    # half (mean of its end transmissions).
    out = geomagnetic.attenuate_integral_spectrum(e, j, np.array([0.0, 1.0, 1.0]))
    np.testing.assert_allclose(out, [1e8 + 0.5 * 9e8, 1e8, 1e7])
    with pytest.raises(ValueError, match="transmission"):
        geomagnetic.attenuate_integral_spectrum(e, j, np.full(3, 1.5))


# ---------------------------------------------------------------------------------------------
# galactic cosmic rays


def test_gcr_protons_match_ams02_at_100_gv():
    """AMS-02: R^2.7 x proton flux ~1.2-1.3e4 m^-2 sr^-1 s^-1 GV^1.7 near 100 GV (Aguilar et al.
    2015, PRL 114, 171103, Fig. 2), where solar modulation is < 1 %. Tolerance 15 % (the LIS fit
    and the flux difference per GeV vs per GV, < 1 % at 100 GV)."""
    r = 100.0
    t_mev = geomagnetic.kinetic_energy_mev_per_n(r)
    j_omni = gcr.gcr_spectra(np.array([t_mev]), 450.0)[0, 0]  # per cm^2 s MeV
    intensity = j_omni / (4 * np.pi) * 1e4 * 1e3  # per m^2 s sr GeV
    assert intensity * r**2.7 == pytest.approx(1.25e4, rel=0.15)


def test_gcr_at_a_polar_orbit_matches_creme96():
    """SPENVIS 4.6.13 CREME96 GCR, solar minimum, magnetic shielding on, 825 km 98.8 deg from
    2026-01-01 (github.com/tdloveless/me-radfx, HW/HW_02_Solutions/polar_leo_spenvis_gcf.txt):
    integral flux above 1 MeV/n, per (m^2 sr s). Ours: force field at 450 MV behind the Stormer
    cutoff and Earth shadow along the same orbit. Different LIS, modulation and cutoff models
    (CREME96: Nymmik spectra, trajectory-traced cutoffs): a factor 1.6 (measured 0.9-1.5)."""
    from orbitaldc.physics.frames import eci_to_ecef
    from orbitaldc.physics.timescale import seconds_since_j2000

    t0 = float(seconds_since_j2000("2026-01-01T00:00:00"))
    el = constellation.single(825e3, np.radians(98.8), 0.0, t0)
    t = t0 + np.arange(0.0, 3 * 86400.0, 60.0)
    r, _ = positions_and_illumination(el, t, keep_positions=True)
    radius = np.linalg.norm(r, axis=-1)
    lam = geomagnetic.dipole_magnetic_latitude_rad(eci_to_ecef(r, t))
    cutoff = geomagnetic.stormer_vertical_cutoff_gv(lam, radius)
    shadow = geomagnetic.earth_shadow_factor(radius)
    e = np.geomspace(1.0, 1e5, 151)
    spectra = gcr.gcr_spectra(e, gcr.PHI_SOLAR_MIN_MV)
    creme96 = {"H": 1.2602e3, "He": 1.3490e2, "O": 3.5653, "Fe": 0.40247}
    for name, ref in creme96.items():
        k = gcr.SYMBOLS.index(name)
        tr = geomagnetic.orbit_transmission(e, cutoff, shadow, int(gcr.A[k]), int(gcr.Z[k]))[0]
        integral = gcr.integral_from_differential(e, spectra[k] * tr)[0] / (4 * np.pi) * 1e4
        assert abs(np.log(integral / ref)) < np.log(1.6), (name, integral, ref)


def test_force_field_identities():
    """phi = 0 returns the Burger et al. LIS (written out here independently); modulation lowers
    the 1 GeV flux, more at solar maximum; He is modulated with Z/A = 1/2."""
    e = np.array([100.0, 1000.0, 10000.0, 100000.0])
    t = e / 1000.0
    p = np.sqrt(t * (t + 2 * 0.93827208816))
    lis = 1.9e4 * p**-2.78 / (1 + 0.4866 * p**-2.51) * 4 * np.pi * 1e-7
    np.testing.assert_allclose(gcr.gcr_spectra(e, 0.0)[0], lis, rtol=1e-12)
    swing = (
        gcr.gcr_spectra(e, gcr.PHI_SOLAR_MIN_MV)[0] / gcr.gcr_spectra(e, gcr.PHI_SOLAR_MAX_MV)[0]
    )
    # Modulation matters less as energy rises: the solar-cycle swing falls with energy and is
    # below 5 % at 100 GeV (force field: ~2.8 Delta Phi / T = 0.02 there).
    assert np.all(np.diff(swing) < 0.0) and swing[-1] < 1.05
    he = gcr.gcr_spectra(e, 600.0)[1]
    t_he = t + 0.5 * 0.6
    m = 0.93149410242
    p_he = np.sqrt(t_he * (t_he + 2 * 0.93827208816))
    lis_he = 1.9e4 * p_he**-2.78 / (1 + 0.4866 * p_he**-2.51) * 4 * np.pi * 1e-7
    expect = gcr.ABUNDANCE[1] * lis_he * t * (t + 2 * m) / (t_he * (t_he + 2 * m))
    np.testing.assert_allclose(he, expect, rtol=1e-12)
    assert gcr.Z.size == gcr.A.size == gcr.ABUNDANCE.size == 28


def test_gcr_integral_of_a_power_law():
    """Integral of j = E^-3 above E is E^-2 / 2 (analytic); trapezoid in ln E on 50 points per
    decade is within 0.1 %."""
    e = np.geomspace(10.0, 1e5, 201)
    out = gcr.integral_from_differential(e, e**-3.0)
    np.testing.assert_allclose(out, e**-2.0 / 2.0, rtol=1e-3)


# ---------------------------------------------------------------------------------------------
# solar protons


def test_jpl91_short_mission_matches_poisson_lognormal():
    """For w T = 0.02 events, P(no event) = 0.980, one event 0.0196, two 0.0002: the 99 % fluence
    solves P0 + P1 Phi(x) + P2 G2 = 0.99 with 0 <= G2 <= 1 (analytic bounds, x within +-0.03 of
    the single-event median 10^8.27 per cm^2, Feynman et al. 1993). Tolerance 5 % on top (Monte
    Carlo: ~4,000 of the 200,000 missions have an event)."""
    from scipy.stats import norm, poisson

    years = 0.02 / solar_particles.JPL91_EVENTS_PER_ACTIVE_YEAR
    p0, p1, p2 = poisson.pmf([0, 1, 2], 0.02)
    lo = 10 ** (8.27 + 0.59 * norm.ppf((0.99 - p0 - p2) / p1))
    hi = 10 ** (8.27 + 0.59 * norm.ppf((0.99 - p0) / p1))
    got = solar_particles.mission_fluence_per_cm2(np.array([10.0]), years, 0.99)[0]
    assert lo / 1.05 <= got <= hi * 1.05
    assert solar_particles.mission_fluence_per_cm2(np.array([10.0]), years, 0.97)[0] == 0.0


def test_jpl91_spectrum_shape_and_confidence():
    e = np.array([10.0, 30.0, 60.0, 100.0, 200.0, 400.0])
    f = solar_particles.mission_fluence_per_cm2(e, 7.0, [0.5, 0.9, 0.95, 0.99])
    assert np.all(np.diff(f, axis=1) <= 0.0)  # integral spectra fall with energy
    assert np.all(np.diff(f, axis=0) > 0.0)  # higher confidence, more fluence
    # The median 7-year fluence is of the order of the mean event rate times the mean event
    # fluence: w T 10^(mu + (sigma ln10)^2 / 2 / ln10) = 2.0e10 (analytic compound-Poisson mean),
    # and the median lies below the mean of this right-skewed sum.
    mean = 6.15 * 7.0 * 10 ** (8.27 + 0.59**2 * np.log(10) / 2)
    assert 0.3 * mean < f[0, 0] < mean


def test_jpl91_against_spenvis_esp_psychic_above_100_mev():
    """SPENVIS 4.6.13 ESP-PSYCHIC, 95 %, quiet magnetosphere (github.com/tdloveless/me-radfx,
    HW/HW_02_Solutions/heo_spenvis_sef.txt: 2 active years, >100 MeV 1.4497e9 at attenuation
    0.903; polar_leo_spenvis_sef.txt: 3 active years, 5.4039e8 at 0.2138): interplanetary
    >100 MeV fluence 1.61e9 and 2.53e9 per cm^2. Two independent models built on different event
    sets: JPL-91 within a factor 1.5 (measured 0.8). Below 60 MeV they differ by ~5x (documented
    in solar_particles, not asserted)."""
    for years, esp in ((2.0, 1.4497e9 / 0.903), (3.0, 5.4039e8 / 0.2138)):
        got = solar_particles.mission_fluence_per_cm2(np.array([100.0]), years, 0.95)[0]
        assert abs(np.log(got / esp)) < np.log(1.5)


def test_solar_active_years():
    """Any 11-year window holds exactly 7 active years (the JPL-91 convention)."""
    for start in (2020.0, 2023.3, 2031.7):
        assert solar_particles.solar_active_years(start, 11.0) == pytest.approx(7.0)
    assert solar_particles.solar_active_years(2025.0, 1.0) == pytest.approx(1.0)
    with pytest.raises(ValueError, match="energies_mev"):
        solar_particles.mission_fluence_per_cm2(np.array([5.0]), 1.0)
    with pytest.raises(ValueError, match="confidence"):
        solar_particles.mission_fluence_per_cm2(np.array([10.0]), 1.0, 0.3)
