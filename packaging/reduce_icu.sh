#!/usr/bin/env bash
# Replace the ICU data library Qt brings (libicudata.so.NN, 31 MB: every locale,
# every legacy character set) by one holding what zacviz can reach through Qt,
# 3.5 MB: the root and French and English locales (collation for sorting file
# names, time zone names, number formats), the normalisation and emoji tables,
# and the windows-1252 and ISO-8859-15 converters. Other languages' collation falls
# back to the root order, as ICU does for any locale it lacks.
#
#   bash packaging/reduce_icu.sh PATH/TO/libicudata.so.NN
#
# Needs icupkg (Debian: icu-devtools) and a C compiler; without them it leaves
# the library whole, says so and exits 0 (the bundle is only larger).
set -euo pipefail
LIB=$1
name=$(basename "$LIB")
version=${name##*.so.}
if ! command -v icupkg >/dev/null || ! command -v cc >/dev/null; then
    echo "note: icupkg or cc missing (apt-get install icu-devtools gcc): ICU data kept whole (+28 MB)" >&2
    exit 0
fi
symbol="icudt${version}_dat"
# The data is one symbol: the .dat package ICU would otherwise read from a file.
read -r addr size < <(readelf -sW "$LIB" | awk -v s="$symbol" '$8 == s {print $2, $3; exit}')
read -r sec_addr sec_off < <(readelf -SW "$LIB" |
    awk '{for (i = 1; i < NF; i++) if ($i == ".rodata") {print $(i + 2), $(i + 3); exit}}')
if [ -z "${addr:-}" ] || [ -z "${sec_addr:-}" ]; then
    echo "note: no $symbol in $name: ICU data kept whole" >&2
    exit 0
fi
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
offset=$(( 0x$sec_off + 0x$addr - 0x$sec_addr ))
length=$(( size ))
package="icudt${version}l"
mkdir "$WORK/in"
dd if="$LIB" of="$WORK/in/$package.dat" bs=1M iflag=skip_bytes,count_bytes skip="$offset" count="$length" \
    status=none
icupkg -l "$WORK/in/$package.dat" >"$WORK/items.txt"
locale='(fr|en)(_[A-Za-z0-9]+)*\.res'
keep="^(cnvalias\.icu|icustd\.res|icuver\.res|root\.res|pool\.res|res_index\.res"
keep+="|likelySubtags\.res|metadata\.res|supplementalData\.res|keyTypeData\.res|langInfo\.res"
keep+="|numberingSystems\.res|plurals\.res|pluralRanges\.res|dayPeriods\.res|units\.res"
keep+="|currencyNumericCodes\.res|genderList\.res|grammaticalFeatures\.res"
keep+="|nfkc\.nrm|nfkc_cf\.nrm|uts46\.nrm|ulayout\.icu|uemoji\.icu"
keep+="|zoneinfo64\.res|timezoneTypes\.res|metaZones\.res|windowsZones\.res"
keep+="|ibm-5348_P100-1997\.cnv|ibm-923_P100-1998\.cnv|$locale"
keep+="|(coll|curr|lang|region|zone|unit)/(root\.res|pool\.res|res_index\.res|ucadata\.icu|$locale))$"
grep -Ev "$keep" "$WORK/items.txt" >"$WORK/remove.txt"
mkdir "$WORK/out"
# icupkg names the items of a package after its file: it must be icudtNNl.dat.
icupkg -r "$WORK/remove.txt" "$WORK/in/$package.dat" "$WORK/out/$package.dat"
cat >"$WORK/data.S" <<EOF
    .section .rodata
    .globl $symbol
    .type $symbol, @object
    .balign 16
$symbol:
    .incbin "$WORK/out/$package.dat"
    .size $symbol, .-$symbol
    .section .note.GNU-stack,"",@progbits
EOF
cc -shared -nostdlib -Wl,-soname,"$name" -o "$WORK/$name" "$WORK/data.S"
before=$(stat -c %s "$LIB")
cp "$WORK/$name" "$LIB"
echo "ICU data: $(grep -cvEx '' "$WORK/remove.txt") of $(wc -l <"$WORK/items.txt") items dropped," \
    "$((before / 1048576)) MB -> $(($(stat -c %s "$LIB") / 1048576)) MB"
