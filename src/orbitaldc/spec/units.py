"""Unit strings at the edge: "650 km", "330 K", "3600 USD/kg", "5 yr" -> SI floats.

Parsing uses pint (https://pint.readthedocs.io); the only non-physical unit added is the US dollar as
a base dimension ``[currency]``, so that prices like "3600 USD/kg" or "0.08 USD/kWh" convert
correctly. A year is the Julian year (365.25 d), pint's default.
"""

from __future__ import annotations

import re
from functools import lru_cache

import pint

#: The SI unit each named dimension converts to, and an example shown in error messages.
DIMENSIONS: dict[str, tuple[str, str]] = {
    "length": ("m", "650 km"),
    "area": ("m**2", "120 m^2"),
    "volume": ("m**3", "40 m^3"),
    "mass": ("kg", "575 kg"),
    "time": ("s", "5 yr"),
    "temperature": ("K", "330 K"),
    "angle": ("rad", "97.8 deg"),
    "power": ("W", "700 W"),
    "energy": ("J", "5 kWh"),
    "specific_power": ("W/kg", "150 W/kg"),
    "price_per_mass": ("USD/kg", "3600 USD/kg"),
    "price_per_power": ("USD/W", "30 USD/W"),
    "price_per_energy": ("USD/J", "0.08 USD/kWh"),
    "price": ("USD", "2.5e6 USD"),
    "data_rate": ("byte/s", "10 GB/s"),
}

_NUMBER_UNIT = re.compile(r"^\s*([-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?)\s*(.*?)\s*$")


class UnitError(ValueError):
    """A quantity string that cannot be read as the dimension asked for."""


@lru_cache(maxsize=1)
def registry() -> pint.UnitRegistry:
    """The unit registry shared by the spec and the CLI (pint defaults plus ``USD``)."""
    ureg = pint.UnitRegistry()
    ureg.define("USD = [currency] = usd = dollar")
    ureg.define("kUSD = 1000 USD")
    ureg.define("MUSD = 1e6 USD")
    return ureg


def parse_quantity(text: str, dimension: str) -> float:
    """Parse ``text`` such as ``"650 km"`` and return its value in the SI unit of ``dimension``.

    Parameters
    ----------
    text : str
        A number followed by a unit, e.g. ``"650 km"``, ``"57 degC"``, ``"3600 USD/kg"``.
    dimension : str
        One of the keys of :data:`DIMENSIONS`.

    Returns
    -------
    float
        The value in SI units (m, m^2, kg, s, K, rad, W, J, W/kg, USD/kg, USD/W, USD/J, USD).

    Raises
    ------
    UnitError
        If the string has no number, no unit, an unknown unit, or a unit of another dimension.
    """
    target, example = DIMENSIONS[dimension]
    if not isinstance(text, str):
        raise UnitError(
            f"expected a quantity with a unit as a string, like '{example}', got {text!r}"
        )
    match = _NUMBER_UNIT.match(text)
    if not match:
        raise UnitError(f"expected a number and a unit, like '{example}', got {text!r}")
    value, unit = float(match.group(1)), match.group(2)
    if not unit:
        raise UnitError(f"{text!r} has no unit; write it with one, like '{example}'")
    ureg = registry()
    try:
        quantity = ureg.Quantity(value, unit.replace("^", "**"))
    except (pint.errors.UndefinedUnitError, pint.errors.DefinitionSyntaxError, SyntaxError) as exc:
        raise UnitError(f"unknown unit {unit!r} in {text!r}; write it like '{example}'") from exc
    except Exception as exc:  # pint raises assorted errors on malformed expressions
        raise UnitError(f"cannot read {text!r} as a quantity like '{example}'") from exc
    try:
        return float(quantity.to(target).magnitude)
    except pint.errors.DimensionalityError as exc:
        raise UnitError(
            f"{text!r} is not a {dimension.replace('_', ' ')}; expected something like '{example}'"
        ) from exc


def parse_local_time_h(text: str) -> float:
    """Parse a local time of day ``"HH:MM"`` (e.g. an LTAN of ``"18:00"``) into decimal hours."""
    match = re.fullmatch(r"\s*(\d{1,2}):(\d{2})\s*", str(text))
    if not match:
        raise UnitError(f"expected a local time of day like '18:00', got {text!r}")
    hours, minutes = int(match.group(1)), int(match.group(2))
    if not (0 <= hours < 24 and 0 <= minutes < 60):
        raise UnitError(f"{text!r} is not a time of day between 00:00 and 23:59")
    return hours + minutes / 60.0
