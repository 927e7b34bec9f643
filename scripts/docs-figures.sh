#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Makes the figures of docs/user-guide.md with the program's own command line (sockscope export) and nothing
# else. Usage: scripts/docs-figures.sh [SOCKSCOPE]   (default: build/app/sockscope)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
bin=${1:-$root/build/app/sockscope}
out=$root/docs/figures
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# The guide's first scenario, as the guide shows it (the code block after <!-- file: first.scn -->).
awk '/<!-- file: first.scn -->/ {want = 1; next} want && /^```/ {if (inside) exit; inside = 1; next} inside' \
    "$root/docs/user-guide.md" > "$tmp/first.scn"

fig() { # NAME SCENARIO ARGS...
    local name=$1 scenario=$2
    shift 2
    "$bin" export "$scenario" -o "$out/guide-$name.png" "$@"
    echo "docs/figures/guide-$name.png"
}
fig close-unread-data close-unread-data --view figure --width 1400
fig three-way-handshake-sequence three-way-handshake --view sequence --width 1200
fig simultaneous-close-timeline simultaneous-close --view timeline --width 1200
fig first-scenario "$tmp/first.scn" --view sequence --width 1200
fig close-unread-data-dark close-unread-data --view sequence --theme dark --width 1200
