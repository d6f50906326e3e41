"""The NOAA solar position against published and textbook values."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from zacviz.geometry.sun import julian_day, lambert93_to_lonlat, site_lonlat, solar_position, sun_at_site

PARIS = (2.3522, 48.8566)
BRETEUIL = (2.1633, 49.6333)  # Breteuil (Oise)


def solar_noon(lon, lat, day):
    """The highest sun of ``day`` (UTC), found to the minute."""
    start = datetime(day.year, day.month, day.day, 10, 0, tzinfo=UTC)
    return max(
        (solar_position(lon, lat, start + timedelta(minutes=m)) for m in range(0, 240)),
        key=lambda p: p.elevation_deg,
    )


def test_julian_day_of_j2000_and_aware_datetimes_only():
    assert julian_day(datetime(2000, 1, 1, 12, tzinfo=UTC)) == 2451545.0
    with pytest.raises(ValueError, match="timezone"):
        solar_position(0.0, 0.0, datetime(2024, 6, 21, 12))


def test_spa_reference_point_golden_colorado():
    # Reda & Andreas (NREL SPA, 2004) worked example: 2003-10-17 12:30:30 −7 h,
    # zenith 50.11162°, azimuth 194.34024° (at 820 mbar, hence a hair more refraction here).
    when = datetime(2003, 10, 17, 12, 30, 30, tzinfo=timezone(timedelta(hours=-7)))
    p = solar_position(-105.1786, 39.742476, when)
    assert 90.0 - p.elevation_deg == pytest.approx(50.11162, abs=0.05)
    assert p.azimuth_deg == pytest.approx(194.34024, abs=0.05)


@pytest.mark.parametrize(
    ("day", "decl", "eot"),
    [
        (datetime(2024, 6, 20), 23.44, -1.6),  # June solstice
        (datetime(2024, 12, 21), -23.44, 1.9),  # December solstice
        (datetime(2024, 2, 11), -14.2, -14.2),  # equation of time near its minimum
        (datetime(2024, 11, 3), -15.2, 16.4),  # ...and its maximum
    ],
)
def test_declination_and_equation_of_time(day, decl, eot):
    p = solar_position(0.0, 0.0, day.replace(hour=12, tzinfo=UTC))
    assert p.declination_deg == pytest.approx(decl, abs=0.3)
    assert p.equation_of_time_min == pytest.approx(eot, abs=0.3)


def test_solar_noon_elevations_in_paris_and_breteuil():
    june = solar_noon(*PARIS, datetime(2024, 6, 20))
    assert june.elevation_deg == pytest.approx(64.6, abs=0.1)
    assert june.azimuth_deg == pytest.approx(180.0, abs=0.5)
    march = solar_noon(*BRETEUIL, datetime(2024, 3, 20))
    # 90° − 49.63° + declination (+0.1° that noon) + refraction (0.02°).
    assert march.elevation_deg == pytest.approx(40.5, abs=0.15)
    assert march.azimuth_deg == pytest.approx(180.0, abs=0.5)


def test_sunrise_in_june_is_north_east_and_the_sun_sets_in_the_west():
    tz = ZoneInfo("Europe/Paris")
    dawn = datetime(2024, 6, 21, 4, 0, tzinfo=tz)
    day = [solar_position(*PARIS, dawn + timedelta(minutes=m)) for m in range(180)]
    rise = next(p for p in day if p.elevation_deg > 0)
    assert rise.azimuth_deg == pytest.approx(52.0, abs=1.0)
    evening = solar_position(*PARIS, datetime(2024, 6, 21, 20, 0, tzinfo=tz))
    assert 280 < evening.azimuth_deg < 300 and 10 < evening.elevation_deg < 20
    night = solar_position(*PARIS, datetime(2024, 6, 21, 2, 0, tzinfo=tz))
    assert night.elevation_deg < 0 and not night.above_horizon


def test_direction_is_a_unit_vector_towards_the_sun():
    p = solar_noon(*PARIS, datetime(2024, 6, 20))
    e, n, u = p.direction()
    assert e * e + n * n + u * u == pytest.approx(1.0)
    assert n < 0 < u  # noon sun stands in the south, above


def test_site_lonlat_from_lambert93(tmp_path, make_site, kit):
    lon, lat = site_lonlat("EPSG:2154", 700_000.0, 6_600_000.0)  # the projection's origin point
    assert (lon, lat) == pytest.approx((3.0, 46.5), abs=1e-6)
    from zacviz.io.site_folder import load_site

    site = load_site(make_site(tmp_path))
    p = sun_at_site(site, datetime(2024, 6, 20, 11, 50, tzinfo=UTC))
    assert 60 < p.elevation_deg < 66


@pytest.mark.parametrize(
    "x, y",
    [
        (700_000.0, 6_600_000.0),
        (640_123.4, 6_935_210.0),
        (1_200_000.0, 6_100_000.0),
        (100_000.0, 7_100_000.0),
    ],
)
def test_closed_form_lambert93_inverse_agrees_with_pyproj(x, y):
    from pyproj import Transformer

    expected = Transformer.from_crs("EPSG:2154", "EPSG:4326", always_xy=True).transform(x, y)
    assert lambert93_to_lonlat(x, y) == pytest.approx(expected, abs=1e-9)
    for name in ("EPSG:2154", "epsg:2154", "urn:ogc:def:crs:EPSG::2154"):
        assert site_lonlat(name, x, y) == pytest.approx(expected, abs=1e-9)


def test_other_crs_still_go_through_pyproj():
    lon, lat = site_lonlat("EPSG:3857", 0.0, 0.0)
    assert (lon, lat) == pytest.approx((0.0, 0.0), abs=1e-9)
    # Web Mercator's y is not Lambert-93's: a mixed-up CRS would give a far latitude.
    lon, lat = site_lonlat("EPSG:3857", 261_000.0, 6_250_000.0)
    assert 2.3 < lon < 2.4 and 48.8 < lat < 48.9
