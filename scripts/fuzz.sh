#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Fuzzes sockscope's readers with libFuzzer (clang, ASan + UBSan) in a separate build (build-fuzz/), never the
# default one. Installs Debian's clang when it is missing.
# Usage: scripts/fuzz.sh [SECONDS_PER_TARGET] [TARGET...]
#   SECONDS_PER_TARGET  default 60; targets: scenario runfile eventline labstream pcapng (default: all)
#   SOCKSCOPE_FUZZ_BUILD  build directory (default: build-fuzz)
# Every crash, leak, timeout or out-of-memory input is copied to tests/fuzz/regressions/TARGET/, where CTest
# replays it on every run (fuzz.replay.TARGET). The summary (runs, seconds, crashes per target) is printed and
# appended to BUILD/fuzz-report.txt. Exit status 1 when any target crashed.
set -uo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${SOCKSCOPE_FUZZ_BUILD:-$here/build-fuzz}"
secs="${1:-60}"
shift || true
targets=("$@")
[ "${#targets[@]}" -eq 0 ] && targets=(scenario runfile eventline labstream pcapng)

if ! command -v clang++ >/dev/null; then
    echo "sockscope: installing clang (libFuzzer)" >&2
    sudo=""
    [ "$(id -u)" -ne 0 ] && sudo="sudo"
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends clang >/dev/null || exit 2
fi

cmake -S "$here" -B "$build" -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_BUILD_TYPE=RelWithDebInfo -DSOCKSCOPE_FUZZ=ON \
    -DSOCKSCOPE_GUI=OFF -DSOCKSCOPE_TESTS=OFF -DSOCKSCOPE_BENCH=OFF >/dev/null || exit 2
cmake --build "$build" -j2 --target "${targets[@]/#/fuzz_}" >/dev/null || exit 2

dict_for() { case "$1" in scenario) echo scenario.dict ;; pcapng) echo "" ;; *) echo json.dict ;; esac; }
seeds_for() {
    case "$1" in
    scenario) echo "$here/resources/scenarios $here/tests/fixtures" ;;
    *) echo "$here/tests/fuzz/seeds/$1" ;;
    esac
}

report="$build/fuzz-report.txt"
total=0
crashed=0
summary=""
for t in "${targets[@]}"; do
    corpus="$build/corpus/$t"
    crashes="$build/crashes/$t"
    rm -rf "$crashes" # inputs of earlier runs are in tests/fuzz/regressions/ already
    mkdir -p "$corpus" "$crashes"
    dict="$(dict_for "$t")"
    args=(-max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 -max_len=65536 -print_final_stats=1
          -artifact_prefix="$crashes/")
    [ -n "$dict" ] && args+=(-dict="$here/tests/fuzz/dict/$dict")
    # The corpus grows in build-fuzz; seeds and kept regressions are read, never written. libFuzzer stops at a
    # corpus directory that does not exist, and a target has regressions only once something crashed it.
    kept=()
    [ -d "$here/tests/fuzz/regressions/$t" ] && kept=("$here/tests/fuzz/regressions/$t")
    # shellcheck disable=SC2046
    "$build/tests/fuzz/fuzz_$t" "${args[@]}" "$corpus" $(seeds_for "$t") "${kept[@]}" >"$build/fuzz-$t.log" 2>&1
    rc=$?
    runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$build/fuzz-$t.log" | grep -o '[0-9]*$' | tail -1)
    found=0
    for f in "$crashes"/crash-* "$crashes"/leak-* "$crashes"/timeout-* "$crashes"/oom-*; do
        [ -e "$f" ] || continue
        found=$((found + 1))
        mkdir -p "$here/tests/fuzz/regressions/$t"
        cp -n "$f" "$here/tests/fuzz/regressions/$t/"
    done
    [ "$rc" -ne 0 ] || [ "$found" -gt 0 ] && crashed=$((crashed + 1))
    total=$((total + secs))
    line="$t: ${runs:-?} runs in ${secs} s, exit $rc, $found crash input(s)"
    echo "$line"
    summary+="$line"$'\n'
done
{
    echo "# $(date -u +%Y-%m-%dT%H:%M:%SZ) $(git -C "$here" rev-parse --short HEAD 2>/dev/null)"
    printf '%s' "$summary"
    echo "total: ${total} s fuzzed over ${#targets[@]} target(s), $crashed target(s) with crashes"
} >>"$report"
echo "total: ${total} s fuzzed over ${#targets[@]} target(s), $crashed target(s) with crashes (log: $report)"
[ "$crashed" -eq 0 ]
