#!/usr/bin/env bash
# Smoke test of a frozen zacviz: it starts, checks a project (both verdicts),
# draws a plan, writes the PDF sheet and a CityJSON file, imports lots (PROJ,
# frictionless). No display needed.
#
#   bash packaging/smoke_test.sh [PATH/TO/zacviz]   (default: dist/zacviz/zacviz)
#
# Runs from an empty folder, with no access to the source tree's plots/, so the
# bundled site must come from inside the bundle.
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT=$(pwd)
EXE=$(realpath "${1:-dist/zacviz/zacviz}")
[ -x "$EXE" ] || { echo "error: $EXE is not an executable (build it with packaging/build_linux.sh)" >&2; exit 2; }
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
cp "$ROOT/examples/entrepot-non-conforme.zacviz.json" "$ROOT/examples/entrepot-conforme.zacviz.json" "$WORK/"
cd "$WORK"
# As on a server: no screen (render falls back to Qt's offscreen platform).
unset DISPLAY WAYLAND_DISPLAY QT_QPA_PLATFORM ZACVIZ_SITES

failures=0
pass() { printf 'PASS  %s\n' "$1"; }
fail() { printf 'FAIL  %s\n' "$1"; failures=$((failures + 1)); }
# run CMD...: sets out (stdout and stderr), rc and ELAPSED (seconds).
run() { local t0=$SECONDS; out=$("$@" 2>&1); rc=$?; ELAPSED=$((SECONDS - t0)); }

run "$EXE" --version
[ $rc -eq 0 ] && [[ $out == zacviz* ]] && pass "--version: $out (${ELAPSED}s)" || fail "--version (rc=$rc): $out"

run "$EXE" check entrepot-non-conforme.zacviz.json
if [ $rc -eq 1 ] && grep -q "Projet non conforme" <<<"$out" && grep -q "Hauteur 17,0 m > 15,0 m" <<<"$out"; then
    pass "check of a failing project: exit 1, 'Projet non conforme' (${ELAPSED}s)"
else
    fail "check of a failing project (rc=$rc): $out"
fi

run "$EXE" check entrepot-conforme.zacviz.json --format json
if [ $rc -eq 0 ] && grep -q '"compliant": true' <<<"$out"; then
    pass "check --format json of a compliant project: exit 0 (${ELAPSED}s)"
else
    fail "check of a compliant project (rc=$rc): $out"
fi

run "$EXE" render entrepot-non-conforme.zacviz.json --view plan --out plan.png --size 800x500
size=$(python3 -c "import struct,sys; d=open('plan.png','rb').read(24); print(*struct.unpack('>II', d[16:24]))" 2>/dev/null)
colours=$(python3 - <<'PY' 2>/dev/null
import zlib, struct
data = open("plan.png", "rb").read()
# Count distinct bytes in the decompressed pixels: a blank picture has very few.
idat = b"".join(data[i + 8:i + 8 + struct.unpack(">I", data[i:i + 4])[0]]
                for i in range(8, len(data)) if data[i + 4:i + 8] == b"IDAT")
print(len(set(zlib.decompress(idat))))
PY
)
if [ $rc -eq 0 ] && [ "$size" = "800 500" ] && [ "${colours:-0}" -gt 64 ]; then
    pass "render --view plan: 800×500 PNG, not blank (${ELAPSED}s)"
else
    fail "render --view plan (rc=$rc, size=$size, distinct bytes=$colours): $out"
fi

run "$EXE" report entrepot-non-conforme.zacviz.json --out fiche.pdf
if grep -q "Plan non disponible" <<<"$out"; then
    fail "report: the plan could not be drawn: $out"
elif [ $rc -eq 0 ] && [ "$(head -c 5 fiche.pdf)" = "%PDF-" ]; then
    if command -v pdftotext >/dev/null; then
        if pdftotext fiche.pdf - | grep -q "NON RESPECTÉE"; then
            pass "report: PDF sheet with the failing rules (${ELAPSED}s)"
        else
            fail "report: the PDF lacks the failing rules"
        fi
    else
        pass "report: PDF written (${ELAPSED}s; pdftotext missing, text not checked)"
    fi
else
    fail "report (rc=$rc): $out"
fi

run "$EXE" export entrepot-non-conforme.zacviz.json --format cityjson --out b3.city.json
if [ $rc -eq 0 ] && grep -q '"type":"CityJSON"' b3.city.json; then
    pass "export --format cityjson (${ELAPSED}s)"
