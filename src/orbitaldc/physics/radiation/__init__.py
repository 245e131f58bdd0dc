"""Space radiation: the environment along the orbits, its dose behind shielding, and its effects.

One physical step per module, like the rest of ``orbitaldc.physics``:

- ``spectrum``: the common currency, omnidirectional integral spectra on an energy grid.
- ``trapped``: AE8/AP8 trapped protons and electrons (a shipped grid, interpolated along orbits).
- ``solar_particles``, ``gcr``, ``geomagnetic``: solar energetic particles (ESP and JPL-91 mission
  fluences), galactic cosmic rays and the geomagnetic cutoff that shields low orbits from both.
- ``solar_events``: the CREME96 worst-case solar event (peak five minutes, worst day, worst week).
- ``stopping``: ranges and stopping powers (NIST PSTAR/ESTAR); ``niel``: GaAs non-ionising loss.
- ``transport``: spectra slowed down through a shield, path kernels over the shield geometry
  (shared by ``dose``, ``damage`` and ``see``).
- ``dose``: total ionising dose in silicon behind aluminium (dose-depth curves).
- ``damage``: solar-cell displacement damage and device lifetime against total dose.
- ``see``: single-event effect rates from measured cross-sections.

``orbitaldc.radiation`` chains them for a design.
"""
