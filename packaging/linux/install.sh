#!/usr/bin/env bash
# Install a built bundle for the current user (or, as root, for everyone):
# the program in ~/.local/opt/zacviz (/opt/zacviz), the `zacviz` command, the
# menu entry and its icon.
#
#   bash packaging/linux/install.sh [dist/zacviz]
#   PREFIX=/some/where bash packaging/linux/install.sh   (into PREFIX/opt, /bin, /share)
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
SRC=$(realpath "${1:-$HERE/../../dist/zacviz}")
[ -x "$SRC/zacviz" ] || { echo "error: $SRC/zacviz not found: build with packaging/build_linux.sh" >&2; exit 2; }
if [ -n "${PREFIX:-}" ]; then
    OPT=$PREFIX/opt/zacviz BIN=$PREFIX/bin SHARE=$PREFIX/share
elif [ "$(id -u)" -eq 0 ]; then
    OPT=/opt/zacviz BIN=/usr/local/bin SHARE=/usr/local/share
else
    OPT=$HOME/.local/opt/zacviz BIN=$HOME/.local/bin SHARE=$HOME/.local/share
fi
rm -rf "$OPT"
mkdir -p "$(dirname "$OPT")" "$BIN"
cp -a "$SRC" "$OPT"
ln -sf "$OPT/zacviz" "$BIN/zacviz"
install -Dm644 "$HERE/zacviz.desktop" "$SHARE/applications/zacviz.desktop"
install -Dm644 "$HERE/../icons/zacviz.svg" "$SHARE/icons/hicolor/scalable/apps/zacviz.svg"
install -Dm644 "$HERE/../icons/zacviz.png" "$SHARE/icons/hicolor/256x256/apps/zacviz.png"
command -v update-desktop-database >/dev/null && update-desktop-database -q "$SHARE/applications" || true
command -v gtk-update-icon-cache >/dev/null && gtk-update-icon-cache -q -t "$SHARE/icons/hicolor" || true
echo "ok: $OPT, $BIN/zacviz, menu entry 'zacviz'"
