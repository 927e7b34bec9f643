#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Builds and runs every benchmark against issue 15's budgets and prints the figures (docs/performance.md).
# Not part of the tests. Each figure is a median with its range over repeats, beside a reference measured in
# the same run (strace for the recording overhead, `unshare -Urn true` for a scenario's fixed cost, 100 separate
# runs for --runs 100, a bare QCustomPlot window for start-up).
# Usage: scripts/bench.sh [build-dir]   (default build/)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${1:-$here/build}"
SOCKSCOPE_EXTRA_PACKAGES="strace time" "$here/scripts/setup.sh" "$build"
b="$build/bench"
export SOCKSCOPE_FIXTURES="$here/tests/fixtures" # recorded runs the UI benchmarks replay
echo "== machine: $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), kernel $(uname -r), load $(cut -d' ' -f1-3 /proc/loadavg)"
for x in "$b"/bench_core_* "$b"/bench_ui_*; do
    [ -x "$x" ] || continue
    echo "== $(basename "$x")"
    QT_QPA_PLATFORM=offscreen "$x"
    echo
done
# The big figure (issue 15 item 5): the soak's over-100k-event scenario, run once, then its run file to PDF.
big="$(mktemp -d)"
trap 'rm -rf "$big"' EXIT
python3 "$here/tests/soak/bigscenarios.py" "$big"
echo "== big run to PDF: $(basename "$big")/events-100k.scn"
"$build/app/sockscope" export "$big/events-100k.scn" -o "$big/big.sockrun" -q || true # expectations aside
echo "events: $(($(wc -l <"$big/big.sockrun") - 1))"
/usr/bin/time -f "export to PDF: %e s wall, %M KiB peak RSS" \
    env QT_QPA_PLATFORM=offscreen "$build/app/sockscope" export "$big/big.sockrun" -o "$big/big.pdf" -q
echo "PDF: $(stat -c %s "$big/big.pdf") bytes"
echo
echo "== load at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
