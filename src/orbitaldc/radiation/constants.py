"""Grids, thresholds and margins of the radiation chain (one place, each with its reason)."""

from __future__ import annotations

import numpy as np

#: Days of orbit sampled for the orbit averages, and the step. Seven days at 30 s put ~100 orbits
#: through the SAA region at longitudes spread by the Earth's rotation. Measured (AP8 MIN, >10 MeV,
#: against 28 days): 650 km dawn-dusk SSO 0.007 % off after 7 days (0.17 % after 1 day); 53 deg
#: Starlink-like shell 0.14 % (1.5 % after 1 day).
SAMPLE_DAYS = 7.0
SAMPLE_STEP_S = 30.0
#: Radiation design margin on total dose: 2, the margin radiation-hardness-assurance standards
#: commonly require between a part's tolerance and the predicted mission dose (ECSS-Q-ST-60-15C,
#: RDM >= 2 for total ionising dose; the same value is NASA/GSFC practice).
RADIATION_DESIGN_MARGIN = 2.0
#: Aluminium thicknesses of the dose-depth curve, m (0.05 mm to 50 mm, as SPENVIS tabulates).
THICKNESS_GRID_M = np.geomspace(0.05e-3, 50e-3, 41)
#: Energy grid for the cosmic-ray spectra and their LET conversion, MeV per nucleon (10 GeV/n top:
#: the PSTAR-based range tables end there; the integral above it is carried by the top bin).
GCR_ENERGIES_MEV_PER_N = np.geomspace(10.0, 1e4, 91)
#: LET grid of the integral LET spectrum, MeV cm^2/mg (silicon).
LET_GRID_MEV_CM2_MG = np.geomspace(1e-3, 120.0, 80)
#: Threshold defining the SAA passes: >10 MeV protons above 1 per cm^2 per s (our convention: at
#: 400-800 km this contour encloses the AP8 anomaly and nothing else; see ``saa_map.png``).
SAA_ENERGY_MEV = 10.0
SAA_THRESHOLD_PER_CM2_S = 1.0
#: Resolution of the SAA map, deg.
SAA_MAP_STEP_DEG = 2.0
#: Solar-proton energies used for the proton single-event and dose integrals with JPL-91, MeV (the
#: model starts at 10 MeV).
SOLAR_ENERGIES_MEV = np.geomspace(10.0, 400.0, 40)
#: The same from 1 MeV, for ESP (which starts there) and the worst-case solar event, MeV; the same
#: spacing (25 per decade).
SOLAR_ENERGIES_FROM_1_MEV = np.geomspace(1.0, 400.0, 66)
#: The ECSS-E-ST-10-04C 9.2.2.2b floor on the solar-active time given to ESP: missions with less
#: than a year of it take the one-year fluence (as SPENVIS does), years.
ESP_MIN_ACTIVE_YEARS = 1.0
#: Years at which the array's remaining power is tabulated: this many points over the mission.
ARRAY_TABLE_POINTS = 41

#: IGRF epoch of each ``radiation.trapped_field`` choice (the two epochs the trapped grid ships).
FIELD_EPOCH = {"model-epoch": 1970.0, "current": 2025.0}

#: The dose sources of the dose-depth curve, in the order the tables list them.
SOURCES = ("trapped_protons", "trapped_electrons", "bremsstrahlung", "solar_protons")
