"""``zacviz lots`` and ``zacviz zones``: the park's data in the French standards (SPEC §7).

Every file is made here: TERRAIN-ECO tables (``;`` and ``,``, with a BOM,
Lambert-93 and WGS 84), Etalab cadastre parcels (``.json.gz``) and a CNIG PLU
``zone_urba`` layer, on the small site of ``conftest.make_site``.
"""

from __future__ import annotations

import csv
import gzip
import json
from pathlib import Path

import pytest
import shapely
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pyproj import Transformer
from shapely.geometry import shape

from zacviz.cli import main
from zacviz.io.site_folder import load_site
from zacviz.io.terrain_eco import read_table, status_for, validate_table

TO_WGS84 = Transformer.from_crs("EPSG:2154", "EPSG:4326", always_xy=True)


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def refused(capsys, *argv: str) -> str:
    """The one ``error:`` line of a refused command (exit 2, nothing on stdout about writing)."""
    code, out, err = run(capsys, *argv)
    assert code == 2, (out, err)
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), err
    assert "Traceback" not in err and "internal error" not in err
    return lines[0]


def export(capsys, site: Path, out: Path, *extra: str) -> list[dict[str, str]]:
    code, _stdout, err = run(
        capsys,
        "lots",
        "export",
        "--to",
        "cnig-terrain-eco",
        "--site",
        str(site),
        "--out",
        str(out),
        "--date",
        "2026-05-04",
        *extra,
    )
    assert code == 0, err
    with out.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh, delimiter=";"))


