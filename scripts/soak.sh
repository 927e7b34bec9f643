#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Soak (issue 11, item 6; too slow for the default suite): builds the soak programs in build/ and runs
#   1. ENGINE_RUNS consecutive runs through the engine API (core::runLab) in one process,
#   2. WINDOW_RUNS through the window's runner (ui::LabWorker into a ui::RunModel, offscreen),
#   3. 8 CLI runs in parallel (8 different built-ins), repeated CLI_ROUNDS times: every run exits 0 and its
#      stream names its own scenario (no cross-talk), and no lab process is left,
#   4. a scenario with 1000 connections into a full backlog and one with over 100k events: 0 capture drops,
#      and the end event's packet count equals the packet events in the stream.
# Descriptors, threads, children and RSS are printed at the start and the end of 1 and 2; growth fails.
# Usage: scripts/soak.sh [--only PART,...] [ENGINE_RUNS [WINDOW_RUNS [CLI_ROUNDS]]]   (defaults 1000 200 200)
#   PART: engine, window, cli, backlog, events (the 100k-event run); default all of them.
set -u
cd "$(dirname "$0")/.."
parts="engine,window,cli,backlog,events"
if [ "${1:-}" = --only ]; then
    parts="${2:?--only needs a list of parts}"; shift 2
fi
for p in ${parts//,/ }; do
    case "$p" in engine|window|cli|backlog|events) ;; *) echo "soak: unknown part $p"; exit 2 ;; esac
done
want() { [[ ",$parts," == *",$1,"* ]]; }
engine_runs="${1:-1000}"; window_runs="${2:-200}"; cli_rounds="${3:-200}"
build=build
[ -f "$build/CMakeCache.txt" ] || cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
targets="sockscope sockscope-lab"
want engine && targets="$targets soak_engine"
if want window; then
    grep -q 'SOCKSCOPE_GUI:BOOL=ON' "$build/CMakeCache.txt" || { echo "soak: window part needs the GUI build"; exit 2; }
    targets="$targets soak_window"
fi
cmake --build "$build" -j2 --target $targets >/dev/null || { echo "soak: build failed"; exit 2; }
bin="$build/app/sockscope"
# The soak programs live in tests/soak/, not beside the lab runner.
export SOCKSCOPE_LAB_BINARY="$PWD/$build/app/sockscope-lab"
fails=0
fail() { echo "soak: FAILED: $*"; fails=$((fails+1)); }
tmp="$(mktemp -d)"; trap 'rm -rf "$tmp"' EXIT

if want engine; then
    echo "== 1. $engine_runs runs through the engine API"
    "$build/tests/soak/soak_engine" "$engine_runs" || fail "engine soak"
fi

if want window; then
    echo "== 2. $window_runs runs through the window's runner"
    QT_QPA_PLATFORM=offscreen "$build/tests/soak/soak_window" "$window_runs" || fail "window soak"
fi

cli_soak() {
echo "== 3. 8 CLI runs in parallel, $cli_rounds times"
# The first 8 built-ins of the catalogue, one per parallel slot.
mapfile -t names < <("$bin" list | awk 'NR > 1 { print $1 }' | head -8)
labs_before=$(pgrep -cx sockscope-lab)
t0=$(date +%s)
bad=0
# Peak RSS of each run (the CLI and its lab, GNU time's %M in kB), when GNU time is installed: the largest of
# the first round and of the last, so growth from round to round shows.
timer=()
[ -x /usr/bin/time ] && timer=(/usr/bin/time -q -f %M -o)
rss_first=0; rss_last=0
for round in $(seq "$cli_rounds"); do
    for i in 0 1 2 3 4 5 6 7; do
        ( ${timer[@]:+"${timer[@]}" "$tmp/rss$i"} "$bin" run "${names[$i]}" --json >"$tmp/out$i" 2>"$tmp/err$i"; echo $? >"$tmp/rc$i" ) &
    done
    wait
    for i in 0 1 2 3 4 5 6 7; do
        rc=$(cat "$tmp/rc$i")
        if [ "${#timer[@]}" -gt 0 ]; then
            kb=$(tail -1 "$tmp/rss$i")
            [ "$round" -eq 1 ] && [ "$kb" -gt "$rss_first" ] && rss_first=$kb
            [ "$round" -eq "$cli_rounds" ] && [ "$kb" -gt "$rss_last" ] && rss_last=$kb
        fi
        if [ "$rc" -ne 0 ] || ! head -1 "$tmp/out$i" | grep -q "\"scenario\":\"${names[$i]}\""; then
            bad=$((bad+1))
            echo "soak: round $round, ${names[$i]}: exit $rc"; head -3 "$tmp/err$i"
        fi
    done
done
labs_after=$(pgrep -cx sockscope-lab)
echo "soak: $((cli_rounds * 8)) CLI runs ($cli_rounds rounds of 8 in parallel: ${names[*]}) in $(( $(date +%s) - t0 )) s:" \
     "$bad failed or crossed; sockscope-lab processes before $labs_before, after $labs_after;" \
     "peak RSS of a run: round 1 ${rss_first} kB, round $cli_rounds ${rss_last} kB"
[ "$bad" -eq 0 ] || fail "CLI runs in parallel"
[ "$labs_after" -le "$labs_before" ] || fail "lab processes left after the CLI runs"
}
want cli && cli_soak

want backlog || want events && echo "== 4. big runs"
# $1 scenario file, $2 least number of events. The end's packet count must equal the packet events, 0 drops.
big_run() {
    local scn="$1" least="$2"
    local t0; t0=$(date +%s.%N)
    "$bin" run "$scn" --json >"$tmp/big.jsonl" 2>"$tmp/big.err"; local rc=$?
    local took; took=$(echo "$(date +%s.%N) - $t0" | bc)
    python3 - "$tmp/big.jsonl" "$least" "$(basename "$scn")" "$rc" "$took" <<'PY' || fail "$(basename "$scn")"
import json, sys
path, least, name, rc, took = sys.argv[1], int(sys.argv[2]), sys.argv[3], int(sys.argv[4]), float(sys.argv[5])
events = [json.loads(l) for l in open(path)]
kinds = {}
for e in events:
    kinds[e["kind"]] = kinds.get(e["kind"], 0) + 1
end = events[-1] if events and events[-1]["kind"] == "end" else {}
print(f"soak: {name}: exit {rc}, {len(events)} events in {took:.1f} s, {kinds.get('packet', 0)} packet events, "
      f"end: packets {end.get('packets')}, drops {end.get('drops')}, error {end.get('error', '')!r}")
ok = (rc == 0 and end.get("drops") == 0 and end.get("packets") == kinds.get("packet", 0) and len(events) >= least)
sys.exit(0 if ok else 1)
PY
}
python3 tests/soak/bigscenarios.py "$tmp"
want backlog && big_run "$tmp/backlog-1000.scn" 8000
want events && big_run "$tmp/events-100k.scn" 100000

[ "$fails" -eq 0 ] && echo "soak: all passed" || echo "soak: $fails part(s) failed"
[ "$fails" -eq 0 ]
