"""zacviz.io.ortho_import: mosaic, reproject and clip aerial image tiles.

Every tile is generated here with rasterio: flat colours at known Lambert-93
places, so the output can be checked by sampling it at map coordinates.
"""

from __future__ import annotations

import os
import subprocess
import sys
import warnings
from pathlib import Path

import numpy as np
import pytest
import rasterio
from rasterio.crs import CRS
from rasterio.enums import ColorInterp, Compression, PhotometricInterp
from rasterio.errors import NotGeoreferencedWarning
from rasterio.transform import Affine
from rasterio.warp import transform as transform_points

from zacviz.errors import InputError
from zacviz.io.ortho_import import FILL_RGB, ImportReport, _overview_factors, import_ortho

L93 = "EPSG:2154"
UTM31 = "EPSG:32631"
SITE = (650100.0, 6860100.0, 650500.0, 6860400.0)
MARGIN = 150.0
# SITE plus MARGIN: 700 m x 600 m, i.e. 700 x 600 px at 1 m.
AREA = (649950.0, 6859950.0, 650650.0, 6860550.0)

RED = (200, 40, 40)
BLUE = (40, 40, 200)
GREEN = (40, 180, 40)
# JPEG (YCbCr, chroma subsampled) is lossy: colours come back close, not exact.
TOLERANCE = 16


def from_origin(west: float, north: float, xres: float, yres: float) -> Affine:
    """rasterio.transform.from_origin, which warns with affine 3 (warnings are errors here)."""
    return Affine(xres, 0.0, west, 0.0, -yres, north)


def write_tile(
    path: Path,
    box: tuple[float, float, float, float],
    colour: tuple[int, ...],
    *,
    crs: str = L93,
    res: float = 1.0,
    driver: str = "GTiff",
    **options: object,
) -> Path:
    """A flat-coloured tile covering ``box`` (in ``crs``) at ``res``."""
    width = round((box[2] - box[0]) / res)
    height = round((box[3] - box[1]) / res)
    data = np.empty((len(colour), height, width), np.uint8)
    data[:] = np.array(colour, np.uint8)[:, None, None]
    with rasterio.open(
        path,
        "w",
        driver=driver,
        width=width,
        height=height,
        count=len(colour),
        dtype="uint8",
        crs=crs,
        transform=from_origin(box[0], box[3], res, res),
        **options,
    ) as dst:
        dst.write(data)
    return path


def utm_tile(path: Path, centre_l93: tuple[float, float], half: float, colour: tuple[int, ...]) -> Path:
    """A tile in UTM 31N, 2 m pixels, a ``2 * half`` square around a Lambert-93 point."""
    xs, ys = transform_points(L93, UTM31, [centre_l93[0]], [centre_l93[1]])
    x, y = round(xs[0]), round(ys[0])
    return write_tile(path, (x - half, y - half, x + half, y + half), colour, crs=UTM31, res=2.0)


def sample(path: Path, x: float, y: float) -> tuple[int, int, int]:
    """The output's RGB at a map coordinate."""
    with rasterio.open(path) as src:
        return tuple(int(v) for v in next(src.sample([(x, y)])))  # type: ignore[return-value]


def close_to(actual: tuple[int, ...], expected: tuple[int, ...]) -> bool:
    return all(abs(a - e) <= TOLERANCE for a, e in zip(actual, expected, strict=True))


@pytest.fixture
def mosaic_tiles(tmp_path: Path) -> list[Path]:
    """Red and blue Lambert-93 tiles with a 50 m gap between them, plus a UTM tile.

    Layout (Lambert-93, x to the right):

    * red   x 649900-650250, y 6859900-6860600 (beyond the area on three sides)
    * gap   x 650250-650300
    * blue  x 650300-650700, y 6860250-6860600
    * green around (650500, 6860000), +-80 m, in UTM 31N; fill above it up to blue
    """
    return [
        write_tile(tmp_path / "red.tif", (649900, 6859900, 650250, 6860600), RED),
        write_tile(tmp_path / "blue.tif", (650300, 6860250, 650700, 6860600), BLUE),
        utm_tile(tmp_path / "green_utm.tif", (650500, 6860000), 80, GREEN),
    ]


