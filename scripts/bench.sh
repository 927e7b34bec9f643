#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Builds and runs the benchmarks against DESIGN.md's budgets and prints the figures. Not part of the tests.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
"$here/scripts/setup.sh" "$here/build"
b="$here/build/bench"
export SOCKSCOPE_FIXTURES="$here/tests/fixtures" # recorded runs the UI benchmarks replay
for x in "$b"/bench_core_* "$b"/bench_ui_*; do
    [ -x "$x" ] || continue
    echo "== $(basename "$x")"
    QT_QPA_PLATFORM=offscreen "$x"
    echo
done
