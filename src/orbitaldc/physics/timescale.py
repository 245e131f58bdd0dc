"""Time: float seconds since the J2000 epoch, 2000-01-01T12:00:00 UTC.

UTC stands in for UT1 and TT. The error this makes (|UT1 - UTC| < 0.9 s; TT - UTC = 69.184 s since
2017) moves the Sun by < 0.001 deg and Earth's rotation angle by < 0.004 deg, negligible for power,
eclipse and contact work (see docs/architecture.md).
"""

from __future__ import annotations

import datetime as dt

import numpy as np

#: The J2000 epoch as a UTC datetime64 (seconds resolution is exact).
J2000_UTC = np.datetime64("2000-01-01T12:00:00", "us")


def seconds_since_j2000(when: object) -> np.ndarray:
    """Seconds since J2000 (UTC) of a date, datetime, numpy datetime64 or ISO string, or arrays.

    A ``datetime.date`` means midnight UTC of that day; timezone-aware datetimes are converted to
    UTC.
    """
    if isinstance(when, dt.datetime):
        if when.tzinfo is not None:
            when = when.astimezone(dt.UTC).replace(tzinfo=None)
        value = np.datetime64(when, "us")
    elif isinstance(when, dt.date):
        value = np.datetime64(when, "us")
    else:
        value = np.asarray(when).astype("datetime64[us]")
    return ((value - J2000_UTC) / np.timedelta64(1, "us") / 1e6).astype(float)


def to_datetime64(t_s: object) -> np.ndarray:
    """UTC ``datetime64[us]`` of times given in seconds since J2000."""
    micro = np.round(np.asarray(t_s, dtype=float) * 1e6).astype("int64")
    return J2000_UTC + micro.astype("timedelta64[us]")


def julian_centuries_tt(t_s: object) -> np.ndarray:
    """Julian centuries of 36,525 days since J2000 (UTC used for TT, see module note)."""
    return np.asarray(t_s, dtype=float) / (36525.0 * 86400.0)