# --------------------------------------------------------------------------- mosaic


def test_mosaic_places_tiles_and_fills_gaps(tmp_path: Path, mosaic_tiles: list[Path]) -> None:
    out = tmp_path / "out" / "ortho.tif"
    out.parent.mkdir()
    report = import_ortho(mosaic_tiles, out, crs=L93, bounds=SITE, margin_m=MARGIN)

    assert isinstance(report, ImportReport)
    assert report.out_path == out
    assert report.resolution == 1.0  # the finest tile; the UTM one is 2 m
    assert report.bounds == AREA
    assert (report.width, report.height) == (700, 600)
    assert report.tiles_used == 3
    assert report.tiles_skipped == ()

    assert close_to(sample(out, 650000, 6860300), RED)
    assert close_to(sample(out, 650100, 6860000), RED)
    assert close_to(sample(out, 650275, 6860300), FILL_RGB)  # gap between red and blue
    assert close_to(sample(out, 650500, 6860450), BLUE)
    assert close_to(sample(out, 650500, 6860000), GREEN)  # UTM tile, reprojected
    assert close_to(sample(out, 650450, 6859950 + 10), GREEN)
    assert close_to(sample(out, 650500, 6860180), FILL_RGB)  # between green and blue
    assert close_to(sample(out, 650620, 6860150), FILL_RGB)  # beyond the green tile
    # Nothing left behind but the image.
    assert sorted(p.name for p in out.parent.iterdir()) == ["ortho.tif"]


def test_output_format(tmp_path: Path, mosaic_tiles: list[Path]) -> None:
    out = tmp_path / "ortho.tif"
    import_ortho(mosaic_tiles, out, crs=L93, bounds=SITE, margin_m=MARGIN)

    with rasterio.open(out) as src:
        assert src.driver == "GTiff"
        assert src.crs == CRS.from_user_input(L93)
        assert src.res == (1.0, 1.0)
        assert tuple(src.bounds) == AREA
        assert (src.count, src.dtypes) == (3, ("uint8",) * 3)
        assert src.block_shapes == [(512, 512)] * 3
        assert src.compression == Compression.jpeg
        assert src.photometric == PhotometricInterp.ycbcr
        assert src.colorinterp == (ColorInterp.red, ColorInterp.green, ColorInterp.blue)
        # 600 px smallest side: one overview level brings it below 512.
        assert src.overviews(1) == [2]
    with rasterio.open(out, overview_level=0) as ovr:
        assert (ovr.width, ovr.height) == (350, 300)
        assert ovr.compression == Compression.jpeg
        assert ovr.photometric == PhotometricInterp.ycbcr
        assert close_to(tuple(int(v) for v in ovr.read()[:, 150, 20]), RED)


def test_clip_to_bounds_and_margin(tmp_path: Path, mosaic_tiles: list[Path]) -> None:
    out = tmp_path / "ortho.tif"
    report = import_ortho(mosaic_tiles, out, crs=L93, bounds=SITE, margin_m=20.0)
    expected = (650080.0, 6860080.0, 650520.0, 6860420.0)
    assert report.bounds == expected
    with rasterio.open(out) as src:
        assert tuple(src.bounds) == expected
        assert (src.width, src.height) == (440, 340)
        assert src.overviews(1) == []  # smaller than one tile: no overview


def test_bounds_widen_to_whole_pixels(tmp_path: Path, mosaic_tiles: list[Path]) -> None:
    out = tmp_path / "ortho.tif"
    site = (650100.3, 6860100.6, 650200.2, 6860200.1)
    report = import_ortho(mosaic_tiles[:1], out, crs=L93, bounds=site, margin_m=0.0, resolution_m=2.0)
    assert report.bounds == (650100.0, 6860100.0, 650202.0, 6860202.0)
    assert report.resolution == 2.0
    assert (report.width, report.height) == (51, 51)