def write_csv(path: Path, rows: list[dict[str, str]], delimiter: str = ";", bom: bool = False) -> Path:
    with path.open("w", encoding="utf-8-sig" if bom else "utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]), delimiter=delimiter)
        writer.writeheader()
        writer.writerows(rows)
    return path


def import_terrain(capsys, site: Path, table: Path, *extra: str) -> tuple[int, str, str]:
    return run(
        capsys, "lots", "import", "--from", "cnig-terrain-eco", str(table), "--site", str(site), *extra
    )


def lonlat_ring(points: list[tuple[float, float]]) -> list[list[float]]:
    ring = [list(TO_WGS84.transform(x, y)) for x, y in points]
    return [*ring, ring[0]]


def l93_ring(points: list[tuple[float, float]]) -> list[list[float]]:
    return [[x, y] for x, y in points] + [list(points[0])]


# ----------------------------------------------------------------- export


def test_export_is_a_valid_terrain_eco_table(tmp_path: Path, make_site, kit, capsys) -> None:
    site = make_site(
        tmp_path,
        lots=[
            kit.lot("A1", kit.LOT_A1, status="sold", price_eur_m2=32),
            kit.lot("A2", kit.LOT_A2, terr_refcad="60104000ZC0012|60104000ZC0013"),
        ],
    )
    rows = export(capsys, site, tmp_path / "terrain.csv", "--site-id", "60104_SITE-ECO_00001")
    validate_table(read_table(tmp_path / "terrain.csv"))  # the published schema, through frictionless
    assert [r["terr_id"] for r in rows] == ["A1", "A2"]
    a1, a2 = rows
    assert a1["site_id"] == "60104_SITE-ECO_00001"
    assert a1["terr_stade_comm"] == "vendu, commercialisation achevée"
    assert a2["terr_stade_comm"] == "en vente"
    assert a1["terr_m2_prix"] == "32" and a2["terr_m2_prix"] == ""
    assert a1["terr_surf_brute"] == "0.8"  # 100 m × 80 m, in hectares
    assert a2["terr_refcad"] == "60104000ZC0012|60104000ZC0013"
    assert a1["terr_actu_date"] == a1["terr_identif_date"] == "2026-05-04"
    geom = shape(json.loads(a1["terr_geomsurf"]))
    assert geom.equals(shapely.box(*kit.LOT_A1))  # Lambert-93, as the site


def test_export_takes_the_site_id_from_site_toml_and_refuses_a_bad_option(
    tmp_path: Path, make_site, capsys
) -> None:
    site = make_site(tmp_path, site_extra={"cnig_site_id": "60104_SITE-ECO_00007"})
    rows = export(capsys, site, tmp_path / "t.csv")
    assert {r["site_id"] for r in rows} == {"60104_SITE-ECO_00007"}
    line = refused(
        capsys,
        "lots",
        "export",
        "--to",
        "cnig-terrain-eco",
        "--site",
        str(site),
        "--out",
        str(tmp_path / "u.csv"),
        "--usage",
        "usine",
    )
    assert "--usage" in line and "bâti productif" in line
    assert not (tmp_path / "u.csv").exists()


def test_round_trip_export_import_changes_nothing(tmp_path: Path, make_site, kit, capsys) -> None:
    site = make_site(
        tmp_path,
        lots=[
            kit.lot("A1", kit.LOT_A1, status="reserved", price_eur_m2=35.5, name="Vitrine"),
            kit.lot(
                "A2", kit.LOT_A2, terr_refcad="60104000ZC0012", terr_stade_comm="en vente avec contraintes"
            ),
        ],
    )
    before = (site / "lots.geojson").read_bytes()
    rows = export(capsys, site, tmp_path / "terrain.csv")
    assert rows[1]["terr_stade_comm"] == "en vente avec contraintes"  # kept verbatim
    code, out, err = import_terrain(capsys, site, tmp_path / "terrain.csv")
    assert code == 0, err
    assert "no change" in out or "aucun changement" in out
    code, out, err = import_terrain(capsys, site, tmp_path / "terrain.csv", "--write")
    assert code == 0 and (site / "lots.geojson").read_bytes() == before


# ----------------------------------------------------------------- import


def test_status_and_price_change_dry_run_then_write(tmp_path: Path, make_site, kit, capsys) -> None:
    site = make_site(
        tmp_path,
        lots=[kit.lot("A1", kit.LOT_A1, status="available", price_eur_m2=30), kit.lot("A2", kit.LOT_A2)],
    )
    rows = export(capsys, site, tmp_path / "terrain.csv")
    rows[0]["terr_stade_comm"] = "vendu, commercialisation achevée"
    rows[0]["terr_m2_prix"] = "41.5"
    table = write_csv(tmp_path / "edited.csv", rows)
    before = (site / "lots.geojson").read_bytes()
    code, out, err = import_terrain(capsys, site, table)
    assert code == 0, err
    assert "status: available → sold" in out
    assert "price_eur_m2: 30 → 41.5" in out
    assert "A2" not in out  # unchanged lots are not listed
    assert (site / "lots.geojson").read_bytes() == before  # a dry run writes nothing
    code, out, err = import_terrain(capsys, site, table, "--write")
    assert code == 0, err
    a1 = load_site(site).lot("A1")
    assert a1 is not None and a1.status == "sold" and a1.price_eur_m2 == 41.5
    assert list(site.iterdir()) == [p for p in site.iterdir() if not p.name.startswith(".")]  # no temp left
    code, out, _ = import_terrain(capsys, site, table)
    assert code == 0 and "A1" not in out


def test_comma_bom_wgs84_table_adds_and_removes_lots(tmp_path: Path, make_site, kit, capsys) -> None:
    site = make_site(tmp_path)
    rows = export(capsys, site, tmp_path / "terrain.csv")
    x0, y0 = kit.X0, kit.Y0
    a1 = dict(rows[0])
    a1["terr_geomsurf"] = json.dumps(
        {
            "type": "Polygon",
            "coordinates": [lonlat_ring([(x0, y0), (x0 + 100, y0), (x0 + 100, y0 + 80), (x0, y0 + 80)])],
        }
    )
    b1 = dict(
        rows[0],
        terr_id="60104_TERRAIN-ECO_00001",
        terr_stade_comm="non commercialisable",
        terr_refcad="60104000ZC0012|60104000ZC0013",
    )
    b1["terr_geomsurf"] = json.dumps(
        {
            "type": "MultiPolygon",
            "coordinates": [
                [lonlat_ring([(x0, y0 + 80), (x0 + 100, y0 + 80), (x0 + 100, y0 + 160), (x0, y0 + 160)])]
            ],
        }
    )
    table = write_csv(tmp_path / "excel.csv", [a1, b1], delimiter=",", bom=True)  # A2 left out
    code, out, err = import_terrain(capsys, site, table, "--write")
    assert code == 0, err
    assert "lot 60104_TERRAIN-ECO_00001 added" in out or "lot 60104_TERRAIN-ECO_00001 ajouté" in out
    assert "- " in out and "A2" in out  # removed
    loaded = load_site(site)
    assert [lot.id for lot in loaded.lots] == ["A1", "60104_TERRAIN-ECO_00001"]
    new = loaded.lot("60104_TERRAIN-ECO_00001")
    assert new is not None and new.status == "not_for_sale" and new.zone == "UE"
    assert new.properties["terr_refcad"] == "60104000ZC0012|60104000ZC0013"
    assert new.properties["terr_stade_comm"] == "non commercialisable"
    assert shapely.hausdorff_distance(new.polygon, shapely.box(x0, y0 + 80, x0 + 100, y0 + 160)) < 0.01
    assert loaded.lot("A1").polygon.equals(shapely.box(*kit.LOT_A1))  # same outline: kept as it was


def test_crs_option_and_a_table_in_the_wrong_crs(tmp_path: Path, make_site, kit, capsys) -> None:
    site = make_site(tmp_path)
    rows = export(capsys, site, tmp_path / "terrain.csv")
    to_3857 = Transformer.from_crs("EPSG:2154", "EPSG:3857", always_xy=True)
    for row in rows:
        ring = shape(json.loads(row["terr_geomsurf"])).exterior.coords
        row["terr_geomsurf"] = json.dumps(
            {"type": "Polygon", "coordinates": [[list(to_3857.transform(x, y)) for x, y in ring]]}
        )
    table = write_csv(tmp_path / "mercator.csv", rows)
    line = refused(capsys, "lots", "import", "--from", "cnig-terrain-eco", str(table), "--site", str(site))
    assert "mercator.csv" in line and "--crs" in line and "km from the site" in line
    code, out, err = import_terrain(capsys, site, table, "--crs", "EPSG:3857")
    assert code == 0, err
    assert "no change" in out or "aucun changement" in out  # back where they were, to the centimetre
    line = refused(
        capsys,
        "lots",
        "import",
        "--from",
        "cnig-terrain-eco",
        str(table),
        "--site",
        str(site),
        "--crs",
        "EPSG:99999",
    )
    assert "--crs" in line
    line = refused(
        capsys,
        "lots",
        "import",
        "--from",
        "cnig-terrain-eco",
        str(tmp_path / "terrain.csv"),
        "--site",
        str(site),
        "--crs",
        "EPSG:4326",
    )
    assert "not in EPSG:4326" in line


@pytest.mark.parametrize(
    ("cell", "words"),
    [
        ('{"type": "Polygon", "coordinates": [[[1,2],[3', ("line 3", "terr_geomsurf")),
        ('{"type": "Point", "coordinates": [649000, 6948000]}', ("line 3", "terr_geomsurf")),
        (
            json.dumps(
                {
                    "type": "Polygon",
                    "coordinates": [
                        l93_ring([(649000, 6948100), (649100, 6948200), (649100, 6948100), (649000, 6948200)])
                    ],
                }
            ),
            ("line 3", "terr_geomsurf", "invalid polygon"),
        ),
    ],
    ids=["truncated", "point", "bowtie"],
)
def test_a_broken_geometry_row_is_refused(tmp_path, make_site, capsys, cell, words) -> None:
    site = make_site(tmp_path)
    rows = export(capsys, site, tmp_path / "terrain.csv")
    rows[1]["terr_geomsurf"] = cell
    before = (site / "lots.geojson").read_bytes()
    line = refused(
        capsys,
        "lots",
        "import",
        "--from",
        "cnig-terrain-eco",
        str(write_csv(tmp_path / "broken.csv", rows)),
        "--site",
        str(site),
        "--write",
    )
    for word in words:
        assert word in line
    assert (site / "lots.geojson").read_bytes() == before


def test_a_status_outside_the_schema_and_a_missing_id_are_refused(tmp_path, make_site, capsys) -> None:
    site = make_site(tmp_path)
    rows = export(capsys, site, tmp_path / "terrain.csv")
    rows[0]["terr_stade_comm"] = "vendu"
    line = refused(
        capsys,
        "lots",
        "import",
        "--from",
        "cnig-terrain-eco",
        str(write_csv(tmp_path / "a.csv", rows)),
        "--site",
        str(site),
    )
    assert "line 2, terr_stade_comm: 'vendu' is not a value" in line
    assert "vendu, commercialisation achevée" in line
    rows[0]["terr_stade_comm"] = "en vente"
    rows[1]["terr_id"] = ""
    line = refused(
        capsys,
        "lots",
        "import",
        "--from",
        "cnig-terrain-eco",
        str(write_csv(tmp_path / "b.csv", rows)),
        "--site",
        str(site),
    )
    assert "line 3" in line and "terr_id" in line


def test_a_new_lot_needs_a_zone_of_the_site(tmp_path, make_site, kit, capsys) -> None:
    site = make_site(tmp_path, zones={"UE": dict(kit.ZONE_UE), "UX": {"max_height_m": 12}})
    rows = export(capsys, site, tmp_path / "terrain.csv")
    new = dict(rows[0], terr_id="C1")
    new["terr_geomsurf"] = json.dumps(
        {
            "type": "Polygon",
            "coordinates": [
                l93_ring([(kit.X0, kit.Y0 + 80), (kit.X0 + 50, kit.Y0 + 80), (kit.X0 + 50, kit.Y0 + 130)])
            ],
        }
    )
    table = write_csv(tmp_path / "t.csv", [*rows, new])
    assert "--zone" in refused(
        capsys, "lots", "import", "--from", "cnig-terrain-eco", str(table), "--site", str(site)
    )
    assert "'UZ' is not a zone" in refused(
        capsys,
        "lots",
        "import",
        "--from",
        "cnig-terrain-eco",
        str(table),
        "--site",
        str(site),
        "--zone",
        "UZ",
    )
    code, _out, err = import_terrain(capsys, site, table, "--zone", "UX", "--write")
    assert code == 0, err
    assert load_site(site).lot("C1").zone == "UX"


def test_a_result_that_is_not_a_valid_site_is_not_written(tmp_path, make_site, capsys) -> None:
    site = make_site(tmp_path)
    rows = export(capsys, site, tmp_path / "terrain.csv")
    rows[1]["terr_geomsurf"] = rows[0]["terr_geomsurf"].replace("649100", "649150")  # A2 over A1
    before = (site / "lots.geojson").read_bytes()
    line = refused(
        capsys,
        "lots",
        "import",
        "--from",
        "cnig-terrain-eco",
        str(write_csv(tmp_path / "t.csv", rows)),
        "--site",
        str(site),
        "--write",
    )
    assert "overlap" in line and "nothing written" in line
    assert (site / "lots.geojson").read_bytes() == before


def test_status_mapping() -> None:
    assert status_for("en vente") == status_for("en vente avec contraintes") == "available"
    assert status_for("réservé par option de réservation") == "reserved"
    assert status_for("réservé par une délibération de l'EPCI") == "reserved"
    assert status_for("vendu, commercialisation achevée") == "sold"
    for stade in ("non commercialisé", "non commercialisable", "inconnu", "autre", "sans objet"):
        assert status_for(stade) == "not_for_sale"


# --------------------------------------------------------------- cadastre


def parcels_file(path: Path, parcels: dict[str, list[tuple[float, float]]], gz: bool = True) -> Path:
    """An Etalab parcels file: WGS 84, no crs member, ``id`` the cadastral reference."""
    doc = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "id": pid,
                "geometry": {"type": "MultiPolygon", "coordinates": [[lonlat_ring(pts)]]},
                "properties": {
                    "id": pid,
                    "commune": "60104",
                    "prefixe": "000",
                    "section": pid[8:10],
                    "numero": pid[10:],
                    "contenance": 4000,
                },
            }
            for pid, pts in parcels.items()
        ],
    }
    data = json.dumps(doc).encode()
    path.write_bytes(gzip.compress(data) if gz else data)
    return path


