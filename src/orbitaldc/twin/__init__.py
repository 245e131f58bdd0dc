"""The time-domain digital twin of the fleet (orbit, shadow, power, battery, thermal over time)."""