def test_coarser_resolution(tmp_path: Path, mosaic_tiles: list[Path]) -> None:
    out = tmp_path / "ortho.tif"
    report = import_ortho(mosaic_tiles, out, crs=L93, bounds=SITE, margin_m=MARGIN, resolution_m=4.0)
    # The grid is anchored at multiples of 4 m, so the area widens by 2 m a side.
    assert report.bounds == (649948.0, 6859948.0, 650652.0, 6860552.0)
    assert (report.width, report.height, report.resolution) == (176, 151, 4.0)
    with rasterio.open(out) as src:
        assert src.res == (4.0, 4.0)
    assert close_to(sample(out, 650000, 6860300), RED)
    assert close_to(sample(out, 650500, 6860000), GREEN)


def test_geographic_tile(tmp_path: Path) -> None:
    from rasterio.warp import transform_bounds

    w, s, e, n = transform_bounds(L93, "EPSG:4326", *AREA)
    box = (round(w, 3) - 0.001, round(s, 3) - 0.001, round(e, 3) + 0.001, round(n, 3) + 0.001)
    tile = write_tile(tmp_path / "wgs84.tif", box, GREEN, crs="EPSG:4326", res=1e-5)
    out = tmp_path / "o.tif"
    report = import_ortho([tile], out, crs=L93, bounds=SITE)
    # 1e-5 degree of longitude near Paris is about 0.73 m: the finest side wins.
    assert report.resolution == pytest.approx(0.73, abs=0.02)
    assert close_to(sample(out, 650300, 6860250), GREEN)
    assert close_to(sample(out, AREA[0] + 2, AREA[1] + 2), GREEN)


def test_first_tile_wins_where_tiles_overlap(tmp_path: Path) -> None:
    blue = write_tile(tmp_path / "blue.tif", AREA, BLUE)
    red = write_tile(tmp_path / "red.tif", (650000, 6860000, 650300, 6860300), RED)
    out = tmp_path / "ortho.tif"
    import_ortho([red, blue], out, crs=L93, bounds=SITE)
    assert close_to(sample(out, 650150, 6860150), RED)
    assert close_to(sample(out, 650400, 6860350), BLUE)


def test_tiles_outside_are_skipped_when_others_cover_the_site(tmp_path: Path) -> None:
    inside = write_tile(tmp_path / "in.tif", AREA, BLUE)
    outside = write_tile(tmp_path / "far.tif", (700000, 6800000, 700100, 6800100), RED)
    report = import_ortho([outside, inside], tmp_path / "o.tif", crs=L93, bounds=SITE)
    assert report.tiles_used == 1
    assert report.tiles_skipped == (outside,)


def test_progress_is_reported(tmp_path: Path, mosaic_tiles: list[Path]) -> None:
    calls: list[tuple[float, str]] = []
    import_ortho(
        mosaic_tiles,
        tmp_path / "o.tif",
        crs=L93,
        bounds=SITE,
        progress=lambda f, label: calls.append((f, label)),
    )
    fractions = [f for f, _ in calls]
    assert fractions == sorted(fractions)
    assert all(0.0 <= f <= 1.0 for f in fractions)
    assert fractions[-1] == 1.0
    assert all(isinstance(label, str) and label for _, label in calls)
    assert len(calls) >= 5


# ------------------------------------------------------------------- band layouts


def test_greyscale_tile(tmp_path: Path) -> None:
    tile = write_tile(tmp_path / "grey.tif", AREA, (90,))
    out = tmp_path / "o.tif"
    import_ortho([tile], out, crs=L93, bounds=SITE)
    assert close_to(sample(out, 650300, 6860250), (90, 90, 90))


def test_rgba_alpha_marks_missing_pixels(tmp_path: Path) -> None:
    path = tmp_path / "rgba.tif"
    data = np.zeros((4, 600, 700), np.uint8)
    data[:3] = np.array(RED, np.uint8)[:, None, None]
    data[3, :, :350] = 255  # west half opaque, east half transparent
    with rasterio.open(
        path,
        "w",
        driver="GTiff",
        width=700,
        height=600,
        count=4,
        dtype="uint8",
        crs=L93,
        transform=from_origin(AREA[0], AREA[3], 1, 1),
        photometric="RGB",
        alpha="YES",
    ) as dst:
        dst.write(data)
    out = tmp_path / "o.tif"
    import_ortho([path], out, crs=L93, bounds=SITE)
    assert close_to(sample(out, 650100, 6860250), RED)
    assert close_to(sample(out, 650500, 6860250), FILL_RGB)