def test_a_lot_from_two_cadastre_parcels(tmp_path: Path, make_site, kit, capsys) -> None:
    site = make_site(tmp_path)
    x0, y0 = kit.X0, kit.Y0 + 80
    src = parcels_file(
        tmp_path / "cadastre-60104-parcelles.json.gz",
        {
            "60104000ZC0012": [(x0, y0), (x0 + 60, y0), (x0 + 60, y0 + 70), (x0, y0 + 70)],
            "60104000ZC0013": [(x0 + 60, y0), (x0 + 100, y0), (x0 + 100, y0 + 70), (x0 + 60, y0 + 70)],
            "60104000ZC0099": [(x0 + 300, y0), (x0 + 320, y0), (x0 + 320, y0 + 20), (x0 + 300, y0 + 20)],
        },
    )
    base = ["lots", "import", "--from", "cadastre", str(src), "--site", str(site), "--id", "B1"]
    both = ["--parcels", "60104000ZC0012,60104000zc0013"]
    assert "--merge" in refused(capsys, *base, *both)
    code, out, err = run(capsys, *base, *both, "--merge")
    assert code == 0, err
    assert "B1" in out and "7 000 m²" in out
    code, out, err = run(capsys, *base, *both, "--merge", "--write")
    assert code == 0, err
    b1 = load_site(site).lot("B1")
    assert b1 is not None and b1.zone == "UE" and b1.status == "available"
    assert b1.properties["terr_refcad"] == "60104000ZC0012|60104000ZC0013"
    assert len(b1.polygon.interiors) == 0
    assert shapely.hausdorff_distance(b1.polygon, shapely.box(x0, y0, x0 + 100, y0 + 70)) < 0.01
    # The lot replaced by one parcel: same id, new outline, its other properties kept.
    code, out, err = run(capsys, *base, "--parcels", "60104000ZC0012", "--write")
    assert code == 0, err
    assert "B1" in out and "geometry" in out
    assert load_site(site).lot("B1").properties["terr_refcad"] == "60104000ZC0012"


