"""The site imagery opens lazily: header now, pixels at the matching overview."""

from __future__ import annotations

import numpy as np
import pytest
import rasterio
from rasterio.enums import Resampling
from rasterio.transform import from_origin

from zacviz.errors import InputError
from zacviz.io.imagery import Imagery, open_imagery


def write_tiff(path, size=512, res=0.5, x0=649_000.0, y0=6_948_500.0, crs="EPSG:2154", overviews=(2, 4)):
    data = np.zeros((3, size, size), dtype=np.uint8)
    data[0, :, : size // 2] = 200  # red west half
    data[2, :, size // 2 :] = 180  # blue east half
    profile = dict(
        driver="GTiff",
        width=size,
        height=size,
        count=3,
        dtype="uint8",
        crs=crs,
        transform=from_origin(x0, y0, res, res),
        tiled=True,
        blockxsize=256,
        blockysize=256,
    )
    with rasterio.open(path, "w", **profile) as ds:
        ds.write(data)
        if overviews:
            ds.build_overviews(list(overviews), Resampling.average)
    return path


def test_header_without_pixels(tmp_path):
    info = open_imagery(write_tiff(tmp_path / "o.tif"))
    assert (info.width, info.height, info.count) == (512, 512, 3)
    assert info.crs == "EPSG:2154"
    assert info.bounds == pytest.approx((649_000.0, 6_948_244.0, 649_256.0, 6_948_500.0))
    assert info.resolution == (0.5, 0.5)
    assert info.overviews == (2, 4)
    assert "0.5 m/px" in info.describe()


def test_read_window_and_level(tmp_path):
    info = open_imagery(write_tiff(tmp_path / "o.tif"))
    img = Imagery(info)
    assert img.level_for(0.4) == 1 and img.level_for(1.0) == 2 and img.level_for(5.0) == 4
    # The west quarter of the image, read at 64 × 32 px.
    px = img.read((649_000.0, 6_948_244.0, 649_064.0, 6_948_500.0), (64, 32))
    assert px.shape == (64, 32, 3) and px.dtype == np.uint8
    assert (px[..., 0] == 200).all() and (px[..., 2] == 0).all()
    # Outside the image: black, no error.
    out = img.read((648_000.0, 6_948_000.0, 648_100.0, 6_948_100.0), (10, 10))
    assert (out == 0).all()
    img.close()


def test_read_level_into_a_buffer_used_again(tmp_path):
    info = open_imagery(write_tiff(tmp_path / "o.tif"))
    img = Imagery(info)
    level = img.level(2)
    assert level is not None and (level.width, level.height) == (256, 256)
    fresh = img.read_level(level, 100, 10, 60, 30)
    scratch = np.full(3 * 256 * 256, 7, dtype=np.uint8)
    into = img.read_level(level, 100, 10, 60, 30, out=scratch)
    assert into.shape == (3, 30, 60) and np.shares_memory(into, scratch)
    assert np.array_equal(into, fresh)
    assert fresh[0, 0, 27] == 200 and fresh[0, 0, 28] == 0  # the halves meet at column 128
    img.close()


def test_missing_and_unreferenced_images_are_refused(tmp_path):
    with pytest.raises(InputError, match="no such file"):
        open_imagery(tmp_path / "none.tif")
    bad = tmp_path / "bad.tif"
    bad.write_bytes(b"not an image at all")
    with pytest.raises(InputError, match=r"bad\.tif"):
        open_imagery(bad)
    plain = tmp_path / "plain.png"
    from PIL import Image

    Image.new("RGB", (8, 8)).save(plain)
    with pytest.raises(InputError, match="not georeferenced"):
        open_imagery(plain)