def test_rgb_nir_tile_drops_infrared(tmp_path: Path) -> None:
    tile = write_tile(tmp_path / "rgbn.tif", AREA, (*GREEN, 250))
    out = tmp_path / "o.tif"
    import_ortho([tile], out, crs=L93, bounds=SITE)
    assert close_to(sample(out, 650300, 6860250), GREEN)


def test_nodata_value_marks_missing_pixels(tmp_path: Path) -> None:
    path = tmp_path / "nodata.tif"
    data = np.zeros((3, 600, 700), np.uint8)
    data[:, :300] = np.array(BLUE, np.uint8)[:, None, None]  # north half, rest is nodata
    with rasterio.open(
        path,
        "w",
        driver="GTiff",
        width=700,
        height=600,
        count=3,
        dtype="uint8",
        crs=L93,
        transform=from_origin(AREA[0], AREA[3], 1, 1),
        nodata=0,
    ) as dst:
        dst.write(data)
    out = tmp_path / "o.tif"
    import_ortho([path], out, crs=L93, bounds=SITE)
    assert close_to(sample(out, 650300, 6860400), BLUE)
    assert close_to(sample(out, 650300, 6860100), FILL_RGB)


def test_palette_tile_is_expanded(tmp_path: Path) -> None:
    path = tmp_path / "palette.tif"
    with rasterio.open(
        path,
        "w",
        driver="GTiff",
        width=700,
        height=600,
        count=1,
        dtype="uint8",
        crs=L93,
        transform=from_origin(AREA[0], AREA[3], 1, 1),
        photometric="palette",
    ) as dst:
        dst.write(np.full((1, 600, 700), 3, np.uint8))
        dst.write_colormap(1, {3: (*GREEN, 255)})
    out = tmp_path / "o.tif"
    import_ortho([path], out, crs=L93, bounds=SITE)
    assert close_to(sample(out, 650300, 6860250), GREEN)


# ---------------------------------------------------------------------- JPEG 2000


@pytest.mark.skipif(
    "JP2OpenJPEG" not in rasterio.drivers.raster_driver_extensions().values(),
    reason="rasterio's GDAL has no OpenJPEG driver",
)
def test_jpeg2000_tile(tmp_path: Path, mosaic_tiles: list[Path]) -> None:
    jp2 = write_tile(
        tmp_path / "blue.jp2",
        (650300, 6860250, 650700, 6860600),
        BLUE,
        driver="JP2OpenJPEG",
        QUALITY=100,
        REVERSIBLE="YES",
    )
    out = tmp_path / "o.tif"
    report = import_ortho([mosaic_tiles[0], jp2], out, crs=L93, bounds=SITE)
    assert report.tiles_used == 2
    assert close_to(sample(out, 650500, 6860450), BLUE)
    assert close_to(sample(out, 650000, 6860300), RED)
    assert close_to(sample(out, 650275, 6860300), FILL_RGB)


# ------------------------------------------------------------------------- errors


def test_no_tiles(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no image tiles"):
        import_ortho([], tmp_path / "o.tif", crs=L93, bounds=SITE)


def test_unreadable_file(tmp_path: Path, mosaic_tiles: list[Path]) -> None:
    junk = tmp_path / "junk.tif"
    junk.write_bytes(np.random.default_rng(1).integers(0, 256, 4096, np.uint8).tobytes())
    with pytest.raises(InputError, match=r"junk\.tif") as info:
        import_ortho([mosaic_tiles[0], junk], tmp_path / "o.tif", crs=L93, bounds=SITE)
    assert "\n" not in str(info.value)


def test_truncated_file(tmp_path: Path) -> None:
    tile = write_tile(tmp_path / "cut.tif", AREA, RED)
    tile.write_bytes(tile.read_bytes()[:2000])
    with pytest.raises(InputError, match=r"cut\.tif: cannot read image data"):
        import_ortho([tile], tmp_path / "o.tif", crs=L93, bounds=SITE)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"nowhere\.tif: no such file"):
        import_ortho([tmp_path / "nowhere.tif"], tmp_path / "o.tif", crs=L93, bounds=SITE)