def test_cadastre_refusals(tmp_path: Path, make_site, kit, capsys) -> None:
    site = make_site(tmp_path)
    x0, y0 = kit.X0, kit.Y0 + 80
    src = parcels_file(
        tmp_path / "parcelles.json",
        {
            "60104000ZC0012": [(x0, y0), (x0 + 40, y0), (x0 + 40, y0 + 40), (x0, y0 + 40)],
            "60104000ZC0014": [(x0 + 60, y0), (x0 + 100, y0), (x0 + 100, y0 + 40), (x0 + 60, y0 + 40)],
            "60104000ZC0020": [
                (x0 + 50, y0 - 40),
                (x0 + 90, y0 - 40),
                (x0 + 90, y0 + 10),
                (x0 + 50, y0 + 10),
            ],
        },
        gz=False,
    )
    base = ["lots", "import", "--from", "cadastre", str(src), "--site", str(site), "--id", "B1"]
    line = refused(capsys, *base, "--parcels", "60104000ZC0012,60104000ZC0404", "--merge")
    assert "no parcel 60104000ZC0404" in line
    assert "not a 14-character" in refused(capsys, *base, "--parcels", "ZC12")
    line = refused(capsys, *base, "--parcels", "60104000ZC0012,60104000ZC0014", "--merge")
    assert "not make one piece but 2" in line
    line = refused(capsys, *base, "--parcels", "60104000ZC0020")  # over lot A1
    assert "overlap" in line
    lambert = tmp_path / "lambert.json"
    lambert.write_text(
        json.dumps(
            {
                "type": "FeatureCollection",
                "features": [
                    {
                        "type": "Feature",
                        "properties": {"id": "60104000ZC0012"},
                        "geometry": {
                            "type": "Polygon",
                            "coordinates": [l93_ring([(x0, y0), (x0 + 9, y0), (x0, y0 + 9)])],
                        },
                    }
                ],
            }
        )
    )
    line = refused(
        capsys,
        "lots",
        "import",
        "--from",
        "cadastre",
        str(lambert),
        "--site",
        str(site),
        "--id",
        "B1",
        "--parcels",
        "60104000ZC0012",
    )
    assert "not longitude/latitude" in line


