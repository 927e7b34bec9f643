#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Faults of the lab child from the command line (issue 11, item 5): the real lab killed (SIGKILL) or stopped
# (SIGSTOP) in the middle of a run, and fake labs (SOCKSCOPE_LAB_BINARY) that write a garbled stream, die in the
# middle of a line, or say `end` and stay. Each is a fault of the tool, not a disagreement of the kernel: exit 2,
# the reason in words on stderr (nothing on stdout), and no process left behind.
# Usage: test_labfaults.sh path/to/sockscope SOURCE_DIR
bin="$1"; src="$2"
. "$src/tests/cli/lib.sh"
fakes="$src/tests/fixtures/fakelab"

# Two waits of 2 s: the lab is in the middle of its run when it is signalled.
cat > "$tmp/waits.scn" <<'SCN'
title: two waits
topic: faults
summary: the lab waits, so a test can signal it in the middle of the run
actors: a

a  wait(2000)
a  wait(2000)
SCN

# The lab child of $1 (the sockscope process), waited for up to 10 s.
lab_of() {
    local i pid
    for i in $(seq 100); do
        pid="$(pgrep -P "$1" -x sockscope-lab | head -1)"
        [ -n "$pid" ] && { echo "$pid"; return; }
        sleep 0.1
    done
}

# A process that is gone: not running, not a zombie.
gone() { ! kill -0 "$1" 2>/dev/null; }

# $1 signal, $2 wanted message on stderr, $3 at most this many seconds from the signal to the exit.
signal_lab() {
    local sig="$1" want="$2" bound="$3"
    "$bin" run "$tmp/waits.scn" >"$tmp/out" 2>"$tmp/err" & local pid=$!
    local lab; lab="$(lab_of "$pid")"
    [ -n "$lab" ] || { fail "$sig: no lab child found"; kill -9 "$pid"; wait "$pid"; return; }
    sleep 0.5
    kill -"$sig" "$lab"
    local t0; t0=$(date +%s)
    wait "$pid"; local rc=$?
    local took=$(( $(date +%s) - t0 ))
    echo "test_labfaults: SIG$sig detected and reported after ${took} s"
    [ "$rc" -eq 2 ] && ok || fail "$sig: exit $rc, wanted 2 (a fault of the lab)"
    expect_grep "^sockscope: the lab failed: $want" "$tmp/err" "$sig: the reason on stderr"
    grep -q "the lab failed" "$tmp/out" && fail "$sig: the reason went to stdout" || ok
    [ "$took" -le "$bound" ] && ok || fail "$sig: detected after ${took} s, more than ${bound} s"
    gone "$lab" && ok || { fail "$sig: the lab $lab is still there"; kill -9 "$lab"; }
    [ -z "$(pgrep -P "$pid")" ] && ok || fail "$sig: children of sockscope left"
}

signal_lab KILL "the lab process was killed by SIGKILL" 3
# A stopped lab is silent: the watchdog stops it after the running group's budget (its step timeout, 3 s, plus its
# wait, 2 s, plus the 10 s slack), counted from its last output.
signal_lab STOP "the lab did not answer for 15 s and was stopped" 17

# $1 fake lab, $2 wanted message on stderr.
fake_lab() {
    local fake="$1" want="$2"
    : > "$tmp/pids"
    SOCKSCOPE_TEST_PIDS="$tmp/pids" SOCKSCOPE_LAB_BINARY="$fakes/$fake" timeout 60 "$bin" run close-unread-data \
        >"$tmp/out" 2>"$tmp/err"; local rc=$?
    [ "$rc" -eq 2 ] && ok || fail "$fake: exit $rc, wanted 2 (a fault of the lab)"
    expect_grep "^sockscope: the lab failed: $want" "$tmp/err" "$fake: the reason on stderr"
    grep -q "the lab failed" "$tmp/out" && fail "$fake: the reason went to stdout" || ok
    local lab; lab="$(head -1 "$tmp/pids")"
    [ -n "$lab" ] && ok || fail "$fake: the fake lab did not run"
    [ -z "$lab" ] || gone "$lab" && ok || { fail "$fake: the lab $lab is still there"; kill -9 "$lab"; }
}

fake_lab garbled.sh "the lab sent a malformed event: .*invalid JSON"
fake_lab exit-mid-stream.sh \
    "the lab process exited with status 3; its stream ended in the middle of a line \(26 bytes without a newline\): fake lab: crashed on purpose"
fake_lab end-no-exit.sh "the lab wrote its end event but did not exit within 2000 ms and was killed"
# The run's events up to the fault are still printed: the fake's run started, so its header line is there.
expect_grep "^# scenario: fake" "$tmp/out" "end-no-exit: the complete run is printed"

# A failed expectation is not a fault: exit 1, not 2.
cat > "$tmp/wrong.scn" <<'SCN'
title: wrong expectation
topic: faults
summary: the kernel disagrees with the scenario
actors: a

a  S = socket(v4)
a  close(S)            = -1 EBADF
SCN
expect_rc 1 "a failed expectation" "$bin" run "$tmp/wrong.scn"
grep -q "the lab failed" "$tmp/err" && fail "a failed expectation reported as a lab fault" || ok

echo "test_labfaults: $passes passed, $fails failed"
[ "$fails" -eq 0 ]