def test_text_file_is_not_an_image(tmp_path: Path) -> None:
    notes = tmp_path / "notes.jp2"
    notes.write_text("not an image\n")
    with pytest.raises(InputError, match=r"notes\.jp2"):
        import_ortho([notes], tmp_path / "o.tif", crs=L93, bounds=SITE)


def test_png_without_georeferencing(tmp_path: Path) -> None:
    png = tmp_path / "photo.png"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", NotGeoreferencedWarning)
        with rasterio.open(png, "w", driver="PNG", width=64, height=64, count=3, dtype="uint8") as dst:
            dst.write(np.full((3, 64, 64), 100, np.uint8))
    with pytest.raises(InputError, match=r"photo\.png: not georeferenced"):
        import_ortho([png], tmp_path / "o.tif", crs=L93, bounds=SITE)


def test_tile_without_crs(tmp_path: Path) -> None:
    tile = tmp_path / "nocrs.tif"
    with rasterio.open(
        tile,
        "w",
        driver="GTiff",
        width=10,
        height=10,
        count=3,
        dtype="uint8",
        transform=from_origin(AREA[0], AREA[3], 1, 1),
    ) as dst:
        dst.write(np.zeros((3, 10, 10), np.uint8))
    with pytest.raises(InputError, match=r"nocrs\.tif: not georeferenced \(no CRS\)"):
        import_ortho([tile], tmp_path / "o.tif", crs=L93, bounds=SITE)


def test_tile_outside_the_site(tmp_path: Path) -> None:
    far = write_tile(tmp_path / "far.tif", (700000, 6800000, 700100, 6800100), RED)
    with pytest.raises(InputError, match=r"far\.tif: none of the 1 tile\(s\) overlaps the site"):
        import_ortho([far], tmp_path / "o.tif", crs=L93, bounds=SITE)


def test_tile_in_margin_only_does_not_cover_the_site(tmp_path: Path) -> None:
    margin_only = write_tile(tmp_path / "edge.tif", (649960, 6860100, 650050, 6860200), RED)
    with pytest.raises(InputError, match=r"edge\.tif"):
        import_ortho([margin_only], tmp_path / "o.tif", crs=L93, bounds=SITE)


@pytest.mark.parametrize("count", [2, 5])
def test_odd_band_counts(tmp_path: Path, count: int) -> None:
    tile = write_tile(tmp_path / f"bands{count}.tif", AREA, (100,) * count)
    with pytest.raises(InputError, match=rf"bands{count}\.tif: {count} bands"):
        import_ortho([tile], tmp_path / "o.tif", crs=L93, bounds=SITE)


def test_sixteen_bit_tile(tmp_path: Path) -> None:
    tile = tmp_path / "deep.tif"
    with rasterio.open(
        tile,
        "w",
        driver="GTiff",
        width=10,
        height=10,
        count=3,
        dtype="uint16",
        crs=L93,
        transform=from_origin(AREA[0], AREA[3], 1, 1),
    ) as dst:
        dst.write(np.zeros((3, 10, 10), np.uint16))
    with pytest.raises(InputError, match=r"deep\.tif: uint16 pixels"):
        import_ortho([tile], tmp_path / "o.tif", crs=L93, bounds=SITE)


def test_output_folder_missing(tmp_path: Path, mosaic_tiles: list[Path]) -> None:
    with pytest.raises(InputError, match="does not exist"):
        import_ortho(mosaic_tiles, tmp_path / "no" / "o.tif", crs=L93, bounds=SITE)


def test_output_is_a_folder(tmp_path: Path, mosaic_tiles: list[Path]) -> None:
    with pytest.raises(InputError, match="is a folder"):
        import_ortho(mosaic_tiles, tmp_path, crs=L93, bounds=SITE)


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="needs POSIX permissions, not root")
def test_output_folder_not_writable(tmp_path: Path, mosaic_tiles: list[Path]) -> None:
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o555)
    try:
        with pytest.raises(InputError, match="not writable"):
            import_ortho(mosaic_tiles, locked / "o.tif", crs=L93, bounds=SITE)
    finally:
        locked.chmod(0o755)