# ------------------------------------------------------------------ zones


def test_zones_import_assigns_majority_zone_and_adds_tables(tmp_path: Path, make_site, kit, capsys) -> None:
    site = make_site(tmp_path)
    original = (site / "site.toml").read_text(encoding="utf-8")
    x0, y0 = kit.X0, kit.Y0
    zone_urba = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "properties": {"LIBELLE": "UE", "TYPEZONE": "U", "IDURBA": "60104_PLU_20200101"},
                "geometry": {
                    "type": "Polygon",
                    "coordinates": [
                        lonlat_ring(
                            [
                                (x0 - 100, y0 - 100),
                                (x0 + 120, y0 - 100),
                                (x0 + 120, y0 + 300),
                                (x0 - 100, y0 + 300),
                            ]
                        )
                    ],
                },
            },
            {
                "type": "Feature",
                "properties": {"libelle": "1AUe", "typezone": "AUc"},
                "geometry": {
                    "type": "Polygon",
                    "coordinates": [
                        lonlat_ring(
                            [
                                (x0 + 120, y0 - 100),
                                (x0 + 400, y0 - 100),
                                (x0 + 400, y0 + 300),
                                (x0 + 120, y0 + 300),
                            ]
                        )
                    ],
                },
            },
        ],
    }
    src = tmp_path / "zone_urba.geojson"
    src.write_text(json.dumps(zone_urba), encoding="utf-8")
    code, out, err = run(capsys, "zones", "import", str(src), "--site", str(site))
    assert code == 0, err
    assert "lot A2 is astride 1AUe (80.0 %) and UE (20.0 %): given 1AUe" in out
    assert "zone: UE → 1AUe" in out and "[zones.1AUe]" in out
    assert (site / "site.toml").read_text(encoding="utf-8") == original  # dry run
    code, out, err = run(capsys, "zones", "import", str(src), "--site", str(site), "--write")
    assert code == 0, err
    text = (site / "site.toml").read_text(encoding="utf-8")
    assert text.startswith(original)  # the rest of the text kept
    assert "[zones.1AUe]" in text and "typezone AUc" in text
    assert "# max_height_m =" in text and "\nmax_height_m = 15.0" in text  # new keys commented out
    loaded = load_site(site)
    assert loaded.lot("A1").zone == "UE" and loaded.lot("A2").zone == "1AUe"
    assert loaded.zones["1AUe"].as_dict() == {}  # nothing checked until the staff fill it
    code, out, _ = run(capsys, "zones", "import", str(src), "--site", str(site))
    assert code == 0 and "[zones.1AUe]" not in out and "zone:" not in out


