#!/usr/bin/env bash
# Set zacviz up on Debian 12 (as root or as a user with sudo), then run it.
#
#   scripts/setup.sh run [ARGS...]   set up, then start the editor (zacviz ARGS)
#   scripts/setup.sh test [ARGS...]  set up, then run lint, contracts, types and the test suite
#   scripts/setup.sh                 set up only
#
# Idempotent: each step is skipped when already done (Debian packages present,
# virtual environment matching requirements.lock).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT=$(pwd)
VENV="$ROOT/.venv"

say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null || { echo "error: run as root or install sudo" >&2; exit 2; }
    SUDO="sudo"
fi

# Debian packages: Python's venv, Qt's xcb platform libraries, GL, a virtual screen,
# x11-utils (xwininfo: the tests measure the kiosk's window on a bare X server),
# poppler-utils (pdftotext: the tests read the PDF project sheet back),
# icu-devtools (icupkg: the frozen build cuts Qt's ICU data to what it uses),
# fonts-symbola (the PDF sheet's fallback for symbols and emoji),
# Qt's Wayland platform (libwayland-*), and the kiosk's compositors with what the
# tests drive them by: cage (which will not start without xwayland), weston
# (kiosk-shell), grim (a screenshot of cage's output), xdotool (a click sent
# through a compositor nested in Xvfb).
APT_PACKAGES=(
    python3 python3-venv python3-dev
    libxcb-icccm4 libxcb-keysyms1 libxcb-image0 libxcb-render-util0 libxcb-xinerama0
    libxcb-xkb1 libxcb-shape0 libxcb-randr0 libxcb-cursor0 libxkbcommon-x11-0 libxkbcommon0
    libegl1 libgl1 libgl1-mesa-dri libglib2.0-0 libfontconfig1 libdbus-1-3 fonts-dejavu-core
    fonts-symbola
    libwayland-client0 libwayland-cursor0 libwayland-egl1
    xvfb xauth x11-utils xdotool
    cage xwayland weston grim
    poppler-utils icu-devtools
    chromium
)
missing=()
for pkg in "${APT_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "ok installed" || missing+=("$pkg")
done
if [ ${#missing[@]} -gt 0 ]; then
    say "Installing Debian packages: ${missing[*]}"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# Node.js and npm build the web viewer (web/): Debian's, unless a node is already there.
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
    say "Installing Node.js and npm"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends nodejs npm >/dev/null
fi

# Python: a virtual environment with the pinned dependencies.
PYTHON=${PYTHON:-python3}
stamp="$VENV/.zacviz-setup"
want=$(cat requirements.lock pyproject.toml | sha256sum | cut -c1-16)
if [ ! -x "$VENV/bin/python" ]; then
    say "Creating the virtual environment"
    "$PYTHON" -m venv "$VENV"
fi
if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
    say "Installing Python dependencies (requirements.lock)"
    "$VENV/bin/python" -m pip install -q --upgrade pip
    "$VENV/bin/python" -m pip install -q -r requirements.lock
    "$VENV/bin/python" -m pip install -q --no-deps -e .
    echo "$want" > "$stamp"
fi
# The web viewer: npm packages pinned by web/package-lock.json, then the bundle in
# web/dist (rebuilt when a source is newer than it). `zacviz export-web` copies it.
web_stamp="web/node_modules/.zacviz-setup"
web_want=$(sha256sum < web/package-lock.json | cut -c1-16)
if [ "$(cat "$web_stamp" 2>/dev/null)" != "$web_want" ]; then
    say "Installing the web viewer's npm packages (web/package-lock.json)"
    (cd web && npm ci --no-audit --no-fund --loglevel=error)
    echo "$web_want" > "$web_stamp"
fi
if [ ! -f web/dist/viewer.js ] || [ -n "$(find web/src web/scripts web/package-lock.json -newer web/dist/viewer.js | head -n 1)" ]; then
    say "Building the web viewer (web/dist)"
    (cd web && npm run --silent build)
fi
# Bytecode, as an installed package has it: the command line starts faster.
"$VENV/bin/python" -m compileall -q zacviz >/dev/null

mode=${1:-}
[ $# -gt 0 ] && shift
case "$mode" in
    "")
        say "Set up. Start the editor with: $VENV/bin/zacviz" ;;
    run)
        if [ -z "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ]; then
            say "No screen found: starting on a virtual screen (xvfb-run)"
            exec xvfb-run -a -s "-screen 0 1600x1000x24" "$VENV/bin/zacviz" "$@"
        fi
        exec "$VENV/bin/zacviz" "$@" ;;
    test)
        export PATH="$VENV/bin:$PATH"
        say "ruff"
        ruff check zacviz tests benchmarks
        ruff format --check zacviz tests benchmarks
        say "import-linter (Qt-free core)"
        lint-imports
        say "mypy (core)"
        mypy
        say "JavaScript tests (web viewer: rule engine against the Python vectors, links)"
        (cd web && npm test --silent)
        # Qt picks one platform per process: widget tests run offscreen, then the
        # GL tests (marked gl) in a process of their own on a virtual screen.
        say "pytest (offscreen)"
        python -m pytest -m "not gl and not slow" "$@"
        say "pytest (OpenGL under Xvfb)"
        ZACVIZ_GL_TESTS=1 python -m pytest -m "gl and not slow" "$@" ;;
    *)
        echo "error: unknown mode '$mode' (use run or test)" >&2; exit 2 ;;
esac
