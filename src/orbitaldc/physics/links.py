"""Inter-satellite link budgets: optical Gaussian beams with DWDM channels, and RF crosslinks.

Every function is vectorised: distances (and any parameter) broadcast, so one call gives the
budget of every link at every time, e.g. a ``(link, time)`` array of distances.

Optical model (the *equivalent Gaussian beam*). The transmitter fills its aperture of radius
``a`` with a Gaussian of 1/e^2 radius ``w_t = a / alpha`` (``alpha`` the truncation ratio) that the
aperture cuts off. Two exact results fix the beam that is then propagated:

- the aperture passes the fraction ``T = 1 - exp(-2 alpha^2)`` of the power (Siegman, *Lasers*,
  1986, ch. 17: power through a circular aperture of a Gaussian beam);
- the far-field on-axis gain is ``g(alpha) (2 pi a / lambda)^2`` with the aperture efficiency
  ``g = (2 / alpha^2) (1 - exp(-alpha^2))^2`` (Klein & Degnan, Appl. Opt. 13 (1974) 2134,
  without central obscuration): ``g(1) = 0.799``, the maximum ``0.8145`` at ``alpha = 1.121``.

The propagated beam is the Gaussian that carries ``T`` of the power and has that far-field gain:
waist ``w0 = a sqrt(g / 2 T)`` (0.68 a at ``alpha = 1``), Rayleigh range ``z_R = pi w0^2 /
lambda``, radius ``w(z) = w0 sqrt(1 + (z / z_R)^2)`` (Siegman ch. 17). The power a receive
aperture of radius ``b`` on the beam axis collects is the exact Gaussian fraction
``1 - exp(-2 b^2 / w(z)^2)``: it tends to 1 in the near field (the regime of Suncatcher's
100 m-1 km links, where the whole transmitted power is caught) and to Friis's law with the
Klein-Degnan gain in the far field. Between the two limits the truncated beam's Fresnel ripple is
smoothed over; at ``z = 0`` the model collects 98.7 % of the truncated power through an equal
aperture where the truncated beam gives 100 %.

The default ``alpha = 1`` (waist at the aperture edge) gives ``g = 0.799``, the "~80 %
efficiency" of Suncatcher (arXiv 2511.19468 sec. 4.2), whose confocal range is
``pi a^2 / lambda`` = 5.07 km for ``a`` = 5 cm (:func:`rayleigh_range_m` of the aperture radius).

RF model: Friis's transmission formula (Friis, Proc. IRE 34 (1946) 254) with the thermal noise
``k T B`` and Shannon's capacity ``B log2(1 + SNR)`` (Shannon, Bell Syst. Tech. J. 27 (1948) 379).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from orbitaldc.physics.constants import C_M_S

#: Boltzmann constant, J/K (exact in the 2019 SI; CODATA 2018).
BOLTZMANN_J_PER_K = 1.380649e-23


def db_to_linear(value_db: ArrayLike) -> np.ndarray:
    """Power ratio from decibels, ``10^(dB / 10)``."""
    return 10.0 ** (np.asarray(value_db, dtype=float) / 10.0)


def linear_to_db(ratio: ArrayLike) -> np.ndarray:
    """Decibels from a power ratio, ``10 log10(ratio)``."""
    return 10.0 * np.log10(np.asarray(ratio, dtype=float))


def antenna_gain(diameter_m: ArrayLike, wavelength_m: ArrayLike, efficiency: ArrayLike = 1.0):
    """Far-field gain of a circular aperture, ``eta 4 pi A / lambda^2 = eta (pi D / lambda)^2``.

    Dimensionless (linear). Kraus, *Antennas*, 2nd ed. (1988) ch. 2 with ``A_e = eta A``;
    Suncatcher's 10 cm aperture at 1.55 um and 80 % efficiency gives 105.17 dB.
    """
    d = np.asarray(diameter_m, dtype=float)
    return np.asarray(efficiency, dtype=float) * (np.pi * d / np.asarray(wavelength_m)) ** 2


def free_space_path_gain(distance_m: ArrayLike, wavelength_m: ArrayLike) -> np.ndarray:
    """Friis free-space factor ``(lambda / 4 pi z)^2`` (the inverse of the path loss)."""
    return (np.asarray(wavelength_m, dtype=float) / (4.0 * np.pi * np.asarray(distance_m))) ** 2


def friis_received_power_w(
    tx_power_w: ArrayLike,
    tx_gain: ArrayLike,
    rx_gain: ArrayLike,
    distance_m: ArrayLike,
    wavelength_m: ArrayLike,
    losses_db: ArrayLike = 0.0,
) -> np.ndarray:
    """Received power ``P_t G_t G_r (lambda / 4 pi z)^2 10^(-L/10)``, W (Friis 1946).

    Gains are linear; ``losses_db`` >= 0 is every other loss (pointing, polarisation,
    implementation) in dB. Valid in the far field only (``z`` >> the Rayleigh range).
    """
    return (
        np.asarray(tx_power_w, dtype=float)
        * np.asarray(tx_gain)
        * np.asarray(rx_gain)
        * free_space_path_gain(distance_m, wavelength_m)
        / db_to_linear(losses_db)
    )


def airy_divergence_rad(diameter_m: ArrayLike, wavelength_m: ArrayLike) -> np.ndarray:
    """Half-angle to the first null of a uniformly lit circular aperture, ``1.22 lambda / D``.

    Born & Wolf, *Principles of Optics*, 7th ed., sec. 8.5.2 (the Airy pattern). Suncatcher
    (arXiv 2511.19468 sec. 4.2) uses it for the spot: 18.9 urad and ~95 m radius at 5,000 km for
    10 cm at 1.55 um.
    """
    return 1.22 * np.asarray(wavelength_m, dtype=float) / np.asarray(diameter_m)


def rayleigh_range_m(waist_radius_m: ArrayLike, wavelength_m: ArrayLike) -> np.ndarray:
    """Rayleigh (half the confocal) range ``pi w0^2 / lambda`` of a Gaussian waist, m.

    Siegman, *Lasers* (1986) ch. 17. Suncatcher's "confocal range" ``pi a^2 / lambda`` is this
    with the aperture radius ``a`` as the waist: 5.07 km for 5 cm at 1.55 um.
    """
    return np.pi * np.asarray(waist_radius_m, dtype=float) ** 2 / np.asarray(wavelength_m)


def gaussian_divergence_rad(waist_radius_m: ArrayLike, wavelength_m: ArrayLike) -> np.ndarray:
    """Far-field 1/e^2 half-angle of a Gaussian beam, ``lambda / (pi w0)``, rad (Siegman ch. 17)."""
    return np.asarray(wavelength_m, dtype=float) / (np.pi * np.asarray(waist_radius_m))


def beam_radius_m(distance_m: ArrayLike, waist_radius_m: ArrayLike, wavelength_m: ArrayLike):
    """1/e^2 intensity radius ``w(z) = w0 sqrt(1 + (z / z_R)^2)`` at ``z`` from the waist, m."""
    z_r = rayleigh_range_m(waist_radius_m, wavelength_m)
    return np.asarray(waist_radius_m) * np.sqrt(1.0 + (np.asarray(distance_m) / z_r) ** 2)


def truncation_transmission(truncation_ratio: ArrayLike) -> np.ndarray:
    """Power fraction of a Gaussian passing a circular aperture, ``1 - exp(-2 alpha^2)``.

    ``alpha = a / w`` is the aperture radius over the beam's 1/e^2 radius (Siegman ch. 17).
    """
    return -np.expm1(-2.0 * np.asarray(truncation_ratio, dtype=float) ** 2)


def truncated_gaussian_efficiency(truncation_ratio: ArrayLike) -> np.ndarray:
    """Far-field on-axis aperture efficiency of a truncated Gaussian, ``(2/alpha^2)(1-e^-alpha^2)^2``.

    Klein & Degnan, Appl. Opt. 13 (1974) 2134, with no central obscuration: the gain over
    that of the uniformly lit aperture, 0.799 at ``alpha = 1`` and 0.8145 at the optimum 1.121.
    """
    alpha2 = np.asarray(truncation_ratio, dtype=float) ** 2
    return 2.0 / alpha2 * np.expm1(-alpha2) ** 2


def equivalent_waist_m(aperture_diameter_m: ArrayLike, truncation_ratio: ArrayLike = 1.0):
    """Waist ``a sqrt(g / 2 T)`` of the equivalent Gaussian beam (module docstring), m.

    The Gaussian carrying the transmitted fraction ``T`` whose far-field on-axis intensity equals
    the truncated aperture's (on-axis intensity ``2 P T / pi w^2`` with ``w -> lambda z / pi w0``).
    """
    a = 0.5 * np.asarray(aperture_diameter_m, dtype=float)
    g = truncated_gaussian_efficiency(truncation_ratio)
    return a * np.sqrt(g / (2.0 * truncation_transmission(truncation_ratio)))


def gaussian_capture_fraction(rx_radius_m: ArrayLike, beam_radius_m: ArrayLike) -> np.ndarray:
    """Power fraction of a centred Gaussian of 1/e^2 radius ``w`` inside radius ``b``.

    ``1 - exp(-2 b^2 / w^2)`` (Siegman ch. 17); 1 when the beam is much smaller than the
    aperture, ``2 b^2 / w^2`` (the far-field Friis limit) when much larger.
    """
    b = np.asarray(rx_radius_m, dtype=float)
    return -np.expm1(-2.0 * b**2 / np.asarray(beam_radius_m) ** 2)


def pointing_jitter_loss(jitter_rad: ArrayLike, beam_half_angle_rad: ArrayLike) -> np.ndarray:
    """Mean intensity loss from random pointing jitter, ``1 / (1 + 4 sigma^2 / theta^2)``.

    ``sigma`` is the rms jitter per axis (two independent zero-mean Gaussian axes, so the radial
    error is Rayleigh distributed) and ``theta`` the beam's 1/e^2 half-angle: the mean of
    ``exp(-2 psi^2 / theta^2)`` over the jitter (Toyoshima, Jono, Nakagawa & Yamamoto, JOSA A 19
    (2002) 567). It is the mean, not an outage fade; at a receiver inside the beam's near
    field, where the receive aperture is not small against the beam, it is pessimistic.
    """
    sigma = np.asarray(jitter_rad, dtype=float)
    return 1.0 / (1.0 + 4.0 * sigma**2 / np.asarray(beam_half_angle_rad) ** 2)


def optical_received_power_w(
    distance_m: ArrayLike,
    tx_power_w: ArrayLike,
    tx_aperture_m: ArrayLike,
    rx_aperture_m: ArrayLike,
    wavelength_m: ArrayLike,
    truncation_ratio: ArrayLike = 1.0,
    tx_efficiency: ArrayLike = 1.0,
    rx_efficiency: ArrayLike = 1.0,
    jitter_rad: ArrayLike = 0.0,
    losses_db: ArrayLike = 0.0,
) -> np.ndarray:
    """Received optical power over an inter-satellite link, W (equivalent Gaussian beam).

    ``P_t eta_t T(alpha) (1 - exp(-2 b^2 / w(z)^2)) eta_r L_jitter 10^(-L/10)``: transmit power
    ``tx_power_w`` through transmit optics ``tx_efficiency``, cut by the aperture (diameter
    ``tx_aperture_m``, truncation ratio ``alpha``), propagated as the equivalent Gaussian beam of
    the module docstring, caught by a receive aperture of diameter ``rx_aperture_m`` with
    optics ``rx_efficiency``. The jitter loss (:func:`pointing_jitter_loss`, ``jitter_rad`` rms per
    axis) uses the beam's angular half-width ``w(z) / z`` seen from the transmitter, which is the
    far-field divergence at long range and grows without bound (no loss) as ``z -> 0``.
    ``losses_db`` >= 0 is every other loss. All arguments broadcast; ``distance_m`` > 0.
    """
    z = np.asarray(distance_m, dtype=float)
    w0 = equivalent_waist_m(tx_aperture_m, truncation_ratio)
    w = beam_radius_m(z, w0, wavelength_m)
    capture = gaussian_capture_fraction(0.5 * np.asarray(rx_aperture_m, dtype=float), w)
    jitter = pointing_jitter_loss(jitter_rad, w / z)
    return (
        np.asarray(tx_power_w, dtype=float)
        * np.asarray(tx_efficiency)
        * truncation_transmission(truncation_ratio)
        * capture
        * np.asarray(rx_efficiency)
        * jitter
        / db_to_linear(losses_db)
    )


def dwdm_channels(
    received_power_w: ArrayLike, channel_sensitivity_w: ArrayLike, max_channels: ArrayLike
) -> np.ndarray:
    """Number of DWDM channels that close: ``min(N_max, floor(P_rx / P_channel))``, int.

    The received power is shared equally by the lit channels; each needs ``channel_sensitivity_w``
    (Suncatcher, arXiv 2511.19468 sec. 4.2: ~-20 dBm per 400G PM-16QAM channel, ~0.24 mW for 24).
    """
    ratio = np.asarray(received_power_w, dtype=float) / np.asarray(channel_sensitivity_w)
    return np.minimum(np.asarray(max_channels), np.floor(ratio)).astype(np.int64)


def dwdm_capacity_bps(
    received_power_w: ArrayLike,
    channel_sensitivity_w: ArrayLike,
    max_channels: ArrayLike,
    channel_rate_bps: ArrayLike,
) -> np.ndarray:
    """Link capacity of the channels that close (:func:`dwdm_channels`) times their rate, bit/s.

    24 x 400 Gbps = 9.6 Tbps on a 100 GHz grid for Suncatcher's terminal (sec. 4.2).
    """
    n = dwdm_channels(received_power_w, channel_sensitivity_w, max_channels)
    return n * np.asarray(channel_rate_bps, dtype=float)


def thermal_noise_power_w(noise_temperature_k: ArrayLike, bandwidth_hz: ArrayLike) -> np.ndarray:
    """Thermal noise power ``k T B``, W (Nyquist 1928)."""
    return (
        BOLTZMANN_J_PER_K * np.asarray(noise_temperature_k, dtype=float) * np.asarray(bandwidth_hz)
    )


def shannon_capacity_bps(bandwidth_hz: ArrayLike, snr: ArrayLike) -> np.ndarray:
    """Shannon capacity ``B log2(1 + SNR)`` of an AWGN channel, bit/s (Shannon 1948).

    ``snr`` is linear. A real modem sits a few dB short of it: pass an implementation loss in the
    link's ``losses_db``.
    """
    return np.asarray(bandwidth_hz, dtype=float) * np.log2(1.0 + np.asarray(snr, dtype=float))


def rf_crosslink_capacity_bps(
    distance_m: ArrayLike,
    tx_power_w: ArrayLike,
    frequency_hz: ArrayLike,
    tx_gain: ArrayLike,
    rx_gain: ArrayLike,
    bandwidth_hz: ArrayLike,
    noise_temperature_k: ArrayLike,
    losses_db: ArrayLike = 0.0,
) -> np.ndarray:
    """Shannon capacity of an RF crosslink: Friis received power over ``k T B`` noise, bit/s.

    Gains linear (:func:`antenna_gain` with the antenna's diameter and efficiency), ``losses_db``
    every other loss including the modem's gap to capacity.
    """
    wavelength = C_M_S / np.asarray(frequency_hz, dtype=float)
    p_rx = friis_received_power_w(tx_power_w, tx_gain, rx_gain, distance_m, wavelength, losses_db)
    snr = p_rx / thermal_noise_power_w(noise_temperature_k, bandwidth_hz)
    return shannon_capacity_bps(bandwidth_hz, snr)