def test_zones_import_refuses_a_layer_without_libelle(tmp_path: Path, make_site, kit, capsys) -> None:
    site = make_site(tmp_path)
    src = tmp_path / "z.geojson"
    src.write_text(
        json.dumps(kit.feature_collection([kit.lot(None, kit.LOT_A1, zone=None)])), encoding="utf-8"
    )
    assert "libelle: missing" in refused(capsys, "zones", "import", str(src), "--site", str(site))


def test_a_council_wide_inventory_is_read_for_this_site_only(tmp_path: Path, make_site, kit, capsys) -> None:
    site = make_site(tmp_path)
    rows = export(capsys, site, tmp_path / "terrain.csv", "--site-id", "60104_SITE-ECO_00001")
    other = dict(rows[0], terr_id="60200_TERRAIN-ECO_00009", site_id="60200_SITE-ECO_00002")
    other["terr_geomsurf"] = json.dumps(
        {
            "type": "Polygon",
            "coordinates": [l93_ring([(700_000, 6_900_000), (700_100, 6_900_000), (700_000, 6_900_100)])],
        }
    )
    table = write_csv(tmp_path / "inventaire.csv", [*rows, other])
    line = refused(capsys, "lots", "import", "--from", "cnig-terrain-eco", str(table), "--site", str(site))
    assert "2 sites" in line and "--site-id" in line
    code, out, err = import_terrain(capsys, site, table, "--site-id", "60104_SITE-ECO_00001")
    assert code == 0, err
    assert "aucun changement" in out or "no change" in out
    line = refused(
        capsys,
        "lots",
        "import",
        "--from",
        "cnig-terrain-eco",
        str(table),
        "--site",
        str(site),
        "--site-id",
        "60104_SITE-ECO_00404",
    )
    assert "no row with site_id '60104_SITE-ECO_00404'" in line
    toml = site / "site.toml"
    toml.write_text(
        toml.read_text(encoding="utf-8").replace(
            "[site]\n", '[site]\ncnig_site_id = "60104_SITE-ECO_00001"\n', 1
        ),
        encoding="utf-8",
    )
    code, out, err = import_terrain(capsys, site, table)
    assert code == 0, err
    assert "aucun changement" in out or "no change" in out


