"""The network engine: how much data a design moves between its satellites, and how fast.

``topology`` says which satellites can link at each time (line of sight clear of the
atmosphere, range, terminals per satellite: k nearest neighbours in a cluster, the +grid of a
Walker shell), how long each link is and what it carries (the link budgets of
:mod:`orbitaldc.physics.links` for a catalog terminal), and a cluster's bisection bandwidth;
``collectives`` turns link bandwidths into ring and 2-D torus all-reduce times (alpha-beta
model). Everything is vectorised over time: arrays are ``(satellite, time)``, ``(link, time)``
or ``(time,)``, positions ``(satellite, time, 3)`` in ECI metres.
"""
