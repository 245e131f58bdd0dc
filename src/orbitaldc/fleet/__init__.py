"""The fleet of a design spec as orbits: mean elements for every engine (``fleet_elements``) and
the fleet's year of beta angles and eclipses per plane (``orbit_year``)."""

from orbitaldc.fleet.elements import fleet_elements, orbit_plane
from orbitaldc.fleet.year import OrbitYear, orbit_year

__all__ = ["OrbitYear", "fleet_elements", "orbit_plane", "orbit_year"]