def test_a_zone_name_that_is_not_a_bare_toml_key_is_quoted(tmp_path: Path, make_site, kit, capsys) -> None:
    site = make_site(tmp_path)
    x0, y0 = kit.X0, kit.Y0
    src = tmp_path / "zone_urba.geojson"
    src.write_text(
        json.dumps(
            kit.feature_collection(
                [
                    kit.feature(
                        {
                            "type": "Polygon",
                            "coordinates": [
                                l93_ring(
                                    [
                                        (x0 - 10, y0 - 10),
                                        (x0 + 300, y0 - 10),
                                        (x0 + 300, y0 + 100),
                                        (x0 - 10, y0 + 100),
                                    ]
                                )
                            ],
                        },
                        {"libelle": "UE a", "typezone": "U"},
                    ),
                ]
            )
        ),
        encoding="utf-8",
    )
    code, _out, err = run(capsys, "zones", "import", str(src), "--site", str(site), "--write")
    assert code == 0, err
    assert '[zones."UE a"]' in (site / "site.toml").read_text(encoding="utf-8")
    assert {lot.zone for lot in load_site(site).lots} == {"UE a"}


@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    lots=st.lists(
        st.tuples(
            st.sampled_from(["available", "reserved", "sold", "not_for_sale", None]),
            st.one_of(st.none(), st.floats(0.5, 500, allow_nan=False).map(lambda p: round(p, 2))),
        ),
        min_size=1,
        max_size=4,
    )
)
def test_round_trip_on_random_statuses_and_prices(tmp_path_factory, make_site, kit, capsys, lots) -> None:
    root = tmp_path_factory.mktemp("rt")
    features = []
    for i, (status, price) in enumerate(lots):
        props = {k: v for k, v in (("status", status), ("price_eur_m2", price)) if v is not None}
        features.append(
            kit.lot(f"L{i}", (kit.X0 + 50 * i, kit.Y0, kit.X0 + 50 * i + 50, kit.Y0 + 80), **props)
        )
    site = make_site(root, lots=features)
    before = (site / "lots.geojson").read_bytes()
    export(capsys, site, root / "t.csv")
    code, out, err = import_terrain(capsys, site, root / "t.csv", "--write")
    assert code == 0, err
    assert "aucun changement" in out
    assert (site / "lots.geojson").read_bytes() == before


def test_a_pipe_or_a_gzip_bomb_is_refused_not_read(tmp_path: Path, make_site, capsys, monkeypatch) -> None:
    import os

    import zacviz.io.cadastre as cadastre

    site = make_site(tmp_path)
    fifo = tmp_path / "table.csv"
    os.mkfifo(fifo)  # reading it would wait for a writer forever
    line = refused(capsys, "lots", "import", "--from", "cnig-terrain-eco", str(fifo), "--site", str(site))
    assert "table.csv" in line and "not a regular file" in line
    monkeypatch.setattr(cadastre, "MAX_BYTES", 1_000_000)
    bomb = tmp_path / "bomb.json.gz"
    bomb.write_bytes(gzip.compress(b" " * 20_000_000))
    line = refused(
        capsys, "lots", "import", "--from", "cadastre", str(bomb), "--parcels", "60104000ZC0012",
        "--site", str(site), "--id", "B1",
    )  # fmt: skip
    assert "bomb.json.gz" in line and "once decompressed" in line
