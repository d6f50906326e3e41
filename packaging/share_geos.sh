#!/usr/bin/env bash
# One GEOS in the Linux bundle: GDAL (rasterio.libs/) uses shapely's copy of the
# GEOS C library when it is the same release as its own.
#
#   bash packaging/share_geos.sh dist/zacviz/_internal
#
# auditwheel renames each vendored library with a hash (libgeos_c-23da760b.so.1.20.5)
# and writes that name in the libraries that need it. rasterio's copy of
# libgeos_c becomes a symbolic link to shapely's (and shapely's libgeos, which
# that one needs, is linked beside it); rasterio's libgeos (the C++ core only its
# libgeos_c needs) goes. Left alone, with a note, when the versions
# differ or anything else in the bundle needs rasterio's libgeos.
set -euo pipefail
internal=${1:?usage: share_geos.sh DIST/_internal}
shopt -s nullglob
ours=("$internal"/rasterio.libs/libgeos_c-*.so.*)
theirs=("$internal"/shapely.libs/libgeos_c-*.so.*)
if [ ${#ours[@]} -eq 1 ] && [ -L "${ours[0]}" ]; then
    echo "GEOS: GDAL already uses shapely's copy"
    exit 0
fi
if [ ${#ours[@]} -ne 1 ] || [ ${#theirs[@]} -ne 1 ]; then
    echo "note: GEOS not shared (rasterio: ${#ours[@]} libgeos_c, shapely: ${#theirs[@]})"
    exit 0
fi
ours=${ours[0]} theirs=${theirs[0]}
if [ "${ours##*.so.}" != "${theirs##*.so.}" ]; then
    echo "note: GEOS not shared: rasterio's C API ${ours##*.so.}, shapely's ${theirs##*.so.}"
    exit 0
fi
# rasterio's GEOS core, named in its libgeos_c, and needed by nothing else.
core=$(readelf -d "$ours" | sed -n 's/.*(NEEDED).*\[\(libgeos-[^]]*\)\]/\1/p')
if [ -z "$core" ] || [ ! -f "$internal/rasterio.libs/$core" ]; then
    echo "note: GEOS not shared: no libgeos beside rasterio's libgeos_c"
    exit 0
fi
others=$(find "$internal" -name '*.so*' -type f ! -path "$ours" ! -name "$core" -print0 \
    | xargs -0 -r grep -l --fixed-strings "$core" || true)
if [ -n "$others" ]; then
    echo "note: GEOS not shared: $core is needed by $others"
    exit 0
fi
before=$(du -sk "$internal" | cut -f1)
rm -f "$ours" "$internal/rasterio.libs/$core"
ln -s "../shapely.libs/$(basename "$theirs")" "$ours"
# The loader looks for a library's own needs beside the name it was opened
# under ($ORIGIN is not resolved through links): shapely's GEOS core, linked too.
their_core=$(readelf -d "$theirs" | sed -n 's/.*(NEEDED).*\[\(libgeos-[^]]*\)\]/\1/p')
[ -n "$their_core" ] && ln -sfn "../shapely.libs/$their_core" "$internal/rasterio.libs/$their_core"
# PyInstaller's links beside the executable to the file that went.
find "$internal" -maxdepth 1 -xtype l -name 'libgeos-*' -delete
echo "GEOS ${theirs##*.so.}: GDAL uses shapely's copy ($(( (before - $(du -sk "$internal" | cut -f1)) / 1024 )) MB less)"