else
    fail "export --format cityjson (rc=$rc): $out"
fi

# PROJ through rasterio's GDAL (zacviz.geometry.crs, with the bundle's PROJ database): a
# 50 m × 40 m parcel of the Etalab cadastre, in WGS 84, becomes a 2 000 m² lot of
# the bundled site (a dry run: nothing is written).
cat >parcelles.json <<'JSON'
{"type": "FeatureCollection", "features": [{"type": "Feature", "id": "60104000ZC0012",
 "geometry": {"type": "MultiPolygon", "coordinates": [[[[2.2891108, 49.6353693],
  [2.2898026, 49.6353733], [2.2897976, 49.6357327], [2.2891058, 49.6357287],
  [2.2891108, 49.6353693]]]]},
 "properties": {"id": "60104000ZC0012", "commune": "60104", "prefixe": "000", "section": "ZC",
  "numero": "0012", "contenance": 2000}}]}
JSON
run "$EXE" lots import --from cadastre parcelles.json --parcels 60104000ZC0012 --id Z9 \
    --site "$(dirname "$EXE")/_internal/plots/belle-assise"
if [ $rc -eq 0 ] && grep -q "Z9" <<<"$out" && grep -q "2 000 m²" <<<"$out"; then
    pass "lots import --from cadastre: WGS 84 parcel reprojected, 2 000 m² (${ELAPSED}s)"
else
    fail "lots import --from cadastre (rc=$rc): $out"
fi

# The TERRAIN-ECO table through the frictionless validator (its JSON profiles,
# pydantic): the bundled site's lots out, and back in (a dry run: no change).
SITE="$(dirname "$EXE")/_internal/plots/belle-assise"
run "$EXE" lots export --to cnig-terrain-eco --site "$SITE" --out lots.csv --date 2026-05-04
if [ $rc -eq 0 ] && grep -q "24 terrains TERRAIN-ECO" <<<"$out"; then
    run "$EXE" lots import --from cnig-terrain-eco lots.csv --site "$SITE"
    if [ $rc -eq 0 ] && grep -q "aucun changement" <<<"$out"; then
        pass "lots export and import --from cnig-terrain-eco: 24 lots, validated, no change (${ELAPSED}s)"
    else
        fail "lots import --from cnig-terrain-eco (rc=$rc): $out"
    fi
else
    fail "lots export --to cnig-terrain-eco (rc=$rc): $out"
fi

# OpenSSL through hashlib: the kiosk's admin PIN hash (scrypt), checked against
# this machine's Python.
run bash -c "echo 1357 | '$EXE' kiosk --hash-pin"
match=$(python3 - "$out" <<'PY' 2>/dev/null
import base64, hashlib, sys
line = sys.argv[1].strip()
_, n, r, p, salt, digest = line.split('"')[1].split("$")
unb64 = lambda t: base64.urlsafe_b64decode(t + "=" * (-len(t) % 4))
d = unb64(digest)
print(hashlib.scrypt(b"1357", salt=unb64(salt), n=int(n), r=int(r), p=int(p), dklen=len(d)) == d)
PY
)
if [ $rc -eq 0 ] && [ "$match" = "True" ]; then
    pass "kiosk --hash-pin: scrypt through the bundle's OpenSSL (${ELAPSED}s)"
else
    fail "kiosk --hash-pin (rc=$rc, verified=$match): $out"
fi

# With a (virtual) screen the sheet also gets its 3D picture: OpenGL works frozen.
if command -v xvfb-run >/dev/null && command -v pdfimages >/dev/null; then
    run xvfb-run -a -s "-screen 0 1600x1000x24" "$EXE" report entrepot-non-conforme.zacviz.json --out fiche3d.pdf
    images=$(pdfimages -list fiche3d.pdf 2>/dev/null | tail -n +3 | wc -l)
    if [ $rc -eq 0 ] && [ "$images" -eq 2 ]; then
        pass "report under Xvfb: plan and 3D pictures (${ELAPSED}s)"
    else
        fail "report under Xvfb (rc=$rc, pictures=$images): $out"
    fi
fi

run "$EXE" check nothing.zacviz.json
[ $rc -eq 2 ] && [[ $out == error:* ]] && pass "bad input: exit 2, one 'error:' line" || fail "bad input (rc=$rc): $out"

if [ $failures -eq 0 ]; then
    echo "smoke test: all passed ($EXE)"
else
    echo "smoke test: $failures failed ($EXE)"
    exit 1
fi
