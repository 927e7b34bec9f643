#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Faults on the wire from the command line (issue 13): the lost-segment built-ins pass on the real kernel, the log
# shows the dropped segment and the retransmission with its delay, a bad fault or '~' line is reported with its
# line:column, and the host's nftables ruleset is the same afterwards.
# Usage: test_wirefaults.sh path/to/sockscope SOURCE_DIR
bin="$1"; src="$2"
. "$src/tests/cli/lib.sh"

ruleset() { nft list ruleset 2>&1; }
before="$(ruleset)"

for name in lost-fin lost-final-ack lost-syn-ack lost-rst; do
    expect_rc 0 "sockscope run $name" "$bin" run "$name"
    cp "$tmp/out" "$tmp/$name.log"
    expect_grep '\(dropped\)' "$tmp/$name.log" "$name: the log marks the dropped segment"
done
# The FIN that gets through is the first retransmission, after the RTO (at least 200 ms on loopback).
expect_grep 'FIN ACK seq=1 ack=1 retx#1 \+2[0-9]{2}\.[0-9] ms' "$tmp/lost-fin.log" "lost-fin: retransmission and its delay"
expect_grep 'retx#1 \+1[0-9]{3}\.[0-9] ms' "$tmp/lost-syn-ack.log" "lost-syn-ack: the handshake repeated after 1 s"

# The run file (JSON Lines) carries the marks.
expect_rc 0 "sockscope run lost-fin --json" "$bin" run lost-fin --json
expect_grep '"dropped":true' "$tmp/out" "json: dropped"
expect_grep '"retx":1,"retx_ns":[0-9]{9}' "$tmp/out" "json: retx and retx_ns"

cat > "$tmp/bad.scn" <<'SCN'
title: T
topic: X
summary: S
actors: server client
drop: server -> clint FIN #1
server  L = socket(v4)
  ~ server.1 TIMEWAIT
server  close(L)
SCN
expect_rc 2 "check a bad fault line" "$bin" check "$tmp/bad.scn"
cat "$tmp/out" "$tmp/err" > "$tmp/bad.txt"
expect_grep 'bad.scn:5:17: error: unknown actor .clint.' "$tmp/bad.txt" "drop: line:column"
expect_grep 'bad.scn:7:14: error: expected a TCP state' "$tmp/bad.txt" "~ line:column"

# A '~' that does not hold fails the run like a call expectation.
cat > "$tmp/wrong.scn" <<'SCN'
title: T
topic: X
summary: S
actors: server client
drop: server -> client FIN #1
server  L = socket(v4)
server  bind(L, 127.0.0.1:5000)
server  listen(L, 8)
client  C = socket(v4)
client  connect(C, 127.0.0.1:5000) = 0
server  A = accept(L) = fd
server  close(A) = 0
  ~ client.1 CLOSE_WAIT
SCN
expect_rc 1 "a '~' that does not hold" "$bin" run "$tmp/wrong.scn"
expect_grep 'client.1 ESTABLISHED' "$tmp/out" "the failed '~' says what the socket was"

[ "$(ruleset)" = "$before" ] && ok || fail "the host's nftables ruleset changed"
echo "test_wirefaults: $passes passed, $fails failed"
[ "$fails" -eq 0 ]
