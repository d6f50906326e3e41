"""Where the sun is: the NOAA solar position algorithm.

The formulas are those of the NOAA Solar Calculator spreadsheets (after Jean
Meeus, *Astronomical Algorithms*): geometric mean longitude and anomaly of the
sun, equation of centre, apparent longitude, obliquity, declination, equation
of time, true solar time and hour angle, then zenith and azimuth, with the
spreadsheet's approximation of atmospheric refraction. Accurate to about
0.01° for dates between 1901 and 2099, far finer than a shadow needs.

Azimuth is in degrees clockwise from north (90° = east); elevation is above the
horizon, refraction included.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import UTC, datetime

_J2000 = datetime(2000, 1, 1, 12, 0, 0, tzinfo=UTC)


@dataclass(frozen=True)
class SunPosition:
    azimuth_deg: float
    """Clockwise from north."""
    elevation_deg: float
    """Above the horizon, apparent (refraction included)."""
    declination_deg: float = 0.0
    equation_of_time_min: float = 0.0
    hour_angle_deg: float = 0.0

    @property
    def above_horizon(self) -> bool:
        return self.elevation_deg > 0.0

    def direction(self) -> tuple[float, float, float]:
        """Unit vector towards the sun in (east, north, up)."""
        az = math.radians(self.azimuth_deg)
        el = math.radians(self.elevation_deg)
        return (math.sin(az) * math.cos(el), math.cos(az) * math.cos(el), math.sin(el))


def julian_day(when: datetime) -> float:
    """The Julian day of an aware datetime."""
    if when.tzinfo is None or when.utcoffset() is None:
        raise ValueError("the sun needs a timezone-aware datetime")
    return 2451545.0 + (when - _J2000).total_seconds() / 86400.0


def refraction_deg(elevation_deg: float) -> float:
    """Atmospheric refraction for a true elevation (NOAA's piecewise fit), degrees."""
    e = elevation_deg
    if e > 85.0:
        return 0.0
    if e > 5.0:
        t = math.tan(math.radians(e))
        arcsec = 58.1 / t - 0.07 / t**3 + 0.000086 / t**5
    elif e > -0.575:
        arcsec = 1735.0 + e * (-518.2 + e * (103.4 + e * (-12.79 + e * 0.711)))
    else:
        arcsec = -20.772 / math.tan(math.radians(e))
    return arcsec / 3600.0


def solar_position(lon_deg: float, lat_deg: float, when: datetime) -> SunPosition:
    """The sun seen from (``lon_deg``, ``lat_deg``, WGS84) at ``when`` (timezone-aware)."""
    jd = julian_day(when)
    t = (jd - 2451545.0) / 36525.0  # Julian centuries since J2000
    rad, deg = math.radians, math.degrees

    mean_long = (280.46646 + t * (36000.76983 + t * 0.0003032)) % 360.0
    mean_anom = 357.52911 + t * (35999.05029 - 0.0001537 * t)
    ecc = 0.016708634 - t * (0.000042037 + 0.0000001267 * t)
    m = rad(mean_anom)
    centre = (
        math.sin(m) * (1.914602 - t * (0.004817 + 0.000014 * t))
        + math.sin(2 * m) * (0.019993 - 0.000101 * t)
        + math.sin(3 * m) * 0.000289
    )
    true_long = mean_long + centre
    omega = rad(125.04 - 1934.136 * t)
    app_long = true_long - 0.00569 - 0.00478 * math.sin(omega)
    obliq_mean = 23.0 + (26.0 + (21.448 - t * (46.815 + t * (0.00059 - t * 0.001813))) / 60.0) / 60.0
    obliq = rad(obliq_mean + 0.00256 * math.cos(omega))
    decl = math.asin(math.sin(obliq) * math.sin(rad(app_long)))

    y = math.tan(obliq / 2.0) ** 2
    l0 = rad(mean_long)
    eot_min = 4.0 * deg(
        y * math.sin(2 * l0)
        - 2 * ecc * math.sin(m)
        + 4 * ecc * y * math.sin(m) * math.cos(2 * l0)
        - 0.5 * y * y * math.sin(4 * l0)
        - 1.25 * ecc * ecc * math.sin(2 * m)
    )

    utc = when.astimezone(UTC)
    minutes = utc.hour * 60.0 + utc.minute + (utc.second + utc.microsecond / 1e6) / 60.0
    true_solar_min = (minutes + eot_min + 4.0 * lon_deg) % 1440.0
    hour_angle = true_solar_min / 4.0 - 180.0  # degrees, 0 at solar noon, + afternoon

    phi, h = rad(lat_deg), rad(hour_angle)
    cos_zen = math.sin(phi) * math.sin(decl) + math.cos(phi) * math.cos(decl) * math.cos(h)
    zenith = math.acos(max(-1.0, min(1.0, cos_zen)))
    # Azimuth from north, clockwise: atan2 keeps it defined at the zenith and the poles.
    az = deg(math.atan2(math.sin(h), math.cos(h) * math.sin(phi) - math.tan(decl) * math.cos(phi)))
    azimuth = (az + 180.0) % 360.0
    true_elev = 90.0 - deg(zenith)
    return SunPosition(
        azimuth_deg=azimuth,
        elevation_deg=true_elev + refraction_deg(true_elev),
        declination_deg=deg(decl),
        equation_of_time_min=eot_min,
        hour_angle_deg=hour_angle,
    )


# Lambert-93 (EPSG:2154): a conformal conic on GRS 80, standard parallels 44° and
# 49°, origin 46.5° N 3° E at (700 000, 6 600 000). Its closed-form inverse
# (Snyder, *Map Projections: A Working Manual*, eq. 15-5 to 15-11 and 7-9) spares
# the editor PROJ's set-up for the one point the sun needs.
_GRS80_A = 6378137.0
_GRS80_E = math.sqrt(2.0 / 298.257222101 - (1.0 / 298.257222101) ** 2)
_LAMBERT93 = re.compile(r"^(EPSG:+|URN:OGC:DEF:CRS:EPSG:[0-9.]*:)2154$")


def _lcc_t(phi: float) -> float:
    es = _GRS80_E * math.sin(phi)
    return math.tan(math.pi / 4.0 - phi / 2.0) / ((1.0 - es) / (1.0 + es)) ** (_GRS80_E / 2.0)


def _lcc_m(phi: float) -> float:
    return math.cos(phi) / math.sqrt(1.0 - (_GRS80_E * math.sin(phi)) ** 2)


def lambert93_to_lonlat(x: float, y: float) -> tuple[float, float]:
    """Longitude and latitude (degrees, RGF93 ≈ WGS84) of a Lambert-93 point."""
    phi1, phi2, phi0 = math.radians(44.0), math.radians(49.0), math.radians(46.5)
    n = (math.log(_lcc_m(phi1)) - math.log(_lcc_m(phi2))) / (math.log(_lcc_t(phi1)) - math.log(_lcc_t(phi2)))
    big_f = _lcc_m(phi1) / (n * _lcc_t(phi1) ** n)
    rho0 = _GRS80_A * big_f * _lcc_t(phi0) ** n
    dx, dy = x - 700000.0, rho0 - (y - 6600000.0)
    rho = math.copysign(math.hypot(dx, dy), n)
    t = (rho / (_GRS80_A * big_f)) ** (1.0 / n)
    lon = math.atan2(dx, dy) / n + math.radians(3.0)
    phi = math.pi / 2.0 - 2.0 * math.atan(t)
    for _ in range(12):
        es = _GRS80_E * math.sin(phi)
        phi = math.pi / 2.0 - 2.0 * math.atan(t * ((1.0 - es) / (1.0 + es)) ** (_GRS80_E / 2.0))
    return math.degrees(lon), math.degrees(phi)


def site_lonlat(crs: str, x: float, y: float) -> tuple[float, float]:
    """WGS84 longitude and latitude of a point given in ``crs``.

    Lambert-93, the CRS of French sites, is inverted in closed form; other
    CRSs go through GDAL's PROJ (:mod:`zacviz.geometry.crs`).
    """
    if _LAMBERT93.match(crs.strip().upper()):
        return lambert93_to_lonlat(x, y)
    from zacviz.geometry.crs import parse_crs, transform_xy

    lon, lat = transform_xy(parse_crs(crs), parse_crs("EPSG:4326"), [x], [y])
    return float(lon[0]), float(lat[0])


def sun_at_site(site, when: datetime) -> SunPosition:
    """The sun over the centre of ``site`` (a :class:`zacviz.model.site.Site`)."""
    minx, miny, maxx, maxy = site.bounds
    lonlat = site.cached(
        ("lonlat", site.crs), lambda: site_lonlat(site.crs, (minx + maxx) / 2.0, (miny + maxy) / 2.0)
    )
    return solar_position(lonlat[0], lonlat[1], when)
