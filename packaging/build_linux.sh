#!/usr/bin/env bash
# Build the one-folder Linux bundle (dist/zacviz/) with PyInstaller, then run
# its smoke test. Slow (several minutes, ~1 GB of disk while it works).
#
#   bash packaging/build_linux.sh            build, then smoke-test
#   bash packaging/build_linux.sh --no-test  build only
#
# Uses the project's virtual environment (scripts/setup.sh makes it) and adds
# the pinned build tools of packaging/requirements-build.txt to it.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
VENV=${VENV:-.venv}
[ -x "$VENV/bin/python" ] || { echo "error: no virtual environment: run scripts/setup.sh first" >&2; exit 2; }
"$VENV/bin/python" -m pip install -q -r packaging/requirements-build.txt
# The web viewer goes in the bundle when it has been built (npm run build in web/).
[ -f web/dist/index.html ] || echo "note: web/dist is not built: 'zacviz export-web' will not work in this bundle" >&2
"$VENV/bin/pyinstaller" --noconfirm --clean --log-level WARN \
    --distpath dist --workpath build/pyinstaller packaging/zacviz.spec
# A Python built from source (pyenv) keeps its debugging symbols: 22 MB that
# stripping brings to 5.5.
find dist/zacviz/_internal -maxdepth 1 -name 'libpython3*.so*' -type f -exec strip --strip-unneeded {} +
# Many wheels' libraries and extension modules (rasterio's, shapely's, Pillow's,
# the standard library's) carry DWARF debugging sections: about 58 MB. Only those
# sections go (--strip-debug): the dynamic symbols and the RPATHs auditwheel
# wrote stay, and every library still loads (the smoke test below).
# (grep reads readelf's whole output: with -q it would stop at the first match,
# readelf die of SIGPIPE, and pipefail make the test false at random.)
find dist/zacviz/_internal -name '*.so*' -type f | while read -r lib; do
    if readelf -S "$lib" 2>/dev/null | grep '\.debug_info' >/dev/null; then
        strip --strip-debug "$lib"
    fi
done
# rasterio's and shapely's wheels each vendor GEOS. When both carry the same
# release of its C library (the file names end in its version), GDAL is given
# shapely's: a link in place of rasterio's copy, whose C++ core goes too (4.5 MB).
# The dynamic loader finds the link under the name GDAL asks for, and loads the
# library once for both.
bash packaging/share_geos.sh dist/zacviz/_internal
# Likewise one OpenSSL: Python's hashlib uses the libcrypto rasterio vendors (4.5 MB).
bash packaging/share_openssl.sh dist/zacviz/_internal
# Qt's ICU data, cut to the locales and tables zacviz can reach (31 MB -> 3.5 MB).
for icu in dist/zacviz/_internal/PySide6/Qt/lib/libicudata.so.*; do
    [ -f "$icu" ] && bash packaging/reduce_icu.sh "$icu"
done
du -sh dist/zacviz
if [ "${1:-}" != "--no-test" ]; then
    bash packaging/smoke_test.sh dist/zacviz/zacviz
fi
