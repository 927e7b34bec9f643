#!/usr/bin/env bash
# Command-line behaviour: usage and input errors (exit 2, file:line:column), list, run, check exit codes,
# the JSON stream's shape, and runs as an unprivileged user. Usage: test_cli.sh SOCKSCOPE SOURCE_DIR
set -u
bin="$1"; src="$2"; fx="$src/tests/fixtures"
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

expect_rc 0 "--help" "$bin" --help;                 expect_grep "Usage: sockscope" "$tmp/out" "--help text"
expect_rc 0 "--version" "$bin" --version;           expect_grep "^sockscope [0-9]+\.[0-9]+" "$tmp/out" "--version"
expect_rc 2 "unknown option" "$bin" --frobnicate;   expect_grep "unknown command or option '--frobnicate'" "$tmp/err" "unknown option message"
expect_rc 2 "unknown run option" "$bin" run close-unread-data --jsn; expect_grep "unknown option '--jsn'" "$tmp/err" "run option message"
expect_rc 2 "run without scenario" "$bin" run
expect_rc 2 "bad --runs" "$bin" run close-unread-data --runs zero
expect_rc 2 "missing file" "$bin" run "$tmp/nope.scn"; expect_grep "nope.scn:0:0: error: cannot read file" "$tmp/err" "missing file message"
expect_rc 2 "unknown built-in" "$bin" run no-such-scenario; expect_grep "no built-in scenario or file named" "$tmp/err" "unknown built-in message"
expect_rc 2 "malformed scenario" "$bin" run "$fx/malformed.scn"
expect_grep "malformed.scn:7:17: error: .*loopback" "$tmp/err" "non-loopback address error with line:column"
expect_grep "malformed.scn:8:" "$tmp/err" "second error reported too"
expect_grep "nothing was run" "$tmp/err" "nothing runs from a file that does not parse"

expect_rc 0 "list" "$bin" list
expect_grep "^close-unread-data +abortive close +close\(\) with unread data" "$tmp/out" "list row"
[ "$(grep -c . "$tmp/out")" -ge 15 ] && ok || fail "list shows fewer than 14 built-ins"

expect_rc 0 "run built-in" "$bin" run close-unread-data
expect_grep "server\.1 -> client\.1 +RST ACK seq=1 ack=11" "$tmp/out" "log shows the RST"
expect_grep "recv\(4, 100\) = -1 ECONNRESET \(Connection reset by peer\)" "$tmp/out" "log shows ECONNRESET"
expect_grep "# end: ok" "$tmp/out" "log end line"

expect_rc 1 "failed expectation exits 1" "$bin" run "$fx/wrong-expectation.scn"
expect_grep "FAILED step 9 \(line 15\).*expected 0, got -1 ECONNRESET" "$tmp/out" "expected vs got"

expect_rc 0 "run --json" "$bin" run close-unread-data --json
cp "$tmp/out" "$tmp/run.jsonl"
python3 - "$tmp/run.jsonl" <<'PY' && ok || fail "JSON stream shape"
import json, sys
kinds = {"run","socket","step","syscall","return","signal","packet","state","queue","check","end"}
lines = open(sys.argv[1]).read().splitlines()
evs = [json.loads(l) for l in lines]
assert evs[0]["kind"] == "run" and evs[-1]["kind"] == "end", "first run, last end"
for i, e in enumerate(evs):
    assert e["n"] == i, f"n at {i}"
    assert isinstance(e["t_ns"], int) and e["kind"] in kinds, e
    if i: assert e["t_ns"] >= evs[i-1]["t_ns"], f"time order at {i}"
st = [e for e in evs if e["kind"] == "state"]
names = {"CLOSED","LISTEN","SYN_SENT","SYN_RECEIVED","ESTABLISHED","FIN_WAIT_1","FIN_WAIT_2","CLOSE_WAIT","CLOSING","LAST_ACK","TIME_WAIT"}
assert all(e["from"] in names and e["to"] in names and e["source"] in ("derived","kernel") for e in st)
pk = [e for e in evs if e["kind"] == "packet"]
assert any(p["flags"] == ["RST","ACK"] and p["from"] == "server.1" for p in pk), "RST ACK from server.1"
assert evs[0]["isolation"] == "netns" and evs[0]["capture"] is True
PY

expect_rc 0 "run --runs 3" "$bin" run close-unread-data --runs 3
expect_grep "3 runs, 3 met every expectation, 1 distinct outcome" "$tmp/out" "runs summary"
expect_grep "distinct outcome\(s\), 0 run\(s\) with contradictions:" "$tmp/out" "runs summary counts contradictions"

expect_rc 0 "run --host" "$bin" run close-unread-data --host
expect_grep "note: running on the host's loopback" "$tmp/err" "host fallback is announced"

# Unprivileged: the namespace needs no root.
if [ "$(id -u)" -eq 0 ] && command -v setpriv >/dev/null; then
    expect_rc 0 "unprivileged run" setpriv --reuid=65534 --regid=65534 --clear-groups "$bin" run close-unread-data --json
    expect_grep '"isolation":"netns","capture":true' "$tmp/out" "unprivileged run is isolated and captures"
    # Without the namespace an unprivileged user cannot capture: the run still works and says why.
    expect_rc 0 "unprivileged host run" setpriv --reuid=65534 --regid=65534 --clear-groups "$bin" run close-unread-data --host
    expect_grep "packet capture is off" "$tmp/err" "capture-off note"
    expect_grep "CAP_NET_RAW" "$tmp/err" "says what is missing"
else
    expect_rc 0 "unprivileged run" "$bin" run close-unread-data --json
fi

echo "cli: $passes passed, $fails failed"
[ "$fails" -eq 0 ]
