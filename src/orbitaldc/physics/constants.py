"""Physical constants, SI, each with its source.

Every engine imports its constants from here so that one value is used everywhere.
"""

#: Earth's gravitational parameter, m^3/s^2 (WGS-84, NIMA TR8350.2, 3rd ed., table 3.1).
MU_EARTH_M3_S2 = 3.986004418e14
#: Earth's equatorial radius, m (WGS-84, NIMA TR8350.2).
R_EARTH_M = 6378137.0
#: Earth's flattening (WGS-84, NIMA TR8350.2).
F_EARTH = 1.0 / 298.257223563
#: Second zonal harmonic, unnormalised (EGM-96 / WGS-84 value as used by Google arXiv 2511.19468).
J2_EARTH = 1.08263e-3
#: Third zonal harmonic of the geopotential, unnormalised (EGM96, Lemoine et al. 1998,
#: NASA/TP-1998-206861: normalised C30 = 9.57254e-7, J3 = -sqrt(7) C30).
J3_EARTH = -2.53266e-6
#: Earth's rotation rate, rad/s (WGS-84, NIMA TR8350.2).
OMEGA_EARTH_RAD_S = 7.2921150e-5
#: Mean solar constant at 1 AU, W/m^2 (Kopp & Lean 2011, GRL 38 L01706; TSIS-1, 2017: 1361).
SOLAR_CONSTANT_W_M2 = 1361.0
#: Mean radius of the solar photosphere, m (IAU 2015 Resolution B3 nominal solar radius).
R_SUN_M = 6.957e8
#: Astronomical unit, m (IAU 2012 Resolution B2).
AU_M = 1.495978707e11
#: Stefan-Boltzmann constant, W m^-2 K^-4 (CODATA 2018).
STEFAN_BOLTZMANN = 5.670374419e-8
#: Mean motion of the mean Sun, rad/s: 360 deg per tropical year of 365.2422 d
#: (Vallado, Fundamentals of Astrodynamics, 4th ed., sec. 3.5); a sun-synchronous orbit's RAAN
#: must precess at this rate.
SUN_MEAN_MOTION_RAD_S = 2.0 * 3.141592653589793 / (365.2421897 * 86400.0)
#: Seconds per Julian year (IAU).
SECONDS_PER_YEAR = 365.25 * 86400.0
#: Mean Earth albedo (Bond), dimensionless (Stephens et al. 2015, Rev. Geophys. 53: 0.29-0.30;
#: NASA SP-8067 design value 0.30).
EARTH_ALBEDO = 0.30
#: Mean outgoing long-wave radiation at the top of atmosphere, W/m^2 (Loeb et al. 2018,
#: J. Climate 31, CERES EBAF: 240 W/m^2; NASA SP-8067 design value 237).
EARTH_OLR_W_M2 = 240.0
#: Gravity at the surface, m/s^2 (standard gravity, CGPM 1901), for mass-ratio conversions.
G0_M_S2 = 9.80665
#: Speed of light in vacuum, m/s (SI definition).
C_M_S = 299_792_458.0
#: Electron rest energy, MeV (CODATA 2018).
ELECTRON_REST_MEV = 0.51099895
#: Proton rest energy, MeV (CODATA 2018).
PROTON_REST_MEV = 938.27208816
#: Atomic mass unit energy equivalent, MeV (CODATA 2018): the rest energy per nucleon of ions.
AMU_MEV = 931.49410242
