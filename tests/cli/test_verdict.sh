#!/usr/bin/env bash
# A kernel snapshot that contradicts the derived TCP states fails the run, loudly: a saved run with one
# (tests/fixtures/contradiction.sockrun, a real passive-close run with one kernel state hand-edited to conflict)
# exits 1 from export, says what the kernel said and what the model said, and shows the events around it; the same
# run without the conflict passes. Usage: test_verdict.sh SOCKSCOPE SOURCE_DIR
set -u
bin="$(realpath "$1")"; src="$2"; fx="$src/tests/fixtures"
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

expect_rc 1 "contradiction exits 1" "$bin" export "$fx/contradiction.sockrun" --format txt -o "$tmp/c.txt"
[ -s "$tmp/c.txt" ] && ok || fail "the log is still written"
expect_grep "^# end: FAILED \(1 contradiction\), " "$tmp/c.txt" "the log's end line says FAILED"
expect_grep "^FAILED CONTRADICTION at \+0\.022952: server\.1: the kernel says FIN_WAIT_2, the model says CLOSE_WAIT$" \
    "$tmp/err" "kernel vs model"
expect_grep "^events around it:$" "$tmp/err" "context header"
expect_grep "^   \+0\.021801 client  close\(4\) = 0$" "$tmp/err" "the call before it"
expect_grep "^   \+0\.021818   client\.1 -> server\.1  FIN ACK seq=8 ack=1$" "$tmp/err" "the segment before it"
expect_grep "^>> \+0\.022951   server\.1  kernel says FIN_WAIT_2, derived CLOSE_WAIT  \(CONTRADICTION\)$" "$tmp/err" \
    "the spot is marked"
expect_grep "^FAILED 1 kernel snapshot\(s\) contradicted the derived TCP states" "$tmp/err" "count"
expect_grep "saved run: the kernel contradicted the derived TCP states" "$tmp/err" "why"
# An image of it too: the same verdict, whatever the format.
expect_rc 1 "contradiction exits 1 (svg)" "$bin" export "$fx/contradiction.sockrun" --format svg -o "$tmp/c.svg"

# The same run with the conflict flag removed passes: it is the contradiction that fails it.
sed 's/,"conflict":true,"derived":"CLOSE_WAIT"//' "$fx/contradiction.sockrun" > "$tmp/clean.sockrun"
expect_rc 0 "without the conflict it passes" "$bin" export "$tmp/clean.sockrun" --format txt -o "$tmp/clean.txt"
if grep -q CONTRADICTION "$tmp/err"; then fail "clean run reports a contradiction"; else ok; fi
expect_grep "^# end: ok, " "$tmp/clean.txt" "the clean log's end line says ok"

echo "$passes passed, $fails failed"
[ "$fails" -eq 0 ]
