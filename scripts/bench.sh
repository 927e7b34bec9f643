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
SOCKSCOPE_EXTRA_PACKAGES="strace" "$here/scripts/setup.sh" "$build"
b="$build/bench"
export SOCKSCOPE_FIXTURES="$here/tests/fixtures" # recorded runs the UI benchmarks replay
echo "== machine: $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), kernel $(uname -r), load $(cut -d' ' -f1-3 /proc/loadavg)"
for x in "$b"/bench_core_* "$b"/bench_ui_*; do
    [ -x "$x" ] || continue
    echo "== $(basename "$x")"
    QT_QPA_PLATFORM=offscreen "$x"
    echo
done
echo "== load at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
