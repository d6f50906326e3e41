"""zacviz.geometry.crs: CRS names and point transforms through GDAL's PROJ (rasterio)."""

from __future__ import annotations

import numpy as np
import pytest

from zacviz.geometry.crs import UnknownCRSError, parse_crs, transform_xy
from zacviz.geometry.sun import lambert93_to_lonlat


@pytest.mark.parametrize(
    "name, projected",
    [
        ("EPSG:2154", True),
        ("epsg:2154", True),
        ("urn:ogc:def:crs:EPSG::2154", True),
        ("EPSG:32631", True),
        ("IGNF:LAMB93", True),
        ("OGC:CRS84", False),
        ("urn:ogc:def:crs:OGC:1.3:CRS84", False),
        ("EPSG:4326", False),
        ("+proj=longlat +datum=WGS84", False),
    ],
)
def test_known_names(name: str, projected: bool) -> None:
    assert parse_crs(name).is_projected is projected


@pytest.mark.parametrize("name", ["EPSG:99999", "foo", "", "EPSG:", "urn:ogc:def:crs:EPSG::0"])
def test_unknown_names_raise_one_error_and_print_nothing(name: str, capfd) -> None:
    with pytest.raises(UnknownCRSError) as err:
        parse_crs(name)
    assert str(err.value)
    # GDAL's own handler would print "ERROR 1: PROJ: ..." on stderr.
    out, errout = capfd.readouterr()
    assert out == "" and errout == ""


def test_transform_matches_the_closed_form_lambert93() -> None:
    x = np.array([700_000.0, 640_123.4, 1_200_000.0, 100_000.0])
    y = np.array([6_600_000.0, 6_935_210.0, 6_100_000.0, 7_100_000.0])
    lon, lat = transform_xy(parse_crs("EPSG:2154"), parse_crs("EPSG:4326"), x, y)
    expected = np.array([lambert93_to_lonlat(a, b) for a, b in zip(x, y)])
    assert np.allclose(np.column_stack([lon, lat]), expected, atol=1e-9, rtol=0)
    # And back, east then north whatever EPSG:4326's axis order.
    bx, by = transform_xy(parse_crs("EPSG:4326"), parse_crs("EPSG:2154"), lon, lat)
    assert np.allclose(bx, x, atol=1e-6, rtol=0) and np.allclose(by, y, atol=1e-6, rtol=0)


def test_a_point_that_does_not_transform_is_inf_and_so_is_every_one_after(capfd) -> None:
    wgs84, l93 = parse_crs("OGC:CRS84"), parse_crs("EPSG:2154")
    lon = np.array([2.29, 2.30, 2.31, 2.32, 2.33, 2.34, 2.35])
    lat = np.array([49.6, 49.6, 49.6, 49.6, 95.0, 49.6, 49.6])  # 95° N: no conic projection has it
    x, y = transform_xy(wgs84, l93, lon, lat)
    good_x, good_y = transform_xy(wgs84, l93, lon[:4], lat[:4])
    assert np.isfinite(good_x).all() and np.isfinite(good_y).all()
    assert np.array_equal(x[:4], good_x) and np.array_equal(y[:4], good_y)
    assert np.isinf(x[4:]).all() and np.isinf(y[4:]).all()
    assert capfd.readouterr().err == ""


def test_a_refused_call_is_bisected_not_retried_point_by_point(monkeypatch) -> None:
    import rasterio.warp

    calls = []
    real = rasterio.warp.transform

    def counting(*args, **kwargs):
        calls.append(len(args[2]))
        return real(*args, **kwargs)

    monkeypatch.setattr(rasterio.warp, "transform", counting)
    n = 4096
    lon = np.full(n, 2.3)
    lat = np.full(n, 49.6)
    lat[3000] = 95.0
    x, _ = transform_xy(parse_crs("OGC:CRS84"), parse_crs("EPSG:2154"), lon, lat)
    assert np.isfinite(x[:3000]).all() and np.isinf(x[3000:]).all()
    assert len(calls) <= 1 + 12  # log2(4096) + the first whole call


def test_empty_input() -> None:
    x, y = transform_xy(parse_crs("OGC:CRS84"), parse_crs("EPSG:2154"), [], [])
    assert x.size == 0 and y.size == 0
