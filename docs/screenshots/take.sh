#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Re-takes the screenshots in this folder: the real window under Xvfb, on a real run of each scenario.
# Usage: docs/screenshots/take.sh [path/to/sockscope]   (needs xvfb-run, ImageMagick's import, xwininfo)
# Env: THEME=system|light|dark|high-contrast  SCALE=2 (QT_SCALE_FACTOR)  NAMES="a b"  SUFFIX=-dark
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
bin="${1:-$here/../../build/app/sockscope}"
names="${NAMES:-reset-before-accept close-unread-data simultaneous-close backlog-full}"
cfg="$(mktemp -d)"
trap 'rm -rf "$cfg"' EXIT
mkdir -p "$cfg/sockscope"
printf '[view]\ntheme=%s\n' "${THEME:-system}" > "$cfg/sockscope/sockscope.conf"
for name in $names; do
    out="$here/$name${SUFFIX:-}.png"
    XDG_CONFIG_HOME="$cfg" QT_SCALE_FACTOR="${SCALE:-1}" xvfb-run -a -s "-screen 0 1600x1000x24" bash -c '
        "$1" open "$2" & pid=$!
        for _ in $(seq 100); do sleep 0.2; xwininfo -root -tree | grep -q "(\"sockscope\" \"sockscope\")" && break; done
        sleep "${3}"   # the run, then the views catch up
        geo=$(xwininfo -root -tree | grep "(\"sockscope\" \"sockscope\")" | head -1 | grep -o "[0-9]*x[0-9]*+[0-9]*+[0-9]*" | head -1)
        import -window root -crop "$geo" "$4"
        kill "$pid"' _ "$bin" "$name" "${WAIT:-4}" "$out"
    convert "$out" -strip +repage "$out"
    echo "$out ($(du -k "$out" | cut -f1) KB)"
done
