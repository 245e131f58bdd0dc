"""The design spec: TOML in, validated :class:`DesignSpec` with SI attributes out."""

from orbitaldc.spec.loader import SpecError, load_spec, parse_spec
from orbitaldc.spec.model import DesignSpec
from orbitaldc.spec.units import UnitError, parse_quantity

__all__ = ["DesignSpec", "SpecError", "UnitError", "load_spec", "parse_quantity", "parse_spec"]