def test_output_folder_refusing_files(
    tmp_path: Path, mosaic_tiles: list[Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    # The same path as above for runs as root, where permissions do not bite.
    real_open = Path.open

    def refuse(self: Path, *args: object, **kwargs: object) -> object:
        if self.parent == tmp_path / "out":
            raise PermissionError(13, "Permission denied", str(self))
        return real_open(self, *args, **kwargs)  # type: ignore[arg-type]

    (tmp_path / "out").mkdir()
    monkeypatch.setattr(Path, "open", refuse)
    with pytest.raises(InputError, match=r"out is not writable \(Permission denied\)"):
        import_ortho(mosaic_tiles, tmp_path / "out" / "o.tif", crs=L93, bounds=SITE)


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"crs": "EPSG:999999"}, "crs: "),
        ({"crs": "EPSG:4326"}, "not a projected CRS"),
        ({"bounds": (1.0, 2.0, 0.0, 3.0)}, "bounds: empty extent"),
        ({"bounds": (1.0, 2.0)}, "bounds: expected"),
        ({"bounds": (0.0, 0.0, float("nan"), 1.0)}, "bounds: not finite"),
        ({"margin_m": -1.0}, "margin_m: must be >= 0"),
        ({"resolution_m": 0.0}, "resolution_m: must be > 0"),
        ({"resolution_m": 0.0001}, "resolution_m: .* too large"),
    ],
)
def test_bad_arguments(tmp_path: Path, mosaic_tiles: list[Path], kwargs: dict, match: str) -> None:
    args: dict = {"crs": L93, "bounds": SITE, **kwargs}
    with pytest.raises(InputError, match=match):
        import_ortho(mosaic_tiles, tmp_path / "o.tif", **args)


def test_failure_keeps_existing_output_and_leaves_no_temporary(tmp_path: Path) -> None:
    out = tmp_path / "ortho.tif"
    out.write_bytes(b"previous image")
    good = write_tile(tmp_path / "good.tif", AREA, RED)
    cut = write_tile(tmp_path / "cut.tif", AREA, RED)
    cut.write_bytes(cut.read_bytes()[:2000])
    before = sorted(p.name for p in tmp_path.iterdir())
    with pytest.raises(InputError, match=r"cut\.tif"):
        # The truncated tile fails when opened or while the image is being written.
        import_ortho([cut, good], out, crs=L93, bounds=SITE)
    assert out.read_bytes() == b"previous image"
    assert sorted(p.name for p in tmp_path.iterdir()) == before


def test_interruption_leaves_no_temporary(tmp_path: Path, mosaic_tiles: list[Path]) -> None:
    out_dir = tmp_path / "out"
    out_dir.mkdir()

    def stop(fraction: float, label: str) -> None:
        if label == "warping":
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        import_ortho(mosaic_tiles, out_dir / "o.tif", crs=L93, bounds=SITE, progress=stop)
    assert list(out_dir.iterdir()) == []


def test_success_replaces_existing_output(tmp_path: Path) -> None:
    out = tmp_path / "ortho.tif"
    out.write_bytes(b"previous image")
    import_ortho([write_tile(tmp_path / "t.tif", AREA, RED)], out, crs=L93, bounds=SITE)
    with rasterio.open(out) as src:
        assert src.count == 3


# -------------------------------------------------------------------------- misc


def test_overview_factors() -> None:
    assert _overview_factors(400, 5000) == []
    assert _overview_factors(512, 512) == [2]
    assert _overview_factors(1000, 3000) == [2]
    assert _overview_factors(1100, 3000) == [2, 4]
    assert _overview_factors(10000, 12000) == [2, 4, 8, 16, 32]


def test_module_import_does_not_load_rasterio() -> None:
    code = "import sys, zacviz.io.ortho_import; sys.exit('rasterio' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0
