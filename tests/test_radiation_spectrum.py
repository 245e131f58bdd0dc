"""The spectrum helpers against analytic power laws (exact for log-log interpolation)."""

import numpy as np
import pytest

from orbitaldc.physics.radiation import spectrum


def test_power_law_is_reproduced_exactly():
    # J(E) = 1e4 E^-2 is a straight line in log-log, so interpolation and the log slope are exact:
    # j(E) = -dJ/dE = 2e4 E^-3. Tolerance is float round-off.
    e = np.geomspace(1.0, 100.0, 5)
    integral = 1e4 * e**-2.0
    at = np.array([1.7, 5.0, 33.0])
    assert np.allclose(spectrum.interpolate_integral(e, integral, at), 1e4 * at**-2.0, rtol=1e-12)
    assert np.allclose(spectrum.differential_from_integral(e, integral), 2e4 * e**-3.0, rtol=1e-12)


def test_above_the_grid_is_zero_and_below_is_clamped():
    e = np.array([1.0, 10.0])
    integral = np.array([[100.0, 1.0], [50.0, 0.0]])
    out = spectrum.interpolate_integral(e, integral, [0.1, 20.0])
    assert np.allclose(out[:, 0], [100.0, 50.0])
    assert np.all(out[:, 1] == 0.0)
    assert np.all(np.isfinite(spectrum.differential_from_integral(e, integral)))


@pytest.mark.parametrize("bad", [[1.0], [2.0, 1.0], [0.0, 1.0], [1.0, np.nan]])
def test_bad_energy_grid_is_named(bad):
    with pytest.raises(ValueError, match="energies_mev"):
        spectrum.check_grid(bad)
