"""Constellation generators: a single satellite, sun-synchronous planes and Walker-delta shells.

All return :class:`orbitaldc.physics.orbit.MeanElements` for circular orbits (e = 0, argument of
perigee 0, so the mean anomaly is the argument of latitude), with ``plane`` labels for per-plane
tables. Walker-delta notation T/P/F follows Walker, "Satellite constellations", J. Br. Interplanet.
Soc. 37 (1984) 559-572: T satellites in P equally spaced planes, phase offset F x 360/T between
adjacent planes.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from orbitaldc.physics.constants import R_EARTH_M
from orbitaldc.physics.orbit import (
    MeanElements,
    raan_from_ltan_rad,
    sun_synchronous_inclination_rad,
)


def _circular(altitude_m, inclination_rad, raan_rad, argument_of_latitude_rad, epoch_s, plane):
    n = np.broadcast(raan_rad, argument_of_latitude_rad, plane).shape
    zeros = np.zeros(n)
    return MeanElements(
        semi_major_axis_m=R_EARTH_M + np.asarray(altitude_m, dtype=float) + zeros,
        eccentricity=zeros,
        inclination_rad=np.asarray(inclination_rad, dtype=float) + zeros,
        raan_rad=np.mod(np.asarray(raan_rad, dtype=float) + zeros, 2 * np.pi),
        arg_perigee_rad=zeros,
        mean_anomaly_rad=np.mod(
            np.asarray(argument_of_latitude_rad, dtype=float) + zeros, 2 * np.pi
        ),
        epoch_s=np.asarray(epoch_s, dtype=float) + zeros,
        plane=np.asarray(plane) + zeros.astype(int),
    )


def single(
    altitude_m: float,
    inclination_rad: float,
    raan_rad: float,
    epoch_s: float,
    argument_of_latitude_rad: float = 0.0,
) -> MeanElements:
    """One satellite on a circular orbit."""
    if altitude_m <= 0:
        raise ValueError(f"altitude_m must be positive, got {altitude_m}")
    return _circular(
        altitude_m, inclination_rad, [raan_rad], [argument_of_latitude_rad], epoch_s, [0]
    )


def walker_delta(
    total: int,
    planes: int,
    phasing: int,
    altitude_m: float,
    inclination_rad: float,
    epoch_s: float,
    raan0_rad: float = 0.0,
    raan_spread_rad: float = 2 * np.pi,
) -> MeanElements:
    """A Walker-delta shell T/P/F: ``total`` satellites in ``planes`` planes, phasing ``F``.

    Plane ``p`` has RAAN ``raan0 + p x spread / P``; satellite ``s`` of plane ``p`` has argument of
    latitude ``2 pi s / S + 2 pi F p / T`` with ``S = T / P`` (Walker 1984).
    """
    if total < 1 or planes < 1 or total % planes:
        raise ValueError(f"total ({total}) must be a positive multiple of planes ({planes})")
    if not 0 <= phasing < planes:
        raise ValueError(f"phasing must be in 0..{planes - 1}, got {phasing}")
    per_plane = total // planes
    p = np.repeat(np.arange(planes), per_plane)
    s = np.tile(np.arange(per_plane), planes)
    raan = raan0_rad + raan_spread_rad * p / planes
    u = 2 * np.pi * s / per_plane + 2 * np.pi * phasing * p / total
    return _circular(altitude_m, inclination_rad, raan, u, epoch_s, p)


def sun_synchronous_planes(
    n_planes: int,
    sats_per_plane: int,
    altitude_m: float,
    ltan_h: ArrayLike,
    epoch_s: float,
) -> MeanElements:
    """Sun-synchronous planes at the given local times of the ascending node.

    ``ltan_h`` is one LTAN for every plane, or one per plane (hours); satellites are equally spaced
    in each plane. The inclination follows from the altitude
    (:func:`orbitaldc.physics.orbit.sun_synchronous_inclination_rad`).
    """
    ltan = np.broadcast_to(np.asarray(ltan_h, dtype=float), (n_planes,))
    inc = float(sun_synchronous_inclination_rad(R_EARTH_M + altitude_m))
    p = np.repeat(np.arange(n_planes), sats_per_plane)
    s = np.tile(np.arange(sats_per_plane), n_planes)
    raan = raan_from_ltan_rad(ltan[p], epoch_s)
    u = 2 * np.pi * s / sats_per_plane
    return _circular(altitude_m, inc, raan, u, epoch_s, p)
