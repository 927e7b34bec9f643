#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# The differential check on any number of generated scenarios: each seed's scenario runs once on the real kernel
# and must be clean (tests/differential/runchecks.h). Each failing scenario is written to OUT/seed-N.scn with
# its failures as comments, and the failing run to OUT/seed-N.sockrun (`sockscope open` it: a timing-dependent
# failure may not come back); `sockscope run OUT/seed-N.scn` reproduces it.
# Usage: scripts/differential.sh [--seeds A-B] [--out DIR] [--jobs N] [--build DIR]
#        scripts/differential.sh --repro     the known failure families (tests/differential/repro/*.scn)
#   defaults: --seeds 1-1000 --out BUILD/differential-failures --jobs 1 --build build
# Exit 0 when every seed (or reproducer) ran clean, 1 otherwise.
# Shrink a failure: scripts/differential-minimize.py TOOL seed-N.scn small.scn; sort many into families:
# scripts/differential-families.py OUT/*.scn.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
seeds=1-1000; out=""; jobs=1; build="$root/build"; repro=0
while [ $# -gt 0 ]; do
    case "$1" in
        --seeds) seeds="$2"; shift 2 ;;
        --out) out="$2"; shift 2 ;;
        --jobs) jobs="$2"; shift 2 ;;
        --build) build="$2"; shift 2 ;;
        --repro) repro=1; shift ;;
        -h|--help) sed -n '3,12p' "$0"; exit 0 ;;
        *) echo "differential.sh: unknown argument '$1'" >&2; exit 2 ;;
    esac
done
[[ "$seeds" =~ ^([0-9]+)(-([0-9]+))?$ ]] || { echo "differential.sh: --seeds takes A-B" >&2; exit 2; }
first="${BASH_REMATCH[1]}"; last="${BASH_REMATCH[3]:-$first}"
out="${out:-$build/differential-failures}"
[ -d "$build" ] || cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo
cmake --build "$build" -j2 --target sockscope-differential sockscope >/dev/null
tool="$build/tests/differential/sockscope-differential"
if [ "$repro" -eq 1 ]; then
    exec "$tool" --check "$root"/tests/differential/repro/*.scn
fi
mkdir -p "$out"

# Split the range into one slice per job; each slice prints "seed N: FAILED ..." lines and a summary.
total=$((last - first + 1)); per=$(( (total + jobs - 1) / jobs )); pids=(); logs=()
for ((j = 0; j < jobs; j++)); do
    a=$((first + j * per)); b=$((a + per - 1)); [ "$b" -gt "$last" ] && b="$last"; [ "$a" -gt "$last" ] && break
    log="$(mktemp)"; logs+=("$log")
    "$tool" --seeds "$a-$b" --out "$out" >"$log" 2>&1 & pids+=($!)
done
for p in "${pids[@]}"; do wait "$p" || true; done
cat "${logs[@]}" | grep '^seed ' | sort -t' ' -k2,2n || true
run=0; clean=0
for l in "${logs[@]}"; do
    read -r r c < <(sed -nE 's/^([0-9]+) run, ([0-9]+) clean.*/\1 \2/p' "$l")
    run=$((run + ${r:-0})); clean=$((clean + ${c:-0})); rm -f "$l"
done
echo "$run run, $clean clean, $((run - clean)) failed; failing scenarios in $out"
[ "$run" -eq "$clean" ]
