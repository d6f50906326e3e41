#!/usr/bin/env bash
# One OpenSSL in the Linux bundle: Python's hashlib (_hashlib, the kiosk PIN's
# scrypt) uses the libcrypto rasterio's wheel vendors for GDAL's curl, instead of
# the build machine's copy beside it (4.5 MB).
#
#   bash packaging/share_openssl.sh dist/zacviz/_internal
#
# OpenSSL keeps its ABI within a major version and versions its symbols, so
# the build machine's libcrypto.so.3 becomes a link to rasterio's only when that
# one is OpenSSL 3 and defines every versioned symbol the bundle's users of
# libcrypto.so.3 import; otherwise nothing changes, with a note.
set -euo pipefail
internal=${1:?usage: share_openssl.sh DIST/_internal}
shopt -s nullglob
ours="$internal/libcrypto.so.3"
vendored=("$internal"/rasterio.libs/libcrypto-*.so.3)
if [ -L "$ours" ]; then
    echo "OpenSSL: already shared"
    exit 0
fi
if [ ! -f "$ours" ] || [ ${#vendored[@]} -ne 1 ]; then
    echo "note: OpenSSL not shared (no libcrypto.so.3, or not one libcrypto in rasterio.libs)"
    exit 0
fi
vendored=${vendored[0]}
# Versioned symbols: "VERSION NAME", imported (*UND*) by the users, defined by rasterio's.
imports() { objdump -T "$1" | awk 'NF >= 2 && /\*UND\*/ && $(NF-1) ~ /OPENSSL_/ {gsub(/[()]/, "", $(NF-1)); print $(NF-1), $NF}'; }
exports() { objdump -T "$1" | awk 'NF >= 2 && !/\*UND\*/ && $(NF-1) ~ /OPENSSL_/ {gsub(/[()]/, "", $(NF-1)); print $(NF-1), $NF}'; }
needed=$(mktemp) defined=$(mktemp)
trap 'rm -f "$needed" "$defined"' EXIT
users=0
while IFS= read -r -d '' lib; do
    # (no grep -q: it would close the pipe early, and pipefail fail the test)
    if readelf -d "$lib" 2>/dev/null | grep '(NEEDED).*\[libcrypto\.so\.3\]' >/dev/null; then
        imports "$lib" >>"$needed"
        users=$((users + 1))
    fi
done < <(find "$internal" -name '*.so*' -type f ! -path "$ours" -print0)
exports "$vendored" | sort -u >"$defined"
missing=$(sort -u "$needed" | comm -23 - "$defined")
if [ -n "$missing" ]; then
    echo "note: OpenSSL not shared: $(basename "$vendored") lacks $(wc -l <<<"$missing") symbol(s), e.g. $(head -1 <<<"$missing")"
    exit 0
fi
size=$(stat -c %s "$ours")
rm "$ours"
ln -s "rasterio.libs/$(basename "$vendored")" "$ours"
echo "OpenSSL: $users module(s) use rasterio's $(basename "$vendored") ($((size / 1048576)) MB less)"
